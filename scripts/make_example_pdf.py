"""Write examples/cib-takedowns-july-2020.pdf: a report-style example (summary list, then a section per network).

The text is our own retelling of the networks Facebook announced on 8 July 2020. Run from the repo
root: `.venv/bin/python scripts/make_example_pdf.py`; the PDF is committed, so this only runs on edits.
"""
from __future__ import annotations

import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from tests.pdfgen import write_pdf  # noqa: E402  (the same dependency-free writer the tests use)

TITLE = "Coordinated inauthentic behavior takedowns, 8 July 2020 (iokg example)"

PARAGRAPHS = [
    TITLE,
    "This example retells, in our own words, three of the networks Facebook announced on 8 July 2020. "
    "Each network was removed for coordinated inauthentic behavior: groups of accounts that hid who "
    "was behind them and misled people about their purpose.",
    "Summary of the networks",
    "1. United States: We removed 54 Facebook accounts, 50 Pages and 4 Instagram accounts. The network "
    "originated in the United States and focused on domestic audiences, mainly in Florida.",
    "2. Brazil: We removed 35 Facebook accounts, 14 Pages, 1 Group and 38 Instagram accounts. This "
    "domestic network originated in Brazil and targeted audiences in Brazil.",
    "3. Ecuador: We removed 41 Facebook accounts, 77 Pages and 56 Instagram accounts. The network "
    "originated in Ecuador and focused on Ecuador, El Salvador and Argentina.",
    "In total, we removed 130 Facebook accounts, 141 Pages, 1 Group and 98 Instagram accounts.",
    "Network 1: United States",
    "We removed 54 Facebook accounts, 50 Pages and 4 Instagram accounts that were run from the United "
    "States. The accounts used fake identities, some of which posed as residents of Florida, to post "
    "about local politics, the operators' own books and websites, and leaked material that had been "
    "published during the 2016 election. Our investigation linked this network to Roger Stone, a "
    "political consultant, and his associates.",
    "About 260,000 accounts followed one or more of these Pages and about 61,500 people followed one "
    "or more of these Instagram accounts. The network spent around $308,000 on ads on Facebook and "
    "Instagram, paid for in US dollars.",
    "Network 2: Brazil",
    "We removed 35 Facebook accounts, 14 Pages, 1 Group and 38 Instagram accounts that originated in "
    "Brazil and focused on audiences there. The operators used duplicate and fake accounts to create "
    "fictitious personas that posed as reporters, and they posted about domestic politics, elections, "
    "and criticism of the political opposition and the media.",
    "Although the people behind it tried to conceal their identities, our investigation found links "
    "to individuals associated with the Social Liberal Party and to employees in the offices of "
    "several Brazilian politicians, including President Jair Bolsonaro and his sons Eduardo and "
    "Flavio Bolsonaro.",
    "About 883,000 accounts followed one or more of these Pages, about 350 accounts joined the Group, "
    "and about 917,000 people followed one or more of these Instagram accounts. The network spent "
    "about $1,500 on ads, paid for in Brazilian reais.",
    "Network 3: Ecuador",
    "We removed 41 Facebook accounts, 77 Pages and 56 Instagram accounts that originated in Ecuador. "
    "The network focused on Ecuador, El Salvador and Argentina. It posted about elections, local "
    "politics and candidates, and some of its Pages presented themselves as news outlets.",
    "The activity was linked to Estraterra, a PR firm in Ecuador. Estraterra has been banned from "
    "our platforms.",
    "About 275,000 accounts followed one or more of these Pages. The network spent around $640,000 on "
    "ads, paid for in US dollars.",
]


def main() -> None:
    """Write the example PDF next to the other examples."""
    target = PROJECT_DIR / "examples" / "cib-takedowns-july-2020.pdf"
    write_pdf(target, PARAGRAPHS, title=TITLE)
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
