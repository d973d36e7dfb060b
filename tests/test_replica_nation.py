"""The replica nation: every commune/ward under its real host name, through a loopback proxy."""

from __future__ import annotations

import collections
import json
import os
import re
import ssl
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request

import pytest

from crawler.replica.nation import EXPECTED, KINDS, SHARES, Nation, UnitTruth, quotas
from crawler.replica.proxy import ReplicaProxy
from crawler.replica.specials import EmptyPortalSite

CONTEXT = ssl._create_unverified_context()


@pytest.fixture(scope="module")
def nation():
    with Nation(provinces=("Thanh Hóa",), seed=1) as running:
        yield running


@pytest.fixture
def proxied(monkeypatch, nation):
    """The proxy variables of the nation in this process's environment (urllib reads them per call)."""
    for name, value in nation.env().items():
        monkeypatch.setenv(name, value)
    return nation


def fetch(url: str, method: str = "GET") -> tuple[int, bytes]:
    """GET through the replica's proxy; refused outright without it, so no test can reach a real host."""
    proxy = urllib.request.getproxies().get(url.split("://", 1)[0], "")
    assert proxy.startswith("http://127.0.0.1:"), f"{url}: no replica proxy set (use the `proxied` fixture)"
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, context=CONTEXT, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def first(nation: Nation, kind: str, exclude: tuple[str, ...] = ()) -> UnitTruth:
    return next(u for u in nation.truth.values() if u.kind == kind and u.host not in exclude)


def shares(truth: dict[str, UnitTruth]) -> dict[str, float]:
    counts = collections.Counter(unit.kind for unit in truth.values())
    return {kind: counts[kind] / len(truth) for kind in KINDS}


# The plan ------------------------------------------------------------------------------------------

def test_thanh_hoa_shares_and_truth(nation):
    truth = nation.truth
    assert len(truth) == 166
    measured = shares(truth)
    for kind in KINDS:
        assert abs(measured[kind] - SHARES[kind]) <= 0.01, (kind, measured[kind])
        assert measured[kind] > 0, kind  # every kind present in one province
    assert collections.Counter(u.kind for u in truth.values()) == collections.Counter(quotas(166))
    for code, unit in truth.items():
        assert re.fullmatch(r"\d{5}", code) and unit.admin_code == code and unit.province == "Thanh Hóa"
        assert unit.expected == EXPECTED[unit.kind]
        assert (unit.host is None) == (unit.kind == "absent")
        assert unit.platform == {"vnpt": "vnpt", "vnpt-hyphenated": "vnpt", "vnpt-www": "vnpt",
                                 "generic": "generic"}.get(unit.kind)
        if unit.host:
            assert unit.host.endswith(".thanhhoa.gov.vn")
            assert unit.host.startswith("www.") == (unit.kind == "vnpt-www")
            assert ("-" in unit.host) == (unit.kind == "vnpt-hyphenated")
    hosts = [u.host for u in truth.values() if u.host]
    assert len(hosts) == len(set(hosts))
    muonglat, camtu = truth["14845"], truth["15148"]
    assert (camtu.name, camtu.kind, camtu.host, camtu.expected) == ("Xã Cẩm Tú", "vnpt", "camtu.thanhhoa.gov.vn", "registered")
    assert (muonglat.name, muonglat.host) == ("Xã Mường Lát", "muonglat.thanhhoa.gov.vn")
    # The same draw in another nation with this seed; another seed deals the kinds out differently.
    assert Nation(("Thanh Hóa",), seed=1).truth == truth
    assert Nation(("Thanh Hóa",), seed=2).truth != truth


def test_host_names():
    truth = Nation(("Thanh Hóa",), seed=1).truth
    by_name = {u.name: u for u in truth.values()}
    plain = [u for u in truth.values() if u.kind == "vnpt"]
    assert all(re.fullmatch(r"[a-z0-9]+\.thanhhoa\.gov\.vn", u.host) for u in plain)
    hyphenated = [u.host for u in truth.values() if u.kind == "vnpt-hyphenated"]
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+\.thanhhoa\.gov\.vn", host) for host in hyphenated)
    # Đ is d; the fleet's district host nongcong is reserved, so Xã Nông Cống puts its division first.
    dong = [u for u in plain if u.name.startswith(("Xã Đ", "Phường Đ"))]
    assert all(host.isascii() for host in hyphenated + [u.host for u in plain])
    assert dong and any(u.host.startswith("d") and "d" in u.host for u in dong)
    if by_name["Xã Nông Cống"].host:
        assert not by_name["Xã Nông Cống"].host.startswith("nongcong.")


def test_all_provinces_shares_and_lazy_start():
    nation = Nation(provinces=None, seed=1)
    started = time.monotonic()
    with nation:
        assert nation.sites_built == 0
        truth = nation.truth
        assert time.monotonic() - started < 5
        assert len(truth) == 3321
        assert len({u.province for u in truth.values()}) == 34
        measured = shares(truth)
        for kind in KINDS:
            assert abs(measured[kind] - SHARES[kind]) <= 0.005, (kind, measured[kind])
        assert nation.sites_built == 0          # planning builds no site
        hanoi = next(u for u in truth.values() if u.province == "Hà Nội" and u.kind == "vnpt")
        assert hanoi.host.endswith(".hanoi.gov.vn")
        site = nation.site(hanoi.host)
        assert nation.sites_built == 1 and site.base_url == f"https://{hanoi.host}"
        assert "thành phố Hà Nội" in site.commune.footer[1]


def test_unknown_province():
    with pytest.raises(ValueError):
        Nation(provinces=("Atlantis",))


# Through the proxy --------------------------------------------------------------------------------

def test_absent_host_is_unknown_and_recorded(proxied):
    absent = "notaportal.thanhhoa.gov.vn"
    assert absent not in proxied.served_hosts()
    proxied.proxy.clear_requests()
    with pytest.raises(urllib.error.URLError, match="502 Unknown Host"):
        fetch(f"https://{absent}/")
    status, body = fetch(f"http://{absent}/tin-tuc")  # plain HTTP, absolute form
    assert (status, body) == (502, b"")
    assert proxied.proxy.requests(absent) == ["CONNECT", "/tin-tuc"]
    assert absent in proxied.proxy.hosts_contacted()


def test_vnpt_unit_home_over_https(proxied):
    unit = first(proxied, "vnpt", exclude=("muonglat.thanhhoa.gov.vn", "camtu.thanhhoa.gov.vn"))
    status, body = fetch(f"https://{unit.host}/")
    page = body.decode("utf-8")
    assert status == 200
    assert f"CƠ QUAN CHỦ QUẢN: UBND {unit.name}" in page and "tỉnh Thanh Hóa" in page
    articles = proxied.articles(unit.host)
    assert len(articles) == 4
    assert all(a.url.startswith(f"https://{unit.host}/") for a in articles)
    assert articles[0].path in page
    status, body = fetch(articles[0].url)
    assert status == 200 and articles[0].title in body.decode("utf-8")
    image = articles[0].images[0][0]
    assert image.startswith("https://storage-vnportal.vnpt.vn/")
    status, data = fetch(image)
    assert status == 200 and data[:2] == b"\xff\xd8"


def test_validators_and_head_through_the_tunnel(proxied):
    host = first(proxied, "vnpt").host
    request = urllib.request.Request(f"https://{host}/", method="HEAD")
    with urllib.request.urlopen(request, context=CONTEXT, timeout=10) as response:
        etag = response.headers["ETag"]
        assert response.status == 200 and etag and response.read() == b""
    request = urllib.request.Request(f"https://{host}/", headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, context=CONTEXT, timeout=10)
    assert caught.value.code == 304
    assert (("/", 304) in proxied.proxy.responses(host))


def test_fleet_portals_under_real_hosts(proxied):
    entries = proxied.registry_entries()
    assert [e["base_url"] for e in entries] == [
        "https://muonglat.thanhhoa.gov.vn", "https://camtu.thanhhoa.gov.vn", "https://quanhoa.thanhhoa.gov.vn",
        "https://nongcong.thanhhoa.gov.vn", "https://baolaocai.vn", "https://baothanhhoa.vn"]
    assert [e["id"] for e in entries] == ["muonglat", "camtu", "quanhoa", "nongcong", "baolaocai", "baothanhhoa"]
    camtu = proxied.articles("camtu.thanhhoa.gov.vn")
    assert len(camtu) == 45 and all(a.url.startswith("https://camtu.thanhhoa.gov.vn/") for a in camtu)
    status, body = fetch("https://baolaocai.vn/")
    assert status == 200
    fresh = proxied.publish("camtu.thanhhoa.gov.vn")[0]
    assert fetch(fresh.url)[0] == 200 and proxied.articles("camtu.thanhhoa.gov.vn")[0] == fresh


def test_www_only_unit(proxied):
    unit = first(proxied, "vnpt-www")
    assert unit.host.startswith("www.")
    status, body = fetch(f"https://{unit.host}/")
    assert status == 200 and f"UBND {unit.name}" in body.decode("utf-8")
    with pytest.raises(urllib.error.URLError, match="502 Unknown Host"):
        fetch(f"https://{unit.host.removeprefix('www.')}/")
    assert all(a.url.startswith(f"https://{unit.host}/") for a in proxied.articles(unit.host))


def test_hyphenated_unit(proxied):
    unit = first(proxied, "vnpt-hyphenated")
    status, body = fetch(f"https://{unit.host}/")
    assert status == 200 and f"UBND {unit.name}" in body.decode("utf-8")


def test_generic_unit_has_no_vnpt_layout(proxied):
    unit = first(proxied, "generic")
    status, body = fetch(f"https://{unit.host}/")
    page = body.decode("utf-8")
    assert status == 200 and unit.name in page
    assert 'class="news-item"' not in page and 'class="content-detail"' not in page
    articles = proxied.articles(unit.host)
    assert articles and articles[0].path in page and "variant" in articles[0].traits


def test_empty_and_no_dates_units(proxied):
    empty = first(proxied, "empty")
    status, body = fetch(f"https://{empty.host}/")
    page = body.decode("utf-8")
    assert status == 200 and "Chưa có tin bài" in page and f"UBND {empty.name}" in page
    assert proxied.articles(empty.host) == []
    nodates = first(proxied, "no-dates")
    status, body = fetch(f"https://{nodates.host}/")
    links = re.findall(r'href="(/tin-tuc/[^"]+)"', body.decode("utf-8"))
    assert status == 200 and links
    status, body = fetch(f"https://{nodates.host}{links[0]}")
    text = re.sub(r"<[^>]+>", " ", body.decode("utf-8"))
    assert status == 200 and not re.search(r"\d{1,2}/\d{1,2}/\d{4}", text) and "datetime" not in body.decode()
    assert proxied.articles(nodates.host) == []


def test_down_and_error_units(proxied):
    down = first(proxied, "down")
    with pytest.raises(urllib.error.URLError, match="502 Connection refused"):
        fetch(f"https://{down.host}/")
    assert proxied.proxy.requests(down.host)[-1] == "CONNECT"
    error = first(proxied, "error")
    status, body = fetch(f"https://{error.host}/")
    assert status in (500, 503) and b"<h1>" in body
    assert fetch(f"https://{error.host}/robots.txt")[0] == status


def test_request_log(proxied):
    proxy = proxied.proxy
    host = first(proxied, "vnpt").host
    proxy.clear_requests()
    assert proxy.hosts_contacted() == set()
    fetch(f"https://{host}/")
    fetch(f"https://{host}/tin-tuc-su-kien?page=2")
    fetch(f"http://{host}/lien-he")
    assert proxy.requests(host) == ["/", "/tin-tuc-su-kien?page=2", "/lien-he"]
    assert proxy.hosts_contacted() == {host}
    proxy.clear_requests()
    assert proxy.requests(host) == [] and proxy.hosts_contacted() == set()


# The proxy on its own -----------------------------------------------------------------------------

def test_proxy_env_and_fast_stop(monkeypatch):
    site = EmptyPortalSite()
    site.bind("https://example.thanhhoa.gov.vn", "https://storage-vnportal.vnpt.vn")
    proxy = ReplicaProxy()
    proxy.add_site("example.thanhhoa.gov.vn", site)
    proxy.start()
    try:
        env = proxy.env()
        assert env["https_proxy"] == env["HTTP_PROXY"] == proxy.url
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", proxy.url)
        assert env["no_proxy"] == env["NO_PROXY"] == "localhost,127.0.0.1,::1"
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        # A keep-alive connection left open must not hold stop() up.
        import http.client
        connection = http.client.HTTPConnection("127.0.0.1", int(proxy.url.rsplit(":", 1)[1]), timeout=5)
        connection.request("GET", "http://example.thanhhoa.gov.vn/")
        response = connection.getresponse()
        assert response.status == 200 and b"Ch\xc6\xb0a c\xc3\xb3 tin b\xc3\xa0i" in response.read()
    finally:
        started = time.monotonic()
        proxy.stop()
        assert time.monotonic() - started < 2
    connection.close()


SPIDER = textwrap.dedent("""
    import sys
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class Probe(scrapy.Spider):
        name = "probe"
        start_urls = [sys.argv[1]]

        def parse(self, response):
            yield {"url": response.url, "status": response.status}
            link = response.css('a[href*="tin-tuc-su-kien/"]::attr(href)').get()
            if link:
                yield response.follow(link, self.parse_article)

        def parse_article(self, response):
            yield {"url": response.url, "status": response.status, "title": response.css("h1::text").get()}

    process = CrawlerProcess(settings={"ROBOTSTXT_OBEY": False, "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
                                       "FEEDS": {sys.argv[2]: {"format": "json"}}})
    process.crawl(Probe)
    process.start()
""")


def test_scrapy_through_the_proxy(nation, tmp_path):
    script, out = tmp_path / "probe.py", tmp_path / "items.json"
    script.write_text(SPIDER, encoding="utf-8")
    host = "camtu.thanhhoa.gov.vn"
    env = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()} | nation.env()
    nation.proxy.clear_requests()
    result = subprocess.run([sys.executable, str(script), f"https://{host}/", str(out)], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    items = json.loads(out.read_text(encoding="utf-8"))
    urls = {item["url"] for item in items}
    assert f"https://{host}/" in urls
    article_urls = {a.url for a in nation.articles(host)}
    stored = [item for item in items if item["url"] in article_urls]
    assert stored and stored[0]["status"] == 200 and stored[0]["title"]
    assert nation.proxy.requests(host)[0] == "/"
    assert nation.proxy.hosts_contacted() == {host}


def test_tunnel_keep_alive_and_fast_stop():
    import http.client
    nation = Nation(("Thanh Hóa",), seed=1).start()
    try:
        port = int(nation.proxy.url.rsplit(":", 1)[1])
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=CONTEXT, timeout=5)
        connection.set_tunnel("camtu.thanhhoa.gov.vn", 443)
        for path in ("/", "/lien-he", "/robots.txt"):  # one tunnel, three requests
            connection.request("GET", path)
            response = connection.getresponse()
            assert response.status == 200 and response.read()
        assert nation.proxy.requests("camtu.thanhhoa.gov.vn") == ["/", "/lien-he", "/robots.txt"]
        assert nation.sites_built == 1
    finally:
        started = time.monotonic()
        nation.stop()
        assert time.monotonic() - started < 2
    connection.close()
