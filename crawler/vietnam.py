"""Vietnamese place data the product needs: the 34 provinces (since 2025) and unaccented slugs."""

from __future__ import annotations

import re
import unicodedata

PROVINCES = (
    "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Điện Biên", "Đồng Nai",
    "Đồng Tháp", "Gia Lai", "Hà Nội", "Hà Tĩnh", "Hải Phòng", "Hồ Chí Minh", "Huế", "Hưng Yên", "Khánh Hòa",
    "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Nghệ An", "Ninh Bình", "Phú Thọ", "Quảng Ngãi",
    "Quảng Ninh", "Quảng Trị", "Sơn La", "Tây Ninh", "Thái Nguyên", "Thanh Hóa", "Tuyên Quang", "Vĩnh Long",
)


def slug(text: str, separator: str = "") -> str:
    """'Thanh Hóa' -> 'thanhhoa' (or 'thanh-hoa' with separator='-'): no accents, lower case, ASCII."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", separator, text).strip(separator)


PROVINCE_BY_SLUG = {slug(name): name for name in PROVINCES} | {"hochiminh": "Hồ Chí Minh", "hcm": "Hồ Chí Minh", "tphcm": "Hồ Chí Minh"}


def province_named(text: str) -> str | None:
    """The province a free-text name or host label refers to ('thanh hoá', 'THANH HÓA', 'thanhhoa'), else None."""
    return PROVINCE_BY_SLUG.get(slug(unicodedata.normalize("NFC", text)))


def fold(text: str) -> str:
    """Search form: lower case, no diacritics ('Mường Lát' -> 'muong lat'); words kept apart by spaces."""
    return slug(text or "", " ")
