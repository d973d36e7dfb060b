"""The portal registry: a validated YAML list of every portal the product crawls."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

DEFAULT_REGISTRY = "portals.yaml"
Level = Literal["commune", "ward", "district", "province", "newspaper"]


class RegistryError(Exception):
    """The registry file is missing or invalid; the message names file, entry and field."""


class Selectors(BaseModel):
    """Per-portal CSS selector overrides; each takes precedence over the platform's own."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    date: str | None = None
    summary: str | None = None
    body: str | None = None
    author: str | None = None
    list: str | None = Field(None, description="article links on a list page")
    next_page: str | None = Field(None, description="link to the next list page")


class Portal(BaseModel):
    """One registry entry: a site to crawl and how."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")
    name: str = Field(min_length=1)
    province: str = Field(min_length=1)
    level: Level
    platform: str
    base_url: str
    start_paths: tuple[str, ...] = ("/",)
    # Regex over an article link's path (and ?query): how article links are told apart on list pages.
    article_pattern: str | None = None
    selectors: Selectors = Selectors()
    render: Literal["browser"] | None = None
    enabled: bool = True
    download_delay: float | None = Field(None, ge=0, description="seconds between requests to this portal")
    # Cron expression (minute hour day month weekday, local time) overriding the registry's schedules.
    schedule: str | None = None
    # The official commune/ward the portal belongs to (crawler.units): 5-digit code and type.
    admin_code: str | None = Field(None, pattern=r"^\d{5}$")
    admin_type: Literal["xã", "phường", "đặc khu"] | None = None

    @field_validator("base_url")
    @classmethod
    def _absolute_http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an absolute http(s) URL such as https://camtu.thanhhoa.gov.vn")
        return value.rstrip("/")

    @field_validator("start_paths")
    @classmethod
    def _paths_are_local(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("needs at least one path")
        for path in value:
            if not path.startswith("/"):
                raise ValueError(f"path {path!r} must start with '/'")
        return value

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        return _valid_cron(value) if value is not None else None

    @field_validator("article_pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as error:
                raise ValueError(f"not a valid regular expression: {error}") from None
        return value

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, value: str) -> str:
        from spiders import PLATFORM_SPIDERS  # late import: spiders depend on this module

        if value not in PLATFORM_SPIDERS:
            raise ValueError(f"unknown platform {value!r}; known: {', '.join(sorted(PLATFORM_SPIDERS))}")
        return value

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    def start_urls(self) -> list[str]:
        return [self.base_url + path for path in self.start_paths]


class Registry(BaseModel):
    """All portals, keyed by unique id, and when each kind of portal is crawled."""

    model_config = ConfigDict(extra="forbid")

    # Cron expressions by platform or level, e.g. {newspaper: "0 */2 * * *"}; the rest run nightly.
    schedules: dict[str, str] = Field(default_factory=dict)
    portals: list[Portal]

    @field_validator("schedules")
    @classmethod
    def _crons(cls, value: dict[str, str]) -> dict[str, str]:
        return {key: _valid_cron(cron) for key, cron in value.items()}

    def schedule_of(self, portal: Portal, default: str) -> str:
        """The portal's own schedule, else its platform's, else its level's, else the default (nightly)."""
        return portal.schedule or self.schedules.get(portal.platform) or self.schedules.get(portal.level) or default

    @model_validator(mode="after")
    def _unique_ids(self) -> Registry:
        seen: set[str] = set()
        for portal in self.portals:
            if portal.id in seen:
                raise ValueError(f"duplicate portal id {portal.id!r}")
            seen.add(portal.id)
        return self

    def get(self, portal_id: str) -> Portal:
        for portal in self.portals:
            if portal.id == portal_id:
                return portal
        raise KeyError(portal_id)

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.portals]

    def enabled(self) -> list[Portal]:
        return [p for p in self.portals if p.enabled]


def _valid_cron(expression: str) -> str:
    from apscheduler.triggers.cron import CronTrigger  # late import: only schedules need it

    try:
        CronTrigger.from_crontab(expression)
    except ValueError as error:
        raise ValueError(f"{expression!r} is not a cron expression (minute hour day month weekday): {error}") from None
    return expression


def registry_path(explicit: str | os.PathLike | None = None) -> Path:
    """The registry file to use: explicit argument, else $PORTALS_REGISTRY, else ./portals.yaml."""
    return Path(explicit or os.environ.get("PORTALS_REGISTRY") or DEFAULT_REGISTRY)


def load_registry(path: str | os.PathLike | None = None) -> Registry:
    """Read and validate the registry; any problem raises RegistryError naming file, entry and field."""
    path = registry_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryError(f"{path}: registry file not found (set --registry or PORTALS_REGISTRY)") from None
    except OSError as error:
        raise RegistryError(f"{path}: cannot read registry: {error.strerror}") from None
    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise RegistryError(f"{path}:{where} invalid YAML: {getattr(error, 'problem', error)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("portals"), list):
        raise RegistryError(f"{path}: expected a top-level 'portals:' list")
    try:
        return Registry.model_validate(data)
    except ValidationError as error:
        raise RegistryError(_describe(path, data, error)) from None


def _describe(path: Path, data: dict, error: ValidationError) -> str:
    """One line per problem: file, entry (index and id), field, message."""
    lines = []
    for problem in error.errors():
        loc = list(problem["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] == "portals" and isinstance(loc[1], int):
            entry = data["portals"][loc[1]]
            entry_id = entry.get("id") if isinstance(entry, dict) else None
            where = f"portals[{loc[1]}]" + (f" (id {entry_id!r})" if entry_id else "")
            loc = loc[2:]
        field = ".".join(str(part) for part in loc)
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{path}: {where}{' field ' + repr(field) if field else ''}: {message}".replace(":  ", ": "))
    return "; ".join(lines)
