"""HTML pieces every replica template is built from: document shell, elements, teasers, side lists, pagers.

The platform modules (`vnpt`, `sharepoint`, `newspapers`) keep only what
differs between the real sites: their URL schemes, class names and page
layouts. What they all do the same way lives here:

* `document` (the page shell), `el` (one element with a class),
* `teaser` (a list item / story card: thumbnail, linked title, date, summary),
* `Row` and `link_items` (the <li> rows of side lists), `paragraphs` (footer lines),
  `counter_items` (the "Thống kê truy cập" visitor counter),
* `paginate`, `page_number` and `pager` (list pages and their pagers).

Every function returns markup as a string; text arguments are escaped here
unless a parameter says it takes HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Callable, Iterable, NamedTuple, Sequence, TypeVar

T = TypeVar("T")

HTML5 = ("<!DOCTYPE html>", 'lang="vi"', ('<meta charset="utf-8">',
                                          '<meta name="viewport" content="width=device-width, initial-scale=1">'))


@dataclass(frozen=True)
class Shell:
    """What precedes <title> in a page: doctype, <html> attributes, the first <meta> lines."""

    doctype: str
    html_attrs: str
    metas: tuple[str, ...]


HTML5_SHELL = Shell(*HTML5)


def document(title: str, body: str, head: str = "", shell: Shell = HTML5_SHELL) -> str:
    """A whole page: `head` (HTML, one element a line) goes after <title>, `body` (HTML) inside <body>."""
    metas = "".join(f"{meta}\n" for meta in shell.metas)
    return (f"{shell.doctype}\n<html {shell.html_attrs}>\n<head>\n{metas}<title>{escape(title)}</title>\n"
            f"{head}</head>\n<body>\n{body}</body>\n</html>")


def el(spec: str, inner: str = "", **attrs: str) -> str:
    """`el("h3.news-title", html)` -> `<h3 class="news-title">html</h3>`; attributes follow the class, in order."""
    tag, _, cls = spec.partition(".")
    pairs = ([("class", cls.replace(".", " "))] if cls else []) + [(k.rstrip("_"), v) for k, v in attrs.items()]
    opening = "".join(f' {name}="{value}"' for name, value in pairs)
    return f"<{tag}{opening}>{inner}</{tag}>"


def teaser(box: str, href: str, title: str, thumb: str | None, *, heading: str, thumb_link: str = "a",
           thumb_box: str = "", thumb_alt: str | None = None, link_title: bool = False,
           date: tuple[str, str] | None = None, summary: tuple[str, str] | None = None) -> str:
    """A story card: thumbnail link (skipped when `thumb` is None), linked title, optional date and summary.

    `title` is HTML (already escaped, perhaps decomposed); `date` and `summary`
    are (element spec, HTML) pairs; the thumbnail's alt is the title unless
    `thumb_alt` is given; `link_title` repeats the title in the link's title attribute.
    """
    parts = []
    if thumb is not None:
        image = f'<img src="{thumb}" alt="{title if thumb_alt is None else thumb_alt}">'
        picture = el(thumb_link, image, href=href, **({"title": title} if link_title else {}))
        parts.append(el(thumb_box, picture) if thumb_box else picture)
    parts.append(el(heading, el("a", title, href=href)))
    for part in (date, summary):
        if part is not None:
            parts.append(el(*part))
    return el(box, "".join(parts))


class Row(NamedTuple):
    """One side-list row: link target, link text (plain), HTML after the link, hover title (plain)."""

    href: str
    text: str
    after: str = ""
    title: str | None = None


def link_items(rows: Iterable[Row]) -> str:
    """Side-list rows -> `<li><a href="..." [title="..."]>text</a>after</li>`."""
    items = []
    for row in rows:
        title = f' title="{escape(row.title)}"' if row.title is not None else ""
        items.append(f'<li><a href="{row.href}"{title}>{escape(row.text)}</a>{row.after}</li>')
    return "".join(items)


def paragraphs(lines: Iterable[str]) -> str:
    """One <p> a line (footers)."""
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


COUNTER_LABELS = ("Đang online", "Hôm nay", "Trong tuần", "Tất cả")


def counter_items(values: Sequence[int | str], spans: bool = True) -> str:
    """The visitor counter rows ("Đang online: 3", ...), numbers in <span> unless `spans` is False."""
    return "".join(
        f"<li>{label}: <span>{value}</span></li>" if spans else f"<li>{label}: {value}</li>"
        for label, value in zip(COUNTER_LABELS, values)
    )


# --------------------------------------------------------------------------------------------
# Lists and pagers
# --------------------------------------------------------------------------------------------

def paginate(items: Sequence[T], page: int, size: int) -> tuple[Sequence[T], int]:
    """The items of list page `page` (1-based) and the number of pages (at least 1)."""
    pages = max(1, -(-len(items) // size))
    return items[(page - 1) * size: page * size], pages


def page_number(query: dict[str, list[str]], param: str = "page") -> int:
    """The page a query asks for: 1 when absent, not a number or below 1."""
    value = (query.get(param) or ["1"])[0]
    return max(1, int(value)) if value.isdigit() else 1


def pager(page: int, pages: int, number: Callable[[int, bool], str], next_link: Callable[[int], str] | None = None,
          prev_link: Callable[[int], str] | None = None, first_link: Callable[[], str] | None = None,
          window: int | None = None, separator: str = "") -> str:
    """A pager's links, joined by `separator`.

    `number(n, is_current)` writes page n's entry; `prev_link(n)` /
    `first_link()` are written before the numbers when page > 1, and
    `next_link(n)` after them when page < pages. `window` limits the numbers
    to that many, the current one kept third from the left where possible.
    """
    first, last = 1, pages
    if window:
        first = max(1, min(page - 2, pages - window + 1))
        last = min(pages, first + window - 1)
    links = []
    if page > 1 and first_link:
        links.append(first_link())
    if page > 1 and prev_link:
        links.append(prev_link(page - 1))
    links += [number(n, n == page) for n in range(first, last + 1)]
    if page < pages and next_link:
        links.append(next_link(page + 1))
    return separator.join(links)
