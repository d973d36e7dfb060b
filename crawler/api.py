"""The HTTP API for consumers (FastAPI): articles, stories, portals with health, runs, a change feed, Atom, exports.

Every route reads through crawler.query and crawler.store; `portals serve` runs it with uvicorn.
OpenAPI lives at /docs.
"""

from __future__ import annotations

import csv
import io
import json
import os
from typing import Annotated, Iterator

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from crawler.admin import TOKEN_ENV
from crawler.admin import router as admin_router
from crawler.config import Config
from crawler.dates import to_local_iso
from crawler.feeds import atom_feed
from crawler.items import ARTICLE_FIELDS
from crawler.query import (
    ArticleQuery,
    QueryError,
    Sort,
    StoryQuery,
    iterate,
    parse_instant,
    public_article,
    public_run,
    search,
    search_stories,
)
from crawler.registry import RegistryError, load_registry
from crawler.store import Store

API_LIMIT = 100  # articles per page at most
Unique = Annotated[bool, Query(description="one article per story: the first of its articles, in this order, that matches")]
AdminCode = Annotated[str | None, Query(description="the official commune/ward code (5 digits, e.g. 15148): its articles")]


def strict_query(request: Request) -> None:
    """Unknown query parameters are refused, not ignored: `?portal[$ne]=x` is a 400, never a filter."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    allowed = {param.alias for param in dependant.query_params}
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise HTTPException(400, f"unknown query parameter(s): {', '.join(unknown)}; allowed: {', '.join(sorted(allowed)) or 'none'}")


def create_app(config: Config | None = None, store: Store | None = None, admin_token: str | None = None) -> FastAPI:
    """The app; admin routes answer only with `admin_token` (default: PORTALS_ADMIN_TOKEN from the environment)."""
    app = FastAPI(title="vn-portals", version="0.1.0", dependencies=[Depends(strict_query)],
                  description="Articles of Vietnamese provincial portals: query, change feed, Atom, exports.")
    app.state.config = config or Config.from_env()
    app.state.store = store
    app.state.admin_token = admin_token if admin_token is not None else os.environ.get(TOKEN_ENV) or None

    def get_store() -> Store:
        if app.state.store is None:
            app.state.store = Store.open(app.state.config)
        return app.state.store

    app.state.get_store = get_store

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, error: QueryError):
        return JSONResponse({"detail": str(error)}, status_code=400)

    def article_query(portal: list[str] | None, province: str | None, level: str | None, since: str | None,
                      until: str | None, q: str | None, sort: str | None, limit: int, cursor: str | None,
                      unique: bool = False, admin_code: str | None = None) -> ArticleQuery:
        return ArticleQuery(
            portals=portal or [], province=province, level=level, text=q, limit=limit, cursor=cursor, unique=unique,
            admin_code=admin_code,
            since=parse_instant(since, "since") if since else None,
            until=parse_instant(until, "until") if until else None,
            sort=sort or ("relevance" if q else "newest"))

    @app.get("/articles", summary="Articles, filtered, newest first (or by relevance with q); cursor pagination")
    def articles(portal: list[str] | None = Query(None), province: str | None = None, level: str | None = None,
                 since: str | None = Query(None, description="ISO 8601; local time (+07:00) without offset"),
                 until: str | None = None, q: str | None = Query(None, description='muong lat, "hội nghị", -bão'),
                 sort: Sort | None = None, limit: int = Query(20, ge=1, le=API_LIMIT), cursor: str | None = None,
                 unique: Unique = False, admin_code: AdminCode = None):
        page = search(get_store(), article_query(portal, province, level, since, until, q, sort, limit, cursor, unique,
                                                 admin_code))
        return {"articles": page.articles, "next": page.next_cursor}

    @app.get("/stories", summary="Stories, newest first: each with its canonical (earliest) article and every copy")
    def stories(since: str | None = Query(None, description="canonical article published at or after (ISO 8601)"),
                until: str | None = None,
                min_members: int = Query(1, ge=1, le=1000, description="2: only news carried by several articles"),
                limit: int = Query(20, ge=1, le=API_LIMIT), cursor: str | None = None):
        page = search_stories(get_store(), StoryQuery(
            since=parse_instant(since, "since") if since else None, until=parse_instant(until, "until") if until else None,
            min_members=min_members, limit=limit, cursor=cursor))
        return {"stories": page.stories, "next": page.next_cursor}

    @app.get("/articles/{article_id}", summary="One article by its id (the URL hash)")
    def article(article_id: str):
        doc = get_store().get_article(article_id)
        if doc is None:
            raise HTTPException(404, f"no article {article_id}")
        return public_article(doc)

    @app.get("/portals", summary="Portals with health: last run, last success, article counts, error rate")
    def portals():
        return portal_health(get_store())

    @app.get("/coverage", summary="Per province: official units, registered, crawled OK, silent, broken; units with no site")
    def coverage(province: str | None = Query(None, description="one province, e.g. Thanh Hóa (any spelling: thanh hoa)")):
        from crawler.coverage import UnknownProvince, coverage_report

        try:
            registry = load_registry(app.state.config.registry)
        except RegistryError as error:
            raise HTTPException(503, f"the registry cannot be read: {error}") from None
        try:
            return coverage_report(registry, get_store(), province=province)
        except UnknownProvince as error:
            raise HTTPException(400, str(error)) from None

    @app.get("/runs", summary="Crawl runs, newest first")
    def runs(limit: int = Query(20, ge=1, le=200)):
        return [public_run(run) for run in get_store().list_runs(limit)]

    @app.get("/runs/{run_id}", summary="One crawl run (e.g. the one POST /admin/crawl started)")
    def run(run_id: str):
        found = get_store().get_run(run_id)
        if found is None:
            raise HTTPException(404, f"no run {run_id}")
        return public_run(found)

    @app.get("/changes", summary="Every insert and update in order; pass `next` back as `after` to resume")
    def changes(after: str = Query("0", description="cursor from the previous answer; 0 from the start"),
                limit: int = Query(100, ge=1, le=1000)):
        if not after.isdigit():
            raise HTTPException(400, "after must be a cursor this API gave out (digits)")
        entries = get_store().changes_after(int(after), limit)
        feed = [{"op": entry["op"], "at": to_local_iso(entry["at"]), "article": public_article(doc) if doc else None}
                for entry, doc in entries]
        return {"changes": feed, "next": str(entries[-1][0]["seq"]) if entries else after}

    @app.get("/feed.atom", summary="Atom feed of the latest articles, same filters as /articles")
    def atom(portal: list[str] | None = Query(None), province: str | None = None, level: str | None = None,
             q: str | None = None, limit: int = Query(50, ge=1, le=API_LIMIT),
             unique: Unique = False, admin_code: AdminCode = None):
        page = search(get_store(), article_query(portal, province, level, None, None, q, "newest", limit, None, unique,
                                                 admin_code))
        return Response(atom_feed(page.articles), media_type="application/atom+xml; charset=utf-8")

    @app.get("/export.jsonl", summary="All matching articles, one JSON object per line (streamed)")
    def export_jsonl(portal: list[str] | None = Query(None), province: str | None = None, level: str | None = None,
                     since: str | None = None, until: str | None = None, q: str | None = None,
                     unique: Unique = False, admin_code: AdminCode = None):
        query = article_query(portal, province, level, since, until, q, "newest", API_LIMIT, None, unique, admin_code)
        lines = (json.dumps(a, ensure_ascii=False) + "\n" for a in iterate(get_store(), query))
        return StreamingResponse(lines, media_type="application/x-ndjson; charset=utf-8")

    @app.get("/export.csv", summary="All matching articles as CSV (streamed)")
    def export_csv(portal: list[str] | None = Query(None), province: str | None = None, level: str | None = None,
                   since: str | None = None, until: str | None = None, q: str | None = None,
                   unique: Unique = False, admin_code: AdminCode = None):
        query = article_query(portal, province, level, since, until, q, "newest", API_LIMIT, None, unique, admin_code)
        return StreamingResponse(csv_rows(iterate(get_store(), query)), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="articles.csv"'})

    from crawler.dashboard import router as dashboard_router
    app.include_router(dashboard_router)
    app.include_router(admin_router)
    return app


def csv_rows(articles: Iterator[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ARTICLE_FIELDS)
    writer.writeheader()
    for article in articles:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in article.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def portal_health(store: Store) -> list[dict]:
    """Each portal known to the store: its last run's figures, article count, health after its last run
    (ok | degraded | broken, with the reasons: crawler.health; unknown before a first run) and how many
    of its URLs are recorded as failed."""
    counts = store.article_counts()
    failures = store.failure_counts()
    out = []
    for portal in store.list_portals():
        last = store.get_run(portal["last_run_id"]) if portal.get("last_run_id") else None
        figures = (last or {}).get("portals", {}).get(portal["_id"], {})
        requests, errors = figures.get("requests", 0), figures.get("errors", 0)
        error_rate = round(errors / requests, 3) if requests else None
        health = portal.get("health") or {}
        out.append({
            "id": portal["_id"], "name": portal.get("name"), "province": portal.get("province"),
            "level": portal.get("level"), "platform": portal.get("platform"), "base_url": portal.get("base_url"),
            "enabled": portal.get("enabled", True), "articles": counts.get(portal["_id"], 0),
            "last_run": portal.get("last_run_id"), "last_run_at": to_local_iso(portal.get("last_run_at")),
            "last_success_at": to_local_iso(portal.get("last_success_at")), "last_run_figures": figures,
            "error_rate": error_rate, "status": health.get("status", "unknown"),
            "health_reasons": health.get("reasons", []), "failed_urls": failures.get(portal["_id"], 0),
        })
    return out
