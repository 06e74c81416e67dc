"""kg.extract.components.common and lines: phrase patterns from the cache equal the tokenizer's, and line
starts set in one pass equal setting them token by token."""
from __future__ import annotations

import pytest
from spacy.lang.en import English

from kg.extract.components import common
from kg.extract import gazetteer
from kg.extract.components.lines import line_starts, set_line_starts
from kg.extract.components.places import place_table
from kg.extract.components.platforms import platform_table


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("IOKG_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def rule_phrases() -> list[str]:
    tables = [place_table(), platform_table(), {c: gazetteer.cue(c) for c in gazetteer.cues()}]
    return list(dict.fromkeys(p for table in tables for phrases in table.values() for p in phrases))


@pytest.mark.parametrize("attr", ["ORTH", "LOWER"])
def test_phrase_keys_are_what_the_tokenizer_gives_cold_and_cached(cache, attr):
    phrases = rule_phrases() + ["U.S.", "can't", "pro-Kremlin  media", "10km", "Côte d'Ivoire"]
    nlp = English()
    expected = [[getattr(t, attr.lower()) for t in nlp.tokenizer(p)] for p in phrases]
    cold = common.phrase_keys(nlp.vocab, phrases, attr)
    assert list(cache.glob("phrases-*.json")), "the tokens were cached"
    warm = common.phrase_keys(nlp.vocab, phrases, attr)
    assert cold == warm == expected


def test_a_corrupt_cache_is_rebuilt(cache):
    phrases = ["Facebook", "Internet Research Agency"]
    common.phrase_tokens(phrases)
    for path in cache.glob("phrases-*.json"):
        path.write_text("[[not json", encoding="utf-8")
    assert common.phrase_tokens(phrases) == [[["Facebook"], [False]], [["Internet", "Research", "Agency"], [True, True, False]]]


def test_the_matcher_finds_multi_token_and_lowercase_phrases(cache):
    nlp = English()
    matcher = common.phrase_matcher(nlp.vocab, {"FIRM": ["Internet Research Agency"], "FB": ["facebook"]}, "LOWER")
    doc = nlp("The internet research agency bought FACEBOOK ads.")
    assert sorted((nlp.vocab.strings[m], s, e) for m, s, e in matcher(doc)) == [("FB", 5, 6), ("FIRM", 1, 4)]


@pytest.mark.parametrize("pipeline", ["nlp", "nlp_rules"])
def test_line_starts_in_one_pass_equal_token_by_token(pipeline, request):
    nlp = request.getfixturevalue(pipeline)
    text = ("Summary\nWe removed 29 Facebook accounts and 4 Pages that targeted audiences in\nEcuador and Peru.\n"
            "- Presence on Facebook and Instagram: 29 accounts\n\n\n* Followers: about 1,600\n  \nIndented line here\n")
    before = [name for name, _ in nlp.pipeline][:nlp.pipe_names.index("iokg_lines")]
    with nlp.select_pipes(enable=before):
        one_pass, by_token = nlp(text), nlp(text)
    set_line_starts(one_pass)
    for i in line_starts(by_token):
        if not by_token[i].is_space:
            by_token[i].is_sent_start = True
    assert [t.is_sent_start for t in one_pass] == [t.is_sent_start for t in by_token]
    assert sum(bool(t.is_sent_start) for t in one_pass) >= 4
