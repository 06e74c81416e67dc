"""The budget of one document: size, text length and page count checked before parsing, character runs
that make tokenisers quadratic defused, and a wall-clock limit on reading plus extraction.

Every limit has an environment override (IOKG_MAX_MB, IOKG_MAX_CHARS, IOKG_MAX_PAGES, IOKG_DOC_TIMEOUT)
and every breach is a DocumentError naming the file, so the rest of a batch goes on.
"""
from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from kg.errors import DocumentError, UsageError

MB = 1024 * 1024
MAX_BYTES = {"pdf": 100 * MB, "default": 10 * MB}  # IOKG_MAX_MB overrides both
MAX_CHARS = 5_000_000  # text after conversion; spaCy's max_length in kg.extract.pipeline is this too
MAX_PAGES = 2_000
DOC_TIMEOUT = 120.0
#: runs of punctuation longer than this are cut: spaCy's prefix/suffix search is quadratic in a run's length
MAX_RUN = 32
_PUNCT_RUN = re.compile(rf"(?:[^\w\s]|_){{{MAX_RUN + 1},}}")


def _number(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise UsageError(f"{name} must be a number, not {value!r}") from None
    if number < 0:
        raise UsageError(f"{name} cannot be negative")
    return number


def max_bytes(fmt: str) -> int:
    """The file-size limit for a format: 100 MB for PDF, 10 MB for the others (IOKG_MAX_MB for all)."""
    override = _number("IOKG_MAX_MB", 0)
    return int(override * MB) if override else MAX_BYTES.get(fmt, MAX_BYTES["default"])


def max_chars() -> int:
    """The longest text iokg extracts from (IOKG_MAX_CHARS)."""
    return int(_number("IOKG_MAX_CHARS", MAX_CHARS))


def max_pages() -> int:
    """The most pages of a PDF iokg reads (IOKG_MAX_PAGES)."""
    return int(_number("IOKG_MAX_PAGES", MAX_PAGES))


def doc_timeout() -> float:
    """Seconds one document may take to read and extract (IOKG_DOC_TIMEOUT; 0 turns the limit off)."""
    return _number("IOKG_DOC_TIMEOUT", DOC_TIMEOUT)


def check_text_length(text: str, name: str) -> None:
    """Refuse text longer than the limit before any tokeniser sees it."""
    limit = max_chars()
    if len(text) > limit:
        raise DocumentError(name, f"text is {len(text):,} characters, over the {limit:,}-character limit "
                                  "(set IOKG_MAX_CHARS to raise it)")


def check_page_count(pages: int, name: str) -> None:
    """Refuse a PDF with more pages than the limit before its pages are read."""
    limit = max_pages()
    if pages > limit:
        raise DocumentError(name, f"PDF has {pages:,} pages, over the {limit:,}-page limit "
                                  "(set IOKG_MAX_PAGES to raise it)")


def defuse(text: str) -> str:
    """Runs of more than MAX_RUN punctuation characters (50 KB of '[' or '-') cut to MAX_RUN, so tokenising
    stays linear; letters, digits and whitespace are never touched."""
    return _PUNCT_RUN.sub(lambda match: match.group(0)[:MAX_RUN], text)


class _Expired(BaseException):
    """Raised by the alarm inside the limited block; a BaseException so no `except Exception` swallows it."""


_active = threading.local()


@contextmanager
def time_limit(name: str, seconds: float | None = None) -> Iterator[None]:
    """Raise DocumentError(name) when the block runs longer than `seconds` (default IOKG_DOC_TIMEOUT).

    Uses SIGALRM, so it works in the main thread of any process (a worker process too) on POSIX;
    elsewhere, when nested, or with a limit of 0, the block simply runs. Native code that never returns
    to Python (none on the paths the budget leaves open) is interrupted when it does return.
    """
    seconds = doc_timeout() if seconds is None else seconds
    usable = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not seconds or not usable or getattr(_active, "on", False):
        yield
        return

    def expire(signum, frame):
        if getattr(_active, "on", False):
            raise _Expired()

    previous = signal.signal(signal.SIGALRM, expire)
    _active.on = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
        _active.on = False
    except _Expired:
        raise DocumentError(name, f"took longer than the {seconds:g} s limit per document "
                                  "(IOKG_DOC_TIMEOUT); skipped") from None
    finally:
        _active.on = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
