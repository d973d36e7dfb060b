"""Admin routes of the API: off without a token, refused with a wrong one, and working with the right one."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from crawler.api import create_app
from crawler.registry import load_registry
from crawler.replica import Fleet
from tests.crawling import FAST, write_registry

TOKEN = "s3cret-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def fleet():
    with Fleet(seed=11, portals=["camtu", "muonglat"], articles_per_portal=6) as fleet:
        yield fleet


@pytest.fixture
def registry(fleet, config):
    return write_registry(config.registry, [e for e in fleet.registry_entries() if e["id"] == "camtu"])


@pytest.fixture
def config(config, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTALS_REGISTRY", str(tmp_path / "portals.yaml"))
    monkeypatch.setenv("PORTALS_SCRAPY_SETTINGS", " ".join(FAST[1::2]))
    from crawler.config import Config

    return Config.from_env()


def test_admin_routes_are_off_without_a_token_and_refuse_a_wrong_one(config, store, registry):
    before = registry.read_bytes()
    off = TestClient(create_app(config, store, admin_token=""))
    answer = off.post("/admin/portals/camtu/disable", headers=AUTH)
    assert answer.status_code == 403 and "PORTALS_ADMIN_TOKEN" in answer.json()["detail"]
    on = TestClient(create_app(config, store, admin_token=TOKEN))
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        answer = on.post("/admin/crawl", json={"all": True}, headers=headers)
        assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer", headers
    assert on.get("/admin/crawl").status_code == 405  # no reading through admin routes either
    assert registry.read_bytes() == before and store.list_runs() == []


def test_disable_enable_and_add_with_the_token(config, store, registry, fleet):
    client = TestClient(create_app(config, store, admin_token=TOKEN))
    assert client.post("/admin/portals/camtu/disable", headers=AUTH).json() == {"id": "camtu", "enabled": False}
    assert load_registry(registry).get("camtu").enabled is False
    assert client.post("/admin/portals/camtu/enable", headers=AUTH).json() == {"id": "camtu", "enabled": True}
    assert load_registry(registry).get("camtu").enabled is True
    assert client.post("/admin/portals/nope/disable", headers=AUTH).status_code == 404

    added = client.post("/admin/portals", json={"url": fleet.base_url("muonglat")}, headers=AUTH)
    assert added.status_code == 201, added.text
    assert (added.json()["id"], added.json()["platform"]) == ("muonglat", "vnpt")
    assert "muonglat" in load_registry(registry).ids
    again = client.post("/admin/portals", json={"url": fleet.base_url("muonglat")}, headers=AUTH)
    assert again.status_code == 422 and "not added" in again.json()["detail"]
    assert client.post("/admin/portals", json={"url": "x://", "$where": "1"}, headers=AUTH).status_code == 422


def test_a_triggered_crawl_runs_in_the_background_and_is_recorded(config, store, registry, fleet):
    client = TestClient(create_app(config, store, admin_token=TOKEN))
    assert client.post("/admin/crawl", json={"portals": ["nope"]}, headers=AUTH).status_code == 400
    assert client.post("/admin/crawl", json={"portals": "camtu"}, headers=AUTH).status_code == 422
    started = client.post("/admin/crawl", json={"portals": ["camtu"]}, headers=AUTH)
    assert started.status_code == 202, started.text
    run_id = started.json()["run_id"]
    assert started.json()["portals"] == ["camtu"]
    deadline = time.monotonic() + 120
    while (run := client.get(f"/runs/{run_id}").json())["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert run["status"] == "finished" and run["trigger"] == "api", run
    assert store.count_articles({"portal": "camtu"}) == len(fleet.articles("camtu"))
    assert client.get("/runs/no-such-run").status_code == 404
    for thread in threading.enumerate():  # it releases its leases after recording the run
        if thread.name == f"crawl-{run_id}":
            thread.join(30)
    lease = store.leases.find_one({"_id": "camtu"})
    assert lease["holder"].endswith(":api") and lease["expires_at"] <= datetime.now(UTC)
