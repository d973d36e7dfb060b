"""Browser rendering (scrapy-playwright + Debian's Chromium) for article pages whose text JavaScript builds.

Only portals with `render: browser` get the Playwright download handler, and
their spiders send only the pages that need it through the browser (see
PortalSpider.parse_article); every other request keeps Scrapy's HTTP handler.
"""

from __future__ import annotations

import os
import shutil
import urllib.request

HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
# Flags that let Chromium start as root in a container with no network beyond the crawl.
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# The text is what we want: images, fonts, media and styles are never fetched by the browser.
SKIPPED_RESOURCES = {"image", "media", "font", "stylesheet"}


def chromium_path() -> str | None:
    """$PORTALS_CHROMIUM, else Debian's chromium on PATH (Playwright's own download is not used)."""
    return os.environ.get("PORTALS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def skip_heavy_resources(request) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST hook: True aborts the browser's request."""
    return request.resource_type in SKIPPED_RESOURCES


def browser_proxy() -> dict | None:
    """The standard proxy variables (https_proxy, no_proxy), which Scrapy's own downloads follow, for Chromium too."""
    proxies = urllib.request.getproxies()
    server = proxies.get("https") or proxies.get("http")
    if not server:
        return None
    return {"server": server, **({"bypass": proxies["no"]} if proxies.get("no") else {})}


def browser_settings(executable: str) -> dict:
    """Settings for a spider that may render pages in Chromium."""
    launch = {"executable_path": executable, "headless": True, "args": LAUNCH_ARGS}
    proxy = browser_proxy()
    if proxy:
        launch["proxy"] = proxy
    return {
        "DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch,
        # Certificates are not verified, as Scrapy's own downloads do not verify them (broken chains are common).
        "PLAYWRIGHT_CONTEXTS": {"default": {"ignore_https_errors": True}},
        "PLAYWRIGHT_ABORT_REQUEST": "crawler.rendering.skip_heavy_resources",
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 2,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 30_000,
    }
