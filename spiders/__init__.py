"""Scrapy spiders: one class per platform, instantiated per portal by crawler.spiderloader."""

from spiders.platforms import BaoLaoCaiSpider, BaoThanhHoaSpider, GenericSpider, SharePointSpider, VnptSpider

PLATFORM_SPIDERS = {
    cls.platform: cls for cls in (VnptSpider, SharePointSpider, BaoLaoCaiSpider, BaoThanhHoaSpider, GenericSpider)
}
