"""A bare Scrapy spider: fetch the given URLs, read nothing, store nothing (benchmark a's baseline).

Run: python bench/bare_spider.py URLS.json  -> prints {"responses": N, "seconds": S} on stdout.
Same concurrency as the product's benchmark crawl: 16 requests at once, 8 per host, no delay.
"""

from __future__ import annotations

import json
import sys
import time

import scrapy
from scrapy.crawler import CrawlerProcess


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], **kwargs):
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, dont_filter=True, callback=self.parse)

    def parse(self, response):
        return None


def main() -> None:
    urls = json.loads(open(sys.argv[1]).read())
    process = CrawlerProcess({
        "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False, "HTTPERROR_ALLOW_ALL": True,
    })
    crawler = process.create_crawler(BareSpider)
    started = time.monotonic()
    process.crawl(crawler, urls=urls)
    process.start()
    print(json.dumps({"responses": crawler.stats.get_value("response_received_count", 0),
                      "seconds": time.monotonic() - started}))


if __name__ == "__main__":
    main()
