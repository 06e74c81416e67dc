"""iokg_quantities: asset counts in digits and words, audiences, ad spend and stated totals."""
from __future__ import annotations

import pytest

from kg.extract.components.quantities import parse_number


@pytest.fixture(params=["nlp", "nlp_rules"])
def pipe(request):
    return request.getfixturevalue(request.param)


def figures(nlp, text, kind=None):
    return [(q.kind, q.key, q.value) for q in nlp(text)._.iokg_quantities if kind in (None, q.kind)]


@pytest.mark.parametrize("words, value", [(["1,167"], 1167), (["3.6", "million"], 3600000), (["twenty", "-", "five"], 25),
                                          (["eight"], 8), (["ten"], 10), (["2", "thousand"], 2000), (["Pages"], None)])
def test_parse_number(words, value):
    assert parse_number(words)[0] == value


def test_counts_in_words_and_digits(pipe):
    found = figures(pipe, "We removed 29 Facebook accounts, two Pages, one Group and ten Instagram accounts.")
    assert found == [("removed", "facebook_accounts", 29), ("removed", "pages", 2), ("removed", "groups", 1),
                     ("removed", "instagram_accounts", 10)]


def test_accounts_on_a_platform_and_adjectives(pipe):
    found = figures(pipe, "It ran 26 fake Facebook accounts, 36 fake accounts on Instagram and one account on Facebook.")
    assert found == [("removed", "facebook_accounts", 26), ("removed", "instagram_accounts", 36),
                     ("removed", "facebook_accounts", 1)]


def test_one_figure_for_a_list_of_asset_types_is_not_a_count(pipe):
    assert figures(pipe, "We removed a network of over 300 Facebook accounts, Pages, Groups and accounts on Instagram.") == []


def test_audiences(pipe):
    text = ("About 7,200 accounts followed one or more of these Pages, fewer than 10 people joined this Group "
            "and around 950 people followed one or more of these Instagram accounts.")
    assert figures(pipe, text, "followers") == [("followers", "pages", 7200), ("followers", "groups", 10),
                                                ("followers", "instagram", 950)]
    passive = "The pages deleted by Facebook were followed by 509,000 other accounts."
    assert figures(pipe, passive, "followers") == [("followers", "pages", 509000)]


def test_event_interest_is_not_an_audience_but_events_are_counted(pipe):
    text = "10 events were hosted by these Pages. Up to 5,150 people expressed interest in at least one of these events."
    assert figures(pipe, text) == [("removed", "events", 10)]


@pytest.mark.parametrize("text, value", [
    ("Less than $4,000 in spending for ads on Facebook, paid for in US dollars and euros.", 4000),
    ("CLS spent about $3.6 million on advertising.", 3600000),
    ("About \\$176,000 in spending for ads on Facebook and Instagram paid for primarily in US dollars.", 176000),
    ("The operators spent around 20 USD on ads.", 20),
])
def test_ad_spend(pipe, text, value):
    assert figures(pipe, text, "ad_spend") == [("ad_spend", "ad_spend_usd", value)]


def test_money_without_an_ad_cue_is_ignored(pipe):
    assert figures(pipe, "The firm signed a 90-day deal with the country for $90,000.", "ad_spend") == []


def test_stated_totals_are_not_network_counts(pipe):
    found = figures(pipe, "- Total number of Facebook accounts removed: 1,167\n- Total number of Pages removed: 255")
    assert found == [("total", "facebook_accounts", 1167), ("total", "pages", 255)]


def test_follower_nouns_read_the_subject(pipe):
    assert figures(pipe, "The Instagram accounts had about 40,000 followers.", "followers") == [("followers", "instagram", 40000)]
    assert figures(pipe, "The Pages had 1.2 million followers.", "followers") == [("followers", "pages", 1200000)]
    assert figures(pipe, "Its Groups had 3,000 members.", "followers") == [("followers", "groups", 3000)]


def test_a_figure_straight_before_joined_counts_group_members(nlp):
    doc = nlp("About 146,000 accounts followed one or more of these Pages, about 3,200 joined one or more of "
              "these Groups and around 9,800 people followed one or more of these Instagram accounts.")
    assert {(q.key, q.value) for q in doc._.iokg_quantities if q.kind == "followers"} == {
        ("pages", 146000), ("groups", 3200), ("instagram", 9800)}


def test_audience_written_as_page_followers_and_group_members_and_two_dozen(nlp):
    doc = nlp("The company removed two dozen Instagram accounts, which together had about 1.1 million Page "
              "followers and roughly 766,000 Group members.")
    found = {(q.kind, q.key, q.value) for q in doc._.iokg_quantities}
    assert found == {("removed", "instagram_accounts", 24), ("followers", "pages", 1100000),
                     ("followers", "groups", 766000)}


def test_briefing_shorthand_figures(nlp):
    doc = nlp("Domestic. ~4.7k Page followers. 9 FB accts, 1 Group (~1.3k members), 24 IG (~3.8k followers).")
    found = {(q.kind, q.key, q.value) for q in doc._.iokg_quantities}
    assert found == {("followers", "pages", 4700), ("removed", "facebook_accounts", 9), ("removed", "groups", 1),
                     ("followers", "groups", 1300), ("removed", "instagram_accounts", 24), ("followers", "instagram", 3800)}
