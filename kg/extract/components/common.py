"""Helpers shared by the iokg components: Doc extensions and phrase matchers built from rule data."""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

Tokens = list[list]  # [words, spaces] of one tokenised phrase


def doc_extension(name: str) -> None:
    """Register a list-valued Doc extension once (components write their findings there)."""
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=None)


def phrase_matcher(vocab: Vocab, table: dict[str, Iterable[str]], attr: str = "ORTH") -> PhraseMatcher:
    """A PhraseMatcher with one label per table key, its phrases tokenised by the blank English tokenizer.

    Start-up cost matters (every `iokg` call pays it): the tokens of all phrases are cached on disk under
    the hash of the phrases, and for ORTH/LOWER the patterns go in as attribute hashes, not Docs."""
    tables = {label: list(dict.fromkeys(phrases)) for label, phrases in table.items()}
    unique = list(dict.fromkeys(p for phrases in tables.values() for p in phrases))
    keys = dict(zip(unique, phrase_keys(vocab, unique, attr)))
    matcher = PhraseMatcher(vocab, attr=attr)
    for label, phrases in tables.items():
        matcher.add(label, [keys[p] for p in phrases])
    return matcher


def phrase_keys(vocab: Vocab, phrases: list[str], attr: str = "ORTH") -> list:
    """Each phrase as the PhraseMatcher stores it: its tokens' ORTH or LOWER hashes, a Doc for other attrs."""
    tokens = phrase_tokens(phrases)
    add = vocab.strings.add  # what a Token's ORTH/LOWER holds: the string's id (a symbol's own, else its hash)
    if attr.upper() == "ORTH":
        return [[add(word) for word in words] for words, _ in tokens]
    if attr.upper() == "LOWER":
        return [[add(word.lower()) for word in words] for words, _ in tokens]
    return [Doc(vocab, words=words, spaces=spaces) for words, spaces in tokens]


def phrase_tokens(phrases: list[str]) -> list[Tokens]:
    """[words, spaces] of each phrase as the blank English tokenizer splits it, from the cache if there."""
    import spacy

    key = hashlib.sha256(json.dumps([spacy.__version__, phrases]).encode("utf-8")).hexdigest()[:32]
    path = _cache_dir() / f"phrases-{key}.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(cached, list) and len(cached) == len(phrases):
            return cached
    except (OSError, ValueError):
        pass
    tokens = [[[t.text for t in doc], [bool(t.whitespace_) for t in doc]] for doc in _tokenizer().pipe(phrases)]
    _write_cache(path, tokens)
    return tokens


def _cache_dir() -> Path:
    """Where derived rule data is cached: $IOKG_CACHE, else $XDG_CACHE_HOME/iokg or ~/.cache/iokg."""
    if os.environ.get("IOKG_CACHE"):
        return Path(os.environ["IOKG_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "iokg"


def _write_cache(path: Path, tokens: list[Tokens]) -> None:
    """Write atomically (parallel workers may race); a read-only home just means no cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(json.dumps(tokens, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass


@lru_cache(maxsize=1)
def _tokenizer():
    """One blank English tokenizer for all phrase tables (building one costs ~0.1 s)."""
    from spacy.lang.en import English

    return English().tokenizer


def best_matches(doc: Doc, matches: Iterable[tuple[int | str, int, int]]) -> list[Span]:
    """The longest non-overlapping (label, start, end) matches as labelled Spans, in document order
    (spacy.util.filter_spans: longest first, the earlier one on a tie)."""
    return filter_spans([Span(doc, start, end, label=label) for label, start, end in matches])


def matcher_component(nlp: Language, name: str, table: dict[str, Iterable[str]],
                      finish: Callable[[Doc, list[Span]], list]) -> Callable[[Doc], Doc]:
    """A component that matches `table`'s phrases (ORTH: case matters), keeps the best matches and
    stores `finish(doc, spans)` in the Doc extension `name`."""
    doc_extension(name)
    matcher = phrase_matcher(nlp.vocab, table, attr="ORTH")

    def component(doc: Doc) -> Doc:
        doc._.set(name, finish(doc, best_matches(doc, matcher(doc))))
        return doc

    return component


def sentence_ends(doc: Doc) -> list[int]:
    """For every token, the index just after its sentence (Token.sent is linear in the sentence length,
    so components ask this table instead); cached on the Doc."""
    if "iokg_sent_ends" not in doc.user_data:
        ends = [len(doc)] * len(doc)
        for sent in doc.sents:
            ends[sent.start:sent.end] = [sent.end] * (sent.end - sent.start)
        doc.user_data["iokg_sent_ends"] = ends
    return doc.user_data["iokg_sent_ends"]


def sentence_starts(doc: Doc) -> list[int]:
    """For every token, the index of the first token of its sentence; cached on the Doc."""
    if "iokg_sent_starts" not in doc.user_data:
        starts = [0] * len(doc)
        for sent in doc.sents:
            starts[sent.start:sent.end] = [sent.start] * (sent.end - sent.start)
        doc.user_data["iokg_sent_starts"] = starts
    return doc.user_data["iokg_sent_starts"]


def sent_end(doc: Doc, i: int) -> int:
    return sentence_ends(doc)[i] if i < len(doc) else len(doc)


def sent_start(doc: Doc, i: int) -> int:
    return sentence_starts(doc)[i] if i < len(doc) else len(doc)
