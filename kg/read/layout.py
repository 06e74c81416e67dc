"""Document structure from layout cues in plain text, PDF text and CSV: headings, list items, rows, labels.

Reports written as text mark their structure with layout only: an ALL-CAPS or short standalone line,
"(b) Kenya" or "II. Findings", bullets and indented continuations, " | " table lines, "Origin: Iran"
and "Honduras / BlueWave Media — 3,100 accounts" lines. Each line gets a cue (`line_cue`), then
`text_blocks` groups lines into blocks; heading levels rank the heading styles a document uses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kg.graph.model import Block
from kg.read.blocks import scoped
from kg.read.cues import (CAPS_WORDS, DATELINE, DECORATED, NUMBER, TERMINAL, csv_cells, heading_number, line_cue,
                          number_family, numbered_label, runin_end, runs_on, value_runs_on, wrapped)

SEPARATOR_ROW = re.compile(r"[\s|:+=\-\u2013\u2014]*-[\s|:+=\-\u2013\u2014]*")
BARE_NUMBER = re.compile(r"\d{1,3}")
SHORT = 70  # a standalone line this long or shorter, unpunctuated, reads as a heading
# stronger styles first; a short unpunctuated line ("plain") is the weakest heading but a run-in one
STYLE_ORDER = ("atx", "frame", "setext=", "caps", "setext-", "decorated", "roman", "labelled", "number", "letter",
               "plain", "runin")


@dataclass(frozen=True)
class Line:
    """One line of text with its layout cue: where its text starts and ends, its indent, its kind."""

    start: int  # offset of the first non-blank character
    end: int  # offset after the last non-blank character
    indent: int
    text: str
    cue: str  # blank | rule | atx | decorated | pipe | bullet | number | caps | label | text
    number: str | None = None


def lines_of(text: str) -> list[Line]:
    """Every line of `text` with its offsets, indent (tabs count four) and cue."""
    lines, offset = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        cue, number = line_cue(stripped)
        indent = len(raw[:lead].expandtabs(4))
        lines.append(Line(offset + lead, offset + lead + len(stripped), indent, stripped, cue, number))
        offset += len(raw) + 1
    return lines


def pipe_cells(line: Line) -> list[tuple[int, int]]:
    """(start, end) of each cell of a " | " table line, in document offsets; the pipes framing a
    Markdown row ("| a | b |") are not cell borders."""
    spans, text, base = [], line.text, line.start
    framed = len(text) > 1 and text.startswith("|") and text.endswith("|")  # else "a | b |" ends in an empty cell
    inner_start, inner_end = (1, len(text) - 1) if framed else (0, len(text))
    position = inner_start
    for part in text[inner_start:inner_end].split("|"):
        left = len(part) - len(part.lstrip())
        core = part.strip()
        spans.append((base + position + left, base + position + left + len(core)))
        position += len(part) + 1
    return spans


def csv_blocks(text: str) -> list[Block]:
    """A CSV file's lines as table rows; the first row is the header."""
    blocks: list[Block] = []
    for line in lines_of(text):
        cells = csv_cells(line.text, line.start) if line.text else None
        if cells:
            blocks.append(Block("row", line.start, line.end, cells=tuple(cells), header=0))
    return blocks


def text_blocks(text: str) -> list[Block]:
    """The blocks of a plain-text or PDF-text document, read from its layout, with heading scope."""
    return _Grouper(lines_of(text)).run()


class _Grouper:
    """Groups cue-tagged lines into blocks in one pass over the lines."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.blocks: list[Block] = []
        self.styles: dict[int, tuple] = {}  # heading block index → style key
        self.list_indents: list[int] = []
        self.lead: tuple[int, int] | None = None  # (label block index, its indent)

    def run(self) -> list[Block]:
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            if line.cue in ("blank", "rule"):
                self.lead = None if line.cue == "blank" else self.lead
                i += 1
            elif line.cue == "pipe" and (end := self._table(i)) > i:
                i = end
            elif line.cue == "pipe":  # one line with pipes in it is not a table
                self.lines[i] = replace(line, cue=line_cue(line.text, pipes=False)[0])
            elif (style := self._heading_style(i)) is not None:
                i = self._heading(i, style)
            elif line.cue in ("bullet", "number"):
                i = self._item(i)
            elif line.cue == "label":
                i = self._label(i)
            else:
                i = self._paragraph(i)
        return scoped(self._levelled())

    # -- helpers -----------------------------------------------------------------------------
    def _at(self, i: int) -> Line | None:
        return self.lines[i] if 0 <= i < len(self.lines) else None

    def _near(self, i: int, step: int) -> Line | None:
        """The nearest non-blank line before (step -1) or after (step 1) line i, across one blank line."""
        for k in (i + step, i + 2 * step):
            line = self._at(k)
            if line is None:
                return None
            if line.cue != "blank":
                return line
        return None

    def _add(self, block: Block, indent: int) -> int:
        """Append a block; bullets and indented lines right under a label line hang from that label."""
        if block.kind != "item" and (not self.list_indents or indent <= self.list_indents[0]):
            self.list_indents = []
        if self.lead is not None and block.kind != "heading" and (block.kind == "item" or indent > self.lead[1]):
            block = replace(block, parent=self.lead[0])
        else:
            self.lead = None
        self.blocks.append(block)
        return len(self.blocks) - 1

    # -- headings ----------------------------------------------------------------------------
    def _heading_style(self, i: int) -> tuple | None:
        line, before, after = self.lines[i], self._at(i - 1), self._at(i + 1)
        at_start = before is None or before.cue in ("blank", "rule") or i == 0
        if line.cue == "atx":
            return ("atx", len(line.text) - len(line.text.lstrip("#")))
        if line.cue == "decorated":
            return ("decorated", 0)
        if line.cue in ("bullet", "pipe", "blank", "rule"):
            return None
        if after is not None and after.cue == "rule" and after.text[0] in "=-" and at_start \
                and not line.text.endswith(TERMINAL):
            if before is not None and before.cue == "rule":
                return ("frame", 0)
            return ("setext=" if after.text[0] == "=" else "setext-", 0)
        if line.cue == "caps":
            return ("caps", 0)
        if line.cue == "label" and numbered_label(line.text):
            return ("labelled", 0)
        if line.cue == "number":
            return self._numbered_heading(i)
        if line.cue == "text" and at_start and BARE_NUMBER.fullmatch(line.text) and (after is None or after.cue == "blank"):
            return ("number", 0)  # "02" alone above a section, as report PDFs number them
        if line.cue == "text" and at_start and self._standalone(line, after):
            return ("plain", 0)
        return None

    def _numbered_heading(self, i: int) -> tuple | None:
        line = self.lines[i]
        family = number_family(line.number)
        if family == "roman" and line.number.isupper():
            return ("roman", 0)
        body = line.text[NUMBER.match(line.text).end():].strip()
        if CAPS_WORDS.match(body):  # "(c) UNITED STATES -> Central Asia <-- check!!"
            return ("letter", 0) if family == "letter" else ("roman", 0) if family == "roman" else ("number", 0)
        if len(body) > SHORT or body.endswith(TERMINAL) or not body[:1].isupper() and not body[:1].isdigit():
            return None
        for near in (self._near(i, -1), self._near(i, 1)):
            if near is not None and near.cue == "number" and number_family(near.number) == family \
                    and near.indent == line.indent:
                return None  # one entry of a list of short items
        if family == "dotted":
            return ("number", line.number.count("."))
        return ("letter", 0) if family == "letter" else ("roman", 0) if family == "roman" else ("number", 0)

    def _standalone(self, line: Line, after: Line | None) -> bool:
        """A short unpunctuated line that starts with a capital, alone or with a list or indent under it."""
        if len(line.text) > SHORT or len(line.text.split()) > 10 or line.text.endswith(TERMINAL):
            return False
        if not (line.text[:1].isupper() or line.text[:1].isdigit()) or DATELINE.fullmatch(line.text):
            return False
        return after is None or after.cue in ("blank", "rule", "bullet") or after.indent > line.indent

    def _heading(self, i: int, style: tuple) -> int:
        line = self.lines[i]
        number = line.number
        if style[0] == "labelled":
            number = numbered_label(line.text)
        elif BARE_NUMBER.fullmatch(line.text):
            number = line.text
        elif number is None and style[0] not in ("plain", "runin"):
            title = DECORATED.fullmatch(line.text).group("title") if style[0] == "decorated" else line.text.lstrip("#")
            number = heading_number(title.strip()) or numbered_label(title.strip())
        index = self._add(Block("heading", line.start, line.end, number=number), line.indent)
        self.styles[index] = style
        self.lead = None
        after = self._at(i + 1)
        return i + 2 if after is not None and after.cue == "rule" and style[0].startswith("setext") else i + 1

    # -- lists, labels, paragraphs -----------------------------------------------------------
    def _item(self, i: int) -> int:
        line = self.lines[i]
        while self.list_indents and self.list_indents[-1] > line.indent:
            self.list_indents.pop()
        if not self.list_indents or self.list_indents[-1] < line.indent:
            self.list_indents.append(line.indent)
        end, k = line.end, i + 1
        while (nxt := self._at(k)) is not None and nxt.cue not in ("blank", "rule", "bullet", "number", "pipe"):
            if not (nxt.indent > line.indent or nxt.cue == "text" and wrapped(self.lines[k - 1].text, nxt.text)):
                break
            end, k = nxt.end, k + 1
        self._add(Block("item", line.start, end, level=len(self.list_indents), number=line.number), line.indent)
        return k

    def _label(self, i: int) -> int:
        line = self.lines[i]
        end, k = line.end, i + 1
        while (nxt := self._at(k)) is not None and nxt.cue == "text" and value_runs_on(self.lines[k - 1].text, nxt.text):
            end, k = nxt.end, k + 1
        index = self._add(Block("label", line.start, end), line.indent)
        nxt = self._at(k)
        under = nxt is not None and (nxt.cue in ("bullet", "number") or nxt.cue != "blank" and nxt.indent > line.indent)
        self.lead = (index, line.indent) if under else None
        return k

    def _paragraph(self, i: int) -> int:
        line = self.lines[i]
        start, before = line.start, self._at(i - 1)
        runin = runin_end(line.text) if before is None or before.cue in ("blank", "rule") else None
        if runin:
            index = self._add(Block("heading", line.start, line.start + runin), line.indent)
            self.styles[index] = ("runin", 0)
            start = line.start + runin + len(line.text[runin:]) - len(line.text[runin:].lstrip())
        end, k = line.end, i + 1
        while (nxt := self._at(k)) is not None and (
                nxt.cue == "text" and runs_on(self.lines[k - 1].text, nxt.text)
                or nxt.cue in ("label", "caps") and wrapped(self.lines[k - 1].text, nxt.text)):
            end, k = nxt.end, k + 1
        self._add(Block("paragraph", start, end), line.indent)
        return k

    def _table(self, i: int) -> int:
        """Rows of a run of two or more " | " lines with the same number of cells; returns the line after."""
        rows, width, k = [], None, i
        while (line := self._at(k)) is not None and line.cue in ("pipe", "blank"):
            if line.cue == "pipe":
                cells = pipe_cells(line)
                if width is not None and len(cells) != width:
                    break
                width = len(cells)
                if not SEPARATOR_ROW.fullmatch(line.text):
                    rows.append((line, cells))
            elif (after := self._at(k + 1)) is None or after.cue != "pipe":
                break
            k += 1
        if len(rows) < 2:
            return i
        header = len(self.blocks)
        for line, cells in rows:
            self._add(Block("row", line.start, line.end, cells=tuple(cells), header=header), line.indent)
        return k

    def _levelled(self) -> list[Block]:
        """Heading levels 1-6 from the rank of each heading's style among the styles the text uses."""
        used = sorted({(STYLE_ORDER.index(style[0]), style[1]) for style in self.styles.values()})
        rank = {key: min(position + 1, 6) for position, key in enumerate(used)}
        out = []
        for index, block in enumerate(self.blocks):
            if index in self.styles:
                style = self.styles[index]
                block = replace(block, level=rank[(STYLE_ORDER.index(style[0]), style[1])])
            out.append(block)
        return out

