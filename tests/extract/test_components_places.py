"""iokg_places and iokg_roles: countries, demonyms and where a network ran from or aimed at."""
from __future__ import annotations

import pytest


def places(nlp, text):
    return [(p.text, p.code, p.kind, p.role) for p in nlp(text)._.iokg_places]


@pytest.fixture(params=["nlp", "nlp_rules"])
def pipe(request):
    return request.getfixturevalue(request.param)


def test_demonyms_and_short_forms(pipe):
    found = places(pipe, "Iranian trolls posed as U.S. voters, UK students and people in the UAE.")
    assert [code for _, code, _, _ in found] == ["IR", "US", "GB", "AE"]
    assert found[0][2] == "demonym"


def test_x_based_is_an_origin(pipe):
    found = places(pipe, "We removed a Russia-based network that focused on Moldova.")
    assert ("Russia", "RU", "country", "origin") in found
    assert ("Moldova", "MD", "country", "target") in found


def test_country_of_georgia_versus_the_us_state(pipe):
    country = places(pipe, "The network operated from the country of Georgia.")
    state = places(pipe, "Volunteers canvassed voters in the state of Georgia.")
    assert country[0][1] == "GE" and country[0][2] == "country"
    assert state[0][1] == "US" and state[0][2] == "region"


def test_niger_is_not_nigeria(pipe):
    found = places(pipe, "Nigerien and Nigerian pages targeted Niger and Nigeria.")
    assert [code for _, code, _, _ in found] == ["NE", "NG", "NE", "NG"]


def test_multi_origin_then_target(pipe):
    found = places(pipe, "This network originated in Spain and Argentina and targeted Ecuador.")
    assert [(c, r) for _, c, _, r in found] == [("ES", "origin"), ("AR", "origin"), ("EC", "target")]


def test_macro_region_with_listed_countries(pipe):
    found = places(pipe, "It targeted audiences in Sub-Saharan Africa, including Angola, Ghana, Kenya and South Africa.")
    assert [c for _, c, k, r in found if r == "target"] == ["AO", "GH", "KE", "ZA"]
    assert any(k == "macro" for _, _, k, _ in found)


def test_parenthetical_dash_does_not_end_a_target_list(pipe):
    found = places(pipe, "Accounts run out of Russia targeted the UK, Algeria, and Egypt, and — in a repeat of "
                         "earlier efforts — the United States.")
    assert [c for _, c, _, r in found if r == "target"] == ["GB", "DZ", "EG", "US"]


def test_sub_national_regions_in_a_target_clause(pipe):
    found = places(pipe, "This network originated in Mexico and focused on the state of Nayarit in Mexico.")
    assert ("Nayarit", "MX", "region", "target") in found
    unnamed = places(pipe, "They posted about Ghana, focusing on the mayoral race in Kumasi Central.")
    assert ("Kumasi Central", "", "region", "target") in unnamed


def test_weak_origin_after_an_asset_noun(pipe):
    found = places(pipe, "Facebook removed fake accounts in Pakistan that sought to silence critics.")
    assert found == [("Pakistan", "PK", "country", "origin_weak")]


def test_stances_and_language_groups_are_not_places(pipe):
    found = places(pipe, "The pro-Russia Pages targeted Russian-speaking audiences in Moldova.")
    assert [c for _, c, _, _ in found] == ["MD"]


def test_languages_are_not_places(pipe):
    found = places(pipe, "We removed 20 Pages in French and Arabic from Mali that targeted audiences in Burkina Faso, "
                         "posting in English.")
    assert [(c, r) for _, c, _, r in found] == [("ML", "origin_weak"), ("BF", "target")]


def test_people_a_network_posed_as_mark_the_country_it_targeted(nlp):
    doc = nlp("The accounts posed as ordinary citizens in Uganda and Tanzania.")
    assert {p.code for p in doc._.iokg_places if p.role == "target"} == {"UG", "TZ"}


def test_a_focus_or_concentration_on_a_state_marks_a_target_region(nlp):
    doc = nlp("The network concentrated on the state of Minas Gerais, with a particular focus on Belo Horizonte.")
    assert {p.text for p in doc._.iokg_places if p.role == "target" and p.kind == "region"} >= {"Minas Gerais"}


@pytest.mark.parametrize("text", [
    "The network was run by people in Peru and targeted Chile.",
    "Meta linked the accounts to a small group of people in Peru; they targeted Chile.",
    "People in Peru ran the Pages, which were aimed at Chile.",
    "Individuals in Peru were behind the campaign, which focused on Chile.",
    "The Pages, managed by individuals in Peru, targeted audiences in Chile.",
])
def test_people_running_a_network_mark_its_origin(pipe, text):
    roles = {code: role for _, code, _, role in places(pipe, text)}
    assert roles == {"PE": "origin", "CL": "target"}


@pytest.mark.parametrize("text", [
    "The Pages were aimed at people in Chile.",
    "The posts targeted people in Chile who ran small businesses.",
])
def test_people_a_network_addressed_stay_targets(pipe, text):
    assert [role for _, _, _, role in places(pipe, text)] == ["target"]


def test_a_platform_name_is_not_a_region(pipe):
    assert [text for text, *_ in places(pipe, "Meta removed accounts that targeted Colombia.")] == ["Colombia"]
