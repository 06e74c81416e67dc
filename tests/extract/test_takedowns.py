"""kg.extract.networks: one network per takedown, however often it is described, with evidence for every fact."""
from __future__ import annotations

import hashlib

import pytest

from kg.graph.model import Document
from kg.extract.networks import extract_document

REPORT = """MONTHLY REPORT

- Total number of Facebook accounts removed: 60
- Total number of Pages removed: 9

NEW NETWORKS REMOVED THIS MONTH:

1. **Ruritania:** We removed 41 Facebook accounts, five Pages and three Instagram accounts from Serbia that targeted Kosovo. We found this network after reviewing research by Graphika. Our investigation found links to Balkan Pulse, a PR firm in Serbia.
2. **Peru:** We removed 19 Facebook accounts and four Pages from Peru that targeted domestic audiences in that country. We found this activity as part of our internal investigation.

01

We removed 41 Facebook accounts, 5 Pages and 3 Instagram accounts for violating our policy against foreign interference which is coordinated inauthentic behavior on behalf of a foreign entity. This network originated in Serbia and targeted Kosovo.

- *Followers:* About 2,300 accounts followed one or more of these Pages and around 80 people followed these Instagram accounts.
- *Advertising:* Less than $900 in spending for ads paid for in euros.

02

We removed 19 Facebook accounts and 4 Pages for violating our policy against coordinated inauthentic behavior. This network originated in Peru and focused on the region of Loreto in Peru.
"""

NEWS = """Platform removes two influence campaigns

Meta said it removed 64 Facebook accounts and 12 Pages run from Ethiopia that targeted audiences in Sudan.
The Ethiopia-based operators posed as local journalists.

Separately, acting on a tip from the FBI, the company took down a Russia-based network that targeted Germany and France.
Researchers said the Russian network was linked to the Internet Research Agency (IRA).
"""


def document(text: str, name: str = "sample.txt") -> Document:
    return Document(path=name, name=name, text=text, format="txt", sha256=hashlib.sha256(text.encode()).hexdigest())


@pytest.fixture(params=["nlp", "nlp_rules"])
def pipe(request):
    return request.getfixturevalue(request.param)


def test_summary_item_and_detailed_section_merge(pipe):
    ex = extract_document(document(REPORT), pipe)
    assert len(ex.networks) == 2
    serbia, peru = ex.networks
    assert serbia.origin == ("RS",) and serbia.targets == ("XK",)
    assert serbia.removed["facebook_accounts"] == 41 and serbia.removed["pages"] == 5
    assert serbia.followers == {"pages": 2300, "groups": None, "instagram": 80}
    assert serbia.ad_spend_usd == 900
    assert serbia.policy == "foreign-interference"
    assert serbia.discovered_via == ("Graphika",)
    assert [(o.name, o.category, o.country) for o in serbia.operators] == [("Balkan Pulse", "pr-marketing", "RS")]
    assert len(serbia.evidence) == 2  # the summary item and the detailed section


def test_domestic_network_targets_its_origin_and_regions(pipe):
    peru = extract_document(document(REPORT), pipe).networks[1]
    assert peru.origin == ("PE",) and peru.targets == ("PE",)
    assert peru.target_regions == ("Loreto",)
    assert peru.policy == "cib"
    assert peru.platforms == ("Facebook",)


def test_totals_that_add_up_give_no_warning(pipe):
    ex = extract_document(document(REPORT, "month.txt"), pipe)
    assert ex.totals == {"facebook_accounts": 60, "pages": 9}
    assert ex.warnings == ()


def test_totals_mismatch_is_a_warning(pipe):
    ex = extract_document(document(REPORT.replace("removed: 60", "removed: 61"), "month.txt"), pipe)
    assert ex.warnings == ("month.txt: networks add up to 60 facebook accounts, the document states 61",)


def test_every_claim_quotes_the_document(pipe):
    doc = document(REPORT)
    for net in extract_document(doc, pipe).networks:
        assert net.claims
        for claim in net.claims:
            assert doc.text[claim.evidence.start:claim.evidence.end] == claim.evidence.text
        fields = {c.field for c in net.claims}
        assert {"origin", "removed.facebook_accounts", "platforms", "policy"} <= fields


def test_news_article_retelling_two_takedowns(pipe):
    ex = extract_document(document(NEWS), pipe)
    assert [n.origin for n in ex.networks] == [("ET",), ("RU",)]
    ethiopia, russia = ex.networks
    assert ethiopia.targets == ("SD",) and ethiopia.removed["pages"] == 12
    assert russia.targets == ("DE", "FR")
    assert russia.discovered_via == ("FBI",)
    assert [o.name for o in russia.operators] == ["Internet Research Agency"]
    assert russia.platforms == ("Facebook",)  # the enforcer of a takedown without figures


def test_actioned_style_and_multi_origin(pipe):
    text = ("We actioned 12 Facebook accounts, 3 Pages and 2 Instagram accounts for violating our policy against "
            "coordinated inauthentic behavior. This network originated in Spain and Argentina and targeted Ecuador.")
    (net,) = extract_document(document(text), pipe).networks
    assert net.origin == ("ES", "AR") and net.targets == ("EC",)
    assert net.removed["instagram_accounts"] == 2


def test_aggregate_sentences_make_no_network(pipe):
    text = ("Today we removed three separate networks. Two of them originated in Iran and one in Russia. "
            "We removed 10 Facebook accounts from Iran that targeted Iraq.")
    nets = extract_document(document(text), pipe).networks
    assert [n.origin for n in nets] == [("IR",)]


def test_researchers_and_targeted_parties_are_not_operators(pipe):
    text = ("We removed 30 Facebook accounts from Benin that targeted domestic audiences. The Pages criticised "
            "President Talon and praised the Union Sociale Libérale party. We found this network after a tip from "
            "the Stanford Internet Observatory.")
    (net,) = extract_document(document(text), pipe).networks
    assert net.operators == ()
    assert net.discovered_via == ("Stanford Internet Observatory",)


ROUNDUP = """Meta removes four influence networks

Meta said it had removed four networks this quarter for violating its policy against coordinated inauthentic behavior.

One network, based in China, targeted India with fake news websites. It included 50 Facebook accounts and 3 Pages.

Another network, run from Iran, targeted Israel and Bahrain. Meta said it was linked to the IRGC.

The company said a third operation, from Burkina Faso and Togo, targeted audiences in Gabon and was linked to a French company called Sphinx Strategies.

A commentator noted that the IRGC was also criticised by the Chinese network.
"""


def test_article_listing_several_takedowns(pipe):
    nets = extract_document(document(ROUNDUP), pipe).networks
    assert [(n.origin, n.targets) for n in nets] == [(("CN",), ("IN",)), (("IR",), ("IL", "BH")),
                                                     (("BF", "TG"), ("GA",))]
    assert all(n.policy == "cib" and n.platforms == ("Facebook",) for n in nets)  # from the umbrella sentence
    assert [(o.name, o.category, o.country) for o in nets[2].operators] == [("Sphinx Strategies", "pr-marketing", "FR")]
    assert [o.name for o in nets[1].operators] == ["Islamic Revolutionary Guard Corps"]
    assert nets[0].operators == ()  # a known actor merely mentioned is not an operator


def test_march_2021_report_gives_fourteen_merged_networks_that_add_up(seed_extractions):
    report = next(ex for name, ex in seed_extractions.items() if name.startswith("003_"))
    assert len(report.networks) == 14  # listed twice (summary and detail), merged
    assert report.totals == {"facebook_accounts": 1167, "instagram_accounts": 290, "pages": 255, "groups": 34}
    assert report.warnings == ()
    mexico = [n for n in report.networks if n.origin == ("MX",)]
    assert len(mexico) == 5 and all(n.targets == ("MX",) for n in mexico)


def test_region_of_origin_targeted_in_that_state(pipe):
    text = "We removed 56 Facebook accounts from the state of Colima in Mexico that targeted domestic audiences in that state."
    (net,) = extract_document(document(text), pipe).networks
    assert net.origin == ("MX",) and net.targets == ("MX",) and net.target_regions == ("Colima",)


def test_counts_told_later_and_operator_ban_join_the_network(pipe):
    text = ("Facebook removed a network of fake accounts run from Israel and linked to Delta Reach, a PR firm in Israel.\n\n"
            "In all, Facebook took down 65 Facebook accounts and 161 Pages.\n\n"
            "Facebook banned Delta Reach from its platforms.")
    (net,) = extract_document(document(text), pipe).networks
    assert net.origin == ("IL",) and net.removed["pages"] == 161
    assert [o.name for o in net.operators] == ["Delta Reach"]


def test_operator_country_is_no_origin_when_the_text_states_one(pipe):
    text = ("The company removed 65 Facebook accounts that were run from Russia. Facebook linked the activity to Fazze, "
            "a marketing firm registered in the UK.\n\nFacebook banned Fazze from its platforms.")
    (net,) = extract_document(document(text), pipe).networks
    assert net.origin == ("RU",)


def test_in_total_line_after_several_networks_is_a_sum(pipe):
    text = ("1. Peru: We removed 10 Facebook accounts from Peru that targeted Peru.\n"
            "2. Chile: We removed 20 Facebook accounts from Chile that targeted Chile.\n"
            "In total, we removed 30 Facebook accounts.\n")
    nets = extract_document(document(text), pipe).networks
    assert [n.removed["facebook_accounts"] for n in nets] == [10, 20]


def test_disclosure_style_network_and_acronym_introduced_earlier(pipe):
    text = ("Twitter said it had suspended three separate state-linked operations.\n\n"
            "The largest was a core network of 23,750 Twitter accounts run from the People's Republic of China.\n\n"
            "A network of 7,340 Twitter accounts in Turkey was removed for backing the Justice and Development Party (AKP). "
            "Twitter said the network was linked to the youth wing of the AKP and targeted domestic audiences in Turkey.")
    nets = extract_document(document(text), pipe).networks
    assert [(n.origin, n.platforms) for n in nets] == [(("CN",), ("Twitter",)), (("TR",), ("Twitter",))]
    assert nets[0].removed["facebook_accounts"] is None  # Twitter accounts are not Facebook accounts
    assert [(o.name, o.category, o.country) for o in nets[1].operators] == [("AKP", "political", "TR")]


SECTIONS = """Quarterly report

Chile

This network originated in Chile and targeted audiences in Peru and Bolivia. About 3,100 accounts followed its Pages.

Kenya

This small domestic network originated in Kenya and focused on Nairobi. It spent about $400 on ads.

Our teams also reviewed an older campaign; the small Iranian network from last year targeted Israel.
"""


def test_country_sections_open_their_networks_without_counts(pipe):
    """Counts may sit in a table: a section under a country heading still opens its network, and a
    sentence about another network outside such a section opens none."""
    chile, kenya = extract_document(document(SECTIONS), pipe).networks
    assert chile.origin == ("CL",) and chile.targets == ("PE", "BO") and chile.followers["pages"] == 3100
    assert kenya.origin == ("KE",) and kenya.ad_spend_usd == 400


DISCLOSURE = """Twitter Safety

Today we add two datasets to our archive of state-backed operations on Twitter.

Serbia

We suspended 812 accounts that promoted the ruling Serbian Progressive Party (SNS). The activity originated in Serbia and was aimed at domestic audiences. The accounts were operated by people associated with the SNS.
"""


def test_a_platforms_own_first_person_report_counts_its_accounts_and_spells_out_acronyms(pipe):
    (serbia,) = extract_document(document(DISCLOSURE), pipe).networks
    assert serbia.platforms == ("Twitter",) and serbia.removed["facebook_accounts"] is None
    assert [(o.name, o.aliases) for o in serbia.operators] == [("Serbian Progressive Party", ("SNS",))]


OPENING = """In May, we removed two networks. The first, from Chile, targeted Peru. The second, from Kenya, focused on
domestic audiences. In total we removed 90 Facebook accounts and 12 Pages.

Chile

We removed 50 Facebook accounts and 7 Pages. This network originated in Chile and targeted Peru.

Kenya

We removed 40 Facebook accounts and 5 Pages. This network originated in Kenya and targeted domestic audiences.
"""


def test_a_reports_opening_totals_and_ordinal_summaries_open_no_network(pipe):
    chile, kenya = extract_document(document(OPENING), pipe).networks
    assert (chile.origin, chile.removed["facebook_accounts"]) == (("CL",), 50)
    assert (kenya.origin, kenya.removed["facebook_accounts"]) == (("KE",), 40)


WIRE = """Meta said on Thursday it had dismantled a covert influence campaign run from Russia that targeted Ukraine,
tied to a Moscow-based consultancy.

The Russian operation used 41 Facebook accounts and 14 Pages, the company said. About 80,000 accounts followed
one or more of the Pages, while the Groups had roughly 1,500 members. Meta said the people behind it were located
in Russia, and that some had links to a network the company removed in 2020. The network was removed for
violating the company's policy against coordinated inauthentic behavior.

(Reporting by Jane Doe; Editing by John Roe)
"""


def test_a_wire_story_names_no_byline_researcher_no_place_operator_and_no_past_network(pipe):
    (net,) = extract_document(document(WIRE), pipe).networks
    assert net.origin == ("RU",) and net.removed["facebook_accounts"] == 41
    assert net.operators == () and net.discovered_via == ()
    assert net.followers["pages"] == 80000 and net.followers["groups"] == 1500


SECTIONED = """Twitter Safety

## United Arab Emirates

The second dataset includes 271 accounts operating out of the United Arab Emirates. These accounts, which we
attributed to DotDev, a private technology company, posted mostly about Qatar. All 271 accounts have been
permanently suspended.

We have also found and removed a small number of accounts that were re-established by people connected to
operations we disclosed in October, including the Iranian network described in our earlier release.
"""


def test_a_country_sections_earlier_sentences_belong_to_its_network_and_earlier_releases_are_not_networks(pipe):
    (uae,) = extract_document(document(SECTIONED), pipe).networks
    assert uae.origin == ("AE",) and [o.name for o in uae.operators] == ["DotDev"]


BRIEF = """A research brief by a digital-rights group

Between January and August we monitored a cluster of Facebook assets in Chile that posed as local residents.
Our analysis indicates that it was coordinated by staff of Andes Reach, a marketing firm in Santiago. In
September we shared our findings with Meta, and the company removed the network in October.

Scale: more than 300 Facebook accounts and around 50 Pages.
"""


def test_a_write_up_about_one_network_that_only_says_it_was_removed(pipe):
    (net,) = extract_document(document(BRIEF), pipe).networks
    assert net.removed["facebook_accounts"] == 300 and net.removed["pages"] == 50


TERSE = """## Takedowns

- Moldova (Feb): 68 FB accts, 5 Pages, 2 IG accts. Domestic; posed as local news brands.
- Iran → Israel (Apr): 31 FB, 11 IG, no Pages or Groups. Criticised the government.
"""


def test_terse_items_labelled_with_their_origin_and_fb_ig_abbreviations(pipe):
    moldova, iran = extract_document(document(TERSE, "brief.md"), pipe).networks
    assert moldova.origin == ("MD",) and moldova.removed["facebook_accounts"] == 68
    assert moldova.removed["pages"] == 5 and moldova.removed["instagram_accounts"] == 2
    assert iran.origin == ("IR",) and iran.removed["facebook_accounts"] == 31 and iran.removed["instagram_accounts"] == 11


FIELDS = """Covert influence operations: quarterly update

Network targeting audiences in the Philippines

We assess that this network operated from China and targeted audiences in the Philippines.

- Operation origin: China
- Number of accounts: 412
"""


def test_a_network_heading_then_a_sentence_about_this_network_opens_it(pipe):
    (net,) = extract_document(document(FIELDS), pipe).networks
    assert net.origin == ("CN",) and net.targets == ("PH",)
