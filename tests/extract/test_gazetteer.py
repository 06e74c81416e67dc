"""Typed views of the rule data: clear errors for wrong names, one country resolver from pycountry plus extras."""
from __future__ import annotations

import pytest

from kg.extract import gazetteer
from kg.errors import UsageError


def test_wrong_cue_name_lists_the_valid_ones():
    with pytest.raises(UsageError, match="removal"):
        gazetteer.cue("removals")


def test_every_iso_country_is_known():
    import pycountry

    names = gazetteer.country_names()
    codes = set(names.values())
    assert {c.alpha_2 for c in pycountry.countries} <= codes
    assert names["Bhutan"] == "BT"  # only in pycountry, not in our extras


@pytest.mark.parametrize("name, code", [("Iranian", "IR"), ("U.S.", "US"), ("UK", "GB"), ("UAE", "AE"),
                                        ("Nigerien", "NE"), ("Nigerian", "NG"), ("Niger", "NE"),
                                        ("Nigeria", "NG"), ("Russia", "RU"), ("Türkiye", "TR")])
def test_country_codes(name, code):
    assert gazetteer.country_code(name) == code


@pytest.mark.parametrize("name, code", [("VENEZUELA", "VE"), ("iranian", "IR"), ("u.s.", "US"), ("Côte d’Ivoire", "CI"),
                                        ("Congo", "CG")])
def test_folded_country_codes(name, code):
    assert gazetteer.country_code(name) in (None, code)
    assert gazetteer.country_code(name, folded=True) == code


def test_the_resolvers_agree():
    """people.country_of and the indicator parser resolve through the gazetteer, not copies of it."""
    from kg.extract.indicator_text import countries_in
    from kg.extract.people import country_of

    for name, code in list(gazetteer.country_names().items())[::7]:
        assert country_of(name) == code, name
        if "," not in name and "(" not in name:
            assert countries_in(f"Targeted: {name}.") == [code], name


def test_researchers_are_not_operators():
    roles = {a.name: a.role for a in gazetteer.actors()}
    for name in ("FireEye", "Graphika", "Digital Forensic Research Lab", "Stanford Internet Observatory", "FBI"):
        assert roles[name] == "researcher"
    assert roles["CLS Strategies"] == "operator"


def test_subdivisions_give_sub_national_regions():
    regions = gazetteer.subdivisions()
    assert regions["Quintana Roo"] == "MX"
    assert "Mexico" not in regions  # a country name is never a region


def test_english_region_names_beyond_iso_3166_2():
    regions = gazetteer.subdivisions()
    assert regions["Gagauzia"] == "MD" and regions["Balochistan"] == "PK"
