"""Fixtures that start real servers on 127.0.0.1: Oxigraph (`oxigraph serve`), Virtuoso when Debian's
virtuoso-opensource is installed, and a tiny http.server that fails on purpose (401, 500, garbage...).

Test modules import the fixtures they use: `from tests.servers import oxigraph_server  # noqa: F401`.
"""
from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
ASK = {"query": "ASK {}"}


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    """Poll `url` with ASK {} until it answers 200; fail with the server log if the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            if requests.get(url, params=ASK, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    pytest.fail(f"server at {url} not ready after {timeout}s")


class OxigraphServer:
    """`oxigraph serve` on a free loopback port over a data folder; can be stopped, killed and restarted."""

    def __init__(self, location: Path):
        if not OXIGRAPH.exists():
            pytest.fail(f"{OXIGRAPH} missing: install the test extra (pip install -e '.[test]')")
        self.location = location
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = location.parent / f"{location.name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "OxigraphServer":
        args = [str(OXIGRAPH), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        wait_until_ready(self.url + "/query", self.proc, self.log)
        return self

    def kill(self) -> None:
        """SIGKILL: the way a crash or an OOM killer stops a server."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def load(self, path: Path) -> None:
        """Oxigraph's own bulk loader (`oxigraph load`) into this server's folder; the server must be stopped."""
        args = [str(OXIGRAPH), "load", "--location", str(self.location), "--file", str(path)]
        done = subprocess.run(args, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            pytest.fail(f"oxigraph load failed: {done.stderr[-2000:]}")


@pytest.fixture
def oxigraph_server(tmp_path):
    """A fresh, empty Oxigraph server for one test."""
    server = OxigraphServer(tmp_path / "oxigraph").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def module_oxigraph(tmp_path_factory):
    """One Oxigraph server shared by the tests of a module (for data that is slow to produce)."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "data").start()
    yield server
    server.stop()


@pytest.fixture
def oxigraph_factory(tmp_path):
    """Make extra (not yet started) Oxigraph servers; all are stopped after the test."""
    servers: list[OxigraphServer] = []

    def make(name: str) -> OxigraphServer:
        servers.append(OxigraphServer(tmp_path / name))
        return servers[-1]

    yield make
    for server in servers:
        server.stop()


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 2000
MaxDirtyBuffers = 1200
ThreadsPerQuery = 1
AsyncQueueMaxThreads = 2
MaxQueryMem = 200M
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 4
MaxClientConnections = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 120
"""


class VirtuosoServer:
    """Virtuoso Open Source on loopback ports over a temporary database (user dba, password dba)."""

    user = "dba"
    password = "dba"

    def __init__(self, folder: Path):
        self.folder = folder
        self.http_port, self.sql_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http_port}/sparql"
        self.log = folder / "stdout.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "VirtuosoServer":
        self.folder.mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(d=self.folder, sql_port=self.sql_port, http_port=self.http_port))
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [VIRTUOSO, "-c", str(ini), "+foreground"], cwd=self.folder, stdout=log, stderr=subprocess.STDOUT
            )
        wait_until_ready(self.url, self.proc, self.log, timeout=120)
        return self

    def bulk_load(self, path: Path, default_graph: str) -> None:
        """Virtuoso's own bulk loader (ld_dir + rdf_loader_run, through isql) for a file in its folder."""
        if ISQL is None:
            pytest.skip("isql-vt not installed (comes with virtuoso-opensource)")
        script = (f"ld_dir('{path.parent}', '{path.name}', '{default_graph}'); rdf_loader_run(); checkpoint; "
                  f"select ll_state, ll_error from DB.DBA.load_list where ll_file = '{path}';")
        done = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", self.user, self.password, f"exec={script}"],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or "NULL" not in done.stdout.split("ll_error")[-1]:
            pytest.fail(f"Virtuoso bulk load of {path.name} failed: {done.stdout[-1500:]} {done.stderr[-500:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """One Virtuoso for the session; skipped where virtuoso-opensource is not installed."""
    if VIRTUOSO is None:
        pytest.skip("virtuoso-t not installed (Debian package virtuoso-opensource; see scripts/system-deps.sh)")
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    yield server
    server.stop()


class FaultHandler(BaseHTTPRequestHandler):
    """Answers by the first path segment: /unauthorized, /forbidden, /missing, /broken, /garbage,
    /html, /slow, /flaky (503 twice, then a valid answer), /ok; records every request it sees."""

    VALID = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"ok"}}]}}'

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _reply(self, status: int, body: bytes = b"", ctype: str = "text/plain", extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        server = self.server
        mode = self.path.strip("/").split("/")[0].split("?")[0]
        with server.lock:
            server.seen.append((self.command, self.path, dict(self.headers), body))
            count = sum(1 for seen in server.seen if seen[1].startswith("/" + mode))
        if mode == "unauthorized":
            self._reply(401, b"who are you", extra={"WWW-Authenticate": 'Basic realm="iokg-test"'})
        elif mode == "forbidden":
            self._reply(403, b"not for you")
        elif mode == "missing":
            self._reply(404, b"no such dataset")
        elif mode == "broken":
            self._reply(500, b"internal failure in the storage layer\nsecond line")
        elif mode == "garbage":
            self._reply(200, b"\x00\xffthis is not json{{{", "application/sparql-results+json")
        elif mode == "html":
            self._reply(200, b"<html><body>login page</body></html>", "text/html")
        elif mode == "slow":
            time.sleep(3)
            self._reply(200, self.VALID, "application/sparql-results+json")
        elif mode == "flaky" and count <= 2:
            self._reply(503, b"warming up")
        else:
            self._reply(200 if self.command != "PUT" else 204, self.VALID, "application/sparql-results+json")

    do_GET = do_POST = do_PUT = do_DELETE = _handle


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # clients that time out close early
        pass

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.lock = threading.Lock()
        self.seen: list[tuple[str, str, dict, bytes]] = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def fault_server():
    """A loopback HTTP server that answers with the failure its URL path names."""
    server = FaultServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def example_value(description: str) -> str | None:
    """The first example in a `# param` description, e.g. `(e.g. "Reputation Up")` gives Reputation Up."""
    import re

    match = re.search(r'e\.g\.\s*"?([^",)]+)', description)
    return match.group(1).split(" or ")[0].strip() if match else None


_CONCAT = re.compile(r"(?<![\w:])\(\s*GROUP_CONCAT\s*\((.*?)\)\s+AS\s+\?(\w+)\s*\)", re.S | re.I)
_SEPARATOR = re.compile(r'separator\s*=\s*"((?:[^"\\]|\\.)*)"', re.I)


def concat_columns(sparql: str) -> dict[str, str]:
    """The variables a query binds straight to a GROUP_CONCAT, with its separator (" " when none is given)."""
    out = {}
    for match in _CONCAT.finditer(sparql):
        separator = _SEPARATOR.search(match.group(1))
        separator = separator.group(1) if separator else " "
        if separator:  # an empty separator cannot be split on
            out[match.group(2)] = separator
    return out


def unordered_concat(rows, columns: dict[str, str]) -> tuple:
    """Rows with each GROUP_CONCAT value as its sorted parts: SPARQL leaves their order to the engine,
    and even one engine orders them differently under a different plan (substitution vs VALUES)."""
    out = []
    for row in rows:
        row = dict(row)
        for name, separator in columns.items():
            if name in row:
                parts = tuple(sorted(part for part in str(row.pop(name)).split(separator) if part))
                if parts:
                    row[name] = parts
        out.append(row)
    return tuple(out)


def canned_answers(backend, params: dict[str, str], adjust=None) -> dict[str, tuple]:
    """Rows of every canned query on `backend`, GROUP_CONCAT parts unordered; parameters come from
    `params`, else the query's own example. `adjust` may rewrite each query (dialect comparisons)."""
    from kg.out.queries import canned_queries, parse_params

    answers = {}
    for name, canned in canned_queries().items():
        values = {key: params.get(key) or example_value(text) for key, text in canned.params.items()}
        missing = [key for key, value in values.items() if not value]
        if missing:
            pytest.fail(f"canned query {name} needs a test value for --param {', '.join(missing)}")
        bindings = parse_params([f"{key}={value}" for key, value in values.items()], canned)
        text = adjust(canned.text) if adjust else canned.text
        answers[name] = unordered_concat(backend.query(text, bindings or None).rows, concat_columns(text))
    return answers
