"""Read input files (.txt, .md, .html, .pdf, .csv) into kg.graph.model.Document with decoded plain text.

Here: walking folders, reading bytes, detecting the encoding, cleaning text; kg.read.formats turns
HTML, Markdown and PDF into text. Every failure a user can cause with a bad file (missing, binary,
empty, too large, damaged or encrypted PDF, mixed encodings) becomes a DocumentError naming the file.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import DocumentError
from kg.read.blocks import remap
from kg.read.dates import document_date
from kg.read.formats import html_to_text, markdown_to_text, pdf_to_text
from kg.read.limits import MB, check_text_length, defuse, max_bytes as _limit
from kg.read.layout import csv_blocks, text_blocks
from kg.graph.model import Document
from kg.out import sanitize

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
           ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".csv": "csv"}
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NON_LATIN = {"Cyrillic", "Greek", "Arabic", "Hebrew", "Thai", "Armenian", "Georgian"}
ErrorHandler = Callable[[DocumentError], None]


def shown(path: str | os.PathLike) -> str:
    """A path fit for a terminal: control and bidi characters (ANSI escapes in hostile file names) become '?'."""
    return sanitize.visible(str(path))


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
        text, meta, encoding = *pdf_to_text(data, shown(path)), "binary"
    else:
        text, encoding = decode_bytes(data, shown(path))
        if fmt != "html":  # markup-free or nearly (Markdown): its length bounds the text, so refuse before parsing
            check_text_length(text, shown(path))
        if fmt == "html":
            text, meta = html_to_text(text, shown(path))
        elif fmt == "md":
            text, meta = markdown_to_text(text, shown(path))
        else:
            meta = {}
    text, blocks = _structured(text, fmt, meta.get("blocks"))
    if not text.strip():
        raise DocumentError(shown(path), "no readable text in the document")
    check_text_length(text, shown(path))
    defused = defuse(text)
    if defused != text:  # runs of punctuation were cut: the offsets moved, so the layout is read again
        text, blocks = defused, text_blocks(defused)
    return Document(path=str(path), name=shown(path.name), text=text, format=fmt, sha256=sha,
                    encoding=encoding, title=sanitize.metadata(meta.get("title")),
                    publisher=sanitize.metadata(meta.get("publisher")),
                    date=document_date(text, meta.get("date"), path.name) if fmt != "pdf" else
                    document_date(text, None, path.name) or meta.get("date"), blocks=tuple(blocks))


def _structured(text: str, fmt: str, blocks: list | None) -> tuple[str, list]:
    """The cleaned text and its blocks: the markup's blocks moved through cleaning, else read from layout."""
    if blocks is not None:
        cleaned = clean_text(text)
        return (cleaned, blocks) if cleaned == text else remap(text, blocks, _clean_chars)
    text = clean_text(text)
    return text, csv_blocks(text) if fmt == "csv" else text_blocks(text)


def text_document(text: str, name: str = "text.txt", title: str | None = None, publisher: str | None = None,
                  date: str | None = None) -> Document:
    """A Document for text already in memory (the Python API's `extract_text`), cleaned like a file's."""
    cleaned = clean_text(text)
    if not cleaned.strip():
        raise DocumentError(name, "no readable text in the document")
    sha = hashlib.sha256(cleaned.encode("utf-8")).hexdigest()
    return Document(path=name, name=name, text=cleaned, format="txt", sha256=sha, title=title, publisher=publisher,
                    date=date)


def iter_paths(paths: Iterable[str | os.PathLike], on_error: ErrorHandler | None = None,
               on_skip: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """Yield the files named or found under directories, sorted and de-duplicated.

    Hidden entries inside directories are skipped, files of unsupported types too (each passed to
    `on_skip` when given); a path that is missing or unreadable, or a directory symlink loop, raises
    DocumentError, or is passed to `on_error` (and skipped) when given, so a batch can go on.
    """
    for path, _ in iter_sources(paths, on_error, on_skip):
        yield path


def iter_sources(paths: Iterable[str | os.PathLike], on_error: ErrorHandler | None = None,
                 on_skip: Callable[[Path], None] | None = None) -> Iterator[tuple[Path, str]]:
    """Like iter_paths, with each file's path relative to the folder argument it was found under
    (its file name when it was named directly): what names its graph in the store."""
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for raw in paths:
        path = Path(raw)
        try:
            info = _stat(path)
            if stat.S_ISDIR(info.st_mode):
                for child in _walk(path, (), seen_dirs, seen_files, on_error, on_skip):
                    yield child, child.relative_to(path).as_posix()
            elif _first_visit(info, seen_files):
                yield path, path.name
        except DocumentError as error:
            _report(error, on_error)


def _walk(directory: Path, ancestors: tuple, seen_dirs: set, seen_files: set,
          on_error: ErrorHandler | None, on_skip: Callable[[Path], None] | None = None) -> Iterator[Path]:
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
                yield from _walk(child, ancestors + (key,), seen_dirs, seen_files, on_error, on_skip)
            elif child.suffix.lower() not in FORMATS:
                if on_skip is not None:
                    on_skip(child)
            elif _first_visit(info, seen_files):
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
    return _clean_chars(text).strip()


def _clean_chars(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))
