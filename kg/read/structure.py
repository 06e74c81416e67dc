"""Text and blocks of an HTML tree (also Markdown, rendered to HTML): headings, paragraphs, items, rows, labels.

The text is one block per line pair ("\\n\\n"), whitespace collapsed, a table row's cells joined by
" | "; every block's offsets point into that text. Paragraph text is further read with the layout
cues of kg.read.layout ("Origin: Iran" is a label, a bold or ALL-CAPS paragraph a heading).
"""
from __future__ import annotations


from kg.graph.model import Block
from kg.read.blocks import scoped
from kg.read.cues import NUMBER, csv_cells, heading_number, line_cue, numbered_label, runin_end

BLOCK_TAGS = frozenset(("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd",
                        "tr", "figcaption", "caption", "div", "section", "article", "main", "table", "ul",
                        "ol", "br", "hr", "address", "summary", "details"))
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BOLD = ("strong", "b")
_CELL, _END_CELL = object(), object()  # markers in a row's pieces


def tree_blocks(root, soft_lines: bool = False) -> tuple[str, list[Block]]:
    """The text under `root` and its blocks, walking the tree with start/end events (no recursion)."""
    from lxml import etree

    out = _Builder(soft_lines)
    stack: list = []  # open block elements, innermost last
    in_row = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            if tag in BLOCK_TAGS:
                out.piece(" ") if in_row else out.flush(stack)
                stack.append(element)
                in_row += tag == "tr"
            if tag in ("td", "th") and in_row == 1:
                out.piece(_CELL)
            if tag is not None and element.text:
                out.piece(element.text)
        else:
            if tag in ("td", "th") and in_row == 1:
                out.piece(_END_CELL)
            if tag in BLOCK_TAGS:
                in_row -= tag == "tr"
                out.piece(" ") if in_row else out.flush(stack)
                stack.pop()
            if element is not root and element.tail:
                out.piece(element.tail)
    return "".join(out.text), scoped(out.blocks)


def collapse(text: str) -> str:
    return " ".join(text.split())


class _Builder:
    """Collects the pieces of the current block and appends finished blocks to the text."""

    def __init__(self, soft_lines: bool):
        self.soft_lines = soft_lines
        self.pieces: list = []
        self.text: list[str] = []
        self.length = 0
        self.blocks: list[Block] = []
        # keyed by the elements themselves: an lxml proxy keeps its identity only while it is referenced
        self.tables: dict = {}  # table element → index of its header row block
        self.numbers: dict = {}  # ol element → {li element: its number as shown}
        self.heading_level = 5  # level of the last real heading; paragraph headings go one deeper

    def piece(self, piece) -> None:
        self.pieces.append(piece)

    def flush(self, stack: list) -> None:
        pieces, self.pieces = self.pieces, []
        if not any(isinstance(p, str) and p.strip() for p in pieces):
            return
        owner = next((e for e in reversed(stack) if e.tag in HEADINGS or e.tag in ("li", "dt", "tr")), None)
        if owner is not None and owner.tag == "tr":
            self._row(pieces, owner)
            return
        raw = "".join(p for p in pieces if isinstance(p, str))
        if owner is not None and owner.tag in HEADINGS:
            self.heading_level = HEADINGS[owner.tag]
            text = collapse(raw)
            self._add(Block("heading", 0, 0, HEADINGS[owner.tag], heading_number(text)), text)
        elif owner is not None and owner.tag == "li":
            text = collapse(raw)
            depth = sum(1 for e in stack if e.tag in ("ul", "ol"))
            self._add(Block("item", 0, 0, max(depth, 1), self._item_number(owner) or heading_number(text)), text)
        elif owner is not None and owner.tag == "dt":
            self._add(Block("label", 0, 0), collapse(raw))
        else:
            self._paragraph(raw, stack[-1] if stack else None)

    # -- blocks -------------------------------------------------------------------------------
    def _add(self, block: Block, text: str, separator: str = "\n\n", skip: int = 0) -> int:
        """Append `text` after `separator`; the block spans it from `skip` on (cells are relative to it)."""
        if self.text:
            self.text.append(separator)
            self.length += len(separator)
        self.text.append(text)
        at = self.length
        cells = tuple((at + s, at + e) for s, e in block.cells) if block.cells else ()
        self.blocks.append(Block(block.kind, at + skip, at + len(text), block.level, block.number, cells, block.header))
        self.length += len(text)
        return len(self.blocks) - 1

    def _row(self, pieces: list, tr) -> None:
        cells, current = [], None
        for piece in pieces:
            if piece is _CELL:
                current = []
            elif piece is _END_CELL:
                if current is not None:
                    cells.append(collapse("".join(current)))
                current = None
            elif current is not None:
                current.append(piece)
        text, spans = _join_cells(cells or [collapse("".join(p for p in pieces if isinstance(p, str)))])
        if not text:
            return
        table = next((a for a in tr.iterancestors("table")), tr)
        header = self.tables.setdefault(table, len(self.blocks))
        self._add(Block("row", 0, 0, cells=tuple(spans), header=header), text)

    def _paragraph(self, raw: str, element) -> None:
        """A paragraph, label or heading-like paragraph; Markdown paragraphs of cue lines are split."""
        if self.soft_lines and "\n" in raw.strip():
            lines = [collapse(line) for line in raw.split("\n") if line.strip()]
            if self._csv(lines) or self._cue_lines(lines):
                return
        text = collapse(raw)
        lead = _bold_lead(element, text)
        if lead == text and len(text) <= 100 and not text.endswith((".", ",", ";", ":")):
            self._add(Block("heading", 0, 0, self._pseudo_level(), heading_number(text)), text)
        elif lead and (lead.endswith(":") or text[len(lead):].lstrip().startswith(":")) and len(lead) <= 80:
            self._add(Block("label", 0, 0), text)
        elif lead and lead.endswith(".") and len(lead) <= 80 and len(text) > len(lead):
            self._runin(text, len(lead))
        elif not lead and (end := runin_end(text)):
            self._runin(text, end)
        else:
            self._add(self._classified(text), text)

    def _runin(self, text: str, end: int) -> None:
        """A paragraph opening with a heading of its own ("Row 1 — Georgia." in bold, "ARMENIA.")."""
        self._add(Block("heading", 0, 0, self._pseudo_level(), heading_number(text[:end])), text[:end])
        rest = text[end:]
        self._add(Block("paragraph", 0, 0), rest, separator="", skip=len(rest) - len(rest.lstrip()))

    def _classified(self, text: str) -> Block:
        cue, number = line_cue(text)
        if cue == "label" and numbered_label(text):
            return Block("heading", 0, 0, self._pseudo_level(), numbered_label(text))
        if cue == "label":
            return Block("label", 0, 0)
        if cue == "caps":
            return Block("heading", 0, 0, self._pseudo_level(), heading_number(text))
        if cue == "number":
            body = text[NUMBER.match(text).end():].strip()
            if len(body) <= 70 and not body.endswith((".", ",", ";", ":", "!", "?")):
                return Block("heading", 0, 0, self._pseudo_level(), number)
            return Block("item", 0, 0, 1, number)
        if cue == "bullet":
            return Block("item", 0, 0, 1)
        return Block("paragraph", 0, 0)

    def _pseudo_level(self) -> int:
        return min(self.heading_level + 1, 6)

    def _cue_lines(self, lines: list[str]) -> bool:
        """Split a Markdown paragraph whose lines after the first are all label or list lines."""
        if len(lines) < 2 or any(line_cue(line)[0] not in ("label", "bullet", "number") for line in lines[1:]):
            return False
        for k, line in enumerate(lines):
            self._add(self._classified(line), line, separator="\n\n" if k == 0 else "\n")
        return True

    def _csv(self, lines: list[str]) -> bool:
        """Rows of CSV records pasted as a Markdown paragraph (three or more lines, same field count ≥ 4)."""
        if len(lines) < 3:
            return False
        spans = [csv_cells(line) for line in lines]
        if any(s is None for s in spans) or len({len(s) for s in spans}) != 1 or len(spans[0]) < 4:
            return False
        if any(len(lines[0][a:b]) > 40 for a, b in spans[0]):
            return False
        header = len(self.blocks)
        for k, (line, cells) in enumerate(zip(lines, spans)):
            self._add(Block("row", 0, 0, cells=tuple(cells), header=header), line,
                      separator="\n\n" if k == 0 else "\n")
        return True

    def _item_number(self, li) -> str | None:
        parent = li.getparent()
        if parent is None or parent.tag != "ol":
            return None
        if parent not in self.numbers:
            numbers, n = {}, _int(parent.get("start"), 1)
            for child in parent.iterchildren("li"):
                n = _int(child.get("value"), n)
                numbers[child] = _format(n, parent.get("type") or "1")
                n += 1
            self.numbers[parent] = numbers
        return self.numbers[parent].get(li)


def _join_cells(cells: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Cells joined by " | " as the text shows a row (an empty cell leaves "| |"), with each cell's span."""
    text, spans = "", []
    for k, cell in enumerate(cells):
        if k:
            text += "| " if text.endswith(" ") else " | "
        spans.append((len(text), len(text) + len(cell)))
        text += cell
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    return stripped, [(min(max(s - lead, 0), len(stripped)), min(max(e - lead, 0), len(stripped))) for s, e in spans]


def _bold_lead(element, text: str) -> str | None:
    """The text of a bold run that opens a paragraph (`<p><strong>Row 1.</strong> ...`), if any."""
    if element is None or element.tag != "p" or (element.text or "").strip() or len(element) == 0:
        return None
    first = element[0]
    if not isinstance(first.tag, str) or first.tag not in BOLD:
        return None
    lead = collapse(first.text_content())
    return lead if lead and text.startswith(lead) else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _format(n: int, style: str) -> str:
    if style in ("a", "A") and 1 <= n <= 26:
        letter = chr(ord("a") + n - 1)
        return letter.upper() if style == "A" else letter
    if style in ("i", "I") and 1 <= n <= 3999:
        roman = _roman(n)
        return roman.upper() if style == "I" else roman
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out
