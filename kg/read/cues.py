"""Layout cues of one line of text: bullets, numbers, ALL CAPS, rules, "Label: value" and "Country / Operator"
lines, hard wrapping, CSV fields. Plain functions over strings, used by kg.read.layout and kg.read.structure.
"""
from __future__ import annotations

import re

BULLET = re.compile(r"[-*+\u2022\u2013\u25aa\u25e6\u2023\u00b7](?=\s+\S)")
NUMBER = re.compile(r"""(?:\((?P<paren>\d{1,3}|[a-zA-Z]|[ivxlc]{1,6}|[IVXLC]{1,6})\)
    |(?P<dotted>\d{1,3}(?:\.\d{1,3})+)\.?
    |(?P<close>\d{1,3}|[a-zA-Z]|[ivxlc]{1,6}|[IVXLC]{1,6})\)
    |(?P<dot>\d{1,3}|[a-z]|[ivxlc]{1,6}|[IVXLC]{1,6})\.)(?=[ \t]+\S)""", re.X)
DASHED_NUMBER = re.compile(r"(\d{1,3})[ \t]*[\u00b7\u2022\u2014\u2013][ \t]+(?=\S)")  # "1 · Ecuador"
ATX = re.compile(r"(#{1,6})[ \t]+\S")
DECORATED = re.compile(r"([-=*~_#]{2,})[ \t]+(?P<title>\S.*?)[ \t]+[-=*~_#]{2,}")  # "--- 2. Russia ---"
DATELINE = re.compile(r"(?:By\s.*|(?:\w+day,?\s+)?(?:[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}))")
RULE = re.compile(r"([-=_*~#+])(?:[ \t]*\1){2,}")
LABEL = re.compile(r"(?P<label>[A-Za-z][^\s:|]*(?: [^\s:|]+){0,3}?) ?: +\S")
RUNIN = re.compile(r"(?P<lead>[A-Z][A-Z0-9 ,'\u2019&/\-]{2,60}?[A-Z0-9)])\.[ \t]+(?=\S)")
_NAME = r"(?:[A-Z][a-z'\u2019\-]+|[A-Z]{2,})"
TITLE_RUNIN = re.compile(rf"(?P<lead>{_NAME}(?:[ \t]+(?:{_NAME}|and|of|the|&)){{0,3}})\.[ \t]+(?=[A-Z0-9\"\u201c])")
NOT_RUNIN = {"yes", "no", "thanks", "indeed", "exactly", "right", "okay", "ok", "sure", "again", "finally", "first",
             "second", "third", "also", "however", "meanwhile", "overall", "mr", "mrs", "ms", "dr", "st", "inc", "ltd",
             "co", "corp", "jr", "gen", "sen", "rep", "gov", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
             "sept", "oct", "nov", "dec", "fig", "vol", "no", "vs", "etc", "u", "s"}
NUMBERED_LABEL = re.compile(r"(?P<label>[A-Z][a-z]+)[ \t]+(?P<number>\d{1,3}|[A-Z]|[IVX]{1,4})[ \t]*[:.\u2014\u2013][ \t]+(?=\S)")
CAPS_WORDS = re.compile(r"[A-Z][A-Z'\-]{3,}(?: [A-Z][A-Z'\-]+)*\b(?![a-z])")
NOT_LABELS = {"said", "says", "say", "wrote", "writes", "added", "adds", "noted", "notes", "explained",
              "told", "stated", "states", "reads", "read", "include", "includes", "included", "were", "was",
              "are", "is", "as", "follows", "following", "and", "but", "or", "because", "that"}
VERBS = {"was", "were", "is", "are", "has", "have", "had", "will", "would", "said", "says", "did", "does"}
RUNS_ON = {"and", "or", "of", "the", "in", "to", "for", "from", "with", "by", "a", "an", "at", "on", "as"}
TERMINAL = tuple(".,;:!?")
WRAP_WIDTH = 50  # a line this long running on without final punctuation was hard-wrapped


def line_cue(text: str, pipes: bool = True) -> tuple[str, str | None]:
    """The layout cue of one stripped line and the number it starts with (for "number" lines);
    `pipes=False` reads a line with " | " in it as if it were not a table line."""
    if not text:
        return "blank", None
    if RULE.fullmatch(text):
        return "rule", None
    if ATX.match(text):
        return "atx", None
    if DECORATED.fullmatch(text):
        return "decorated", None
    if pipes and text.count("|") >= 2:
        return "pipe", None
    if BULLET.match(text):
        return "bullet", None
    number = NUMBER.match(text)
    if number and _numbered(text, number):
        return "number", next(g for g in number.groups() if g)
    if is_caps(text):
        return "caps", None
    if is_label(text):
        return "label", None
    return "text", None


def runin_end(text: str) -> int | None:
    """Where a run-in heading opening a paragraph ends ("ARMENIA. Thirty-five...", "China. The largest..."),
    just after its full stop; None when the paragraph does not open with one."""
    caps = RUNIN.match(text)
    if caps and sum(c.isalpha() for c in caps.group("lead")) >= 4:
        return caps.end("lead") + 1
    title = TITLE_RUNIN.match(text)
    if title and title.group("lead").split()[-1].lower() not in NOT_RUNIN and len(title.group("lead")) <= 40:
        return title.end("lead") + 1
    return None


def numbered_label(text: str) -> str | None:
    """The number of a short "Network 2: Brazil" / "Case B — Kenya" line, which heads a section."""
    match = NUMBERED_LABEL.match(text)
    if match and len(text) <= 70 and not text.endswith(TERMINAL):
        return match.group("number")
    return None


def heading_number(text: str) -> str | None:
    """The number a heading opens with: "2." "(b)" "II." "3.1" or "1 ·" / "4 —" as digests write it."""
    match = NUMBER.match(text) or DASHED_NUMBER.match(text)
    return next(g for g in match.groups() if g) if match else None


def _numbered(text: str, match: re.Match) -> bool:
    """A "2.", "b." or "1.2" must be followed by a capital, digit or quote; "(b)" and "b)" by anything."""
    if match.group("dot") is None and match.group("dotted") is None:
        return True
    after = text[match.end():].lstrip()[:1]
    return after.isupper() or after.isdigit() or after in "\"'\u201c\u2018(["


def is_caps(text: str) -> bool:
    """An ALL-CAPS line (at least three letters, none lowercase outside brackets) of heading length."""
    letters = [c for c in re.sub(r"\([^)]*\)", "", text) if c.isalpha()]
    return len(letters) >= 3 and len(text) <= 100 and all(c.isupper() for c in letters)


def is_label(text: str) -> bool:
    """A "Label: value" line ("Origin: Iran", "Target audience: Israel") or a "Country / Operator" line."""
    return label_parts(text) is not None or country_operator(text) is not None


def label_parts(text: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(start, end) of the label and of the value of a "Label: value" line, after any bullet or number;
    None when the line is not one ("Meta said: ..." and "Reach was thin: ..." are sentences)."""
    marker = BULLET.match(text) or NUMBER.match(text)
    skip = len(text) - len(text[marker.end():].lstrip()) if marker else 0
    match = LABEL.match(text, skip)
    words = match.group("label").lower().split() if match else []
    if not words or words[-1] in NOT_LABELS or set(words) & VERBS or "," in match.group("label"):
        return None  # a sentence ("Meta said: ...") or a dateline ("MENLO PARK, Calif.: ...")
    value = text.index(":", match.end("label")) + 1
    value += len(text[value:]) - len(text[value:].lstrip())
    return (match.start("label"), match.end("label")), (value, len(text.rstrip()))


def country_operator(text: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(start, end) of the two names of a "Honduras / BlueWave Media — 3,100 accounts" line: two short
    names around one " / " before any dash, colon or comma; None for other lines."""
    head = re.split(r"\s+[\u2014\u2013]\s+|\s+--?\s+|:\s|,\s", text, maxsplit=1)[0]
    parts = head.split(" / ")
    if len(parts) != 2 or not all(0 < len(p.split()) <= 6 for p in parts):
        return None
    first, second = parts[0].lstrip("\"'\u201c"), parts[1].strip().lstrip("\"'\u201c(")
    if not (first[:1].isupper() and (second[:1].isupper() or second[:1].isdigit())):
        return None
    split = len(parts[0])
    left = len(parts[0]) - len(parts[0].lstrip())
    right = split + 3 + len(parts[1]) - len(parts[1].lstrip())
    return (left, len(parts[0].rstrip())), (right, split + 3 + len(parts[1].rstrip()))


def is_country_operator(text: str) -> bool:
    """A "Honduras / BlueWave Media — 3,100 accounts" line."""
    return country_operator(text) is not None


def runs_on(previous: str, following: str) -> bool:
    """A paragraph's next line continues it: a long line (hard-wrapped text) or a lowercase start."""
    return len(previous) >= WRAP_WIDTH or following[:1].islower() or previous.endswith(",")


def value_runs_on(previous: str, following: str) -> bool:
    """A label's value goes on to the next line: it starts lowercase or the line broke after "and", "of"..."""
    last = previous.split()[-1].lower() if previous.split() else ""
    return wrapped(previous, following) and (following[:1].islower() or following[:1].isdigit()
                                             or last in RUNS_ON or previous.endswith(","))


def wrapped(previous: str, following: str) -> bool:
    """The next line runs on from the previous one: it starts lowercase, or a long line ends mid-sentence."""
    if not previous or previous.endswith(TERMINAL):
        return False
    return following[:1].islower() or len(previous) >= WRAP_WIDTH


def csv_cells(line: str, base: int = 0) -> list[tuple[int, int]] | None:
    """(start, end) of each comma-separated field of one CSV line (quotes left outside); None if unbalanced."""
    spans, i, n = [], 0, len(line)
    while True:
        if i < n and line[i] == '"':
            j = i + 1
            while True:
                j = line.find('"', j)
                if j < 0:
                    return None
                if j + 1 < n and line[j + 1] == '"':
                    j += 2
                    continue
                break
            spans.append((base + i + 1, base + j))
            i = j + 1
            if i < n and line[i] != ",":
                return None
        else:
            j = line.find(",", i)
            j = n if j < 0 else j
            spans.append((base + i, base + j))
            i = j
        if i >= n:
            return spans
        i += 1
        if i == n:
            spans.append((base + n, base + n))
            return spans


def number_family(number: str | None) -> str:
    """How a list number is written: "digit", "dotted" (3.1), "roman" or "letter"; "" for none."""
    if number is None:
        return ""
    if "." in number:
        return "dotted"
    if number.isdigit():
        return "digit"
    if re.fullmatch(r"[ivxlc]+|[IVXLC]+", number) and (len(number) > 1 or number in "iIvVxX"):
        return "roman"
    return "letter"
