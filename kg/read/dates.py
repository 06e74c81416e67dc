"""Dates in text: the date expressions of a sentence, and the publication date of a document.

`find_dates` returns every date expression of a text with its span and precision ("March 3, 2021",
"MARCH 2021", "Q2 2024", "third quarter of 2022", "in August", "2020", "last week"); relative and
year-less ones are resolved against a reference date when one is given. `document_date` picks a
document's publication date from its metadata, its first lines, or its file name. Values are ISO
strings: YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY, or --MM for a month whose year the text leaves open.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {name: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")), start=1) for name in names}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_MONTH = r"(?P<{0}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_YEAR = r"(?P<{0}>(?:19|20)\d\d)"
PATTERNS = (  # most specific first; a span taken by one pattern is not read again by a later one
    ("day", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("day", re.compile(r"\b" + _MONTH.format("m") + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+" + _YEAR.format("y") + r"\b", re.I)),
    ("day", re.compile(r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:\s*[–-]\s*[0-3]?\d)?\s+" + _MONTH.format("m") + r",?\s+" + _YEAR.format("y") + r"\b", re.I)),
    ("quarter", re.compile(r"\b(?:Q(?P<q>[1-4])|(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)(?:\s+of)?[\s,]+" + _YEAR.format("y") + r"\b", re.I)),
    ("quarter", re.compile(r"\b" + _YEAR.format("y") + r"\s*[-_ ]?\s*Q(?P<q>[1-4])\b", re.I)),
    ("month", re.compile(r"\b" + _MONTH.format("m") + r",?\s+(?:of\s+)?" + _YEAR.format("y") + r"\b", re.I)),
    ("month", re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/](?P<m>0[1-9]|1[0-2])\b(?![-/]\d)")),
    ("month-only", re.compile(r"\b(?:in|during|early|late|mid|mid-|since|until|by|through|of|on)\s+(?:early\s+|late\s+|mid-?)?" + _MONTH.format("m") + r"(?!\s*[0-3]?\d\b)(?![\w-])")),
    ("year", re.compile(r"(?<![\d$£€.,-])" + _YEAR.format("y") + r"(?![\d,.]\d)(?!\s*(?:election|elections|vote|poll|presidential|general|world cup|olympic))", re.I)),
    ("relative", re.compile(r"\b(?P<rel>last week|this week|earlier this week|last month|this month|earlier this month|"
                            r"yesterday|today|on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b", re.I)),
)


@dataclass(frozen=True)
class DateMention:
    """One date expression: its span in the text, the ISO value and the precision of that value."""

    start: int
    end: int
    text: str
    value: str
    precision: str  # day | month | quarter | year | month-only | relative


def find_dates(text: str, reference: str | None = None) -> list[DateMention]:
    """Every date expression in `text`, in reading order; year-less and relative ones are resolved
    against `reference` (an ISO date) when given, else kept as --MM or dropped."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for precision, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            value, kind = _value(precision, match, reference)
            if value is None:
                continue
            taken.append((match.start(), match.end()))
            found.append(DateMention(match.start(), match.end(), match.group(0), value, kind))
    return sorted(found, key=lambda m: m.start)


def _value(precision: str, match: re.Match, reference: str | None) -> tuple[str | None, str]:
    groups = match.groupdict()
    if precision == "day":
        month = int(groups["m"]) if groups["m"].isdigit() else MONTHS[groups["m"].lower().rstrip(".")]
        try:
            return date(int(groups["y"]), month, int(groups["d"])).isoformat(), "day"
        except ValueError:
            return None, precision
    if precision == "quarter":
        quarter = int(groups["q"]) if groups.get("q") else ORDINALS[groups["qw"].lower()]
        return f"{groups['y']}-Q{quarter}", "quarter"
    if precision == "month":
        month = int(groups["m"]) if groups["m"].isdigit() else MONTHS[groups["m"].lower().rstrip(".")]
        return f"{groups['y']}-{month:02d}", "month"
    if precision == "year":
        return groups["y"], "year"
    ref = _parse(reference)
    if precision == "month-only":
        month = MONTHS[groups["m"].lower().rstrip(".")]
        if groups["m"] == "May" and not re.match(r"(?i)(in|during|early|late|mid|since|until|by|through)", match.group(0)):
            return None, precision  # "on May" is rare, "may" the verb is common
        if ref is None:
            return f"--{month:02d}", "month-only"
        year = ref.year - 1 if month > ref.month else ref.year
        return f"{year}-{month:02d}", "month"
    if ref is None:  # relative expressions need a reference date
        return None, precision
    rel = groups["rel"].lower()
    if "week" in rel:
        shifted = ref - timedelta(days=7) if rel.startswith("last") else ref
        return shifted.isoformat()[:7], "month"
    if "month" in rel:
        shifted = (ref.replace(day=1) - timedelta(days=1)) if rel.startswith("last") else ref
        return shifted.isoformat()[:7], "month"
    if rel == "yesterday":
        return (ref - timedelta(days=1)).isoformat(), "day"
    if rel.startswith("on "):  # "on Tuesday": the last such weekday up to the reference date
        wanted = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday").index(rel[3:])
        return (ref - timedelta(days=(ref.weekday() - wanted) % 7)).isoformat(), "day"
    return ref.isoformat(), "day"


def _parse(value: str | None) -> date | None:
    """A reference date from an ISO value of any precision (its last day for months, quarters, years)."""
    if not value:
        return None
    start, end = interval(value) or (None, None)
    return end


def interval(value: str) -> tuple[date, date] | None:
    """The first and last day an ISO value of any precision covers (None for --MM and non-dates)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = date.fromisoformat(value)
            return day, day
        if re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = int(value[:4]), int(value[5:])
            return date(year, month, 1), _month_end(year, month)
        match = re.fullmatch(r"(\d{4})-Q([1-4])", value)
        if match:
            year, quarter = int(match.group(1)), int(match.group(2))
            return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        if re.fullmatch(r"\d{4}", value):
            return date(int(value), 1, 1), date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))


_PUBLISHED = re.compile(r"(?i)\b(published|posted|updated|dated|issued|released|as of|last updated|week ending|week of)\b")
_NAME_DATE = (re.compile(r"(?P<y>(?:19|20)\d\d)[_-](?P<m>0[1-9]|1[0-2])(?![\d])"),
              re.compile(r"(?i)\bQ(?P<q>[1-4])[_-](?P<y>(?:19|20)\d\d)"),
              re.compile(r"(?i)(?P<y>(?:19|20)\d\d)[_-]?Q(?P<q>[1-4])\b"),
              re.compile(r"(?i)(?<![a-z])(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[_-]?(?P<y>(?:19|20)\d\d)"))
HEAD_LINES = 12


def document_date(text: str, meta_date: str | None = None, file_name: str = "") -> str | None:
    """The publication date of a document: its metadata, else the first date of its opening lines
    (a 'Published ...' line first, a full date before a month), else a date in its file name."""
    if meta_date:
        return meta_date
    head = [line for line in text.splitlines() if line.strip()][:HEAD_LINES]
    best: tuple[int, int, DateMention] | None = None
    rank = {"day": 0, "month": 1, "quarter": 2}
    for number, line in enumerate(head):
        for mention in find_dates(line):
            if mention.precision not in rank:
                continue
            published = len(line) < 160 and _PUBLISHED.search(line[max(0, mention.start - 40):mention.start])
            key = (0 if published else 1, rank[mention.precision] * 100 + number)
            if best is None or key < best[:2]:
                best = (*key, mention)
    if best is not None:
        return best[2].value
    return file_name_date(file_name)


def file_name_date(name: str) -> str | None:
    """'2022_04_metas_...csv' → 2022-04, 'Q1_2023_...csv' → 2023-Q1, 'report-feb2019.txt' → 2019-02."""
    for pattern in _NAME_DATE:
        match = pattern.search(name)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("q"):
            return f"{groups['y']}-Q{groups['q']}"
        if groups.get("mon"):
            return f"{groups['y']}-{MONTHS[groups['mon'].lower()]:02d}"
        return f"{groups['y']}-{groups['m']}"
    return None


def pdf_date(metadata) -> str | None:
    """The creation date of a PDF's document information, as an ISO date (None when absent or bad)."""
    try:
        created = metadata.creation_date if metadata is not None else None
    except Exception:  # pypdf raises on malformed date strings; a bad date is no date
        return None
    return created.date().isoformat() if created is not None else None
