"""Helpers over a Document's blocks: heading scope, sentence starts, tables, and offsets kept through cleaning.

The readers (kg.read.formats for HTML/Markdown, kg.read.layout for text/PDF/CSV) find the blocks;
these plain functions give them their parents and hand their structure to the extractor.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from kg.graph.model import Block, Document


@dataclass(frozen=True)
class Cell:
    """One table cell: its text and its span in Document.text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Row:
    """One table row: its cells and its span (the block's) in Document.text."""

    cells: tuple[Cell, ...]
    start: int
    end: int
    block: int  # index of the row's block in Document.blocks


@dataclass(frozen=True)
class Table:
    """A table: its header row (None when the table has none) and its data rows, in order."""

    header: Row | None
    rows: tuple[Row, ...]
    parent: int  # the heading that scopes the table, -1 if none


def scoped(blocks: Sequence[Block]) -> list[Block]:
    """The blocks with `parent` set to the heading that scopes each one.

    A heading scopes what follows it until the next heading of its level or higher; a heading's own
    parent is the nearest heading above it of a higher level. A parent already set (a label line
    the bullets under it hang from) is kept.
    """
    out: list[Block] = []
    open_headings: list[tuple[int, int]] = []  # (level, index)
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            while open_headings and open_headings[-1][0] >= block.level:
                open_headings.pop()
        parent = open_headings[-1][1] if open_headings else -1
        out.append(block if block.parent >= 0 or parent < 0 else
                   Block(block.kind, block.start, block.end, block.level, block.number, block.cells, block.header, parent))
        if block.kind == "heading":
            open_headings.append((block.level, index))
    return out


def block_sentence_starts(blocks: Sequence[Block]) -> list[int]:
    """Character offsets where a sentence must start: the start of every block, sorted, once each."""
    return sorted({block.start for block in blocks})


def document_tables(document: Document) -> list[Table]:
    """The tables of a document, from its row blocks: header cells and data rows with their spans."""
    text, blocks = document.text, document.blocks
    groups: dict[int, list[int]] = {}
    for index, block in enumerate(blocks):
        if block.kind == "row":
            groups.setdefault(block.header if block.header >= 0 else index, []).append(index)
    tables = []
    for key, members in sorted(groups.items()):
        rows = [_row(text, blocks[i], i) for i in members]
        header = rows[0] if blocks[members[0]].header == members[0] else None
        data = rows[1:] if header is not None else rows
        tables.append(Table(header, tuple(data), blocks[members[0]].parent))
    return tables


def _row(text: str, block: Block, index: int) -> Row:
    cells = tuple(Cell(text[s:e], s, e) for s, e in block.cells)
    return Row(cells, block.start, block.end, index)


def remap(raw: str, blocks: Sequence[Block], clean: Callable[[str], str]) -> tuple[str, list[Block]]:
    """Clean `raw` with `clean` (which must work character by character: drop, compose, never move text
    across a boundary) and move every block offset along; blocks left empty are dropped.

    The text is cleaned piece by piece between block boundaries, then stripped, so offsets stay exact.
    """
    bounds = sorted({0, len(raw)} | {o for b in blocks for o in _offsets(b)})
    moved, pieces, length = {}, [], 0
    for left, right in zip(bounds, bounds[1:]):
        moved[left] = length
        piece = clean(raw[left:right])
        pieces.append(piece)
        length += len(piece)
    moved[bounds[-1]] = length
    joined = "".join(pieces)
    lead = len(joined) - len(joined.lstrip())
    text = joined.strip()

    def at(offset: int) -> int:
        return min(max(moved[offset] - lead, 0), len(text))

    out = []
    for b in blocks:
        start, end = _trim(text, at(b.start), at(b.end))
        cells = tuple(_within(_trim(text, at(s), at(e)), start, end) for s, e in b.cells)
        out.append(replace(b, start=start, end=end, cells=cells))
    return text, _drop_empty(out)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the whitespace at its edges (cleaning can leave a space where a character was)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _within(span: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    return min(max(span[0], start), end), min(max(span[1], start), end)


def _offsets(block: Block) -> list[int]:
    return [block.start, block.end] + [o for span in block.cells for o in span]


def _drop_empty(blocks: list[Block]) -> list[Block]:
    """Remove blocks with no text, renumbering the parent and header indexes of the others."""
    keep = [i for i, b in enumerate(blocks) if b.end > b.start]
    if len(keep) == len(blocks):
        return blocks
    new = {old: new for new, old in enumerate(keep)}
    return [replace(blocks[i], parent=new.get(blocks[i].parent, -1), header=new.get(blocks[i].header, -1))
            for i in keep]
