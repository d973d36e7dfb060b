"""Scrapy settings of the project (`scrapy.cfg` points here; `portals crawl` starts from them too)."""

import os

BOT_NAME = "vn-portals"
SPIDER_LOADER_CLASS = "crawler.spiderloader.RegistrySpiderLoader"

# Configuration shared with the CLI, read from the environment (see crawler.config).
PORTALS_REGISTRY = os.environ.get("PORTALS_REGISTRY") or "portals.yaml"
MONGO_URI = os.environ.get("MONGO_URI") or None
PORTALS_DB = os.environ.get("PORTALS_DB") or "portals"
PORTALS_DATA_DIR = os.environ.get("PORTALS_DATA_DIR") or "data"
# False: an incremental run never requests a URL that is already stored.
REFRESH_STORED = False
CRAWL_RUN_ID = None
START_STAGGER_SECONDS = 0  # each portal's first request waits a random 0..N s (the scheduler sets it)
MAX_LIST_PAGES = 30  # bound on list paging per start page
# Incremental runs stop paging at the first list page whose articles are all stored.
STOP_AT_KNOWN_LIST_PAGE = True

# Politeness: government sites are small servers.
ROBOTSTXT_OBEY = True
ROBOTSTXT_CACHE_HOURS = 24  # robots.txt reused from the store this long (RFC 9309's limit); 0: every crawl asks
# Names the product and where a webmaster can reach its operators: set PORTALS_CONTACT_URL in production.
CONTACT_URL = os.environ.get("PORTALS_CONTACT_URL") or "https://example.invalid/vn-portals-crawler"
USER_AGENT = f"vn-portals-crawler/0.1 (+{CONTACT_URL})"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.25
DOWNLOAD_DELAY_JITTER = 0.5  # ±50% around DOWNLOAD_DELAY
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30

# Flaky servers: retries wait (backoff, or the server's Retry-After up to RETRY_AFTER_MAX seconds);
# what still fails is recorded in the store and tried again by the next RETRY_FAILED_RUNS runs.
RETRY_TIMES = 3
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 60.0
RETRY_FAILED_RUNS = 5
REDIRECT_MAX_TIMES = 5       # a longer chain is a loop in practice
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # larger answers are cancelled, logged and recorded as failures
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DEPTH_LIMIT = 40             # a backstop behind MAX_LIST_PAGES against link traps
SHORT_BODY_CHARS = 200       # portal health: bodies shorter than this count as short

# Conditional GETs (ETag / Last-Modified) for list pages and feeds. The first start page is asked
# first: a 304 there means a quiet night, and the other start pages are skipped, unless the last
# crawl that read them all is older than FULL_WALK_DAYS.
CONDITIONAL_LISTS = True
FULL_WALK_DAYS = 7
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.CachedRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.retry.BackoffRetryMiddleware": 550,
    "crawler.conditional.ConditionalListRequests": 560,
    "crawler.encoding.EncodingRepairMiddleware": 580,  # after decompression (590)
    "crawler.redirects.RedirectLoopGuard": 610,  # sees redirects before the redirect middleware (600)
}
EXTENSIONS = {
    "crawler.failures.FailureLog": 100,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.SkipStoredArticlesMiddleware": 50,
}
ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.store.StorePipeline": 900,
}
STORE_BATCH_SIZE = 50       # articles per bulk_write
STORE_FLUSH_SECONDS = 5.0   # and at least this often, so a hard kill loses little
STORE_CLOSE_WAIT_SECONDS = 120.0  # a store down when a crawl ends is waited for this long, then the spool keeps the rest

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30  # Scrapy's own progress log line
PROGRESS_INTERVAL = 10  # `portals crawl` prints a progress line on stderr this often (seconds)
FEED_EXPORT_ENCODING = "utf-8"
REMOTE_CONTROL_ENABLED = False  # no control port on shared machines
