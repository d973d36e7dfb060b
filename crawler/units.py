"""The official administrative units since the 2025 reform: 34 provinces, 3,321 communes and wards.

The list comes from PyPI `vietnam-provinces` (pinned; its data is the
government's); nothing of it is copied into this repository. A `Unit` is what
the product needs of a commune or ward: its official code (`admin_code`, the
key registry entries and articles carry), name, type and province.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

from vietnam_provinces import Province, Ward

from crawler.vietnam import slug

# "Tỉnh Thanh Hóa" / "Thành phố Hà Nội" -> "Thanh Hóa" / "Hà Nội": how the registry names provinces.
PROVINCE_PREFIXES = ("Thành phố ", "Tỉnh ")
UNIT_PREFIXES = {"xã": "Xã ", "phường": "Phường ", "đặc khu": "Đặc khu "}
LEVEL_OF_TYPE = {"xã": "commune", "phường": "ward", "đặc khu": "commune"}


class UnknownProvince(ValueError):
    """A province name that is none of the 34; the message suggests the nearest."""


@dataclass(frozen=True)
class Unit:
    """One commune, ward or special zone of the official list."""

    admin_code: str      # "15154": the official 5-digit code
    name: str            # "Xã Cẩm Tú"
    admin_type: str      # "xã" | "phường" | "đặc khu"
    province: str        # "Thanh Hóa"

    @property
    def short_name(self) -> str:
        """"Cẩm Tú": the name without its type word."""
        return self.name.removeprefix(UNIT_PREFIXES[self.admin_type])

    @property
    def level(self) -> str:
        """The registry's level: commune (xã, đặc khu) or ward (phường)."""
        return LEVEL_OF_TYPE[self.admin_type]

    def as_dict(self) -> dict:
        return {"admin_code": self.admin_code, "name": self.name, "admin_type": self.admin_type,
                "province": self.province}


def _short_province(name: str) -> str:
    for prefix in PROVINCE_PREFIXES:
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


@cache
def provinces() -> tuple[str, ...]:
    """The 34 provinces' names ("Thanh Hóa"), in the official order (by code)."""
    return tuple(_short_province(p.name) for p in sorted(Province.iter_all(), key=lambda p: int(p.code)))


@cache
def _units() -> tuple[Unit, ...]:
    names = {int(p.code): _short_province(p.name) for p in Province.iter_all()}
    return tuple(Unit(f"{int(w.code):05d}", w.name, str(w.division_type), names[int(w.province_code)])
                 for w in sorted(Ward.iter_all(), key=lambda w: int(w.code)))


@cache
def _by_code() -> dict[str, Unit]:
    return {unit.admin_code: unit for unit in _units()}


@cache
def _by_province_and_name() -> dict[tuple[str, str], Unit]:
    index = {}
    for unit in _units():
        index[(unit.province, slug(unit.name))] = unit
        index.setdefault((unit.province, slug(unit.short_name)), unit)  # "Cẩm Tú" alone, when unambiguous
    return index


def resolve_province(text: str) -> str:
    """The province `text` names ("thanh hoa", "Tỉnh Thanh Hóa", "thanhhoa"); UnknownProvince otherwise."""
    wanted = slug(_short_province(text.strip()))
    for name in provinces():
        if slug(name) == wanted:
            return name
    near = difflib.get_close_matches(wanted, [slug(name) for name in provinces()], n=1, cutoff=0.6)
    hint = f" (did you mean {next(n for n in provinces() if slug(n) == near[0])!r}?)" if near else ""
    raise UnknownProvince(f"unknown province {text!r}{hint}; the 34 provinces: portals coverage lists them")


def units(province: str | None = None) -> list[Unit]:
    """Every unit of the official list, or of one province (by any spelling resolve_province accepts)."""
    if province is None:
        return list(_units())
    name = resolve_province(province)
    return [unit for unit in _units() if unit.province == name]


def unit_by_code(admin_code: str | int) -> Unit | None:
    return _by_code().get(f"{int(admin_code):05d}" if str(admin_code).isdigit() else str(admin_code))


def match_unit(name: str, province: str) -> Unit | None:
    """The official unit a portal's name and province denote ("Xã Cẩm Tú", "Thanh Hóa"), else None."""
    try:
        province_name = resolve_province(province)
    except UnknownProvince:
        return None
    return _by_province_and_name().get((province_name, slug(name)))
