"""When a network was taken down: a date from its own sentences, else its document's date.

`network_date` reads the sentences that describe one network ("removed in August", "in Q2 2024",
"last week", a table row's "2019-02-14") and resolves relative expressions against the document
date. A date the text gives for an earlier takedown ("linked to a network we removed in October
2020") is not this network's date: `earlier_takedowns` returns it for the iokg:continues link.
`date_networks` applies both to an Extraction's networks after extraction.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from kg.graph.model import Evidence, Extraction, Network, TakedownDate
from kg.read.dates import DateMention, find_dates, interval

_REMOVAL = re.compile(r"(?i)\b(remov|took down|taken down|take down|takedown|suspend|disrupt|ban|terminat|delet|disabl|"
                      r"action|enforce|pulled|shut|announc|disclos|dismantl|purg)")
_EARLIER = re.compile(r"(?i)\b(previously|in the past|recreate|re-?establish|came back|recidiv\w*|earlier (?:takedown|network)|"
                      r"(?:linked|connected|related|tied) to (?:a |the |an )?(?:\w+ ){0,2}(?:network|operation|campaign) we)")
_NOT_TAKEDOWN = re.compile(r"(?i)\b(since|created|began|begun|started|starting|beginning|founded|active|as early as|dating|from|between|"
                           r"registered|launched|joined|until|elections?|vote|polls?)\W+(?:\w+\W+){0,3}$")
_AFTER_NOT_TAKEDOWN = re.compile(r"(?i)^\W*(?:\w+\W+){0,2}(elections?|vote|presidential|general election|campaign|census|olympics)")
PRECISE = ("day", "month", "quarter")


NetworkDate = TakedownDate


def network_date(sentences: Iterable[Evidence] | str, doc_date: str | None,
                 doc_takedown: NetworkDate | None = None, section: NetworkDate | None = None) -> NetworkDate | None:
    """The takedown date the network's sentences give, else its section heading's (`section`), else the
    document's (`doc_takedown`, from `document_takedown_date`), else `doc_date`; fallbacks are marked
    by their basis."""
    spans = [Evidence(sentences, 0, len(sentences))] if isinstance(sentences, str) else list(sentences)
    best: tuple[int, int, DateMention, Evidence] | None = None
    for order, span in enumerate(spans):
        removal = bool(_REMOVAL.search(span.text))
        for mention in find_dates(span.text, doc_date):
            if not _is_takedown_date(span.text, mention) or _EARLIER.search(span.text):
                continue
            if mention.precision == "year" and not removal:
                continue
            rank = (0 if removal else 2) + (1 if mention.precision not in PRECISE else 0)
            if best is None or (rank, order) < (best[0], best[1]):
                best = (rank, order, mention, span)
    if best is not None:
        _, _, mention, span = best
        return NetworkDate(mention.value, mention.precision, "text", _sub_span(span, mention))
    if section is not None:
        return section
    if doc_takedown is not None:
        return doc_takedown
    if doc_date:
        return NetworkDate(doc_date, _precision(doc_date), "document")
    return None


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.M)


def document_takedown_date(text: str, doc_date: str | None) -> NetworkDate | None:
    """The first takedown date of the document's removal sentences ("the accounts were deleted in
    August"), the fallback for networks whose own sentences give none (basis "document-text")."""
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        if not _REMOVAL.search(sentence) or _EARLIER.search(sentence):
            continue
        span = Evidence(sentence.strip(), match.start(), match.end())
        found = network_date([span], None if doc_date is None else doc_date)
        if found is not None and found.basis == "text" and found.precision != "year":
            return replace(found, basis="document-text")
    return None


HEADING_CHARS = 100


def heading_dates(text: str, doc_date: str | None) -> list[tuple[int, NetworkDate]]:
    """(offset, date) of short lines that carry a full date, month or quarter: the headings of a
    timeline or a dated section ("12 March 2020 — Facebook ...", "MARCH 2021"), basis "section"."""
    found, offset = [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip().strip("*#_ ")
        if stripped and len(stripped) <= HEADING_CHARS and not _EARLIER.search(stripped):
            mention = next((m for m in find_dates(stripped, doc_date) if m.precision in PRECISE), None)
            if mention is not None and _is_takedown_date(stripped, mention):
                found.append((offset, NetworkDate(mention.value, mention.precision, "section",
                                                  Evidence(stripped, offset + line.index(stripped), offset + line.index(stripped) + len(stripped)))))
        offset += len(line)
    return found


def earlier_takedowns(sentences: Iterable[Evidence], doc_date: str | None) -> list[tuple[str, Evidence]]:
    """Dates of earlier takedowns the network's sentences link it to ("the network we removed in
    October 2020", "attempted to recreate their presence after we disrupted them in 2019")."""
    found = []
    for span in sentences:
        if not _EARLIER.search(span.text) or not _REMOVAL.search(span.text):
            continue
        for mention in find_dates(span.text, doc_date):
            if mention.precision in PRECISE + ("year",) and _is_takedown_date(span.text, mention):
                found.append((mention.value, span))
    return found


def _is_takedown_date(text: str, mention: DateMention) -> bool:
    before, after = text[max(0, mention.start - 40):mention.start], text[mention.end:mention.end + 30]
    return not _NOT_TAKEDOWN.search(before) and not _AFTER_NOT_TAKEDOWN.search(after)


def _sub_span(span: Evidence, mention: DateMention) -> Evidence:
    return span  # the whole sentence is the evidence; the mention is inside it


def _precision(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if "Q" in value:
        return "quarter"
    return "month" if re.fullmatch(r"\d{4}-\d{2}", value) else "year"


def network_spans(network: Network) -> list[Evidence]:
    """The network's sentences in document order: its introduction, then every claim's span."""
    spans = {(e.start, e.end): e for e in (*network.evidence, *(c.evidence for c in network.claims))}
    return [spans[key] for key in sorted(spans)]


def date_networks(extraction: Extraction) -> Extraction:
    """The extraction with each network's takedown date (and earlier takedowns) filled in."""
    doc_date = extraction.document.date
    if doc_date and interval(doc_date) is None:
        doc_date = None
    text = extraction.document.text
    networks, doc_takedown = [], document_takedown_date(text, doc_date)
    spans_of = {network.index: network_spans(network) for network in extraction.networks}
    nearby = _earlier_by_position(text, spans_of, doc_date)
    headings = heading_dates(text, doc_date)
    for network in extraction.networks:
        spans = spans_of[network.index]
        first = min((span.start for span in spans), default=None)
        section = next((h for start, h in reversed(headings) if first is not None and start <= first), None)
        found = network_date(spans, doc_date, doc_takedown, section)
        earlier = {(value, span.start): (value, span) for value, span in
                   (*earlier_takedowns(spans, doc_date), *nearby.get(network.index, ()))}
        networks.append(replace(network, date=found, continues_from=tuple(earlier[k] for k in sorted(earlier))))
    return replace(extraction, networks=tuple(networks))


def _earlier_by_position(text: str, spans_of: dict[int, list[Evidence]], doc_date: str | None,
                         reach: int = 1500) -> dict[int, list[tuple[str, Evidence]]]:
    """Earlier-takedown sentences of the document given to the network whose sentences come closest
    before them (within `reach` characters): a report's section about one network names its history."""
    found: dict[int, list[tuple[str, Evidence]]] = {}
    for match in _SENTENCE.finditer(text):
        span = Evidence(match.group(0).strip(), match.start(), match.end())
        for value, _ in earlier_takedowns([span], doc_date):
            before = [(max(s.start for s in spans if s.start <= span.start), index)
                      for index, spans in spans_of.items() if any(s.start <= span.start for s in spans)]
            if before and span.start - max(before)[0] <= reach:
                found.setdefault(max(before)[1], []).append((value, span))
    return found
