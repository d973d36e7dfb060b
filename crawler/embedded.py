"""Start, stop and find the embedded store process that serves ./data/ when MONGO_URI is unset."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pymongo
from pymongo.errors import PyMongoError

from crawler.embedded_server import DB_FILE, LOCK_FILE, STATE_FILE

LOG_FILE = "store.log"
PORT_FILE = "store.port"  # the port of the last server: a restart takes it again when it can


class EmbeddedStoreError(Exception):
    """The embedded store could not be started or reached."""


@dataclass
class StoreStatus:
    running: bool
    pid: int | None = None
    uri: str | None = None
    data_dir: str = ""


class EmbeddedStore:
    """The background store process for one data directory."""

    def __init__(self, data_dir: str | os.PathLike):
        self.data_dir = Path(data_dir).resolve()

    def _state(self) -> dict | None:
        try:
            return json.loads((self.data_dir / STATE_FILE).read_text())
        except (FileNotFoundError, ValueError):
            return None

    def _lock_held(self) -> bool:
        """True when a server process holds the data directory's lock (pid-reuse safe)."""
        path = self.data_dir / LOCK_FILE
        if not path.exists():
            return False
        with open(path, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False

    @staticmethod
    def _answers(uri: str) -> bool:
        try:
            with pymongo.MongoClient(uri, serverSelectionTimeoutMS=1500, connectTimeoutMS=1500) as client:
                client.admin.command("ping")
            return True
        except PyMongoError:
            return False

    def status(self) -> StoreStatus:
        state = self._state()
        if state and self._lock_held() and self._answers(state["uri"]):
            return StoreStatus(True, state["pid"], state["uri"], str(self.data_dir))
        return StoreStatus(False, data_dir=str(self.data_dir))

    def start(self, port: int = 0, timeout: float = 30.0) -> StoreStatus:
        """Start the server unless one already serves this directory; return its status.

        Without a port it takes the one it had last time when that is free, so the clients of a
        store that was restarted (a crawl riding out the outage) find it again at the same URI.
        """
        current = self.status()
        if current.running:
            return current
        self.data_dir.mkdir(parents=True, exist_ok=True)
        port = port or self._last_port_if_free()
        log = open(self.data_dir / LOG_FILE, "ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler.embedded_server", "--data-dir", str(self.data_dir), "--port", str(port)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True,  # outlives the command that started it, ignores its Ctrl-C
            cwd=Path(__file__).resolve().parent.parent,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status.running:
                return status
            # Exit code 3: another process won the race to start it; keep waiting for that one.
            if process.poll() not in (None, 3):
                raise EmbeddedStoreError(f"embedded store failed to start: {self._log_tail()} (log: {self.data_dir / LOG_FILE})")
            time.sleep(0.1)
        raise EmbeddedStoreError(f"embedded store did not answer within {timeout:.0f}s (log: {self.data_dir / LOG_FILE})")

    def _last_port_if_free(self) -> int:
        try:
            last = int((self.data_dir / PORT_FILE).read_text())
        except (FileNotFoundError, ValueError):
            return 0
        with socket.socket() as probe:
            # As the server binds (asyncio sets SO_REUSEADDR): its old connections in TIME_WAIT do not count.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", last))
            except OSError:
                return 0
        return last

    def stop(self, timeout: float = 20.0) -> bool:
        """Stop the server; False when none was running."""
        state = self._state()
        if not state or not self._lock_held():
            (self.data_dir / STATE_FILE).unlink(missing_ok=True)
            return False
        try:
            os.kill(state["pid"], signal.SIGTERM)
        except ProcessLookupError:
            return False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._lock_held():
            time.sleep(0.1)
        if self._lock_held():
            os.kill(state["pid"], signal.SIGKILL)
        return True

    def _log_tail(self) -> str:
        try:
            lines = (self.data_dir / LOG_FILE).read_text(errors="replace").strip().splitlines()
        except FileNotFoundError:
            return "no log"
        return lines[-1] if lines else "no output"

    @property
    def database_file(self) -> Path:
        return self.data_dir / DB_FILE
