"""Stage 4, the store: where each document's graph lives and how queries reach it.

`Backend` (backend.py) is the one interface; `embedded` is the local Oxigraph store, `endpoint`
(with `endpoint_wire`) any SPARQL 1.1 server, `push` copies graphs between them, and `ingest`
runs read -> extract -> graph for each file and writes one transaction per document.
`open_backend` picks the backend the user asked for.
"""
from __future__ import annotations

import os

from kg.store.backend import Backend, QueryResult

DEFAULT_STORE = ".iokg"

__all__ = ["Backend", "QueryResult", "DEFAULT_STORE", "open_backend"]


def open_backend(store: str | None = None, endpoint: str | None = None, read_only: bool = False) -> Backend:
    """The backend the user asked for: `endpoint` (or IOKG_ENDPOINT) wins over `store` (or IOKG_STORE)."""
    endpoint = endpoint or os.environ.get("IOKG_ENDPOINT")
    if endpoint:
        from kg.store.endpoint import EndpointBackend

        return EndpointBackend.from_env(endpoint)
    from kg.store.embedded import EmbeddedStore

    return EmbeddedStore(store or os.environ.get("IOKG_STORE") or DEFAULT_STORE, read_only=read_only)
