"""`portals discover` on the replica nation: every official unit of Thanh Hóa under its real host name.

The replica's truth says which units have which site; discovery must register
the ones that have a usable site (at least 99%), none of the others, and list
every other unit with the reason the truth implies. A second run, and a run
after Ctrl-C or a crash, probes nothing that was settled.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from crawler.discover import candidate_hosts
from crawler.registry import load_registry
from crawler.replica.nation import Nation
from crawler.store import Store
from crawler.units import units
from tests.conftest import ROOT
from tests.crawling import crawl_json, portals_command, write_registry

PROVINCE = "Thanh Hóa"


@pytest.fixture(scope="module")
def nation():
    with Nation(provinces=(PROVINCE,), seed=3, articles_per_site=3, articles_per_portal=12) as nation:
        yield nation


def known_portals(nation) -> list[dict]:
    """The nation's six known portals as portals.yaml has them: the two communes with their official codes."""
    codes = {"muonglat": "14845", "camtu": "15148"}
    return [entry | ({"admin_code": codes[entry["id"]], "admin_type": "xã"} if entry["id"] in codes else {})
            for entry in nation.registry_entries()]


def discover(registry, nation, *args, timeout=600) -> subprocess.CompletedProcess:
    return portals_command("--registry", str(registry), "discover", "--province", PROVINCE, "--delay", "0", *args,
                           env=nation.env(), timeout=timeout)


def settled_codes(registry, config) -> set[str]:
    store = Store.open(config)
    try:
        settled = {doc["_id"] for doc in store.discoveries()}
    finally:
        store.close()
    return settled | {p.admin_code for p in load_registry(registry).portals if p.admin_code}


def test_discovery_registers_the_units_that_have_a_site_and_says_why_for_the_others(nation, config, tmp_path):
    registry = write_registry(tmp_path / "portals.yaml", known_portals(nation))
    registry.write_text("# hand-written comment kept\n" + registry.read_text())
    report_path = tmp_path / "report.json"
    first = discover(registry, nation, "--report", str(report_path))
    assert first.returncode == 0, first.stderr[-3000:]
    truth = {code: t for code, t in nation.truth.items() if t.province == PROVINCE}
    assert len(truth) == len(units(PROVINCE)) == 166
    with_site = {code for code, t in truth.items() if t.expected == "registered"}
    assert 0.8 * len(truth) < len(with_site) < len(truth)  # the replica has units without a usable site

    portals = load_registry(registry).portals
    assert registry.read_text().startswith("# hand-written comment kept\n")
    registered = {p.admin_code: p for p in portals if p.admin_code}
    assert len(set(registered) & with_site) >= 0.99 * len(with_site)
    assert set(registered) <= with_site, "registered a unit that has no usable site"
    for code, portal in registered.items():
        assert portal.base_url == f"https://{truth[code].host}", code  # the real host, hyphenated and www. ones too
        assert (portal.name, portal.province) == (truth[code].name, PROVINCE)
    kinds = {truth[code].kind for code in registered}
    assert {"vnpt", "vnpt-hyphenated", "vnpt-www", "generic"} <= kinds
    assert len({p.id for p in portals}) == len(portals)

    report = json.loads(report_path.read_text())
    listed = {unit["admin_code"]: unit for unit in report["units"]}
    assert set(listed) == set(truth) - {"14845", "15148"}  # every unit but the two registered before
    for code, unit in listed.items():
        if code in registered:
            assert unit["outcome"] == "registered" and unit["host"] == truth[code].host
        elif truth[code].expected != "registered":  # (the <= 1% of sites missed may say anything)
            assert unit["outcome"] == truth[code].expected and unit["detail"], (unit, truth[code])
    assert {listed[c]["outcome"] for c in listed} >= {"no such host", "no news found", "sample check failed", "site down"}
    assert report["requests_per_unit"] > 0 and report["skipped_settled"] == 2

    # A second run probes nothing that was settled: no host of the nation is contacted at all.
    nation.proxy.clear_requests()
    second = discover(registry, nation)
    assert second.returncode == 0, second.stderr[-2000:]
    assert "probing 0" in second.stderr and nation.proxy.hosts_contacted() == set()
    assert load_registry(registry).portals == portals

    # The discovered portals crawl under their real host names; their articles carry the unit's code.
    crawled = [registered[code] for code in sorted(registered) if truth[code].kind in ("vnpt-hyphenated", "generic")][:2]
    result = crawl_json(registry, *(p.id for p in crawled), env=nation.env())
    store = Store.open(config)
    try:
        for portal in crawled:
            docs = list(store.articles.find({"portal": portal.id}))
            expected = {a.url for a in nation.articles(truth[portal.admin_code].host)}
            assert {d["url"] for d in docs} == expected and expected, result
            assert all(d["url"].startswith(f"https://{truth[portal.admin_code].host}/") for d in docs)
            assert {d["admin_code"] for d in docs} == {portal.admin_code}
    finally:
        store.close()


def test_dry_run_writes_nothing_and_bad_input_is_one_line(nation, config, tmp_path):
    registry = write_registry(tmp_path / "portals.yaml", known_portals(nation))
    before = registry.read_bytes()
    dry = discover(registry, nation, "--dry-run", "--budget", "3")
    assert dry.returncode == 0, dry.stderr[-2000:]
    assert registry.read_bytes() == before and settled_codes(registry, config) == {"14845", "15148"}
    unknown = discover(registry, nation, "--province", "Atlantis")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1 and "unknown province" in unknown.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("portals: [\n")
    bad = portals_command("--registry", str(broken), "discover", "--province", PROVINCE, env=nation.env())
    assert bad.returncode != 0 and bad.stderr.count("\n") == 1 and "invalid YAML" in bad.stderr
    stopped = portals_command("--registry", str(registry), "--mongo-uri", "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=500",
                              "discover", "--province", PROVINCE, env=nation.env())
    assert stopped.returncode != 0 and stopped.stderr.count("\n") == 1 and "cannot reach" in stopped.stderr


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_discovery_loses_nothing_it_had_settled(nation, config, tmp_path, stop):
    registry = write_registry(tmp_path / "portals.yaml", known_portals(nation))
    process = subprocess.Popen([sys.executable, "-m", "crawler", "--registry", str(registry), "discover",
                                "--province", PROVINCE, "--delay", "0", "--jobs", "4"], cwd=ROOT,
                               env={**os.environ, **nation.env()}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(settled_codes(registry, config)) < 60 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.5)
    process.send_signal(stop)
    process.communicate(timeout=60)
    assert process.returncode == (130 if stop == signal.SIGINT else -signal.SIGKILL)
    settled = settled_codes(registry, config)
    assert 60 <= len(settled) < 166, "the run was not stopped midway"

    # The next run probes only what was left open, and none of the settled units' hosts.
    nation.proxy.clear_requests()
    rest = discover(registry, nation)
    assert rest.returncode == 0, rest.stderr[-2000:]
    assert f"{len(settled)} already registered or settled; probing {166 - len(settled)}" in rest.stderr
    still_open = [u for u in units(PROVINCE) if u.admin_code not in settled]
    open_hosts = {host for unit in still_open for host in candidate_hosts(unit)}
    contacted = nation.proxy.hosts_contacted()
    assert contacted and contacted <= open_hosts  # (a settled unit's host is asked only as an open namesake's candidate)
    portals = load_registry(registry).portals
    codes = [p.admin_code for p in portals if p.admin_code]
    assert len(codes) == len(set(codes)), "a unit was registered twice"
    assert settled_codes(registry, config) == {u.admin_code for u in units(PROVINCE)}
