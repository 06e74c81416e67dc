"""Documents/s, peak memory and store size of `iokg ingest --jobs 1` and `--jobs 2` at 50, 200 and 800 documents.

    python bench/ingest_scale.py [--sizes 50 200 800] [--model auto] [--jobs 1 2]

The documents are the seeds and the development corpus (../shared/corpus), largest first, copied
round-robin with distinct bytes (copy k ends in k extra newlines, so every file is a new document to
the store); largest first, so every size holds the longest documents, which set the peak memory. Each
run is `iokg ingest FOLDER --store NEW --jobs J` in a subprocess; peak RSS is the largest sum over the
process tree (the writer and its workers), sampled every 0.1 s, printed with the peak of its largest
single process (with --jobs 2 the sum is highest when both workers hold a long document at once); the store is measured on disk after
the run and again after opening and closing it once more. The targets of issue 14, checked on the
numbers of this one run: --jobs 2 >= 1.6x --jobs 1, peak RSS at the largest size <= 1.3x the
smallest, store on disk <= 1.5x its reopened size.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("IOKG_SHARED", ROOT.parent / "shared"))
SOURCES = [SHARED / "corpus" / "seeds", SHARED / "corpus" / "dev"]
IOKG = Path(sys.executable).parent / "iokg"
SPEEDUP, RSS_GROWTH, DISK_GROWTH = 1.6, 1.3, 1.5


def make_corpus(folder: Path, count: int) -> Path:
    """`count` documents copied round-robin from the sources, each with distinct bytes."""
    sources = sorted((p for source in SOURCES for p in source.iterdir() if p.is_file() and not p.name.startswith(".")),
                     key=lambda p: (-p.stat().st_size, p.name))
    if not sources:
        sys.exit(f"no documents under {', '.join(map(str, SOURCES))} (set IOKG_SHARED)")
    folder.mkdir(parents=True)
    for i in range(count):
        source = sources[i % len(sources)]
        (folder / f"{i:05d}_{source.name}").write_bytes(source.read_bytes() + b"\n" * (i // len(sources) + 1))
    return folder


def tree_rss(root: int) -> tuple[int, int]:
    """Resident memory in bytes of a process and all its descendants, and of the largest one (/proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    total, largest, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        largest = max(largest, rss.get(pid, 0))
        todo.extend(children.get(pid, []))
    return total, largest


def disk_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def reopened_size(store: Path) -> int:
    """Size on disk after one more read-write open and close (RocksDB drops its old log then)."""
    code = "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); s.flush(); del s"
    subprocess.run([sys.executable, "-c", code, str(store)], check=True)
    return disk_size(store)


def run_ingest(corpus: Path, store: Path, jobs: int, model: str) -> dict:
    """One `iokg ingest` run: seconds, peak RSS of its process tree, store size after and reopened."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(IOKG), "ingest", str(corpus), "--store", str(store), "--jobs", str(jobs),
                             "--model", model], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = peak_process = 0
    try:
        while proc.poll() is None:
            total, largest = tree_rss(proc.pid)
            peak, peak_process = max(peak, total), max(peak_process, largest)
            time.sleep(0.1)
    finally:
        if proc.poll() is None:  # interrupted: do not leave the ingest running
            proc.kill()
    seconds = time.perf_counter() - start
    out, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit(f"iokg ingest failed ({proc.returncode}): {err[-2000:]}")
    after = disk_size(store)
    return {"seconds": seconds, "rss": peak, "process": peak_process, "disk": after, "reopened": reopened_size(store), "summary": out.strip()}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 800])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--model", default="auto", help="auto (the statistical model) or none (rules only)")
    args = parser.parse_args(argv)
    print(f"cores {len(os.sched_getaffinity(0))}, load average before {os.getloadavg()[0]:.2f}; model {args.model}")
    print(f"{'docs':>5} {'jobs':>4} {'docs/s':>8} {'seconds':>8} {'peak RSS MB':>12} {'1 process':>10} {'store MB':>9} "
          f"{'reopened MB':>12}")
    results: dict[tuple[int, int], dict] = {}
    with tempfile.TemporaryDirectory(prefix="iokg-scale-") as tmp:
        for size in args.sizes:
            corpus = make_corpus(Path(tmp) / f"corpus-{size}", size)
            for jobs in args.jobs:
                store = Path(tmp) / f"store-{size}-{jobs}"
                result = results[size, jobs] = run_ingest(corpus, store, jobs, args.model)
                print(f"{size:>5} {jobs:>4} {size / result['seconds']:>8.2f} {result['seconds']:>8.1f} "
                      f"{result['rss'] / 2**20:>12.0f} {result['process'] / 2**20:>10.0f} {result['disk'] / 2**20:>9.1f} "
                      f"{result['reopened'] / 2**20:>12.1f}",
                      flush=True)
                shutil.rmtree(store)
            shutil.rmtree(corpus)
    print(f"load average after {os.getloadavg()[0]:.2f}")
    return report(results, args.sizes, args.jobs)


def report(results: dict, sizes: list[int], jobs: list[int]) -> int:
    """Print the three targets' ratios; exit status 1 when one is missed."""
    missed = 0
    if 1 in jobs and 2 in jobs:
        for size in sizes:
            speedup = results[size, 1]["seconds"] / results[size, 2]["seconds"]
            missed += speedup < SPEEDUP
            print(f"speed-up --jobs 2 / --jobs 1 at {size}: {speedup:.2f}x (target >= {SPEEDUP})")
    for j in jobs:
        growth = results[sizes[-1], j]["rss"] / results[sizes[0], j]["rss"]
        single = results[sizes[-1], j]["process"] / results[sizes[0], j]["process"]
        missed += growth > RSS_GROWTH
        print(f"peak RSS at {sizes[-1]} / at {sizes[0]}, --jobs {j}: {growth:.2f} (target <= {RSS_GROWTH}); "
              f"largest single process {single:.2f}")
    for (size, j), result in results.items():
        growth = result["disk"] / result["reopened"]
        missed += growth > DISK_GROWTH
        print(f"store on disk / reopened, {size} documents --jobs {j}: {growth:.2f} (target <= {DISK_GROWTH})")
    print("all targets met" if not missed else f"{missed} target(s) missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
