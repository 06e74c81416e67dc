"""Hand-built extractions for the knowledge-graph tests: small, known answers, no extractor needed."""
from __future__ import annotations

import hashlib

from kg.graph.model import Claim, Document, Evidence, Extraction, Indicator, Network, Operator, StanceTarget, TechniqueUse


def span(text: str, sentence: str) -> Evidence:
    """Evidence for `sentence`, located in `text` by its offsets."""
    start = text.index(sentence)
    return Evidence(sentence, start, start + len(sentence))


def document(name: str, text: str, **extra) -> Document:
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(path=f"/tmp/{name}", name=name, text=text, format="txt", sha256=sha, **extra)


FIRM_TEXT = (
    "Acme Reach, a marketing firm in Spain, ran 120 Facebook accounts and 9 Pages aimed at Ecuador. "
    "The network spent about $5,000 on ads. "
    "It praised the Blue Party and criticised Jane Roe. "
    "A second network from Mexico targeted Mexico with 40 Facebook accounts."
)


def firm_extraction(accounts: int = 120, name: str = "firm.txt", text: str = FIRM_TEXT) -> Extraction:
    """Two networks: a Spanish PR firm targeting Ecuador, and a domestic Mexican one."""
    doc = document(name, text, title="Acme takedown", publisher="Example News", date="2021-04-06")
    s1 = span(text, text.split(". ")[0] + ".")
    s2 = span(text, "The network spent about $5,000 on ads.")
    s3 = span(text, "It praised the Blue Party and criticised Jane Roe.")
    s4 = span(text, "A second network from Mexico targeted Mexico with 40 Facebook accounts.")
    acme = Operator("Acme Reach", "pr-marketing", "ES", aliases=("Acme",))
    first = Network(
        index=1, label="Spain network", origin=("ES",), targets=("EC",), target_regions=("Guayas",),
        platforms=("Facebook",), removed={"facebook_accounts": accounts, "pages": 9, "groups": None},
        followers={"pages": 1000}, ad_spend_usd=5000, operators=(acme,), discovered_via=("Graphika",),
        policy="foreign-interference",
        promotes=(StanceTarget("Blue Party", "party", country="EC"),),
        attacks=(StanceTarget("Jane Roe", "person", role="senator"),),
        techniques=(TechniqueUse("1.1.2", "GAN profile pictures"),),
        indicators=(Indicator("domain", "acme.example"),),
        evidence=(s1,),
        claims=(
            Claim("origin", "ES", s1), Claim("targets", "EC", s1), Claim("operators", "Acme Reach", s1),
            Claim("removed.facebook_accounts", accounts, s1), Claim("removed.pages", 9, s1),
            Claim("ad_spend_usd", 5000, s2), Claim("promotes", "Blue Party", s3), Claim("attacks", "Jane Roe", s3),
        ),
    )
    second = Network(
        index=2, label="Mexico network", origin=("MX",), targets=("MX",), platforms=("Facebook",),
        removed={"facebook_accounts": 40}, evidence=(s4,),
        claims=(Claim("origin", "MX", s4), Claim("removed.facebook_accounts", 40, s4)),
    )
    return Extraction(document=doc, networks=(first, second))


def disagreeing_firm_extractions() -> list[Extraction]:
    """Two documents about the same firm that disagree on one count (120 vs 150 accounts)."""
    other = firm_extraction(accounts=150, name="other.txt", text="Other source. " + FIRM_TEXT)
    return [firm_extraction(), other]
