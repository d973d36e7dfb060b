"""Helpers for tests that run real crawls as a user would: registry files and the `portals` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
# Fast but still polite settings for crawling the loopback replica.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def write_registry(path: Path, entries: list[dict]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        YAML().dump({"portals": entries}, handle)
    return path


def portals_command(*args: str, env: dict | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def crawl_json(registry: Path, *ids: str, extra: tuple[str, ...] = (), env: dict | None = None) -> dict:
    """`portals crawl --json`: stdout must be exactly one JSON object."""
    result = portals_command("--registry", str(registry), "crawl", *ids, "--json", *FAST, *extra, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def article_text(truth) -> str:
    """What a replica article's stored `body` must be: the lead (sapo) the page shows, then the body, NFC."""
    import unicodedata

    parts = [truth.summary, truth.body_text] if truth.summary else [truth.body_text]
    return unicodedata.normalize("NFC", "\n\n".join(parts))
