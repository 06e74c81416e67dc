"""Read input files (.txt, .md, .html, .pdf, .csv) into kg.model.Document with decoded plain text.

Every failure a user can cause with a bad file (missing, binary, empty, too large, damaged or
encrypted PDF, mixed encodings) becomes a DocumentError naming the file and the reason.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path

from kg.errors import DocumentError
from kg.model import Document

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
           ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".csv": "csv"}
MB = 1024 * 1024
MAX_BYTES = {"pdf": 100 * MB, "default": 10 * MB}  # IOKG_MAX_MB overrides both
DROP_TAGS = ("script", "style", "nav", "header", "footer", "aside", "noscript", "form", "iframe",
             "svg", "template", "button", "select", "textarea", "object", "embed", "canvas")
BLOCK_TAGS = frozenset(("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd", "tr",
              "figcaption", "caption", "div", "section", "article", "main", "table", "ul", "ol", "br",
              "hr", "address", "summary", "details"))
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069\ufeff]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NON_LATIN = {"Cyrillic", "Greek", "Arabic", "Hebrew", "Thai", "Armenian", "Georgian"}
ErrorHandler = Callable[[DocumentError], None]


def shown(path: str | os.PathLike) -> str:
    """A path fit for a terminal: control characters (ANSI escapes in hostile file names) become '?'."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", str(path))


def supported_extensions() -> list[str]:
    """The file extensions iokg reads, for help texts and error messages."""
    return sorted(FORMATS)


def read_document(path: str | os.PathLike, max_bytes: int | None = None) -> Document:
    """Read one file into a Document; raise DocumentError (file and reason) if it cannot be used."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DocumentError(shown(path), f"unsupported file type '{path.suffix or '(none)'}' "
                                       f"(supported: {', '.join(supported_extensions())})")
    data = _read_bytes(path, max_bytes or _limit(fmt))
    sha = hashlib.sha256(data).hexdigest()
    if fmt == "pdf":
        text, meta, encoding = *_pdf_text(path, data), "binary"
    else:
        text, encoding = decode_bytes(data, shown(path))
        if fmt == "html":
            text, meta = html_to_text(text, shown(path))
        elif fmt == "md":
            text, meta = markdown_to_text(text)
        else:
            meta = {}
    text = clean_text(text)
    if not text.strip():
        raise DocumentError(shown(path), "no readable text in the document")
    return Document(path=str(path), name=shown(path.name), text=text, format=fmt, sha256=sha,
                    encoding=encoding, title=meta.get("title"), publisher=meta.get("publisher"),
                    date=meta.get("date"))


def iter_paths(paths: Iterable[str | os.PathLike], on_error: ErrorHandler | None = None) -> Iterator[Path]:
    """Yield the files named or found under directories, sorted and de-duplicated.

    Hidden entries and unsupported extensions inside directories are skipped; a path that is
    missing or unreadable, or a directory symlink loop, raises DocumentError, or is passed to
    `on_error` (and skipped) when given, so a batch can go on.
    """
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for raw in paths:
        path = Path(raw)
        try:
            info = _stat(path)
            if stat.S_ISDIR(info.st_mode):
                yield from _walk(path, (), seen_dirs, seen_files, on_error)
            elif _first_visit(info, seen_files):
                yield path
        except DocumentError as error:
            _report(error, on_error)


def _walk(directory: Path, ancestors: tuple, seen_dirs: set, seen_files: set,
          on_error: ErrorHandler | None) -> Iterator[Path]:
    """Depth-first sorted walk that follows symlinks but reports loops instead of circling."""
    key = _key(_stat(directory))
    if key in ancestors:
        raise DocumentError(shown(directory), "symbolic link loop (points back to a parent folder), skipped")
    if key in seen_dirs:
        return
    seen_dirs.add(key)
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as error:
        raise DocumentError(shown(directory), f"cannot list folder: {_reason(error)}") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = Path(entry.path)
        try:
            info = _stat(child)
            if stat.S_ISDIR(info.st_mode):
                yield from _walk(child, ancestors + (key,), seen_dirs, seen_files, on_error)
            elif child.suffix.lower() in FORMATS and _first_visit(info, seen_files):
                yield child
        except DocumentError as error:
            _report(error, on_error)


def _report(error: DocumentError, on_error: ErrorHandler | None) -> None:
    if on_error is None:
        raise error
    on_error(error)


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except OSError as error:
        if path.is_symlink() and isinstance(error, FileNotFoundError):
            raise DocumentError(shown(path), "broken symbolic link (its target does not exist)") from None
        raise DocumentError(shown(path), _reason(error)) from None


def _key(info: os.stat_result) -> tuple[int, int]:
    return (info.st_dev, info.st_ino)


def _first_visit(info: os.stat_result, seen: set) -> bool:
    if _key(info) in seen:
        return False
    seen.add(_key(info))
    return True


def _reason(error: OSError) -> str:
    """A short human reason for an OS error, without the path (the caller names the file)."""
    if isinstance(error, FileNotFoundError):
        return "no such file or directory (missing or deleted)"
    if isinstance(error, PermissionError):
        return "permission denied"
    if getattr(error, "errno", None) == 40:  # ELOOP
        return "symbolic link loop"
    return (error.strerror or str(error)).lower()


def _limit(fmt: str) -> int:
    override = os.environ.get("IOKG_MAX_MB")
    if override:
        try:
            return int(float(override) * MB)
        except ValueError:
            pass
    return MAX_BYTES.get(fmt, MAX_BYTES["default"])


def _read_bytes(path: Path, limit: int) -> bytes:
    """The raw bytes of a regular file no larger than `limit`."""
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer.
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise DocumentError(shown(path), "not a regular file (folder, device or pipe)")
            data = handle.read(limit + 1)
    except IsADirectoryError:
        raise DocumentError(shown(path), "is a folder, not a file") from None
    except OSError as error:
        raise DocumentError(shown(path), _reason(error)) from None
    if len(data) > limit:
        raise DocumentError(shown(path), f"file is larger than the {limit / MB:.0f} MB limit "
                                       "(set IOKG_MAX_MB to raise it)")
    if not data.strip():
        raise DocumentError(shown(path), "file is empty")
    return data


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode text bytes: UTF-8 (BOM stripped), UTF-16 with BOM, else cp1252/latin-1 by detection."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), codec + "-bom" if codec == "utf-8" else codec
            except UnicodeDecodeError as error:
                raise DocumentError(name, f"invalid {codec} at byte {error.start}") from None
    if b"\x00" in data[:65536]:
        raise DocumentError(name, "binary file (contains NUL bytes), not a text document")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if _UTF8_MULTIBYTE.search(data):
            raise DocumentError(name, f"invalid UTF-8 at byte {error.start} "
                                      "(mixed or corrupt encoding)") from None
        text, encoding = _decode_legacy(data)
    controls = sum(1 for ch in text[:65536] if ch < " " and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:65536]) // 100):
        raise DocumentError(name, "binary file (many control characters), not a text document")
    return text, encoding


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Single-byte text: Western (cp1252, else latin-1) unless detection finds a non-Latin script."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and any(a.split()[0] in _NON_LATIN for a in best.alphabets):
        return data.decode(best.encoding, errors="replace"), best.encoding
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def clean_text(text: str) -> str:
    """Unify newlines, compose Unicode (NFC), and drop control, zero-width and bidi-override characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()


def html_to_text(markup: str, name: str = "<html>") -> tuple[str, dict]:
    """Main text of a web page, one paragraph or list item per line, plus title/publisher/date."""
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
    return _block_text(main), meta


def _block_text(root) -> str:
    """Text under `root` with whitespace collapsed and a paragraph break around every block element.

    Walks the tree with start/end events (no recursion), so deep nesting costs linear time.
    """
    from lxml import etree

    pieces: list[str | None] = []  # None marks a paragraph break
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            if tag in BLOCK_TAGS:
                pieces.append(None)
            previous = element.getprevious()
            if tag in ("td", "th") and previous is not None and previous.tag in ("td", "th"):
                pieces.append(" | ")
            if tag is not None and element.text:
                pieces.append(element.text)
        else:
            if tag in BLOCK_TAGS:
                pieces.append(None)
            if element is not root and element.tail:
                pieces.append(element.tail)
    blocks, current = [], []
    for piece in pieces + [None]:
        if piece is None:
            blocks.append(" ".join("".join(current).split()))
            current = []
        else:
            current.append(piece)
    return "\n\n".join(block for block in blocks if block)


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


def markdown_to_text(source: str) -> tuple[str, dict]:
    """Markdown rendered to HTML and reduced to text; YAML front matter gives title/publisher/date."""
    from markdown_it import MarkdownIt

    meta: dict = {}
    front = re.match(r"---\n(.*?)\n---\n", source.replace("\r\n", "\n"), re.S)
    if front:
        source = source.replace("\r\n", "\n")[front.end():]
        for line in front.group(1).splitlines():
            key, _, value = line.partition(":")
            meta[key.strip().lower()] = value.strip().strip("\"'") or None
    html = MarkdownIt("commonmark").enable("table").render(source)
    text, html_meta = html_to_text(html)
    return text, {"title": meta.get("title") or html_meta.get("title"),
                  "publisher": meta.get("publisher") or meta.get("source"),
                  "date": iso_date(meta.get("date"))}


def _pdf_text(path: Path, data: bytes) -> tuple[str, dict]:
    """Page texts and the metadata title; a damaged, truncated, encrypted or image-only PDF raises DocumentError."""
    from pypdf import PdfReader

    if b"%PDF-" not in data[:1024]:
        raise DocumentError(shown(path), "not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        raise DocumentError(shown(path), "truncated PDF (no %%EOF end marker)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(shown(path), "encrypted PDF (a password is required)")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except DocumentError:
        raise
    except Exception as error:  # pypdf raises many types on hostile files; all mean "unreadable"
        reason = shown(str(error).splitlines()[0][:160]) if str(error).strip() else type(error).__name__
        if "encrypt" in reason.lower() or "cryptography" in reason.lower():
            raise DocumentError(shown(path), f"encrypted PDF that cannot be opened ({reason})") from None
        raise DocumentError(shown(path), f"damaged PDF ({reason})") from None
    if not "".join(pages).strip():
        raise DocumentError(shown(path), "PDF has no extractable text (scanned images?)")
    text = "\n\n".join(_unwrap(page) for page in pages if page.strip())
    return text, {"title": " ".join(str(title).split()) or None if title else None}


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
