"""How the operation merge scales: cluster synthetic networks (20 origins, recurring operators, monthly
dates, three sources per takedown) at N and 4N and print the time ratio (blocking by origin keeps it
well under the 16x of scoring every pair).

    .venv/bin/python bench/operations_speed.py [N]
"""
from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

from kg.graph.operations import NetFacts, cluster

ORIGINS = ["RU", "IR", "CN", "US", "IL", "MX", "EG", "NG", "GH", "BR", "IN", "PK", "TH", "VN", "GE", "AM", "TR", "SA",
           "AE", "BD"]


def synthetic(n: int, seed: int = 7) -> list[NetFacts]:
    rng, nets = random.Random(seed), []
    for t in range(n // 3):
        origin = rng.choice(ORIGINS)
        day = date(2018, 1, 1) + timedelta(days=rng.randrange(2500))
        op = (f"actor {rng.randrange(200)}", frozenset({f"actor {rng.randrange(200)}"}))
        figure = rng.randrange(5, 5000)
        for source in range(3):
            nets.append(NetFacts(iri=f"n{t}-{source}", document=f"d{rng.randrange(n)}", origin=frozenset({origin}),
                                 targets=frozenset({rng.choice(ORIGINS)}), platforms=frozenset({"Facebook"}),
                                 operators=(op,) if rng.random() < 0.5 else (), figures={"pages": figure},
                                 start=day.replace(day=1), end=day.replace(day=28)))
    return nets


def timed(n: int) -> float:
    nets = synthetic(n)
    began = time.perf_counter()
    cluster(nets)
    return time.perf_counter() - began


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    small, large = timed(n), timed(4 * n)
    print(f"cluster {n} networks: {small:.2f} s; {4 * n}: {large:.2f} s; ratio {large / small:.1f} (all pairs: 16)")
