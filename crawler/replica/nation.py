"""A replica nation: a site (or none) for every official commune and ward, under its real host name.

Every commune, ward and special zone of the chosen provinces (PyPI
`vietnam_provinces`, the 34 provinces of July 2025) gets what the real world
might have for it, drawn deterministically from (seed, admin code), and is
served through a `ReplicaProxy` on loopback under its real host name
(https://camtu.thanhhoa.gov.vn/...). Crawlers reach it through the standard
proxy variables (`nation.env()`); nothing leaves the machine.

    with Nation(provinces=("Thanh Hóa",), seed=1) as nation:
        os.environ.update(nation.env())          # or pass it to a subprocess
        nation.truth["15148"]                    # UnitTruth(name="Xã Cẩm Tú", kind="vnpt", host="camtu.thanhhoa.gov.vn", ...)
        nation.articles("camtu.thanhhoa.gov.vn") # the published articles (the fleet's camtu)
        nation.proxy.requests("camtu.thanhhoa.gov.vn")

Kinds (shares per province, exact counts by largest remainder, which unit
gets which by a stable hash of (seed, code); `KINDS`):

    kind              share  host                                   expected
    vnpt              80%    camtu.thanhhoa.gov.vn                  registered (platform vnpt)
    vnpt-hyphenated    4%    cam-tu.thanhhoa.gov.vn, or two legacy  registered (platform vnpt)
                             names: hungtan-hungnguyen.nghean.gov.vn
    vnpt-www           3%    www.camtu.thanhhoa.gov.vn only         registered (platform vnpt)
    generic            4%    camtu.thanhhoa.gov.vn, a layout family registered (platform generic)
                             of crawler.replica.variants
    empty              2%    a ward portal with no news yet         no news found
    no-dates           1%    article pages without date or body     sample check failed
    absent             4%    none (502 Unknown Host)                no such host
    down               1%    502 Connection refused                 site down
    error              1%    every request answers 503              site down

Host names: the unit's name without "Xã"/"Phường"/"Đặc khu", unaccented
("Đ" -> "d"), without separators, then the province likewise, then
".gov.vn". Where two units of a province would share a host, the later
(by code) puts its unaccented division first ("xadongtien"); the hosts of
the fleet's district portals (quanhoa, nongcong) are reserved the same way.

Sites are built on first request (`sites_built` counts them), bound to
"https://{host}", their images on https://storage-vnportal.vnpt.vn (served
too). With `fleet_portals` the six portals of `Fleet` are served under their
real hosts (`registry_entries()`), and Xã Mường Lát / Xã Cẩm Tú are them.
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
import threading
import unicodedata
from dataclasses import dataclass
from html import escape
from typing import Iterable

from crawler.replica import server as fleet_server
from crawler.replica import vnpt
from crawler.replica.content import Article, Page, Portal, Site, Voice, generate_stories, slugify, story_rng, unaccent
from crawler.replica.markup import counter_items, document, paragraphs
from crawler.replica.proxy import DOWN, ReplicaProxy, Route
from crawler.replica.seeds import FIXED
from crawler.replica.specials import EmptyPortalSite
from crawler.replica.variants import FAMILIES, make_variant_for, unit_commune

KINDS = ("vnpt", "vnpt-hyphenated", "vnpt-www", "generic", "empty", "no-dates", "absent", "down", "error")
SHARES = {"vnpt": 0.80, "vnpt-hyphenated": 0.04, "vnpt-www": 0.03, "generic": 0.04, "empty": 0.02,
          "no-dates": 0.01, "absent": 0.04, "down": 0.01, "error": 0.01}
EXPECTED = {"vnpt": "registered", "vnpt-hyphenated": "registered", "vnpt-www": "registered",
            "generic": "registered", "empty": "no news found", "no-dates": "sample check failed",
            "absent": "no such host", "down": "site down", "error": "site down"}
PLATFORMS = {"vnpt": "vnpt", "vnpt-hyphenated": "vnpt", "vnpt-www": "vnpt", "generic": "generic"}
FLEET_HOSTS = {"muonglat": "muonglat.thanhhoa.gov.vn", "camtu": "camtu.thanhhoa.gov.vn",
               "quanhoa": "quanhoa.thanhhoa.gov.vn", "nongcong": "nongcong.thanhhoa.gov.vn",
               "baolaocai": "baolaocai.vn", "baothanhhoa": "baothanhhoa.vn"}
FLEET_UNITS = {("Thanh Hóa", "Xã Mường Lát"): "muonglat", ("Thanh Hóa", "Xã Cẩm Tú"): "camtu"}
MEDIA_HOST = "storage-vnportal.vnpt.vn"
MEDIA_URL = f"https://{MEDIA_HOST}"
DIVISIONS = ("đặc khu", "phường", "xã")
LEGACY_PREFIXES = ("thị trấn", "phường", "xã", "đặc khu")


@dataclass(frozen=True)
class UnitTruth:
    """What the real world has for one unit, and what a discovery run should conclude."""

    admin_code: str               # "15148"
    name: str                     # "Xã Cẩm Tú"
    province: str                 # "Thanh Hóa"
    kind: str                     # one of KINDS
    host: str | None              # None when absent
    expected: str                 # "registered", "no such host", "no news found", "sample check failed", "site down"
    platform: str | None          # "vnpt", "generic" or None


@dataclass(frozen=True)
class _Unit:
    code: int
    name: str
    province: str                 # "Thanh Hóa"
    province_title: str           # "Tỉnh Thanh Hóa"
    kind: str
    host: str | None

    @property
    def key(self) -> str:
        return f"unit-{self.code:05d}"

    @property
    def province_place(self) -> str:  # "tỉnh Thanh Hóa", "thành phố Hà Nội"
        return self.province_title[0].lower() + self.province_title[1:]


def _draw(seed: int, code: int, purpose: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{code}:{purpose}".encode()).digest()[:8], "big")


def _label(text: str) -> str:
    """Unaccented, lower case, no separators: "Cẩm Tú" -> "camtu"."""
    return re.sub(r"[^a-z0-9]", "", unaccent(text).lower())


def _short_province(title: str) -> str:
    return title.removeprefix("Tỉnh ").removeprefix("Thành phố ")


def _strip_division(name: str, prefixes: Iterable[str] = DIVISIONS) -> tuple[str, str]:
    """("xã", "Cẩm Tú") of "Xã Cẩm Tú"."""
    for prefix in prefixes:
        if name.lower().startswith(prefix + " "):
            return prefix, name[len(prefix) + 1:]
    return "", name


def quotas(count: int) -> dict[str, int]:
    """How many of `count` units get each kind: SHARES by largest remainder (ties in KINDS order)."""
    exact = {kind: SHARES[kind] * count for kind in KINDS}
    result = {kind: math.floor(value) for kind, value in exact.items()}
    rest = count - sum(result.values())
    for kind in sorted(KINDS, key=lambda k: (-(exact[k] - result[k]), KINDS.index(k)))[:rest]:
        result[kind] += 1
    return result


class NoDatesSite(Site):
    """A commune site whose article pages state no date and carry no body text worth the name."""

    server_header = "Apache"
    categories = {"tin-tuc": "Tin tức"}

    def __init__(self, key: str, name: str, province: str, province_place: str, seed: int, count: int):
        super().__init__(Portal(key, name, province, "commune", "none", ("/",)), [])
        kind, _, rest = name.partition(" ")
        place = f"{kind.lower()} {rest}"
        voice = Voice(place, ("",), (f"UBND {place}",), ("Ban biên tập",))
        stories = generate_stories(seed, key, max(count, 1), voice, ["tin-tuc"], *vnpt.WINDOW)
        rng = story_rng(seed, key, "nodates")
        self.name, self.province_place = name, province_place
        self.items = [(f"/tin-tuc/{slugify(story.title, 60)}-{rng.randint(100, 999) * 10 + k}.html", story.title)
                      for k, story in enumerate(stories)]

    def route(self, path: str, query: dict[str, list[str]]) -> Page:
        if path == "/robots.txt":
            return self.robots()
        if path in ("/", "/tin-tuc"):
            items = "".join(f'<li><a href="{href}">{escape(title)}</a></li>' for href, title in self.items)
            return Page(self._layout(self.name, f'<h1>Tin tức</h1><ul class="ds">{items}</ul>'))
        title = dict(self.items).get(path)
        if title is None:
            return self.not_found()
        return Page(self._layout(title, f'<h1>{escape(title)}</h1><div class="nd"><p>Đang cập nhật.</p></div>'))

    def _layout(self, title: str, main: str) -> str:
        body = (f'<div class="top"><a href="/">{escape(self.name.upper())}</a></div>\n<div class="giua">{main}</div>\n'
                f'<div class="chan">{paragraphs((f"UBND {self.name}, {self.province_place}",))}'
                f'<ul>{counter_items(("1", "3", "20", "401"))}</ul></div>\n')
        return document(title, body)


class Nation:
    """Every unit of `provinces` (None: all 34) under its real host, through one loopback proxy."""

    def __init__(self, provinces: Iterable[str] | None = ("Thanh Hóa",), seed: int = 1, articles_per_site: int = 4,
                 fleet_portals: bool = True, articles_per_portal: int = 45, host: str = "127.0.0.1", port: int = 0):
        if articles_per_site < 1:
            raise ValueError("articles_per_site must be at least 1")
        if fleet_portals:
            needed = max([fleet_server.MIN_ARTICLES, *(len(FIXED.get(pid, ())) + 1 for pid in FLEET_HOSTS)])
            if articles_per_portal < needed:
                raise ValueError(f"articles_per_portal must be at least {needed}")
        self.provinces = None if provinces is None else tuple(provinces)
        self.seed, self.articles_per_site, self.articles_per_portal = seed, articles_per_site, articles_per_portal
        self.fleet_portals = fleet_portals
        self.proxy = ReplicaProxy(self._resolve, host=host, port=port)
        self.sites_built = 0
        self._lock = threading.RLock()
        self._units: dict[str, _Unit] | None = None   # admin code -> unit, made on first need
        self._hosts: dict[str, tuple[str, str]] = {}  # host -> ("unit", code) | ("fleet", id) | ("media", "")
        self._sites: dict[str, Site] = {}             # host -> built site
        if self.provinces is not None:
            self._province_titles()  # unknown province names fail here, not at the first request

    # The plan ------------------------------------------------------------------------------------
    def _province_titles(self) -> list[str]:
        from vietnam_provinces import Province
        titles = {_label(_short_province(p.name)): p.name for p in Province.iter_all()}
        if self.provinces is None:
            return list(titles.values())
        chosen = []
        for name in self.provinces:
            key = _label(_short_province(unicodedata.normalize("NFC", name.strip())))
            if key not in titles:
                raise ValueError(f"unknown province {name!r}")
            chosen.append(titles[key])
        return chosen

    def _plan(self) -> dict[str, _Unit]:
        with self._lock:
            if self._units is None:
                self._units = self._make_plan()
            return self._units

    def _make_plan(self) -> dict[str, _Unit]:
        from vietnam_provinces import Province, Ward
        chosen = set(self._province_titles())
        titles: dict[int, str] = {}
        by_province: dict[str, list] = {}
        for ward in Ward.iter_all():
            code = int(ward.province_code)
            if code not in titles:
                titles[code] = Province.from_code(ward.province_code).name
            if titles[code] in chosen:
                by_province.setdefault(titles[code], []).append(ward)
        units: dict[str, _Unit] = {}
        for title, wards in by_province.items():
            wards.sort(key=lambda w: int(w.code))
            units |= self._plan_province(title, wards)
        if self.fleet_portals:
            self._hosts |= {host: ("fleet", pid) for pid, host in FLEET_HOSTS.items()}
        self._hosts[MEDIA_HOST] = ("media", "")
        for code, unit in units.items():
            if unit.host is not None and self._hosts.get(unit.host, ("",))[0] != "fleet":
                self._hosts[unit.host] = ("unit", code)
        return units

    def _plan_province(self, title: str, wards: list) -> dict[str, _Unit]:
        province = _short_province(title)
        plabel = _label(province)
        names = {int(w.code): _name(w.name) for w in wards}
        pinned = {code: FLEET_UNITS[(province, name)] for code, name in names.items() if (province, name) in FLEET_UNITS}
        # Kinds: pinned units are VNPT portals; the others in hash order fill the quotas.
        left = quotas(len(wards))
        kinds = {code: "vnpt" for code in pinned}
        left["vnpt"] -= len(pinned)
        ranked = sorted((code for code in names if code not in pinned), key=lambda c: _draw(self.seed, c, "kind"))
        order = iter(ranked)
        for kind in KINDS:
            for _ in range(left[kind]):
                kinds[next(order)] = kind
        # Bare hosts, unique in the province, the fleet's district hosts reserved.
        taken = {host for pid, host in FLEET_HOSTS.items() if pid not in pinned.values()}
        bare: dict[int, str] = {}
        for code in sorted(pinned) + [c for c in sorted(names) if c not in pinned]:
            division, rest = _strip_division(names[code])
            label = pinned[code] if code in pinned else _label(rest) or _label(names[code])
            host = f"{label}.{plabel}.gov.vn"
            if host in taken:
                host = f"{_label(division)}{label}.{plabel}.gov.vn"
            number = 2
            while host in taken:
                host, number = f"{_label(division)}{label}{number}.{plabel}.gov.vn", number + 1
            taken.add(host)
            bare[code] = host
        by_code = {int(w.code): w for w in wards}
        units = {}
        for code, name in names.items():
            kind = kinds[code]
            host: str | None = bare[code]
            if kind == "absent":
                host = None
            elif kind == "vnpt-www":
                host = "www." + host
            elif kind == "vnpt-hyphenated":
                host = f"{self._hyphenated(by_code[code], name)}.{plabel}.gov.vn"
                if host in taken:
                    host = f"{_label(_strip_division(name)[0])}-{host}"
                taken.add(host)
            units[f"{code:05d}"] = _Unit(code, name, province, title, kind, host)
        return units

    def _hyphenated(self, ward, name: str) -> str:
        """"cam-tu" (the name's words) or "hungtan-hungnguyen" (two of its legacy wards), by a stable draw."""
        division, rest = _strip_division(name)
        words = [_label(word) for word in rest.split() if _label(word)]
        if _draw(self.seed, int(ward.code), "hyphen") % 2:
            parts: list[str] = []
            for source in ward.get_legacy_sources():
                prefix, legacy = _strip_division(_name(source.name), LEGACY_PREFIXES)
                part = _label(legacy)
                part = _label(prefix) + part if part.isdigit() else part
                if part and part not in parts:
                    parts.append(part)
            if len(parts) >= 2:
                return "-".join(parts[:2])
        if len(words) >= 2:
            return "-".join(words)
        return f"{_label(division)}-{''.join(words)}"

    # Truth ---------------------------------------------------------------------------------------
    @property
    def truth(self) -> dict[str, UnitTruth]:
        """admin code ("15148") -> UnitTruth, for every unit of the nation."""
        return {code: UnitTruth(code, u.name, u.province, u.kind, u.host, EXPECTED[u.kind], PLATFORMS.get(u.kind))
                for code, u in self._plan().items()}

    def served_hosts(self) -> list[str]:
        """Every host the proxy answers for (down and error ones included), the media host too."""
        self._plan()
        return list(self._hosts)

    # Sites ---------------------------------------------------------------------------------------
    def _resolve(self, host: str) -> Route | None:
        self._plan()
        entry = self._hosts.get(host)
        if entry is None:
            return None
        kind, key = entry
        if kind == "unit":
            unit_kind = self._units[key].kind
            if unit_kind == "down":
                return DOWN
            if unit_kind == "error":
                return Route("error", error_status=500 if _draw(self.seed, self._units[key].code, "error") % 4 == 0 else 503)
        return Route.site(self.site(host))

    def site(self, host: str) -> Site:
        """The site served under `host`, built (and bound to https://host) on first use."""
        with self._lock:
            if host in self._sites:
                return self._sites[host]
            self._plan()
            entry = self._hosts.get(host)
            if entry is None:
                raise KeyError(f"no site under {host!r}")
            kind, key = entry
            if kind == "media":
                site: Site = _MediaSite()
            elif kind == "fleet":
                site = fleet_server._BUILDERS[key](key, self.seed, self.articles_per_portal)
            else:
                site = self._build_unit(self._units[key])
                if site is None:
                    raise KeyError(f"{host!r} answers with no site ({self._units[key].kind})")
            site.bind(f"https://{host}", MEDIA_URL)
            self._sites[host] = site
            self.sites_built += 1
            return site

    def _build_unit(self, unit: _Unit) -> Site | None:
        count = self.articles_per_site
        if unit.kind.startswith("vnpt"):
            commune = vnpt.unit_commune(unit.key, unit.name, unit.province_title, unit.code, self.seed, unit.host)
            return vnpt.make_site(unit.key, self.seed, count, commune=commune)
        if unit.kind == "generic":
            family = FAMILIES[_draw(self.seed, unit.code, "family") % len(FAMILIES)]
            commune = unit_commune(unit.key, unit.name, unit.province, self.seed, family,
                                   vnpt_credit=_draw(self.seed, unit.code, "credit") % 3 == 2,
                                   province_place=unit.province_place)
            return make_variant_for(commune, self.seed, count)
        if unit.kind == "empty":
            rng = story_rng(self.seed, unit.key, "empty")
            street = (f"Số {rng.randint(1, 99)} đường {rng.choice(('Lê Lợi', 'Trần Phú', 'Nguyễn Trãi', 'Quang Trung'))}"
                      if unit.name.startswith("Phường") else f"Thôn {rng.choice(('Trung Tâm', 'Đồng Tâm', 'Tân Lập'))}")
            return EmptyPortalSite(unit.key, unit.name, unit.province, unit.province_place, street,
                                   _label(_strip_division(unit.name)[1]))
        if unit.kind == "no-dates":
            return NoDatesSite(unit.key, unit.name, unit.province, unit.province_place, self.seed, count)
        return None

    def articles(self, host: str) -> list[Article]:
        """The published articles of the site under `host`, newest first, with their real https URLs."""
        return list(self.site(host).articles)

    def publish(self, host: str, count: int = 1) -> list[Article]:
        """Publish the next `count` articles of the site under `host` (as `Fleet.publish`)."""
        if count < 0:
            raise ValueError("count must not be negative")
        site = self.site(host)
        if not site.can_publish:
            raise ValueError(f"{host!r} publishes no articles")
        return site.publish(count)

    def registry_entries(self) -> list[dict]:
        """Registry entries of the six fleet portals under their real https hosts ([] without fleet_portals)."""
        if not self.fleet_portals:
            return []
        return [self.site(FLEET_HOSTS[pid]).registry_entry() for pid in fleet_server.PORTAL_IDS]

    # Lifecycle -----------------------------------------------------------------------------------
    def start(self) -> Nation:
        self.proxy.start()
        return self

    def stop(self) -> None:
        self.proxy.stop()

    def __enter__(self) -> Nation:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def env(self) -> dict[str, str]:
        return self.proxy.env()


class _MediaSite(Site):
    """storage-vnportal.vnpt.vn: a tiny valid image for any image path (`server.media_page`)."""

    def __init__(self):
        super().__init__(Portal("media", MEDIA_HOST, "", "media", "none", ("/",)), [])

    def route(self, path: str, query: dict[str, list[str]]) -> Page:
        return fleet_server.media_page(path)


def _name(name: str) -> str:
    """"Xã Bắc Sơn" of "xã Bắc Sơn": NFC, the division capitalised."""
    name = " ".join(unicodedata.normalize("NFC", name).split())
    return name[:1].upper() + name[1:]


def serve_nation(provinces: Iterable[str] | None = ("Thanh Hóa",), seed: int = 1, port: int = 0,
                 host: str = "127.0.0.1", articles_per_site: int = 4, fleet_portals: bool = True) -> None:
    """Run a nation in the foreground until SIGINT or SIGTERM: prints the proxy URL and the export lines."""
    nation = Nation(provinces, seed=seed, articles_per_site=articles_per_site, fleet_portals=fleet_portals,
                    host=host, port=port).start()
    try:
        env = nation.env()
        print(f"proxy  {nation.proxy.url}")
        print(f"units  {len(nation.truth)}")
        for name in ("http_proxy", "https_proxy", "no_proxy"):
            print(f"export {name}={env[name]}")
        sys.stdout.flush()
        fleet_server.wait_for_stop_signal()
    finally:
        nation.stop()
