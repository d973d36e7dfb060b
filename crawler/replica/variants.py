"""Commune portals on layouts no selector table knows: the proving ground of the `generic` platform.

`Fleet(variants=N)` adds N commune sites `variant01` ... built from the fleet
seed and their index. Variant k gets the layout family FAMILIES[(k - 1) % 4]
and the k-th commune of a seed-shuffled pool of real-sounding communes and
wards of Thanh Hóa, Nghệ An, Lào Cai and Hà Tĩnh (`variant_commune`); its
stories come from the shared generator (`content.generate_stories`). No
family shares a CSS class name with the known platforms (VNPT, SharePoint,
the two newspapers) nor with the selectors the crawler has for them, and the
families differ from each other in URL scheme, list markup, pager, date line,
caption style and chrome.

A  WordPress-like (Apache/PHP)
    /, /tin-tuc/, /tin-tuc/page/N/      `ul.posts > li > h2.entry-title > a`; pager `.nav-links` with numbers,
                                        current `<span aria-current="page">`, "« Trang trước" / "Trang sau »"
    /{yyyy}/{mm}/{dd}/{slug}/           article: `article.post h1.entry-title`, `<time class="entry-date"
                                        datetime="2025-08-12T09:30:00+07:00">12/08/2025</time>` (minute in the
                                        attribute only), og: tags but no date meta, `.entry-content` opening with
                                        the lead in <strong>, `<figure><img><figcaption>`, author right-aligned
                                        bold last; share bar, prev/next post links, reader comments (with
                                        their own <time>) and a comment form after the article
    /?p={id} (shortlink, 301), /?s=..., /tag/{slug}/, /gioi-thieu/, /lien-he/, /thu-tuc-hanh-chinh/
B  Joomla 1.5-like, table layout (Apache/PHP, XHTML doctype)
    /, /index.php                       home: latest five in `.blog-featured .items-row`
    /index.php/tin-tuc?start=10         `.blog .items-row h2 a`, 10 a page; pager `.list-footer` with
                                        "Đầu", "Trước", numbers, "Trang sau", "Cuối"
    /index.php/tin-tuc/{id}-{slug}.html article: `table.contentpaneopen h2.contentheading`, `td.createdate`
                                        "Ngày đăng: 12/08/2025 09:30", `.article-content` (lead in
                                        `.introtext`), captions as centred <em> paragraphs after the image,
                                        hits; NO date meta, a site-wide meta description
    /index.php/{gioi-thieu|lien-he|thu-tuc-hanh-chinh}
C  Bootstrap cards (nginx)
    /, /tin-tuc?p=N                     `.card` with `a.stretched-link`, 9 a page; pager `.trang-so`:
                                        current `<span>`, numbers, "Tiếp »"
    /tin-tuc/{slug}-{id}.html           article: `h1.display-title`, date line "Cập nhật lúc 09:30 ngày
                                        12-08-2025" or "Thứ ba, 12/08/2025 09:30" (trait date-updated /
                                        date-weekday), JSON-LD NewsArticle (datePublished to the minute,
                                        author), `p.lead`, body `.noi-dung` with `<figure class="figure">`
    /tim-kiem?q=..., /gioi-thieu, /lien-he, /van-ban
D  old ASP.NET portal (IIS, HTML 4 quirks mode, whole page inside <form>)
    /, /Default.aspx, ?tabid=36         home
    /Default.aspx?tabid=55&CurrentPage=N   `div.tin > a.tieude` + "(12/08/2025)", 8 a page; pager numbers
                                        only, the current one `<b>N</b>`
    /Default.aspx?tabid=55&ItemID={id}  article: `span.TieuDe` then "(12/08/2025)" (date only: the truth is
                                        midnight), `.TomTat` lead, body `div.NoiDung`, captions in a table
                                        under the image, `<meta name="description">` = the lead; no <h1>
    ?tabid=56|57|58 (static pages share the URL shape of articles); paths and parameters case-insensitive

Every page: banner and <title> with the commune's name, menus, "Tin nổi bật"
and "Tin mới nhất" lists linking other articles, "Thống kê truy cập", footer
"CƠ QUAN CHỦ QUẢN: UBND {name}" / "Địa chỉ: ..." (variants 2, 5, 8, ... also
"Website được thiết kế bởi VNPT"), a "100%" font-size control on articles;
robots.txt; images on the media server under /{commune}/... . Truth: an
Article per story, traits {"variant", "family-X"}; `published_at` is what
the page states, to the minute (family D: the day).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from html import escape
from typing import Callable, Sequence
from urllib.parse import quote

from crawler.replica.content import (
    WEEKDAYS, Article, Page, Portal, Site, Story, Voice, fresh_story, generate_stories, local, publish, rising_ids,
    slugify, story_rng,
)
from crawler.replica.markup import HTML5_SHELL, Row, Shell, counter_items, document, link_items, paginate, paragraphs

FAMILIES = ("A", "B", "C", "D")
FAMILY_STYLES = {"A": "WordPress-like", "B": "Joomla-like, table layout", "C": "Bootstrap cards",
                 "D": "old ASP.NET portal"}
WINDOW = (local(2025, 7, 1, 7), local(2026, 2, 25, 18))
CATEGORY_KEY = "tin-tuc"

# Communes and wards (post-2025 names) of four provinces; none of the known portals' places.
COMMUNE_POOL: dict[str, tuple[str, ...]] = {
    "Thanh Hóa": (
        "Xã Hoằng Tiến", "Xã Hoằng Hóa", "Xã Hậu Lộc", "Xã Nga Sơn", "Xã Hà Trung", "Xã Vĩnh Lộc", "Xã Thiệu Hóa",
        "Xã Yên Định", "Xã Thọ Xuân", "Xã Ngọc Lặc", "Xã Thạch Thành", "Xã Triệu Sơn", "Xã Như Thanh",
        "Xã Thường Xuân", "Xã Lang Chánh", "Xã Bá Thước", "Xã Quan Sơn", "Xã Na Mèo", "Xã Trung Lý", "Xã Pù Nhi",
        "Xã Xuân Du", "Xã Tiên Trang", "Xã Vạn Lộc", "Phường Sầm Sơn", "Phường Nam Sầm Sơn", "Phường Bỉm Sơn",
        "Phường Quang Trung", "Phường Đông Quang", "Phường Nghi Sơn",
    ),
    "Nghệ An": (
        "Xã Anh Sơn", "Xã Con Cuông", "Xã Tương Dương", "Xã Kỳ Sơn", "Xã Quế Phong", "Xã Quỳ Châu", "Xã Quỳ Hợp",
        "Xã Nghĩa Đàn", "Xã Tân Kỳ", "Xã Đô Lương", "Xã Yên Thành", "Xã Diễn Châu", "Xã Quỳnh Lưu", "Xã Nghi Lộc",
        "Xã Nam Đàn", "Xã Hưng Nguyên", "Xã Thanh Chương", "Xã Mường Xén", "Xã Châu Khê", "Xã Hữu Kiệm",
        "Phường Trường Vinh", "Phường Thành Vinh", "Phường Cửa Lò", "Phường Hoàng Mai", "Phường Thái Hòa",
    ),
    "Lào Cai": (
        "Xã Bát Xát", "Xã Bảo Thắng", "Xã Bảo Yên", "Xã Bắc Hà", "Xã Mường Khương", "Xã Si Ma Cai", "Xã Văn Bàn",
        "Xã Quy Mông", "Xã Trạm Tấu", "Xã Lục Yên", "Xã Văn Chấn", "Xã Trấn Yên", "Xã Yên Bình", "Xã Phong Hải",
        "Xã Tả Van", "Xã Bản Hồ", "Xã Y Tý", "Xã Cốc San", "Xã Khánh Yên", "Xã Phúc Khánh", "Phường Sa Pa",
        "Phường Cam Đường", "Phường Lào Cai", "Phường Yên Bái", "Phường Nghĩa Lộ",
    ),
    "Hà Tĩnh": (
        "Xã Cẩm Xuyên", "Xã Kỳ Anh", "Xã Hương Khê", "Xã Hương Sơn", "Xã Vũ Quang", "Xã Đức Thọ", "Xã Can Lộc",
        "Xã Thạch Hà", "Xã Nghi Xuân", "Xã Lộc Hà", "Xã Đồng Lộc", "Xã Tùng Lộc", "Xã Cẩm Bình", "Xã Kỳ Xuân",
        "Xã Sơn Kim", "Xã Hương Đô", "Xã Thiên Cầm", "Xã Đức Minh", "Xã Mai Phụ", "Xã Sơn Tây", "Phường Thành Sen",
        "Phường Trần Phú", "Phường Hồng Lĩnh", "Phường Sông Trí", "Phường Hoành Sơn",
    ),
}
AREA_CODES = {"Thanh Hóa": "0237", "Nghệ An": "0238", "Lào Cai": "0214", "Hà Tĩnh": "0239"}
VILLAGES = ("Trung Tâm", "Đồng Tâm", "Tân Lập", "Hợp Thành", "Quyết Thắng", "Xuân Sơn", "Làng Mới", "Bản Chiềng")
STREETS = ("Lê Lợi", "Trần Phú", "Nguyễn Du", "Quang Trung", "Hai Bà Trưng", "Lê Hồng Phong", "Phan Đình Phùng")
AUTHORS = ("Hà Linh", "Thu Trang", "Minh Quân", "Lê Hương", "Ngọc Ánh", "Trần Hùng", "Quang Huy", "Thanh Tâm",
           "Bích Ngọc", "Hồng Nhung", "Văn Long", "Đức Thắng", "Mai Phương", "Tuấn Anh")
COMMENTS = ("Thông tin rất hữu ích, cảm ơn Ban biên tập.", "Mong trang tiếp tục cập nhật tin tức thường xuyên.",
            "Bài viết ý nghĩa, bà con trong thôn đều quan tâm.", "Đề nghị đăng thêm lịch tiếp công dân của xã.")
COMMENTERS = ("Nguyễn Văn Hòa", "Lê Thị Mai", "Người dân", "Trần Văn Bình")
CREDITS = {"A": "Vận hành trên nền tảng WordPress", "B": "Thiết kế bởi Trung tâm Công nghệ thông tin và Truyền thông",
           "C": "Phát triển bởi Công ty CP Giải pháp số Miền Trung",
           "D": "Thiết kế và phát triển: Công ty TNHH Tin học Ánh Dương"}
VNPT_CREDIT = "Website được thiết kế bởi VNPT"
FONT_LABEL = "100%"


def _pool() -> list[tuple[str, str]]:
    return [(province, name) for province, names in COMMUNE_POOL.items() for name in names]


MAX_VARIANTS = len(_pool())


@lru_cache(maxsize=8)
def _shuffled(seed: int) -> tuple[tuple[str, str], ...]:
    """The commune pool in the order the fleet seed deals it out (variant k takes entry k-1)."""
    pool = _pool()
    random.Random(f"{seed}:variants:communes").shuffle(pool)
    return tuple(pool)


def variant_id(index: int) -> str:
    return f"variant{index:02d}"


@dataclass(frozen=True)
class Commune:
    """A variant commune: identity, voice and the chrome facts of its pages."""

    id: str
    index: int
    family: str
    name: str                     # "Xã Hoằng Tiến", "Phường Sa Pa"
    province: str
    address: str
    phone: str
    email: str
    counter: tuple[str, ...]      # online, today, this week, total
    vnpt_credit: bool
    voice: Voice

    @property
    def place(self) -> str:       # "xã Hoằng Tiến"
        return _place(self.name)

    @property
    def storage(self) -> str:     # the commune's media folder: "hoangtien"
        return _storage(self.name)

    def info(self) -> dict:
        return {"name": self.name, "province": self.province, "family": self.family}

    def footer(self) -> tuple[str, ...]:
        return (f"CƠ QUAN CHỦ QUẢN: UBND {self.name}", f"Địa chỉ: {self.address}",
                f"Điện thoại: {self.phone} - Email: {self.email}",
                f"Chịu trách nhiệm nội dung: Chủ tịch UBND {self.name}",
                f"Ghi rõ nguồn \"Cổng thông tin điện tử {self.name}\" khi phát hành lại thông tin từ website này.")

    def credit(self) -> str:
        return VNPT_CREDIT if self.vnpt_credit else CREDITS[self.family]


def _place(name: str) -> str:
    kind, _, rest = name.partition(" ")
    return f"{kind.lower()} {rest}"


def _storage(name: str) -> str:
    return slugify(name.partition(" ")[2]).replace("-", "")


def variant_commune(index: int, seed: int) -> Commune:
    """Variant `index` (1-based) of the fleet with `seed`: the same whatever the fleet's size."""
    if not 1 <= index <= MAX_VARIANTS:
        raise ValueError(f"a fleet has at most {MAX_VARIANTS} variants")
    province, name = _shuffled(seed)[index - 1]
    vid = variant_id(index)
    return _commune(vid, index, FAMILIES[(index - 1) % len(FAMILIES)], name, province, seed, index % 3 == 2)


def _commune(vid: str, index: int, family: str, name: str, province: str, seed: int, vnpt_credit: bool,
             province_place: str = "") -> Commune:
    rng = story_rng(seed, vid, "identity")
    place = _place(name)
    province_place = province_place or f"tỉnh {province}"
    if name.startswith("Phường"):
        address = f"Số {rng.randint(1, 120)} đường {rng.choice(STREETS)}, {place}, {province_place}"
    else:
        address = f"Thôn {rng.choice(VILLAGES)}, {place}, {province_place}"
    total = rng.randint(12_000, 380_000)
    counter = (str(rng.randint(2, 40)), str(rng.randint(60, 900)), str(rng.randint(600, 6000)),
               f"{total:,}".replace(",", "."))
    voice = Voice(place, (f"{name}: ", "", "", ""),
                  tuple(f"{body} {place}" for body in ("Đảng uỷ", "UBND", "HĐND", "Ủy ban MTTQ")),
                  (*rng.sample(AUTHORS, 3), f"Văn phòng HĐND-UBND {place}"))
    return Commune(id=vid, index=index, family=family, name=name, province=province,
                   address=address, phone=f"{area_code(province)} {rng.randint(3_500_000, 3_899_999)}",
                   email=f"ubnd.{_storage(name)}@{slugify(province).replace('-', '')}.gov.vn", counter=counter,
                   vnpt_credit=vnpt_credit, voice=voice)


def area_code(province: str) -> str:
    """The telephone area code of `province`: the real one for the four pool provinces, else a stable 02xx."""
    if province in AREA_CODES:
        return AREA_CODES[province]
    return f"02{sum(map(ord, slugify(province))) % 90 + 10:02d}"


def unit_commune(key: str, name: str, province: str, seed: int, family: str, vnpt_credit: bool = False,
                 province_place: str = "") -> Commune:
    """A commune of any name and province ("Xã Cẩm Tú", "Thanh Hóa") on layout family `family` (A-D), for
    sites outside the fleet's pool (`crawler.replica.nation`); `key` is its site id (stories are drawn from
    (seed, key)), `province_place` how addresses name the province ("thành phố Hà Nội"; default "tỉnh ...")."""
    if family not in FAMILIES:
        raise ValueError(f"unknown layout family {family!r}; families: {', '.join(FAMILIES)}")
    return _commune(key, 0, family, name, province, seed, vnpt_credit, province_place)


def make_variant(index: int, seed: int, count: int) -> VariantSite:
    """The site of variant `index`: `count` stories published the way its family publishes them."""
    return make_variant_for(variant_commune(index, seed), seed, count)


def make_variant_for(commune: Commune, seed: int, count: int) -> VariantSite:
    """The site of `commune` (`variant_commune` or `unit_commune`): `count` stories of its family."""
    cls = FAMILY_SITES[commune.family]
    stories = generate_stories(seed, commune.id, count, commune.voice, [CATEGORY_KEY], *WINDOW)
    rng = story_rng(seed, commune.id, "publish")
    taken: set[str] = set()
    articles = [_publish(cls, commune, story, number, rng, taken)
                for story, number in zip(stories, rising_ids(rng, count, *cls.id_range))]
    site = cls(commune, articles, story_rng(seed, commune.id, "chrome"))
    site.seed = seed
    return site


def _publish(cls: type[VariantSite], commune: Commune, story: Story, number: int, rng: random.Random,
             taken: set[str]) -> Article:
    """`story` as a site of family `cls` publishes it with id `number`; its path is added to `taken`."""
    path = cls.article_path(story, number)
    suffix = 2
    while path in taken:  # two titles cut to one slug on one day: the CMS numbers the second
        path = cls.article_path(story, number, suffix)
        suffix += 1
    taken.add(path)
    images = tuple((cls.image_path(commune, story, number, k, rng), caption)
                   for k, caption in enumerate(story.captions))
    shown, traits = cls.shown(story, rng)
    return publish(story, number, cls.category_name, path, images, published_at=shown,
                   traits=frozenset({"variant", f"family-{commune.family}", *traits}))


# --------------------------------------------------------------------------------------------
# Shared pieces
# --------------------------------------------------------------------------------------------

def _dmy(when: datetime, sep: str = "/") -> str:
    return f"{when.day:02d}{sep}{when.month:02d}{sep}{when.year}"


def _weekday(when: datetime) -> str:
    name = WEEKDAYS[when.weekday()]
    return name[:4] + name[4:].lower()  # "Thứ ba", "Chủ nhật"


def _words(text: str, count: int) -> str:
    words = text.split()
    return text if len(words) <= count else " ".join(words[:count]) + " […]"


def _stem(src: str) -> str:
    return src.rsplit("/", 1)[-1].rsplit(".", 1)[0]


class VariantSite(Site):
    """A variant commune portal; a family subclass gives URLs, publication rules and templates."""

    family = ""
    page_size = 10
    category_name = "Tin tức"
    id_range = (100, 9999)
    categories = {CATEGORY_KEY: "Tin tức"}
    robots_lines: tuple[str, ...] = ("User-agent: *", "Disallow: /admin/")

    def __init__(self, commune: Commune, articles: list[Article], rng: random.Random):
        super().__init__(Portal(commune.id, commune.name, commune.province, "commune", "generic", ("/",)), articles)
        self.commune = commune
        # Per-article chrome facts drawn once: hits, comment counts.
        self.hits = {a.id: rng.randint(40, 2500) for a in articles}
        self.comments = {a.id: rng.choice((0, 0, 0, 1, 2)) for a in articles}

    def fresh_article(self, index: int, after: datetime, taken: set[str], last_id: int) -> Article:
        """A new post of the commune: a few ids above the last one, read a little and not commented yet."""
        story, rng = fresh_story(self.seed, self.commune.id, index, self.commune.voice, CATEGORY_KEY, after, taken)
        paths = {a.path for a in self._unbound + self._fresh_unbound}
        article = _publish(type(self), self.commune, story, last_id + rng.randint(1, 9), rng, paths)
        self.hits[article.id], self.comments[article.id] = rng.randint(5, 60), 0
        return article

    # Publication rules (class level: used before the site exists) ---------------------------------
    @staticmethod
    def article_path(story: Story, number: int, suffix: int = 0) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    @staticmethod
    def image_path(commune: Commune, story: Story, number: int, k: int, rng: random.Random) -> str:  # pragma: no cover
        raise NotImplementedError

    @staticmethod
    def shown(story: Story, rng: random.Random) -> tuple[datetime, tuple[str, ...]]:
        """What the article page states of the time (to the minute here) and the traits that go with it."""
        return story.published_at.replace(second=0), ()

    # Routing --------------------------------------------------------------------------------------
    def route(self, path: str, query: dict[str, list[str]]) -> Page:
        if path == "/robots.txt":
            return Page("\n".join(self.robots_lines) + "\n", content_type="text/plain; charset=utf-8")
        page = self.dispatch(path, query)
        return page if page is not None else self.not_found()

    def dispatch(self, path: str, query: dict[str, list[str]]) -> Page | None:  # pragma: no cover - abstract
        raise NotImplementedError

    # Chrome data ----------------------------------------------------------------------------------
    def latest(self, count: int = 5) -> list[Article]:
        return self.articles[:count]

    def featured(self, count: int = 5) -> list[Article]:
        return [a for index, a in enumerate(self.articles) if index % 3 == 1][:count]

    def older(self, article: Article, count: int) -> list[Article]:
        """The `count` articles listed after `article` (wrapping round to the newest)."""
        index = self.articles.index(article)
        rest = self.articles[index + 1:] + self.articles[:index]
        return rest[:count]

    def neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
        """(older, newer) of `article`."""
        index = self.articles.index(article)
        older = self.articles[index + 1] if index + 1 < len(self.articles) else None
        newer = self.articles[index - 1] if index > 0 else None
        return older, newer

    def media(self, path: str) -> str:
        return f"{self.media_url}/{self.commune.storage}{path}"

    def body_blocks(self, article: Article, paragraph: Callable[[str], str],
                    image: Callable[[str, str | None, int], str]) -> list[str]:
        out = []
        for block in article.layout():
            if block.kind == "img":
                src, caption = article.images[block.image]
                out.append(image(src, caption, block.image))
            elif block.kind in ("p", "h2"):
                out.append(paragraph(block.text))
        return out

    def search(self, words: str) -> list[Article]:
        needle = words.strip().lower()
        return [a for a in self.articles if needle and needle in a.title.lower()]

    def static_text(self, key: str) -> str:
        c = self.commune
        return {
            "gioi-thieu": f"{c.name} thuộc tỉnh {c.province}, được thành lập trên cơ sở sắp xếp các đơn vị hành "
                          f"chính cấp xã theo mô hình chính quyền địa phương 2 cấp. Trang thông tin điện tử {c.name} "
                          "cung cấp thông tin về hoạt động chỉ đạo, điều hành của chính quyền và các thủ tục hành chính.",
            "lien-he": f"UBND {c.name}. {c.address}. Điện thoại: {c.phone}. Email: {c.email}.",
            "thu-tuc": "Thủ tục đăng ký khai sinh; Thủ tục đăng ký kết hôn; Thủ tục chứng thực bản sao từ bản chính; "
                       "Thủ tục xác nhận tình trạng hôn nhân; Thủ tục đăng ký thường trú.",
        }[key]


# --------------------------------------------------------------------------------------------
# Family A: WordPress-like
# --------------------------------------------------------------------------------------------

class WordPressSite(VariantSite):
    family = "A"
    page_size = 6
    id_range = (120, 3400)
    server_header = "Apache/2.4.58 (Ubuntu)"
    validators = frozenset({"etag", "last-modified"})  # a page-cache plugin sends both
    extra_headers = (("X-Powered-By", "PHP/8.1.2"),)
    robots_lines = ("User-agent: *", "Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php")
    LIST = re.compile(r"^/tin-tuc/(?:page/(\d+)/)?$")
    TAG = re.compile(r"^/tag/([a-z0-9-]+)/$")
    STATIC = {"/gioi-thieu/": ("Giới thiệu", "gioi-thieu"), "/lien-he/": ("Liên hệ", "lien-he"),
              "/thu-tuc-hanh-chinh/": ("Thủ tục hành chính", "thu-tuc")}

    @staticmethod
    def article_path(story: Story, number: int, suffix: int = 0) -> str:
        slug = slugify(story.title, 75) + (f"-{suffix}" if suffix else "")
        return f"/{story.published_at:%Y/%m/%d}/{slug}/"

    @staticmethod
    def image_path(commune: Commune, story: Story, number: int, k: int, rng: random.Random) -> str:
        when = story.published_at
        name = f"z{rng.randrange(10**12, 10**13)}_{''.join(rng.choices('0123456789abcdef', k=16))}.jpg"
        return f"/{commune.storage}/wp-content/uploads/{when:%Y}/{when:%m}/{name}"

    def dispatch(self, path: str, query: dict[str, list[str]]) -> Page | None:
        if path == "/" and "p" in query:  # the shortlink
            article = next((a for a in self.articles if str(a.id) == query["p"][0]), None)
            return self.redirect(article.path) if article else None
        if path == "/" and "s" in query:
            found = self.search(query["s"][0])
            return Page(self.list_page(f"Kết quả tìm kiếm: {query['s'][0]}", found, 1, 1, "/tin-tuc/"))
        if path == "/":
            return Page(self.home())
        if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
            return self.redirect(path + "/")  # WordPress's canonical trailing slash
        if match := self.LIST.match(path):
            number = int(match.group(1) or 1)
            if match.group(1) == "1":
                return self.redirect("/tin-tuc/")
            shown, pages = paginate(self.articles, number, self.page_size)
            if number > pages:
                return None
            return Page(self.list_page("Chuyên mục: Tin tức", shown, number, pages, "/tin-tuc/"))
        if match := self.TAG.match(path):
            tagged = [a for a in self.articles if match.group(1) in {slugify(t) for t in a.tags}]
            if not tagged:
                return None
            tag = next(t for t in tagged[0].tags if slugify(t) == match.group(1))
            return Page(self.list_page(f"Thẻ: {tag}", tagged, 1, 1, path))
        if path in self.STATIC:
            title, key = self.STATIC[path]
            main = (f'<article class="page type-page"><header class="entry-header"><h1 class="entry-title">'
                    f'{escape(title)}</h1></header><div class="entry-content"><p>{escape(self.static_text(key))}</p>'
                    f'</div></article>')
            return Page(self.layout(title, main))
        article = self.by_path.get(path)
        return Page(self.article_page(article), is_article=True, article=article) if article else None

    # Pages -----------------------------------------------------------------------------------------
    def post_row(self, a: Article) -> str:
        thumb = (f'<a class="entry-thumb" href="{a.path}" aria-hidden="true"><img width="300" height="200" '
                 f'src="{a.images[0][0]}" alt="" loading="lazy"></a>') if a.images else ""
        return (f'<li class="post-row">{thumb}<h2 class="entry-title"><a href="{a.path}" rel="bookmark">'
                f'{escape(a.title)}</a></h2><div class="entry-meta"><time class="entry-date" '
                f'datetime="{a.published_at.isoformat()}">{_dmy(a.published_at)}</time></div>'
                f'<div class="entry-summary"><p>{escape(_words(a.summary, 30))}</p></div>'
                f'<a class="more-link" href="{a.path}">Đọc tiếp<span class="screen-reader-text"> '
                f'“{escape(a.title)}”</span></a></li>')

    def home(self) -> str:
        rows = "".join(self.post_row(a) for a in self.articles[:self.page_size])
        main = (f'<section class="home-posts"><h2 class="section-heading">Tin tức - Sự kiện</h2>'
                f'<ul class="posts">{rows}</ul><p class="see-all"><a href="/tin-tuc/">Xem tất cả tin tức »</a></p>'
                f'</section><section class="home-notice"><h2 class="section-heading">Thông báo</h2>'
                f'<p>Lịch tiếp công dân định kỳ của Chủ tịch UBND {escape(self.commune.name)} được niêm yết tại '
                f'Trung tâm Phục vụ hành chính công.</p></section>')
        return self.layout(f"Cổng thông tin điện tử {self.commune.name}", main, home=True)

    def list_page(self, heading: str, shown: Sequence[Article], page: int, pages: int, base: str) -> str:
        rows = "".join(self.post_row(a) for a in shown) or '<li class="no-results">Không tìm thấy bài viết nào.</li>'

        def href(n: int) -> str:
            return base if n == 1 else f"{base}page/{n}/"

        links = []
        if page > 1:
            links.append(f'<a class="prev-link page-numbers" href="{href(page - 1)}">« Trang trước</a>')
        for n in range(1, pages + 1):
            links.append(f'<span aria-current="page" class="page-numbers is-current">{n}</span>' if n == page
                         else f'<a class="page-numbers" href="{href(n)}">{n}</a>')
        if page < pages:
            links.append(f'<a class="next-link page-numbers" href="{href(page + 1)}">Trang sau »</a>')
        nav = (f'<nav class="navigation posts-navigation" aria-label="Phân trang"><h2 class="screen-reader-text">'
               f'Điều hướng bài viết</h2><div class="nav-links">{" ".join(links)}</div></nav>') if pages > 1 else ""
        main = (f'<header class="page-header"><h1 class="page-title">{escape(heading)}</h1></header>'
                f'<ul class="posts">{rows}</ul>{nav}')
        title = heading.partition(": ")[2] or heading
        return self.layout(title + (f" – Trang {page}" if page > 1 else ""), main)

    def article_page(self, a: Article) -> str:
        def figure(src: str, caption: str | None, k: int) -> str:
            cap = f'<figcaption class="wp-element-caption">{escape(caption)}</figcaption>' if caption else ""
            return (f'<figure class="wp-block-image size-large"><img decoding="async" width="800" height="533" '
                    f'src="{src}" alt="" class="wp-image-{a.id + k + 1}">{cap}</figure>')

        body = [f"<p><strong>{escape(a.summary)}</strong></p>",
                *self.body_blocks(a, lambda t: f"<p>{escape(t)}</p>", figure)]
        if a.author:
            body.append(f'<p style="text-align: right;"><strong>{escape(a.author)}</strong></p>')
        tags = ", ".join(f'<a href="/tag/{slugify(t)}/" rel="tag">{escape(t)}</a>' for t in a.tags)
        url = quote(a.url, safe=":/")
        older, newer = self.neighbours(a)
        nav = ""
        if older:
            nav += (f'<div class="nav-previous"><a href="{older.path}" rel="prev"><span class="meta-nav">Bài trước'
                    f'</span> {escape(older.title)}</a></div>')
        if newer:
            nav += (f'<div class="nav-next"><a href="{newer.path}" rel="next"><span class="meta-nav">Bài sau</span> '
                    f'{escape(newer.title)}</a></div>')
        count = self.comments[a.id]
        comments = ""
        for k in range(count):
            when = a.published_at + timedelta(hours=3 + 20 * k, minutes=17 * (k + 1))
            comments += (f'<li class="comment"><div class="comment-body"><b class="fn">'
                         f'{COMMENTERS[(a.id + k) % len(COMMENTERS)]}</b> <span class="says">viết:</span>'
                         f'<div class="comment-meta"><time datetime="{when.isoformat()}">{_dmy(when)} lúc '
                         f'{when:%H:%M}</time></div><p>{COMMENTS[(a.id + k) % len(COMMENTS)]}</p></div></li>')
        comments = f'<ol class="comment-list">{comments}</ol>' if comments else ""
        main = f"""<nav class="crumbs" aria-label="Breadcrumbs"><a href="/">Trang chủ</a> » <a href="/tin-tuc/">Tin tức</a> » <span>{escape(a.title)}</span></nav>
<article id="post-{a.id}" class="post post-{a.id} type-post status-publish hentry category-tin-tuc">
<header class="entry-header"><h1 class="entry-title">{escape(a.title)}</h1>
<div class="entry-meta"><span class="posted-on">Đăng ngày <a href="{a.path}" rel="bookmark"><time class="entry-date published" datetime="{a.published_at.isoformat()}">{_dmy(a.published_at)}</time></a></span> <span class="comments-link"><a href="{a.path}#comments">{count} bình luận</a></span> <span class="text-resize">Cỡ chữ: <a href="#" class="resize-down">A-</a> <span class="resize-value">{FONT_LABEL}</span> <a href="#" class="resize-up">A+</a></span></div>
</header>
<div class="entry-content">
{chr(10).join(body)}
</div>
<footer class="entry-footer"><span class="cat-links">Chuyên mục: <a href="/tin-tuc/" rel="category tag">Tin tức</a></span> <span class="tags-links">Thẻ: {tags}</span></footer>
</article>
<div class="share-bar">Chia sẻ: <a href="https://www.facebook.com/sharer/sharer.php?u={url}" target="_blank" rel="noopener">Facebook</a> <a href="https://zalo.me/share?url={url}" target="_blank" rel="noopener">Zalo</a> <a href="javascript:window.print()">In bài viết</a></div>
<nav class="navigation post-navigation" aria-label="Bài viết"><div class="nav-links">{nav}</div></nav>
<div id="comments" class="comments-area"><h2 class="comments-title">{count} bình luận</h2>{comments}
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Để lại bình luận</h3><form action="/wp-comments-post.php" method="post" id="commentform"><p class="comment-notes">Email của bạn sẽ không được hiển thị công khai.</p><p><label for="comment">Bình luận</label><textarea id="comment" name="comment" rows="6"></textarea></p><p><label for="author">Tên *</label><input id="author" name="author" type="text"></p><p class="form-submit"><input name="submit" type="submit" value="Gửi bình luận"><input type="hidden" name="comment_post_ID" value="{a.id}"></p></form></div></div>"""
        head = (f'<meta name="description" content="{escape(a.summary)}">\n<link rel="canonical" href="{a.url}">\n'
                f'<link rel="shortlink" href="{self.base_url}/?p={a.id}">\n<meta property="og:locale" content="vi_VN">\n'
                f'<meta property="og:type" content="article">\n<meta property="og:title" content="{escape(a.title)}">\n'
                f'<meta property="og:description" content="{escape(a.summary)}">\n<meta property="og:url" content="{a.url}">\n'
                + (f'<meta property="og:image" content="{a.images[0][0]}">\n' if a.images else ""))
        return self.layout(a.title, main, head=head)

    def layout(self, title: str, main: str, head: str = "", home: bool = False) -> str:
        c = self.commune
        menu = "".join(f'<li class="menu-item"><a href="{href}">{label}</a></li>' for href, label in (
            ("/", "Trang chủ"), ("/gioi-thieu/", "Giới thiệu"), ("/tin-tuc/", "Tin tức"),
            ("/thu-tuc-hanh-chinh/", "Thủ tục hành chính"), ("/lien-he/", "Liên hệ")))
        recent = link_items(Row(a.path, a.title, f' <span class="rp-date">{_dmy(a.published_at)}</span>')
                            for a in self.latest())
        hot = link_items(Row(a.path, a.title) for a in self.featured())
        full_title = title if home else f"{title} – Cổng thông tin điện tử {c.name}"
        body = f"""<div id="page" class="site-wrap">
<a class="skip-link screen-reader-text" href="#main">Chuyển đến nội dung</a>
<header id="masthead" class="site-top">
<div class="site-branding"><a href="/" rel="home"><img class="brand-banner" src="{self.media('/wp-content/uploads/2025/07/banner-cong-ttdt.png')}" alt="Cổng thông tin điện tử {escape(c.name)}"></a>
<p class="site-title"><a href="/" rel="home">{escape(c.name.upper())}</a></p><p class="site-description">Cổng thông tin điện tử {escape(c.name)} - tỉnh {escape(c.province)}</p></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="nav-menu">{menu}</ul></nav>
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area"><main id="main" class="site-main">
{main}
</main></div>
<aside id="secondary" class="widget-area">
<section class="widget widget_search"><form role="search" method="get" class="search-form" action="/"><label><span class="screen-reader-text">Tìm kiếm:</span><input type="search" class="search-field" placeholder="Tìm kiếm …" name="s"></label><input type="submit" class="search-submit" value="Tìm"></form></section>
<section class="widget widget_recent_entries"><h2 class="widget-title">Tin mới nhất</h2><ul>{recent}</ul></section>
<section class="widget widget_featured"><h2 class="widget-title">Tin nổi bật</h2><ul>{hot}</ul></section>
<section class="widget widget_visitors"><h2 class="widget-title">Thống kê truy cập</h2><ul>{counter_items(c.counter)}</ul></section>
</aside>
</div>
<footer id="colophon" class="site-bottom"><div class="footer-widgets">{paragraphs(c.footer())}</div>
<div class="site-info">{escape(c.credit())}</div></footer>
</div>
<script src="/wp-includes/js/jquery/jquery.min.js"></script>
"""
        head = f'<meta name="generator" content="WordPress 6.4.3">\n{head}'
        return document(full_title, body, head)


# --------------------------------------------------------------------------------------------
# Family B: Joomla-like, table layout
# --------------------------------------------------------------------------------------------

JOOMLA_SHELL = Shell(
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    'xmlns="http://www.w3.org/1999/xhtml" xml:lang="vi-vn" lang="vi-vn" dir="ltr"',
    ('<meta http-equiv="content-type" content="text/html; charset=utf-8" />',),
)


class JoomlaSite(VariantSite):
    family = "B"
    page_size = 10
    id_range = (150, 2400)
    category_name = "Tin tức - Sự kiện"
    categories = {CATEGORY_KEY: "Tin tức - Sự kiện"}
    server_header = "Apache"
    validators = frozenset()  # Joomla 1.5 sends no validators at all
    extra_headers = (("X-Powered-By", "PHP/5.6.40"),)
    robots_lines = ("User-agent: *", "Disallow: /administrator/", "Disallow: /cache/", "Disallow: /components/",
                    "Disallow: /includes/", "Disallow: /language/", "Disallow: /libraries/", "Disallow: /modules/",
                    "Disallow: /plugins/", "Disallow: /tmp/")
    ARTICLE = re.compile(r"^/index\.php/tin-tuc/(\d+)-([a-z0-9-]+)\.html$")
    STATIC = {"gioi-thieu": ("Giới thiệu", "gioi-thieu"), "lien-he": ("Liên hệ", "lien-he"),
              "thu-tuc-hanh-chinh": ("Thủ tục hành chính", "thu-tuc")}

    @staticmethod
    def article_path(story: Story, number: int, suffix: int = 0) -> str:
        return f"/index.php/tin-tuc/{number}-{slugify(story.title, 80)}.html"

    @staticmethod
    def image_path(commune: Commune, story: Story, number: int, k: int, rng: random.Random) -> str:
        return f"/{commune.storage}/images/tintuc/{story.published_at:%Y}/thang{story.published_at.month}/anh{number}_{k + 1}.jpg"

    def dispatch(self, path: str, query: dict[str, list[str]]) -> Page | None:
        if path in ("/", "/index.php"):
            return Page(self.home())
        if path == "/index.php/tin-tuc":
            start = (query.get("start") or ["0"])[0]
            number = int(start) // self.page_size + 1 if start.isdigit() else 1
            return Page(self.list_page(number))
        if match := self.ARTICLE.match(path):
            article = self.by_id.get(int(match.group(1)))
            if article is None:
                return None
            if article.path != path:
                return self.redirect(article.path)
            return Page(self.article_page(article), is_article=True, article=article)
        key = path.removeprefix("/index.php/")
        if key in self.STATIC:
            title, text_key = self.STATIC[key]
            main = (f'<table class="contentpaneopen"><tr><td><h2 class="contentheading">{escape(title)}</h2></td></tr>'
                    f'<tr><td valign="top"><p>{escape(self.static_text(text_key))}</p></td></tr></table>')
            return Page(self.layout(title, main))
        return None

    def date_line(self, a: Article) -> str:
        return f"Ngày đăng: {_dmy(a.published_at)} {a.published_at:%H:%M}"

    def item(self, a: Article, row: int) -> str:
        thumb = (f'<img src="{a.images[0][0]}" alt="{_stem(a.images[0][0])}" width="150" height="100" align="left" '
                 f'border="0" hspace="6" />') if a.images else ""
        return (f'<div class="items-row cols-1 row-{row}"><div class="item column-1"><h2><a href="{a.path}">'
                f'{escape(a.title)}</a></h2><div class="createdate">{self.date_line(a)}</div><p>{thumb}'
                f'{escape(a.summary)}</p><p class="readmore"><a href="{a.path}">Xem tiếp...</a></p></div>'
                f'<span class="row-separator"></span></div>')

    def home(self) -> str:
        items = "".join(self.item(a, i) for i, a in enumerate(self.articles[:5]))
        main = (f'<div class="blog-featured"><div class="componentheading">Tin tức - Sự kiện</div>{items}'
                f'<p class="xem-them"><a href="/index.php/tin-tuc">Xem thêm tin khác</a></p></div>')
        return self.layout("Trang chủ", main)

    def list_page(self, page: int) -> str:
        shown, pages = paginate(self.articles, page, self.page_size)
        items = "".join(self.item(a, i) for i, a in enumerate(shown)) or "<p>Không có bài viết nào.</p>"

        def href(n: int) -> str:
            return "/index.php/tin-tuc" + (f"?start={(n - 1) * self.page_size}" if n > 1 else "")

        def nav(label: str, n: int, live: bool) -> str:
            return (f'<a title="{label}" href="{href(n)}" class="pagenav">{label}</a>' if live
                    else f'<span class="pagenav">{label}</span>')

        links = [nav("Đầu", 1, page > 1), nav("Trước", page - 1, page > 1)]
        links += [f'<strong><span class="pagenav">{n}</span></strong>' if n == page else nav(str(n), n, True)
                  for n in range(1, pages + 1)]
        links += [nav("Trang sau", page + 1, page < pages), nav("Cuối", pages, page < pages)]
        main = (f'<div class="blog"><div class="componentheading">Tin tức - Sự kiện</div>{items}'
                f'<div class="list-footer">{" ".join(links)}<div class="page-of">Trang {min(page, pages)} của {pages}'
                f'</div></div></div>')
        return self.layout("Tin tức - Sự kiện", main)

    def article_page(self, a: Article) -> str:
        def image(src: str, caption: str | None, k: int) -> str:
            out = (f'<p style="text-align: center;"><img src="{src}" alt="{_stem(src)}" width="600" height="400" '
                   f'border="0" /></p>')
            return out + (f'<p style="text-align: center;"><em>{escape(caption)}</em></p>' if caption else "")

        body = self.body_blocks(a, lambda t: f'<p style="text-align: justify;">{escape(t)}</p>', image)
        if a.author:
            body.append(f'<p style="text-align: right;"><strong>{escape(a.author)}</strong></p>')
        others = link_items(Row(o.path, o.title, f" <span class=\"small\">({_dmy(o.published_at)})</span>")
                            for o in self.older(a, 5))
        main = f"""<div class="pathway-bar"><a href="/" class="pathway">Trang chủ</a> <img src="/templates/system/images/arrow.png" alt="" /> <a href="/index.php/tin-tuc" class="pathway">Tin tức - Sự kiện</a></div>
<table class="contentpaneopen"><tr><td class="contentheading" width="100%"><h2 class="contentheading">{escape(a.title)}</h2></td>
<td align="right" width="100%" class="buttonheading"><a href="javascript:window.print()" title="In">In</a></td></tr></table>
<table class="contentpaneopen">
<tr><td valign="top" class="createdate">{self.date_line(a)}</td></tr>
<tr><td class="fontsize-tool">Cỡ chữ: <a href="#" onclick="changeFontSize(-1); return false;">A-</a> <span>{FONT_LABEL}</span> <a href="#" onclick="changeFontSize(1); return false;">A+</a></td></tr>
<tr><td valign="top"><div class="article-content">
<div class="introtext"><p><strong>{escape(a.summary)}</strong></p></div>
{chr(10).join(body)}
</div></td></tr>
<tr><td class="hits">Lượt xem: {self.hits[a.id]}</td></tr>
</table>
<span class="article_separator">&nbsp;</span>
<div class="items-more"><h3>Các tin khác</h3><ul class="tin-khac">{others}</ul></div>"""
        return self.layout(a.title, main)

    def layout(self, title: str, main: str) -> str:
        c = self.commune
        menu = "".join(f'<li><a href="{href}" class="mainlevel">{label}</a></li>' for href, label in (
            ("/", "Trang chủ"), ("/index.php/gioi-thieu", "Giới thiệu"), ("/index.php/tin-tuc", "Tin tức - Sự kiện"),
            ("/index.php/thu-tuc-hanh-chinh", "Thủ tục hành chính"), ("/index.php/lien-he", "Liên hệ")))
        hot = link_items(Row(a.path, a.title) for a in self.featured())
        latest = link_items(Row(a.path, a.title) for a in self.latest())
        body = f"""<table id="khung" width="1000" border="0" cellpadding="0" cellspacing="0" align="center">
<tr><td colspan="3" id="dau"><a href="/"><img src="{self.media('/images/banner/banner.jpg')}" width="1000" height="160" alt="{escape(c.name)}" border="0" /></a><div id="tenxa">ỦY BAN NHÂN DÂN {escape(c.name.upper())}</div><div id="tinh">TỈNH {escape(c.province.upper())}</div></td></tr>
<tr><td colspan="3" id="thanh-ngang"><ul class="mainlevel-ngang">{menu}</ul></td></tr>
<tr valign="top">
<td id="cot-trai" width="210">
<div class="moduletable_menu"><h3>Danh mục</h3><ul class="vertmenu">{menu}</ul></div>
<div class="moduletable"><h3>Tin nổi bật</h3><ul class="mostread">{hot}</ul></div>
</td>
<td id="cot-giua">
{main}
</td>
<td id="cot-phai" width="230">
<div class="moduletable"><h3>Tin mới nhất</h3><ul class="latestnews">{latest}</ul></div>
<div class="moduletable"><h3>Thống kê truy cập</h3><ul class="visitcount">{counter_items(c.counter, spans=False)}</ul></div>
<div class="moduletable"><h3>Liên kết website</h3><select name="lienket" onchange="window.open(this.value)"><option value="">-- Chọn liên kết --</option><option value="https://chinhphu.vn">Cổng TTĐT Chính phủ</option><option value="https://dichvucong.gov.vn">Cổng Dịch vụ công quốc gia</option></select></div>
</td></tr>
<tr><td colspan="3" id="chan">{paragraphs(c.footer())}<p class="thiet-ke">{escape(c.credit())}</p></td></tr>
</table>
"""
        head = (f'<meta name="keywords" content="{escape(c.name)}, {escape(c.province)}, tin tức, thủ tục hành chính" />\n'
                f'<meta name="description" content="Cổng thông tin điện tử {escape(c.name)}, tỉnh {escape(c.province)}" />\n'
                '<meta name="generator" content="Joomla! 1.5 - Open Source Content Management" />\n'
                '<link href="/templates/xa_tpl/css/template.css" rel="stylesheet" type="text/css" />\n'
                '<script type="text/javascript" src="/media/system/js/mootools.js"></script>\n')
        return document(f"{title} - {c.name}", body, head, shell=JOOMLA_SHELL)


# --------------------------------------------------------------------------------------------
# Family C: Bootstrap cards
# --------------------------------------------------------------------------------------------

class CardsSite(VariantSite):
    family = "C"
    page_size = 9
    id_range = (10_000, 68_000)
    server_header = "nginx/1.24.0"
    validators = frozenset({"etag"})  # nginx hashing what the app renders: ETag only
    robots_lines = ("User-agent: *", "Disallow: /admin/", "Disallow: /api/", "Disallow: /tim-kiem")
    ARTICLE = re.compile(r"^/tin-tuc/([a-z0-9-]+)-(\d+)\.html$")
    STATIC = {"/gioi-thieu": ("Giới thiệu", "gioi-thieu"), "/lien-he": ("Liên hệ", "lien-he"),
              "/van-ban": ("Văn bản - Thủ tục", "thu-tuc")}

    @staticmethod
    def article_path(story: Story, number: int, suffix: int = 0) -> str:
        return f"/tin-tuc/{slugify(story.title, 90)}-{number}.html"

    @staticmethod
    def image_path(commune: Commune, story: Story, number: int, k: int, rng: random.Random) -> str:
        return f"/{commune.storage}/uploads/news/{story.published_at:%Y_%m}/{number}-{k + 1}.jpg"

    @staticmethod
    def shown(story: Story, rng: random.Random) -> tuple[datetime, tuple[str, ...]]:
        return story.published_at.replace(second=0), (rng.choice(("date-updated", "date-weekday")),)

    def dispatch(self, path: str, query: dict[str, list[str]]) -> Page | None:
        if path == "/":
            return Page(self.home())
        if path == "/tin-tuc":
            value = (query.get("p") or ["1"])[0]
            number = max(1, int(value)) if value.isdigit() else 1
            shown, pages = paginate(self.articles, number, self.page_size)
            return Page(self.list_page("Tin tức", shown, number, pages)) if number <= pages else None
        if path == "/tim-kiem":
            words = (query.get("q") or [""])[0]
            return Page(self.list_page(f"Tìm kiếm: {words}", self.search(words), 1, 1))
        if match := self.ARTICLE.match(path):
            article = self.by_id.get(int(match.group(2)))
            if article is None:
                return None
            if article.path != path:
                return self.redirect(article.path)
            return Page(self.article_page(article), is_article=True, article=article)
        if path in self.STATIC:
            title, key = self.STATIC[path]
            return Page(self.layout(title, f'<h1 class="h3 tieu-de-muc">{escape(title)}</h1>'
                                           f'<p>{escape(self.static_text(key))}</p>'))
        return None

    def date_line(self, a: Article) -> str:
        when = a.published_at
        if "date-weekday" in a.traits:
            return f"{_weekday(when)}, {_dmy(when)} {when:%H:%M}"
        return f"Cập nhật lúc {when:%H:%M} ngày {_dmy(when, '-')}"

    def card(self, a: Article) -> str:
        image = f'<img src="{a.images[0][0]}" class="card-img-top" alt="{escape(a.title)}">' if a.images else ""
        lead = a.summary if len(a.summary) <= 160 else a.summary[:160].rsplit(" ", 1)[0] + "..."
        return (f'<div class="col"><div class="card h-100 shadow-sm">{image}<div class="card-body">'
                f'<h5 class="card-title"><a href="{a.path}" class="stretched-link text-decoration-none">'
                f'{escape(a.title)}</a></h5><p class="card-text">{escape(lead)}</p></div>'
                f'<div class="card-footer bg-white"><small class="text-muted">{_dmy(a.published_at)}</small></div>'
                f'</div></div>')

    def crumbs(self, *trail: tuple[str, str]) -> str:
        items = "".join(f'<li class="duong-dan-muc"><a href="{href}">{escape(label)}</a></li>' for href, label in trail)
        return f'<nav aria-label="breadcrumb"><ol class="duong-dan"><li class="duong-dan-muc"><a href="/">Trang chủ</a></li>{items}</ol></nav>'

    def home(self) -> str:
        slides = "".join(
            f'<div class="carousel-item"><a href="{a.path}"><img src="{a.images[0][0] if a.images else ""}" '
            f'class="d-block w-100" alt="{escape(a.title)}"></a><div class="carousel-caption d-none d-md-block">'
            f'<h5>{escape(a.title)}</h5></div></div>' for a in self.featured(3))
        cards = "".join(self.card(a) for a in self.articles[:6])
        main = (f'<div id="carouselTin" class="carousel slide mb-4" data-bs-ride="carousel"><div class="carousel-inner">'
                f'{slides}</div></div><h2 class="h4 tieu-de-muc">Tin tức - Sự kiện</h2>'
                f'<div class="row row-cols-1 row-cols-md-3 g-3">{cards}</div>'
                f'<p class="mt-3 text-end"><a href="/tin-tuc" class="btn btn-outline-primary btn-sm">Xem tất cả »</a></p>')
        return self.layout("Trang chủ", main)

    def list_page(self, heading: str, shown: Sequence[Article], page: int, pages: int) -> str:
        cards = "".join(self.card(a) for a in shown) or '<p class="text-muted">Không tìm thấy tin bài phù hợp.</p>'
        links = [f'<span class="dang-xem">{n}</span>' if n == page else f'<a href="/tin-tuc?p={n}">{n}</a>'
                 for n in range(1, pages + 1)]
        if page < pages:
            links.append(f'<a href="/tin-tuc?p={page + 1}">Tiếp »</a>')
        pager = f'<div class="trang-so mt-4">{" ".join(links)}</div>' if pages > 1 else ""
        main = (f'{self.crumbs(("/tin-tuc", "Tin tức"))}<h1 class="h4 tieu-de-muc">{escape(heading)}</h1>'
                f'<div class="row row-cols-1 row-cols-md-3 g-3">{cards}</div>{pager}')
        return self.layout(heading + (f" - Trang {page}" if page > 1 else ""), main)

    def article_page(self, a: Article) -> str:
        def figure(src: str, caption: str | None, k: int) -> str:
            cap = f'<figcaption class="figure-caption text-center">{escape(caption)}</figcaption>' if caption else ""
            return (f'<figure class="figure w-100"><img src="{src}" class="figure-img img-fluid rounded" '
                    f'alt="{escape(caption or a.title)}">{cap}</figure>')

        body = self.body_blocks(a, lambda t: f"<p>{escape(t)}</p>", figure)
        if a.author:
            body.append(f'<p class="text-end fw-bold">{escape(a.author)}</p>')
        related = "".join(f'<a href="{o.path}" class="list-group-item list-group-item-action">{escape(o.title)} '
                          f'<small class="text-muted">({_dmy(o.published_at)})</small></a>' for o in self.older(a, 5))
        url = quote(a.url, safe=":/")
        main = f"""{self.crumbs(("/tin-tuc", "Tin tức"))}
<article class="bai-viet">
<h1 class="display-title">{escape(a.title)}</h1>
<div class="d-flex justify-content-between thong-tin text-muted small mb-2"><span class="thoi-gian">{self.date_line(a)}</span><span class="co-chu">Cỡ chữ: <button type="button" class="btn btn-sm btn-light">A-</button> <span>{FONT_LABEL}</span> <button type="button" class="btn btn-sm btn-light">A+</button></span></div>
<p class="lead">{escape(a.summary)}</p>
<div class="noi-dung">
{chr(10).join(body)}
</div>
<div class="chia-se mt-3">Chia sẻ: <a href="https://www.facebook.com/sharer/sharer.php?u={url}" class="btn btn-sm btn-primary">Facebook</a> <a href="https://zalo.me/share?url={url}" class="btn btn-sm btn-info">Zalo</a></div>
</article>
<section class="tin-lien-quan mt-4"><h2 class="h5">Tin liên quan</h2><div class="list-group">{related}</div></section>"""
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
              "description": a.summary, "datePublished": a.published_at.isoformat(),
              "dateModified": a.published_at.isoformat(), "mainEntityOfPage": a.url,
              "image": [src for src, _ in a.images],
              "author": {"@type": "Person", "name": a.author},
              "publisher": {"@type": "GovernmentOrganization", "name": f"UBND {self.commune.name}"}}
        head = (f'<meta name="description" content="{escape(a.summary)}">\n'
                f'<meta property="og:title" content="{escape(a.title)}">\n'
                f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>\n')
        return self.layout(a.title, main, head)

    def layout(self, title: str, main: str, head: str = "") -> str:
        c = self.commune
        nav = "".join(f'<li class="nav-item"><a class="nav-link" href="{href}">{label}</a></li>' for href, label in (
            ("/gioi-thieu", "Giới thiệu"), ("/tin-tuc", "Tin tức"), ("/van-ban", "Văn bản - Thủ tục"),
            ("/lien-he", "Liên hệ")))

        def group(articles: Sequence[Article]) -> str:
            return "".join(f'<a href="{a.path}" class="list-group-item list-group-item-action">{escape(a.title)}</a>'
                           for a in articles)

        body = f"""<header class="dau-trang">
<div class="bia-trang"><div class="container-xl d-flex align-items-center py-2"><img class="quoc-huy me-3" src="{self.media('/assets/img/quoc-huy.png')}" alt="Quốc huy" width="72"><div class="ten-don-vi"><div class="cap-tren">UBND TỈNH {escape(c.province.upper())}</div><div class="ten-xa">{escape(c.name.upper())}</div><div class="khau-hieu">Cổng thông tin điện tử {escape(c.name)}</div></div></div></div>
<nav class="navbar navbar-expand-lg navbar-dark bg-primary"><div class="container-xl"><a class="navbar-brand" href="/">Trang chủ</a><ul class="navbar-nav me-auto">{nav}</ul><form class="d-flex" role="search" action="/tim-kiem"><input class="form-control form-control-sm" type="search" name="q" placeholder="Tìm kiếm"></form></div></nav>
</header>
<div class="container-xl py-3"><div class="row">
<div class="col-lg-8">
{main}
</div>
<div class="col-lg-4">
<div class="hop-ben mb-3"><h3 class="h6 text-uppercase">Tin nổi bật</h3><div class="list-group list-group-flush">{group(self.featured())}</div></div>
<div class="hop-ben mb-3"><h3 class="h6 text-uppercase">Tin mới nhất</h3><div class="list-group list-group-flush">{group(self.latest())}</div></div>
<div class="hop-ben mb-3"><h3 class="h6 text-uppercase">Thống kê truy cập</h3><ul class="list-unstyled thong-ke">{counter_items(c.counter)}</ul></div>
</div>
</div></div>
<footer class="chan-trang bg-dark text-light py-3"><div class="container-xl">{paragraphs(c.footer())}<p class="small">{escape(c.credit())}</p></div></footer>
<script src="/assets/js/bootstrap.bundle.min.js"></script>
"""
        head = f'<link href="/assets/css/bootstrap.min.css" rel="stylesheet">\n{head}'
        return document(f"{title} | Cổng TTĐT {c.name}", body, head, shell=HTML5_SHELL)


# --------------------------------------------------------------------------------------------
# Family D: old ASP.NET portal
# --------------------------------------------------------------------------------------------

ASP_SHELL = Shell('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">', 'lang="vi"',
                  ('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',))
TAB_HOME, TAB_NEWS = "36", "55"


class AspSite(VariantSite):
    family = "D"
    page_size = 8
    id_range = (1_200, 9_800)
    category_name = "Tin tức - Sự kiện"
    categories = {CATEGORY_KEY: "Tin tức - Sự kiện"}
    server_header = "Microsoft-IIS/8.5"
    validators = frozenset({"last-modified"})  # the DNN-style module sets Last-Modified only
    extra_headers = (("X-Powered-By", "ASP.NET"), ("X-AspNet-Version", "4.0.30319"))
    robots_lines = ("User-agent: *", "Disallow: /admin/", "Disallow: /DesktopModules/", "Disallow: /Providers/")
    STATIC = {"56": ("Giới thiệu", "gioi-thieu"), "57": ("Liên hệ", "lien-he"), "58": ("Văn bản chỉ đạo điều hành", "thu-tuc")}

    def __init__(self, commune: Commune, articles: list[Article], rng: random.Random):
        super().__init__(commune, articles, rng)
        self.viewstate = "/wEPDwUK" + "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", k=60))

    @staticmethod
    def article_path(story: Story, number: int, suffix: int = 0) -> str:
        return f"/Default.aspx?tabid={TAB_NEWS}&ItemID={number}"

    @staticmethod
    def image_path(commune: Commune, story: Story, number: int, k: int, rng: random.Random) -> str:
        return f"/{commune.storage}/Portals/0/TinTuc/{story.published_at:%Y%m%d}/IMG_{rng.randint(1000, 9999)}.jpg"

    @staticmethod
    def shown(story: Story, rng: random.Random) -> tuple[datetime, tuple[str, ...]]:
        return story.published_at.replace(hour=0, minute=0, second=0), ("date-only",)

    @staticmethod
    def href(path: str) -> str:
        return escape(path)  # "&" -> "&amp;" in attributes

    def dispatch(self, path: str, query: dict[str, list[str]]) -> Page | None:
        if path.lower() not in ("/", "/default.aspx"):
            return None
        params = {key.lower(): values[0] for key, values in query.items()}
        tab = params.get("tabid", TAB_HOME)
        if tab == TAB_HOME:
            return Page(self.home())
        if tab == TAB_NEWS and "itemid" in params:
            article = self.by_id.get(int(params["itemid"])) if params["itemid"].isdigit() else None
            return Page(self.article_page(article), is_article=True, article=article) if article else None
        if tab == TAB_NEWS:
            value = params.get("currentpage", "1")
            number = max(1, int(value)) if value.isdigit() else 1
            shown, pages = paginate(self.articles, number, self.page_size)
            return Page(self.list_page(shown, number, pages)) if number <= pages else None
        if tab in self.STATIC:
            title, key = self.STATIC[tab]
            main = f'<div class="TieuDeKhung">{escape(title.upper())}</div><div class="NoiDungTinh"><p>{escape(self.static_text(key))}</p></div>'
            return Page(self.layout(title, main, f"/Default.aspx?tabid={tab}"))
        return None

    def item(self, a: Article) -> str:
        thumb = (f'<img class="AnhTin" src="{a.images[0][0]}" width="120" height="80" align="left" border="0">'
                 if a.images else "")
        return (f'<div class="tin">{thumb}<a class="tieude" href="{self.href(a.path)}">{escape(a.title)}</a> '
                f'<span class="ngay">({_dmy(a.published_at)})</span><div class="tomtat">{escape(a.summary)}</div>'
                f'<div style="clear:both"></div></div>')

    def home(self) -> str:
        items = "".join(self.item(a) for a in self.articles[:6])
        main = (f'<div class="TieuDeKhung">TIN MỚI</div>{items}<div class="XemTiep"><a href="'
                f'{self.href(f"/Default.aspx?tabid={TAB_NEWS}")}">Xem tiếp »</a></div>')
        return self.layout("Trang chủ", main, f"/Default.aspx?tabid={TAB_HOME}")

    def list_page(self, shown: Sequence[Article], page: int, pages: int) -> str:
        items = "".join(self.item(a) for a in shown)
        numbers = " ".join(f"<b>{n}</b>" if n == page else
                           f'<a href="{self.href(f"/Default.aspx?tabid={TAB_NEWS}&CurrentPage={n}")}">{n}</a>'
                           for n in range(1, pages + 1))
        main = f'<div class="TieuDeKhung">TIN TỨC - SỰ KIỆN</div>{items}<div class="PhanTrang">Trang: {numbers}</div>'
        action = f"/Default.aspx?tabid={TAB_NEWS}" + (f"&CurrentPage={page}" if page > 1 else "")
        return self.layout("Tin tức - Sự kiện", main, action)

    def article_page(self, a: Article) -> str:
        def image(src: str, caption: str | None, k: int) -> str:
            cap = f'<tr><td class="ChuThichAnh" align="center"><i>{escape(caption)}</i></td></tr>' if caption else ""
            return (f'<table class="AnhMinhHoa" align="center" cellpadding="3" cellspacing="0"><tr><td align="center">'
                    f'<img src="{src}" border="0" width="500"></td></tr>{cap}</table>')

        body = self.body_blocks(a, lambda t: f'<p align="justify">{escape(t)}</p>', image)
        if a.author:
            body.append(f'<p align="right"><b>{escape(a.author)}</b></p>')
        others = "".join(f'<li><a href="{self.href(o.path)}">{escape(o.title)}</a> <span class="ngay">'
                         f'({_dmy(o.published_at)})</span></li>' for o in self.older(a, 6))
        main = f"""<div class="TieuDeKhung">TIN TỨC - SỰ KIỆN</div>
<div class="ChiTiet">
<span class="TieuDe">{escape(a.title)}</span> <span class="NgayDang">({_dmy(a.published_at)})</span>
<div class="CoChu">Cỡ chữ: <a href="javascript:GiamCoChu()">A-</a> <span>{FONT_LABEL}</span> <a href="javascript:TangCoChu()">A+</a></div>
<div class="TomTat"><b>{escape(a.summary)}</b></div>
<div class="NoiDung">
{chr(10).join(body)}
</div>
<div class="CongCu"><a href="javascript:window.print()">In trang</a> | <a href="javascript:history.back()">Quay lại</a></div>
<div class="TinKhac"><b>Các tin đã đưa:</b><ul>{others}</ul></div>
</div>"""
        return self.layout(a.title, main, a.path, description=a.summary)

    def layout(self, title: str, main: str, action: str, description: str = "") -> str:
        c = self.commune
        tabs = ((TAB_HOME, "Trang chủ"), ("56", "Giới thiệu"), (TAB_NEWS, "Tin tức - Sự kiện"),
                ("58", "Văn bản chỉ đạo điều hành"), ("57", "Liên hệ"))
        top = " | ".join(f'<a href="{self.href(f"/Default.aspx?tabid={tab}")}" class="MenuNgangLink">{label}</a>'
                         for tab, label in tabs)
        side = "".join(f'<div class="MucMenu"><a href="{self.href(f"/Default.aspx?tabid={tab}")}">{label}</a></div>'
                       for tab, label in tabs)
        hot = "".join(f'<div class="TinNoiBat"><a href="{self.href(a.path)}">{escape(a.title)}</a></div>'
                      for a in self.featured())
        latest = "".join(f'<li><a href="{self.href(a.path)}">{escape(a.title)}</a> <span class="ngay">'
                         f'({_dmy(a.published_at)})</span></li>' for a in self.latest())
        counter = "".join(f"<tr><td>{label}:</td><td align=\"right\">{value}</td></tr>" for label, value in zip(
            ("Đang online", "Hôm nay", "Trong tuần", "Tất cả"), c.counter))
        body = f"""<form name="Form" method="post" action="{self.href(action)}" id="Form">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{self.viewstate}">
<table width="980" border="0" cellspacing="0" cellpadding="0" align="center" class="KhungNgoai">
<tr><td class="DauTrang"><img src="{self.media('/Portals/0/banner.gif')}" alt="" width="980" height="150" border="0"><div class="TenDonVi">{escape(c.name.upper())} - TỈNH {escape(c.province.upper())}</div></td></tr>
<tr><td class="MenuNgang">{top}</td></tr>
<tr><td><table width="100%" border="0" cellspacing="0" cellpadding="4"><tr valign="top">
<td width="200" class="KhungTrai"><div class="TieuDeKhungTrai">Danh mục</div>{side}<div class="TieuDeKhungTrai">Tin nổi bật</div>{hot}</td>
<td class="KhungGiua">
{main}
</td>
<td width="200" class="KhungPhai"><div class="TieuDeKhungPhai">Tin mới nhất</div><ul class="DanhSachTin">{latest}</ul>
<div class="TieuDeKhungPhai">Thống kê truy cập</div><table class="ThongKe" width="100%">{counter}</table></td>
</tr></table></td></tr>
<tr><td class="ChanTrang">{paragraphs(c.footer())}<p>{escape(c.credit())}</p></td></tr>
</table>
</form>
"""
        head = (f'<meta name="description" content="{escape(description or "Cổng thông tin điện tử " + c.name)}">\n'
                f'<meta name="keywords" content="{escape(c.name)}, {escape(c.province)}">\n'
                '<link href="/Portals/_default/default.css" type="text/css" rel="stylesheet">\n'
                '<script type="text/javascript" src="/js/dnncore.js"></script>\n')
        return document(f"{c.name} - {title}", body, head, shell=ASP_SHELL)


FAMILY_SITES: dict[str, type[VariantSite]] = {"A": WordPressSite, "B": JoomlaSite, "C": CardsSite, "D": AspSite}
