"""Scrapy spider loader that makes one spider per registry entry (`scrapy list`, `scrapy crawl ID`)."""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.settings import BaseSettings

from crawler.registry import Portal, Registry, load_registry
from crawler.rendering import browser_settings, chromium_path
from crawler.urls import same_site
from spiders import PLATFORM_SPIDERS


def spider_class_for(portal: Portal, distributed: bool = False) -> type[Spider]:
    """A subclass of the platform's spider bound to one portal, named after its id
    (distributed: its start requests come from Redis, see crawler.distributed)."""
    base = PLATFORM_SPIDERS[portal.platform]
    custom_settings = dict(base.custom_settings or {})
    if portal.download_delay is not None:
        custom_settings["DOWNLOAD_DELAY"] = portal.download_delay
    browser = chromium_path() if portal.render == "browser" else None
    if browser:
        custom_settings.update(browser_settings(browser))
    bases = (base,)
    if distributed:
        from crawler.distributed import RedisStartMixin  # scrapy-redis only where it is used

        bases = (RedisStartMixin, base)
    return type(f"{base.__name__}[{portal.id}]", bases, {
        "name": portal.id, "portal": portal, "custom_settings": custom_settings, "__module__": base.__module__,
        "browser_available": bool(browser),
    })


class RegistrySpiderLoader:
    """Implements Scrapy's SpiderLoaderProtocol on top of the portal registry."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self._classes = {portal.id: spider_class_for(portal) for portal in registry.portals}

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> RegistrySpiderLoader:
        return cls(load_registry(settings.get("PORTALS_REGISTRY")))

    def load(self, spider_name: str) -> type[Spider]:
        try:
            return self._classes[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return list(self._classes)

    def find_by_request(self, request: Request) -> list[str]:
        return [p.id for p in self.registry.portals if same_site(request.url, p.host)]
