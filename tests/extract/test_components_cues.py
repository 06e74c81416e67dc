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


def test_best_matches_keeps_the_longest_then_the_first(nlp_rules):
    from kg.extract.components.common import best_matches

    doc = nlp_rules.make_doc("one two three four five")
    kept = best_matches(doc, [("short", 0, 1), ("long", 0, 2), ("tie-first", 2, 4), ("tie-second", 3, 5), ("alone", 4, 5)])
    assert [(s.start, s.end, s.label_) for s in kept] == [(0, 2, "long"), (2, 4, "tie-first"), (4, 5, "alone")]
    same = best_matches(doc, [("a", 1, 3), ("b", 1, 3)])
    assert [s.label_ for s in same] == ["a"]
