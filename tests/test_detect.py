"""Platform detection from page fingerprints, and `portals extract` on files and URLs."""

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.detect import detect_platform
from tests.test_cli import assert_one_line_error, portals

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("page", sorted(FIXTURES.glob("*/*.html")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_fixture_is_detected_as_its_platform(page):
    # A neutral URL: detection must come from the page itself, not from a known host name.
    assert detect_platform("http://127.0.0.1:8000/some/page", page.read_text()) == page.parent.name


def test_extract_file_detects_platform_and_prints_the_article():
    page = FIXTURES / "sharepoint" / "quanhoa.html"
    result = portals("extract", str(page), "--url", "http://127.0.0.1:8000/portal/Pages/2025-6-21/x.aspx")
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["platform"] == "sharepoint"
    assert article["title"] == json.loads(page.with_suffix(".json").read_text())["title"]


def test_extract_url_fetches_the_page(tmp_path):
    (tmp_path / "bai-viet-1234").write_bytes((FIXTURES / "vnpt" / "muonglat.html").read_bytes())
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/bai-viet-1234"
        result = portals("extract", url)
        assert result.returncode == 0, result.stderr
        article = json.loads(result.stdout)
        assert article["platform"] == "vnpt" and article["url"] == url and article["author"]
        assert_one_line_error(portals("extract", url + "-missing"), "HTTP 404")
    finally:
        server.shutdown()
