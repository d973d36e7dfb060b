"""Two sites for the error paths of onboarding (`portals add`): one that is no news portal, one with no news yet.

nonportal    a small company's landing page: hero, services, testimonials and a contact form
             (POST /lien-he, which the replica does not accept); pages /, /gioi-thieu, /dich-vu,
             /lien-he, /robots.txt. No article links, no dates anywhere.
emptyportal  a ward portal that went live with an empty news list: home, /tin-tuc, /gioi-thieu,
             /lien-he, /robots.txt; both news blocks and the side list read "Chưa có tin bài".
             No article links, no dates.

Both publish no articles (`Fleet.articles(id)` is empty) and never appear in the registry.
"""

from __future__ import annotations

from html import escape

from crawler.replica.content import Page, Portal, Site
from crawler.replica.markup import counter_items, document, paragraphs

SPECIAL_IDS = ("nonportal", "emptyportal")
NO_NEWS = "Chưa có tin bài"

COMPANY = "Công ty TNHH Giải pháp Phần mềm Sao Việt"
WARD, WARD_PROVINCE = "Phường Nguyệt Viên", "Thanh Hóa"


class NonPortalSite(Site):
    """A software company's landing page: a site, but not a news portal."""

    server_header = "nginx"
    PAGES = {"/gioi-thieu": "Giới thiệu", "/dich-vu": "Dịch vụ", "/lien-he": "Liên hệ"}
    SERVICES = (("Thiết kế website", "Giao diện hiện đại, tương thích điện thoại, tối ưu tốc độ tải trang."),
                ("Phần mềm quản lý bán hàng", "Quản lý kho, đơn hàng và khách hàng trên một màn hình."),
                ("Hạ tầng và bảo trì", "Máy chủ, tên miền, sao lưu dữ liệu và hỗ trợ kỹ thuật tận nơi."))

    def __init__(self):
        super().__init__(Portal("nonportal", COMPANY, WARD_PROVINCE, "company", "none", ("/",)), [])

    def info(self) -> dict:
        return {"name": COMPANY, "province": WARD_PROVINCE, "family": "nonportal"}

    def route(self, path: str, query: dict[str, list[str]]) -> Page:
        if path == "/robots.txt":
            return Page("User-agent: *\nDisallow: /quan-tri/\n", content_type="text/plain; charset=utf-8")
        if path == "/":
            return Page(self.layout("Trang chủ", self.home()))
        if path == "/gioi-thieu":
            return Page(self.layout("Giới thiệu", (
                '<section class="khoi"><h1>Về chúng tôi</h1><p>Sao Việt là đội ngũ kỹ sư trẻ, tận tâm, chuyên cung cấp '
                'giải pháp công nghệ cho doanh nghiệp vừa và nhỏ, trường học và hộ kinh doanh.</p><p>Chúng tôi đặt sự '
                'hài lòng của khách hàng lên hàng đầu: tư vấn miễn phí, báo giá minh bạch, bảo hành dài hạn.</p></section>')))
        if path == "/dich-vu":
            cards = "".join(f'<div class="o-dich-vu"><h2>{escape(name)}</h2><p>{escape(text)}</p></div>'
                            for name, text in self.SERVICES)
            return Page(self.layout("Dịch vụ", f'<section class="khoi"><h1>Dịch vụ</h1>{cards}</section>'))
        if path == "/lien-he":
            return Page(self.layout("Liên hệ", f'<section class="khoi"><h1>Liên hệ</h1>{self.form()}</section>'))
        return self.not_found()

    def form(self) -> str:
        return ('<form class="mau-lien-he" method="post" action="/lien-he">'
                '<label>Họ và tên <input type="text" name="ho_ten" required></label>'
                '<label>Số điện thoại <input type="tel" name="dien_thoai" required></label>'
                '<label>Email <input type="email" name="email"></label>'
                '<label>Nội dung cần tư vấn <textarea name="noi_dung" rows="5"></textarea></label>'
                '<button type="submit">Gửi yêu cầu</button></form>')

    def home(self) -> str:
        services = "".join(f'<div class="o-dich-vu"><h3>{escape(name)}</h3><p>{escape(text)}</p></div>'
                           for name, text in self.SERVICES)
        return (
            '<section class="anh-bia"><h1>Giải pháp số cho doanh nghiệp của bạn</h1>'
            '<p>Thiết kế website, phần mềm quản lý và hạ tầng công nghệ thông tin trọn gói.</p>'
            '<a class="nut" href="/lien-he">Nhận tư vấn miễn phí</a></section>'
            f'<section class="khoi"><h2>Dịch vụ của chúng tôi</h2><div class="luoi">{services}</div>'
            '<a href="/dich-vu">Xem chi tiết dịch vụ</a></section>'
            '<section class="khoi"><h2>Khách hàng nói gì</h2>'
            '<blockquote>“Website mới giúp cửa hàng của tôi có thêm nhiều khách đặt hàng qua mạng.” '
            '<cite>Chị Lan, chủ cửa hàng hoa</cite></blockquote>'
            '<blockquote>“Đội ngũ hỗ trợ nhanh, nhiệt tình, giá cả hợp lý.” <cite>Anh Tuấn, xưởng mộc</cite></blockquote>'
            '</section>'
            f'<section class="khoi"><h2>Liên hệ với chúng tôi</h2>{self.form()}</section>'
        )

    def layout(self, title: str, main: str) -> str:
        menu = "".join(f'<a href="{href}">{label}</a>' for href, label in
                       (("/", "Trang chủ"), *self.PAGES.items()))
        body = (f'<header class="dau"><a class="ten-cong-ty" href="/">{escape(COMPANY)}</a><nav class="thanh-menu">'
                f'{menu}</nav></header>\n<main>{main}</main>\n'
                f'<footer class="cuoi"><p>{escape(COMPANY)}</p><p>Địa chỉ: 25 đường Lê Hoàn, {escape(WARD)}, '
                f'tỉnh {escape(WARD_PROVINCE)}</p><p>Hotline: 0912 345 678 - Email: lienhe@saoviet.example</p>'
                '<p>Bản quyền thuộc về Sao Việt.</p></footer>\n')
        head = ('<meta name="description" content="Sao Việt: thiết kế website, phần mềm quản lý bán hàng, '
                'hạ tầng công nghệ thông tin cho doanh nghiệp.">\n')
        return document(f"{title} | {COMPANY}", body, head)


class EmptyPortalSite(Site):
    """A ward portal whose news list is still empty."""

    server_header = "nginx"
    categories = {"tin-tuc": "Tin tức - Sự kiện"}
    STATIC = {"/gioi-thieu": "Giới thiệu", "/lien-he": "Liên hệ"}
    COUNTER = ("1", "4", "37", "212")

    def __init__(self, portal_id: str = "emptyportal", ward: str = WARD, province: str = WARD_PROVINCE,
                 province_place: str = "", street: str = "Số 8 đường Nguyễn Trãi", folder: str = "nguyetvien"):
        """The ward portal "emptyportal" by default; any commune or ward by name (`crawler.replica.nation`):
        `province_place` is how addresses name the province ("thành phố Hà Nội"; default "tỉnh ...")."""
        super().__init__(Portal(portal_id, ward, province, "commune", "generic", ("/",)), [])
        self.ward, self.province, self.street, self.folder = ward, province, street, folder
        self.province_place = province_place or f"tỉnh {province}"
        kind, _, rest = ward.partition(" ")
        self.place = f"{kind.lower()} {rest}"  # "phường Nguyệt Viên"

    def info(self) -> dict:
        return {"name": self.ward, "province": self.province, "family": "emptyportal"}

    def route(self, path: str, query: dict[str, list[str]]) -> Page:
        if path == "/robots.txt":
            return self.robots()
        if path == "/":
            main = (f'<section class="khoi-tin"><h2 class="tieu-de-khoi">Tin tức - Sự kiện</h2><p class="trong">{NO_NEWS}'
                    f'</p><a href="/tin-tuc">Xem tất cả</a></section><section class="khoi-tin"><h2 class="tieu-de-khoi">'
                    f'Thông báo</h2><p class="trong">{NO_NEWS}</p></section>')
            return Page(self.layout(f"Cổng thông tin điện tử {self.ward}", main))
        if path == "/tin-tuc":
            main = f'<h1 class="tieu-de-muc">Tin tức - Sự kiện</h1><div class="ds-tin"><p class="trong">{NO_NEWS}</p></div>'
            return Page(self.layout("Tin tức - Sự kiện", main))
        if path in self.STATIC:
            text = {"/gioi-thieu": f"{self.ward}, {self.province_place}, được thành lập theo mô hình chính quyền địa "
                                   "phương 2 cấp. Trang thông tin điện tử đang được xây dựng và cập nhật.",
                    "/lien-he": f"UBND {self.ward}. {self.street}, {self.ward.lower()}, {self.province_place}."}[path]
            main = f'<h1 class="tieu-de-muc">{self.STATIC[path]}</h1><p>{escape(text)}</p>'
            return Page(self.layout(self.STATIC[path], main))
        return self.not_found()

    def layout(self, title: str, main: str) -> str:
        menu = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in (
            ("/", "Trang chủ"), ("/gioi-thieu", "Giới thiệu"), ("/tin-tuc", "Tin tức - Sự kiện"), ("/lien-he", "Liên hệ")))
        body = f"""<div class="khung">
<header class="dau-trang"><img src="{self.media_url}/{self.folder}/anh/banner.png" alt="Cổng thông tin điện tử {self.ward}"><div class="ten-phuong">{self.ward.upper()}</div></header>
<nav class="thanh-dieu-huong"><ul>{menu}</ul></nav>
<div class="than-trang"><main class="cot-chinh">{main}</main>
<aside class="cot-phu"><div class="hop"><h3>Tin mới nhất</h3><p class="trong">{NO_NEWS}</p></div>
<div class="hop"><h3>Thống kê truy cập</h3><ul>{counter_items(self.COUNTER)}</ul></div></aside></div>
<footer class="chan-trang">{paragraphs((f"CƠ QUAN CHỦ QUẢN: UBND {self.ward}", f"Địa chỉ: {self.street}, {self.place}, {self.province_place}"))}</footer>
</div>
"""
        return document(f"{title} | {self.ward}" if not title.startswith("Cổng") else title, body,
                        f'<meta name="description" content="Cổng thông tin điện tử {self.ward}, {self.province_place}">\n')


def make_special(special_id: str) -> Site:
    return {"nonportal": NonPortalSite, "emptyportal": EmptyPortalSite}[special_id]()
