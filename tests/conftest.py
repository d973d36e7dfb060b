"""Shared fixtures: a real wire-protocol store (embedded mongoeco, or MONGO_URI) and isolated databases."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator
from pathlib import Path

import pytest

from crawler.config import Config
from crawler.embedded import EmbeddedStore
from crawler.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def store_uri(tmp_path_factory) -> str:
    """MONGO_URI when set (a real MongoDB), else an embedded store started for this test session."""
    if os.environ.get("MONGO_URI"):
        yield os.environ["MONGO_URI"]
        return
    embedded = EmbeddedStore(tmp_path_factory.mktemp("store"))
    status = embedded.start()
    yield status.uri
    embedded.stop()


@pytest.fixture
def config(store_uri, tmp_path, monkeypatch) -> Config:
    """A fresh database for one test; the environment points every component at it."""
    db_name = f"test_{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("MONGO_URI", store_uri)
    monkeypatch.setenv("PORTALS_DB", db_name)
    monkeypatch.setenv("PORTALS_DATA_DIR", str(tmp_path / "data"))
    yield Config.from_env()
    Store(store_uri, db_name).client.drop_database(db_name)


@pytest.fixture
def store(config) -> Store:
    store = Store.open(config)
    yield store
    store.close()


@contextmanager
def serving(app) -> Iterator[str]:
    """An ASGI app served by uvicorn on a free loopback port in a background thread; yields its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
