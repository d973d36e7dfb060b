"""Server-rendered dashboard (Jinja2): portals with health, articles with search and filters, one article, runs,
coverage of the official units.

Plain HTML and inline CSS; JavaScript only to sort the coverage table by a clicked header. Every page reads
through crawler.query, crawler.coverage and crawler.store, like the JSON API; bad filter input gives the
page back with a message and status 400.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from crawler.api import portal_health  # create_app imports this module when it builds the app, so no cycle
from crawler.dates import LOCAL_TZ
from crawler.query import ArticleQuery, QueryError, parse_instant, public_article, public_run, search
from crawler.store import StoreUnavailable

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
RUNS_SHOWN = 50
LEVELS = ("province", "newspaper", "district", "commune", "ward")
SORTS = ("newest", "oldest", "relevance")


def local_time(value: str | datetime | None, with_seconds: bool = False) -> str:
    """'2025-07-10T14:00:00+07:00' (or an aware datetime) as '2025-07-10 14:00', Vietnamese local time."""
    if not value:
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo:
        moment = moment.astimezone(LOCAL_TZ)
    return moment.strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


def safe_url(value: str | None) -> str | None:
    """The URL if it is http(s); anything else (javascript:, data:) is not put in a link or an image."""
    if value and urlsplit(value.strip()).scheme.lower() in ("http", "https"):
        return value.strip()
    return None


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def paragraphs(body: str | None) -> list[str]:
    """The stored text's paragraphs (separated by a blank line)."""
    return [p.strip() for p in re.split(r"\n\s*\n", body or "") if p.strip()]


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(local_time=local_time, safe_url=safe_url, percent=percent)
    return env


templates = Jinja2Templates(env=_environment())
router = APIRouter(include_in_schema=False)


def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status_code: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code, title=title, message=message)


def _blank_to_none(value: str | None) -> str | None:
    """An empty form field means no filter."""
    value = (value or "").strip()
    return value or None


def _store_or_error(request: Request):
    try:
        return request.app.state.get_store(), None
    except StoreUnavailable as error:
        return None, error_page(request, 503, "Store unavailable", str(error))


@router.get("/", response_class=HTMLResponse)
def portals_page(request: Request):
    store, failed = _store_or_error(request)
    if failed:
        return failed
    portals = portal_health(store)
    counts = {status: sum(1 for p in portals if p["status"] == status) for status in ("ok", "degraded", "broken", "unknown")}
    return render(request, "portals.html", portals=portals, counts=counts,
                  articles=sum(p["articles"] for p in portals), nav="portals")


@router.get("/ui/articles", response_class=HTMLResponse)
def articles_page(request: Request, q: str | None = None, portal: str | None = None, province: str | None = None,
                  level: str | None = None, since: str | None = None, until: str | None = None,
                  sort: str | None = None, limit: str | None = None, cursor: str | None = None):
    store, failed = _store_or_error(request)
    if failed:
        return failed
    form = {"q": _blank_to_none(q), "portal": _blank_to_none(portal), "province": _blank_to_none(province),
            "level": _blank_to_none(level), "since": _blank_to_none(since), "until": _blank_to_none(until),
            "sort": _blank_to_none(sort), "limit": _blank_to_none(limit)}
    known = store.list_portals()
    context = dict(form=form, nav="articles", portals=known, levels=LEVELS, sorts=SORTS,
                   provinces=sorted({p["province"] for p in known if p.get("province")}),
                   portal_names={p["_id"]: p.get("name") for p in known})
    try:
        query = _article_query(form, _blank_to_none(cursor))
        page = search(store, query)
    except QueryError as error:
        return render(request, "articles.html", 400, error=str(error), articles=[], next_url=None, **context)
    filters = {k: v for k, v in form.items() if v}
    next_url = "/ui/articles?" + urlencode({**filters, "cursor": page.next_cursor}) if page.next_cursor else None
    first_url = "/ui/articles?" + urlencode(filters) if query.cursor else None
    return render(request, "articles.html", articles=page.articles, next_url=next_url, first_url=first_url,
                  error=None, relevance=query.sort == "relevance", paged=bool(query.cursor), **context)


def _article_query(form: dict, cursor: str | None) -> ArticleQuery:
    """The form's filters as an ArticleQuery; QueryError names the field that is wrong."""
    limit = PAGE_SIZE
    if form["limit"]:
        if not form["limit"].isdigit() or not 1 <= int(form["limit"]) <= MAX_PAGE_SIZE:
            raise QueryError(f"limit must be a whole number between 1 and {MAX_PAGE_SIZE}")
        limit = int(form["limit"])
    if form["sort"] and form["sort"] not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}")
    if form["sort"] == "relevance" and not form["q"]:
        raise QueryError("sort by relevance needs search words (q)")
    return ArticleQuery(
        portals=[form["portal"]] if form["portal"] else [], province=form["province"], level=form["level"],
        text=form["q"], limit=limit, cursor=cursor,
        since=parse_instant(form["since"], "since") if form["since"] else None,
        until=parse_instant(form["until"], "until") if form["until"] else None,
        sort=form["sort"] or ("relevance" if form["q"] else "newest"))


@router.get("/ui/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str):
    store, failed = _store_or_error(request)
    if failed:
        return failed
    doc = store.get_article(article_id)
    if doc is None:
        return error_page(request, 404, "Article not found", f"There is no article with id {article_id}.")
    article = public_article(doc)
    portal = store.get_portal(article["portal"]) if article.get("portal") else None
    body = paragraphs(article.get("body"))
    summary = (article.get("summary") or "").strip()
    if summary and body and " ".join(body[0].split()) == " ".join(summary.split()):
        body = body[1:]  # the stored text starts with the lead the page shows as the summary
    images = [{"url": safe_url(image.get("url")), "caption": image.get("caption")}
              for image in article.get("images") or [] if isinstance(image, dict) and safe_url(image.get("url"))]
    return render(request, "article.html", article=article, body=body, summary=summary, images=images,
                  portal_name=article.get("portal_name") or (portal or {}).get("name") or article.get("portal"),
                  original=safe_url(article.get("canonical_url")) or safe_url(article.get("url")), nav="articles")


@router.get("/ui/runs", response_class=HTMLResponse)
def runs_page(request: Request):
    store, failed = _store_or_error(request)
    if failed:
        return failed
    runs = [public_run(run) for run in store.list_runs(RUNS_SHOWN)]
    return render(request, "runs.html", runs=runs, nav="runs")


COVERAGE_HEADERS = {"official": "Official units", "registered": "Registered", "crawled_ok_7d": "Crawled OK, 7 days",
                    "silent_30d": "Silent, 30 days", "never_crawled": "Never crawled", "broken": "Broken",
                    "not_found": "No site found", "undiscovered": "Undiscovered", "other_portals": "Other portals"}


@router.get("/ui/coverage", response_class=HTMLResponse)
@router.get("/dashboard/coverage", response_class=HTMLResponse)
def coverage_page(request: Request, province: str | None = None):
    """crawler.coverage's report: a row per province (headers sort the table: a few lines of inline
    JavaScript, the dashboard's only) and the units discovery found no site for."""
    from crawler.coverage import COLUMNS, UnknownProvince, coverage_report
    from crawler.registry import RegistryError, load_registry
    from crawler.units import provinces

    store, failed = _store_or_error(request)
    if failed:
        return failed
    try:
        registry = load_registry(request.app.state.config.registry)
    except RegistryError as error:
        return error_page(request, 503, "Registry unreadable", str(error))
    province = _blank_to_none(province)
    context = dict(nav="coverage", columns=COLUMNS, headers=COVERAGE_HEADERS, provinces=provinces(), selected=province)
    try:
        report = coverage_report(registry, store, province=province)
    except UnknownProvince as error:
        return render(request, "coverage.html", 400, error=str(error), report=None, **context)
    return render(request, "coverage.html", error=None, report=report, **context)
