"""How `iokg_orgs` turns cues into mentions: every name of a list after one cue ("X in Peru and Y in
Chile"), the subject before a verb ("X ran the network", "Graphika alerted the company"), one mention
per span and role, and no operator that the document names as a researcher or tipper.

Built on the name finding in kg.extract.components.orgs (its helpers are shared within the component).
"""
from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import gazetteer
from kg.extract.components.attribution import (cities, name_before, possessor_end, subject_cues, subject_end,
                                               through_people)
from kg.extract.components.common import doc_extension, sent_end, sent_start
from kg.extract.components.orgs import (APPOSITIVE_WINDOW, MONTHS, STATE_LEADS, OrgMention, _is_person, _org_type,
                                        _place_in_name, _place_starts, _state_actor, _token_sets, _typed,
                                        capitalised_name, find_org, plausible_name, type_from_context)

MAX_CONJOINED = 4  # organisations one attribution cue can name in a list
CONJOINED_REACH = 16  # tokens after a name in which "and"/"including" may join the next one


def collect(doc: Doc) -> list[OrgMention]:
    """Every organisation the document's cues point at, and the subjects of operator and discovery verbs."""
    actors = {s: (s, e, a) for s, e, a in doc._.iokg_actors}
    ents = {ent.start: (ent.start, ent.end) for ent in doc.ents if ent.label_ in ("ORG", "NORP", "FAC")}
    found = []
    for start, end, label in doc._.iokg_cues:
        role = {"attribution": "operator", "discovery": "discovery"}.get(label)
        if role == "operator" and (_hyperlink(doc, start) or _describes_other(doc, start)):
            continue
        if role and end < len(doc):
            first = find_org(doc, end, role, actors, ents)
            if first is None and (skipped := _other_role_actor(doc, end, role, actors)):
                after = _conjoined(doc, skipped)  # "linked to Graphika (a researcher) and to Andes Digital"
                first = find_org(doc, after, role, actors, ents) if after else None
            found.extend(_listed(doc, first, role, actors, ents))
    for verb, role in subject_cues(doc):
        found.extend(_listed(doc, subject_org(doc, verb, role, actors, ents), role, actors, ents, forward=False))
    return distinct(found)


LINKING_NOUNS = {"posts", "post", "content", "articles", "article", "links", "tweets", "messages", "videos", "stories",
                 "urls", "comments", "memes", "pieces"}


def _hyperlink(doc: Doc, cue: int) -> bool:
    """'posts linked to outlets such as X': content that links to a website, not an attribution."""
    return cue > 0 and doc[cue].lower_ in ("linked", "links", "link", "linking") and doc[cue - 1].lower_ in LINKING_NOUNS


def _describes_other(doc: Doc, cue: int) -> bool:
    """'New Eastern Outlook, a journal funded by the Russian government': a cue inside an appositive
    describes the organisation named before it, not the network."""
    first = sent_start(doc, cue)
    if cue > 0 and (doc[cue - 1].lower_ in ("it", "they", "we", "which", "that", "who", "investigators", "researchers")
                    or doc[cue - 1].text[:1].isupper()):
        return False  # "The BL, a media company it tied to the Epoch Media Group": the reporter's own attribution
    for j in range(cue - 1, max(first, cue - APPOSITIVE_WINDOW) - 1, -1):
        if doc[j].tag_ in ("VBD", "VBZ", "VBP", "MD") or doc[j].text in (";", ":", ".", ","):
            return False
        if doc[j].lower_ in ("a", "an") and j - 1 > first and doc[j - 1].text == ",":
            before = doc[j - 2]
            return before.text[:1].isupper() or before.text == ")"
    return False


def _other_role_actor(doc: Doc, start: int, role: str, actors: dict) -> int | None:
    """The end of a known actor of the other role (a researcher after an attribution cue) at `start`."""
    start += start < len(doc) and doc[start].lower_ == "the"
    if start in actors and (actors[start][2].role == "researcher") != (role == "discovery"):
        return actors[start][1]
    return None


def _listed(doc: Doc, org: OrgMention | None, role: str, actors: dict, ents: dict, forward: bool = True) -> list[OrgMention]:
    """The organisation a cue found and the ones conjoined after it ('X in Peru and Y in Chile')."""
    found = []
    for _ in range(MAX_CONJOINED):
        if org is None:
            break
        found.append(org)
        after = _conjoined(doc, org.end) if forward else None
        org = find_org(doc, after, role, actors, ents) if after else None
    return found


def distinct(found: list[OrgMention]) -> list[OrgMention]:
    """One mention per span and role, in document order; an organisation the document names as a
    researcher or tipper is never also an operator."""
    unique = {(o.start, o.end, o.role): o for o in found}
    finders = {o.name for o in unique.values() if o.role == "discovery"}
    kept = [o for o in unique.values() if o.role == "discovery" or o.name not in finders]
    return sorted(kept, key=lambda o: (o.start, o.role))


def _conjoined(doc: Doc, end: int) -> int | None:
    """'X and the Y party, including employees of Z', 'X in Peru and Y in Chile', 'X, Y and Z': where
    the next conjoined organisation starts."""
    stop = min(sent_end(doc, end), end + CONJOINED_REACH)
    places = _place_starts(doc)
    i = end
    while i < stop:
        word = doc[i].lower_
        if word in ("which", "who") and doc[i - 1].text == "," and (close := _clause_end(doc, i, stop)):
            i = close  # "X, which owns Sputnik, and Y": past the relative clause
            continue
        if word in (".", ";", "which", "who", "that", "but", "while") or doc[i].tag_ in ("VBD", "VBZ", "VBP", "MD"):
            return None
        if word == "and" and i > end and doc[i - 1].is_title and not _located_word(doc, i - 1, places):
            return None  # "Ministry of Information and Communications": inside a name
        joiner = next((j for j in JOINERS if j.split()[0] == word and doc[i:i + len(j.split())].text.lower() == j), None)
        if joiner is None and word == "," and i == end:
            joiner = ","  # "X, Y and Z": a list of names (not "X, a PR firm")
        if joiner:
            nxt = i + len(joiner.split())
            while nxt < stop and doc[nxt].lower_ in ("the", "its", "their", ",", "to", "by", "with", "also"):
                nxt += 1
            lead = " ".join(t.lower_ for t in doc[nxt:nxt + 3])
            if nxt < stop and (doc[nxt].text[:1].isupper() or lead.startswith(STATE_LEADS) or _people_start(doc, nxt)):
                if joiner == "," and not _listed_name(doc, nxt, stop):
                    i += 1
                    continue
                return i + len(joiner.split())
            if joiner != ",":
                return None
        i += 1
    return None


def _clause_end(doc: Doc, i: int, stop: int) -> int | None:
    """The comma that closes a relative clause opened at i, if it closes before `stop`."""
    return next((k for k in range(i + 1, stop) if doc[k].text == ","), None)


JOINERS = ("as well as", "along with", "together with", "among them", "including", "and", "&")


def _located_word(doc: Doc, i: int, places: dict) -> bool:
    """Is token i a place after 'in'/'from' ('X in Peru and Y'), not part of a name?"""
    start = next((k for k in range(i, max(-1, i - 4), -1) if k in places and places[k].end > i), None)
    start = start if start is not None else (i if doc[i].text in cities() else None)
    return start is not None and start > 0 and doc[start - 1].lower_ in ("in", "from", "of", "based")


def _people_start(doc: Doc, i: int) -> bool:
    """'... and to people associated with Y': a conjoined group of people working for someone."""
    return through_people(doc, i) is not None


def _listed_name(doc: Doc, i: int, stop: int) -> bool:
    """After 'X,': a capitalised name followed by another comma or 'and'/'or' (a list, not an appositive)."""
    span = capitalised_name(doc, i, i + 1)
    return span is not None and span[1] < stop and doc[span[1]].lower_ in (",", "and", "or")


def subject_org(doc: Doc, verb: int, role: str, actors: dict, ents: dict) -> OrgMention | None:
    """The organisation before a verb: 'Orion Digital, a Quito agency, ran the Pages', 'Graphika alerted
    the company', 'researchers at the Atlantic Lab flagged the accounts'."""
    end = subject_end(doc, verb)
    if end is None:
        return None
    end = possessor_end(doc, end) or end  # "Microsoft's threat intelligence team published research"
    for s, e, actor in actors.values():
        if e == end:
            if (actor.role == "researcher") != (role == "discovery"):
                return None
            category, country = type_from_context(doc, s, e)
            return OrgMention(s, e, actor.name, role, actor.category or category, actor.country or country,
                              actor.aliases, known=True)
    state = _state_subject(doc, end) if role == "operator" else None
    if state:
        return state
    span = name_before(doc, end)
    referred = _antecedent(doc, end) if span is None else None
    if referred is not None:  # the mention stands where "the party" is said to have run the network
        org = _typed(doc, *referred, role, ents)
        return replace(org, start=end - 2, end=end) if org is not None else None
    if span is None:
        return None
    s, e = span
    places, platforms, known = _token_sets(doc, {k: v for k, v in actors.items()})
    if doc[s].lower_ in SUBJECT_PRONOUNS and e == s + 1 or doc[s].text in MONTHS or _is_person(doc, s):
        return None
    if any(i in known for i in range(s, e)) or (s in places and not _place_in_name(doc, span, places)):
        return None
    if any(i in platforms for i in range(s, e)):
        if not (role == "discovery" and _tells_platform(doc, verb, span)):
            return None  # the platform that removed the network did not tip itself off
        return OrgMention(s, e, doc[s:e].text, role, None, None)
    if doc[s:e].text in cities() or not plausible_name(doc, s, e):
        return None
    org = _typed(doc, s, e, role, ents)
    return org if org is not None and (org.category or s in ents or e - s > 1 or doc[s].text.isupper()) else None


ANTECEDENT_REACH = 40  # tokens back in which "the party" finds the party it refers to


def _antecedent(doc: Doc, end: int) -> tuple[int, int] | None:
    """'Partido Popular denies it, but Twitter says the party operated the accounts': the nearest
    earlier name of the same kind as 'the party' / 'the firm'."""
    if end < 2 or doc[end - 2].lower_ != "the":
        return None
    wanted = _org_type(doc[end - 1].lower_)
    if wanted is None:
        return None
    first = max(0, end - 2 - ANTECEDENT_REACH)
    for k in range(end - 2, first, -1):
        if doc[k - 1].text[:1].isupper() and not doc[k].text[:1].isupper() and "\n\n" not in doc[k - 1:end].text:
            span = name_before(doc, k)
            if span and doc[span[0]].lower_ in ("the", "a", "an", "this", "but", "and") and span[1] - span[0] > 1:
                span = (span[0] + 1, span[1])
            if span and (span[1] - span[0] > 1 or doc[span[0]].text.isupper()) and _kind_of(doc, *span) == wanted:
                return span
    return None


def _kind_of(doc: Doc, s: int, e: int) -> str | None:
    """The category a name's own words give ('... Party', 'Partido ...', '... Media')."""
    return gazetteer.name_words().get(doc[e - 1].text) or gazetteer.lead_words().get(doc[s].text)


SUBJECT_PRONOUNS = {"it", "they", "we", "the", "this", "these", "he", "she", "our", "its", "their", "that", "those", "a", "an"}


def _tells_platform(doc: Doc, verb: int, span: tuple[int, int]) -> bool:
    """'Twitter tipped off Facebook': one platform telling another counts as a discovery source."""
    name = doc[span[0]:span[1]].text
    return any(verb < s <= verb + 5 and platform != name for s, _, platform in doc._.iokg_platforms)


def _state_subject(doc: Doc, end: int) -> OrgMention | None:
    """'the Chinese government ran the accounts': a demonym or country and a state noun before the verb."""
    starts = _place_starts(doc)
    for start in range(max(0, end - 6), end):
        place = starts.get(start)
        if place is not None and place.end < end <= place.end + 3:
            state = _state_actor(doc, place.start)
            if state and state.end == end:
                return state
    return None


@Language.factory("iokg_orgs", assigns=["doc._.iokg_orgs"], requires=["doc._.iokg_cues", "doc._.iokg_actors", "doc._.iokg_places"])
def make_orgs(nlp: Language, name: str):
    """Find operators and discovery sources after cues; uses NER spans when the model has them."""
    doc_extension("iokg_orgs")

    def orgs(doc: Doc) -> Doc:
        doc._.iokg_orgs = collect(doc)
        return doc

    return orgs
