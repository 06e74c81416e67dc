"""kg.extract.acting (which platform removes something in a sentence, with and without a parser) and
kg.extract.platform_scope's headings."""
from __future__ import annotations

import pytest

from kg.extract.acting import AMBIGUOUS, acting_platform, document_platform
from kg.extract.platform_scope import heading_level


@pytest.fixture(params=["nlp", "nlp_rules"])
def pipe(request):
    return request.getfixturevalue(request.param)


def actors(nlp, text: str) -> list[str | None]:
    return [acting_platform(sent) for sent in nlp(text).sents]


@pytest.mark.parametrize("text, platform", [
    ("Twitter suspended 512 accounts linked to the campaign.", "Twitter"),
    ("X banned a cluster of accounts that posed as nurses.", "Twitter"),
    ("TikTok said it had removed the network after an internal review.", "TikTok"),
    ("TikTok took down a set of accounts that impersonated local reporters.", "TikTok"),
    ("YouTube terminated the channels last week.", "YouTube"),
    ("Google terminated the channels in March.", "YouTube"),
    ("OpenAI banned the accounts behind the essays.", "ChatGPT"),
    ("The accounts were suspended by Twitter on Friday.", "Twitter"),
    ("Meta removed the Pages on Tuesday.", "Facebook"),
    ("Facebook and Instagram removed the accounts.", "Facebook"),
    ("Facebook and Twitter removed the accounts.", AMBIGUOUS),
    ("Analysts expect more reports this year.", None),
])
def test_the_subject_of_the_removal_verb_acts(pipe, text, platform):
    assert actors(pipe, text) == [platform]


def test_it_and_the_company_refer_back_to_the_platform_named_before(pipe):
    text = ("TikTok published its quarterly report on Monday. It said it had taken down a network run from Peru. "
            "Weeks later the company removed a second one.")
    assert actors(pipe, text) == [None, "TikTok", "TikTok"]


def test_we_is_the_platform_the_document_is_about(pipe):
    text = ("Twitter Safety update. Twitter is sharing data about state-backed operations. "
            "We suspended the accounts for breaking our rules.")
    assert actors(pipe, text)[-1] == "Twitter"


def test_a_tip_from_another_platform_does_not_make_it_the_actor(nlp):
    assert actors(nlp, "Acting on a tip from Twitter, Facebook removed the accounts.") == ["Facebook"]


def test_the_document_platform_counts_mentions_and_removals(pipe):
    doc = pipe("YouTube said it terminated the channels. Twitter suspended accounts. Twitter said the accounts "
               "posted in Spanish. Twitter published the data.")
    assert document_platform(doc) == "Twitter"


@pytest.mark.parametrize("line, level", [("## TikTok disclosures\n", 2), ("TWITTER: THE BIG NUMBER\n", 9),
                                         ("Google's bulletin\n", 9),
                                         ("Twitter removed the accounts on Friday.\n", None)])
def test_headings(nlp_rules, line, level):
    doc = nlp_rules(line + "Body text follows here.")
    assert heading_level(next(iter(doc.sents))) == level
