"""Which platform acts in a sentence: the subject of its removal verb ("Twitter suspended ...", "TikTok
said it removed ...", "the company" for the platform named before, "we" for the platform that wrote
the document), so that a bare count of "accounts" or "channels" can be read as that platform's assets.

Plain functions over an annotated Doc (iokg_platforms and iokg_cues must have run). With a parser
the subject is read from the dependency tree; without one, from the words before the verb.
kg.extract.platform_scope uses them to give each bare count its platform.
"""
from __future__ import annotations

from functools import lru_cache

import numpy

from spacy.tokens import Doc, Span, Token

from kg.data import load_jsonl
from kg.extract import gazetteer
from kg.extract.components.common import sent_end, sent_start

AMBIGUOUS = "*"  # several platforms act together ("Facebook and Twitter removed ..."): their count cannot be split
META_FAMILY = {"Facebook", "Instagram"}  # "Facebook and Instagram removed 40 accounts": Meta acting, as Facebook
OWNER = {"Instagram": "Facebook"}  # a document about Meta's platforms: "we" and bare counts are Meta's, read as Facebook
ANTECEDENT_SENTENCES = 3  # how far back "it" / "the company" looks for the platform it refers to
CLAUSE_BREAK = {";", ":", "\u2014", "\u2013", "(", ")"}
LIST_WORDS = {",", "and", "or", "/", "&"}
CONJUNCTIONS = {"and", "or", "&"}
RELATIVE = {"which", "who", "that"}
NOT_AGENT = {"from", "with", "about", "than", "like", "unlike", "against"}  # "a tip from Twitter, the accounts were removed"
AUXILIARIES = {"have", "has", "had", "were", "was", "been", "be", "is", "are"}


@lru_cache(maxsize=None)
def enforcer_names() -> dict[tuple[str, ...], str]:
    """Word sequence of a company that acts for a platform ('Google', 'X Corp') → the platform."""
    return {tuple(name.split()): row["name"] for row in load_jsonl("platforms") for name in row.get("enforcers", ())}


def mentions(doc: Doc) -> dict[int, str]:
    """Token index → platform, for every platform mention and every company acting for one; cached."""
    if "iokg_platform_tokens" not in doc.user_data:
        found = {i: name for s, e, name in doc._.iokg_platforms for i in range(s, e)}
        firsts = [doc.vocab.strings.add(names[0]) for names in enforcer_names()]
        for i in (int(k) for k in numpy.isin(doc.to_array("ORTH"), firsts).nonzero()[0] if int(k) not in found):
            for names, platform in enforcer_names().items():
                if tuple(t.text for t in doc[i:i + len(names)]) == names:
                    found.update({k: platform for k in range(i, i + len(names))})
        doc.user_data["iokg_platform_tokens"] = found
    return doc.user_data["iokg_platform_tokens"]


def parsed(doc: Doc) -> bool:
    """Does the Doc carry a dependency parse? (cached: has_annotation scans every token)"""
    if "iokg_parsed" not in doc.user_data:
        doc.user_data["iokg_parsed"] = doc.has_annotation("DEP")
    return doc.user_data["iokg_parsed"]


def author_platform(doc: Doc) -> str | None:
    """The platform a 'we removed' refers to: the one the document names most (first on a tie; Instagram
    counts for Facebook, Meta runs both); cached."""
    if "iokg_author_platform" not in doc.user_data:
        counts: dict[str, int] = {}
        for _, _, name in doc._.iokg_platforms:
            name = OWNER.get(name, name)
            counts[name] = counts.get(name, 0) + 1
        doc.user_data["iokg_author_platform"] = max(counts, key=counts.get) if counts else None
    return doc.user_data["iokg_author_platform"]


def combine(platforms: set[str]) -> str | None:
    """One platform, AMBIGUOUS for several (Facebook with Instagram is Meta acting: Facebook), None for none."""
    if not platforms:
        return None
    if len(platforms) == 1:
        return next(iter(platforms))
    return "Facebook" if platforms <= META_FAMILY else AMBIGUOUS


def removal_verbs(sent: Span) -> list[Token]:
    """The verb token of each removal cue in the sentence ('took' of 'took down', 'closed' of 'have been closed')."""
    doc = sent.doc
    has_parse = parsed(doc)
    verbs = []
    for s, e in _removals(doc).get(sent.start, ()):
        span = doc[s:e]
        verbs.append(span.root if has_parse else span[-1] if span[0].lower_ in AUXILIARIES else span[0])
    return verbs


def _removals(doc: Doc) -> dict[int, list[tuple[int, int]]]:
    """Removal cue spans by sentence start, built once per Doc (keeps the per-sentence lookups linear)."""
    if "iokg_removals_by_sentence" not in doc.user_data:
        table: dict[int, list[tuple[int, int]]] = {}
        for s, e, label in doc._.iokg_cues:
            if label == "removal":
                table.setdefault(sent_start(doc, s), []).append((s, e))
        doc.user_data["iokg_removals_by_sentence"] = table
    return doc.user_data["iokg_removals_by_sentence"]


def acting_platform(sent: Span) -> str | None:
    """The platform that removes something in this sentence: the subject of its first removal verb that
    names one (AMBIGUOUS when several platforms act together), else None."""
    for verb in removal_verbs(sent):
        found = platform_of_verb(verb, sent)
        if found:
            return found
    return None


def platform_of_verb(verb: Token, sent: Span | None = None) -> str | None:
    """The platform doing what `verb` says: its subject or agent when the sentence is parsed, else the
    platform named in the words before it (or 'by X' just after it)."""
    doc = verb.doc
    sent = sent if sent is not None else doc[sent_start(doc, verb.i):sent_end(doc, verb.i)]
    if parsed(doc):
        found = _parsed_actor(verb)
        if found:
            return found
    return _window_actor(verb, sent)


def platform_of_count(token: Token) -> str | None:
    """The platform that acts on a count ('Twitter says the party ran the 259 accounts'): walk up from the
    count through the verbs that govern it to the first whose subject names a platform."""
    doc = token.doc
    if not parsed(doc):
        return None
    node, seen = token, 0
    while node.head is not node and seen < 12:
        node, seen = node.head, seen + 1
        if node.tag_.startswith("VB") or node.tag_ == "MD":
            found = _parsed_actor(node)
            if found:
                return found
    return None


def _parsed_actor(verb: Token) -> str | None:
    """Platform of the active subject or passive agent of a verb; a conjoined verb shares its head's subject."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    subjects += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if not subjects and verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
        return _parsed_actor(verb.head)
    for subject in subjects:
        if subject.lower_ in RELATIVE and verb.dep_ == "relcl":  # "Twitter, which suspended 50 accounts"
            subject = verb.head
        found = combine(_noun_platforms(subject))
        if found:
            return found
    return None


def _noun_platforms(noun: Token) -> set[str]:
    """Platforms a subject names: itself and its conjuncts, their possessor or compound ('Twitter's team'),
    an anaphor's antecedent ('it', 'the company'), the author for 'we'."""
    doc = noun.doc
    table = mentions(doc)
    found: set[str] = set()
    for head in (noun, *noun.conjuncts):
        if head.i in table:
            found.add(table[head.i])
            continue
        owners = [c for c in head.children if c.dep_ in ("poss", "compound") and c.i in table]
        if owners:
            found.add(table[owners[0].i])
        elif _anaphor(head):
            antecedent = previous_platform(doc, head.i)
            if antecedent:
                found.add(antecedent)
        elif head.lower_ in gazetteer.quantity_words("author_pronoun"):
            author = author_platform(doc)
            if author:
                found.add(author)
    return found


def _anaphor(tok: Token) -> bool:
    """'it', or a definite 'the company' / 'the platform'."""
    words = gazetteer.quantity_words("platform_anaphor")
    if tok.lower_ == "it":
        return True
    return tok.lower_ in words and tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("the", "this", "that")


def previous_platform(doc: Doc, i: int) -> str | None:
    """The platform named last before token i, in its sentence or the few before it (subjects preferred)."""
    table = mentions(doc)
    start = sent_start(doc, i)
    for _ in range(ANTECEDENT_SENTENCES):
        if start == 0:
            break
        start = sent_start(doc, start - 1)
    named = [k for k in range(start, i) if k in table]
    subjects = [k for k in named if doc[k].dep_ in ("nsubj", "poss")]
    pick = (subjects or named)[-1:] if named else []
    return table[pick[0]] if pick else None


def _window_actor(verb: Token, sent: Span) -> str | None:
    """Without a parse: the platform(s) named last before the verb in its clause, an anaphor there, or 'by X'."""
    doc = verb.doc
    table = mentions(doc)
    start = sent.start
    for k in range(verb.i - 1, sent.start - 1, -1):
        if doc[k].text in CLAUSE_BREAK or (k < verb.i - 1 and _is_removal(doc, k)):
            start = k + 1
            break
    named = [k for k in range(start, verb.i) if k in table and not (k > start and doc[k - 1].lower_ in NOT_AGENT)]
    if named:
        last = named[-1]
        group, k, joined = {table[last]}, last, False
        while k > start and (k - 1 in table or doc[k - 1].lower_ in LIST_WORDS):  # "Facebook and Twitter removed"
            k -= 1
            joined |= doc[k].lower_ in CONJUNCTIONS
            if k in table:
                group.add(table[k])
        return combine(group) if joined else table[last]  # "From Twitter, Facebook removed": no list
    for k in range(verb.i - 1, max(start, verb.i - 4) - 1, -1):
        if _anaphor(doc[k]):
            return previous_platform(doc, k)
        if doc[k].lower_ in gazetteer.quantity_words("author_pronoun"):
            return author_platform(doc)
    after = doc[verb.i + 1:min(sent.end, verb.i + 3)]
    if len(after) == 2 and after[0].lower_ == "by" and after[1].i in table:
        return table[after[1].i]
    return None


def _is_removal(doc: Doc, k: int) -> bool:
    return any(s <= k < e for s, e in _removals(doc).get(sent_start(doc, k), ()))


def document_platform(doc: Doc) -> str | None:
    """The platform the document is about: each mention of a platform (or of a company acting for one)
    counts once (Instagram for Facebook) and each removal it does once more; the first on a tie. Cached."""
    if "iokg_document_platform" not in doc.user_data:
        counts: dict[str, int] = {}
        table = mentions(doc)
        for k, name in table.items():
            if k - 1 not in table or table[k - 1] != name:  # one per mention, not per token
                counts[OWNER.get(name, name)] = counts.get(OWNER.get(name, name), 0) + 1
        for sent in doc.sents:
            found = acting_platform(sent)
            if found and found != AMBIGUOUS:
                counts[found] = counts.get(found, 0) + 1
        first = {name: k for k, name in sorted(table.items(), reverse=True)}
        doc.user_data["iokg_document_platform"] = min(counts, key=lambda n: (-counts[n], first.get(n, 0))) if counts else None
    return doc.user_data["iokg_document_platform"]
