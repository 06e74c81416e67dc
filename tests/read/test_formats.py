"""kg.read.formats through read_document: HTML main text and metadata, Markdown, PDF pages and failures, dates."""
from __future__ import annotations

import hashlib

import pytest
from pypdf import PdfWriter

from kg.read.document import read_document
from kg.read.formats import iso_date
from tests.pdfgen import make_pdf, write_pdf
from tests.read.test_documents import SENTENCE, fails, write


HTML = """<!doctype html><html><head><title>Fallback title</title>
<meta property="og:title" content="Network from Iran removed">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2021-04-06T14:00:00+00:00">
<style>p { color: red }</style><script>var secret = "do not read";</script></head>
<body><header>Site banner</header><nav><a href="/">Home</a> | <a href="/w">World</a></nav>
<main><h1>Iran network</h1>
<p>Facebook removed a network
   from <b>Iran</b> that targeted <i>Israel</i>.</p>
<ul><li>41 Facebook accounts</li><li>five Groups</li></ul>
<table><tr><th>Platform</th><th>Count</th></tr><tr><td>Pages</td><td>12</td></tr></table>
<form><input value="Subscribe"><button>Go</button></form>
<noscript>Enable JavaScript</noscript><script>alert("x")</script><!-- hidden comment -->
<div hidden>Invisible text</div></main>
<aside>Related stories</aside><footer>Copyright line</footer></body></html>"""


def test_html_main_text_only(tmp_path):
    doc = read_document(write(tmp_path, "page.html", HTML.encode()))
    lines = doc.text.split("\n\n")
    assert lines == ["Iran network", "Facebook removed a network from Iran that targeted Israel.",
                     "41 Facebook accounts", "five Groups", "Platform | Count", "Pages | 12"]
    for junk in ("secret", "alert", "Home", "banner", "Copyright", "Related", "Subscribe",
                 "JavaScript", "comment", "Invisible", "color"):
        assert junk not in doc.text
    assert (doc.title, doc.publisher, doc.date) == ("Network from Iran removed", "Example News", "2021-04-06")


def test_html_metadata_fallbacks(tmp_path):
    page = ("<html><head><title> Plain   title </title><meta name='publisher' content='Wire'></head>"
            "<body><time datetime='2019-05-16'>May 16</time><p>Text.</p></body></html>")
    doc = read_document(write(tmp_path, "p.htm", page.encode("cp1252")))
    assert (doc.title, doc.publisher, doc.date, doc.format) == ("Plain title", "Wire", "2019-05-16", "html")


def test_html_with_only_scripts_has_no_text(tmp_path):
    fails(write(tmp_path, "s.html", b"<html><script>x()</script><nav>menu</nav></html>"), "no readable text")


def test_markdown_to_plain_text(tmp_path):
    source = ("---\ntitle: \"Monthly report\"\ndate: March 4, 2021\npublisher: Meta\n---\n"
              "# April findings\n\nWe removed **14 networks** from\n[eleven countries](http://x.example).\n\n"
              "* Network one: Iran\n* Network two: `Egypt`\n\n> Quoted remark.\n\n"
              "![chart](c.png)\n\n<script>bad()</script>\n")
    doc = read_document(write(tmp_path, "r.md", source.encode()))
    assert doc.text.split("\n\n") == ["April findings", "We removed 14 networks from eleven countries.",
                                      "Network one: Iran", "Network two: Egypt", "Quoted remark."]
    assert (doc.title, doc.publisher, doc.date, doc.format) == ("Monthly report", "Meta", "2021-03-04", "md")


@pytest.mark.parametrize("front, expected", [
    ("title: >-\n  Quarterly\n  threat report\ndate: 2022-08-04\nsource: 'Meta: Newsroom'",
     ("Quarterly threat report", "Meta: Newsroom", "2022-08-04")),
    ("title: [unclosed\ndate: 2022-08-04", (None, None, None)),  # not YAML: no metadata, the text still reads
    ("- a list\n- not a mapping", (None, None, None)),
])
def test_markdown_front_matter_is_yaml(tmp_path, front, expected):
    doc = read_document(write(tmp_path, "f.md", f"---\n{front}\n---\nWe removed 3 Pages.\n".encode()))
    assert (doc.title, doc.publisher, doc.date) == expected
    assert doc.text == "We removed 3 Pages."


def test_markdown_title_from_heading(tmp_path):
    doc = read_document(write(tmp_path, "h.markdown", b"# Takedown news\n\nSome text here.\n"))
    assert doc.title == "Takedown news" and doc.text == "Takedown news\n\nSome text here."


def test_pdf_text_pages_and_unwrapping(tmp_path):
    paragraphs = [f"Paragraph {i}: " + SENTENCE + " The operators used fake personas (some) \\ here."
                  for i in range(60)]
    path = tmp_path / "r.pdf"
    write_pdf(path, paragraphs, title="April 2021 report")
    doc = read_document(path)
    assert doc.format == "pdf" and doc.title == "April 2021 report"
    for paragraph in (paragraphs[0], paragraphs[30], paragraphs[59]):
        assert paragraph in doc.text  # wrapped lines joined back into one sentence
    assert doc.text.count("\n\n") >= 2  # several pages
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_hyphenation_undone(tmp_path):
    path = tmp_path / "h.pdf"
    long = "x" * 70
    path.write_bytes(make_pdf([f"{long} coordinated inauthen-", "tic behavior was found."]))
    assert "inauthentic behavior" in read_document(path).text


def test_truncated_pdf(tmp_path):
    data = make_pdf([SENTENCE] * 200)
    fails(write(tmp_path, "cut.pdf", data[: len(data) // 2]), "truncated")


def test_damaged_and_fake_pdf(tmp_path):
    fails(write(tmp_path, "fake.pdf", b"just text pretending\n%%EOF"), "not a PDF")
    damaged = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    fails(write(tmp_path, "damaged.pdf", damaged), "pdf")


def test_encrypted_pdf(tmp_path):
    source = write(tmp_path, "plain.pdf", make_pdf([SENTENCE]))
    writer = PdfWriter(clone_from=source)
    writer.encrypt("secret-password", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    writer.write(locked)
    fails(locked, "encrypted", "password")


def test_owner_only_encrypted_pdf_is_readable(tmp_path):
    source = write(tmp_path, "plain.pdf", make_pdf([SENTENCE]))
    writer = PdfWriter(clone_from=source)
    writer.encrypt("", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "owner.pdf"
    writer.write(path)
    assert SENTENCE in read_document(path).text


def test_image_only_pdf(tmp_path):
    fails(write(tmp_path, "blank.pdf", make_pdf([""])), "no extractable text")


@pytest.mark.parametrize("value, expected", [
    ("2021-04-06T10:00Z", "2021-04-06"), ("April 6, 2021", "2021-04-06"), ("6 April 2021", "2021-04-06"),
    ("Sept 31st", None), ("", None), (None, None), ("March 3rd, 2020", "2020-03-03"),
])
def test_iso_date(value, expected):
    assert iso_date(value) == expected


def test_xhtml_with_xml_declaration(tmp_path):
    page = '<?xml version="1.0" encoding="utf-8"?>\n<html><body><p>Réseau   removed.</p></body></html>'
    assert read_document(write(tmp_path, "p.xhtml", page.encode())).text == "Réseau removed."


def test_html_nested_beyond_the_parser_limit_is_refused(tmp_path):
    page = "<div>" * 5000 + "deep text" + "</div>" * 5000
    fails(write(tmp_path, "deep.html", page.encode()), "nested too deeply")
    ok = "<div>" * 1000 + "<p>deep text</p>" + "</div>" * 1000
    assert read_document(write(tmp_path, "ok.html", ok.encode())).text == "deep text"
