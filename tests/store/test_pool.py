"""kg.store.pool: `iokg ingest --jobs 2` keeps going when a worker process is killed (SIGKILL, as the
out-of-memory killer would): the documents it held are extracted again in a fresh pool."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.store.embedded import EmbeddedStore
from kg.store.pool import by_size

pytestmark = pytest.mark.slow


def spawned_workers(pid: int) -> list[int]:
    """Child processes of `pid` that are multiprocessing workers (not its resource tracker)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            cmdline = Path(entry.path, "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[stat.rindex(")") + 2:].split()[1]) == pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


def is_worker(pid: int) -> bool:
    """True while `pid` is still a running multiprocessing worker."""
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def test_files_go_out_largest_first(tmp_path):
    sizes = {"a.txt": 10, "b.txt": 300, "c.txt": 20}
    for name, size in sizes.items():
        (tmp_path / name).write_text("x" * size)
    assert [p.name for p in by_size([tmp_path / n for n in sizes] + [tmp_path / "gone.txt"])] == \
        ["b.txt", "c.txt", "a.txt", "gone.txt"]


def test_a_killed_worker_costs_no_document(tmp_path, shared_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted((shared_dir / "corpus" / "dev").iterdir())[:10]:
        shutil.copy(path, corpus / path.name)
    store = tmp_path / "store"
    run = subprocess.Popen([str(Path(sys.executable).parent / "iokg"), "ingest", str(corpus), "--store", str(store),
                            "--jobs", "2", "--model", "none"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(spawned_workers(run.pid)) < 2:
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "the pool did not start"
        time.sleep(0.05)
    os.kill(spawned_workers(run.pid)[0], signal.SIGKILL)
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, (out, err)
    assert "Ingested 10 documents" in out and "0 failures" in out and "Traceback" not in err
    with EmbeddedStore(store, read_only=True) as opened:
        graphs = [g for g in opened.graph_names() if "/graph/file/" in g]  # one per document
    assert len(graphs) == 10


def test_workers_end_when_the_ingest_is_killed(tmp_path, shared_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted((shared_dir / "corpus" / "dev").iterdir())[:10]:
        shutil.copy(path, corpus / path.name)
    run = subprocess.Popen([str(Path(sys.executable).parent / "iokg"), "ingest", str(corpus), "--store",
                            str(tmp_path / "store"), "--jobs", "2", "--model", "none"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(spawned_workers(run.pid)) < 2:
        assert run.poll() is None and time.monotonic() < deadline, "the pool did not start"
        time.sleep(0.05)
    workers = spawned_workers(run.pid)
    run.kill()
    run.communicate(timeout=60)  # returns only once no worker holds the ingest's stdout and stderr
    deadline = time.monotonic() + 30
    while any(is_worker(pid) for pid in workers):
        assert time.monotonic() < deadline, "orphaned workers still running"
        time.sleep(0.1)
