"""iokg_orgs, iokg_actors, iokg_platforms and iokg_cues: who ran a network and who found it."""
from __future__ import annotations

import pytest


@pytest.fixture(params=["nlp", "nlp_rules"])
def pipe(request):
    return request.getfixturevalue(request.param)


def orgs(nlp, text):
    return [(o.name, o.role, o.category, o.country) for o in nlp(text)._.iokg_orgs]


def test_new_firm_typed_from_its_appositive(pipe):
    text = "Our investigation found links to Nilewave Digital, a marketing firm in Egypt."
    assert orgs(pipe, text) == [("Nilewave Digital", "operator", "pr-marketing", "EG")]


def test_appositive_based_in_beats_from(pipe):
    text = "We linked it to Harbor Voices, a news website from Lebanon now based in Cyprus."
    assert orgs(pipe, text) == [("Harbor Voices", "operator", "media", "CY")]


def test_description_before_the_name(pipe):
    text = "Our investigation found links to employees of the Italian PR firm Lumen Reach."
    assert orgs(pipe, text) == [("Lumen Reach", "operator", "pr-marketing", "IT")]


def test_acronym_in_brackets_becomes_an_alias(nlp_rules):
    doc = nlp_rules("The network was linked to Centre Atlantique de Presse (CAP), a communications company in Senegal.")
    (org,) = doc._.iokg_orgs
    assert (org.name, org.aliases, org.category, org.country) == ("Centre Atlantique de Presse", ("CAP",), "pr-marketing", "SN")


def test_party_named_before_its_type(pipe):
    text = "They worked on behalf of the ARENA party in El Salvador."
    assert orgs(pipe, text) == [("ARENA", "operator", "political", "SV")]


def test_unnamed_individuals(pipe):
    text = "Our investigation found links to individuals in the state of Nayarit in Mexico."
    assert orgs(pipe, text) == [("individuals in Nayarit", "operator", "individuals", "MX")]


def test_unnamed_firm_is_not_a_name(pipe):
    assert orgs(pipe, "Facebook removed pages run by a US-based PR firm, according to BuzzFeed.") == []


@pytest.mark.parametrize("text, name", [
    ("We found this network after reviewing research by FireEye, a cyber security company.", "FireEye"),
    ("Acting on a tip from the FBI, Facebook removed the accounts.", "FBI"),
    ("We acted after reviewing public reporting on this activity by researchers at the Stanford Internet Observatory.",
     "Stanford Internet Observatory"),
    ("We found it after reviewing research by Sentinel Analytics, a cybersecurity firm.", "Sentinel Analytics"),
])
def test_discovery_sources(pipe, text, name):
    assert [(n, r) for n, r, _, _ in orgs(pipe, text)] == [(name, "discovery")]


def test_researchers_are_never_operators(pipe):
    assert orgs(pipe, "The accounts were linked to Graphika by some commentators.") == []


def test_state_actor(pipe):
    assert orgs(pipe, "Twitter suspended 936 accounts linked to the Chinese government.") == [
        ("Chinese government", "operator", "government", "CN")]


def test_politician_after_a_cue_is_not_an_operator(pipe):
    assert orgs(pipe, "The Pages posted on behalf of President Talon.") == []


def test_known_actor_by_acronym(pipe):
    doc = pipe("The campaign showed some links to the IRA.")
    assert [(a.name, a.country) for _, _, a in doc._.iokg_actors] == [("Internet Research Agency", "RU")]


def test_platforms_are_case_sensitive(pipe):
    doc = pipe("They used Telegram, VK and X (formerly Twitter), not medium-sized blogs.")
    assert [p for _, _, p in doc._.iokg_platforms] == ["Telegram", "VK", "Twitter"]


def test_long_name_with_joiners_acronym_and_based_in(pipe):
    doc = pipe("The campaign was run by a nonprofit called Eliminating Barriers for the Liberation of Africa (EBLA), "
               "based in Ghana.")
    (org,) = doc._.iokg_orgs
    assert (org.name, org.aliases, org.country) == ("Eliminating Barriers for the Liberation of Africa", ("EBLA",), "GH")


def test_possessive_names_the_party_not_the_person(pipe):
    text = "Our investigation found links to individuals associated with Ilan Shor's Shor party, a political party in Moldova."
    assert orgs(pipe, text) == [("Shor", "operator", "political", "MD")]


def test_members_of_a_military(pipe):
    text = "Our investigation found links to members of the Myanmar military."
    assert orgs(pipe, text) == [("Myanmar military", "operator", "state-linked", "MM")]


@pytest.mark.parametrize("text, expected", [
    ("The network was linked to a Tunisia-based PR firm, Zenith Reach.", ("Zenith Reach", "operator", "pr-marketing", "TN")),
    ("It was run by a marketing company called Orbit Nine in Kenya.", ("Orbit Nine", "operator", "pr-marketing", "KE")),
    ("We acted on information shared with us by Alethea Group, a research firm.", ("Alethea Group", "discovery", "research", None)),
])
def test_name_after_its_description(pipe, text, expected):
    assert orgs(pipe, text) == [expected]


def test_a_fact_checker_behind_a_tip_is_a_discovery(nlp):
    doc = nlp("Our investigation began after reviewing reporting by the Brazilian fact-checking organization Aos Fatos.")
    assert [(o.name, o.role) for o in doc._.iokg_orgs] == [("Aos Fatos", "discovery")]


def test_a_military_command_is_state_linked(nlp):
    doc = nlp("Our investigation found links to the Internal Security Operations Command (ISOC) of the Thai military.")
    assert [(o.name, o.category) for o in doc._.iokg_orgs] == [("Internal Security Operations Command", "state-linked")]


def test_leads_from_a_security_company_are_a_discovery(nlp):
    doc = nlp("We received leads from Mandiant that supported us in this investigation.")
    assert [(o.name, o.role) for o in doc._.iokg_orgs] == [("FireEye", "discovery")]  # the gazetteer's name for Mandiant


def test_researchers_a_platform_credited_are_a_discovery(nlp):
    doc = nlp("Meta credited researchers at the Stanford Internet Observatory, who had flagged the Pages.")
    assert [(o.name, o.role) for o in doc._.iokg_orgs] == [("Stanford Internet Observatory", "discovery")]


def named(nlp, text, role="operator"):
    return [o.name for o in nlp(text)._.iokg_orgs if o.role == role]


@pytest.mark.parametrize("text", [
    "The activity was linked to Andes Digital in Peru and Sur Media in Chile.",
    "We tied the network to Andes Digital, Sur Media and the Bluefin Party.",
    "Investigators connected the accounts to Andes Digital as well as to Sur Media.",
    "Meta linked the Pages to Andes Digital, a marketing firm in Lima, and to Sur Media.",
])
def test_operator_lists_keep_every_name(pipe, text):
    found = named(pipe, text)
    assert found[:2] == ["Andes Digital", "Sur Media"]


@pytest.mark.parametrize("text, name", [
    ("It was attributed to Smith and Partners, a PR firm in Kenya.", "Smith and Partners"),
    ("The Pages were run by the Ministry of Information and Communications in Uganda.",
     "Ministry of Information and Communications"),
    ("We found links to the Centre for Research and Analysis (CRA), a think tank in Ghana.", "Centre for Research and Analysis"),
])
def test_names_containing_and_stay_one_name(pipe, text, name):
    assert named(pipe, text) == [name]


@pytest.mark.parametrize("text", [
    "We attribute this activity to Orion Digital.",
    "Meta attributes the campaign to Orion Digital.",
    "Orion Digital was behind the operation.",
    "Orion Digital ran the network.",
    "The network was run by Orion Digital.",
    "The accounts were traced back to Orion Digital.",
    "Orion Digital, which operated the accounts, denied the claims.",
    "The operation has been linked to Orion Digital.",
    "Investigators tied the accounts to Orion Digital.",
    "Individuals associated with Orion Digital created the fake accounts.",
    "Our review found links to people who managed social media for Orion Digital.",
    "It was traced to people in Ecuador, among them staff of Orion Digital.",
    "Meta traced a pro-government network to Orion Digital.",
])
def test_attribution_in_any_voice_and_tense(pipe, text):
    assert named(pipe, text) == ["Orion Digital"]


@pytest.mark.parametrize("text", [
    "The network was traced to Orion Digital, a Quito-based agency.",
    "The network was traced to Orion Digital, a Quito agency, and removed.",
    "It was linked to a Quito agency, Orion Digital.",
    "Orion Digital, a Quito-based agency, ran the Pages.",
    "The accounts were attributed to a marketing company in Quito called Orion Digital.",
])
def test_appositive_before_or_after_gives_category_and_country(pipe, text):
    assert orgs(pipe, text) == [("Orion Digital", "operator", "pr-marketing", "EC")]


@pytest.mark.parametrize("text", [
    "Meta attributes the activity to Norte Labs, a Tel Aviv company offering campaign services.",
    "One set was attributed to a production company called Norte Labs.",
])
def test_described_company_gives_the_name_not_the_city(pipe, text):
    assert named(pipe, text) == ["Norte Labs"]


@pytest.mark.parametrize("text", [
    "The network was linked to a Tel Aviv company offering campaign services.",
    "Facebook removed Pages run by a Lima-based consultancy.",
    "Its posts linked to outlets such as Harbor Voice and Radio Meridian.",
    "The accounts were run by Ghanaians and Nigerians.",
])
def test_no_operator_named(pipe, text):
    assert named(pipe, text) == []


def test_funder_of_a_described_outlet_is_not_an_operator(pipe):
    text = "It traced the Pages to someone connected with Eastern Ledger, a journal based in Minsk and funded by the Belarusian government."
    assert orgs(pipe, text) == [("Eastern Ledger", "operator", "media", "BY")]


def test_state_unit_named_after_the_possessive(pipe):
    text = "Our investigation found links to the Thai military's Internal Security Operations Command."
    assert named(pipe, text) == ["Internal Security Operations Command"]


@pytest.mark.parametrize("text", [
    "Graphika alerted the company to the accounts.",
    "Acting on a tip from Graphika, the company removed the Pages.",
    "The Pages came down after reporting by Graphika.",
    "Researchers at Graphika flagged the accounts last spring.",
    "Graphika shared information about the network with us.",
    "Graphika's threat intelligence team published research on the network.",
    "Twitter suspended the accounts that Graphika had identified.",
])
def test_discovery_in_any_wording(pipe, text):
    found = pipe(text)._.iokg_orgs
    assert [(o.name, o.role) for o in found] == [("Graphika", "discovery")]


def test_discovery_source_is_never_an_operator(pipe):
    text = "Graphika alerted the company. The network was linked to Graphika and to Andes Digital."
    found = [(o.name, o.role) for o in pipe(text)._.iokg_orgs]
    assert ("Graphika", "operator") not in found and ("Andes Digital", "operator") in found


def test_one_platform_tipping_another_is_discovery(pipe):
    found = [(o.name, o.role) for o in pipe("Twitter tipped off Facebook about the activity.")._.iokg_orgs]
    assert found == [("Twitter", "discovery")]


def test_the_removing_platform_does_not_discover_itself(pipe):
    assert pipe("Meta flagged the accounts and removed them.")._.iokg_orgs == []


def test_news_byline_is_not_discovery_but_opening_reporting_is(pipe):
    assert named(pipe, "Reporting by Jane Doe; Editing by John Roe.", "discovery") == []
    assert named(pipe, "Reporting by CNN and research by Clemson University fed the inquiry.", "discovery") == \
        ["CNN", "Clemson University"]


@pytest.mark.parametrize("text", [
    "The accounts were tied to Sol Radio, which owns two websites, and to Luna Press, which prints a weekly.",
    "It linked the Pages to Sol Radio, which owns two websites, and to Luna Press.",
])
def test_list_goes_on_past_a_relative_clause(pipe, text):
    assert named(pipe, text) == ["Sol Radio", "Luna Press"]


def test_demonym_before_an_unknown_acronym_stays_in_the_name(pipe):
    assert named(pipe, "Our investigation found links to the Belarusian KGB.") == ["Belarusian KGB"]


@pytest.mark.parametrize("text, name", [
    ("The Bluefin Party denied it, but Meta says the party ran the network.", "Bluefin Party"),
    ("Spain's Partido Verde denies any role, but the platform says the party operated the accounts.", "Partido Verde"),
    ("Orion Digital is based in Quito. Meta said the firm ran the accounts.", "Orion Digital"),
])
def test_the_party_that_ran_it_is_the_one_named_before(pipe, text, name):
    doc = pipe(text)
    (org,) = doc._.iokg_orgs
    assert org.name == name and doc[org.start:org.end].text in ("the party", "the firm")


@pytest.mark.parametrize("text", [
    "Graphika identified links between the accounts and a local party.",
    "Graphika reported a rise in spam last year.",
    "Graphika flagged concerns about the election.",
])
def test_a_discovery_verb_needs_a_network_or_a_recipient_as_its_object(pipe, text):
    assert pipe(text)._.iokg_orgs == []


@pytest.mark.parametrize("text, name", [
    ("The bot farm was organised in early 2022 by a deputy editor at Sol Radio.", "Sol Radio"),
    ("Twitter attributes the network to actors connected with Peru's government.", "Peru's government"),
    ("It was linked to the head of Andes Digital.", "Andes Digital"),
])
def test_people_lead_to_the_organisation_they_work_for(pipe, text, name):
    assert named(pipe, text) == [name]


def test_attribution_after_an_origin_keeps_both(pipe):
    doc = pipe("The Pages were run from Peru by Andes Digital.")
    assert [(p.code, p.role) for p in doc._.iokg_places] == [("PE", "origin")]
    assert [o.name for o in doc._.iokg_orgs] == ["Andes Digital"]


def test_a_led_by_compound_types_the_organisation(pipe):
    text = "The cluster was coordinated by personnel of the Eastern Security Command, the military-led agency in the region."
    assert orgs(pipe, text) == [("Eastern Security Command", "operator", "state-linked", None)]


@pytest.mark.parametrize("text, name", [
    ("Operator: individuals managing social media for the Peruvian government", "Peruvian government"),
    ("Commercial actor: Sur Media, a Chile-based media company", "Sur Media"),
    ("Linked to: Orion Digital (Ecuador)", "Orion Digital"),
])
def test_label_lines_name_the_operator(pipe, text, name):
    assert named(pipe, text) == [name]


def test_individuals_somewhere_working_for_a_firm_give_the_firm_and_the_origin(pipe):
    doc = pipe("Our investigation found links to individuals in Serbia associated with Vertikala Digital.")
    assert [o.name for o in doc._.iokg_orgs] == ["Vertikala Digital"]
    assert [(p.code, p.role) for p in doc._.iokg_places] == [("RS", "origin")]
