"""Helpers shared by the iokg components: Doc extensions and phrase matchers built from rule data."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab


def doc_extension(name: str) -> None:
    """Register a list-valued Doc extension once (components write their findings there)."""
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=None)


def phrase_matcher(vocab: Vocab, table: dict[str, Iterable[str]], attr: str = "ORTH") -> PhraseMatcher:
    """A PhraseMatcher with one label per table key, its phrases tokenised by the blank tokenizer."""
    from spacy.lang.en import English

    tokenizer = English().tokenizer
    matcher = PhraseMatcher(vocab, attr=attr)
    for label, phrases in table.items():
        matcher.add(label, [tokenizer(p) for p in dict.fromkeys(phrases)])
    return matcher


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
