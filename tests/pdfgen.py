"""A tiny PDF writer for tests and examples: real, valid PDF files with extractable Helvetica text.

Writing the bytes by hand keeps test inputs free of any PDF library under test.
"""
from __future__ import annotations

import textwrap

LINES_PER_PAGE = 48
WRAP = 88


def _escape(line: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252) with (, ) and \\ escaped."""
    raw = line.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _layout(paragraphs: list[str]) -> list[list[str]]:
    """Paragraphs wrapped into lines, a blank line between them, split into pages."""
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(textwrap.wrap(paragraph, WRAP) or [""])
        lines.append("")
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    return pages or [[""]]


def _content(lines: list[str]) -> bytes:
    body = [b"BT", b"/F1 10 Tf", b"14 TL", b"56 760 Td"]
    for line in lines:
        body.append(b"(" + _escape(line) + b") Tj T*")
    body.append(b"ET")
    return b"\n".join(body)


def make_pdf(paragraphs: list[str], title: str | None = None) -> bytes:
    """The bytes of a valid multi-page PDF showing `paragraphs` as wrapped text."""
    pages = _layout(paragraphs)
    n = len(pages)
    # Object numbers: 1 catalog, 2 pages, 3 font, 4 info, then (page, content) pairs.
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(f"{5 + 2 * i} 0 R".encode() for i in range(n))
        + f"] /Count {n} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Producer (iokg tests/pdfgen.py)" + (b" /Title (" + _escape(title) + b")" if title else b"") + b" >>",
    ]
    for i, lines in enumerate(pages):
        stream = _content(lines)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {6 + 2 * i} 0 R "
                       "/Resources << /Font << /F1 3 0 R >> >> >>".encode())
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write_pdf(path, paragraphs: list[str], title: str | None = None) -> None:
    """Write make_pdf(paragraphs) to `path`."""
    with open(path, "wb") as handle:
        handle.write(make_pdf(paragraphs, title))
