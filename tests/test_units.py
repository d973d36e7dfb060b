"""The official list of units (PyPI vietnam-provinces) and the host names discovery derives from it."""

from __future__ import annotations

import pytest

from crawler.discover import candidate_hosts
from crawler.units import UnknownProvince, match_unit, provinces, resolve_province, unit_by_code, units


def test_the_official_list_after_the_2025_reform():
    assert len(provinces()) == 34 and len(units()) == 3321
    assert len(units("Thanh Hóa")) == 166
    assert {u.admin_type for u in units()} == {"xã", "phường", "đặc khu"}
    assert len({u.admin_code for u in units()}) == 3321  # codes are keys


def test_provinces_are_named_in_any_spelling_and_unknown_ones_refused():
    for spelling in ("Thanh Hóa", "thanh hoa", "Tỉnh Thanh Hóa", "thanhhoa", "THANH HOÁ"):
        assert resolve_province(spelling) == "Thanh Hóa"
    assert resolve_province("Thành phố Hà Nội") == "Hà Nội"
    with pytest.raises(UnknownProvince, match="did you mean 'Thanh Hóa'"):
        resolve_province("Thanh Hao")
    with pytest.raises(UnknownProvince):
        units("Atlantis")


def test_a_portal_is_matched_to_its_unit_by_name_and_province():
    cam_tu = match_unit("Xã Cẩm Tú", "Thanh Hóa")
    assert cam_tu and (cam_tu.admin_code, cam_tu.admin_type, cam_tu.level) == ("15148", "xã", "commune")
    assert match_unit("Cẩm Tú", "thanh hoa") == cam_tu  # the type word may be left out
    assert unit_by_code("15148") == cam_tu and unit_by_code(15148) == cam_tu
    assert match_unit("Xã Cẩm Tú", "Nghệ An") is None  # same name, other province: no unit
    assert match_unit("Huyện Quan Hóa", "Thanh Hóa") is None  # districts were abolished
    ward = next(u for u in units("Thanh Hóa") if u.admin_type == "phường")
    assert ward.level == "ward" and match_unit(ward.name, "Thanh Hóa") == ward


def test_candidate_hosts_follow_the_known_patterns():
    cam_tu = match_unit("Xã Cẩm Tú", "Thanh Hóa")
    hosts = candidate_hosts(cam_tu)
    assert hosts[:4] == ["camtu.thanhhoa.gov.vn", "cam-tu.thanhhoa.gov.vn", "xacamtu.thanhhoa.gov.vn",
                         "www.camtu.thanhhoa.gov.vn"]
    # Merged units: two of the names it was merged from, hyphenated (Cẩm Tú took in Cẩm Quý, Cẩm Lương, ...).
    assert "camquy-camluong.thanhhoa.gov.vn" in hosts and "camtu-camquy.thanhhoa.gov.vn" in hosts
    assert len(hosts) == len(set(hosts)) and len(hosts) <= 30
    dong_son = next(u for u in units() if u.short_name.startswith("Đ"))
    assert all(h.isascii() for h in candidate_hosts(dong_son)) and candidate_hosts(dong_son)[0].startswith("d")
