"""Which platform a bare count of "accounts" or "channels" is on: one named right after it ("accounts on X",
"across Facebook and TikTok"), the one acting on it (kg.extract.acting), else the platform in scope: the
last one acting earlier in the paragraph, the section heading's ("## TikTok", "TWITTER: ..."), the
document's. Plain functions over an annotated Doc.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from kg.extract import gazetteer
from kg.extract.acting import (AMBIGUOUS, LIST_WORDS, acting_platform, combine, document_platform, mentions, parsed,
                               platform_of_count, platform_of_verb, removal_verbs)
from kg.extract.components.common import sent_end, sent_start

PARAGRAPH = re.compile(r"\n[ \t]*\n")


def new_paragraph(doc: Doc, previous: Span | None, sent: Span) -> bool:
    """A blank line between two sentences."""
    if previous is None:
        return True
    return bool(PARAGRAPH.search(doc.text[previous.start_char:sent.start_char]))


def heading_level(sent: Span) -> int | None:
    """1-6 for a Markdown heading, 9 for a line that looks like one (all capitals, or a short line of its own
    without final punctuation), None for running text."""
    line = sent.text.strip()
    marks = len(line) - len(line.lstrip("#"))
    if 0 < marks <= 6 and line[marks:marks + 1] == " ":
        return marks
    letters = [c for c in line if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters):
        return 9
    own_line = sent.text.endswith("\n") or sent.doc.text[sent.end_char:sent.end_char + 1] in ("\n", "")
    bare = line.strip("*_ ")
    if own_line and bare and bare[-1:] not in ".!?;:,|" and len(bare.split()) <= 10 and not bare[:1] in "-*•":
        return 9
    return None


def context_platforms(doc: Doc) -> dict[int, str | None]:
    """Sentence start → the platform a bare count there belongs to when no verb says: the sentence's acting
    platform, else the last one acting earlier in its paragraph, else its section heading's, else the
    document's. Cached on the Doc."""
    if "iokg_context_platforms" in doc.user_data:
        return doc.user_data["iokg_context_platforms"]
    table = mentions(doc)
    context: dict[int, str | None] = {}
    recent = section = None
    section_level, previous = 99, None
    for sent in doc.sents:
        level = heading_level(sent)
        if level is not None or new_paragraph(doc, previous, sent):
            recent = None
        if level is not None:
            named = combine({table[k] for k in range(sent.start, sent.end) if k in table} | capitalised_platforms(sent))
            if named and named != AMBIGUOUS:
                section, section_level = named, level
            elif level <= section_level:
                section, section_level = None, 99
        acting = acting_platform(sent)
        if acting and acting != AMBIGUOUS:
            recent = acting
        context[sent.start] = acting or recent or section or document_platform(doc)
        previous = sent
    doc.user_data["iokg_context_platforms"] = context
    return context


@lru_cache(maxsize=None)
def _lowered_aliases() -> dict[str, str]:
    return {alias.lower(): name for alias, name in gazetteer.platforms().items() if len(alias) > 2 and " " not in alias}


def capitalised_platforms(sent: Span) -> set[str]:
    """Platforms written in capitals in a heading ('TWITTER: THE BIG NUMBER'), which the case-sensitive
    platform matcher leaves out."""
    return {_lowered_aliases()[t.lower_] for t in sent if t.is_upper and t.lower_ in _lowered_aliases()}


def platform_after(doc: Doc, end: int) -> tuple[str | None, int]:
    """'accounts on X', 'channels on YouTube', 'accounts across Facebook and TikTok' or 'across several
    platforms' right after a bare count: (platform or AMBIGUOUS, tokens used), else (None, 0)."""
    if end + 1 >= len(doc) or doc[end].lower_ not in ("on", "across"):
        return None, 0
    table = mentions(doc)
    k, named = end + 1, []
    while k < len(doc) and (k in table or (named and doc[k].lower_ in LIST_WORDS and k + 1 in table)):
        if k in table and (not named or table[k] != named[-1] or k - 1 not in table):
            named.append(table[k])
        k += 1
    if named:
        return combine(set(named)), k - end
    words = [t.lower_ for t in doc[end + 1:end + 4]]
    if doc[end].lower_ == "across" and any(w in gazetteer.quantity_words("platform_list_word") for w in words):
        return AMBIGUOUS, 0
    return None, 0


def count_platform(doc: Doc, start: int, end: int) -> tuple[str | None, int]:
    """The platform of a bare count doc[start:end] ('936 accounts'): one named right after it, else the one
    acting on it, else its sentence's context (see context_platforms); and the tokens 'on X' took."""
    named, used = platform_after(doc, end)
    if named:
        return named, used
    acting = platform_of_count(doc[end - 1]) if parsed(doc) else _verb_before(doc, start)
    if acting:
        return acting, 0
    return context_platforms(doc).get(sent_start(doc, start)), 0


def _verb_before(doc: Doc, i: int) -> str | None:
    """Without a parse: the platform of the last removal verb before token i in its sentence."""
    sent = doc[sent_start(doc, i):sent_end(doc, i)]
    verbs = [v for v in removal_verbs(sent) if v.i < i]
    return platform_of_verb(verbs[-1], sent) if verbs else None


def asset_key(platform: str | None, noun: str, default: str) -> str:
    """The takedown-JSON key of a bare 'accounts'/'channels' count on `platform` ('other_accounts' when that
    platform has no count field, or several platforms share the count; `default` when none is known)."""
    if platform is None:
        return default
    if platform == AMBIGUOUS:
        return "other_accounts"
    return gazetteer.quantity_words("platform_asset").get(platform, {}).get(noun, "other_accounts")
