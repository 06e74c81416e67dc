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


# --- counts on Twitter/X, YouTube and TikTok (invented sentences, several wordings) ---------------------

def removed(nlp, text):
    return [(q.key, q.value) for q in nlp(text)._.iokg_quantities if q.kind == "removed"]


@pytest.mark.parametrize("text, key, value", [
    ("Twitter suspended 1,460 accounts that posed as farmers in Ruritania.", "twitter_accounts", 1460),
    ("X said it had suspended 2,205 accounts over the weekend.", "twitter_accounts", 2205),
    ("The platform's safety team disclosed 7,914 Twitter accounts tied to the ministry.", "twitter_accounts", 7914),
    ("About 2,000 X accounts were part of the scheme.", "twitter_accounts", 2000),
    ("Researchers counted 318 accounts on X.", "twitter_accounts", 318),
    ("Over the summer, 640 accounts were suspended by Twitter.", "twitter_accounts", 640),
    ("Google terminated 15 YouTube channels linked to the group.", "youtube_channels", 15),
    ("YouTube took down 212 channels that uploaded the same clips.", "youtube_channels", 212),
    ("Its analysts said YouTube had disabled 88 channels run by the agency.", "youtube_channels", 88),
    ("TikTok removed 1,200 TikTok accounts that promoted the candidate.", "tiktok_accounts", 1200),
    ("TikTok took down 89 accounts posing as local news outlets.", "tiktok_accounts", 89),
    ("TikTok said it removed roughly 3,050 accounts in the quarter.", "tiktok_accounts", 3050),
])
def test_platform_counts(pipe, text, key, value):
    assert removed(pipe, text) == [(key, value)]


@pytest.mark.parametrize("text, key, value", [
    ("Twitter suspended thirty-one accounts run from the capital.", "twitter_accounts", 31),
    ("YouTube terminated two hundred and ten channels in all.", "youtube_channels", 210),
    ("Twitter said it took down one thousand and nineteen accounts.", "twitter_accounts", 1019),
    ("TikTok removed a thousand accounts after the vote.", "tiktok_accounts", 1000),
    ("TikTok removed some thirteen thousand accounts.", "tiktok_accounts", 13000),
    ("Twitter suspended sixty-nine\naccounts tied to the bureau.", "twitter_accounts", 69),
    ("YouTube closed 43 Turkish channels and nothing else.", "youtube_channels", 43),
    ("Twitter disclosed 4,120 further accounts tied to the same actor.", "twitter_accounts", 4120),
])
def test_platform_counts_in_words_and_layouts(pipe, text, key, value):
    assert removed(pipe, text) == [(key, value)]


@pytest.mark.parametrize("words, value", [
    (["one", "thousand", "and", "nineteen"], 1019), (["two", "hundred", "and", "ten"], 210),
    (["a", "thousand"], 1000), (["twenty", "one"], 21), (["one", "hundred", "twenty", "-", "five"], 125),
    (["two", "dozen"], 24), (["thirteen", "thousand"], 13000), (["ten", "and", "twenty"], 10),
    (["twenty", "thirty"], 20), (["a", "group"], None), (["one", "million", "two", "hundred", "thousand"], 1200000),
])
def test_number_words_follow_exact_rules(words, value):
    assert parse_number(words)[0] == value


def test_the_verb_of_each_count_decides_its_platform(pipe):
    text = "TikTok took down 89 accounts; X suspended 2,000 more accounts the same day."
    assert removed(pipe, text) == [("tiktok_accounts", 89), ("twitter_accounts", 2000)]


@pytest.mark.parametrize("text", [
    "Facebook and Twitter removed 300 accounts run from the border region.",
    "The operators ran 1,400 accounts across Facebook, Instagram and TikTok.",
    "The firm managed 950 accounts across several platforms.",
])
def test_a_count_several_platforms_share_is_no_platform_count(pipe, text):
    keys = {key for key, _ in removed(pipe, text)}
    assert keys <= {"other_accounts"}


def test_the_company_refers_back_and_a_paragraph_carries_its_platform(pipe):
    text = ("Twitter published its findings on Tuesday. The company said it had suspended 477 accounts. "
            "The 477 accounts mostly posted at night.")
    assert removed(pipe, text) == [("twitter_accounts", 477), ("twitter_accounts", 477)]


def test_meta_counts_stay_facebook_counts(pipe):
    text = ("We removed 45 accounts, 8 Pages and 3 Groups on Facebook and 12 accounts on Instagram. "
            "Twitter also suspended some accounts tied to this network.\n\n"
            "The second network had 21 accounts and 4 Pages. Facebook found it after a tip from Twitter.")
    assert removed(pipe, text) == [("facebook_accounts", 45), ("pages", 8), ("groups", 3),
                                   ("instagram_accounts", 12), ("facebook_accounts", 21), ("pages", 4)]


def test_a_platform_heading_scopes_the_counts_under_it(pipe):
    text = ("# What the platforms disclosed\n\nFacebook removed 30 accounts and 2 Pages from Ruritania.\n\n"
            "## TikTok\n\n- Freedonia: 640 accounts, run by a marketing firm.\n- Sylvania: 75 accounts.\n")
    assert removed(pipe, text) == [("facebook_accounts", 30), ("pages", 2), ("tiktok_accounts", 640),
                                   ("tiktok_accounts", 75)]


def test_a_twitter_document_reads_its_bare_counts_as_twitter_accounts(pipe):
    text = ("Twitter's disclosure of state-linked operations\n\nTwitter shared data on three networks.\n\n"
            "- Ruritania: 276 accounts\n- Freedonia: 2,048 accounts\n")
    assert removed(pipe, text) == [("twitter_accounts", 276), ("twitter_accounts", 2048)]


def test_platforms_without_a_count_field(pipe):
    found = [(q.key, q.value, q.platform) for q in pipe(
        "Telegram removed 14 channels. OpenAI banned 20 accounts that wrote the comments.")._.iokg_quantities]
    assert found == [("other_accounts", 14, "Telegram"), ("other_accounts", 20, "ChatGPT")]


def test_a_following_of_n_accounts_is_an_audience(pipe):
    text = "The Pages had a combined following of about 15,500 accounts, and the Groups about 2,200 members."
    assert figures(pipe, text) == [("followers", "pages", 15500), ("followers", "groups", 2200)]


def test_a_capitalised_platform_heading_scopes_its_section(pipe):
    text = ("TWITTER: THE LARGEST SET\n\nTwitter said it suspended 900 accounts.\n\n"
            "FACEBOOK: A SMALL NETWORK\n\nThe company's post concerned seven Pages and five accounts.\n")
    assert removed(pipe, text) == [("twitter_accounts", 900), ("pages", 7), ("facebook_accounts", 5)]


def test_labelled_figures_in_a_list_of_facts(pipe):
    text = ("# Covert influence update from TikTok\n\nWe removed two networks this quarter.\n\n"
            "## 1. Network aimed at Chile\n\n- **Operation origin:** Peru\n- **Number of accounts:** 1,847\n"
            "- **Followers:** 212,400\n\n## 2. Network aimed at Peru\n\nNumber of YouTube channels terminated: 36\n"
            "Total number of accounts removed: 5,000\n")
    found = [(q.kind, q.key, q.value) for q in pipe(text)._.iokg_quantities]
    assert ("removed", "tiktok_accounts", 1847) in found and ("removed", "youtube_channels", 36) in found
    assert ("total", "tiktok_accounts", 5000) in found and all(value != 212400 for _, _, value in found)
