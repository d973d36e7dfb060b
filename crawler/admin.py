"""Admin routes of the HTTP API: trigger a crawl, add a portal, enable or disable one.

Off unless PORTALS_ADMIN_TOKEN is set; then each call needs `Authorization: Bearer <token>`.
Every other route stays read-only whatever the token.
"""

from __future__ import annotations

import secrets
import threading

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from crawler.registry import RegistryError, load_registry

TOKEN_ENV = "PORTALS_ADMIN_TOKEN"
bearer = HTTPBearer(auto_error=False, description=f"the token in {TOKEN_ENV} on the server")


def require_admin(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    token = request.app.state.admin_token
    if not token:
        raise HTTPException(403, f"admin actions are off on this server (set {TOKEN_ENV} to turn them on)")
    if credentials is None or not secrets.compare_digest(credentials.credentials.encode(), token.encode()):
        raise HTTPException(401, "admin actions need Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})


router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])


class CrawlRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    portals: list[str] = Field(default_factory=list, description="portal ids; or all=true", max_length=5000)
    all: bool = False


class NewPortal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=4, max_length=2000, description="the portal's home page")
    id: str | None = Field(None, max_length=100)
    name: str | None = Field(None, max_length=300)
    province: str | None = Field(None, max_length=100)
    level: str | None = Field(None, max_length=50)
    add_failing: bool = Field(False, description="add even when the 5-article sample check fails")


def _registry(request: Request):
    try:
        return load_registry(request.app.state.config.registry)
    except RegistryError as error:
        raise HTTPException(500, f"the registry cannot be read: {error}") from None


@router.post("/crawl", status_code=202, summary="Start a crawl of some portals (or all=true); answers its run id")
def crawl(body: CrawlRequest, request: Request):
    from scheduler import cycle

    registry = _registry(request)
    ids = [portal.id for portal in registry.enabled()] if body.all else body.portals
    unknown = sorted(set(ids) - set(registry.ids))
    if unknown or not ids:
        raise HTTPException(400, f"unknown portal id(s): {', '.join(unknown)}" if unknown else "name the portals, or all=true")
    leased = cycle.lease_run(ids, instance="api", period_seconds=0, trigger="api", config=request.app.state.config)
    if leased is None:
        raise HTTPException(409, "every named portal is being crawled right now")
    threading.Thread(target=leased.crawl, name=f"crawl-{leased.run_id}", daemon=True).start()
    return {"run_id": leased.run_id, "portals": leased.portal_ids, "skipped": leased.skipped}


@router.post("/portals", status_code=201, summary="Onboard a portal from its URL (as `portals add --yes`)")
def add_portal(body: NewPortal, request: Request):
    from crawler import settings
    from crawler.onboard import Fetcher, onboard_many
    from crawler.registry_file import RegistryFile

    _registry(request)
    row = {"url": body.url, "id": body.id, "name": body.name, "province": body.province, "level": body.level}
    [result] = onboard_many([row], Fetcher(settings.USER_AGENT), RegistryFile(request.app.state.config.registry),
                            add_failing=body.add_failing, jobs=1)
    if result.result != "added":
        raise HTTPException(422, f"{body.url}: not added: {result.detail}")
    return _registry(request).get(result.portal_id).model_dump(mode="json")


@router.post("/portals/{portal_id}/enable", summary="Crawl this portal again")
def enable(portal_id: str, request: Request):
    return _set_enabled(request, portal_id, True)


@router.post("/portals/{portal_id}/disable", summary="Stop crawling this portal (its articles stay)")
def disable(portal_id: str, request: Request):
    return _set_enabled(request, portal_id, False)


def _set_enabled(request: Request, portal_id: str, enabled: bool) -> dict:
    from crawler.registry_file import RegistryFile

    if portal_id not in _registry(request).ids:
        raise HTTPException(404, f"no portal {portal_id}")
    RegistryFile(request.app.state.config.registry).set_enabled(portal_id, enabled)
    return {"id": portal_id, "enabled": enabled}
