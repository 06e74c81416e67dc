"""Component `iokg_lines`: a line break ends a sentence, so list items and headings stand alone.

Reports put bullet points and section numbers on their own lines without final punctuation; the
statistical parser and the rule sentencizer would glue them to the next sentence otherwise.
"""
from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc


WRAP_WIDTH = 50  # a line this long that runs on without final punctuation was hard-wrapped
BULLETS = ("-", "*", "\u2022", "\u2013")


def line_starts(doc: Doc) -> list[int]:
    """Indexes of tokens that start a new line, except where a sentence was merely hard-wrapped."""
    starts = []
    line_start = 0
    spaces = doc.to_array("IS_SPACE").nonzero()[0]
    for i in spaces:
        tok = doc[int(i)]
        if "\n" not in tok.text or tok.i + 1 >= len(doc):
            continue
        begin, line_start = line_start, tok.i + 1
        if tok.text.count("\n") > 1:  # a blank line always ends a paragraph
            starts.append(tok.i + 1)
        elif not is_wrapped(doc[begin:tok.i].text.strip(), tok.text, doc[tok.i + 1].text):
            starts.append(tok.i + 1)
    return starts


def is_wrapped(previous: str, gap: str, following: str) -> bool:
    """A single line break inside a sentence: the next line starts lowercase, or a long line runs on."""
    if gap.count("\n") > 1 or not previous or following.startswith(BULLETS) or previous.endswith((".", "!", "?", ":", ";")):
        return False
    return following[:1].islower() or len(previous) >= WRAP_WIDTH


def set_line_starts(doc: Doc) -> Doc:
    """Mark every line start as a sentence start in one pass over the Doc's SENT_START column.

    Setting Token.is_sent_start one token at a time checks the whole Doc for a parse on every call,
    which made this step quadratic in the number of lines; other starts already set are kept."""
    starts = [i for i in line_starts(doc) if not doc[i].is_space]
    if starts:
        column = doc.to_array([SENT_START]).reshape(-1, 1)
        column[starts, 0] = 1
        doc.from_array([SENT_START], column)
    return doc


@Language.factory("iokg_lines", assigns=["token.is_sent_start"])
def make_lines(nlp: Language, name: str):
    """Mark a sentence start after every line break (runs before the parser or after the sentencizer)."""
    return set_line_starts
