"""SHACL validation of the graph (or a Turtle/TriG file) against ontology/shapes.ttl, via pySHACL.

The ontology is mixed in so that subclass members (a PR firm is an Organization) and the named
individuals (asset types, policies) satisfy `sh:class` constraints.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import RDF, SH

from kg.errors import DocumentError
from kg.data import ONTOLOGY_DIR
from kg.graph.vocab import short_iri

FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld", ".json": "json-ld"}


@dataclass(frozen=True)
class Violation:
    """One failed constraint, in words: which node, which property, what went wrong."""

    focus: str
    path: str
    message: str
    severity: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: <{self.focus}>{where}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]
    triples: int

    def text(self, limit: int = 50) -> str:
        """A readable report: a verdict line, then one line per violation (first `limit`)."""
        if self.conforms:
            return f"conforms: {self.triples} triples checked against ontology/shapes.ttl"
        lines = [f"does not conform: {len(self.violations)} violation(s) in {self.triples} triples"]
        lines += [f"  {v}" for v in self.violations[:limit]]
        if len(self.violations) > limit:
            lines.append(f"  ... and {len(self.violations) - limit} more")
        return "\n".join(lines)


def load_shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


def load_ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "iokg.ttl", format="turtle")


def read_data_file(path: str | Path) -> Graph:
    """Parse an RDF file into one graph (named graphs merged); a bad file is a DocumentError."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DocumentError(str(path), f"unknown RDF file type {path.suffix!r} (use one of {', '.join(FORMATS)})")
    if not path.is_file():
        raise DocumentError(str(path), "no such file")
    graph = Graph()
    try:
        if fmt in ("nquads", "trig"):
            from rdflib import Dataset

            dataset = Dataset()
            dataset.parse(path, format=fmt)
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(path, format=fmt)
    except Exception as error:  # rdflib raises many parser-specific types
        raise DocumentError(str(path), f"not valid {fmt}: {str(error).splitlines()[0] if str(error) else type(error).__name__}") from None
    return graph


def validate_graph(data: Graph) -> ValidationReport:
    """Check `data` against the shapes; the ontology supplies subclass links and named individuals."""
    conforms, report, _ = shacl_validate(
        data, shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="none", advanced=True,
        allow_warnings=False,
    )
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        violations.append(Violation(
            focus=str(focus), path=short_iri(path) if path is not None else "",
            message=str(message or "constraint failed"),
            severity=short_iri(severity) if severity is not None else "Violation",
        ))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(conforms=bool(conforms), violations=tuple(violations), triples=len(data))
