"""Component `iokg_orgs`: organisations named after attribution and discovery cues, typed from context.

"links to Leanga Software, a social media management company in Spain" → (Leanga Software,
pr-marketing, ES); "on behalf of the ARENA party in El Salvador" → (ARENA, political, SV);
"a tip from the FBI" → discovery. Known actors come from the gazetteer; new ones from statistical
NER when a model ran, else from capitalised word sequences. Writes `doc._.iokg_orgs`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import gazetteer
from kg.extract.components.common import doc_extension, sent_end, sent_start
from kg.extract.people import acronym_map

WINDOW = 14  # tokens after a cue in which a known organisation must start
NEW_NAME_WINDOW = 6  # tokens after a cue in which a new (unknown) name must start
APPOSITIVE_WINDOW = 12
MAX_CONJOINED = 4  # organisations one attribution cue can name in a list
LOCATED_REACH = 16  # tokens after a name searched for 'in <country>' when nothing closer gives one
CONJOINED_REACH = 10  # tokens after a name in which "and"/"including" may join the next one
NAME_JOINERS = {"de", "des", "del", "du", "of", "for", "la", "le", "al", "el", "-", "&", "the"}
PERSON_TITLES = {"president", "prime", "minister", "senator", "candidate", "mayor", "governor", "mr", "ms", "dr"}
UNNAMED = {"individuals", "people", "persons"}
MONTHS = set(gazetteer.cue("month"))
GOVERNMENT_NOUNS = {"government", "authorities", "regime", "law enforcement", "police", "ministry"}
STATE_LEADS = ("members of", "employees of", "individuals in", "individuals within", "people in", "officials in",
               "officials of", "individuals associated with", "people associated with", "elements of", "a unit of", "units of",
               "a unit within", "a branch of", "parts of")


@dataclass
class OrgMention:
    """An organisation after a cue: role 'operator' or 'discovery', with category, country, aliases."""

    start: int
    end: int
    name: str
    role: str
    category: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()
    known: bool = False


def capitalised_name(doc: Doc, start: int, limit: int) -> tuple[int, int] | None:
    """The first run of capitalised words ("Centre Médiatique Moderne des Comores") from `start`."""
    end_of_sent = sent_end(doc, start)
    i = start
    while i < min(limit, end_of_sent):
        tok = doc[i]
        if tok.text[:1].isupper() and tok.is_alpha or tok.text[:1].isupper() and tok.text.isupper():
            j = i + 1
            while j < end_of_sent:
                k = j
                while k < end_of_sent and doc[k].lower_ in NAME_JOINERS and k - j < 2:
                    k += 1
                if k < end_of_sent and doc[k].text[:1].isupper() and (doc[k].is_alpha or doc[k].text.isupper()):
                    j = k + 1
                else:
                    break
            return i, _through_and(doc, j, end_of_sent)
        if tok.text in (".", ";"):
            return None
        i += 1
    return None


def _through_and(doc: Doc, j: int, end_of_sent: int) -> int:
    """'Center for Research and Information (CRI)': a name goes on over 'and' when an acronym closes it."""
    if j >= end_of_sent or doc[j].lower_ != "and":
        return j
    k = j + 1
    while k < end_of_sent and (doc[k].is_title or doc[k].lower_ in NAME_JOINERS and doc[k + 1:k + 2].text.istitle()):
        k += 1
    return k if k > j + 1 and _acronym(doc, k) else j


def type_from_context(doc: Doc, start: int, end: int) -> tuple[str | None, str | None]:
    """(category, country) from the appositive after a name or the description just before it."""
    places = _place_starts(doc)
    sent = doc[sent_start(doc, start):sent_end(doc, start)]
    last_word = doc[end - 1].text
    if _acronym(doc, end):
        end += 3  # skip "(CMMC)"
    after = doc[end:min(sent.end, end + APPOSITIVE_WINDOW)]
    before = doc[max(sent.start, start - 6):start]
    appositive = after.text[:1] in (",", "(") and after[1:2].text.lower() not in ("and", "or", "but", "which", "who", "that")
    type_after = bool(after.text) and _org_type(after[:2].text) is not None  # "the ARENA party in El Salvador"
    category = _org_type(after.text) if appositive or type_after else None
    lead = re.sub(r"\s+(?:based\s+)?(?:in|from)\s+(?:the\s+)?[A-Z][\w\s-]*$", "", before.text.rstrip(" ,"))  # "a PR firm in Egypt,"
    located_before = _country_in(before, places) if lead != before.text.rstrip(" ,") and _org_type(lead, suffix=True) else None
    for word in (" called", " named", " known as"):
        lead = lead[: -len(word)].rstrip(" ,") if lead.endswith(word) else lead
    category = (category or _org_type(lead, suffix=True) or gazetteer.name_words().get(last_word)
                or gazetteer.lead_words().get(doc[start].text))
    country = located_before or (_country_in(after, places, prefer="based") if appositive else None)
    if country is None and (category and appositive or type_after):
        country = _country_in(after, places)
    if country is None and after[:1].text in ("in", "from", "based"):
        country = _country_in(after[:4], places)  # "a marketing company called Orbit Nine in Kenya"
    country = country or _country_in(before, places) or _country_in(doc[start:start + 1], places)
    return category, country or _country_in(_located(doc, end, sent.end), places, prefer_any=("in", "of"))


def _located(doc: Doc, end: int, limit: int):
    """The words after a name up to the next verb or relative clause ('... at the Ministry of ICT in Uganda')."""
    stop = end
    while stop < min(limit, end + LOCATED_REACH) and doc[stop].tag_ not in ("VBD", "VBZ", "VBP", "MD") \
            and doc[stop].lower_ not in ("which", "who", "that", "targeted", "targeting", ";"):
        stop += 1
    return doc[end:stop]


def _org_type(text: str, suffix: bool = False) -> str | None:
    """The category of the first organisation-type noun in `text` (or the one it ends with)."""
    lowered = " " + " ".join(re.sub(r"[^\w\s-]", " ", text.lower()).split()) + " "
    for noun, category in gazetteer.org_types():
        needle = f" {noun.lower()}"
        if (lowered.rstrip().endswith(needle) if suffix else needle + " " in lowered):
            return category
    return None


def _country_in(span, places: dict, prefer: str | None = None, prefer_any: tuple[str, ...] = ()) -> str | None:
    """The first country in the span; with `prefer`, only one introduced by '<prefer> in' ('based in');
    with `prefer_any`, only a country name right after one of those words ('in Uganda')."""
    codes = [(p, doc_i) for doc_i in range(span.start, span.end) if (p := places.get(doc_i))]
    if prefer_any:
        return next((p.code for p, i in codes if p.kind == "country" and i >= 1 and span.doc[i - 1].lower_ in prefer_any), None)
    if prefer:
        return next((p.code for p, i in codes if i >= 2 and span.doc[i - 1].lower_ == "in"
                     and span.doc[i - 2].lower_ == prefer), None)
    return codes[0][0].code if codes else None


def _credit_line(doc: Doc, cue_end: int) -> bool:
    """'(Reporting by Jane Doe; Editing by ...)': a news agency's byline, not research that found a network."""
    start = cue_end - 2
    return start >= 0 and doc[start].text == "Reporting" and (start == sent_start(doc, start) or doc[start - 1].text in ("(", "["))


def find_org(doc: Doc, cue_end: int, role: str, actors: dict, ents: dict) -> OrgMention | None:
    """The organisation a cue points at: a known actor, a named entity or a capitalised name."""
    limit = min(sent_end(doc, cue_end), cue_end + WINDOW)
    if role == "discovery" and _credit_line(doc, cue_end):
        return None
    places, platforms, known = _token_sets(doc, actors)
    state = _state_actor(doc, cue_end) if role == "operator" else None
    if state:
        return state
    for i in range(cue_end, limit):
        if i in actors:
            s, e, actor = actors[i]
            if (actor.role == "researcher") != (role == "discovery"):
                continue
            category, country = type_from_context(doc, s, e)
            return OrgMention(s, e, actor.name, role, actor.category or category, actor.country or country,
                              actor.aliases, known=True)
        if doc[i].lower_ in UNNAMED and role == "operator" and not _named_before(doc, cue_end, i, places):
            return _individuals(doc, i, limit)
        if doc[i].text in (".", ";") or (i > cue_end and doc[i].lower_ in ("which", "who")):
            limit = i
            break
    span = capitalised_name(doc, cue_end, min(limit, cue_end + NEW_NAME_WINDOW))
    while span and (span[0] in places or span[0] in platforms) and not _place_in_name(doc, span, places):
        span = (span[0] + 1, span[1]) if span[1] > span[0] + 1 else capitalised_name(doc, span[1], limit)
    if not span or span[0] in known or doc[span[0]].text in MONTHS or _is_person(doc, span[0]):
        return None
    s, e = span
    if doc[e:e + 2].text.replace(" ", "") in ("-based", "–based") or doc[e:e + 1].text.lower() == "-based":
        return None  # "a Lima-based consultancy": a place describing an organisation the sentence does not name
    if e < len(doc) and doc[e].text in ("'s", "\u2019s") and e + 1 < limit and doc[e + 1].text[:1].isupper():
        s, e = capitalised_name(doc, e + 1, e + 2) or (s, e)  # "Ilan Shor's Shor party": the party, not the person
    d0 = cue_end + (doc[cue_end].lower_ in ("a", "an", "the"))
    d_end = _description_end(doc, d0, limit) if d0 < s else None
    if d_end and doc[d_end:d_end + 1].text in ("in", "from", "based", ",", "called", "named"):
        s = d0  # "a media company in Tehran, Pars Today": the description comes first, the name after it
    described = _description_end(doc, s, limit)
    if described and doc[s].is_title and doc[described - 1].is_title and described < e:
        described = None  # "the Government Citizens Interaction Centre": a title-case type word starts the name
    if described:
        if doc[described:described + 1].text in ("in", "from", "based"):  # "a PR firm in Egypt, New Waves"
            k = described + 1 + (doc[described].text == "based")
            while k < limit and (k in places or doc[k].lower_ in ("the", "in") or doc[k].is_title and doc[k].is_alpha):
                k += 1  # "in Egypt", "in Tehran": a known country or a city the gazetteer does not list
            described = k if k < limit and doc[k].text == "," and k > described + 1 else described
        while described < limit and doc[described].lower_ in (",", "called", "named", "known", "as"):
            described += 1  # "a Tunisia-based PR firm, UReputation" / "a company called X"
        named = capitalised_name(doc, described, min(limit, described + 1))
        if not named:
            return None
        s, e = named
    if s in ents:  # the statistical NER knows where a name ends ("Bee Interactive" vs "Bee")
        e = max(e, ents[s][1]) if ents[s][1] - s <= e - s + 2 else e
    category, country = type_from_context(doc, s, e)
    spelled_out = acronym_map(doc.text, initials=False)
    if category is None and doc[s:e].text in spelled_out:
        category = gazetteer.name_words().get(spelled_out[doc[s:e].text].split()[-1])  # "the AKP"
    aliases = _acronym(doc, e)
    if category is None and not aliases and doc[s].ent_type_ == "PERSON":
        return None  # an untyped person name (a candidate, a politician) is not an operator
    return OrgMention(s, e, doc[s:e].text, role, category, country, aliases)


def _place_starts(doc: Doc) -> dict:
    """Countries and demonyms by start token, cached on the Doc."""
    if "iokg_org_places" not in doc.user_data:
        doc.user_data["iokg_org_places"] = {p.start: p for p in doc._.iokg_places if p.kind in ("country", "demonym")}
    return doc.user_data["iokg_org_places"]


def _token_sets(doc: Doc, actors: dict) -> tuple[set[int], set[int], set[int]]:
    """Tokens inside places (not regions), platforms and known actors, cached on the Doc."""
    if "iokg_org_tokens" not in doc.user_data:
        doc.user_data["iokg_org_tokens"] = (
            {i for p in doc._.iokg_places if p.kind != "region" for i in range(p.start, p.end)},
            {i for s, e, _ in doc._.iokg_platforms for i in range(s, e)},
            {i for s, e, _ in actors.values() for i in range(s, e)})
    return doc.user_data["iokg_org_tokens"]


def _place_in_name(doc: Doc, span: tuple[int, int], places: set[int]) -> bool:
    """'Nigerian Youth Party' keeps its demonym; 'Italian PR firm X' and a bare 'Iran' do not."""
    rest = [i for i in range(span[0], span[1]) if i not in places]
    return bool(rest) and rest[0] > span[0] and _description_end(doc, rest[0], span[1] + 3) is None and \
        doc[span[0]].ent_type_ != "GPE" and not doc[rest[0]].text.isupper()


def _is_person(doc: Doc, start: int) -> bool:
    """Politicians and candidates are never operators: a title before or at the name, or NER PERSON."""
    return doc[max(start - 1, 0)].lower_ in PERSON_TITLES or doc[start].lower_ in PERSON_TITLES


def _state_actor(doc: Doc, cue_end: int) -> OrgMention | None:
    """'linked to the Chinese government', 'attributed to Russian state actors': a state as operator."""
    words = [t.lower_ for t in doc[cue_end:cue_end + 4]]
    skip = next((len(lead.split()) for lead in STATE_LEADS if " ".join(words).startswith(lead + " ")), 0)
    i = cue_end + skip
    i += doc[i].lower_ == "the" if i < len(doc) else 0
    place = _place_starts(doc).get(i)
    if place is None:
        return _state_of(doc, i)
    rest = " ".join(t.lower_ for t in doc[place.end:place.end + 3])
    for noun in sorted(gazetteer.cue("state_noun"), key=len, reverse=True):  # "military intelligence" before "military"
        if rest == noun or rest.startswith(noun + " "):
            category = "government" if noun in GOVERNMENT_NOUNS else "state-linked"
            end = place.end + len(noun.split())
            return OrgMention(place.start, end, doc[place.start:end].text, "operator", category, place.code)
    return None


def _state_of(doc: Doc, i: int) -> OrgMention | None:
    """'the government of Nicaragua', 'the military of Myanmar': a state noun, 'of', then a country."""
    for noun in sorted(gazetteer.cue("state_noun"), key=len, reverse=True):
        size = len(noun.split())
        if " ".join(t.lower_ for t in doc[i:i + size]) == noun and doc[i + size:i + size + 1].text == "of":
            place = _place_starts(doc).get(i + size + 1)
            if place is None or place.kind != "country":
                return None
            category = "government" if noun in GOVERNMENT_NOUNS else "state-linked"
            return OrgMention(i, place.end, doc[i:place.end].text, "operator", category, place.code)
    return None


def _description_end(doc: Doc, start: int, limit: int) -> int | None:
    """'PR firm in ...' after a cue is a description, not a name: the index just after the type noun."""
    text = " ".join(t.lower_ for t in doc[start:min(limit, start + 5)])
    for noun, _ in gazetteer.org_types():
        if text.startswith(noun.lower() + " ") or text == noun.lower():
            return start + len(noun.split())
    return None


def _individuals(doc: Doc, i: int, limit: int) -> OrgMention | None:
    """'individuals in the state of Nayarit in Mexico': unnamed operators of category individuals."""
    if doc[i + 1:i + 2].text not in ("in", "from", "based"):
        return None
    by_start = {p.start: p for p in doc._.iokg_places}
    places = [by_start[k] for k in range(i + 1, limit) if k in by_start and by_start[k].kind != "macro"]
    if not places:
        return None
    country = next((p.code for p in places if p.kind != "region"), places[0].code)
    name = f"individuals in {places[0].text}"
    return OrgMention(i, places[0].end, name, "operator", "individuals", country)


def _named_before(doc: Doc, start: int, end: int, places: set[int]) -> bool:
    """Is there a capitalised name (not a place) between a cue and 'individuals'? ('linked to Yoyo Media, ..., and to individuals')."""
    return any(doc[k].is_title and doc[k].is_alpha and k not in places for k in range(start, end))


def _conjoined(doc: Doc, end: int) -> int | None:
    """'X and the Y party, including employees of Z': where the next conjoined organisation starts."""
    stop = min(sent_end(doc, end), end + CONJOINED_REACH)
    i = end
    while i < stop:
        word = doc[i].lower_
        if word in (".", ";", "which", "who", "that") or doc[i].tag_ in ("VBD", "VBZ", "VBP", "MD"):
            return None
        if word == "and" and i > end and doc[i - 1].is_title:
            return None  # "Ministry of Information and Communications": inside a name
        if word in ("and", "including") or (word == "as" and doc[i:i + 3].text.lower() == "as well as"):
            nxt = i + (3 if word == "as" else 1)
            while nxt < stop and doc[nxt].lower_ in ("the", "its", "their", ",", "to", "by", "with"):
                nxt += 1
            lead = " ".join(t.lower_ for t in doc[nxt:nxt + 3])
            if nxt < stop and (doc[nxt].text[:1].isupper() or lead.startswith(STATE_LEADS)):
                return i + (3 if word == "as" else 1)
            return None
        i += 1
    return None


def _acronym(doc: Doc, end: int) -> tuple[str, ...]:
    """'Centre Médiatique Moderne des Comores (CMMC)': the acronym in brackets right after a name."""
    if doc[end:end + 1].text == "(" and doc[end + 2:end + 3].text == ")" and doc[end + 1].text.isupper():
        return (doc[end + 1].text,)
    return ()


@Language.factory("iokg_orgs", requires=["doc._.iokg_cues", "doc._.iokg_actors", "doc._.iokg_places"])
def make_orgs(nlp: Language, name: str):
    """Find operators and discovery sources after cues; uses NER spans when the model has them."""
    doc_extension("iokg_orgs")

    def orgs(doc: Doc) -> Doc:
        actors = {s: (s, e, a) for s, e, a in doc._.iokg_actors}
        ents = {ent.start: (ent.start, ent.end) for ent in doc.ents if ent.label_ in ("ORG", "NORP", "FAC")}
        found = []
        for start, end, label in doc._.iokg_cues:
            role = {"attribution": "operator", "discovery": "discovery"}.get(label)
            if role and end < len(doc):
                org = find_org(doc, end, role, actors, ents)
                for _ in range(MAX_CONJOINED):
                    if org is None:
                        break
                    found.append(org)
                    after = _conjoined(doc, org.end)
                    org = find_org(doc, after, role, actors, ents) if after else None
        doc._.iokg_orgs = found
        return doc

    return orgs
