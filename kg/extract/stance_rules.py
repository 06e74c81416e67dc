"""Stance rule data (kg/data/stance_cues.jsonl) and the classifier that turns a noun phrase into a target.

A cue such as "criticism of" introduces a list of phrases; `classify` decides whether a phrase names
a party, movement, person, government or project ("US President Biden" -> person Biden, role
"US President") or is only a topic ("the mayoral election in Santa Tecla") and must be dropped.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.errors import UsageError
from kg.graph.model import StanceTarget
from kg.data import DATA_DIR, load_jsonl
from kg.extract.people import country_of, expand_name, find_party, fold, name_runs, party_target

CUES_FILE = DATA_DIR / "stance_cues.jsonl"
CUE_TYPES = (
    "promote", "attack", "mixed", "caption-promote", "caption-attack", "caption-attack-before",
    "hashtag-promote", "hashtag-attack", "wrapper", "suffix", "topic", "role", "head-government",
    "head-project", "head-movement", "head-party", "party-word", "generic", "not-a-name", "org-word",
)
DETERMINERS = r"(?:the|a|an|its|his|her|their|our|other|several|various|some|certain|particularly|primarily|" \
              r"especially|mainly|also|both|on|by|to|of|focusing on|including)"
PRONOUN = re.compile(r"\b(?:[Ww]e|[Tt]hey|[Ii]t|[Hh]e|[Ss]he|us|[Yy]ou|I|[Oo]ur|[Mm]y|[Yy]our|them|[Tt]his|[Tt]hese|[Tt]hose)\b")
TRAILING_CLAUSE = re.compile(r"\s+(?:over|during|amid|ahead of|after|following|since|because of|due to|regarding|"
                             r"throughout|across)\s.*$", re.I)
PREPOSITIONS = {"in", "of", "from", "for", "on", "at", "to", "by", "with", "across", "near", "about"}


@dataclass(frozen=True)
class Cues:
    """Every rule list of the cue file, by type; regex cues compiled."""

    phrases: dict[str, tuple[str, ...]]
    patterns: dict[str, tuple[re.Pattern, ...]]
    generic: dict[str, str]
    pattern_keys: tuple[str, ...] = ()

    @functools.cached_property
    def _folded(self) -> dict[str, frozenset[str]]:
        return {kind: frozenset(fold(p) for p in phrases) for kind, phrases in self.phrases.items()}

    def words(self, kind: str) -> frozenset[str]:
        """The folded phrases of one cue type ("role", "topic", "org-word"...)."""
        return self._folded.get(kind, frozenset())

    @functools.cached_property
    def cue_keys(self) -> tuple[str, ...]:
        """The longest word of every promote/attack/mixed cue: a sentence with none is skipped fast."""
        keys = {max(p.lower().split(), key=len) for kind in ("mixed", "promote", "attack") for p in self.phrases[kind]}
        return tuple(sorted(keys | {"pro-", "anti-"} | set(self.pattern_keys)))

    def may_have_cue(self, text: str) -> bool:
        """False when no promote/attack cue can match: most report sentences state no stance."""
        lower = text.lower()
        return any(key in lower for key in self.cue_keys)

    @functools.cached_property
    def role_words(self) -> set[str]:
        """Single words of role titles ("prime", "minister", "senator"): they end a name run's title part."""
        return {w for p in self.phrases["role"] for w in fold(p).split() if w not in ("of", "head", "state")}


def _compile(row: dict) -> re.Pattern:
    """A cue phrase matches as whole words, any case unless the entry says "case": true."""
    if "pattern" in row:
        return re.compile(row["pattern"])
    words = r"\s+".join(re.escape(w) for w in row["phrase"].split())
    return re.compile(rf"(?<![\w-]){words}(?![\w])", 0 if row.get("case") else re.I)


@functools.lru_cache(maxsize=4)
def load_cues(path: str = str(CUES_FILE)) -> Cues:
    """Read the cue file; an unknown `type` is an error that lists the valid ones."""
    phrases: dict[str, list[str]] = {t: [] for t in CUE_TYPES}
    patterns: dict[str, list[re.Pattern]] = {t: [] for t in CUE_TYPES}
    generic: dict[str, str] = {}
    keys: list[str] = []
    for number, row in enumerate(load_jsonl(path), 1):
        kind = row.get("type")
        if kind not in CUE_TYPES:
            raise UsageError(f"{path}: row {number}: unknown cue type {kind!r}; valid types: {', '.join(CUE_TYPES)}")
        if kind.startswith("hashtag"):
            patterns[kind].append(re.compile(row["pattern"]) if row.get("case") else re.compile(row["pattern"], re.I))
            continue
        if "phrase" in row:
            phrases[kind].append(row["phrase"])
        keys.extend(row.get("keys", ()))
        patterns[kind].append(_compile(row))
        if kind == "generic":
            generic[fold(row["phrase"])] = row.get("kind", "party")
    return Cues({k: tuple(v) for k, v in phrases.items()}, {k: tuple(v) for k, v in patterns.items()}, generic,
                tuple(keys))


def strip_front(text: str, cues: Cues) -> str:
    """Drop determiners, possessives and wrappers ("the content of", "posts by") from the front."""
    wrappers = sorted(cues.phrases["wrapper"], key=len, reverse=True)
    while True:
        before = text
        text = re.sub(rf"^{DETERMINERS}\s+", "", text, flags=re.I)
        for wrapper in wrappers:
            if text.lower().startswith(wrapper + " "):
                text = text[len(wrapper) + 1:]
        if text == before:
            return text.strip()


def strip_back(text: str, cues: Cues) -> str:
    """Drop a trailing word that names content rather than its subject ("MEK positions", "Arauz candidacy")."""
    for suffix in cues.phrases["suffix"]:
        if text.lower().endswith(" " + suffix):
            return text[: -len(suffix) - 1].strip()
    return text


def is_appositive(text: str, cues: Cues) -> bool:
    """"a political party in Georgia", "a senator for Nayarit": describes the phrase before it."""
    if not re.match(r"(?:a|an)\s", text, re.I):
        return False
    runs = name_runs(text)
    if not runs:
        return True
    before = text[: runs[0][0]].split()
    return bool(before) and before[-1].lower() in PREPOSITIONS


def appositive_hint(text: str, cues: Cues) -> tuple[str | None, str | None]:
    """(kind, role) that an appositive gives: "a political party" -> party; "a senator for X" -> senator."""
    words = fold(re.split(r"\s(?:in|for|from|of|on)\s", text)[0]).split()[1:]
    if any(w in ("party", "parties") for w in words):
        return "party", None
    if any(w in ("movement", "group", "militia") for w in words):
        return "movement", None
    if words and words[-1] in cues.role_words:
        return "person", " ".join(re.split(r"\s(?:in|for|from|of|on)\s", text)[0].split()[1:])
    return None, None


def _head(text: str) -> str:
    left = re.split(r"\s(?:of|in|from|for|on)\s", text, maxsplit=1)[0]
    words = fold(left).split()
    return words[-1] if words else ""


def _kind_of_head(head: str, cues: Cues) -> str | None:
    for kind in ("government", "project", "movement", "party"):
        if head in cues.words(f"head-{kind}"):
            return kind
    return None


def classify(text: str, cues: Cues, ents=(), acronyms: dict[str, str] | None = None,
             appositive: str = "", strict: bool = False, document: str = "", loose: bool = False) -> StanceTarget | None:
    """The stance target a phrase names, or None for topics, pronouns and unknown organisations."""
    aliases = tuple(re.findall(r"\(([A-Z][\w.]{1,9})\)", text))
    text = TRAILING_CLAUSE.sub("", text)
    text = strip_back(strip_front(re.sub(r"\s*\([^)]*\)", "", text).strip(" ,.\"“”'‘’!?"), cues), cues)
    if not text or fold(text) in cues.words("not-a-name") or len(text.split()) > 8 or PRONOUN.search(text):
        return None
    hint_kind, hint_role = appositive_hint(appositive, cues) if appositive else (None, None)
    if find_party(text):
        return party_target(text)
    if not strict and fold(text) in cues.generic:
        return StanceTarget(fold(text), cues.generic[fold(text)])
    head_kind = _kind_of_head(_head(text), cues)
    if head_kind in ("government", "project", "movement") and not (strict and head_kind != "movement"):
        target = _headed(text, head_kind)
        if target:
            return target
    if head_kind == "party":
        text = re.sub(r"\s+part(?:y|ies)$", "", text)
    role_only = _role_only(text, cues)
    if role_only and not strict:
        return role_only
    return _named(text, cues, ents, acronyms or {}, aliases, hint_kind, hint_role, head_kind, document,
                  loose, strict)


def _headed(text: str, kind: str) -> StanceTarget | None:
    """"the Iranian government", "Ethiopia's mega dam project", "the Black Flags protest movement"."""
    verb = re.match(r"(?:\S+\s+)*?[a-z]+(?:ed|ing)\s+(?:the|a|an)\s+", text)
    text = text[verb.end():] if verb else text
    tail = re.search(r"\s(?:of|in|for|on|from)\s+(?!the\s+[A-Z]|[A-Z])", text)  # "... government of corruption"
    text = text[: tail.start()] if tail else text
    runs = name_runs(text)
    if not runs:
        return None
    first = text[runs[0][0]:runs[0][1]]
    rest = text[runs[0][1]:].strip()
    if runs[0][0] == 0 and rest == rest.lower() and not country_of(first) and kind != "government":
        return party_target(first, kind) if kind in ("movement", "party") else StanceTarget(text, kind)
    return StanceTarget(text, kind, country=next((country_of(w) for w in first.split() if country_of(w)), None))


def _role_only(text: str, cues: Cues) -> StanceTarget | None:
    """"the president of Mexico" -> a person known only by role."""
    match = re.fullmatch(r"(.+?)\s+of\s+([A-Z][\w\s]+)", text)
    if match and fold(match.group(1)) in cues.words("role") and country_of(match.group(2)):
        role = f"{match.group(1)[0].upper()}{match.group(1)[1:]} of {match.group(2)}"
        return StanceTarget(role, "person", role=role, country=country_of(match.group(2)))
    return None


def _named(text, cues, ents, acronyms, aliases, hint_kind, hint_role, head_kind, document="",
           loose=False, strict=False) -> StanceTarget | None:
    """A target whose name is the capitalised run that ends the phrase; the words before it describe it."""
    parsed = _split_name(text, cues)
    if parsed is None:
        return None
    descriptor, words, name, role_words = parsed
    if "party" in fold(descriptor).split() or head_kind == "party" or hint_kind == "party" or \
            any(fold(w) in cues.words("party-word") for w in words):
        return party_target(name, "party")
    if find_party(name):
        return party_target(name)
    if re.fullmatch(r"[A-Z]{2,8}", name):
        long_form = acronyms.get(name)
        return party_target(long_form, "movement") if long_form and find_party(long_form) else None
    if any(fold(w) in cues.words("org-word") for w in words) or any(country_of(w) for w in name.split()) or \
            country_of(re.sub(r"s$", "", name.split()[-1])):  # "Native Americans", "Indians"
        return None
    role = _role(role_words, cues) or hint_role
    label = _ent_label(name, ents)
    name = _person_name(name, role, label, cues, document, loose)
    if name is None or (strict and not role and label != "PERSON"):  # a topic list names people with their role
        return None
    if hint_kind == "movement" or any(fold(w) in cues.words("head-movement") for w in words):
        return party_target(name, "movement")
    return StanceTarget(re.sub(r"(\w)\1{2,}", r"\1\1", name), "person", role=role, aliases=aliases)


def _split_name(text: str, cues: Cues) -> tuple[str, list[str], str, str] | None:
    """(descriptor, words of the name run, name without titles, role words) or None for a place or topic."""
    runs = [r for r in name_runs(text) if r[1] == len(text)]
    if not runs:
        return None
    descriptor = text[:runs[-1][0]].strip()
    before = descriptor.split()
    if (before and before[-1].lower() in PREPOSITIONS) or set(fold(descriptor).split()) & cues.words("topic"):
        return None
    words = text[runs[-1][0]:].split()
    while len(words) > 2 and fold(words[0]) in cues.words("not-a-name") and words[1] in ("of", "for"):
        words = words[3:] if words[2] == "the" else words[2:]  # "Pages for the Croatian Democratic Union"
    cut = max((i for i, w in enumerate(words) if fold(w) in cues.role_words), default=-1)
    name = re.sub(r"^(?:of|for|the)\s+", "", " ".join(words[cut + 1:]))
    if not name or fold(name) in cues.words("not-a-name") or country_of(name) or \
            any(len(w) < 2 for w in fold(name).split()):
        return None
    return descriptor, words, name, " ".join([*before, *words[: cut + 1]]).strip()


def _person_name(name: str, role: str | None, label: str | None, cues: Cues, document: str, loose: bool) -> str | None:
    """The name of a person target, or None when nothing says it is a person.

    Without a role, an NER label for a place or organisation rules it out, and a lone word must be a
    PERSON entity, come from a hashtag or caption (`loose`), or expand to a full name in the document.
    """
    if role:
        return name
    if label in ("ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "DATE"):
        return None
    if " " in name or (label == "PERSON" and not re.search(r"(?:ing|ed)$", name)) or \
            (loose and not re.search(r"(?:ing|ed|s)$", name)):
        return name
    full = expand_name(name, document, cues.role_words) if document else name
    return full if full != name else None


def _role(words: str, cues: Cues) -> str | None:
    """The role a descriptor states ("mayoral candidate", "US President"), without determiners."""
    words = re.sub(rf"^(?:{DETERMINERS}\s+)+", "", words.strip(), flags=re.I)
    folded = fold(words).split()
    if folded and (folded[-1] in cues.role_words or " ".join(folded[-2:]) in cues.words("role")):
        return words
    return None


def _ent_label(name: str, ents) -> str | None:
    """The NER label of the entity that covers the name, when the pipeline has NER (ents given)."""
    for ent_text, label in ents:
        if re.match(r"(?i)(?:anti|pro)-", ent_text):  # "anti-Orban" is NORP as a whole, not the name in it
            continue
        if name in ent_text or ent_text in name:
            return label
    return None
