"""Shared fixtures: the real spaCy pipeline, the real seeds, real stores in temporary folders."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("IOKG_SHARED", PROJECT_DIR.parent / "shared"))
SEEDS_DIR = SHARED_DIR / "corpus" / "seeds"
GOLD_DIR = SHARED_DIR / "eval" / "gold"
META_DIR = SHARED_DIR / "corpus" / "meta-threat-research"
EXAMPLES_DIR = PROJECT_DIR / "examples"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.fail(f"shared material not found at {SHARED_DIR} (set IOKG_SHARED)")
    return SHARED_DIR


@pytest.fixture(scope="session")
def seeds_dir(shared_dir) -> Path:
    return SEEDS_DIR


@pytest.fixture(scope="session")
def gold_dir(shared_dir) -> Path:
    return GOLD_DIR


@pytest.fixture(scope="session")
def nlp():
    """The real pipeline with the statistical model (installed by default)."""
    from kg.extract.pipeline import load_pipeline

    return load_pipeline("auto")


@pytest.fixture(scope="session")
def nlp_rules():
    """The real pipeline without a statistical model (rules only)."""
    from kg.extract.pipeline import load_pipeline

    return load_pipeline("none")


@pytest.fixture(scope="session")
def seed_extractions(nlp, seeds_dir):
    """Extractions of the five seed documents, by file name."""
    from kg.extract.files import extract_paths

    return {ex.document.name: ex for ex in extract_paths([seeds_dir], nlp=nlp)}


@pytest.fixture(scope="session")
def seed_store(nlp, seeds_dir, tmp_path_factory):
    """Folder of an embedded store holding the ingested seeds (closed; open it read-only)."""
    from kg.store.ingest import ingest_paths
    from kg.store.embedded import EmbeddedStore

    path = tmp_path_factory.mktemp("seed-store") / "store"
    with EmbeddedStore(path) as store:
        report = ingest_paths([seeds_dir], store, nlp)
    assert not report.failures, report.failures
    return path
