"""Plain text and metadata from the structured formats: HTML, Markdown and PDF.

kg.read.document decides what a file is and decodes it; this module turns markup and PDF pages into
the paragraph-per-line text the extractor reads. Failures are DocumentError naming the file.
"""
from __future__ import annotations

import io
import logging
import re
import warnings
from contextlib import contextmanager
from datetime import date, datetime

import yaml

from kg.errors import DocumentError
from kg.out import sanitize
from kg.read.limits import check_page_count
from kg.read.structure import tree_blocks

DROP_TAGS = ("script", "style", "nav", "header", "footer", "aside", "noscript", "form", "iframe",
             "svg", "template", "button", "select", "textarea", "object", "embed", "canvas")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def html_to_text(markup: str, name: str = "<html>", soft_lines: bool = False) -> tuple[str, dict]:
    """Main text of a web page, one paragraph or list item per line, plus title/publisher/date.

    meta["blocks"] holds the page's structure (kg.read.structure); `soft_lines` (Markdown) keeps the
    line breaks of a paragraph whose lines are "Label: value" lines, list lines or CSV records.
    """
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", markup, count=1), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise DocumentError(name, f"not readable as HTML ({error})") from None
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        raise DocumentError(name, "HTML is nested too deeply (over 2048 levels) to read safely")
    meta = _html_meta(root)
    for element in root.xpath("//*[@hidden]") + list(root.iter(*DROP_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    articles = root.findall(".//article")
    candidates = (root.find(".//main"), next(iter(root.xpath("//*[@role='main']")), None),
                  articles[0] if len(articles) == 1 else None, root.find("body"), root)
    main = next(element for element in candidates if element is not None)
    if not meta.get("title"):
        heading = main.find(".//h1")
        meta["title"] = " ".join(heading.text_content().split()) or None if heading is not None else None
    text, meta["blocks"] = tree_blocks(main, soft_lines)
    return text, meta


def _html_meta(root) -> dict:
    """Title, publisher and ISO date from <title>, Open Graph, article: and common meta tags."""
    def content(*keys: str) -> str | None:
        for key in keys:
            for tag in root.xpath("//meta[@property=$k or @name=$k or @itemprop=$k]", k=key):
                if (tag.get("content") or "").strip():
                    return " ".join(tag.get("content").split())
        return None

    title = content("og:title", "twitter:title")
    title_tag = root.find(".//title")
    if not title and title_tag is not None:
        title = " ".join(title_tag.text_content().split())
    date = content("article:published_time", "datePublished", "date", "pubdate", "publish-date",
                   "DC.date.issued", "dc.date")
    time_tag = root.find(".//time")
    if not date and time_tag is not None:
        date = time_tag.get("datetime") or time_tag.text_content().strip()
    return {"title": title or None, "publisher": content("og:site_name", "publisher", "application-name"),
            "date": iso_date(date)}


def iso_date(value: str | None) -> str | None:
    """'2021-04-06T10:00Z', 'April 6, 2021' or '6 April 2021' as '2021-04-06'; None if not a date."""
    if not value:
        return None
    value = value.strip()
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        return "-".join(match.groups())
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", value.replace(",", " "))
    cleaned = " ".join(cleaned.split())
    for fmt in ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def markdown_to_text(source: str, name: str = "<markdown>") -> tuple[str, dict]:
    """Markdown rendered to HTML and reduced to text; YAML front matter gives title/publisher/date."""
    from markdown_it import MarkdownIt

    meta: dict = {}
    front = re.match(r"---\n(.*?)\n---\n", source.replace("\r\n", "\n"), re.S)
    if front:
        source = source.replace("\r\n", "\n")[front.end():]
        meta = _front_matter(front.group(1))
    html = MarkdownIt("commonmark").enable("table").render(source)
    text, html_meta = html_to_text(html, name, soft_lines=True)
    return text, {"title": meta.get("title") or html_meta.get("title"),
                  "publisher": meta.get("publisher") or meta.get("source"),
                  "date": iso_date(meta.get("date")), "blocks": html_meta["blocks"]}


def _front_matter(text: str) -> dict:
    """The YAML front matter as {lower-case key: text}; front matter that is not a YAML mapping gives {}.
    Terminal escapes and control characters (which YAML refuses) are dropped first, so a hostile title
    still reads as its text."""
    try:
        data = yaml.safe_load(sanitize.UNSAFE.sub("", sanitize.ANSI.sub("", text)))
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k).strip().lower(): (v.isoformat() if isinstance(v, (date, datetime)) else str(v).strip()) or None
            for k, v in data.items() if v is not None}


def pdf_to_text(data: bytes, name: str) -> tuple[str, dict]:
    """Page texts and the metadata title; a damaged, truncated, encrypted or image-only PDF raises DocumentError."""
    from pypdf import PdfReader

    if b"%PDF-" not in data[:1024]:
        raise DocumentError(name, "not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        raise DocumentError(name, "truncated PDF (no %%EOF end marker)")
    try:
        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise DocumentError(name, "encrypted PDF (a password is required)")
            check_page_count(len(reader.pages), name)  # before any page is read
            pages = [page.extract_text() or "" for page in reader.pages]
            title = reader.metadata.title if reader.metadata else None
            from kg.read.dates import pdf_date
            created = pdf_date(reader.metadata)
    except DocumentError:
        raise
    except Exception as error:  # pypdf raises many types on hostile files; all mean "unreadable"
        reason = _CONTROL.sub("?", str(error).splitlines()[0][:160]) if str(error).strip() else type(error).__name__
        if "encrypt" in reason.lower() or "cryptography" in reason.lower():
            raise DocumentError(name, f"encrypted PDF that cannot be opened ({reason})") from None
        raise DocumentError(name, f"damaged PDF ({reason})") from None
    if not "".join(pages).strip():
        raise DocumentError(name, "PDF has no extractable text (scanned images?)")
    text = "\n\n".join(_unwrap(page) for page in pages if page.strip())
    return text, {"title": " ".join(str(title).split()) or None if title else None, "date": created}


@contextmanager
def _quiet_pypdf():
    """pypdf reports oddities through logging and warnings; iokg reports the file's one-line error instead."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _unwrap(page: str) -> str:
    """Join PDF layout line breaks inside sentences and undo end-of-line hyphenation.

    A line at least 60% as long as the page's longest line that runs on (ends in a lowercase word,
    digit or comma, or the next line starts lowercase) was wrapped by the layout: it is joined.
    """
    lines = [line.strip() for line in page.splitlines()]
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        wrapped = (previous and len(previous) >= 0.6 * width and not re.search(r"[.!?:;]$", previous)
                   and (re.search(r"[a-z0-9,\-]$", previous) or line[:1].islower()))
        if line and wrapped:
            if re.search(r"\w-$", previous) and line[:1].islower():
                out[-1] = previous[:-1] + line
            else:
                out[-1] = previous + " " + line
        else:
            out.append(line)
    return "\n".join(out)
