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
MAX_LIST_PAGES = 30

# Politeness: government sites are small servers.
ROBOTSTXT_OBEY = True
USER_AGENT = "vn-portals-crawler/0.1 (+https://github.com/; news aggregation of public portals)"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
RANDOMIZE_DOWNLOAD_DELAY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024

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

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
REMOTE_CONTROL_ENABLED = False  # no control port on shared machines
