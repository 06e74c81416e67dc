"""Document.blocks from every reader (Markdown, HTML, text, CSV, PDF) and the helpers in kg.read.blocks."""
from __future__ import annotations

from kg.graph.model import Block, Document
from kg.read.blocks import block_sentence_starts, document_tables, remap, scoped
from kg.read.document import _clean_chars, read_document
from tests.pdfgen import write_pdf
from tests.read.test_documents import write


def shape(doc: Document) -> list[tuple]:
    return [(b.kind, b.level, b.number, b.parent, doc.text[b.start:b.end]) for b in doc.blocks]


def cells(doc: Document, block: Block) -> list[str]:
    return [doc.text[s:e] for s, e in block.cells]


MARKDOWN = """---
title: Spring roundup
---
# Spring roundup

**In short:** two networks went down this month.

## 1. The Lima network

**Origin:** Peru
**Target:** Chile and Bolivia

The company took down 40 accounts.

**Case A — Lima (March).** Its personas posed as farmers.

3. Iran
4. Russia
   - a nested bullet

| Origin | Facebook accounts | Pages |
|---|---:|---|
| Peru | 40 | |
| **Total** | **40** | |

origin,accounts,pages,groups
Peru,40,3,0
Chile,"1,200",9,1

## 2. Quito
"""


def test_markdown_blocks(tmp_path):
    doc = read_document(write(tmp_path, "roundup.md", MARKDOWN.encode()))
    blocks = shape(doc)
    assert blocks[:8] == [
        ("heading", 1, None, -1, "Spring roundup"),
        ("label", 0, None, 0, "In short: two networks went down this month."),
        ("heading", 2, "1", 0, "1. The Lima network"),
        ("label", 0, None, 2, "Origin: Peru"),
        ("label", 0, None, 2, "Target: Chile and Bolivia"),
        ("paragraph", 0, None, 2, "The company took down 40 accounts."),
        ("heading", 3, None, 2, "Case A — Lima (March)."),
        ("paragraph", 0, None, 6, "Its personas posed as farmers."),
    ]
    assert blocks[8:11] == [("item", 1, "3", 6, "Iran"), ("item", 1, "4", 6, "Russia"),
                            ("item", 2, None, 6, "a nested bullet")]
    rows = [b for b in doc.blocks if b.kind == "row"]
    assert [cells(doc, r) for r in rows] == [
        ["Origin", "Facebook accounts", "Pages"], ["Peru", "40", ""], ["Total", "40", ""],
        ["origin", "accounts", "pages", "groups"], ["Peru", "40", "3", "0"], ["Chile", "1,200", "9", "1"]]
    assert [r.header for r in rows] == [11] * 3 + [14] * 3
    assert blocks[-1] == ("heading", 2, "2", 0, "2. Quito")
    assert "Origin: Peru\nTarget: Chile and Bolivia" in doc.text  # label lines keep their own lines


def test_markdown_wrapped_prose_is_one_paragraph(tmp_path):
    source = "The company said the network\nwas run from Accra: it had\n41 accounts.\n"
    doc = read_document(write(tmp_path, "prose.md", source.encode()))
    assert shape(doc) == [("paragraph", 0, None, -1, "The company said the network was run from Accra: it had 41 accounts.")]


HTML = """<html><body><nav>Home | About</nav><main>
<h1>Takedowns this week</h1>
<p>Two networks were removed.</p>
<h2>Ghana</h2>
<p><strong>Origin:</strong> Ghana</p>
<p>Honduras / BlueWave Media &mdash; 3,100 accounts, 12 Pages</p>
<ol start="2"><li>first point<ul><li>nested</li></ul></li><li value="7">seventh</li></ol>
<ol type="a"><li>lettered</li></ol>
<dl><dt>Target</dt><dd>Nigeria and Togo</dd></dl>
<p><b>Why it matters</b></p>
<p>Reach was small.</p>
<h3>Figures</h3>
<table><thead><tr><th>Origin</th><th>Accounts</th></tr></thead>
<tbody><tr><td><p>Ghana</p></td><td>41</td></tr><tr><td>Togo</td><td></td></tr></tbody></table>
<h2>Benin</h2><p>RUN-IN CAPS are not split in HTML.</p>
</main></body></html>"""


def test_html_blocks(tmp_path):
    doc = read_document(write(tmp_path, "week.html", HTML.encode()))
    assert shape(doc) == [
        ("heading", 1, None, -1, "Takedowns this week"),
        ("paragraph", 0, None, 0, "Two networks were removed."),
        ("heading", 2, None, 0, "Ghana"),
        ("label", 0, None, 2, "Origin: Ghana"),
        ("label", 0, None, 2, "Honduras / BlueWave Media \u2014 3,100 accounts, 12 Pages"),
        ("item", 1, "2", 2, "first point"),
        ("item", 2, None, 2, "nested"),
        ("item", 1, "7", 2, "seventh"),
        ("item", 1, "a", 2, "lettered"),
        ("label", 0, None, 2, "Target"),
        ("paragraph", 0, None, 2, "Nigeria and Togo"),
        ("heading", 3, None, 2, "Why it matters"),
        ("paragraph", 0, None, 11, "Reach was small."),
        ("heading", 3, None, 2, "Figures"),
        ("row", 0, None, 13, "Origin | Accounts"),
        ("row", 0, None, 13, "Ghana | 41"),
        ("row", 0, None, 13, "Togo |"),
        ("heading", 2, None, 0, "Benin"),
        ("paragraph", 0, None, 17, "RUN-IN CAPS are not split in HTML."),
    ]
    rows = [b for b in doc.blocks if b.kind == "row"]
    assert [cells(doc, r) for r in rows] == [["Origin", "Accounts"], ["Ghana", "41"], ["Togo", ""]]
    assert {r.header for r in rows} == {14}
    assert "Home" not in doc.text


def test_html_offsets_survive_cleaning(tmp_path):
    markup = "<h1>Zero\u200bwidth title</h1><p>Cafe\u0301 owners and \u202eRLO\u202c text.</p><p>\u200b</p><p>End.</p>"
    doc = read_document(write(tmp_path, "clean.html", markup.encode()))
    assert shape(doc) == [("heading", 1, None, -1, "Zerowidth title"),
                          ("paragraph", 0, None, 0, "Caf\u00e9 owners and RLO text."),
                          ("paragraph", 0, None, 0, "End.")]


def test_text_blocks_through_the_reader(tmp_path):
    source = "\ufeffREPORT\r\n\r\n(a) Kenya\r\n\r\nThirty accounts.\r\n\r\n- one\r\n- two\r\n"
    doc = read_document(write(tmp_path, "notes.txt", source.encode()))
    assert shape(doc) == [("heading", 1, None, -1, "REPORT"), ("heading", 2, "a", 0, "(a) Kenya"),
                          ("paragraph", 0, None, 1, "Thirty accounts."),
                          ("item", 1, None, 1, "- one"), ("item", 1, None, 1, "- two")]


def test_csv_rows_through_the_reader(tmp_path):
    doc = read_document(write(tmp_path, "sheet.csv", b'origin,accounts\nGhana,"1,041"\n'))
    assert [cells(doc, b) for b in doc.blocks] == [["origin", "accounts"], ["Ghana", "1,041"]]
    table, = document_tables(doc)
    assert [c.text for c in table.header.cells] == ["origin", "accounts"]
    assert [[c.text for c in r.cells] for r in table.rows] == [["Ghana", "1,041"]]


def test_pdf_blocks(tmp_path):
    path = tmp_path / "brief.pdf"
    write_pdf(path, ["OVERVIEW", "The platform removed a network of forty accounts that was run from "
                     "Accra and aimed at readers in Ghana and Togo during the spring.",
                     "Origin: Ghana", "- forty accounts", "- six Pages"])
    doc = read_document(path)
    kinds = [(b.kind, doc.text[b.start:b.end].split()[0]) for b in doc.blocks]
    assert kinds == [("heading", "OVERVIEW"), ("paragraph", "The"), ("label", "Origin:"),
                     ("item", "-"), ("item", "-")]
    assert [b.parent for b in doc.blocks] == [-1, 0, 0, 2, 2]  # the bullets right under the label hang from it


def test_document_tables_give_header_and_rows_with_spans(tmp_path):
    doc = read_document(write(tmp_path, "roundup.md", MARKDOWN.encode()))
    first, second = document_tables(doc)
    assert [c.text for c in first.header.cells] == ["Origin", "Facebook accounts", "Pages"]
    assert [[c.text for c in row.cells] for row in first.rows] == [["Peru", "40", ""], ["Total", "40", ""]]
    for table in (first, second):
        for row in (table.header,) + table.rows:
            assert all(doc.text[c.start:c.end] == c.text for c in row.cells)
            assert doc.text[row.start:row.end].startswith(row.cells[0].text)
    assert first.parent == 6  # under the "Case A" heading


def test_scoped_closes_sections_at_the_same_or_a_higher_level():
    blocks = [Block("heading", 0, 1, 1), Block("heading", 2, 3, 2), Block("paragraph", 4, 5),
              Block("heading", 6, 7, 3), Block("item", 8, 9, 1), Block("heading", 10, 11, 2),
              Block("paragraph", 12, 13), Block("heading", 14, 15, 1), Block("row", 16, 17, parent=2)]
    assert [b.parent for b in scoped(blocks)] == [-1, 0, 1, 1, 3, 0, 5, -1, 2]


def test_block_sentence_starts():
    blocks = [Block("paragraph", 10, 20), Block("heading", 0, 5, 1), Block("label", 10, 12)]
    assert block_sentence_starts(blocks) == [0, 10]


def test_remap_moves_offsets_and_drops_emptied_blocks():
    raw = "\u200bTitle\n\nA\u200b b\n\n\u200b\n\nEnd"
    blocks = [Block("heading", 1, 6, 1), Block("paragraph", 8, 12, parent=0), Block("paragraph", 14, 15, parent=0),
              Block("paragraph", 17, 20, parent=0)]
    text, moved = remap(raw, blocks, _clean_chars)
    assert text == "Title\n\nA b\n\n\n\nEnd"
    assert [(text[b.start:b.end], b.parent) for b in moved] == [("Title", -1), ("A b", 0), ("End", 0)]


def test_markdown_numbered_labels_and_runin_headings(tmp_path):
    source = "# Week\n\nNetwork 1: Peru\n\nWe removed 40 accounts.\n\nCHILE. Nine Pages.\n\nBolivia. Two Groups.\n"
    doc = read_document(write(tmp_path, "week.md", source.encode()))
    assert shape(doc) == [("heading", 1, None, -1, "Week"), ("heading", 2, "1", 0, "Network 1: Peru"),
                          ("paragraph", 0, None, 1, "We removed 40 accounts."), ("heading", 2, None, 0, "CHILE."),
                          ("paragraph", 0, None, 3, "Nine Pages."), ("heading", 2, None, 0, "Bolivia."),
                          ("paragraph", 0, None, 5, "Two Groups.")]


def test_a_block_never_starts_or_ends_with_space_left_by_cleaning(tmp_path):
    doc = read_document(write(tmp_path, "zw.html", "<p>Kenya \u200b</p><table><tr><td>\u200b</td><td>7</td></tr></table>".encode()))
    assert [(b.kind, doc.text[b.start:b.end], cells(doc, b)) for b in doc.blocks] == [
        ("paragraph", "Kenya", []), ("row", "| 7", ["", "7"])]
