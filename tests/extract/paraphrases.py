"""Paraphrases of a few invented takedowns: verb × voice × cue position × layout × one or two networks.

Every variant is a small document (text, Markdown or HTML) that states the same facts of one or two
networks in another way; `check` compares an extraction with those facts and returns what is wrong.
The takedowns, firms and sentences are made up here; nothing is taken from the development corpus.
Run `python -m tests.extract.paraphrases` for a summary of the failures grouped by dimension.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from itertools import product


@dataclass(frozen=True)
class Takedown:
    """The facts one network of a variant must keep."""

    actor: str  # who removed it: "Meta" or "Twitter"
    origin: str
    origin_code: str
    targets: tuple[tuple[str, str], ...]  # (name, ISO code)
    operator: str
    operator_desc: str
    counts: tuple[tuple[str, int, str], ...]  # (removed key, value, words after the number)
    platforms: tuple[str, ...]

    def counts_text(self) -> str:
        parts = [f"{value:,} {words}" for _, value, words in self.counts]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

    def targets_text(self) -> str:
        return " and ".join(name for name, _ in self.targets)


PERU = Takedown("Meta", "Peru", "PE", (("Chile", "CL"), ("Bolivia", "BO")), "Condor Signal", "a marketing firm in Lima",
                (("facebook_accounts", 48, "Facebook accounts"), ("pages", 17, "Pages"),
                 ("instagram_accounts", 22, "Instagram accounts")), ("Facebook", "Instagram"))
KENYA = Takedown("Meta", "Kenya", "KE", (("Uganda", "UG"), ("Tanzania", "TZ")), "Savanna Pulse Media",
                 "a communications agency in Nairobi",
                 (("facebook_accounts", 130, "Facebook accounts"), ("groups", 9, "Groups")), ("Facebook",))
EGYPT = Takedown("Twitter", "Egypt", "EG", (("Libya", "LY"), ("Sudan", "SD")), "Nile Crest Communications",
                 "a public relations firm in Cairo", (("twitter_accounts", 310, "Twitter accounts"),), ("Twitter",))
SERBIA = Takedown("Twitter", "Serbia", "RS", (("Montenegro", "ME"), ("North Macedonia", "MK")), "Drina Digital",
                  "a social media agency in Belgrade", (("twitter_accounts", 1240, "Twitter accounts"),), ("Twitter",))
SINGLES = (PERU, KENYA, EGYPT, SERBIA)
PAIRS = ((PERU, KENYA), (EGYPT, SERBIA))

# verb: (simple past, past participle, noun phrase that takes the object)
VERBS = {
    "removed": ("removed", "removed", "the removal of"),
    "took-down": ("took down", "taken down", "the takedown of"),
    "suspended": ("suspended", "suspended", "the suspension of"),
    "disrupted": ("disrupted", "disrupted", "the disruption of"),
    "banned": ("banned", "banned", "a ban on"),
    "terminated": ("terminated", "terminated", "the termination of"),
    "actioned": ("actioned", "actioned", "enforcement action against"),
}
VOICES = ("active", "passive", "nominal")
CUES = ("lead", "trail")  # lead: origin and attribution before the counts; trail: counts first, attribution last
LAYOUTS = ("prose", "bullets", "table", "heading-bullets", "numbered", "terse")
FORMATS = {"prose": ("txt", "html"), "bullets": ("md", "html"), "table": ("md", "html"),
           "heading-bullets": ("md", "html"), "numbered": ("txt", "md"), "terse": ("txt", "md")}


@dataclass(frozen=True)
class Variant:
    """One generated document and the networks it states."""

    id: str
    layout: str
    voice: str
    cue: str
    verb: str
    fmt: str
    takedowns: tuple[Takedown, ...]
    text: str


def statement(t: Takedown, verb: str, voice: str, cue: str) -> list[str]:
    """The sentences that tell one takedown with every fact, in the given voice and cue order."""
    past, participle, noun = VERBS[verb]
    who, counts, targets = t.actor, t.counts_text(), t.targets_text()
    op = f"{t.operator}, {t.operator_desc},"
    if voice == "active" and cue == "lead":
        return [f"{op} ran a network from {t.origin} aimed at audiences in {targets}.",
                f"{who} {past} its {counts}."]
    if voice == "active":
        return [f"{who} {past} {counts} that were operated from {t.origin} and targeted audiences in {targets}.",
                f"{who} linked the network to {op[:-1]}."]
    if voice == "passive" and cue == "lead":
        return [f"A network run from {t.origin} by {op} targeted audiences in {targets}.",
                f"Its {counts} were {participle} by {who}."]
    if voice == "passive":
        return [f"This month {counts} were {participle} by {who}.",
                f"They were run from {t.origin}, targeted audiences in {targets} and were linked to {op[:-1]}."]
    if cue == "lead":
        return [f"{who} announced {noun} a network from {t.origin} run by {op} which targeted audiences in "
                f"{targets}: {counts}."]
    return [f"{who} reported {noun} {counts}.",
            f"They came from {t.origin}, targeted audiences in {targets} and were linked to {op[:-1]}."]


def terse(t: Takedown, cue: str) -> str:
    """A digest item labelled with the origin: "Peru: 48 Facebook accounts, ... aimed at Chile and Bolivia"."""
    targets, op = t.targets_text(), f"{t.operator}, {t.operator_desc}"
    if cue == "lead":
        return f"{t.origin} ({op}): aimed at {targets}; {t.counts_text()}."
    return f"{t.origin}: {t.counts_text()}, aimed at {targets}; run by {op}."


def intro(who: str, verb: str, voice: str, what: str) -> str:
    """The sentence that carries the verb above a table or a digest list."""
    past, participle, noun = VERBS[verb]
    return {"active": f"{who} {past} {what}.", "passive": f"{what[0].upper() + what[1:]} were {participle} by {who}.",
            "nominal": f"{who} announced {noun} {what}."}[voice]


def table(ts: tuple[Takedown, ...], cue: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a summary table; `lead` puts origin and operator first, `trail` last."""
    keys: list[tuple[str, str]] = []
    for t in ts:
        keys += [(key, words) for key, _, words in t.counts if (key, words) not in keys]
    front = ["Origin", "Operator", "Targets"]
    header = [words for _, words in keys]
    header = front + header if cue == "lead" else header + front[::-1]
    rows = []
    for t in ts:
        values = dict((key, f"{value:,}") for key, value, _ in t.counts)
        cells = [values.get(key, "—") for key, _ in keys]
        about = [t.origin, t.operator, ", ".join(name for name, _ in t.targets)]
        rows.append(about + cells if cue == "lead" else cells + about[::-1])
    return header, rows


def render(layout: str, fmt: str, ts: tuple[Takedown, ...], verb: str, voice: str, cue: str) -> str:
    """The whole document: a title, then the takedowns in the layout, in the file format."""
    blocks: list[tuple[str, object]] = [("h1", "Platform integrity notes, March 2026")]
    who = ts[0].actor
    if layout == "prose":
        blocks += [("p", " ".join(statement(t, verb, voice, cue))) for t in ts]
    elif layout == "bullets":
        blocks += [("h2", f"What {who} reported"), ("ul", [" ".join(statement(t, verb, voice, cue)) for t in ts])]
    elif layout == "heading-bullets":
        for t in ts:
            blocks += [("h2", f"{t.origin} / {t.operator}"), ("ul", statement(t, verb, voice, cue))]
    elif layout == "numbered":
        blocks += [("ol", [f"{t.origin}: " + " ".join(statement(t, verb, voice, cue)) for t in ts])]
    elif layout == "terse":
        blocks += [("p", intro(who, verb, voice, "the networks listed below")), ("ol", [terse(t, cue) for t in ts])]
    else:
        blocks += [("p", intro(who, verb, voice, "the networks in the table below")), ("table", table(ts, cue))]
    return {"txt": _text, "md": _markdown, "html": _html}[fmt](blocks)


def _text(blocks) -> str:
    out = []
    for kind, body in blocks:
        if kind == "ul":
            out.append("\n".join(f"- {item}" for item in body))
        elif kind == "ol":
            out.append("\n".join(f"{k}. {item}" for k, item in enumerate(body, 1)))
        elif kind == "table":
            out.append("\n".join(" | ".join(row) for row in [body[0], *body[1]]))
        else:
            out.append(body)
    return "\n\n".join(out) + "\n"


def _markdown(blocks) -> str:
    out = []
    for kind, body in blocks:
        if kind in ("h1", "h2"):
            out.append("#" * int(kind[1]) + " " + body)
        elif kind == "table":
            header, rows = body
            lines = [header, ["---"] * len(header), *rows]
            out.append("\n".join("| " + " | ".join(row) + " |" for row in lines))
        else:
            out.append(_text([(kind, body)]).rstrip("\n"))
    return "\n\n".join(out) + "\n"


def _html(blocks) -> str:
    e = html.escape
    out = []
    for kind, body in blocks:
        if kind in ("ul", "ol"):
            out.append(f"<{kind}>" + "".join(f"<li>{e(item)}</li>" for item in body) + f"</{kind}>")
        elif kind == "table":
            header, rows = body
            head = "<tr>" + "".join(f"<th>{e(c)}</th>" for c in header) + "</tr>"
            data = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
            out.append(f"<table><thead>{head}</thead><tbody>{data}</tbody></table>")
        else:
            out.append(f"<{kind}>{e(body)}</{kind}>")
    title = e(blocks[0][1])
    return f"<!DOCTYPE html>\n<html><head><title>{title}</title></head><body><article>\n" + "\n".join(out) + \
        "\n</article></body></html>\n"


def variants() -> list[Variant]:
    """Every layout × voice × cue × one/two networks, each with two of the seven verbs (rotating)."""
    verbs = list(VERBS)
    out = []
    for c, (layout, voice, cue, nets) in enumerate(product(LAYOUTS, VOICES, CUES, (1, 2))):
        for j in range(2):
            verb = verbs[(2 * c + j) % len(verbs)]
            fmt = FORMATS[layout][j]
            group, cue_index = divmod(c // 2, 2)  # the takedowns rotate across the other dimensions
            ts = PAIRS[(group + cue_index + j) % 2] if nets == 2 else (SINGLES[(c // 2 + j) % len(SINGLES)],)
            vid = f"{layout}-{voice}-{cue}-{nets}net-{verb}-{fmt}"
            out.append(Variant(vid, layout, voice, cue, verb, fmt, ts, render(layout, fmt, ts, verb, voice, cue)))
    return out


def _norm(name: str) -> str:
    return re.sub(r"\W+", " ", name.lower()).strip()


def _facts(net: dict) -> set[tuple]:
    out = {("origin", c) for c in net.get("origin") or []} | {("targets", c) for c in net.get("targets") or []}
    out |= {("platforms", p) for p in net.get("platforms") or []}
    out |= {(f"removed.{k}", v) for k, v in (net.get("removed") or {}).items() if v}
    out |= {("operators", _norm(op["name"])) for op in net.get("operators") or []}
    return out


def expected_facts(t: Takedown) -> set[tuple]:
    return _facts({"origin": [t.origin_code], "targets": [code for _, code in t.targets],
                   "platforms": list(t.platforms), "removed": {key: value for key, value, _ in t.counts},
                   "operators": [{"name": t.operator}]})


def check(ts: tuple[Takedown, ...], networks: list[dict]) -> list[str]:
    """What the extracted networks (takedown-JSON dicts) get wrong about the takedowns; [] when all is kept."""
    problems = []
    found = [_facts(n) for n in networks]
    used: set[int] = set()
    for t in ts:
        want = expected_facts(t)
        others = set().union(*(expected_facts(o) for o in ts if o is not t)) - want
        best = max((k for k in range(len(found)) if k not in used), key=lambda k: len(want & found[k]), default=None)
        if best is None or not want & found[best]:
            problems.append(f"{t.origin_code}: network missing")
            continue
        used.add(best)
        for fact in sorted(want - found[best], key=str):
            problems.append(f"{t.origin_code}: missing {fact[0]} {fact[1]}")
        for fact in sorted(found[best] - want, key=str):
            why = (" from the other network" if fact in others
                   else " (one of its targets)" if fact[0] == "origin" and ("targets", fact[1]) in want
                   else " (its origin)" if fact[0] == "targets" and ("origin", fact[1]) in want else "")
            problems.append(f"{t.origin_code}: extra{why} {fact[0]} {fact[1]}")
    for k in sorted(set(range(len(found))) - used):
        problems.append(f"spurious network {sorted(c for f, c in found[k] if f == 'origin') or '(no origin)'}")
    return problems


PATTERNS = (  # (what a problem line says, the pattern it belongs to), first match wins
    ("network missing", "a network is lost"),
    ("spurious network", "a network is split or invented"),
    ("from the other network", "facts of the other network leak in"),
    ("extra removed.facebook_accounts", "Twitter accounts read as Facebook accounts"),
    ("extra platforms Facebook", "Twitter accounts read as Facebook accounts"),
    ("missing platforms Twitter", "Twitter accounts read as Facebook accounts"),
    ("missing removed.twitter_accounts", "no removed.twitter_accounts in the JSON"),
    ("(one of its targets)", "a target read as an origin"),
    ("(its origin)", "the origin read as a target"),
    ("missing origin", "origin lost"),
    ("missing targets", "targets lost"),
    ("missing operators", "operator lost"),
    ("missing removed", "a count lost"),
)
MERGED = {"a network is lost", "facts of the other network leak in"}


def pattern(problems: list[str]) -> str:
    """The failure patterns of one variant's problems, sorted and joined: the key of KNOWN_FAILURES."""
    found = set()
    for problem in problems:
        found.add(next((label for cue, label in PATTERNS if cue in problem), "other: " + problem))
    if MERGED <= found:
        found = (found - MERGED) | {"two networks merged into one"}
    return "; ".join(sorted(found))


def run_all(nlp, folder) -> dict[str, list[str]]:
    """Extract every variant (written under `folder`) and return the problems of each, by id."""
    from pathlib import Path

    from kg.extract.files import document_json, extract_paths

    out = {}
    for v in variants():
        path = Path(folder) / f"{v.id}.{v.fmt}"
        path.write_text(v.text, encoding="utf-8")
        (ex,) = extract_paths([path], nlp)
        out[v.id] = check(v.takedowns, document_json(ex)["networks"])
    return out


def _summary() -> None:  # pragma: no cover - a report for people, run by hand
    import tempfile
    from collections import Counter, defaultdict

    from kg.extract.pipeline import load_pipeline

    with tempfile.TemporaryDirectory() as folder:
        problems = run_all(load_pipeline("auto"), folder)
    every = {v.id: v for v in variants()}
    failing = {vid: every[vid] for vid, p in problems.items() if p}
    print(f"{len(every) - len(failing)} of {len(every)} variants keep every network and fact")
    for dim in ("layout", "voice", "cue", "verb", "fmt"):
        counts = Counter(getattr(v, dim) for v in every.values())
        bad = Counter(getattr(v, dim) for v in failing.values())
        print(f"  failing by {dim}: " + ", ".join(f"{k} {bad[k]}/{n}" for k, n in counts.items()))
    nets, bad = Counter(len(v.takedowns) for v in every.values()), Counter(len(v.takedowns) for v in failing.values())
    print("  failing by networks: " + ", ".join(f"{k} {bad[k]}/{n}" for k, n in nets.items()))
    single = Counter(label for vid in failing for label in pattern(problems[vid]).split("; "))
    print("variants showing each pattern:")
    for label, n in single.most_common():
        where = Counter(f"{v.layout}/{v.voice}/{v.cue}" for vid, v in failing.items() if label in pattern(problems[vid]))
        print(f"  {n:4}  {label}: " + ", ".join(f"{k} {c}" for k, c in where.most_common(6)))
    groups = defaultdict(list)
    for vid in failing:
        groups[pattern(problems[vid])].append(vid)
    print("KNOWN_FAILURES = {")
    for reason, ids in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"    {reason!r}: [")
        for vid in ids:
            print(f"        {vid!r},")
        print("    ],")
    print("}")
    for vid in failing:
        print(f"# {vid}: {'; '.join(problems[vid])}")


if __name__ == "__main__":
    _summary()
