"""The `portals` command as a user meets it: bad input gives one clear line and a non-zero exit."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def portals(*args, env=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def assert_one_line_error(result, fragment):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("portals: error:") and fragment in lines[0], result.stderr


def test_list_json_is_the_registry():
    result = portals("list", "--json")
    assert result.returncode == 0
    ids = [p["id"] for p in json.loads(result.stdout)]
    assert {"muonglat", "camtu", "quanhoa", "nongcong", "baolaocai", "baothanhhoa"} <= set(ids)


@pytest.mark.parametrize("args, fragment", [
    (["--registry", "/nonexistent/portals.yaml", "list"], "registry file not found"),
    (["crawl", "atlantis"], "unknown portal id(s): atlantis"),
    (["crawl"], "name the portals to crawl, or --all"),
    (["crawl", "camtu", "--all"], "not both"),
    (["query", "--since", "yesterday"], "not an ISO 8601 date"),
    (["query", "--limit", "0"], "--limit must be at least 1"),
    (["extract", "/nonexistent.html"], "No such file"),
    (["extract", "--platform", "joomla", "portals.yaml"], "unknown platform"),
])
def test_bad_input_is_one_line(args, fragment):
    assert_one_line_error(portals(*args, env={"MONGO_URI": "mongodb://127.0.0.1:9/?directConnection=true"}), fragment)


def test_unreachable_store_is_one_line():
    result = portals("query", env={"MONGO_URI": "mongodb://127.0.0.1:9/?directConnection=true&serverSelectionTimeoutMS=500"})
    assert_one_line_error(result, "cannot reach MongoDB at mongodb://127.0.0.1:9")


def test_invalid_registry_entry_is_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("portals:\n  - {id: x, name: X, province: P, level: village, platform: vnpt, base_url: 'https://x.vn'}\n")
    assert_one_line_error(portals("--registry", str(bad), "list"), "portals[0] (id 'x') field 'level'")


def test_store_lifecycle(tmp_path):
    env = {"PORTALS_DATA_DIR": str(tmp_path / "data"), "MONGO_URI": ""}
    assert portals("store", "status", env=env).returncode == 3
    started = portals("store", "start", env=env)
    assert started.returncode == 0 and "running" in started.stdout
    try:
        again = portals("store", "start", env=env)  # idempotent: the same server
        assert again.stdout.split("(pid")[1].split(")")[0] == started.stdout.split("(pid")[1].split(")")[0]
        assert portals("store", "status", env=env).returncode == 0
        assert (tmp_path / "data" / "mongoeco.sqlite").exists()
    finally:
        assert "stopped" in portals("store", "stop", env=env).stdout
    assert portals("store", "status", env=env).returncode == 3


@pytest.mark.parametrize("args", [["query", "--format", "xml"], ["bogus"], []])
def test_argument_errors_are_one_line(args):
    result = portals(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "error:" in result.stderr


def test_query_atom_format_is_a_feed(store):
    from xml.etree import ElementTree

    from tests.test_api import article

    store.upsert_articles([article(1), article(2)])
    result = portals("query", "--format", "atom")
    assert result.returncode == 0, result.stderr
    entries = ElementTree.fromstring(result.stdout.encode()).findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries] == ["Bài số 2", "Bài số 1"]
