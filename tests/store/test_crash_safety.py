"""Issue 6, item 2: `iokg ingest` killed with SIGKILL mid-batch, and two iokg processes on one store.

Real subprocesses on a real Oxigraph store: after the kill the store opens, holds only whole
documents, and a re-run finishes the batch without duplicates; a reader beside a writer either
works or is told the store is busy.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.store.embedded import EmbeddedStore
from tests.conftest import PROJECT_DIR
COUNTRIES = ("Spain", "Ecuador", "Mexico", "Brazil", "Peru", "Chile", "Kenya", "Ghana", "Egypt", "Iran")
DOCS = 24
GRAPH_SIZES = """
PREFIX iokg: <https://w3id.org/iokg/ns#>
SELECT ?g ?sha (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?d iokg:sha256 ?sha . ?s ?p ?o } } GROUP BY ?g ?sha
"""


def iokg(*args: str, **kwargs) -> subprocess.Popen:
    """Start `iokg ARGS` as its own process (same interpreter, project on the path)."""
    return subprocess.Popen([sys.executable, "-m", "kg.cli", *args], cwd=PROJECT_DIR, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def write_batch(folder: Path) -> Path:
    """DOCS distinct takedown write-ups, eight networks each, so one ingest takes several seconds."""
    folder.mkdir()
    for i in range(DOCS):
        origin, target = COUNTRIES[i % 10], COUNTRIES[(i * 3 + 1) % 10]
        paragraphs = [
            f"Network {j + 1}: We removed {10 + i + j} Facebook accounts, {j + 2} Pages and {i + 3} Instagram "
            f"accounts. This network originated in {origin} and targeted {target}. It was linked to "
            f"Firm{i}x{j} Media, a marketing firm in {origin}. About {1000 * (i + 1) + j} accounts followed "
            f"one or more of these Pages and the network spent about ${100 * (i + j + 1)} on ads."
            for j in range(8)
        ]
        (folder / f"doc{i:02d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder


def graph_sizes(store: Path) -> dict[str, int]:
    """Quads per document graph keyed by the document's sha256, read as a separate reader would."""
    with EmbeddedStore(store, read_only=True) as opened:
        rows = opened.query(GRAPH_SIZES).rows
    sizes: dict[str, int] = {}
    for row in rows:
        assert str(row["sha"]) not in sizes, "a document is stored twice"
        sizes[str(row["sha"])] = int(row["n"])
    return sizes


def documents_in(store: Path) -> int:
    try:
        return len(graph_sizes(store))
    except Exception:  # the writer may not have created the store yet
        return 0


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    return write_batch(tmp_path_factory.mktemp("crash") / "docs")


@pytest.fixture(scope="module")
def reference(batch, tmp_path_factory) -> dict[str, int]:
    """Graph sizes after an uninterrupted ingest of the batch."""
    store = tmp_path_factory.mktemp("reference") / "store"
    done = iokg("ingest", str(batch), "--store", str(store), "--model", "none")
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    sizes = graph_sizes(store)
    assert len(sizes) == DOCS
    return sizes


def kill_mid_batch(batch: Path, store: Path, after: int = 3) -> int:
    """Start an ingest, SIGKILL it once `after` documents are visible; return how many were."""
    proc = iokg("ingest", str(batch), "--store", str(store), "--model", "none")
    deadline = time.monotonic() + 240
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if documents_in(store) >= after:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "ingest finished before it could be killed; make the batch larger"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    return documents_in(store)


def test_sigkill_mid_batch_leaves_whole_documents_and_rerun_completes(batch, reference, tmp_path):
    store = tmp_path / "store"
    kill_mid_batch(batch, store)
    with EmbeddedStore(store) as reopened:  # opens for writing: lock released, not corrupted
        assert reopened.triple_count() > 0
    partial = graph_sizes(store)
    assert 3 <= len(partial) < DOCS
    for sha, size in partial.items():  # each stored document is exactly its full graph
        assert size == reference[sha]
    rerun = iokg("ingest", str(batch), "--store", str(store), "--model", "none")
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert f"Ingested {DOCS} documents" in out and f"({len(partial)} unchanged)" in out
    assert graph_sizes(store) == reference  # complete, nothing doubled


def test_reader_beside_a_writer_works_or_hears_store_is_busy(batch, reference, tmp_path):
    store = tmp_path / "store"
    writer = iokg("ingest", str(batch), "--store", str(store), "--model", "none")
    answers = []
    try:
        while documents_in(store) == 0 and writer.poll() is None:
            time.sleep(0.05)
        while writer.poll() is None and len(answers) < 5:
            reader = iokg("query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", str(store))
            answers.append((reader.wait(timeout=120),) + reader.communicate())
        second = iokg("ingest", str(batch), "--store", str(store), "--model", "none")
        second_out, second_err = second.communicate(timeout=300)
        out, err = writer.communicate(timeout=300)
    finally:
        writer.kill()
    assert writer.returncode == 0, err
    assert answers, "the writer finished before any reader ran"
    for code, out_text, err_text in answers:
        assert "Traceback" not in err_text
        assert code == 0 or (code == 4 and "store is busy" in err_text), (code, err_text)
    # A second writer while the first holds the store is refused with the busy message, or ran after it.
    if second.returncode != 0:
        assert second.returncode == 4 and "store is busy" in second_err and "Traceback" not in second_err
    assert graph_sizes(store) == reference
