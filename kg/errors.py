"""Every error iokg raises on purpose, with the exit code the CLI returns for it.

Exit codes (documented in README.md):
  0  success
  1  the command ran but found a problem (validation did not conform, some documents failed)
  2  usage error (bad option, unknown canned query, bad --param)
  3  input error (a document could not be read or parsed)
  4  store error (store busy, corrupted, cannot be opened)
  5  endpoint error (remote SPARQL server refused, failed or answered garbage)
  6  query error (SPARQL syntax or evaluation error)
"""
from __future__ import annotations

from kg.out.sanitize import message as _one_line


class IokgError(Exception):
    """Base class: a one-line message a user can act on, and the process exit code.

    Every message passes the one sanitiser: registered secrets redacted, control and bidi characters
    shown as '?', so no error line can leak a credential or repaint a terminal.
    """

    exit_code = 1

    def __init__(self, message: str):
        message = _one_line(str(message))
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(IokgError):
    """The caller asked for something that does not exist or is malformed."""

    exit_code = 2


class DocumentError(IokgError):
    """A document could not be read: names the file and the reason."""

    exit_code = 3

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = _one_line(str(path))
        self.reason = _one_line(str(reason))


class StoreError(IokgError):
    """The embedded store could not be opened or written."""

    exit_code = 4


class StoreBusyError(StoreError):
    """Another iokg process holds the store."""


class EndpointError(IokgError):
    """A remote SPARQL endpoint failed; the message names the endpoint without credentials."""

    exit_code = 5


class QueryError(IokgError):
    """A SPARQL query did not parse or failed to evaluate."""

    exit_code = 6


class ValidationError(IokgError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = 1
