"""The one sanitiser for text that leaves iokg: terminal lines, table and CSV cells, RDF and XML files.

Documents, file names, page titles and endpoint answers are untrusted, so C0/C1 control characters
and bidirectional overrides never reach a terminal raw; each output format gets its own treatment
(RDF syntaxes escape them as \\uXXXX, XML drops what XML cannot hold). Secrets registered here are
replaced by *** in every error message (kg.errors passes all messages through `message`).
"""
from __future__ import annotations

import base64
import json
import re
from urllib.parse import quote, quote_plus

BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: characters never written raw: C0 but tab and newline, DEL, C1, bidi marks and overrides
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")
_ANY_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI}]")
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_XML_ILLEGAL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI}\ud800-\udfff\ufffe\uffff]")
_RDF_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")  # \t and \n are legal in RDF syntaxes
_SECRETS: set[str] = set()


def visible(text: str) -> str:
    """Every unsafe character (controls, bidi overrides, also tab and newline) shown as '?', e.g. in file names."""
    return _ANY_CONTROL.sub("?", text)


def cell(text: str, keep_lines: bool = False) -> str:
    """A table, TSV or CSV cell: ANSI escape sequences dropped, other unsafe characters (with `keep_lines`,
    all but tab and newline, which quoted CSV cells may hold) become spaces."""
    return (UNSAFE if keep_lines else _ANY_CONTROL).sub(" ", ANSI.sub("", text))


def metadata(text: str | None) -> str | None:
    """A title or publisher taken from a document: escapes dropped, whitespace collapsed, None if empty."""
    if text is None:
        return None
    return " ".join(cell(str(text)).split()) or None


def rdf_text(text: str) -> str:
    """Serialised Turtle, N-Triples, N-Quads, TriG or JSON-LD with unsafe characters as \\uXXXX escapes.

    They can only occur inside literals and IRIs, where all these syntaxes read \\uXXXX back as the character.
    """
    return _RDF_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04X}", text)


def xml_text(text: str) -> str:
    """Text for an XML file (GraphML, GEXF): characters XML 1.0 forbids, C1 controls and bidi overrides dropped."""
    return _XML_ILLEGAL.sub("", text)


def register_secret(secret: str | bytes | None, user: str | None = None) -> None:
    """Remember a credential so `redact` hides it in any form a server may echo it back in."""
    if not secret:
        return
    secret = secret.decode("utf-8", "replace") if isinstance(secret, bytes) else secret
    forms = {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1], repr(secret)[1:-1],
             secret.encode("utf-8").decode("latin-1"), secret.encode("unicode_escape").decode("ascii")}
    pairs = [secret] + ([f"{user}:{secret}"] if user else [])
    for pair in pairs:
        for encoding in ("utf-8", "latin-1"):
            try:
                raw = pair.encode(encoding)
            except UnicodeEncodeError:
                continue
            forms.add(base64.b64encode(raw).decode("ascii").rstrip("="))
            forms.add(base64.urlsafe_b64encode(raw).decode("ascii").rstrip("="))
    _SECRETS.update(form for form in forms if len(form) >= 3)


def redact(text: str) -> str:
    """The text with every registered secret (longest forms first) replaced by ***."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, "***")
    return text


def redact_bytes(data: bytes) -> bytes:
    """Raw bytes (an HTTP body) with every registered secret removed, in UTF-8, Latin-1 or UTF-16."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        for encoding in ("utf-8", "latin-1", "utf-16-le", "utf-16-be"):
            try:
                data = data.replace(secret.encode(encoding), b"***")
            except UnicodeEncodeError:
                continue
    return data


def message(text: str) -> str:
    """One line fit for a terminal: secrets redacted, unsafe characters shown as '?', whitespace collapsed."""
    return " ".join(visible(redact(text).replace("\n", " ").replace("\t", " ")).split())
