"""kg.extract.facts: when two descriptions can be one network, and how their facts combine."""
from __future__ import annotations

from kg.extract.facts import Facts, OperatorFact
from kg.graph.model import Claim, Evidence


def facts(**kw) -> Facts:
    f = Facts()
    for key, value in kw.items():
        setattr(f, key, value)
    return f


def test_same_origin_and_counts_agree():
    a = facts(origin=["IR"], removed={"pages": 2, "groups": 1})
    b = facts(origin=["IR"], removed={"pages": 2})
    assert a.affinity(b) > 0


def test_conflicting_counts_or_origins_never_merge():
    assert facts(origin=["IR"], removed={"pages": 2}).affinity(facts(origin=["IR"], removed={"pages": 17})) == 0
    assert facts(origin=["ES", "SV"]).affinity(facts(origin=["ES", "AR"])) == 0


def test_operator_spelling_variants_merge():
    a = facts(origin=["IL"], operators=[OperatorFact("ElBaladd", "media", "IL")])
    b = facts(origin=["IL"], operators=[OperatorFact("EIBaladd", None, None)])
    assert a.affinity(b) > 0
    a.absorb(b)
    assert [o.name for o in a.operators] == ["ElBaladd"]


def test_domestic_network_targets_its_origin_and_counts_imply_platforms():
    f = facts(origin=["BJ"], domestic=True, removed={"instagram_accounts": 9})
    f.claims.append(Claim("removed.instagram_accounts", 9, Evidence("x", 0, 1)))
    f.finish()
    assert f.targets == ["BJ"] and f.platforms == ["Instagram"]
