"""Component `iokg_roles`: decide whether each place is where a network ran from or whom it targeted.

Cues scan forward over a coordinated list ("originated in Spain and Argentina and targeted
Ecuador"): origin cues (originated in, run from, based in, X-based, a Russian network), target cues
(targeted, focused on, audiences in) and, in removal sentences, weak origin cues ("accounts in
Pakistan", "from Albania"). Sets Place.role to origin|origin_weak|target.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import gazetteer
from kg.extract.components.common import sent_end, sent_start
from kg.extract.components.places import Place

NOT_REGIONS = set(gazetteer.cue("month")) | set(gazetteer.cue("language")) | set(gazetteer.demonyms())
SCAN_LIMIT = 30  # tokens a cue reaches forward
STOP_WORDS = {"that", "which", "who", "whose", "while", "but", "although", "because", "when", "where",
              "after", "before", "since", "until", "whereas", "to", "with", "for", "by", "said", "says", "about"}
STOP_PUNCT = {".", ";", ":", "!", "?", "\u201c", "\u201d", '"'}
DASHES = {"\u2014", "\u2013", "--", "(", ")"}
NETWORK_NOUNS = {"network", "networks", "operation", "operations", "campaign", "campaigns", "accounts", "account",
                 "actors", "actor", "troll", "trolls", "operators", "cluster", "activity", "pages", "groups",
                 "individuals", "people", "entities", "assets", "persona", "personas", "profiles"}
SCAN_STOP_NOUNS = {"accounts", "account", "network", "pages", "groups", "operation", "campaign"}
WEAK_ORIGIN_HEADS = {"from", "out"}
BASED_WORDS = {"based", "linked", "origin", "run", "operated"}
KEEP_VERBS = {"including", "include", "includes", "based"}
LIST_FILLERS = {"the", "state", "of", "country", "and", ",", "in", "region", "province"}
ITEM_LEAD = 4  # tokens of numbering and markup allowed before a country that labels a list item
OPERATING_PEOPLE = {"people", "individuals", "persons"}
PEOPLE_FILLERS = {"some", "a", "group", "groups", "of", "few", "handful", "several", "small", "number", "the"}
TARGET_LEADS = {"at", "on", "to", "towards", "toward", "for", "among", "reach", "influence"}
SUBJECT_REACH = 8  # tokens after "people in X" in which "ran", "operated", "were behind" makes them the operators
LESSER = ("to a lesser extent", "to a lesser degree", "to a smaller extent")  # "X and, to a lesser extent, Y"


def scan(doc: Doc, start: int, stop_at: set[int], has_pos: bool, limit: int = SCAN_LIMIT) -> list[int]:
    """Token indexes from `start` to the end of the clause (a coordinated list of places)."""
    found = []
    skip_to = start
    for i in range(start, min(sent_end(doc, start), start + limit)):
        tok = doc[i]
        if i < skip_to:
            continue
        if tok.lower_ == "to" and _lesser(doc, i):
            skip_to = i + 4
            continue
        if i in stop_at or tok.text in STOP_PUNCT or tok.lower_ in STOP_WORDS or tok.lower_ in SCAN_STOP_NOUNS:
            break
        if has_pos and tok.tag_[:2] in ("VB", "MD") and tok.lower_ not in KEEP_VERBS and i > start:
            break
        found.append(i)
    return found


def _lesser(doc: Doc, i: int) -> bool:
    """'to a lesser extent' starting at token i: the list of targets goes on after it."""
    return doc[i:i + 4].text.lower() in LESSER


def assign_roles(doc: Doc, has_pos: bool) -> None:
    """Set Place.role for every place in doc._.iokg_places from the cues around it."""
    places = {p.start: p for p in doc._.iokg_places if p.kind != "macro"}
    taken = {i for p in doc._.iokg_places for i in range(p.start, p.end)}
    taken |= {i for s, e, _ in (doc._.iokg_actors or []) for i in range(s, e)}
    taken |= {i for s, e, _ in (doc._.iokg_platforms or []) for i in range(s, e)}
    cues = doc._.iokg_cues or []
    cue_starts = {s for s, _, label in cues if label in ("origin_strong", "target", "removal", "attribution")}
    attribution_ends = {e for _, e, label in cues if label == "attribution"}
    target_ends = {e for _, e, label in cues if label == "target"}
    operator_verbs = {s for s, _, label in cues if label == "operator_verb"}
    for start, end, label in cues:
        role = {"origin_strong": "origin", "target": "target"}.get(label)
        if role == "target" and _operating_people(doc, start, end, attribution_ends, operator_verbs, target_ends):
            role = "origin"  # "run by people in Peru", "people in Peru ran the Pages": where it ran from
        if role and end < len(doc) and not doc[end].is_punct:
            covered = scan(doc, end, cue_starts, has_pos)
            for i in covered:
                if i in places and places[i].role is None:
                    places[i].role = role
            if role == "target":
                _named_regions(doc, covered, taken)
        elif label == "attribution" and end in places and places[end].kind == "country" and places[end].role is None:
            places[end].role = "origin"  # "operations linked to Russia": the country it was run from
        elif label == "attribution" and end in places and _people_demonym(places[end]):
            for i in scan(doc, end, cue_starts, has_pos):  # "run by Ghanaians and Nigerians": where it ran from
                if i in places and places[i].role is None and _people_demonym(places[i]):
                    places[i].role = "origin"
    for place in places.values():  # "individuals in Peru were behind it", "managed by individuals in Peru"
        k = place.start
        if k >= 2 and doc[k - 1].lower_ in ("in", "from") and place.role != "origin" \
                and _operating_people(doc, k - 2, k, attribution_ends, operator_verbs, target_ends):
            place.role = "origin"
        elif place.role is None and _people_demonym(place) and _operating_people(
                doc, place.start, place.end, attribution_ends, operator_verbs, target_ends, frozenset({place.start})):
            place.role = "origin"  # "Russians were behind it"
    in_place = {i for p in doc._.iokg_places for i in range(p.start, p.end)}
    for place in places.values():
        if place.role is None:
            place.role = _local_role(doc, place, in_place)


def _people_demonym(place) -> bool:
    """'Ghanaians', 'Israelis': a plural demonym naming people of a country."""
    return place.kind == "demonym" and place.text.endswith("s") and place.text[:-1] in gazetteer.demonyms()


def _operating_people(doc: Doc, start: int, end: int, attribution_ends: set[int], operator_verbs: set[int],
                      target_ends: set[int], demonym_people: frozenset[int] = frozenset()) -> bool:
    """'people in X' (a target cue) that names who ran the network: after 'by' or an attribution cue
    ('run by people in Peru', 'linked to a group of individuals in Peru'), or the subject of an
    operator verb ('people in Peru ran the Pages', '... were behind it')."""
    if doc[start].lower_ not in OPERATING_PEOPLE and not (start in demonym_people):
        return False
    lead = start
    while lead > 0 and doc[lead - 1].lower_ in PEOPLE_FILLERS:
        lead -= 1
    if lead in attribution_ends or lead > 0 and doc[lead - 1].lower_ == "by":
        return True
    before = doc[lead - 1].lower_ if lead > 0 else ""
    if before in TARGET_LEADS or lead in target_ends:
        return False  # "aimed at people in Chile"
    stop = min(sent_end(doc, end), end + SUBJECT_REACH)
    for i in range(end, stop):
        if i in operator_verbs or doc[i].lower_ in ("behind", "ran", "operated", "managed", "created", "controlled"):
            return True
        if doc[i].text in (";", ":") or doc[i].lower_ in ("targeted", "targeting", "aimed", "focused"):
            return False
    return False


def _named_regions(doc: Doc, covered: list[int], taken: set[int]) -> None:
    """'focusing on the mayoral election in Santa Tecla': a capitalised place name after 'in' in a
    target clause, known to no gazetteer, is a sub-national target region."""
    covered_set = set(covered)
    for i in covered:
        if doc[i].lower_ != "in" or i + 1 >= len(doc) or i + 1 in taken or i + 1 not in covered_set:
            continue
        end = i + 1
        while end < len(doc) and end in covered_set and doc[end].text[:1].isupper() and doc[end].is_alpha and end not in taken:
            end += 1
        if end > i + 1 and doc[i + 1].text not in NOT_REGIONS:
            doc._.iokg_places.append(Place(i + 1, end, "", "region", doc[i + 1:end].text, role="target"))
            taken.update(range(i + 1, end))


def _local_role(doc: Doc, place, in_place: set[int]) -> str | None:
    """Roles read from the immediate neighbourhood: 'Russia-based', 'a Russian network', 'from Albania'."""
    after = [t.lower_ for t in doc[place.end:place.end + 2]]
    if after[:1] in (["-"], ["\u2013"]) and after[1:] and after[1] in BASED_WORDS:
        return "origin"
    if _item_label(doc, place):
        return "origin"  # "China: a long-running network that targeted ...": a summary item named by its origin
    if place.kind == "demonym" and after[:1] and after[0] in NETWORK_NOUNS:
        return "origin_weak"
    i = place.start - 1
    while i >= max(0, place.start - 8):
        word = doc[i].lower_
        if word in WEAK_ORIGIN_HEADS:
            return "origin_weak"
        if word == "in" and i > 0 and doc[i - 1].lower_ in NETWORK_NOUNS:
            return "origin_weak"
        if word not in LIST_FILLERS and i not in in_place:
            return None
        i -= 1
    return None


def _item_label(doc: Doc, place) -> bool:
    """A country that labels a list item: first in its sentence (after any numbering), then ':' and a network noun."""
    if doc[place.end:place.end + 1].text != ":":
        return False
    start, end = sent_start(doc, place.start), sent_end(doc, place.start)
    if place.start - start > ITEM_LEAD or any(not (t.is_punct or t.like_num or t.is_space) for t in doc[start:place.start]):
        return False
    return any(t.lower_ in ("network", "operation", "campaign") for t in doc[place.end:min(end, place.end + 8)])


@Language.factory("iokg_roles", assigns=["doc._.iokg_places"], requires=["doc._.iokg_places", "doc._.iokg_cues"])
def make_roles(nlp: Language, name: str):
    """Assign origin/target roles to places; uses POS tags to end clauses when a tagger ran."""
    has_pos = "tagger" in nlp.pipe_names or "morphologizer" in nlp.pipe_names

    def roles(doc: Doc) -> Doc:
        assign_roles(doc, has_pos)
        return doc

    return roles
