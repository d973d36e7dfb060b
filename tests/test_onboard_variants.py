"""Sites nobody wrote selectors for: `portals add URL --yes`, then `portals crawl ID`, stores them right.

The replica's variant communes come in four layout families (WordPress-like, Joomla tables,
Bootstrap cards, old ASP.NET) that share no class names with the known platforms; no fixture
or selector in the product was written against them.
"""

from __future__ import annotations

import csv
import unicodedata

import pytest

from crawler.registry import load_registry
from crawler.replica import Fleet
from crawler.urls import url_hash
from tests.crawling import crawl_json, portals_command
from tests.test_seeds import word_f1

VARIANTS_PER_FAMILY = 1
BULK = 50


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


@pytest.fixture(scope="module")
def fleet():
    with Fleet(seed=13, variants=BULK, articles_per_variant=15) as fleet:
        yield fleet


def test_add_then_crawl_a_site_of_each_unknown_family(fleet, tmp_path, store):
    registry = tmp_path / "portals.yaml"
    families = {}
    for variant in fleet.variant_ids:
        families.setdefault(fleet.variant_info(variant)["family"], variant)
    assert sorted(families) == ["A", "B", "C", "D"]
    added = {}
    for family, variant in sorted(families.items()):
        result = portals_command("--registry", str(registry), "add", fleet.base_url(variant), "--yes", "--delay", "0")
        assert result.returncode == 0, f"family {family}: {result.stdout}{result.stderr}"
        portal = next(p for p in load_registry(registry).portals if p.base_url == fleet.base_url(variant))
        assert portal.platform == "generic" and portal.name == fleet.variant_info(variant)["name"]
        assert portal.province == fleet.variant_info(variant)["province"]
        added[portal.id] = variant

    report = crawl_json(registry, *added)
    for portal_id, variant in added.items():
        truth = fleet.articles(variant)
        assert report["portals"][portal_id]["articles_new"] == len(truth), (variant, report["portals"][portal_id])
        docs = {doc["url_hash"]: doc for doc in store.articles.find({"portal": portal_id})}
        scores = []
        for expected in truth:
            doc = docs[url_hash(expected.url)]
            family = fleet.variant_info(variant)["family"]
            assert doc["title"] == nfc(expected.title), (family, expected.url)
            assert doc["published_at"] == expected.published_at, (family, expected.url)
            source = nfc("\n\n".join(filter(None, [expected.summary, expected.body_text])))
            scores.append(word_f1(doc["body"], source))
        assert min(scores) >= 0.9, (variant, fleet.variant_info(variant)["family"], min(scores))


def test_bulk_onboarding_from_csv(fleet, tmp_path):
    registry = tmp_path / "portals.yaml"
    sheet = tmp_path / "communes.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["url", "id", "name", "province", "level"])
        for variant in fleet.variant_ids:
            writer.writerow([fleet.base_url(variant), "", "", "", ""])
        writer.writerow([fleet.base_url(fleet.variant_ids[0]), "", "", "", ""])  # a duplicate row
        writer.writerow([fleet.base_url("nonportal"), "", "", "", ""])
        writer.writerow(["http://127.0.0.1:9", "dead", "Xã Không Có", "Thanh Hóa", "commune"])
    result = portals_command("--registry", str(registry), "add", "--from-file", str(sheet), "--delay", "0", "--yes", timeout=600)
    assert result.returncode == 1, result.stdout + result.stderr  # three rows failed
    lines = result.stdout.splitlines()
    assert lines[-1].startswith(f"added {BULK}, failed 3 of {BULK + 3}")
    registry_sites = {p.base_url for p in load_registry(registry).portals}
    assert registry_sites == {fleet.base_url(v) for v in fleet.variant_ids}
    assert len({p.id for p in load_registry(registry).portals}) == BULK
    failures = [line for line in lines if " failed " in line and not line.startswith("added")]
    assert any("already registered" in line for line in failures)
    assert any("not a news portal" in line for line in failures)
    assert any("unreachable" in line for line in failures)
