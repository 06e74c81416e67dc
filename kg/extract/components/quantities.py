"""Component `iokg_quantities`: removed-asset counts, audience figures, ad spend and stated totals.

"29 Facebook accounts, two Pages", "about 7,200 accounts followed", "were followed by 509,000",
"less than $4,000 in spending for ads", "$3.6 million", "Total number of Pages removed: 255".
Writes `doc._.iokg_quantities`, a list of Quantity records; the parsing is in plain functions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.data import load_jsonl
from kg.extract import gazetteer, money, platform_scope
from kg.extract.components.common import doc_extension, sent_end, sent_start
from kg.graph.model import REMOVED_PLATFORM, Money

MAX_MODIFIERS = 3  # "26 fake Facebook accounts": adjectives allowed between number and asset noun
MAX_FIGURE = 10**12  # larger "counts" are noise (a phone number, a typo), not takedown figures
NUMBER_WINDOW = 10  # tokens a number may take: "one million two hundred and fifty thousand"
SCALE = ("hundred", "thousand", "million", "billion", "dozen")  # "a thousand accounts"
CLAUSE_WINDOW = 14  # tokens scanned after a follower figure for the asset it counts
DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")
# briefing shorthand: "~4.7k", "12k", "1.3m", "~1,200"
COMPACT = re.compile(r"^~?(?P<n>\d+(?:\.\d+)?)(?P<s>[kKmM])$|^~(?P<plain>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)$")
# "- **Number of accounts:** 847", "YouTube channels terminated: 210": a labelled figure on a line of its own
LABELLED = re.compile(r"^[ \t]*(?:[-*\u2022][ \t]+)?[*_]*(?:number|count) of (?P<what>[A-Za-z][\w /]{0,30}?)"
                      r"(?: (?:removed|suspended|taken down|terminated|actioned|banned))?[ \t]*[*_]*:[*_]*[ \t]*"
                      r"(?:about |approximately |around |~)?(?P<n>\d{1,3}(?:,\d{3})+|\d+)\b", re.I | re.M)
TOTAL = re.compile(r"total number of (?P<what>[\w\s]+?) (?:removed|taken down|actioned)\s*:\s*(?P<n>[\d,]+)", re.I)


@dataclass
class Quantity:
    """A figure with its token span: kind is removed|followers|ad_spend|total, key a takedown-JSON key."""

    start: int
    end: int
    kind: str
    key: str
    value: int
    text: str
    platform: str | None = None  # the platform the assets were on, when the text or its acting platform says
    money: Money | None = None  # ad spend: the amount as written and its dollar value


def parse_number(words: list[str]) -> tuple[int | None, int]:
    """Parse a number at the head of `words` ("1,167", "3.6 million", "twenty-five", "two hundred and ten",
    "a thousand"); (value, tokens used)."""
    if not words:
        return None, 0
    head = words[0].lower()
    compact = COMPACT.match(head)
    if compact:
        scale = {"k": 1000, "m": 1000000}.get((compact.group("s") or "").lower(), 1)
        value, used = float((compact.group("n") or compact.group("plain")).replace(",", "")) * scale, 1
    elif DIGITS.match(head):
        value, used = float(head.replace(",", "")), 1
    else:
        return number_words(words)
    mult = gazetteer.quantity_words("multiplier")
    while used < len(words) and words[used].lower() in mult and words[used].lower() not in ("m", "k"):
        value *= mult[words[used].lower()]
        used += 1
    return (int(round(value)) if value < MAX_FIGURE else None), used


def number_words(words: list[str]) -> tuple[int | None, int]:
    """A number written in words: units and tens ("thirty-one", "twenty one"), "hundred" and "dozen" scaling
    the group before them, "thousand"/"million"/"billion" closing a group, "and" only between a scale word
    and what follows it ("one thousand and nineteen"), "a" only before a scale word ("a hundred")."""
    small, mult = gazetteer.quantity_words("number_word"), gazetteer.quantity_words("multiplier")
    lowered = [w.lower() for w in words]
    total, group, used, last = 0, 0, 0, None  # last: "unit", "tens", "scale" or None (nothing read yet)
    while used < len(lowered):
        word = lowered[used]
        if word in ("a", "an") and last is None and used + 1 < len(lowered) and lowered[used + 1] in \
                ("hundred", "thousand", "million", "billion", "dozen"):
            group, used, last = 1, used + 1, "unit"
        elif word == "dozen" and last is None:  # "a dozen Instagram accounts" starts at "dozen"
            group, used, last = 12, used + 1, "scale"
        elif word in small and word != "dozen" and (last in (None, "scale") or (
                last == "tens" and small[word] < 10 and group % 10 == 0)):
            tens = small[word] >= 20 and small[word] % 10 == 0
            group, used, last = group + small[word], used + 1, "tens" if tens else "unit"
        elif word == "-" and last == "tens" and used + 1 < len(lowered) and small.get(lowered[used + 1], 99) < 10:
            used += 1  # "thirty-one": the unit follows
        elif word in ("hundred", "dozen") and last in ("unit", "tens") and group < 100:
            group, used, last = group * mult[word], used + 1, "scale"
        elif word in ("thousand", "million", "billion") and last in ("unit", "tens", "scale") and group:
            total, group, used, last = total + group * mult[word], 0, used + 1, "scale"
        elif word == "and" and last == "scale" and used + 1 < len(lowered) and lowered[used + 1] in small:
            used += 1
        else:
            break
    if last is None:
        return None, 0
    while used and lowered[used - 1] in ("and", "-"):
        used -= 1
    value = total + group
    return (value if value < MAX_FIGURE else None), used


def asset_at(words: list[str]) -> tuple[str | None, int]:
    """The removed-asset key of the phrase at the head of `words`, after optional adjectives."""
    key, used, _ = asset_match(words)
    return key, used


def asset_match(words: list[str]) -> tuple[str | None, int, str]:
    """(key, tokens used, asset phrase) of the asset phrase at the head of `words`, after optional adjectives."""
    modifiers = _modifiers()
    skip = 0
    while skip < MAX_MODIFIERS and skip < len(words) and (words[skip].lower() in modifiers or words[skip] in gazetteer.demonyms()):
        skip += 1  # "26 fake Facebook accounts", "43 Turkish channels"
    lowered = [w.lower() for w in words[skip:skip + 4]]
    for phrase, key in gazetteer.asset_phrases():
        parts = phrase.lower().split()
        if lowered[:len(parts)] == parts:
            return key, skip + len(parts), phrase
    return None, 0, ""


@lru_cache(maxsize=None)
def _modifiers() -> frozenset[str]:
    return frozenset(gazetteer.quantity_words("asset_modifier"))


@lru_cache(maxsize=None)
def bare_nouns() -> dict[str, str]:
    """Platform-neutral asset phrase ('accounts', 'channels') → its noun class, from the rows marked `bare`."""
    return {p: row["bare"] for row in load_jsonl("quantities") if row.get("bare") for p in row["phrases"]}


AUDIENCE_OF = {"page": "pages", "pages": "pages", "group": "groups", "groups": "groups", "instagram": "instagram",
               "ig": "instagram"}
BARE_FOLLOW = ("joined", "followed", "liked", "subscribed")  # a figure straight before the verb


def follower_key(words: list[str]) -> str | None:
    """Which audience a follower clause counts: instagram, groups or pages (None for events)."""
    lowered = [w.lower() for w in words]
    for word in lowered:  # the first audience named: "followed the Pages, while the Groups had ..."
        if word in ("instagram", "ig"):
            return "instagram"
        if word in ("group", "groups"):
            return "groups"
        if word in ("page", "pages"):
            return "pages"
        if word in ("event", "events"):
            return None
    return "groups" if "joined" in lowered else "pages"


def token_quantities(doc: Doc) -> list[Quantity]:
    """Asset counts and follower figures read token by token."""
    words = [t.text for t in doc]
    follow = set(gazetteer.quantity_words("follow_verb"))
    small = gazetteer.quantity_words("number_word")
    found: list[Quantity] = []
    i = 0
    while i < len(doc):
        if not (words[i][:1].isdigit() or words[i].lower() in small or COMPACT.match(words[i])
                or words[i].lower() in ("a", "an") and words[i + 1:i + 2] and words[i + 1].lower() in SCALE):
            i += 1
            continue
        value, used = parse_number(words[i:i + NUMBER_WINDOW])
        if value is None or (i and words[i - 1] in ("$", "\\$")):
            i += max(used, 1)
            continue
        end = i + used
        gap = 1 if words[end:end + 1] and words[end].isspace() else 0  # "sixty-nine\naccounts": a hard-wrapped line
        key, size, phrase = asset_match(words[end + gap:end + gap + 7])
        size += gap if key else 0
        people = bool(words[end:end + 1]) and words[end].lower() in ("people", "users", "members", "followers", "accounts")
        after = words[end + max(size, 1):end + max(size, 1) + 1] if people else []
        if people and (after and after[0].lower() in follow or words[end].lower() in ("followers", "members")):
            clause = _clause(doc, end, CLAUSE_WINDOW)
            noun = words[end].lower()
            if noun in ("followers", "members"):  # "the Instagram accounts had 40,000 followers"
                clause = words[max(sent_start(doc, i), i - 8):i] + clause
            fkey = "groups" if noun == "members" else follower_key(clause)
            if fkey:
                found.append(Quantity(i, end + 1, "followers", fkey, value, doc[i:end + 1].text))
        elif len(words) > end + 1 and words[end].lower() in AUDIENCE_OF and words[end + 1].lower() in ("followers", "members"):
            fkey = AUDIENCE_OF[words[end].lower()]  # "about 1.1 million Page followers", "766,000 Group members"
            found.append(Quantity(i, end + 2, "followers", fkey, value, doc[i:end + 2].text))
        elif (words[end:end + 1] and words[end].lower() in BARE_FOLLOW and words[end + 1:end + 2] != ["by"]
              and not key):  # "about 3,200 joined one or more of these Groups"
            fkey = follower_key(_clause(doc, end, CLAUSE_WINDOW))
            if fkey:
                found.append(Quantity(i, end + 1, "followers", fkey, value, doc[i:end + 1].text))
        elif i >= 2 and words[i - 2].lower() in ("followed", "joined") and words[i - 1].lower() == "by":
            fkey = follower_key([t.text for t in doc[sent_start(doc, i):i]])
            found.append(Quantity(i, end, "followers", fkey or "pages", value, doc[i:end].text))
        elif _after_following(words, i):  # "a combined following of about 15,500 accounts"
            fkey = follower_key(words[sent_start(doc, i):i])
            found.append(Quantity(i, end + (size or 0), "followers", fkey or "pages", value, doc[i:end + (size or 0)].text))
        elif key and not _aggregate(words, end + size):
            found.append(platform_count(doc, Quantity(i, end + size, "removed", key, value, doc[i:end + size].text),
                                        bare_nouns().get(phrase)))
        i = end
    return found


def platform_count(doc: Doc, q: Quantity, noun: str | None) -> Quantity:
    """Set the platform of a removed-asset count; a bare 'accounts'/'channels' takes the key of the platform
    that acts on it ('Twitter suspended 936 accounts': twitter_accounts)."""
    if noun is None:
        named = [p for s, _, p in doc._.iokg_platforms if q.start <= s < q.end]
        q.platform = REMOVED_PLATFORM.get(q.key) or (named[0] if named else None)
        return q
    platform, extra = platform_scope.count_platform(doc, q.start, q.end)
    key = platform_scope.asset_key(platform, noun, q.key)
    known = platform if platform != platform_scope.AMBIGUOUS else None
    return Quantity(q.start, q.end + extra, q.kind, key, q.value, doc[q.start:q.end + extra].text, known)


AUDIENCE_NOUNS = ("following", "audience", "followership")


def _after_following(words: list[str], i: int) -> bool:
    """Is the figure at i the size of an audience ('a following of about 15,500', 'an audience of 2 million')?"""
    approx = {w for phrase in gazetteer.quantity_words("approx") for w in phrase.split()}
    j = i
    while j > 0 and i - j < 3 and words[j - 1].lower() in approx:
        j -= 1
    return j >= 2 and words[j - 1].lower() == "of" and words[j - 2].lower() in AUDIENCE_NOUNS


def _clause(doc: Doc, start: int, window: int) -> list[str]:
    """Words after `start` up to the next figure or clause end, within the sentence."""
    words = []
    for tok in doc[start:min(len(doc), start + window, sent_end(doc, start))]:
        if DIGITS.match(tok.text) or tok.text in (";", "."):
            break
        words.append(tok.text)
    return words


def _aggregate(words: list[str], end: int) -> bool:
    """'over 300 Facebook accounts, Pages, Groups and ...': one figure for a list of asset types."""
    rest = words[end:end + 2]
    if rest and rest[0] in (",", "and") and len(rest) > 1:
        key, _ = asset_at(words[end + 1:end + 5])
        return key is not None
    return False


def money_quantities(doc: Doc, text: str) -> list[Quantity]:
    """Amounts in sentences that talk about ads or spending: dollars, and other currencies converted on
    the document's date (doc._.iokg_date, else the latest rate), used only when no dollar figure is given."""
    found = []
    for match, span, value in _ad_amounts(doc, text, money.DOLLARS):
        first = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
        if text[max(0, first - 1):first].isalpha() and not match.group(0).lstrip().startswith("U"):
            continue  # "R$50,000", "A$3,000": another dollar, converted below
        spent = money.to_usd(value, "USD")
        found.append(Quantity(span.start, span.end, "ad_spend", "ad_spend_usd", spent.usd, match.group(0).strip(), money=spent))
    for match, span, value in _ad_amounts(doc, text, money.FOREIGN):
        spent = money.to_usd(value, money.currency_of(match), doc._.iokg_date)
        found.append(Quantity(span.start, span.end, "ad_spend_converted", "ad_spend_usd", spent.usd,
                              match.group(0).strip(), money=spent))
    return found


def _ad_amounts(doc: Doc, text: str, pattern: re.Pattern):
    """(match, span, amount) for each `pattern` amount in a sentence that mentions ads or spending."""
    ad_words = set(gazetteer.quantity_words("ad_cue"))
    for match in pattern.finditer(text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        value = money.amount_of(match)
        if span is not None and value is not None and _mentions(doc[sent_start(doc, span.start):sent_end(doc, span.start)], ad_words):
            yield match, span, value


def _mentions(sent: Span, words: set[str]) -> bool:
    return any(t.lower_ in words for t in sent)


def total_quantities(doc: Doc, text: str) -> list[Quantity]:
    """Month totals stated as 'Total number of Facebook accounts removed: 1,167'."""
    found = []
    for match in TOTAL.finditer(text):
        key, _, phrase = asset_match(match.group("what").split())
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if key and span is not None:
            q = Quantity(span.start, span.end, "total", key, int(match.group("n").replace(",", "")), match.group(0))
            noun = bare_nouns().get(phrase)
            if noun:  # "Total number of accounts removed: 1,200" in a TikTok report: TikTok accounts
                q.key = platform_scope.asset_key(platform_scope.count_platform(doc, q.start, q.start + 1)[0], noun, key)
            found.append(q)
    return found


def labelled_quantities(doc: Doc, text: str) -> list[Quantity]:
    """Figures given as 'Number of accounts: 847' (a field of a list of facts), keyed like any count: a bare
    'accounts' takes the platform in scope."""
    found = []
    for match in LABELLED.finditer(text):
        key, used, phrase = asset_match(match.group("what").split())
        span = doc.char_span(match.start("n"), match.end("n"), alignment_mode="expand")
        if key and used == len(match.group("what").split()) and span is not None:
            q = Quantity(span.start, span.end, "removed", key, int(match.group("n").replace(",", "")), match.group(0).strip())
            found.append(platform_count(doc, q, bare_nouns().get(phrase)))
    return found


def dated_doc(nlp: Language, text: str, date: str | None) -> Doc:
    """The Doc the pipeline runs on, carrying the document's date for the currency conversion."""
    doc_extension("iokg_date")
    doc = nlp.make_doc(text)
    doc._.iokg_date = date
    return doc


@Language.factory("iokg_quantities", assigns=["doc._.iokg_quantities"])
def make_quantities(nlp: Language, name: str):
    """Find asset counts, audience figures, ad spend and totals; totals are not network counts."""
    doc_extension("iokg_quantities")
    doc_extension("iokg_date")  # the document's ISO date, set by whoever makes the Doc (see dated_doc)

    def quantities(doc: Doc) -> Doc:
        text = doc.text
        totals = total_quantities(doc, text)
        in_total = {i for q in totals for i in range(q.start, q.end)}
        counts = [q for q in token_quantities(doc) if q.start not in in_total]
        taken = {q.start for q in counts}
        counts += [q for q in labelled_quantities(doc, text) if q.start not in in_total and q.start not in taken]
        doc._.iokg_quantities = sorted(counts + money_quantities(doc, text) + totals, key=lambda q: q.start)
        return doc

    return quantities
