"""Component `iokg_lines`: a line break ends a sentence, so list items and headings stand alone.

Reports put bullet points and section numbers on their own lines without final punctuation; the
statistical parser and the rule sentencizer would glue them to the next sentence otherwise.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


def line_starts(doc: Doc) -> list[int]:
    """Indexes of tokens that follow a whitespace token containing a line break."""
    return [tok.i + 1 for tok in doc[:-1] if "\n" in tok.text or "\n" in tok.whitespace_]


@Language.factory("iokg_lines")
def make_lines(nlp: Language, name: str):
    """Mark a sentence start after every line break (runs before the parser or after the sentencizer)."""

    def lines(doc: Doc) -> Doc:
        for i in line_starts(doc):
            if not doc[i].is_space:
                doc[i].is_sent_start = True
        return doc

    return lines
