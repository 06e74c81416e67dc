"""Component `iokg_orgs`: organisations named after attribution and discovery cues, typed from context.

"links to Leanga Software, a social media management company in Spain" → (Leanga Software,
pr-marketing, ES); "on behalf of the ARENA party in El Salvador" → (ARENA, political, SV);
"a tip from the FBI" → discovery. Known actors come from the gazetteer; new ones from statistical
NER when a model ran, else from capitalised word sequences. Writes `doc._.iokg_orgs`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from kg.extract import gazetteer
from kg.extract.components.attribution import cities, city_country, described_name, through_people
from kg.extract.components.common import sent_end, sent_start
from kg.extract.people import acronym_map

WINDOW = 14  # tokens after a cue in which a known organisation must start
NEW_NAME_WINDOW = 6  # tokens after a cue in which a new (unknown) name must start
APPOSITIVE_WINDOW = 12
LOCATED_REACH = 16  # tokens after a name searched for 'in <country>' when nothing closer gives one
FIRM_WORDS = {"Partners", "Associates", "Sons", "Company", "Co", "Co.", "Brothers", "Friends", "Daughters", "Partner"}
NAME_JOINERS = {"de", "des", "del", "du", "of", "for", "la", "le", "al", "el", "-", "&", "the", "pour", "et", "y", "para",
                "por", "da", "do", "dos", "das", "di", "von", "van", "der", "on"}
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
        if (tok.text[:1].isupper() and tok.is_alpha or tok.text[:1].isupper() and tok.text.isupper() or _camel(tok)) \
                and not (i > 0 and doc[i - 1].text in ("-", "\u2013") and doc[i - 1].idx == tok.idx - 1):
            j = i + 1
            while j < end_of_sent:
                k = j
                while k < end_of_sent and doc[k].lower_ in NAME_JOINERS and k - j < 2:
                    k += 1
                if k < end_of_sent and (doc[k].text[:1].isupper() and (doc[k].is_alpha or doc[k].text.isupper())
                                        or _elided(doc[k].text)):
                    j = k + 1
                else:
                    break
            return i, _through_and(doc, j, end_of_sent, i)
        if tok.text in (".", ";"):
            return None
        i += 1
    return None


def _camel(tok) -> bool:
    """'aRep', 'eBay': a lower-case letter, then a capital, as the start of a brand name."""
    return tok.is_alpha and len(tok.text) > 2 and tok.text[0].islower() and tok.text[1].isupper()


def _elided(text: str) -> bool:
    """"l'Investissement", "d'Ivoire": an elided French article inside a name."""
    return len(text) > 2 and text[:2].lower() in ("l'", "d'", "l\u2019", "d\u2019") and text[2:3].isupper()


def _through_and(doc: Doc, j: int, end_of_sent: int, start: int | None = None) -> int:
    """A name goes on over 'and' when an acronym closes it ('Center for Research and Information (CRI)'),
    when a firm word follows ('Smith and Partners'), or inside a descriptive name ('Ministry of
    Information and Communications'); 'Andes Digital and Sur Media' are two names."""
    if j >= end_of_sent or doc[j].lower_ not in ("and", "&"):
        return j
    k = j + 1
    while k < end_of_sent and (doc[k].is_title or doc[k].lower_ in NAME_JOINERS and doc[k + 1:k + 2].text.istitle()):
        k += 1
    if k == j + 1:
        return j
    if _acronym(doc, k) or doc[j + 1].text in FIRM_WORDS:
        return k
    descriptive = start is not None and any(t.lower_ in ("of", "for") for t in doc[start:j])
    known = _known_tokens(doc)
    return k if descriptive and k - j <= 2 and j + 1 not in known else j


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
    lead = re.sub(r"\s+(?:based\s+)?(?:in|from)\s+(?:the\s+)?[A-Z][\w\s-]*$", "", _bare(before.text))  # "a PR firm in Egypt,"
    located_before = _country_in(before, places) if lead != _bare(before.text) and _org_type(lead, suffix=True) else None
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
    country = country or _country_in(_located(doc, end, sent.end), places, prefer_any=("in", "of"))
    if country is None and appositive:
        country = city_country(doc, after.start, _appositive_end(after))  # "X, a Quito-based agency,"
    if country is None and _org_type(lead, suffix=True):
        country = city_country(doc, before.start, before.end)  # "a Quito agency, X"
    return category, country


def _bare(text: str) -> str:
    """'a marketing consultancy, the' → 'a marketing consultancy': the words before a name without its article."""
    return re.sub(r"(?:[\s,]+(?:the|a|an))?[\s,]*$", "", text)


def _appositive_end(after) -> int:
    """The end of the appositive ', a Quito agency,' that opens `after` (its closing comma or the span end)."""
    return next((t.i for t in after[1:] if t.text in (",", ";", ".", ")")), after.end)


def _located(doc: Doc, end: int, limit: int):
    """The words after a name up to the next verb or relative clause ('... at the Ministry of ICT in Uganda')."""
    stop = end
    while stop < min(limit, end + LOCATED_REACH) and doc[stop].tag_ not in ("VBD", "VBZ", "VBP", "MD") \
            and doc[stop].lower_ not in ("which", "who", "that", "targeted", "targeting", ";", "and", "or", ","):
        stop += 1
    return doc[end:stop]


def _org_type(text: str, suffix: bool = False) -> str | None:
    """The category of the first organisation-type noun in `text` (or the one it ends with)."""
    lowered = re.sub(r"-(?=(?:led|run|backed|linked|controlled|owned|affiliated|aligned)\b)", " ", text.lower())
    lowered = " " + " ".join(re.sub(r"[^\w\s-]", " ", lowered).split()) + " "  # "military-led agency": military
    best = None  # (position, -length, category): the first type noun in the text, the longest at that place
    for noun, category in gazetteer.org_types():
        needle = f" {noun.lower()}"
        if suffix:
            if lowered.rstrip().endswith(needle):
                return category
        elif (at := lowered.find(needle + " ")) >= 0 and (best is None or (at, -len(needle)) < best[:2]):
            best = (at, -len(needle), category)
    return best[2] if best else None


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
    if start < 0 or doc[start].text != "Reporting":
        return False
    if start > 0 and doc[start - 1].text in ("(", "["):
        return True
    rest = doc[start:sent_end(doc, start)].text
    return start == sent_start(doc, start) and any(w in rest for w in ("Editing by", "Writing by", "; editing", "Additional reporting"))


def find_org(doc: Doc, cue_end: int, role: str, actors: dict, ents: dict, depth: int = 0) -> OrgMention | None:
    """The organisation a cue points at: a known actor, a named entity or a capitalised name; past the
    people who work for it ('individuals associated with X' gives X)."""
    limit = min(sent_end(doc, cue_end), cue_end + WINDOW)
    if role == "discovery" and _credit_line(doc, cue_end):
        return None
    places, platforms, known = _token_sets(doc, actors)
    state = _state_actor(doc, cue_end) if role == "operator" else None
    if state:
        return state
    employer = through_people(doc, cue_end) if role == "operator" and depth == 0 else None
    if employer is not None:
        org = find_org(doc, employer, role, actors, ents, depth + 1)
        if org is not None:
            return org
    described = described_name(doc, cue_end, limit)
    if described and not any(i in actors for i in range(cue_end, described[1])):
        named = capitalised_name(doc, described[1], described[1] + 1)
        if named and named[0] not in places and named[0] not in known and not _is_person(doc, named[0]):
            return _typed(doc, *named, role, ents)
    for i in range(cue_end, limit):
        if i in actors:
            s, e, actor = actors[i]
            if (actor.role == "researcher") != (role == "discovery"):
                continue
            longer = capitalised_name(doc, s, s + 1)
            e = max(e, longer[1]) if longer and longer[0] == s else e  # "Structura National Technology" for "Structura"
            category, country = type_from_context(doc, s, e)
            return OrgMention(s, e, actor.name, role, actor.category or category, actor.country or country,
                              actor.aliases, known=True)
        if doc[i].lower_ in UNNAMED and role == "operator" and not _named_before(doc, cue_end, i, places):
            return _individuals(doc, i, limit)
        if doc[i].text in (".", ";", "|") or (i > cue_end and doc[i].lower_ in ("which", "who")):
            limit = i
            break
    span = capitalised_name(doc, cue_end, min(limit, cue_end + NEW_NAME_WINDOW))
    while span and (span[0] in places or span[0] in platforms) and not _place_in_name(doc, span, places):
        span = (span[0] + 1, span[1]) if span[1] > span[0] + 1 else capitalised_name(doc, span[1], limit)
    if not span or span[0] in known or doc[span[0]].text in MONTHS or _is_person(doc, span[0]):
        return None
    s, e = span
    if doc[s:e].text in cities() or not plausible_name(doc, s, e):
        return None  # "a Tel Aviv company": a city describing an organisation the sentence does not name
    if doc[e:e + 2].text.replace(" ", "") in ("-based", "–based") or doc[e:e + 1].text.lower() == "-based":
        return None  # "a Lima-based consultancy": a place describing an organisation the sentence does not name
    if e < len(doc) and doc[e].text in ("'s", "\u2019s") and e + 1 < limit and doc[e + 1].text[:1].isupper() \
            and _typed_after_possessive(doc, e + 1, limit):
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
    return _typed(doc, s, e, role, ents)


def _typed(doc: Doc, s: int, e: int, role: str, ents: dict) -> OrgMention | None:
    """A new organisation named doc[s:e], typed from its context; None for an untyped person's name."""
    if s in ents:  # the statistical NER knows where a name ends ("Bee Interactive" vs "Bee")
        e = max(e, ents[s][1]) if ents[s][1] - s <= e - s + 2 else e
        e -= e - 1 > s and doc[e - 1].text in ("'s", "\u2019s")
    category, country = type_from_context(doc, s, e)
    spelled_out = acronym_map(doc.text, initials=False)
    if category is None and doc[s:e].text in spelled_out:
        category = gazetteer.name_words().get(spelled_out[doc[s:e].text].split()[-1])  # "the AKP"
    aliases = _acronym(doc, e)
    if category is None and not aliases and doc[s].ent_type_ == "PERSON":
        return None  # an untyped person name (a candidate, a politician) is not an operator
    return OrgMention(s, e, doc[s:e].text, role, category, country, aliases)


def plausible_name(doc: Doc, s: int, e: int) -> bool:
    """Not a people word ('Ghanaians', 'Russia-Linked Individuals'), not a generic word ('Other')."""
    last = doc[e - 1].text
    if last.lower() in PEOPLE_WORDS or last.lower() in GENERIC_WORDS and e - s == 1:
        return False
    demonyms = gazetteer.demonyms()
    return not (e - s == 1 and (last[:-1] in demonyms or last[:-2] in demonyms or last in demonyms))


PEOPLE_WORDS = {"individuals", "people", "persons", "users", "citizens", "nationals", "residents", "activists"}
GENERIC_WORDS = {"other", "others", "various", "several", "unknown", "none", "n/a", "unnamed", "some", "all"}


def _typed_after_possessive(doc: Doc, i: int, limit: int) -> bool:
    """'Ilan Shor's Shor party' (an organisation follows) vs "Clemson University's Darren Linvill" (a person)."""
    named = capitalised_name(doc, i, i + 1)
    if named is None or doc[named[0]].ent_type_ == "PERSON":
        return False
    nxt = doc[named[1]:min(limit, named[1] + 3)].text
    return _org_type(nxt) is not None or gazetteer.name_words().get(doc[named[1] - 1].text) is not None


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
    acronym = doc[rest[0]].text.isupper() if rest else False  # "Iranian IRGC" → IRGC; "Belarusian KGB" stays whole
    return bool(rest) and rest[0] > span[0] and _description_end(doc, rest[0], span[1] + 3) is None and \
        doc[span[0]].ent_type_ != "GPE" and not (acronym and rest[0] in _known_tokens(doc))


def _known_tokens(doc: Doc) -> set[int]:
    """Tokens inside known actors, cached on the Doc."""
    if "iokg_org_known" not in doc.user_data:
        doc.user_data["iokg_org_known"] = {i for s, e, _ in doc._.iokg_actors or [] for i in range(s, e)}
    return doc.user_data["iokg_org_known"]


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
    owner = doc[place.end].text in ("'s", "\u2019s") if place.end < len(doc) else False  # "Armenia's government"
    rest = " ".join(t.lower_ for t in doc[place.end + owner:place.end + owner + 3])
    for noun in sorted(gazetteer.cue("state_noun"), key=len, reverse=True):  # "military intelligence" before "military"
        if rest == noun or rest.startswith(noun + " "):
            category = "government" if noun in GOVERNMENT_NOUNS else "state-linked"
            end = place.end + owner + len(noun.split())
            if end < len(doc) and doc[end].lower_ in NOT_THE_STATE:
                return None  # "the Russian state broadcaster", "Russian state actors": not the state itself
            owned = _possessed(doc, end)
            if owned:  # "the Thai military's Internal Security Operations Command"
                return OrgMention(*owned, doc[owned[0]:owned[1]].text, "operator", "state-linked", place.code)
            return OrgMention(place.start, end, doc[place.start:end].text, "operator", category, place.code)
    return None


NOT_THE_STATE = {"broadcaster", "broadcasters", "media", "outlet", "outlets", "television", "tv", "news", "newspaper",
                 "channel", "channels", "actors", "actor", "narratives", "interests", "messaging", "-", "\u2013"}


def _possessed(doc: Doc, end: int) -> tuple[int, int] | None:
    """"'s Internal Security Operations Command": the named unit a state owns."""
    if end + 1 < len(doc) and doc[end].text in ("'s", "\u2019s") and doc[end + 1].text[:1].isupper():
        return capitalised_name(doc, end + 1, end + 2)
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
    return any(doc[k].text[:1].isupper() and doc[k].is_alpha and k not in places for k in range(start, end))


def _acronym(doc: Doc, end: int) -> tuple[str, ...]:
    """'Centre Médiatique Moderne des Comores (CMMC)': the acronym in brackets right after a name."""
    if doc[end:end + 1].text == "(" and doc[end + 2:end + 3].text == ")" and doc[end + 1].text.isupper():
        return (doc[end + 1].text,)
    return ()
