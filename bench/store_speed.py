"""Oxigraph on disk vs rdflib in memory on a synthetic graph shaped like iokg's, at ~1M triples.

Builds synthetic extractions (documents with networks, operators, targets, counts, ad spend,
stance, techniques and an Evidence node per claim) through kg.graph.rdf, so the triples have exactly
the shape ingest writes. Prints load time and the median latency of each canned query in both
stores, their ratio, and whether the targets of issue 3 are met.

    .venv/bin/python bench/store_speed.py                 # 1,000,000 triples
    .venv/bin/python bench/store_speed.py --triples 100000 --rdflib-runs 1
"""
from __future__ import annotations

import argparse
import hashlib
import random
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pycountry  # noqa: E402
from rdflib import Dataset  # noqa: E402

from kg.graph.model import Claim, Document, Evidence, Extraction, Network, Operator, StanceTarget, TechniqueUse  # noqa: E402
from kg.out.queries import canned_queries, parse_params  # noqa: E402
from kg.graph.iris import ENTITIES_GRAPH, graph_iri  # noqa: E402
from kg.graph.rdf import extraction_graphs  # noqa: E402
from kg.store.embedded import EmbeddedStore  # noqa: E402

SELECTIVE = {"targets-of", "evidence-for"}
BUSIEST = """
PREFIX iokg: <https://w3id.org/iokg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name WHERE { ?n iokg:%s ?x . ?x rdfs:label ?name } GROUP BY ?name ORDER BY DESC(COUNT(?n)) ?name LIMIT 1
"""
CODES = [c.alpha_2 for c in pycountry.countries]
CATEGORIES = ("pr-marketing", "political", "state-linked", "media", "individuals")


def synthetic_network(rng: random.Random, index: int, text: list[str], offset: list[int]) -> Network:
    """One network and its sentence; `text`/`offset` accumulate the document text."""
    origin = rng.choice(CODES)
    targets = tuple(dict.fromkeys([origin] + rng.sample(CODES, rng.randint(0, 2)))) if rng.random() < .6 \
        else tuple(rng.sample(CODES, rng.randint(1, 3)))
    if rng.random() < .02:
        targets = tuple(dict.fromkeys(targets + ("EC",)))
    op_id = rng.randint(1, 3000)
    operator = Operator(f"Synthetic Firm {op_id}", CATEGORIES[op_id % len(CATEGORIES)], rng.choice(CODES))
    removed = {"facebook_accounts": rng.randint(1, 500), "pages": rng.randint(0, 80),
               "instagram_accounts": rng.randint(0, 150)}
    sentence = (f"Network {index} run from {origin} by {operator.name} targeted {' '.join(targets)}, "
                f"with {removed['facebook_accounts']} accounts and {removed['pages']} Pages. ")
    span = Evidence(sentence, offset[0], offset[0] + len(sentence))
    text.append(sentence)
    offset[0] += len(sentence)
    claims = [Claim("origin", origin, span), Claim("operators", operator.name, span)]
    claims += [Claim("targets", t, span) for t in targets]
    claims += [Claim(f"removed.{k}", v, span) for k, v in removed.items()]
    spend = rng.randint(0, 200_000) if rng.random() < .5 else None
    if spend is not None:
        claims.append(Claim("ad_spend_usd", spend, span))
    operators = (operator,) if rng.random() < .7 else ()
    promotes = (StanceTarget(f"Party {rng.randint(1, 400)}"),) if rng.random() < .3 else ()
    attacks = (StanceTarget(f"Person {rng.randint(1, 300)}", kind="person", role="Mayor"),) if rng.random() < .15 else ()
    techniques = tuple(TechniqueUse(p) for p in rng.sample(["1.1.2", "2.1.1", "7.1.1", "4.2.1"], 2))
    # like the extractor, every fact written has a claim, hence an Evidence node
    claims = [c for c in claims if c.field != "operators" or operators]
    claims += [Claim("promotes", t.name, span) for t in promotes]
    claims += [Claim("attacks", t.name, span) for t in attacks]
    claims += [Claim("techniques", t.procedure, span) for t in techniques]
    return Network(
        index=index, label=f"{origin} network {index}", origin=(origin,), targets=targets,
        platforms=("Facebook", "Instagram"), removed=removed, followers={"pages": rng.randint(0, 90_000)},
        ad_spend_usd=spend, operators=operators, promotes=promotes, attacks=attacks, techniques=techniques,
        evidence=(span,), claims=tuple(claims),
    )


def synthetic_nquads(target: int, seed: int = 7) -> tuple[bytes, int]:
    """N-Quads of synthetic documents (5 networks each) plus the entities graph; returns (data, quads)."""
    rng = random.Random(seed)
    chunks, quads, doc_no, entities = [], 0, 0, set()
    while quads < target:
        doc_no += 1
        text, offset = [], [0]
        nets = tuple(synthetic_network(rng, i, text, offset) for i in range(1, 6))
        body = "".join(text)
        sha = hashlib.sha256(f"{doc_no}{body}".encode()).hexdigest()
        doc = Document(f"/syn/{doc_no}.txt", f"doc-{doc_no:05d}.txt", body, "txt", sha)
        document, shared = extraction_graphs(Extraction(doc, nets))
        name = f" <{graph_iri(doc)}> .".encode()
        lines = [line[:-2] + name for line in document.serialize(format="nt", encoding="utf-8").splitlines() if line]
        chunks.append(b"\n".join(lines) + b"\n")
        quads += len(lines)
        for line in shared.serialize(format="nt", encoding="utf-8").splitlines():
            if line and line not in entities:
                entities.add(line)
                quads += 1
    suffix = f" <{ENTITIES_GRAPH}> .".encode()
    chunks.append(b"\n".join(line[:-2] + suffix for line in sorted(entities)) + b"\n")
    return b"".join(chunks), quads


class Timeout(Exception):
    """rdflib took longer than --rdflib-timeout."""


def _alarm(signum, frame):
    raise Timeout()


def timed_capped(fn, runs: int, cap: int) -> tuple[float, object]:
    """Like timed(), but a run longer than `cap` seconds raises Timeout (rdflib is pure Python, so SIGALRM stops it)."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(cap)
    try:
        return timed(fn, runs)
    finally:
        signal.alarm(0)


def timed(fn, runs: int) -> tuple[float, object]:
    """Median seconds of `runs` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7, help="Oxigraph runs per query (median)")
    parser.add_argument("--rdflib-runs", type=int, default=1, help="rdflib runs per query (median)")
    parser.add_argument("--rdflib-timeout", type=int, default=60, help="give up on an rdflib query after this many seconds")
    args = parser.parse_args()

    start = time.perf_counter()
    data, quads = synthetic_nquads(args.triples)
    print(f"generated {quads:,} quads ({len(data) / 1e6:.0f} MB N-Quads) in {time.perf_counter() - start:.1f} s")

    with tempfile.TemporaryDirectory() as folder, EmbeddedStore(Path(folder) / "store") as store:
        ox_load, _ = timed(lambda: (store.bulk_load(data, "nq"), store.optimize()), 1)
        queries = canned_queries()
        params = pick_params(store)
        print("parameters: " + "; ".join(f"{name} {' '.join(values)}" for name, values in params.items()))
        bindings = {name: parse_params(params.get(name, []), canned) for name, canned in queries.items()}
        # Oxigraph first, before rdflib's million Python objects exist: with them alive, every
        # garbage collection pass in this process walks them and slows Oxigraph's result conversion.
        oxigraph = {name: timed(lambda: store.query(canned.text, bindings=bindings[name]).rows, args.runs)
                    for name, canned in queries.items()}
        dataset = Dataset(default_union=True)
        rdf_load, _ = timed(lambda: dataset.parse(data=data, format="nquads"), 1)
        print(f"load: oxigraph (disk) {ox_load:.2f} s, rdflib (memory) {rdf_load:.2f} s, ratio {rdf_load / ox_load:.1f}x")
        print(f"{'query':26} {'rows':>6} {'oxigraph ms':>12} {'rdflib ms':>10} {'ratio':>7}  target")
        failures = sum(not report(name, canned, bindings[name], *oxigraph[name], dataset, args) for name, canned in queries.items())
        print("all targets met" if not failures else f"{failures} target(s) missed")


def pick_params(store: EmbeddedStore) -> dict[str, list[str]]:
    """Parameters naming the busiest operator and party of the synthetic graph, so lookups return rows."""
    operator = str(store.query(BUSIEST % "operatedBy").rows[0]["name"])
    party = str(store.query(BUSIEST % "promotes").rows[0]["name"])
    return {"targets-of": ["country=Ecuador"], "evidence-for": [f"entity={operator}"],
            "techniques-of": [f"operator={operator}"], "party": [f"name={party}"]}


def report(name: str, canned, bindings, ox_s: float, ox_rows, dataset: Dataset, args) -> bool:
    """Time the query in rdflib, print one line comparing it with Oxigraph; True when its target is met."""
    limit, min_ratio = (0.05, 5) if name in SELECTIVE else (1.0, 10)
    target = f"(<{limit * 1000:.0f} ms, >={min_ratio}x)"
    try:
        rd_s, rd_rows = timed_capped(lambda: list(dataset.query(canned.text, initBindings=bindings)),
                                     args.rdflib_runs, args.rdflib_timeout)
    except Timeout:
        ok = ox_s < limit
        print(f"{name:26} {len(ox_rows):>6} {ox_s * 1000:>12.1f} {'>' + str(args.rdflib_timeout * 1000):>10} "
              f"{'>' + format(args.rdflib_timeout / ox_s, '.0f'):>6}x  {'ok' if ok else 'MISSED'} {target}")
        return ok
    except Exception as error:  # rdflib cannot evaluate some SPARQL that Oxigraph can
        ok = ox_s < limit
        print(f"{name:26} {len(ox_rows):>6} {ox_s * 1000:>12.1f}  rdflib failed ({type(error).__name__}), "
              f"no ratio; {'ok' if ok else 'MISSED'} {target[:-1].split(',')[0]})")
        return ok
    ratio = rd_s / ox_s if ox_s else float("inf")
    ok = ox_s < limit and ratio >= min_ratio
    print(f"{name:26} {len(ox_rows):>6} {ox_s * 1000:>12.1f} {rd_s * 1000:>10.0f} {ratio:>6.0f}x  "
          f"{'ok' if ok else 'MISSED'} {target}" + ("" if len(ox_rows) == len(rd_rows) else f"  [rdflib rows {len(rd_rows)}]"))
    return ok


if __name__ == "__main__":
    main()
