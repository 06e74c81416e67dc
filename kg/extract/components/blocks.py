"""Component `iokg_blocks`: a sentence starts at every block the reader found (heading, item, row, label...).

The reader's blocks (kg.graph.model.Block, character offsets) go in `doc.user_data[BLOCKS_KEY]` before
the pipeline runs (kg.extract.pipeline.parse_document does it). In one pass the component marks a
sentence start at each block's first token and at the first token after it, so no sentence crosses a
list item, table row or heading, and sets `doc._.iokg_blocks` (the blocks as token spans) and
`doc.spans["iokg_blocks"]` (labelled with the kind). It runs before the parser, which keeps preset
starts, or after the sentencizer, which does not overwrite them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.components.common import doc_extension
from kg.graph.model import Block
from kg.read.blocks import block_sentence_starts

BLOCKS_KEY = "iokg_blocks"
ONE_LINE = ("heading", "label", "row")  # kinds that hold one sentence unless final punctuation ends one
FINAL = frozenset((".", "!", "?"))


@dataclass(frozen=True)
class TokenBlock:
    """A reader's block aligned to tokens: its span, the Block itself, and its cells as token spans."""

    span: Span
    block: Block
    index: int  # position of `block` in Document.blocks (what `parent` and `header` refer to)
    cells: tuple[Span, ...] = ()

    @property
    def kind(self) -> str:
        return self.block.kind

    @property
    def level(self) -> int:
        return self.block.level

    @property
    def parent(self) -> int:
        return self.block.parent


def token_starts(doc: Doc, offsets: Sequence[int]) -> list[int]:
    """Index of the first non-space token at or after each character offset (sorted, once each)."""
    columns = doc.to_array(["IDX", "LENGTH", "IS_SPACE"])
    ends, spaces = (columns[:, 0] + columns[:, 1]).tolist(), columns[:, 2].tolist()
    found: set[int] = set()
    k = 0
    for offset in sorted(offsets):
        while k < len(ends) and ends[k] <= offset:
            k += 1
        j = k
        while j < len(ends) and spaces[j]:
            j += 1
        if j < len(ends):
            found.add(j)
    return sorted(found)


def aligned(doc: Doc, blocks: Sequence[Block]) -> tuple[TokenBlock, ...]:
    """The blocks as token spans (expanded to whole tokens); blocks outside the text are left out."""
    out, length = [], doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    for index, block in enumerate(blocks):
        span = doc.char_span(block.start, block.end, alignment_mode="expand") if block.end <= length else None
        if span is None:
            continue
        cells = tuple(c for c in (doc.char_span(s, e, alignment_mode="expand") for s, e in block.cells) if c is not None)
        out.append(TokenBlock(span, block, index, cells))
    return tuple(out)


def block_of_tokens(doc: Doc) -> list[int]:
    """For each token, the index in Document.blocks of the block that holds it; -1 between blocks."""
    owner = [-1] * len(doc)
    for token_block in doc._.iokg_blocks or ():
        owner[token_block.span.start:token_block.span.end] = [token_block.index] * len(token_block.span)
    return owner


def sentence_marks(doc: Doc, blocks: Sequence[TokenBlock], starts: Sequence[int]) -> list[int]:
    """SENT_START per token (1 start, -1 not, 0 free): a start at each index of `starts`, and none inside
    a heading, label line or row except after final punctuation (not the "." of a leading "2." or "II.")."""
    columns = doc.to_array(["SENT_START", "IS_SPACE", "ORTH"]).astype("int64")
    marks, spaces = columns[:, 0].tolist(), columns[:, 1].tolist()
    final = {doc.vocab.strings.add(mark) for mark in FINAL}
    ends_sentence = [orth in final for orth in columns[:, 2].tolist()]
    for block in blocks:
        if block.kind not in ONE_LINE:
            continue
        numbered, first = block.block.number is not None, block.span.start
        for i in range(first + 1, block.span.end):
            if not spaces[i] and not spaces[i - 1] and (not ends_sentence[i - 1] or numbered and i - 1 - first <= 3):
                marks[i] = -1
    for i in starts:
        if i > 0:
            marks[i] = 1
    return marks


@Language.factory("iokg_blocks", assigns=["token.is_sent_start", "doc._.iokg_blocks", "doc.spans"],
                  requires=["doc.user_data"])
def make_blocks(nlp: Language, name: str):
    """Start a sentence at every block of doc.user_data[BLOCKS_KEY] and expose the blocks on the Doc."""
    doc_extension("iokg_blocks")

    def blocks(doc: Doc) -> Doc:
        given = doc.user_data.get(BLOCKS_KEY) or ()
        doc._.iokg_blocks = aligned(doc, given)
        if given:
            starts = token_starts(doc, block_sentence_starts(given) + [b.end for b in given])
            marks = numpy.array(sentence_marks(doc, doc._.iokg_blocks, starts), dtype="int64").astype("uint64")
            doc.from_array(["SENT_START"], marks.reshape(-1, 1))
        doc.spans["iokg_blocks"] = [Span(doc, t.span.start, t.span.end, label=t.kind) for t in doc._.iokg_blocks]
        return doc

    return blocks
