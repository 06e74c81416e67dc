"""Component iokg_blocks in the real pipelines: no sentence crosses a heading, list item, label line or row."""
from __future__ import annotations

import pytest

from kg.extract.components.blocks import BLOCKS_KEY, block_of_tokens, token_starts
from kg.extract.pipeline import parse_document
from kg.graph.model import Document
from kg.read.document import read_document
from tests.read.test_documents import write

# Written so that, without the blocks, sentences would run across them: no final punctuation before a
# new block, lowercase starts, a table row straight after a label.
MARKDOWN = """## Peru and the firm behind it

**Origin:** Peru
**Target:** Chile

- the firm ran 40 accounts
- and nine Pages that posed as news outlets
  1. first sub-point
  2. second sub-point

| origin | accounts |
|---|---|
| Peru | 40 |
| Chile | 12 |

## second section
more text follows here without a capital
"""

TEXT = """SPRING NOTES
(a) Kenya
thirty accounts were removed by the company
- one bullet without a stop
- another one
Origin: Kenya
| origin | accounts |
| Kenya | 30 |
"""


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    folder = tmp_path_factory.mktemp("blocks")
    return [read_document(write(folder, "notes.md", MARKDOWN.encode())),
            read_document(write(folder, "notes.txt", TEXT.encode()))]


def crossing(doc, blocks) -> list[str]:
    """Sentences that start before a non-paragraph block and end inside or after its start."""
    bad = []
    for sent in doc.sents:
        for block in blocks:
            if sent.start_char < block.start < sent.end_char and doc.text[sent.start_char:block.start].strip():
                bad.append(f"{sent.text!r} crosses {doc.text[block.start:block.end]!r}")
    return bad


@pytest.mark.parametrize("pipeline", ["nlp", "nlp_rules"])
def test_sentences_never_cross_blocks(pipeline, documents, request):
    nlp = request.getfixturevalue(pipeline)
    for document in documents:
        assert len(document.blocks) >= 8
        doc = parse_document(nlp, document)
        assert crossing(doc, document.blocks) == []
        assert [t.block for t in doc._.iokg_blocks] == list(document.blocks)
        assert [s.label_ for s in doc.spans["iokg_blocks"]] == [b.kind for b in document.blocks]


@pytest.mark.parametrize("pipeline", ["nlp", "nlp_rules"])
def test_without_blocks_sentences_do_cross(pipeline, documents, request):
    """The check above can fail: the plain pipeline glues a heading or label to the next line."""
    nlp = request.getfixturevalue(pipeline)
    document = documents[0]
    doc = nlp(document.text.replace("\n", " "))
    assert crossing(doc, document.blocks)
    blocked = nlp.make_doc(document.text.replace("\n", " "))
    blocked.user_data[BLOCKS_KEY] = document.blocks
    assert crossing(nlp(blocked), document.blocks) == []


def test_headings_and_labels_hold_together(nlp, documents):
    doc = parse_document(nlp, documents[0])
    sents = [s.text.strip() for s in doc.sents]
    assert "Origin: Peru" in sents and "Target: Chile" in sents
    assert "Peru and the firm behind it" in sents


def test_blocks_as_token_spans_with_cells(nlp_rules, documents):
    doc = parse_document(nlp_rules, documents[1])
    rows = [t for t in doc._.iokg_blocks if t.kind == "row"]
    assert [[c.text for c in t.cells] for t in rows] == [["origin", "accounts"], ["Kenya", "30"]]
    heading = next(t for t in doc._.iokg_blocks if t.block.number == "a")
    assert heading.span.text == "(a) Kenya" and heading.level == 2 and heading.parent == 0


def test_a_document_without_blocks_gets_them_from_its_layout(nlp_rules):
    document = Document(path="x.txt", name="x.txt", text=TEXT.strip(), format="txt", sha256="0")
    doc = parse_document(nlp_rules, document)
    assert len(doc._.iokg_blocks) == 8
    assert not crossing(doc, [t.block for t in doc._.iokg_blocks])


def test_token_starts_skip_spaces_and_land_inside_tokens(nlp_rules):
    doc = nlp_rules.make_doc("One two.\n\nThree")
    assert token_starts(doc, [0, 5, 8, 9, 999]) == [0, 1, 4]


def test_block_of_tokens(nlp_rules, documents):
    document = documents[1]
    doc = parse_document(nlp_rules, document)
    owner = block_of_tokens(doc)
    kenya = next(t for t in doc if t.text == "Kenya")
    assert document.blocks[owner[kenya.i]].number == "a"
    assert owner[0] == 0 and all(owner[t.i] == -1 for t in doc if t.text == "\n")
