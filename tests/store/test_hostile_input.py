"""Issue 6, item 1: a batch of broken and hostile files through `iokg ingest` / `iokg extract`.

Each bad file gets exactly one error line naming it and the reason, the good files are stored,
the exit code is non-zero, and --strict stops at the first failure.
"""
from __future__ import annotations

import hashlib
import json
import os

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter

from kg.cli.main import cli
from kg.errors import DocumentError
from kg.store.ingest import ingest_paths
from kg.store.embedded import EmbeddedStore
from tests.pdfgen import make_pdf

GOOD_TEXT = ("Facebook removed 12 Facebook accounts and 3 Pages linked to Acme Reach, a marketing firm "
             "in Spain. The network originated in Spain and targeted Ecuador.\n")
GOOD_HTML = ("<html><head><script>function stealCookies(){return document.cookie}</script></head><body>"
             "<nav>menu</nav><p>Meta removed 20 Instagram accounts run from Peru that targeted Chile.</p>"
             "<script>stealCookies()</script></body></html>")
# Bad file name -> a word its error line must contain.
BAD = {
    "b_binary.txt": "binary",
    "c_empty.md": "empty",
    "d_truncated.pdf": "truncated",
    "e_encrypted.pdf": "encrypted",
    "f_invalid_utf8.txt": "invalid UTF-8",
    "g_huge.txt": "larger than",
    "loop": "loop",
}
GOOD = ("a_good.txt", "h_scripts.html")


def _encrypted_pdf() -> bytes:
    import io

    writer = PdfWriter(clone_from=io.BytesIO(make_pdf([GOOD_TEXT])))
    writer.encrypt("analyst-only", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build_batch(folder, loop: bool = True):
    """A folder with two good documents and one file (or link) per kind of bad input."""
    folder.mkdir()
    pdf = make_pdf([GOOD_TEXT] * 80)
    files = {
        "a_good.txt": GOOD_TEXT.encode(),
        "b_binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2048),
        "c_empty.md": b"",
        "d_truncated.pdf": pdf[: len(pdf) // 2],
        "e_encrypted.pdf": _encrypted_pdf(),
        "f_invalid_utf8.txt": "Réseau supprimé ".encode() + b"\xe9\xff\xfe broken tail",
        "h_scripts.html": GOOD_HTML.encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with open(folder / "g_huge.txt", "wb") as handle:  # 50 MB of real text
        chunk = GOOD_TEXT.encode() * 1000
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            handle.write(chunk)
    if loop:
        os.symlink(folder, folder / "loop")
    return folder


def stored_hashes(store_path) -> set[str]:
    """sha256 of every document in the store (opened read-only, as a second process would)."""
    with EmbeddedStore(store_path, read_only=True) as store:
        rows = store.query("PREFIX iokg: <https://w3id.org/iokg/ns#> "
                           "SELECT ?sha WHERE { ?d iokg:sha256 ?sha }").rows
    return {str(r["sha"]) for r in rows}


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    return build_batch(tmp_path_factory.mktemp("hostile") / "batch")


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("iokg: error: ")]


def assert_one_line_per_bad_file(lines: list[str], bad: dict[str, str]) -> None:
    for name, reason in bad.items():
        mine = [line for line in lines if f"/{name}:" in line]
        assert len(mine) == 1, (name, lines)
        assert reason.lower() in mine[0].lower(), mine[0]
    assert len(lines) == len(bad), lines


def test_ingest_batch_reports_each_bad_file_and_stores_the_good(batch, tmp_path):
    store = tmp_path / "store"
    result = CliRunner().invoke(cli, ["ingest", str(batch), "--store", str(store), "--model", "none"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert_one_line_per_bad_file(error_lines(result.stderr), BAD)
    assert stored_hashes(store) == {sha(batch / name) for name in GOOD}
    assert f"{len(BAD)} failures" in result.stdout


def test_script_text_never_reaches_the_store(batch, tmp_path):
    store = tmp_path / "store"
    CliRunner().invoke(cli, ["ingest", str(batch / "h_scripts.html"), "--store", str(store), "--model", "none"])
    with EmbeddedStore(store, read_only=True) as opened:
        assert opened.triple_count() > 0
        found = opened.query('SELECT ?o WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "stealCookies")) }').rows
    assert found == ()


def test_extract_batch_prints_json_of_the_good_files_only(batch):
    result = CliRunner().invoke(cli, ["extract", str(batch), "--format", "json", "--model", "none"])
    assert result.exit_code == 1
    assert_one_line_per_bad_file(error_lines(result.stderr), BAD)
    sources = [doc["source"] for doc in json.loads(result.stdout)["documents"]]
    assert sources == list(GOOD)


def test_strict_stops_at_the_first_failure(tmp_path):
    folder = build_batch(tmp_path / "batch", loop=False)
    store = tmp_path / "store"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--store", str(store), "--model", "none", "--strict"])
    assert result.exit_code == DocumentError.exit_code, result.output
    lines = error_lines(result.stderr)
    assert len(lines) == 1 and "b_binary.txt" in lines[0] and "binary" in lines[0], lines  # first bad file, once
    assert "c_empty.md" not in result.output
    assert stored_hashes(store) == {sha(folder / "a_good.txt")}  # h_scripts.html was never reached


def test_file_deleted_while_the_batch_runs(tmp_path, nlp_rules):
    """The first failure deletes a later file of the same batch; that file gets its own clear error."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a_good.txt").write_text(GOOD_TEXT)
    (folder / "b_binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "c_doomed.txt").write_text(GOOD_TEXT.replace("12", "13"))
    (folder / "d_good.md").write_text("# Note\n\n" + GOOD_TEXT.replace("12", "14"))
    heard: list[str] = []

    def on_error(path, error):
        heard.append(str(error))
        if (folder / "c_doomed.txt").exists():
            (folder / "c_doomed.txt").unlink()

    with EmbeddedStore(tmp_path / "store") as store:
        report = ingest_paths([folder], store, nlp_rules, on_error=on_error)
    assert report.documents == 2 and len(report.failures) == 2
    assert "b_binary.txt" in heard[0] and "binary" in heard[0]
    assert "c_doomed.txt" in heard[1] and "no such file" in heard[1] and "\n" not in heard[1]
    assert stored_hashes(tmp_path / "store") == {sha(folder / "a_good.txt"), sha(folder / "d_good.md")}


def test_missing_path_on_the_command_line(tmp_path):
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "nowhere"), "--model", "none"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert f"{tmp_path / 'nowhere'}: no such file" in result.output


def test_hostile_file_names_do_not_reach_the_terminal_raw(tmp_path):
    """A file name carrying ANSI escapes is shown without them in tables and error lines."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "\x1b[2Jevil.txt").write_text(GOOD_TEXT)
    (folder / "\x1b]0;owned\x07bad.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["extract", str(folder), "--format", "table", "--model", "none"])
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "evil.txt" in result.stdout and "bad.txt" in result.stderr
