"""kg.read.cues and kg.read.layout: structure of plain text from layout cues, in several wordings of each cue."""
from __future__ import annotations

import pytest

from kg.read.cues import (country_operator, csv_cells, heading_number, is_country_operator, is_label, label_parts,
                          line_cue)
from kg.read.layout import csv_blocks, lines_of, pipe_cells, text_blocks


def shape(text: str) -> list[tuple]:
    """(kind, level, number, parent, text) of every block, the way a reader sees the structure."""
    return [(b.kind, b.level, b.number, b.parent, text[b.start:b.end]) for b in text_blocks(text)]


@pytest.mark.parametrize("line, cue, number", [
    ("- 12 Pages were removed", "bullet", None),
    ("* 12 Pages were removed", "bullet", None),
    ("\u2022 twelve Pages", "bullet", None),
    ("\u2013 a dozen Pages", "bullet", None),
    ("(b) Kenya", "number", "b"),
    ("b) Kenya and Uganda", "number", "b"),
    ("2. Chad, Niger and Mali: 70 Facebook accounts", "number", "2"),
    ("14) the last network", "number", "14"),
    ("II. Findings", "number", "II"),
    ("(iii) Togo", "number", "iii"),
    ("3.2 Methods of attribution", "number", "3.2"),
    ("e.g. the Pages", "text", None),
    ("2019. A year of takedowns", "text", None),
    ("1.5 million accounts were suspended", "text", None),
    ("WHAT WE FOUND", "caps", None),
    ("RU -> GE", "caps", None),
    ("Origin: Iran", "label", None),
    ("Target audience: Israel and the Gulf", "label", None),
    ("Honduras / BlueWave Media \u2014 3,100 accounts, 12 Pages", "label", None),
    ("Peru / Andes Digital", "label", None),
    ("The spokesperson said: we removed them", "text", None),
    ("| Origin | Accounts |", "pipe", None),
    ("------", "rule", None),
    ("= = = =", "rule", None),
    ("## Section two", "atx", None),
    ("The network posted in Spanish.", "text", None),
])
def test_line_cues(line, cue, number):
    assert line_cue(line) == (cue, number)


def test_labels_and_country_operator_lines():
    assert is_label("Attributed to: a marketing firm in Quito")
    assert not is_label("Meta wrote: the accounts were fake")
    assert is_country_operator('Ghana / "Eagle Eye" \u2013 41 accounts')
    assert not is_country_operator("12 accounts / 3 Pages / 2 Groups")
    assert not is_country_operator("Venezuela/US and its neighbours")


def test_caps_and_short_headings_scope_what_follows():
    text = ("QUARTERLY ROUNDUP\n\nOn Monday the company said it had taken down two networks in the\n"
            "region, both of them small.\n\nPeru\n\nForty accounts posed as local voters.\n\n"
            "Bolivia\n\nNine Pages were run from La Paz.\n\nWHAT COMES NEXT\n\nMore reports are due.")
    assert shape(text) == [
        ("heading", 1, None, -1, "QUARTERLY ROUNDUP"),
        ("paragraph", 0, None, 0, "On Monday the company said it had taken down two networks in the\n"
                                  "region, both of them small."),
        ("heading", 2, None, 0, "Peru"),
        ("paragraph", 0, None, 2, "Forty accounts posed as local voters."),
        ("heading", 2, None, 0, "Bolivia"),
        ("paragraph", 0, None, 4, "Nine Pages were run from La Paz."),
        ("heading", 1, None, -1, "WHAT COMES NEXT"),
        ("paragraph", 0, None, 6, "More reports are due."),
    ]


def test_lettered_and_numbered_headings_versus_list_items():
    text = ("(a) Kenya\n\nA set of 30 accounts praised the governor.\n\n(b) Uganda\n\n"
            "Twelve Pages were removed.\n\nThe three origins were:\n\n1. Iran\n2. Russia\n3. China\n")
    blocks = shape(text)
    assert blocks[0] == ("heading", 1, "a", -1, "(a) Kenya")
    assert blocks[2] == ("heading", 1, "b", -1, "(b) Uganda")
    assert blocks[-3:] == [("item", 1, "1", 2, "1. Iran"), ("item", 1, "2", 2, "2. Russia"),
                           ("item", 1, "3", 2, "3. China")]


def test_roman_sections_and_numbered_headings_nest():
    text = ("I. Background\n\nSome context here.\n\n1. The Chad network\n\nIt ran 70 accounts.\n\n"
            "2. The Togo network\n\nIt ran 9 Pages.\n\nII. Outlook\n\nNothing more.")
    blocks = shape(text)
    headings = [(b[1], b[2], b[3]) for b in blocks if b[0] == "heading"]
    assert headings == [(1, "I", -1), (2, "1", 0), (2, "2", 0), (1, "II", -1)]
    assert blocks[-1] == ("paragraph", 0, None, 6, "Nothing more.")


def test_long_numbered_lines_are_items_with_their_continuations():
    text = ("2. Chad, Niger and Mali: the company removed 70 Facebook accounts that posed\n"
            "   as local news outlets.\n3. Togo: nine Pages.")
    assert shape(text) == [
        ("item", 1, "2", -1, "2. Chad, Niger and Mali: the company removed 70 Facebook accounts that posed\n"
                             "   as local news outlets."),
        ("item", 1, "3", -1, "3. Togo: nine Pages."),
    ]


def test_bullets_nest_by_indent_and_hang_from_a_country_operator_line():
    text = ("Honduras / BlueWave Media \u2014 3,100 accounts, 12 Pages\n"
            "  - posed as voters\n"
            "    * mostly in Spanish\n"
            "  - ran ads worth $4,000, paid in\n"
            "    lempiras\n\n"
            "A separate paragraph.")
    assert shape(text) == [
        ("label", 0, None, -1, "Honduras / BlueWave Media \u2014 3,100 accounts, 12 Pages"),
        ("item", 1, None, 0, "- posed as voters"),
        ("item", 2, None, 0, "* mostly in Spanish"),
        ("item", 1, None, 0, "- ran ads worth $4,000, paid in\n    lempiras"),
        ("paragraph", 0, None, -1, "A separate paragraph."),
    ]


def test_label_lines_one_per_block():
    text = "Origin: Iran\nTarget audience: Israel\nAssets: 41 accounts, 5 Pages\n\nThe rest of the text."
    assert [(b[0], b[4]) for b in shape(text)] == [
        ("label", "Origin: Iran"), ("label", "Target audience: Israel"),
        ("label", "Assets: 41 accounts, 5 Pages"), ("paragraph", "The rest of the text.")]


def test_wrapped_prose_stays_one_paragraph():
    text = ("The platform said the operation, which it traced to a firm in\n"
            "Lagos, used fake accounts: some of them posed as nurses, others as\n"
            "students. It removed them all.")
    assert shape(text) == [("paragraph", 0, None, -1, text)]


def test_runin_caps_heading_splits_from_its_paragraph():
    text = "BRIEFS\n\nGHANA. Forty accounts were removed.\n\nTOGO AND BENIN. Nine Pages went too."
    assert shape(text) == [
        ("heading", 1, None, -1, "BRIEFS"),
        ("heading", 2, None, 0, "GHANA."),
        ("paragraph", 0, None, 1, "Forty accounts were removed."),
        ("heading", 2, None, 0, "TOGO AND BENIN."),
        ("paragraph", 0, None, 3, "Nine Pages went too."),
    ]


def test_underlined_and_framed_headings():
    text = "Annual review\n=============\n\nIntro text.\n\nMoldova\n-------\n\nSix Pages.\n"
    blocks = shape(text)
    assert [(b[0], b[1], b[4]) for b in blocks if b[0] == "heading"] == [
        ("heading", 1, "Annual review"), ("heading", 2, "Moldova")]
    assert blocks[-1][3] == 2
    framed = "=======\nPART ONE\n=======\n\n(a) Peru\n\nText."
    assert [(b[0], b[1], b[4]) for b in shape(framed)][:2] == [("heading", 1, "PART ONE"), ("heading", 2, "(a) Peru")]


def test_pipe_table_rows_with_cells_and_header():
    text = ("Summary\n\n| Origin | Facebook accounts | Pages |\n|---|---:|---|\n| Peru | 40 | 3 |\n"
            "| Chile |  | 12 |\n\nAfter the table.")
    blocks = text_blocks(text)
    rows = [b for b in blocks if b.kind == "row"]
    assert len(rows) == 3 and all(r.header == 1 and r.parent == 0 for r in rows)
    assert [[text[s:e] for s, e in r.cells] for r in rows] == [
        ["Origin", "Facebook accounts", "Pages"], ["Peru", "40", "3"], ["Chile", "", "12"]]
    assert text[blocks[-1].start:blocks[-1].end] == "After the table."


def test_a_single_pipe_line_is_not_a_table():
    text = "prepared by: R. | draft 2 | not for circulation\n\nBody text."
    assert [b.kind for b in text_blocks(text)] == ["label", "paragraph"]


def test_csv_cells_and_blocks():
    assert csv_cells('a,"b, c",,d') == [(0, 1), (3, 7), (9, 9), (10, 11)]
    assert csv_cells('a,"open') is None
    text = 'origin,accounts\nIran,"1,200"\nPeru,40'
    blocks = csv_blocks(text)
    assert [[text[s:e] for s, e in b.cells] for b in blocks] == [["origin", "accounts"], ["Iran", "1,200"],
                                                                ["Peru", "40"]]
    assert {b.header for b in blocks} == {0}


def test_every_block_is_inside_the_text_and_in_order():
    text = ("NOTES\n - one\n   two\n(c) THREE -> FOUR   <-- check!!\n    5 accts\n| a | b |\n| c | d |\n"
            "Label: v\n\n\n  indented para\nGHANA. X.")
    blocks = text_blocks(text)
    assert blocks
    for previous, block in zip([None] + blocks, blocks):
        assert 0 <= block.start < block.end <= len(text)
        assert text[block.start:block.end] == text[block.start:block.end].strip()
        if previous is not None:
            assert previous.end <= block.start


def test_pipe_cells_framed_and_unframed():
    text = "| Peru | 40 | |\nPeru | 40 |\n| | 40"
    assert [[text[s:e] for s, e in pipe_cells(line)] for line in lines_of(text)] == [
        ["Peru", "40", ""], ["Peru", "40", ""], ["", "", "40"]]


@pytest.mark.parametrize("heading, number", [("2. Chad", "2"), ("(b) Kenya", "b"), ("II. Findings", "II"),
                                             ("3.1 Method", "3.1"), ("1 \u00b7 Ecuador", "1"), ("4 \u2014 Peru", "4"),
                                             ("2019 in review", None), ("12 March 2020 \u2014 Facebook", None)])
def test_heading_numbers(heading, number):
    assert heading_number(heading) == number


def test_title_case_runin_headings_and_numbered_labels():
    text = ("Overview of the week.\n\nKenya. A set of 30 accounts was removed.\n\nSaudi Arabia. Nine Pages went too.\n\n"
            "Mr. Smith said the rest. Dr. Jones agreed.\n\nCase 2: Uganda\n\nTwelve Pages were removed.")
    assert shape(text) == [
        ("paragraph", 0, None, -1, "Overview of the week."),
        ("heading", 2, None, -1, "Kenya."),
        ("paragraph", 0, None, 1, "A set of 30 accounts was removed."),
        ("heading", 2, None, -1, "Saudi Arabia."),
        ("paragraph", 0, None, 3, "Nine Pages went too."),
        ("paragraph", 0, None, 3, "Mr. Smith said the rest. Dr. Jones agreed."),
        ("heading", 1, "2", -1, "Case 2: Uganda"),
        ("paragraph", 0, None, 6, "Twelve Pages were removed."),
    ]


def test_a_framed_case_heading_keeps_its_number():
    text = "-----------\nCase 3 \u2014 \"Blue Lake\"\n-----------\n\nWho: a firm in Lagos\n"
    assert shape(text) == [("heading", 1, "3", -1, "Case 3 \u2014 \"Blue Lake\""), ("label", 0, None, 0, "Who: a firm in Lagos")]


@pytest.mark.parametrize("line, label, value", [
    ("Origin: Iran", "Origin", "Iran"),
    ("Target audience:  Israel and the Gulf ", "Target audience", "Israel and the Gulf"),
    ("- tgt: Georgia, Armenia", "tgt", "Georgia, Armenia"),
    ("2. Attributed to: Orion Digital, Quito", "Attributed to", "Orion Digital, Quito"),
    ("Meta said: it removed them", None, None),
    ("Reach was thin: about 500 followers", None, None),
])
def test_label_parts(line, label, value):
    parts = label_parts(line)
    assert (parts and (line[slice(*parts[0])], line[slice(*parts[1])])) == ((label, value) if label else None)


@pytest.mark.parametrize("line, country, operator", [
    ("Honduras / BlueWave Media \u2014 3,100 accounts, 12 Pages", "Honduras", "BlueWave Media"),
    ("RU-1 / Caucasus", "RU-1", "Caucasus"),
    ('US / "Patriots Run Project" (PRP)', "US", '"Patriots Run Project" (PRP)'),
    ("Mexico / government-aligned, no agency named", None, None),
    ("20 FB accts / 14 Pages / 9 IG", None, None),
])
def test_country_operator_parts(line, country, operator):
    parts = country_operator(line)
    assert (parts and (line[slice(*parts[0])], line[slice(*parts[1])])) == ((country, operator) if country else None)


def test_bare_section_numbers_outrank_short_caption_lines():
    text = "01\n\nWe removed 29 accounts.\n\nTranslation\n\nCaption: a protest poster\n\n02\n\nWe removed 5 Pages."
    assert shape(text) == [
        ("heading", 1, "01", -1, "01"), ("paragraph", 0, None, 0, "We removed 29 accounts."),
        ("heading", 2, None, 0, "Translation"), ("label", 0, None, 2, "Caption: a protest poster"),
        ("heading", 1, "02", -1, "02"), ("paragraph", 0, None, 4, "We removed 5 Pages.")]


def test_a_dateline_is_not_a_label():
    assert line_cue("MENLO PARK, Calif.: Facebook removed a network today.") == ("text", None)
