"""Dates: document publication dates and network takedown dates (kg.read.dates, kg.extract.dates)."""
from __future__ import annotations

from kg.extract.dates import earlier_takedowns, network_date
from kg.graph.model import Evidence
from kg.read.dates import document_date, file_name_date, find_dates, interval


def test_find_dates_reads_days_months_quarters_and_relative_expressions():
    found = {m.text: m.value for m in find_dates(
        "Taken down on March 3, 2021, in Q2 2024 and the third quarter of 2022; MAY 2020; in August; last week",
        "2020-09-02")}
    assert found == {"March 3, 2021": "2021-03-03", "Q2 2024": "2024-Q2", "third quarter of 2022": "2022-Q3",
                     "MAY 2020": "2020-05", "in August": "2020-08", "last week": "2020-08"}


def test_a_month_without_a_reference_keeps_its_year_open():
    assert [m.value for m in find_dates("The accounts were deleted in August.")] == ["--08"]
    assert find_dates("deleted last week") == []  # relative needs a reference date


def test_document_date_prefers_metadata_then_published_line_then_file_name():
    assert document_date("x", "2020-01-02", "a.txt") == "2020-01-02"
    text = "February 2021 report\nPublished March 3, 2021\nbody"
    assert document_date(text) == "2021-03-03"
    assert document_date("\n\nMARCH 2021\n\nDETAILED REPORT") == "2021-03"
    assert document_date("no date here", None, "Q1_2023_Iran-based_CIB_network.csv") == "2023-Q1"
    assert file_name_date("2022_08_metas_report_q2.csv") == "2022-08"


def test_interval_covers_each_precision():
    assert [d.isoformat() for d in interval("2024-Q2")] == ["2024-04-01", "2024-06-30"]
    assert [d.isoformat() for d in interval("2020-02")] == ["2020-02-01", "2020-02-29"]
    assert interval("--08") is None


def span(text: str) -> Evidence:
    return Evidence(text, 0, len(text))


def test_network_date_from_its_removal_sentence_resolved_against_the_publication_date():
    found = network_date([span("The network began in 2014."), span("We removed it in October.")], "2021-03-05")
    assert (found.value, found.basis) == ("2020-10", "text")
    assert found.evidence.text == "We removed it in October."


def test_network_date_falls_back_to_the_document_date_marked_as_such():
    found = network_date([span("The accounts posted about elections.")], "2021-03")
    assert (found.value, found.basis) == ("2021-03", "document")
    assert network_date([span("nothing")], None) is None


def test_creation_dates_and_election_years_are_not_takedown_dates():
    found = network_date([span("Accounts created in or after March 2019 were removed ahead of the 2020 election.")],
                         "2021-03")
    assert found.basis == "document"


def test_earlier_takedowns_are_kept_apart_from_the_current_date():
    sentence = span("We found this network through the investigation linked to the network we removed in October 2020.")
    assert network_date([sentence], "2021-03").basis == "document"
    assert [value for value, _ in earlier_takedowns([sentence], "2021-03")] == ["2020-10"]
