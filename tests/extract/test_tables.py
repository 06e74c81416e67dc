"""kg.extract.tables: summary tables (HTML <table> or Markdown) give the figures of the networks they list."""
from __future__ import annotations

from kg.read.document import read_document
from kg.extract.tables import header_fields, table_rows
from kg.extract.networks import extract_document

PAGE = """<html><body><h1>Quarterly report</h1>
<p>We took down three networks this quarter.</p>
<table>
<tr><th>Country of origin</th><th>Targets</th><th>Facebook accounts</th><th>Pages</th><th>Instagram accounts</th></tr>
<tr><td>Chile</td><td>Peru, Bolivia</td><td>1,204</td><td>17</td><td>&ndash;</td></tr>
<tr><td>Kenya</td><td>Kenya</td><td>58</td><td>0</td><td>9</td></tr>
<tr><td>Nepal</td><td>India</td><td>12</td><td>3</td><td>1</td></tr>
</table>
<h2>Chile</h2>
<p>This network originated in Chile and targeted audiences in Peru and Bolivia. About 3,100 accounts followed its Pages.</p>
<h2>Kenya</h2>
<p>This domestic network originated in Kenya. It spent about $400 on ads.</p>
</body></html>"""

MARKDOWN = """| Origin | Target | Facebook accounts | Groups |
|---|---|---|---|
| Georgia | Georgia | 44 | 2 |
| Iran | Israel | 7 | – |
"""


def test_header_words_map_to_fields():
    assert header_fields(["Country of origin", "Targets", "Facebook accounts", "Pages", "Groups",
                          "Instagram accounts", "Attributed to"]) == {
        0: "origin", 1: "targets", 2: "facebook_accounts", 3: "pages", 4: "groups", 5: "instagram_accounts"}


def test_markdown_table_rows_with_dashes_for_unknown_figures():
    georgia, iran = table_rows(MARKDOWN)
    assert georgia.origin == ("GE",) and georgia.counts == {"facebook_accounts": 44, "groups": 2}
    assert iran.targets == ("IL",) and iran.counts == {"facebook_accounts": 7, "groups": None}
    assert MARKDOWN[iran.evidence.start:iran.evidence.end] == iran.evidence.text


def test_a_table_without_an_origin_column_is_not_read():
    assert table_rows("| Month | Networks | Accounts |\n|---|---|---|\n| March | 14 | 1,200 |\n") == []


def test_an_html_table_gives_counts_to_the_sections_and_a_network_to_an_unlisted_row(tmp_path, nlp):
    path = tmp_path / "report.html"
    path.write_text(PAGE, encoding="utf-8")
    document = read_document(path)
    chile, kenya, nepal = extract_document(document, nlp).networks
    assert chile.removed["facebook_accounts"] == 1204 and chile.removed["pages"] == 17
    assert chile.removed["instagram_accounts"] is None and chile.followers["pages"] == 3100
    assert kenya.removed == {"facebook_accounts": 58, "pages": 0, "groups": None, "instagram_accounts": 9, "events": None,
                             "twitter_accounts": None, "youtube_channels": None, "tiktok_accounts": None}
    assert kenya.ad_spend_usd == 400 and set(kenya.platforms) == {"Facebook", "Instagram"}
    assert nepal.origin == ("NP",) and nepal.targets == ("IN",) and nepal.removed["facebook_accounts"] == 12
    (claim,) = [c for c in chile.claims if c.field == "removed.facebook_accounts"]
    assert document.text[claim.evidence.start:claim.evidence.end].startswith("Chile | Peru, Bolivia | 1,204")


def test_rows_come_from_the_document_structure(tmp_path):
    """A row whose last cell is empty, or whose cell holds a paragraph, keeps its columns."""
    page = ("<table><tr><th>Origin</th><th>Pages</th><th>Groups</th></tr>"
            "<tr><td><p>Peru</p></td><td>3</td><td></td></tr><tr><td>Chile</td><td></td><td>2</td></tr></table>")
    path = tmp_path / "t.html"
    path.write_text(page, encoding="utf-8")
    document = read_document(path)
    peru, chile = table_rows(document)
    assert peru.counts == {"pages": 3, "groups": None} and chile.counts == {"pages": None, "groups": 2}
    assert document.text[peru.evidence.start:peru.evidence.end] == peru.evidence.text == "Peru | 3 |"
    assert table_rows(document.text)[0].counts == {"pages": 3, "groups": None}
