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
