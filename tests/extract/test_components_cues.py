"""iokg_cues: phrase cues from cues.jsonl, case rules, and gapped attribution patterns."""
from __future__ import annotations

import pytest


@pytest.fixture(params=["nlp", "nlp_rules"])
def pipe(request):
    return request.getfixturevalue(request.param)


def labels(nlp, text):
    doc = nlp(text)
    return [(doc[s:e].text, label) for s, e, label in doc._.iokg_cues]


def test_removal_and_target_cues(pipe):
    assert labels(pipe, "We actioned 12 accounts that targeted Chad.") == [("actioned", "removal"), ("targeted", "target")]


@pytest.mark.parametrize("text, cue", [
    ("Meta linked the operation to a firm.", "linked the operation to"),
    ("It was attributed with high confidence to the IRA.", "attributed with high confidence to"),
])
def test_gapped_attribution(pipe, text, cue):
    assert (cue, "attribution") in labels(pipe, text)


def test_cib_acronym_is_case_sensitive(pipe):
    assert ("CIB", "policy_cib") in labels(pipe, "a policy against CIB")
    assert all(label != "policy_cib" for _, label in labels(pipe, "the cib word in lower case"))


def test_longest_cue_wins(pipe):
    found = labels(pipe, "It acted on behalf of a foreign entity.")
    assert found == [("on behalf of a foreign", "policy_fi")]


def policies(nlp, text):
    found = labels(nlp, text)
    return {label for _, label in found if label.startswith("policy")}


@pytest.mark.parametrize("text", [
    "Removing Coordinated Inauthentic Behavior From Peru",
    "The Pages violated our Coordinated Inauthentic Behaviour policy.",
    "A policy against coordinated inauthentic behavior.",
])
def test_cib_in_any_case(pipe, text):
    assert "policy_cib" in policies(pipe, text)


@pytest.mark.parametrize("text", [
    "We removed a domestic network for engaging in Coordinated Inauthentic Behavior.",
    "It was a domestic, non-government case of coordinated inauthentic behaviour.",
    "The accounts engaged in coordinated inauthentic behavior aimed at domestic audiences.",
])
def test_domestic_cib_is_the_cib_tier_without_the_word_policy(pipe, text):
    assert policies(pipe, text) == {"policy_context", "policy_cib"}


def test_cib_without_domestic_is_no_tier(pipe):
    assert policies(pipe, "We removed four networks for engaging in coordinated inauthentic behavior.") == {"policy_cib"}


@pytest.mark.parametrize("text", [
    "The Pages were removed for foreign interference.",
    "Meta handled the case as government interference.",
    "It was a government-linked interference network run from Peru.",
    "The company filed the takedown under foreign or government interference.",
    "The accounts engaged in state-backed interference.",
])
def test_policy_tier_without_the_word_policy(pipe, text):
    assert policies(pipe, text) == {"policy_context", "policy_fi"}


def test_interference_as_a_topic_is_not_a_policy(pipe):
    assert "policy_context" not in policies(pipe, "Experts warned about foreign interference in the vote.")


@pytest.mark.parametrize("text, cue", [
    ("Meta traced a pro-government network to a firm.", "traced a pro-government network to"),
    ("Analysts are tying the accounts to a firm.", "tying the accounts to"),
    ("We attribute this activity to a firm.", "attribute this activity to"),
])
def test_attribution_verbs_in_any_tense(pipe, text, cue):
    assert (cue, "attribution") in labels(pipe, text)
def test_best_matches_keeps_the_longest_then_the_first(nlp_rules):
    from kg.extract.components.common import best_matches

    doc = nlp_rules.make_doc("one two three four five")
    kept = best_matches(doc, [("short", 0, 1), ("long", 0, 2), ("tie-first", 2, 4), ("tie-second", 3, 5), ("alone", 4, 5)])
    assert [(s.start, s.end, s.label_) for s in kept] == [(0, 2, "long"), (2, 4, "tie-first"), (4, 5, "alone")]
    same = best_matches(doc, [("a", 1, 3), ("b", 1, 3)])
    assert [s.label_ for s in same] == ["a"]
