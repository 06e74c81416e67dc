"""General rules behind the unseen-document scores, each on a sentence written for this test."""
from __future__ import annotations

from kg.extract.money import to_usd
from kg.graph.model import Document, Money
from kg.extract.networks import extract_document


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
    assert euros.ad_spend == to_usd(1000, "EUR") and euros.ad_spend_usd == euros.ad_spend.usd
    (dollars,) = networks(nlp, "We removed 15 Facebook accounts from Italy. The network spent about $900 on ads, paid in euros.")
    assert dollars.ad_spend_usd == 900 and dollars.ad_spend == Money(900, "USD", 900)


def test_month_totals_are_not_a_network(nlp):
    text = ("We removed 10 Facebook accounts from Chad. We also removed 5 Facebook accounts from Mali. "
            "Altogether this month we took down 15 Facebook accounts.")
    assert len(networks(nlp, text)) == 2


def test_totals_before_the_networks_are_not_a_network(nlp):
    text = ("Altogether this month we took down 300 Facebook accounts. We removed 100 Facebook accounts from Chad. "
            "We removed 200 Facebook accounts from Mali.")
    assert [n.origin for n in networks(nlp, text)] == [("TD",), ("ML",)]


def test_in_total_inside_a_section_still_counts_for_its_network(nlp):
    text = ("We also took down a network that originated in Russia and targeted Germany. "
            "In total we removed 1,633 Facebook accounts and 703 Pages from this operation.")
    (net,) = networks(nlp, text)
    assert net.removed["facebook_accounts"] == 1633 and net.removed["pages"] == 703


def test_unit_of_a_national_military_takes_its_country(nlp):
    (net,) = networks(nlp, "We removed 70 Facebook accounts from Thailand. We found links to a unit of the Thai military.")
    assert [(o.name, o.country) for o in net.operators] == [("Thai military", "TH")]


def test_twitter_operators_stay_with_their_own_network(nlp):
    text = ("Twitter suspended 4,289 accounts that originated in Saudi Arabia and were linked to Smaat, a marketing company. "
            "A second network of 271 accounts was operated from Egypt and the United Arab Emirates and targeted Qatar and Iran. "
            "Twitter also removed 130 accounts in Spain associated with Vox, a political party.")
    nets = networks(nlp, text)
    assert [(n.origin, [o.name for o in n.operators]) for n in nets] == [
        (("SA",), ["Smaat"]), (("EG", "AE"), []), (("ES",), ["Vox"])]
    assert nets[2].operators[0].country == "ES"


def test_rubles_converted_when_no_dollars(nlp):
    (net,) = networks(nlp, "We removed 30 Facebook accounts from Iran. The operation spent 1.5 million rubles on ads.")
    assert (net.ad_spend.amount, net.ad_spend.currency) == (1_500_000, "RUB")
    assert net.ad_spend_usd == net.ad_spend.usd == to_usd(1_500_000, "RUB").usd


def test_country_heading_gives_the_origin_of_its_section(nlp):
    text = "Summary.\n\nMyanmar\n\nWe removed 79 Facebook accounts and 13 Pages. They praised the army.\n"
    (net,) = networks(nlp, text)
    assert net.origin == ("MM",)


def test_summary_item_labelled_by_country_merges_with_its_section(nlp):
    text = ("Myanmar: a network that targeted domestic audiences in Myanmar.\n\n"
            "Myanmar\n\nWe removed 79 Facebook accounts and 13 Pages. We found links to individuals associated with the Myanmar military.\n")
    (net,) = networks(nlp, text)
    assert net.origin == ("MM",) and net.targets == ("MM",) and net.removed["facebook_accounts"] == 79


def test_platform_named_for_the_same_operation_is_kept(nlp):
    text = ("Facebook removed 20 Facebook accounts from Kenya that it linked to Acme Digital, a marketing firm. "
            "Twitter separately suspended accounts tied to the same operation.")
    (net,) = networks(nlp, text)
    assert "Twitter" in net.platforms


def test_bare_x_is_twitter(nlp):
    (net,) = networks(nlp, "X suspended 1,200 accounts run from Venezuela that targeted Colombia.")
    assert net.platforms == ("Twitter",) and net.origin == ("VE",) and net.removed["facebook_accounts"] is None


def test_lead_sentence_about_the_network_before_its_removal(nlp):
    text = ("Meta said the network, based in Iran, targeted Israel and Saudi Arabia. "
            "The company removed 40 Facebook accounts and 7 Instagram accounts.")
    (net,) = networks(nlp, text)
    assert net.origin == ("IR",) and set(net.targets) == {"IL", "SA"}


def test_named_operator_before_unnamed_individuals(nlp):
    text = ("We removed 25 Facebook accounts from Nigeria targeting Cameroon. This activity was linked to Yoyo Media, "
            "an advertising agency in Nigeria, and to individuals in Ghana.")
    (net,) = networks(nlp, text)
    assert [(o.name, o.category, o.country) for o in net.operators] == [
        ("Yoyo Media", "pr-marketing", "NG"), ("individuals in Ghana", "individuals", "GH")]


def test_description_with_its_country_then_the_name(nlp):
    (net,) = networks(nlp, "Facebook removed 68 Facebook accounts run by a PR firm in Egypt, New Waves, that targeted Sudan.")
    assert [(o.name, o.category, o.country) for o in net.operators] == [("New Waves", "pr-marketing", "EG")]
    assert net.targets == ("SD",)


def test_other_dollars_are_not_us_dollars(nlp):
    (net,) = networks(nlp, "We removed 150 Facebook accounts from Brazil. They spent around R$50,000 on ads, paid in Brazilian reais.")
    assert (net.ad_spend.amount, net.ad_spend.currency) == (50_000, "BRL") and net.ad_spend_usd < 20_000
    (us,) = networks(nlp, "We removed 15 Facebook accounts from Peru. They spent about US$4,000 on ads.")
    assert us.ad_spend_usd == 4000


def test_a_further_count_with_its_own_origin_opens_a_network(nlp):
    text = ("Twitter has suspended 3,000 accounts. The largest group, 2,000 accounts, originated in Thailand and was linked "
            "to the Royal Thai Army. A further 1,000 accounts originated in Mexico and targeted domestic audiences.")
    nets = networks(nlp, text)
    assert [(n.origin, n.targets) for n in nets] == [(("TH",), None), (("MX",), ("MX",))]


def test_description_first_then_the_name(nlp):
    (net,) = networks(nlp, "We removed 40 Facebook accounts from Iran. Meta linked them to a media company in Tehran, Pars Today.")
    assert [(o.name, o.category) for o in net.operators] == [("Pars Today", "media")]


def test_individuals_working_for_a_named_firm_are_its_staff_not_a_second_operator(nlp):
    text = ("We removed 31 Facebook accounts and 4 Pages that targeted Iraq. The network was run by people in "
            "Lebanon working for Lighthouse Reach, a consultancy registered in Cyprus.")
    (net,) = networks(nlp, text)
    assert [(o.name, o.category, o.country) for o in net.operators] == [("Lighthouse Reach", "pr-marketing", "CY")]
    assert net.origin == ("LB",), "where the people work from, not where the firm is registered"


def test_a_later_anonymous_removal_sentence_joins_the_network_it_follows(nlp):
    text = ("Meta removed 36 Facebook accounts from Lebanon and attributed them to Lighthouse Reach. "
            "The company did not say how many Pages it removed; of the 19 Pages we had documented, most are gone.")
    assert len(networks(nlp, text)) == 1


def test_an_operator_without_a_country_is_of_the_country_its_network_ran_from(nlp):
    text = ("We removed 64 Facebook accounts from Kenya that targeted Uganda. We found links to Savanna Signal, "
            "a marketing firm headquartered in Nairobi.")
    (net,) = networks(nlp, text)
    assert [(o.name, o.category, o.country) for o in net.operators] == [("Savanna Signal", "pr-marketing", "KE")]
