"""Issue 6, item 4: the extractor under random and adversarial text.

Hypothesis feeds random text and takedown-like sentences with absurd numbers, plus fixed stress
documents (thousands of country names, 1 MB without a full stop, deeply nested HTML); every result
must be valid takedown JSON (kg/data/takedown.schema.json), produced without an exception and within a time bound.
"""
from __future__ import annotations

import hashlib
import json
import time

import jsonschema
import pycountry
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli.main import cli
from kg.read.document import read_document
from kg.extract.files import document_json
from kg.data import takedown_schema
from kg.graph.model import Document
from kg.extract.networks import extract_document

CODES = {c.alpha_2 for c in pycountry.countries} | {"XK"}
SECONDS_PER_DOCUMENT = 60  # a generous bound: a hang, not slowness, is what this catches


# --- the takedown JSON checked against kg/data/takedown.schema.json, plus what a schema cannot know -----

def validate_takedown_json(data: dict) -> None:
    """Strict JSON (no NaN/inf), valid against the shipped schema, and every country code a real one."""
    json.dumps(data, allow_nan=False)
    jsonschema.validate(data, takedown_schema())
    for d, doc in enumerate(data["documents"]):
        for n, net in enumerate(doc["networks"]):
            codes = net["origin"] + (net["targets"] or []) + [op["country"] for op in net["operators"] if op["country"]]
            assert set(codes) <= CODES, f"documents[{d}].networks[{n}]: not ISO codes {sorted(set(codes) - CODES)}"


def test_validator_rejects_what_the_schema_forbids():
    good = {"origin": ["ES"], "targets": None, "target_regions": [], "platforms": ["Facebook"],
            "removed": {"pages": 3}, "followers": {}, "ad_spend_usd": None, "operators": [],
            "discovered_via": [], "policy": None}
    validate_takedown_json({"documents": [{"source": "a.txt", "networks": [good]}]})
    for bad in ({"origin": ["Spain"]}, {"removed": {"pages": -1}}, {"removed": {"pages": 2.5}},
                {"ad_spend_usd": float("inf")}, {"policy": "other"}, {"removed": {"tweets": 1}}, {"origin": ["XX"]},
                {"origin": ["ES", "ES"]}, {"platforms": [" "]},
                {"operators": [{"name": "", "category": None, "country": None}]}, {"extra": 1}):
        with pytest.raises((AssertionError, ValueError, jsonschema.ValidationError)):
            validate_takedown_json({"documents": [{"source": "a.txt", "networks": [{**good, **bad}]}]})


# --- running the extractor --------------------------------------------------------------------

def extract_text(text: str, nlp, name: str = "fuzz.txt") -> dict:
    """Extract one in-memory document, check the time bound, and return its validated JSON."""
    doc = Document(path=name, name=name, text=text, format="txt",
                   sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    start = time.perf_counter()
    result = document_json(extract_document(doc, nlp))
    assert time.perf_counter() - start < SECONDS_PER_DOCUMENT
    validate_takedown_json({"documents": [result]})
    return result


COUNTRY_NAMES = sorted(c.name for c in pycountry.countries)
NUMBER_WORDS = st.one_of(
    st.integers(min_value=-10**6, max_value=10**40).map(lambda n: f"{n:,}"),
    st.integers(min_value=0, max_value=10**40).map(str),
    st.sampled_from(["1e309", "1e-309", "NaN", "inf", "-0", "0x1F", "one million billion", "zero",
                     "9" * 400, "1,2,3,4", "3.6 million billion", "¾", "٣٤", "Ⅻ", "1.5e3", "$", "$$$"]),
)
ASSETS = st.sampled_from(["Facebook accounts", "Pages", "Groups", "Instagram accounts", "events",
                          "accounts followed one or more of these Pages", "people joined these Groups",
                          "in ads", "Twitter accounts", "TikTok videos"])
FRAGMENTS = st.one_of(
    st.builds(lambda n, a: f"We removed {n} {a}", NUMBER_WORDS, ASSETS),
    st.builds(lambda n: f"The network spent about ${n} on advertising", NUMBER_WORDS),
    st.builds(lambda c, d: f"This network originated in {c} and targeted {d}",
              st.sampled_from(COUNTRY_NAMES), st.sampled_from(COUNTRY_NAMES)),
    st.builds(lambda o, c: f"It was linked to {o}, a PR firm in {c}",
              st.text(min_size=1, max_size=30), st.sampled_from(COUNTRY_NAMES)),
    st.builds(lambda o: f"acting on a tip from {o}", st.text(max_size=20)),
    st.sampled_from(["1e309 accounts", "Network #1:", "1.", "(", ")", "“", "\u202e", "\n\n", "—", ";",
                     "for violating our policy against foreign interference", "U.S.", "the country of Georgia",
                     "Niger and Nigeria", "Sub-Saharan Africa, including Angola, Ghana", "#FreeEveryone"]),
    st.text(max_size=40),
)
ADVERSARIAL = st.lists(st.tuples(FRAGMENTS, st.sampled_from([". ", " ", ", ", "\n", "! ", ""])),
                       max_size=25).map(lambda parts: "".join(f + s for f, s in parts))

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)


@FUZZ
@given(text=st.text(max_size=2000))
def test_random_text(nlp_rules, text):
    extract_text(text, nlp_rules)


@FUZZ
@given(text=ADVERSARIAL)
def test_adversarial_takedown_sentences_rules(nlp_rules, text):
    extract_text(text, nlp_rules)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(text=ADVERSARIAL)
def test_adversarial_takedown_sentences_model(nlp, text):
    extract_text(text, nlp)


def test_huge_numbers_never_become_floats_or_overflow(nlp_rules):
    text = ("We removed 1e309 Facebook accounts, 99999999999999999999999999999 Pages and "
            f"{10**30:,} Instagram accounts. The network spent about $1e309 and $9{'9' * 60} on ads. "
            "About 1e309 accounts followed one or more of these Pages. "
            "This network originated in Spain and targeted Ecuador.")
    extract_text(text, nlp_rules)


def test_thousands_of_country_names(nlp_rules):
    names = [COUNTRY_NAMES[i % len(COUNTRY_NAMES)] for i in range(4000)]
    text = ("We removed 12 Facebook accounts. This network originated in " + ", ".join(names)
            + " and targeted " + " and ".join(reversed(names)) + ".")
    result = extract_text(text, nlp_rules)
    assert result["networks"]  # the sentence still introduces a network


def test_one_megabyte_without_a_full_stop(nlp_rules):
    words = ["network", "Facebook", "accounts", "removed", "Spain", "targeted", "Pages", "42", "and", "the"]
    text = " ".join(words[i % len(words)] for i in range(180_000))[:1_000_000]
    assert len(text) >= 990_000 and "." not in text
    extract_text(text, nlp_rules)


def test_deeply_nested_html(tmp_path, nlp_rules):
    depth = 20_000
    page = ("<html><body>" + "<div><span>" * depth + "We removed 7 Facebook accounts run from Peru that "
            "targeted Chile." + "</span></div>" * depth + "</body></html>")
    path = tmp_path / "nested.html"
    path.write_text(page, encoding="utf-8")
    start = time.perf_counter()
    try:
        document = read_document(path)
    except Exception as error:  # refusing the file is fine, but only as a clear DocumentError
        from kg.errors import DocumentError

        assert isinstance(error, DocumentError) and "nested.html" in str(error)
        return
    assert time.perf_counter() - start < SECONDS_PER_DOCUMENT
    extract_text(document.text, nlp_rules, "nested.html")


def test_cli_json_on_stress_documents_is_valid(tmp_path):
    folder = tmp_path / "stress"
    folder.mkdir()
    (folder / "a.txt").write_text("1e309 accounts. " * 2000 + "We removed 5 Pages from Iran.", encoding="utf-8")
    (folder / "b.md").write_text("#" * 7 + " x\n\n" + "> " * 500 + "We removed 9 Groups in Kenya.\n", encoding="utf-8")
    (folder / "c.html").write_text("<table>" * 1500 + "Meta removed 3 Pages from Chad." + "</table>" * 1500)
    result = CliRunner().invoke(cli, ["extract", str(folder), "--format", "json", "--model", "none"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    validate_takedown_json(data)
    assert [d["source"] for d in data["documents"]] == ["a.txt", "b.md", "c.html"]
