"""Fault injection in the replica fleet: each fault kind on the wire, determinism, the three-failures rule,
what stays reachable, the crawler trap, layout switches, and no change at all without a fault spec."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import lxml.html
import pytest

from crawler.cli import main as cli_main
from crawler.replica import Fleet
from crawler.replica.faults import HUGE_BYTES, KINDS, FaultSpec

ROOT = Path(__file__).resolve().parent.parent


def get(url: str, timeout: float = 10, method: str = "GET") -> tuple[int, dict, bytes]:
    """One request on a fresh connection, no redirect followed; transport errors are raised."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def outcome(url: str) -> str:
    """What a client sees: "ok", "503"/"500", "hang" (closed without an answer), "reset" or "truncated"."""
    try:
        status = get(url, timeout=3)[0]
    except http.client.RemoteDisconnected:  # (a ConnectionResetError too: test it first)
        return "hang"
    except ConnectionResetError:
        return "reset"
    except http.client.IncompleteRead:
        return "truncated"
    return "ok" if status < 500 else str(status)


def body_text(source: bytes, encoding: str = "utf-8") -> str:
    """The text a reader sees (scripts left out), NFC, whitespace collapsed."""
    doc = lxml.html.fromstring(source.decode(encoding))
    for script in doc.body.findall(".//script"):
        script.drop_tree()
    return " ".join(unicodedata.normalize("NFC", doc.body.text_content()).split())


def target(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- the spec ------------------------------------------------------------------------------------

def test_spec_parses_overrides_and_prints_back():
    spec = FaultSpec.parse(" 5xx=0.1, timeout=0.05,reset=0.05,truncate=0.05 ")
    assert spec.rates == (("5xx", 0.1), ("timeout", 0.05), ("reset", 0.05), ("truncate", 0.05))
    assert str(spec) == "5xx=0.1,timeout=0.05,reset=0.05,truncate=0.05" and FaultSpec.parse(str(spec)) == spec
    every = FaultSpec.parse("huge=0,all=0.2,5xx=1")
    assert every.rate("5xx") == 1 and every.rate("huge") == 0 and every.rate("trap") == 0.2
    assert {kind for kind, _ in every.rates} == set(KINDS) - {"huge"}
    assert not FaultSpec.parse("") and not FaultSpec() and str(FaultSpec()) == "none" and FaultSpec.parse("5xx=0.5")


@pytest.mark.parametrize("text, named", [
    ("5xx=0.1,bogus=0.2", "'bogus'"), ("5xx=1.5", "5xx=1.5"), ("reset=-0.1", "reset=-0.1"), ("slow=nan", "slow=nan"),
    ("slow=abc", "slow=abc"), ("5xx=0.1,5xx=0.2", "'5xx'"), ("all=0.1,all=0.2", "'all'"), ("5xx", "'5xx'"),
    ("5xx=", "'5xx='"), ("=0.1", "'=0.1'"), ("5xx=0.1,,reset=0.1", "''"), ("5xx=0.1;reset=0.1", "0.1;reset=0.1"),
])
def test_bad_specs_are_refused_naming_the_bad_part(text, named):
    with pytest.raises(ValueError) as error:
        FaultSpec.parse(text)
    assert named in str(error.value) and "\n" not in str(error.value)
    with pytest.raises(ValueError):
        Fleet(portals=["muonglat"], articles_per_portal=8, faults=text)


def test_cli_refuses_a_bad_spec_in_one_line(capsys):
    assert cli_main(["replica", "serve", "--faults", "5xx=0.1,bogus=1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("portals: error: --faults: unknown fault kind 'bogus'")


def test_serve_prints_the_fault_spec_after_the_sites():
    process = subprocess.Popen(
        [sys.executable, "-c", "from crawler.replica.server import serve; serve(faults='all=0.1,5xx=0.2')"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines = [process.stdout.readline().strip() for _ in range(7)]
        assert lines[-1] == "faults: " + str(FaultSpec.parse("all=0.1,5xx=0.2")), lines
        assert lines[-1].startswith("faults: 5xx=0.2,timeout=0.1,")
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


# --- no spec, no change --------------------------------------------------------------------------

@pytest.mark.parametrize("faults", [None, ""])
def test_without_faults_every_answer_is_the_sites_own(faults):
    with Fleet(seed=1, articles_per_portal=12, faults=faults) as fleet:
        assert not fleet.faults
        for pid, site in fleet.sites.items():
            base, queue, seen = fleet.base_url(pid), ["/", "/robots.txt", "/__r/1/x", "/lich-su"], set()
            queue += [target(a.url) for a in fleet.articles(pid)[:3]] + list(site.portal.start_paths)
            while queue and len(seen) < 25:
                path = queue.pop(0)
                if path in seen:
                    continue
                seen.add(path)
                status, headers, body = get(base + path)
                parts = urlsplit(path)
                page = site.answer(unquote(parts.path), parse_qs(parts.query))
                assert (status, body, headers["Content-Type"], headers.get("ETag")) == \
                       (page.status, page.encoded(), page.content_type, page.etag), (pid, path)
                if "html" in page.content_type:
                    links = [urljoin(base + path, href) for href in re.findall(r'href="([^"]+)"', body.decode())]
                    queue += [target(link) for link in links if link.startswith(base)]
            assert fleet.faults_injected(pid) == [] and fleet.unreachable(pid) == {}


def test_media_variants_and_special_sites_never_fail():
    with Fleet(portals=["muonglat"], articles_per_portal=8, variants=1, faults="all=1", hang_seconds=0.1) as fleet:
        status, headers, body = get(fleet.media_url + "/a/b.png")
        assert status == 200 and headers["Content-Type"] == "image/png" and body.startswith(b"\x89PNG")
        for sid in ["variant01", *fleet.special_ids]:
            site = fleet.sites[sid]
            for path in ["/", "/robots.txt", *(target(a.url) for a in fleet.articles(sid)[:3])] * 2:
                status, _, body = get(fleet.base_url(sid) + path)
                assert (status, body) == (200, site.answer(path, {}).encoded()), (sid, path)
            assert fleet.faults_injected(sid) == [] and fleet.unreachable(sid) == {}
        assert outcome(fleet.base_url("muonglat") + "/") != "ok"  # while the known portal does fail


# --- transient faults --------------------------------------------------------------------------------

def transient_run(seed: int) -> tuple[list[str], list]:
    spec = "5xx=0.25,timeout=0.1,reset=0.15,truncate=0.15"
    with Fleet(seed=seed, portals=["muonglat", "baolaocai"], articles_per_portal=12, faults=spec,
               hang_seconds=0.15) as fleet:
        urls = [fleet.base_url("muonglat") + "/", fleet.base_url("baolaocai") + "/rss/home.rss"]
        urls += [a.url for pid in ("muonglat", "baolaocai") for a in fleet.articles(pid)[:4]]
        seen = [outcome(url) for _ in range(6) for url in urls]
        return seen, fleet.faults_injected("muonglat") + fleet.faults_injected("baolaocai")


def test_transient_faults_repeat_with_the_seed_and_never_fail_four_times_in_a_row():
    first, injected = transient_run(seed=3)
    assert transient_run(seed=3) == (first, injected)
    assert transient_run(seed=4)[0] != first
    assert {"ok", "hang", "reset", "truncated"} <= set(first) and {"503", "500"} & set(first)
    assert sum(result != "ok" for result in first) == len(injected)
    assert {kind for _, kind in injected} == {"5xx", "timeout", "reset", "truncate"}
    urls = len(first) // 6
    for column in range(urls):  # the six tries of one URL
        tries = "".join("x" if result != "ok" else "." for result in first[column::urls])
        assert "xxxx" not in tries


def test_three_failures_then_one_answer():
    with Fleet(portals=["camtu"], articles_per_portal=8, faults="5xx=1") as fleet:
        url = fleet.articles("camtu")[0].url
        assert [outcome(url) != "ok" for _ in range(8)] == [True, True, True, False] * 2
        assert fleet.responses("camtu")[3] == (target(url), 200)
        assert fleet.faults_injected("camtu") == [(target(url), "5xx")] * 6


def test_5xx_carries_retry_after_when_it_is_a_503():
    with Fleet(portals=["quanhoa"], articles_per_portal=10, faults="5xx=1") as fleet:
        answers = [get(a.url) for a in fleet.articles("quanhoa")]
        assert {status for status, _, _ in answers} == {500, 503}
        for status, headers, body in answers:
            assert headers.get("Retry-After") == ("1" if status == 503 else None)
            assert body.decode().startswith(str(status)) and headers["Content-Type"].startswith("text/plain")


def test_reset_truncate_and_timeout_on_the_wire():
    with Fleet(portals=["muonglat"], articles_per_portal=8, faults="reset=1") as fleet:
        with pytest.raises(ConnectionResetError) as error:
            get(fleet.base_url("muonglat") + "/")
        assert not isinstance(error.value, http.client.RemoteDisconnected)  # a real reset, not a clean close
    with Fleet(portals=["muonglat"], articles_per_portal=8, faults="truncate=1") as fleet:
        parts = urlsplit(fleet.articles("muonglat")[0].url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        connection.request("GET", parts.path)
        response = connection.getresponse()
        with pytest.raises(http.client.IncompleteRead) as error:
            response.read()
        length = int(response.getheader("Content-Length"))
        assert response.status == 200 and 0 < len(error.value.partial) == length // 2 < length
    with Fleet(portals=["muonglat"], articles_per_portal=8, faults="timeout=1", hang_seconds=0.4) as fleet:
        url = fleet.base_url("muonglat") + "/robots.txt"
        with pytest.raises(TimeoutError):
            get(url, timeout=0.15)  # a client that gives up first
        started = time.monotonic()
        with pytest.raises(http.client.RemoteDisconnected):  # silence, then the server hangs up
            get(url)
        assert 0.35 < time.monotonic() - started < 2
        assert fleet.responses("muonglat") == [] and [kind for _, kind in fleet.faults_injected("muonglat")] == ["timeout"] * 2


def test_a_hanging_answer_does_not_hold_up_stop():
    fleet = Fleet(portals=["camtu"], articles_per_portal=8, faults="timeout=1").start()  # 30 s hang by default
    worker = threading.Thread(target=lambda: outcome(fleet.base_url("camtu") + "/"), daemon=True)
    worker.start()
    time.sleep(0.2)
    started = time.monotonic()
    fleet.stop()
    assert time.monotonic() - started < 2
    worker.join(timeout=3)
    assert not worker.is_alive()


def test_slow_answers_drip_the_whole_body():
    with Fleet(portals=["baothanhhoa"], articles_per_portal=8, faults="slow=1") as fleet:
        article = fleet.articles("baothanhhoa")[0]
        started = time.monotonic()
        status, _, body = get(article.url)
        assert 1.3 < time.monotonic() - started < 3
        assert status == 200 and body == fleet.sites["baothanhhoa"].answer(target(article.url), {}).encoded()


def test_robots5xx_fails_robots_txt_only():
    with Fleet(portals=["nongcong"], articles_per_portal=8, faults="robots5xx=1") as fleet:
        base = fleet.base_url("nongcong")
        status, headers, _ = get(base + "/robots.txt")
        assert status == 503 and headers["Retry-After"] == "1"
        assert get(base + fleet.sites["nongcong"].portal.start_paths[0])[0] == 200
        assert fleet.faults_injected("nongcong") == [("/robots.txt", "robots5xx")]


# --- permanent faults: what is reachable ------------------------------------------------------------

PERMANENT = "removed=0.15,redirect=0.35,huge=0.1,binary=0.12"


def follow(url: str, hops: int = 5) -> tuple[list[tuple[int, str]], int, dict, bytes]:
    """Every redirect (status, target) from `url`, and the final answer (status 0: gave up in a loop)."""
    chain = []
    for _ in range(hops):
        status, headers, body = get(url)
        if status not in (301, 302):
            return chain, status, headers, body
        url = urljoin(url, headers["Location"])
        chain.append((status, target(url)))
    return chain, 0, {}, b""


def test_unreachable_names_exactly_the_articles_no_crawler_gets():
    with Fleet(seed=1, portals=["muonglat", "quanhoa", "baolaocai"], articles_per_portal=14, faults=PERMANENT) as fleet:
        reasons, chains = {}, 0
        for pid in fleet.sites:
            unreachable = fleet.unreachable(pid)
            for article in fleet.articles(pid):
                chain, status, headers, body = follow(article.url)
                path = target(article.url)
                if status in (404, 410):
                    reason = "removed"
                elif status == 0:
                    assert chain[:2] == [(301, "/__r/loop" + path), (302, path)]
                    reason = "redirect loop"
                elif len(body) >= HUGE_BYTES:
                    assert int(headers["Content-Length"]) == len(body)
                    assert body_text(body) == body_text(fleet.sites[pid].answer(path, {}).encoded())
                    reason = "huge"
                elif not body.startswith(b"<!DOCTYPE"):
                    assert body[:4] in (b"%PDF", b"PK\x03\x04") and headers["Content-Type"] in (
                        "application/octet-stream", "text/html")
                    reason = "binary"
                else:  # served: maybe at the end of a redirect chain
                    assert status == 200 and article.title in body_text(body)
                    assert chain in ([], [(301, "/__r/1" + path), (302, "/__r/2" + path)])
                    chains += bool(chain)
                    reason = None
                if reason:
                    reasons[article.url] = reason
                    assert unreachable.get(article.url) == reason, (article.url, reason)
                assert outcome(article.url) == "ok"  # the same answer every time: permanent
            assert set(unreachable) <= {a.url for a in fleet.articles(pid)}
        assert reasons == {url: why for pid in fleet.sites for url, why in fleet.unreachable(pid).items()}
        assert set(reasons.values()) == {"removed", "redirect loop", "huge", "binary"} and chains
        served = [kind for pid in fleet.sites for _, kind in fleet.faults_injected(pid)]
        assert {"removed", "redirect", "huge", "binary"} <= set(served)
        assert get(fleet.base_url("muonglat") + "/__r/2/tin-tuc-su-kien/khong-co-1")[0] == 404
        same_seed = [{target(url) for url in fleet.unreachable(pid)} for pid in fleet.sites]
    with Fleet(seed=1, portals=["muonglat", "quanhoa", "baolaocai"], articles_per_portal=14, faults=PERMANENT) as again:
        assert [{target(url) for url in again.unreachable(pid)} for pid in again.sites] == same_seed
    with Fleet(seed=2, portals=["muonglat", "quanhoa", "baolaocai"], articles_per_portal=14, faults=PERMANENT) as other:
        assert [{target(url) for url in other.unreachable(pid)} for pid in other.sites] != same_seed


def test_removed_answers_both_404_and_410():
    with Fleet(portals=["baothanhhoa", "camtu"], articles_per_portal=12, faults="removed=1") as fleet:
        statuses = {get(a.url)[0] for pid in fleet.sites for a in fleet.articles(pid)}
        assert statuses == {404, 410}
        assert all(reason == "removed" for pid in fleet.sites for reason in fleet.unreachable(pid).values())
        assert get(fleet.base_url("camtu") + "/")[0] == 200  # other pages stay


# --- content faults: still readable -------------------------------------------------------------------

def test_charset_variants_decode_to_the_clean_text():
    portals = ["muonglat", "quanhoa", "baolaocai", "baothanhhoa"]
    with Fleet(portals=portals, articles_per_portal=12) as clean, \
            Fleet(portals=portals, articles_per_portal=12, faults="charset=1") as fleet:
        variants = set()
        for pid in portals:
            for plain, article in zip(clean.articles(pid), fleet.articles(pid)):
                status, headers, body = get(article.url)
                content_type = headers["Content-Type"]
                if content_type == "text/html":  # windows-1258, said by the <meta> tag only
                    assert re.search(rb'charset="?windows-1258', body[:500]) and b"charset=utf-8" not in body[:500]
                    encoding = "cp1258"
                elif content_type == "text/html; charset=windows-1252":  # a lying header: the bytes are UTF-8
                    assert re.search(rb'charset="?utf-8', body[:500])
                    encoding = "utf-8"
                else:  # UTF-8 in NFD
                    assert content_type == "text/html; charset=utf-8"
                    assert unicodedata.is_normalized("NFD", body.decode()) and not unicodedata.is_normalized("NFC", body.decode())
                    encoding = "utf-8"
                variants.add(content_type)
                assert status == 200 and body_text(body, encoding) == body_text(get(plain.url)[2]), article.url
            assert fleet.unreachable(pid) == {}
        assert len(variants) == 3


def test_malformed_html_keeps_the_text():
    with Fleet(portals=["camtu", "nongcong", "baothanhhoa"], articles_per_portal=8) as clean, \
            Fleet(portals=["camtu", "nongcong", "baothanhhoa"], articles_per_portal=8, faults="malformed=1") as fleet:
        for pid in fleet.sites:
            for plain, article in zip(clean.articles(pid)[:3], fleet.articles(pid)[:3]):
                source = get(article.url)[2].decode()
                assert "</p>" not in source and "</li>" not in source and "<p" in source and "<li" in source
                assert source.count("</div></span></table>") == 1
                footer = re.search(r"<footer|class=\"tandan-footer", source).start()
                assert source.find("<b>", footer) > footer
                assert body_text(source.encode()) == body_text(get(plain.url)[2])
            assert (target(fleet.articles(pid)[0].url), "malformed") in fleet.faults_injected(pid)
            start = fleet.base_url(pid) + fleet.sites[pid].portal.start_paths[0]
            assert "</li>" in get(start)[2].decode()  # list pages are left alone


# --- the trap ----------------------------------------------------------------------------------------

NEXT = {"muonglat": "a.next", "quanhoa": "a[title='Trang sau']", "nongcong": "span.CurrentPage + a",
        "baolaocai": "a.next", "baothanhhoa": "a.next"}


def linked_articles(doc, truth: set[str]) -> set[str]:
    return {urljoin(doc.base_url, link) for _, attribute, link, _ in doc.iterlinks()
            if attribute == "href" and urljoin(doc.base_url, link) in truth}


def test_the_trap_never_ends_and_lists_nothing_new():
    with Fleet(portals=list(NEXT), articles_per_portal=12, faults="trap=1") as fleet:
        for pid, next_css in NEXT.items():
            truth = {a.url for a in fleet.articles(pid)}
            url, seen, listed = fleet.base_url(pid) + fleet.sites[pid].portal.start_paths[0], set(), []
            for _ in range(25):  # 12 articles fill two list pages at most: far past the last real one
                status, headers, body = get(url)
                assert status == 200 and headers["Content-Type"].startswith("text/html") and url not in seen
                seen.add(url)
                doc = lxml.html.fromstring(body, base_url=url)
                listed.append(linked_articles(doc, truth))
                calendar = doc.cssselect(".lich-su a")[0].get("href")
                url = urljoin(url, doc.cssselect(next_css)[0].get("href"))
            # Past the end only the side lists link articles (the ones page 1 shows): nothing new.
            assert all(links == listed[3] for links in listed[3:]) and listed[3] <= listed[0] != listed[1]
            day = urljoin(url, calendar)
            for _ in range(20):
                status, _, body = get(day)
                doc = lxml.html.fromstring(body, base_url=day)
                assert status == 200 and doc.findtext(".//title").startswith("Tin ngày ")
                assert doc.cssselect("footer, .tandan-footer")  # in the platform's chrome
                assert linked_articles(doc, truth) <= listed[0]  # side lists only: no new articles
                day, previous = urljoin(day, doc.cssselect(".lich-su a")[-1].get("href")), day
                assert parse_qs(urlsplit(day).query)["ngay"] < parse_qs(urlsplit(previous).query)["ngay"]
            assert {kind for _, kind in fleet.faults_injected(pid)} == {"trap"}


def test_without_the_trap_lists_end():
    with Fleet(portals=["muonglat", "baolaocai"], articles_per_portal=12, faults="5xx=0") as fleet:
        for pid in fleet.sites:
            url, pages = fleet.base_url(pid) + fleet.sites[pid].portal.start_paths[0], 0
            while url and pages < 10:
                doc = lxml.html.fromstring(get(url)[2], base_url=url)
                pages += 1
                assert not doc.cssselect(".lich-su")
                links = doc.cssselect("a.next")
                url = urljoin(url, links[0].get("href")) if links else None
            assert url is None and get(fleet.base_url(pid) + "/lich-su?ngay=2026-01-01")[0] == 404


# --- layout switch -------------------------------------------------------------------------------------

def page_parts(url: str) -> tuple[bytes, object]:
    status, _, body = get(url)
    assert status == 200
    return body, lxml.html.fromstring(body, base_url=url)


def test_switch_template_renames_classes_and_ids_and_keeps_text_and_links():
    with Fleet(portals=["muonglat", "baothanhhoa"], articles_per_portal=12) as fleet:
        secret = next(a for a in fleet.articles("baothanhhoa") if a.id in fleet.sites["baothanhhoa"].secrets)
        urls = [fleet.base_url("muonglat") + "/tin-tuc-su-kien", fleet.articles("muonglat")[0].url,
                fleet.base_url("baothanhhoa") + "/thoi-su", secret.url]
        before = [page_parts(url) for url in urls]
        etag = get(urls[1])[1]["ETag"]
        fleet.switch_template("muonglat")
        fleet.switch_template("baothanhhoa")
        after = [page_parts(url) for url in urls]
        for (_, old), (source, new) in zip(before, after):
            names = [value for element in new.iter() if isinstance(element.tag, str)
                     for value in (element.get("class") or "").split() + [element.get("id") or "v2-"]]
            assert names and all(name.startswith("v2-") for name in names)
            assert body_text(lxml.html.tostring(new)) == body_text(lxml.html.tostring(old))
            assert [link for _, _, link, _ in new.iterlinks()] == [link for _, _, link, _ in old.iterlinks()]
        assert not after[0][1].cssselect(".news-item .news-title a") and before[0][1].cssselect(".news-item .news-title a")
        assert not after[1][1].cssselect(".news-detail h1.title-detail")
        assert b'getElementById("v2-dcontent")' in after[3][0] and b'querySelector(".v2-enc-content")' in after[3][0]
        assert get(urls[1])[1]["ETag"] != etag
        fleet.switch_template("muonglat", back=True)
        assert page_parts(urls[0])[0] == before[0][0] and get(urls[1])[1]["ETag"] == etag
        assert page_parts(urls[2])[0] != before[2][0]  # the other portal keeps its new layout
        assert fleet.articles("muonglat") and get(fleet.base_url("muonglat") + "/robots.txt")[2].startswith(b"User-agent")
        with pytest.raises(KeyError):
            fleet.switch_template("media")
