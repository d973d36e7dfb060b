"""Extraction: page objects that read an article page into an article dict, without a crawler."""

from crawler.extraction.base import ArticlePage
from crawler.extraction.platforms import (
    BaoLaoCaiArticle,
    BaoThanhHoaArticle,
    GenericArticle,
    SharePointArticle,
    VnptArticle,
)

__all__ = ["ArticlePage", "BaoLaoCaiArticle", "BaoThanhHoaArticle", "GenericArticle", "SharePointArticle", "VnptArticle"]
