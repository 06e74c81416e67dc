"""Stance: the parties, people, governments and projects a network's content promoted or attacked.

`stance_of` reads the sentences that describe one network. Cue phrases ("supportive commentary
about", "criticism of", "praised", "against") introduce lists of targets; a topic list next to a
criticism ("posted about X and criticism of Y") or in a network that amplified content promotes the
people and parties named in it; sample posts count only when the report presents them as the
network's content, and then only through strong cues (#XOut, #VoteForX, "I am with X", "X resign").
"""
from __future__ import annotations

import bisect
import functools
import re

from kg.graph.model import Claim, Evidence, StanceTarget
from kg.extract.people import (acronym_map, expand_name, find_party, merge_targets, name_runs, party_target,
                               same_target)
from kg.extract.stance_rules import Cues, classify, is_appositive, load_cues

CLAUSE_END = re.compile(r"[.;:!?]|\s[—–-]\s|\b(?:which|who|whose|that|but|while|because|when|where|in order to)\b")
SEPARATOR = re.compile(r",?\s*\b(?:and|or|as well as|including|such as|like)\b\s*|,\s*|;\s*")
TOPIC_LEAD = re.compile(r"\b(?:post(?:ed|ing|s)?|content|wrote|writing|memes|commentary)\b[^.]{0,80}?\b(?:about|related to)\s")
SPELLED_OUT = re.compile(r"[A-Z][\w'’-]*(?:,?\s+(?:(?:and|of|for|the|de|&)\s+)*[A-Z][\w'’-]*)*\s*\([A-Z]{2,8}\)")
AMPLIFY = re.compile(r"\bamplif\w*|\bre-?shar\w*|\bboost\w*", re.I)
CAPTION_LABEL = re.compile(
    r"^[ \t]*(?:Caption|Video caption|Image overlay|Headlines?|Title|Link|Page name|"
    r"Comment by (?:this|the) network(?:['’]s)? accounts?)\s*:", re.M | re.I)
NETWORK_CONTENT = re.compile(r"sample of (?:the )?content|content posted by|posted by (?:this|the) network|"
                             r"by (?:this|the) network['’]s account", re.I)
BLANK_LINE = re.compile(r"\n[ \t]*\n")
SECTION_BREAK = re.compile(r"\n\s*\d{1,3}\s*\n")


def stance_of(sentences, document_text: str = "") -> tuple[list[StanceTarget], list[StanceTarget], list[Claim]]:
    """Return (promotes, attacks, claims) for one network's sentences (spaCy Spans)."""
    sentences = list(sentences)
    if not sentences:
        return [], [], []
    text = document_text or sentences[0].doc.text
    cues = load_cues()
    blocks = caption_blocks(text)
    found: list[tuple[str, StanceTarget, object]] = []
    amplified = any(AMPLIFY.search(part) for s in sentences for part, mode in _segments(s, blocks) if mode == "narrative")
    acronyms = acronym_map(text)
    doc_ents = [(e.start_char, e.end_char, e.text, e.label_) for e in getattr(sentences[0].doc, "ents", ())]
    starts = [e[0] for e in doc_ents]
    for sent in sentences:
        first = bisect.bisect_left(starts, sent.start_char)
        ents = [(t, label) for a, b, t, label in doc_ents[first:bisect.bisect_left(starts, sent.end_char)]]
        for part, mode in _segments(sent, blocks):
            if mode == "narrative":
                hits = narrative_stance(part, cues, ents, acronyms, amplified, text)
                hits += hashtag_stance(part, cues, text, acronyms)
            elif mode == "network-post":
                hits = caption_stance(part, cues, text, acronyms)
            else:
                continue
            found.extend((field, target, sent) for field, target in hits)
    return _assemble(found, sentences, text)


def _assemble(found, sentences, text: str) -> tuple[list[StanceTarget], list[StanceTarget], list[Claim]]:
    """Expand short person names, merge variants per field, and make one claim per target and sentence."""
    network_text = " ".join(s.text for s in sentences)
    roles = load_cues().role_words
    fixed = []
    for field, target, sent in found:
        if target.kind == "person" and " " not in target.name:
            full = expand_name(target.name, network_text, roles)
            full = expand_name(full, text, roles) if full == target.name else full
            if full != target.name and find_party(full):
                target = party_target(full)
            elif full != target.name:
                target = StanceTarget(full, "person", target.role, target.country, (*target.aliases, target.name))
        fixed.append((field, target, sent))
    result = {}
    for field in ("promotes", "attacks"):
        result[field] = merge_targets([t for f, t, _ in fixed if f == field])
    claims, seen = [], set()
    for field, target, sent in fixed:
        final = next((t for t in result[field] if same_target(t, target) or target.name in t.aliases), target)
        key = (field, final.name, sent.start_char)
        if key not in seen:
            seen.add(key)
            claims.append(Claim(field, final.name, Evidence(sent.text, sent.start_char, sent.end_char)))
    return result["promotes"], result["attacks"], claims


def _cue_hits(text: str, cues: Cues) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, type) of promote/attack/mixed cues, longest first."""
    if not cues.may_have_cue(text):
        return []
    hits = [(m.start(), m.end(), kind) for kind in ("mixed", "promote", "attack")
            for pattern in cues.patterns[kind] for m in pattern.finditer(text)]
    chosen: list[tuple[int, int, str]] = []
    for hit in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        if all(hit[1] <= c[0] or hit[0] >= c[1] for c in chosen):
            chosen.append(hit)
    return sorted(chosen)


def split_items(text: str, cut_semicolons: bool = True) -> list[tuple[str, bool]]:
    """Split a list of phrases ("A, B and C, including D") into (phrase, is_alternative_name) pairs."""
    end = CLAUSE_END.search(text) if cut_semicolons else re.search(r"[.!?]|\s[—–]\s", text)
    text = text[: end.start()] if end else text
    items, pos, alt = [], 0, False
    named = [m.span() for m in SPELLED_OUT.finditer(text)]
    for m in SEPARATOR.finditer(text):
        if "(" in text[pos:m.start()] and ")" not in text[pos:m.start()]:
            continue
        if any(a < m.start() < b for a, b in named):  # "Relief and Works Agency (UNRWA)" is one name
            continue
        items.append((text[pos:m.start()].strip(), alt))
        alt, pos = bool(re.search(r"\bor\b", m.group())), m.end()
    items.append((text[pos:].strip(), alt))
    return [(t, a) for t, a in items if t]


def classify_list(text: str, cues: Cues, ents, acronyms, strict: bool = False, semicolons: bool = True,
                  document: str = "", loose: bool = False):
    """Targets named in a list of phrases, with appositives and "or X" alternative names applied."""
    items = split_items(text, semicolons)
    targets: list[StanceTarget] = []
    for i, (item, alt) in enumerate(items):
        if is_appositive(item, cues):
            continue
        nxt = items[i + 1][0] if i + 1 < len(items) else ""
        target = classify(item, cues, ents, acronyms, nxt if is_appositive(nxt, cues) else "", strict, document, loose)
        if alt and targets and target:
            prev = targets[-1]
            targets[-1] = StanceTarget(prev.name, prev.kind, prev.role, prev.country, (*prev.aliases, target.name))
        elif target:
            targets.append(target)
    return targets


def narrative_stance(text: str, cues: Cues, ents, acronyms, amplified: bool,
                     document: str = "") -> list[tuple[str, StanceTarget]]:
    """(field, target) pairs stated by the cues of one report sentence, plus promoted topic lists."""
    hits = _cue_hits(text, cues)
    out = []
    for i, (start, end, kind) in enumerate(hits):
        stop = hits[i + 1][0] if i + 1 < len(hits) else len(text)
        obj = text[end:stop]
        if kind == "mixed":
            continue
        prefix = text[start:end].endswith("-")
        if prefix:  # anti-X, pro-X: only the attached name
            run = next((r for r in name_runs(obj) if r[0] == 0), None)
            obj = obj[: run[1]] if run else ""
        field = "promotes" if kind == "promote" else "attacks"
        out += [(field, t) for t in classify_list(obj, cues, ents, acronyms, document=document, loose=prefix)]
    lead = TOPIC_LEAD.search(text)
    if lead and not any(h[0] < lead.end() and h[1] > lead.start() for h in hits):
        stop = next((h[0] for h in hits if h[0] >= lead.end()), len(text))
        contrast = any(h[2] == "attack" and h[0] >= lead.end() for h in hits)
        if contrast or amplified:
            out += [("promotes", t) for t in
                    classify_list(text[lead.end():stop], cues, ents, acronyms, True, False, document)]
    return out


def caption_stance(text: str, cues: Cues, document: str, acronyms) -> list[tuple[str, StanceTarget]]:
    """Strong cues in a sample post of the network: "I am with X", "vote for X", "X resign", hashtags."""
    out = hashtag_stance(text, cues, document, acronyms)
    for kind, field in (("caption-promote", "promotes"), ("caption-attack", "attacks")):
        for pattern in cues.patterns[kind]:
            for m in pattern.finditer(text):
                rest = re.split(r"[!?.,;:#\n]", text[m.end():].strip(" ,:"))[0]
                target = classify(rest, cues, (), acronyms, loose=True)
                if target:
                    out.append((field, target))
    for pattern in cues.patterns["caption-attack-before"]:
        for m in pattern.finditer(text):
            head = text[: m.start()].rstrip(" ,")
            run = next((r for r in name_runs(head) if r[1] == len(head)), None)
            target = run and classify(head[run[0]:], cues, (), acronyms, loose=True)
            if target:
                out.append(("attacks", target))
    return out


def hashtag_stance(text: str, cues: Cues, document: str, acronyms) -> list[tuple[str, StanceTarget]]:
    """#XOut, #X_out, #Anti-X, #VoteForX, #Xlies: the name X resolved against the document's names."""
    out = []
    for tag in re.findall(r"#([\w’'-]+)", text):
        for kind, field in (("hashtag-promote", "promotes"), ("hashtag-attack", "attacks")):
            for pattern in cues.patterns[kind]:
                m = pattern.match(tag)
                name = m and _resolve_stem(tag[m.start("name"):m.end("name")].strip("_-"), document)
                target = name and classify(name, cues, (), acronyms, loose=True)
                if target:
                    out.append((field, target))
                    break
    return out


def _resolve_stem(stem: str, document: str) -> str | None:
    """The name a hashtag stem stands for: written capitalised mid-sentence in the document, or CamelCase."""
    if len(stem) < 3:
        return None
    words = re.findall(r"[a-z,]\s+([A-ZÀ-Þ][\w’'-]+)", document)
    found = next((w for w in words if w.lower() == stem.lower()), None)
    if found:
        return found
    parts = re.findall(r"[A-ZÀ-Þ][a-zà-ÿ]+", stem)
    return " ".join(parts) if parts and "".join(parts) == stem.replace("_", "") else None


@functools.lru_cache(maxsize=8)
def caption_blocks(text: str) -> tuple[tuple[int, int, bool], ...]:
    """(start, end, is_network_content) of every labelled sample post (a caption up to the next blank line)."""
    blocks = []
    markers = [x.end() for x in NETWORK_CONTENT.finditer(text)]  # found once: each label looks back by bisection
    sections = [x.start() for x in SECTION_BREAK.finditer(text)]
    for m in CAPTION_LABEL.finditer(text):
        end = BLANK_LINE.search(text, m.end())
        end = end.start() if end else len(text)
        before = bisect.bisect_right(markers, m.end())
        marker = markers[before - 1] if before else -1
        before = bisect.bisect_left(sections, m.start())
        section = sections[before - 1] if before else -1
        own = bool(NETWORK_CONTENT.search(m.group()))
        blocks.append((m.start(), end, own or marker > section))
    return tuple(blocks)


def _segments(sent, blocks) -> list[tuple[str, str]]:
    """The sentence cut at sample-post boundaries: (text, "narrative" | "network-post" | "other-post")."""
    start, end = sent.start_char, sent.end_char
    parts, pos = [], start
    for b_start, b_end, network in blocks:
        if b_end <= start or b_start >= end:
            continue
        if b_start > pos:
            parts.append((pos, b_start, "narrative"))
        parts.append((max(b_start, start), min(b_end, end), "network-post" if network else "other-post"))
        pos = min(b_end, end)
    if pos < end:
        parts.append((pos, end, "narrative"))
    text = sent.text
    return [(text[a - start:b - start], mode) for a, b, mode in parts if text[a - start:b - start].strip()]
