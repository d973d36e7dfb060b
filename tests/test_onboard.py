"""Onboarding without code: `portals add`, `check`, `enable`/`disable`/`remove` against replica sites."""

from __future__ import annotations

import re
import shutil

import pytest

from crawler.onboard import _owner, _province, derive_id, learn_article_pattern
from crawler.registry import load_registry
from crawler.replica import Fleet
from tests.conftest import ROOT
from tests.crawling import portals_command, write_registry

HEADLINE = "Hội nghị triển khai kế hoạch chuyển đổi số năm 2025 số {}"


def links(template: str, n: int = 8, text: str = HEADLINE) -> list[tuple[str, str]]:
    return [(template.format(i), text.format(i)) for i in range(1, n + 1)]


@pytest.mark.parametrize("article_links, matches, misses", [
    ([(f"http://x.vn/2025/08/{day:02d}/{slug}/", HEADLINE.format(day)) for day, slug in
      enumerate(["hoi-nghi", "ra-quan", "tap-huan", "khanh-thanh", "tong-ket", "so-ket"], start=1)],
     "/2026/01/15/tin-khac/", "/gioi-thieu/lich-su/"),
    (links("http://x.vn/Default.aspx?tabid=55&ItemID={}"), "/Default.aspx?tabid=55&ItemID=999", "/Default.aspx?tabid=55"),
    (links("http://x.vn/index.php/tin-tuc/{}-hoi-nghi-so-{}.html".replace("{}-hoi-nghi-so-{}", "{0}-hoi-nghi")),
     "/index.php/tin-tuc/77-ra-quan.html", "/index.php/tin-tuc"),
    (links("http://x.vn/tin-tuc/hoi-nghi-so-{}-12{}".replace("so-{}-12{}", "so-{0}-12{0}")),
     "/tin-tuc/bai-moi-123456", "/tin-tuc/page/2"),
])
def test_article_pattern_is_learned_from_list_links(article_links, matches, misses):
    chrome = [("http://x.vn/gioi-thieu/lich-su/", "Giới thiệu"), ("http://x.vn/tin-tuc/page/2", "2"),
              ("http://x.vn/lien-he", "Liên hệ"), ("http://x.vn/Default.aspx?tabid=55", "Tin tức")]
    pattern = learn_article_pattern(article_links + chrome)
    assert pattern and re.search(pattern, matches) and not re.search(pattern, misses), pattern


def test_no_pattern_without_headline_links():
    assert learn_article_pattern([("http://x.vn/a", "Trang chủ"), ("http://x.vn/b", "Liên hệ")]) is None


@pytest.mark.parametrize("html, name, level", [
    ("<footer><p>CƠ QUAN CHỦ QUẢN: UBND Xã Mường Lát</p><p>Địa chỉ: Khu 2</p></footer>", "Xã Mường Lát", "commune"),
    ("<div>CƠ QUAN CHỦ QUẢN: UBND XÃ CẨM TÚ</div><div>Email:.....</div>", "Xã Cẩm Tú", "commune"),
    ("<title>Cổng thông tin điện tử phường Hạc Thành</title>", "Phường Hạc Thành", "ward"),
    ("<p>Cổng thông tin điện tử tỉnh Thanh Hóa - Huyện Quan Hóa</p><p>© UBND huyện Quan Hóa</p>", "Huyện Quan Hóa", "district"),
])
def test_owner_is_read_from_footer_or_banner(html, name, level):
    assert _owner(html) == (name, level)


def test_province_from_host_then_page():
    assert _province("anhson.nghean.gov.vn", "") == "Nghệ An"
    assert _province("127.0.0.9", "<p>Địa chỉ: Xã Cẩm Tú, tỉnh Thanh Hóa</p><p>Email: x</p>") == "Thanh Hóa"
    assert _province("127.0.0.9", "<p>Chào mừng</p>") is None


def test_ids_come_from_the_host_then_the_name():
    assert derive_id("muonglat.thanhhoa.gov.vn", "Xã Mường Lát", "Thanh Hóa", set()) == "muonglat"
    assert derive_id("muonglat.thanhhoa.gov.vn", "Xã Mường Lát", "Thanh Hóa", {"muonglat"}) == "muonglat-thanhhoa"
    assert derive_id("127.0.0.9", "Xã Đông Sơn", "Thanh Hóa", set()) == "dongson"


@pytest.fixture(scope="module")
def fleet():
    with Fleet(seed=5, articles_per_portal=15) as fleet:
        yield fleet


def test_add_recognises_each_known_platform_and_writes_a_working_entry(fleet, tmp_path):
    registry = tmp_path / "portals.yaml"
    expected = {"muonglat": ("vnpt", "Xã Mường Lát", "commune", "Thanh Hóa"),
                "quanhoa": ("sharepoint", "Huyện Quan Hóa", "district", "Thanh Hóa"),
                "baolaocai": ("newspaper-baolaocai", "Báo Lào Cai", "newspaper", "Lào Cai"),
                "baothanhhoa": ("newspaper-baothanhhoa", "Báo Thanh Hóa", "newspaper", "Thanh Hóa")}
    for portal_id in expected:
        result = portals_command("--registry", str(registry), "add", fleet.base_url(portal_id), "--delay", "0")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "PASS" in result.stdout
    portals = {p.name: p for p in load_registry(registry).portals}
    for portal_id, (platform, name, level, province) in expected.items():
        portal = portals[name]
        assert (portal.platform, portal.level, portal.province, portal.base_url) == (platform, level, province, fleet.base_url(portal_id))
        assert portal.id == {"Xã Mường Lát": "muonglat", "Huyện Quan Hóa": "quanhoa"}.get(name, portal.id)
    assert portals["Báo Thanh Hóa"].render == "browser"  # its samples showed JavaScript-revealed text
    # The commune is matched to the official list by name and province; a district or newspaper is no unit.
    assert (portals["Xã Mường Lát"].admin_code, portals["Xã Mường Lát"].admin_type) == ("14845", "xã")
    assert portals["Huyện Quan Hóa"].admin_code is None and portals["Báo Lào Cai"].admin_code is None


def test_refusals_leave_the_registry_byte_for_byte_unchanged(fleet, tmp_path):
    registry = write_registry(tmp_path / "portals.yaml", [e for e in fleet.registry_entries() if e["id"] == "camtu"])
    registry.write_text("# hand-written comment\n" + registry.read_text())
    before = registry.read_bytes()
    cases = [
        ([fleet.base_url("camtu")], "already registered as 'camtu'"),
        ([fleet.base_url("camtu") + "/"], "already registered as 'camtu'"),
        (["http://127.0.0.1:9"], "unreachable"),
        ([fleet.base_url("muonglat"), "--id", "camtu"], "already exists"),
        ([fleet.base_url("muonglat"), "--dry-run"], None),
    ]
    for args, reason in cases:
        result = portals_command("--registry", str(registry), "add", *args, "--delay", "0")
        if reason:
            assert result.returncode != 0 and "Traceback" not in result.stderr
            assert len(result.stderr.strip().splitlines()) == 1 and reason in result.stderr, result.stderr
        else:
            assert result.returncode == 0 and "dry run" in result.stdout
        assert registry.read_bytes() == before, args


def test_check_enable_disable_remove(fleet, tmp_path):
    registry = tmp_path / "portals.yaml"
    shutil.copy(ROOT / "portals.yaml", registry)
    original = registry.read_bytes()
    for command, expect in (("disable", False), ("enable", True)):
        assert portals_command("--registry", str(registry), command, "camtu").returncode == 0
        assert load_registry(registry).get("camtu").enabled is expect
    assert registry.read_bytes() == original  # comments and layout survive the round trip
    assert portals_command("--registry", str(registry), "remove", "camtu").returncode == 0
    assert "camtu" not in load_registry(registry).ids
    assert "# Older district sites" in registry.read_text()  # other entries' comments stay
    bad = portals_command("--registry", str(registry), "remove", "camtu")
    assert bad.returncode != 0 and "no portal with id 'camtu'" in bad.stderr

    replica = write_registry(tmp_path / "replica.yaml", fleet.registry_entries())
    checked = portals_command("--registry", str(replica), "check", "nongcong", "--delay", "0")
    assert checked.returncode == 0 and "5/5 complete" in checked.stdout, checked.stdout + checked.stderr
