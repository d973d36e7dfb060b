"""Canonical URLs: every spelling of one article gives one key."""

import pytest

from crawler.urls import canonicalize_url, same_site, url_hash

BASE = "https://camtu.thanhhoa.gov.vn/tin-tuc-su-kien/hoi-nghi-truc-tuyen-1105750"


@pytest.mark.parametrize("variant", [
    "HTTPS://CamTu.ThanhHoa.gov.vn/tin-tuc-su-kien/hoi-nghi-truc-tuyen-1105750",
    "https://camtu.thanhhoa.gov.vn:443/tin-tuc-su-kien/hoi-nghi-truc-tuyen-1105750",
    "https://camtu.thanhhoa.gov.vn/tin-tuc-su-kien/hoi-nghi-truc-tuyen-1105750/",
    "https://camtu.thanhhoa.gov.vn/tin-tuc-su-kien/hoi-nghi-truc-tuyen-1105750#binh-luan",
    "https://camtu.thanhhoa.gov.vn/tin-tuc-su-kien/hoi-nghi-truc-tuyen-1105750?utm_source=facebook&utm_medium=social",
    "https://camtu.thanhhoa.gov.vn/tin-tuc-su-kien/hoi-nghi-truc-tuyen-1105750?fbclid=IwAR0abc",
    "https://camtu.thanhhoa.gov.vn/tin-tuc-su-kien/hoi-nghi-truc-tuyen-1105750;jsessionid=A1B2C3",
    " https://camtu.thanhhoa.gov.vn/tin-tuc-su-kien/hoi-nghi-truc-tuyen-1105750?PHPSESSID=xyz ",
])
def test_spellings_of_one_article_share_a_hash(variant):
    assert canonicalize_url(variant) == BASE
    assert url_hash(variant) == url_hash(BASE)


def test_query_order_does_not_matter_but_content_parameters_do():
    a = canonicalize_url("https://x.gov.vn/portal/Pages/list.aspx?PageIndex=2&cat=5")
    b = canonicalize_url("https://x.gov.vn/portal/Pages/list.aspx?cat=5&PageIndex=2")
    assert a == b == "https://x.gov.vn/portal/Pages/list.aspx?PageIndex=2&cat=5"
    assert url_hash(a) != url_hash("https://x.gov.vn/portal/Pages/list.aspx?PageIndex=3&cat=5")


def test_non_default_port_and_path_case_are_kept():
    assert canonicalize_url("http://127.0.0.1:8080/Portal/Pages/A.aspx") == "http://127.0.0.1:8080/Portal/Pages/A.aspx"


def test_hash_is_sha256_hex():
    assert len(url_hash(BASE)) == 64 and int(url_hash(BASE), 16) >= 0


def test_same_site():
    assert same_site("https://www.baolaocai.vn/a-post1.html", "baolaocai.vn")
    assert same_site("https://baolaocai.vn/a-post1.html", "www.baolaocai.vn")
    assert not same_site("https://cdn.evil.vn/baolaocai.vn", "baolaocai.vn")
