"""Where an attribution or discovery names its organisation, for `iokg_orgs`: past the people who work
for it, inside a description, or before the verb (the subject of "ran the network", "alerted the company").

"links to people associated with the Awami League" → the league; "a production company called
Changyu Culture" → Changyu Culture; "Orion Digital, a Quito agency, ran the Pages" → Orion Digital
(the subject); "Graphika alerted the company" → Graphika as discovery. Plain functions over a Doc.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from kg.data import load_jsonl
from kg.extract import gazetteer
from kg.extract.components.common import sent_end, sent_start

PEOPLE = {"people", "individuals", "persons", "staff", "employees", "members", "operatives", "officials", "workers",
          "contractors", "personnel", "someone", "associates", "managers", "administrators", "admins", "employee",
          "staffers", "agents", "figures", "users", "actors", "officer", "officers", "official", "editor", "editors",
          "executive", "executives", "director", "directors", "deputy", "founder", "founders", "owner", "owners", "head",
          "leader", "leaders", "member", "operative", "consultant", "consultants", "strategist", "strategists"}
PEOPLE_FILLERS = {"some", "a", "an", "the", "group", "groups", "of", "few", "handful", "several", "small", "number",
                  "its", "their", "local", "former", "current", "senior", "certain", "two", "three", "many", "previously",
                  "unnamed", "private", "ex", "-"}
# after the people: the words that lead to the organisation they work for or belong to
RELATIONS = ("associated with", "connected with", "connected to", "linked to", "linked with", "tied to", "close to",
             "affiliated with", "working for", "working at", "working with", "working on behalf of", "who worked for",
             "who work for", "employed by", "employed at", "on behalf of", "around", "of", "at", "within", "inside",
             "behind", "hired by", "paid by", "from", "for", "among them staff of", "including staff of")
PEOPLE_REACH = 12  # tokens after the people noun in which the relation must come
SUBJECT_FILLERS = {"also", "first", "later", "then", "reportedly", "allegedly", "previously", "itself", "had", "has",
                   "have", "was", "were", "is", "are", "which", "who", "that", "apparently", "likely", "probably",
                   "in", "turn", "originally", "initially", "quietly", "jointly", "together", "actually", "had been"}
APPOSITIVE_REACH = 16  # tokens of ", a Quito-based agency," skipped back from a verb to its subject
MODIFIER_REACH = 4  # words allowed before the type noun in "a Tel Aviv production company called X"


@lru_cache(maxsize=None)
def cities() -> dict[str, str]:
    """City name → country code (capitals and large cities), for 'a Quito agency', 'a Lima-based firm'."""
    return {row["name"]: row["country"] for row in load_jsonl("cities")}


def city_country(doc: Doc, start: int, end: int) -> str | None:
    """The country of the first known city in doc[start:end] ('Tel Aviv', 'Quito-based')."""
    table = cities()
    for i in range(start, end):
        for size in (3, 2, 1):
            if i + size <= end and (code := table.get(doc[i:i + size].text)):
                return code
    return None


def people_lead(doc: Doc, start: int) -> int | None:
    """'some employees of', 'people around': the index of the people noun when one starts at `start`."""
    i, stop = start, min(sent_end(doc, start), start + 6)
    while i < stop and doc[i].lower_ in PEOPLE_FILLERS:
        i += 1
    return i if i < stop and doc[i].lower_ in PEOPLE else None


def through_people(doc: Doc, start: int) -> int | None:
    """'people associated with X', 'individuals who manage social media for X', 'staff of X': where X
    starts, or None when the people are not said to belong to an organisation."""
    noun = people_lead(doc, start)
    if noun is None:
        return None
    stop = min(sent_end(doc, noun), noun + PEOPLE_REACH)
    i = noun + 1
    while i < stop:
        if doc[i].text in (".", ";", ":") or doc[i].lower_ in ("and", "but", "targeted", "targeting"):
            return None
        words = " ".join(t.lower_ for t in doc[i:i + 5])
        relation = next((r for r in RELATIONS if words == r or words.startswith(r + " ")), None)
        if relation and not _place_after(doc, i + len(relation.split())):
            return i + len(relation.split())
        i += 1
    return None


def _place_after(doc: Doc, i: int) -> bool:
    """'individuals from Peru', 'people in Chile': a relation followed by a place is where they are."""
    if "iokg_attr_place_starts" not in doc.user_data:
        doc.user_data["iokg_attr_place_starts"] = {p.start for p in doc._.iokg_places if p.kind != "macro"}
    starts = doc.user_data["iokg_attr_place_starts"]
    i += i < len(doc) and doc[i].lower_ == "the"
    return i in starts and not (i + 1 < len(doc) and doc[i + 1].lower_ in STATE_WORDS)


STATE_WORDS = {"government", "state", "military", "army", "regime", "authorities", "ministry", "police"}


def described_name(doc: Doc, start: int, limit: int) -> tuple[int, int, int] | None:
    """'a production company called Changyu Culture', 'a Quito agency, Orion Digital': (description
    start, name start, type noun end) when a description with an organisation type comes first."""
    i = start + (doc[start].lower_ in ("a", "an", "the", "its", "their")) if start < limit else start
    for j in range(i, min(limit, i + MODIFIER_REACH + 1)):
        noun_end = type_noun_end(doc, j, limit)
        if noun_end is not None:
            k = _skip_location(doc, noun_end, limit)
            while k < limit and doc[k].lower_ in (",", "called", "named", "known", "as", "dubbed", "the"):
                k += 1
            if k > noun_end and k < limit and doc[k].text[:1].isupper():
                return i, k, noun_end
            return None
        if doc[j].is_punct and doc[j].text not in ("-", "\u2013") or doc[j].lower_ in ("and", "or", "which", "who", "that"):
            return None
    return None


def _skip_location(doc: Doc, k: int, limit: int) -> int:
    """'a PR firm in Egypt, New Waves' / 'based in Quito,': past a location that ends in a comma."""
    if k < limit and doc[k].lower_ in ("in", "from", "based"):
        j = k + 1 + (doc[k].lower_ == "based")
        while j < limit and (doc[j].lower_ in ("the", "in") or doc[j].is_title and doc[j].is_alpha):
            j += 1
        if j < limit and (doc[j].text == "," or doc[j].lower_ in ("called", "named", "known")) and j > k + 1:
            return j
    return k


def type_noun_end(doc: Doc, start: int, limit: int) -> int | None:
    """The index after an organisation-type noun ('PR firm', 'companies') starting at `start`."""
    for words in _type_nouns().get(doc[start].lower_, ()):
        end = start + len(words)
        if end <= limit and all(doc[start + k].lower_ == w for k, w in enumerate(words)):
            return end
    return None


@lru_cache(maxsize=None)
def _type_nouns() -> dict[str, tuple[tuple[str, ...], ...]]:
    """First word → the organisation-type nouns (and their plurals) it starts, longest first."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for noun, _ in gazetteer.org_types():
        for form in (noun.lower(), _plural(noun.lower())):
            words = tuple(form.split())
            table.setdefault(words[0], []).append(words)
    return {first: tuple(sorted(set(forms), key=len, reverse=True)) for first, forms in table.items()}


def _plural(noun: str) -> str:
    """'company' → 'companies', 'firm' → 'firms' ('two Russian companies, X and Y')."""
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def subject_end(doc: Doc, verb: int) -> int | None:
    """The token after the subject of the verb at `verb`: back over auxiliaries and adverbs ('had
    also'), a relative pronoun (', which') and an appositive (', a Quito-based agency,')."""
    first = sent_start(doc, verb)
    i = verb
    while i > first and (doc[i - 1].lower_ in SUBJECT_FILLERS or doc[i - 1].text == ","):
        if doc[i - 1].text == ",":
            opening = _appositive_start(doc, i - 1, first) if i - 1 > first else None
            if opening is None and doc[i].lower_ not in ("which", "who"):
                return None  # "posed as Ukrainians, managed Pages": a list of verbs, not a subject
            i = opening if opening is not None else i - 1
            continue
        i -= 1
    return i if i > first or doc[first].text[:1].isupper() else None


def _appositive_start(doc: Doc, comma: int, first: int) -> int | None:
    """', a Quito-based agency,' ending at `comma`: the index of the comma that opens it."""
    for j in range(comma - 1, max(first, comma - APPOSITIVE_REACH) - 1, -1):
        if doc[j].text == ",":
            lead = doc[j + 1].lower_ if j + 1 < comma else ""
            return j if lead in ("a", "an", "the", "its", "which", "who", "one") and type_in(doc, j + 1, comma) else None
        if doc[j].text in (".", ";", ":"):
            return None
    return None


def type_in(doc: Doc, start: int, end: int) -> bool:
    """Does doc[start:end] contain an organisation-type noun?"""
    return any(type_noun_end(doc, j, end) is not None for j in range(start, end))


def name_before(doc: Doc, end: int) -> tuple[int, int] | None:
    """The run of capitalised words ('Orion Digital', 'Centre for Research') that ends just before `end`."""
    first = sent_start(doc, max(end - 1, 0))
    i = end
    while i > first:
        tok = doc[i - 1]
        if tok.text[:1].isupper() and (tok.is_alpha or tok.text.isupper() or "&" in tok.text):
            i -= 1
        elif tok.lower_ in ("of", "for", "de", "&", "and") and i - 1 > first and i < end and doc[i - 2].text[:1].isupper():
            i -= 1
        else:
            break
    while i < end and not doc[i].text[:1].isupper():
        i += 1  # a name starts with a capital ('of' cannot start it)
    return (i, end) if i < end else None


NETWORK_OBJECTS = {"network", "networks", "operation", "operations", "campaign", "campaigns", "accounts", "pages",
                   "groups", "assets", "personas", "profiles", "activity", "websites", "sites", "channels", "it", "them",
                   "this", "these", "troll", "farm", "effort", "scheme", "page"}
SHARING = {"shared", "passed", "provided", "gave", "brought", "published"}
RECIPIENTS = {"us", "company", "platform", "meta", "facebook", "twitter", "investigators", "team"}
OBJECT_REACH = 4  # tokens after "ran" in which its object must be a network noun ("ran the fake Pages")


def subject_cues(doc: Doc) -> list[tuple[int, str]]:
    """(verb start, role) for verbs whose subject is an operator ('X ran the network', 'X was behind
    it') or a discovery source ('X alerted the company', 'X shared information')."""
    found = []
    platforms = {s for s, _, _ in doc._.iokg_platforms or []}
    for start, end, label in doc._.iokg_cues:
        after = doc[end:min(len(doc), end + OBJECT_REACH + 1)]
        if label == "operator_subject":
            found.append((start, "operator"))
        elif label == "discovery_subject" and (doc[start].lower_ in SHARING or _relative_object(doc, start)
                                               or _object_head(doc, end, platforms)):
            found.append((start, "discovery"))  # "X alerted the company", "X flagged the accounts"
        elif label == "operator_verb" and any(t.lower_ in NETWORK_OBJECTS for t in doc[end:min(len(doc), end + OBJECT_REACH)]):
            found.append((start, "operator"))  # "X ran the network", not "X ran ads" or "was run by"
    return found


OBJECT_MODIFIERS = {"the", "a", "an", "this", "these", "those", "its", "their", "our", "some", "several", "of", "fake",
                    "inauthentic", "coordinated", "suspicious", "many", "hundreds", "dozens", "part", "on", "about", "to",
                    "first", "off", "what", "became", "covert", "new", "related", "same", "other", "more", "parts",
                    "pro-government", "-", "pro"}


def _object_head(doc: Doc, end: int, platforms: set[int]) -> bool:
    """The first word after a discovery verb past determiners and adjectives is a network noun, a
    recipient or a platform: 'alerted the company', 'flagged some of the fake accounts', 'tipped off Meta'."""
    for t in doc[end:min(len(doc), end + 2 * OBJECT_REACH)]:
        if t.i in platforms or t.lower_ in NETWORK_OBJECTS or t.lower_ in RECIPIENTS:
            return True
        if not (t.lower_ in OBJECT_MODIFIERS or t.like_num):
            return False
    return False


def _relative_object(doc: Doc, verb: int) -> bool:
    """'the accounts that the FBI had identified', 'details the FBI passed to it': the verb's object is a
    network noun or a piece of information before the subject."""
    first = sent_start(doc, verb)
    for j in range(verb - 1, max(first, verb - 7) - 1, -1):
        if doc[j].lower_ in ("that", "which") and j > first:
            return doc[j - 1].lower_ in NETWORK_OBJECTS or doc[j - 1].lower_ in INFORMATION
        if doc[j].lower_ in INFORMATION:
            return True
    return False


INFORMATION = {"information", "details", "leads", "tip", "tips", "findings", "indicators", "evidence", "intelligence"}
TEAM_WORDS = {"team", "teams", "researchers", "analysts", "investigators", "unit", "experts", "staff", "center", "centre"}


def possessor_end(doc: Doc, end: int) -> int | None:
    """"Microsoft's threat intelligence team": the end of the name before "'s" when the subject is its team."""
    if end < 2 or doc[end - 1].lower_ not in TEAM_WORDS:
        return None
    for j in range(end - 2, max(sent_start(doc, end - 1), end - 6) - 1, -1):
        if doc[j].text in ("'s", "\u2019s"):
            return j
        if not doc[j].is_alpha or doc[j].text[:1].isupper():
            return None
    return None
