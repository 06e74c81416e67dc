"""General rules behind the unseen-document scores, each on a sentence written for this test."""
from __future__ import annotations

from kg.model import Document
from kg.takedowns import extract_document


def networks(nlp, text: str):
    return extract_document(Document(path="t.txt", name="t.txt", text=text, format="txt", sha256="0"), nlp).networks


def test_lesser_extent_targets_are_targets(nlp):
    (net,) = networks(nlp, "We removed 12 Facebook accounts from Iran that targeted Iraq and, to a lesser extent, Kuwait and Bahrain.")
    assert set(net.targets) == {"IQ", "KW", "BH"}


def test_people_in_that_country_is_domestic(nlp):
    (net,) = networks(nlp, "We removed 40 Facebook accounts and 7 Pages. This network originated in Peru and targeted people in that country.")
    assert net.targets == ("PE",)


def test_twitter_accounts_are_not_facebook_accounts(nlp):
    text = ("Twitter also removed 120 accounts in Kenya. A second network of 88 accounts was operated from Ghana and "
            "targeted Nigeria.")
    nets = networks(nlp, text)
    assert [n.origin for n in nets] == [("KE",), ("GH",)]
    assert all(n.platforms == ("Twitter",) and n.removed["facebook_accounts"] is None for n in nets)


def test_linked_to_a_country_is_the_origin_and_channels_name_the_platform(nlp):
    (net,) = networks(nlp, "We terminated 9 YouTube channels as part of our investigation into coordinated influence operations linked to Armenia.")
    assert net.origin == ("AM",) and net.platforms == ("YouTube",)


def test_conjoined_operators_each_kept(nlp):
    text = ("We removed 300 Facebook accounts from Venezuela. We linked this activity to the government of Venezuela and "
            "the United Socialist Party of Venezuela (PSUV), including employees of the National Institute of Land Transport (INTT).")
    (net,) = networks(nlp, text)
    names = {o.name for o in net.operators}
    assert {"government of Venezuela", "National Institute of Land Transport"} <= names
    assert any("Socialist Party" in n for n in names)


def test_person_with_political_appositive_is_an_operator(nlp):
    (net,) = networks(nlp, "We removed 20 Facebook accounts from the US. Our investigation linked this network to Jane Roe, a political consultant.")
    assert [(o.name, o.category, o.country) for o in net.operators] == [("Jane Roe", "political", "US")]


def test_foreign_currency_converted_only_without_a_dollar_figure(nlp):
    (euros,) = networks(nlp, "We removed 15 Facebook accounts from Italy. The network spent about €1,000 on ads.")
    assert euros.ad_spend_usd == 1080
    (dollars,) = networks(nlp, "We removed 15 Facebook accounts from Italy. The network spent about $900 on ads, paid in euros.")
    assert dollars.ad_spend_usd == 900


def test_month_totals_are_not_a_network(nlp):
    text = ("We removed 10 Facebook accounts from Chad. We also removed 5 Facebook accounts from Mali. "
            "Altogether this month we took down 15 Facebook accounts.")
    assert len(networks(nlp, text)) == 2
