"""The `portals` command: list, crawl, query and extract articles, and manage the embedded store."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

from crawler.config import Config
from crawler.registry import RegistryError, load_registry

DEMO_ARTICLES_PER_SITE = 3  # articles on each discovered commune's replica site: the demo stays within minutes


class UsageError(Exception):
    """Bad command-line input (unknown portal, conflicting options...)."""


class OneLineErrorParser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line (no usage dump), exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Options accepted before and after the subcommand (portals --db X crawl / portals crawl --db X)."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--registry", metavar="PATH", default=default, help="portal registry YAML (env PORTALS_REGISTRY, default ./portals.yaml)")
    parser.add_argument("--mongo-uri", metavar="URI", default=default, help="MongoDB URI (env MONGO_URI; unset: the embedded store under ./data)")
    parser.add_argument("--db", metavar="NAME", default=default, help="database name (env PORTALS_DB, default 'portals')")
    parser.add_argument("--data-dir", metavar="PATH", default=default, help="embedded store data directory (env PORTALS_DATA_DIR, default ./data)")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(prog="portals", description="Crawler and aggregator of Vietnamese provincial portals.")
    _global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _global_options(sub, suppress=True)
        return sub

    sub = command("list", "list the portals of the registry")
    sub.add_argument("--json", action="store_true", help="one JSON array on stdout")
    sub.set_defaults(handler=cmd_list)

    sub = command("crawl", "crawl portals into the store and record the run")
    sub.add_argument("ids", nargs="*", metavar="ID", help="portal ids (see `portals list`)")
    sub.add_argument("--all", action="store_true", help="every enabled portal")
    sub.add_argument("--refresh", action="store_true", help="download stored articles again to pick up edits")
    sub.add_argument("--json", action="store_true", help="print one JSON object with the run's figures on stdout")
    sub.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    sub.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                     help="override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=1 (repeatable)")
    sub.add_argument("--distributed", action="store_true", help="seed a run into Redis and crawl it as one worker")
    sub.add_argument("--redis-url", default=os.environ.get("REDIS_URL"), help="with --distributed (env REDIS_URL)")
    sub.add_argument("--run-id", help=argparse.SUPPRESS)  # set by the scheduler, which records the run first
    sub.add_argument("--trigger", default="cli", help=argparse.SUPPRESS)
    sub.set_defaults(handler=cmd_crawl)

    sub = command("worker", "join the current distributed run (Redis) and crawl until its queue stays empty")
    sub.add_argument("--redis-url", default=os.environ.get("REDIS_URL"), help="env REDIS_URL")
    sub.add_argument("--idle", type=float, default=30.0, metavar="SECONDS",
                     help="exit after the run has had nothing queued or in progress this long")
    sub.add_argument("--json", action="store_true", help="print one JSON object with the worker's figures")
    sub.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    sub.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="override a Scrapy setting")
    sub.set_defaults(handler=cmd_worker)

    sub = command("query", "print stored articles")
    sub.add_argument("--portal", action="append", default=[], metavar="ID", help="portal id (repeatable)")
    sub.add_argument("--province")
    sub.add_argument("--level", choices=["commune", "ward", "district", "province", "newspaper"])
    sub.add_argument("--since", metavar="ISO", help="published at or after (local time if no offset)")
    sub.add_argument("--until", metavar="ISO", help="published before")
    sub.add_argument("--q", metavar="TEXT", help='full-text search, diacritics optional: muong lat, "hội nghị trực tuyến", -bão')
    sub.add_argument("--sort", choices=["newest", "oldest", "relevance"], default=None,
                     help="default: relevance with --q, else newest")
    sub.add_argument("--limit", type=int, default=100)
    sub.add_argument("--format", choices=["jsonl", "csv", "atom", "table"], default="table")
    sub.add_argument("--unique", action="store_true", help="one article per story (the first of its articles in this order)")
    sub.add_argument("--stories", action="store_true",
                     help="print stories (the news several articles may carry) instead of articles: jsonl or table")
    sub.add_argument("--min-members", type=int, default=1, metavar="N", help="with --stories: stories of N articles or more")
    sub.set_defaults(handler=cmd_query)

    sub = command("extract", "extract one article page (a saved file or a URL) and print it as JSON; no crawl, nothing stored")
    sub.add_argument("source", metavar="PATH_OR_URL", help="saved HTML file, or an http(s) URL to fetch")
    sub.add_argument("--url", help="the page's URL, for a saved file (resolves links; matches a registry portal)")
    source = sub.add_mutually_exclusive_group()
    source.add_argument("--portal", metavar="ID", help="use this portal's platform and selector overrides")
    source.add_argument("--platform", help="use this platform's extractor (default: the portal whose host the URL is on, else detected)")
    sub.set_defaults(handler=cmd_extract)

    sub = command("add", "onboard a portal: detect its platform, learn its lists, check a sample, add it to the registry")
    sub.add_argument("url", nargs="?", metavar="URL", help="the portal's home page")
    sub.add_argument("--id", help="registry id (default: from the host name, else the portal's name)")
    sub.add_argument("--name", help="e.g. 'Xã Mường Lát' (default: read from the page footer or banner)")
    sub.add_argument("--province", help="e.g. 'Thanh Hóa' (default: from the host name or the page)")
    sub.add_argument("--level", choices=["commune", "ward", "district", "province", "newspaper"])
    sub.add_argument("--yes", action="store_true", help="add it even when the sample check fails")
    sub.add_argument("--dry-run", action="store_true", help="probe and report; write nothing")
    sub.add_argument("--from-file", metavar="CSV", help="onboard many: a CSV with columns url,id,name,province,level")
    sub.add_argument("--jobs", type=int, default=8, help="sites probed at once with --from-file")
    sub.add_argument("--delay", type=float, default=0.5, help="seconds between requests to one site")
    sub.set_defaults(handler=cmd_add)

    sub = command("discover", "find and register the portals of official communes and wards (vietnam-provinces list)")
    sub.add_argument("--province", action="append", default=[], metavar="NAME", help="a province, e.g. 'Thanh Hóa' (repeatable)")
    sub.add_argument("--all", action="store_true", help="every province")
    sub.add_argument("--dry-run", action="store_true", help="probe and report; write nothing (registry, store)")
    sub.add_argument("--report", metavar="PATH", help="write the JSON report here")
    sub.add_argument("--jobs", type=int, default=16, help="units probed at once (each its own hosts)")
    sub.add_argument("--delay", type=float, default=0.5, help="seconds between requests to one host")
    sub.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for one answer")
    sub.add_argument("--budget", type=float, metavar="SECONDS", help="start no new unit after this long (the rest stay open)")
    sub.add_argument("--retry", action="store_true", help="probe again the units an earlier run could not register")
    sub.set_defaults(handler=cmd_discover)

    sub = command("check", "re-run the sample check of a registered portal (diagnose a layout change)")
    sub.add_argument("id", metavar="ID")
    sub.add_argument("--delay", type=float, default=0.5, help="seconds between requests")
    sub.set_defaults(handler=cmd_check)

    for name, help_text in (("enable", "crawl this portal again"), ("disable", "stop crawling this portal (kept in the registry)"),
                            ("remove", "delete this portal from the registry (its stored articles stay)")):
        sub = command(name, help_text)
        sub.add_argument("id", metavar="ID")
        sub.set_defaults(handler=cmd_registry_edit)

    sub = command("schedule", "run the scheduler in the foreground (default), list its jobs, or trigger a crawl now")
    sub.add_argument("action", nargs="?", choices=["run", "list", "trigger"], default="run")
    sub.add_argument("ids", nargs="*", metavar="ID", help="with trigger: the portals to crawl now")
    sub.add_argument("--all", action="store_true", help="with trigger: every enabled portal")
    sub.add_argument("--every", type=float, metavar="SECONDS", help="one job crawling every enabled portal this often (demos, tests)")
    sub.add_argument("--instance", help="this scheduler's name; each instance keeps its own jobs (default: host name)")
    sub.set_defaults(handler=cmd_schedule)

    sub = command("runs", "crawl runs recorded in the store, newest first")
    sub.add_argument("--limit", type=int, default=20)
    sub.add_argument("--json", action="store_true", help="a JSON list of runs")
    sub.set_defaults(handler=cmd_runs)

    sub = command("health", "each portal's health after its last run: ok, degraded or broken, with reasons")
    sub.add_argument("--json", action="store_true", help="a JSON list of portals with their health and failed URLs")
    sub.add_argument("--failures", action="store_true", help="also list each portal's failed URLs with their reasons")
    sub.set_defaults(handler=cmd_health)

    sub = command("coverage", "per province: official units, registered, crawled OK, silent, broken; units with no site found")
    sub.add_argument("--province", metavar="NAME", help="one province (e.g. 'Thanh Hóa', 'thanh hoa')")
    sub.add_argument("--json", action="store_true", help="the report as one JSON object")
    sub.set_defaults(handler=cmd_coverage)

    sub = command("serve", "the HTTP API and dashboard (OpenAPI at /docs)")
    sub.add_argument("--host", default="127.0.0.1")
    sub.add_argument("--port", type=int, default=8080)
    sub.set_defaults(handler=cmd_serve)

    sub = command("demo", "offline end to end: a replica province under real host names; discover, crawl twice, show")
    sub.add_argument("--seed", type=int, default=1, help="replica content seed")
    sub.add_argument("--province", default="Thanh Hóa", help="the province the replica serves (default Thanh Hóa)")
    sub.set_defaults(handler=cmd_demo)

    sub = command("replica", "local replica portals on 127.0.0.1 for offline development, demos and tests")
    sub.add_argument("action", choices=["serve"])
    sub.add_argument("--host", default="127.0.0.1", help="base loopback address: portals get the next addresses (127.0.0.2, .3, ...)")
    sub.add_argument("--port", type=int, default=0, help="port on every portal's address (default: a free port each)")
    sub.add_argument("--registry-out", metavar="PATH", help="write a registry of the replica portals here")
    sub.add_argument("--seed", type=int, default=1, help="content seed (same seed, same sites)")
    sub.add_argument("--variants", type=int, default=0, metavar="N",
                     help="also serve N communes in layouts no spider knows, plus a non-portal and an empty portal")
    sub.add_argument("--publish-every", type=float, metavar="SECONDS",
                     help="publish one new article on every portal this often (to watch incremental crawls)")
    sub.add_argument("--faults", metavar="SPEC", default="",
                     help="inject faults into the known portals, e.g. 5xx=0.1,timeout=0.05,reset=0.05 (all=P: every kind)")
    sub.set_defaults(handler=cmd_replica)

    sub = command("store", "manage the embedded store (used when MONGO_URI is unset)")
    sub.add_argument("action", choices=["start", "stop", "status"])
    sub.add_argument("--port", type=int, default=int(os.environ.get("PORTALS_STORE_PORT", "0")), help="listen port for start (default: any free port)")
    sub.set_defaults(handler=cmd_store)
    return parser


def apply_globals(args: argparse.Namespace) -> Config:
    """Write global options into the environment so Scrapy settings and child processes see them."""
    for option, variable in (("registry", "PORTALS_REGISTRY"), ("mongo_uri", "MONGO_URI"), ("db", "PORTALS_DB"), ("data_dir", "PORTALS_DATA_DIR")):
        value = getattr(args, option, None)
        if value:
            os.environ[variable] = value
    return Config.from_env()


# --- commands ------------------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace, config: Config) -> int:
    registry = load_registry(config.registry)
    rows = [portal.model_dump(mode="json", exclude_defaults=False) for portal in registry.portals]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{'ID':<16} {'PLATFORM':<22} {'LEVEL':<10} {'ON':<3} {'PROVINCE':<12} NAME / BASE URL")
    for p in registry.portals:
        print(f"{p.id:<16} {p.platform:<22} {p.level:<10} {'yes' if p.enabled else 'no':<3} {p.province:<12} {p.name}  {p.base_url}")
    return 0


def cmd_crawl(args: argparse.Namespace, config: Config) -> int:
    from crawler.crawl import run_crawl  # Scrapy import is slow; only crawls need it

    registry = load_registry(config.registry)
    if args.all and args.ids:
        raise UsageError("give portal ids or --all, not both")
    if args.all:
        ids = [p.id for p in registry.enabled()]
    elif args.ids:
        unknown = [i for i in args.ids if i not in registry.ids]
        if unknown:
            raise UsageError(f"unknown portal id(s): {', '.join(unknown)} (see `portals list`)")
        ids = list(dict.fromkeys(args.ids))
    else:
        raise UsageError("name the portals to crawl, or --all")
    if not ids:
        raise UsageError("no enabled portal in the registry")
    overrides = setting_overrides(args)
    distributed = False
    if args.distributed:
        from crawler.crawl import seed_distributed_run
        from crawler.distributed import distributed_settings

        if not args.redis_url:
            raise UsageError("--distributed needs --redis-url or REDIS_URL")
        run = seed_distributed_run(registry, ids, args.redis_url)
        print(f"distributed run {run}: {len(ids)} portal(s) seeded; workers join with "
              f"`portals worker --redis-url {args.redis_url}`", file=sys.stderr)
        overrides = {**distributed_settings(args.redis_url, run, idle_seconds=10, lease_seconds=60), **overrides}  # -s wins
        distributed = True
    result = run_crawl(config, registry, ids, refresh=args.refresh, trigger="distributed" if distributed else args.trigger,
                       run_id=args.run_id, settings_overrides=overrides, distributed=distributed)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print_crawl_table(result)
    return {"finished": 0, "interrupted": 130}.get(result.status, 1)


def setting_overrides(args: argparse.Namespace) -> dict:
    """--log-level and -s NAME=VALUE as Scrapy settings."""
    overrides = {"LOG_LEVEL": args.log_level}
    for assignment in args.set:
        name, sep, value = assignment.partition("=")
        if not sep or not name.isupper():
            raise UsageError(f"-s expects NAME=VALUE with an upper-case setting name, got {assignment!r}")
        overrides[name] = value
    return overrides


def cmd_worker(args: argparse.Namespace, config: Config) -> int:
    from crawler.crawl import current_distributed_run, run_crawl
    from crawler.distributed import distributed_settings

    if not args.redis_url:
        raise UsageError("give --redis-url or set REDIS_URL")
    if args.idle <= 0:
        raise UsageError("--idle takes a number of seconds above 0")
    registry = load_registry(config.registry)
    run, ids = current_distributed_run(args.redis_url)
    unknown = [i for i in ids if i not in registry.ids]
    if unknown:
        raise UsageError(f"the run crawls portals this registry does not have: {', '.join(unknown)}")
    print(f"worker joining distributed run {run}: {len(ids)} portal(s)", file=sys.stderr)
    overrides = {**distributed_settings(args.redis_url, run, idle_seconds=args.idle, lease_seconds=60), **setting_overrides(args)}
    result = run_crawl(config, registry, ids, trigger="worker", settings_overrides=overrides, distributed=True)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print_crawl_table(result)
    return {"finished": 0, "interrupted": 130}.get(result.status, 1)


def print_crawl_table(result) -> None:
    from crawler.crawl import COUNTERS

    widths = [len(name) + 2 for name in COUNTERS]
    row = lambda label, values: f"{label:<16}" + "".join(f"{v:>{w}}" for v, w in zip(values, widths))  # noqa: E731
    print(f"run {result.run_id}: {result.status}")
    print(row("PORTAL", COUNTERS))
    for portal_id, counts in result.portals.items():
        print(row(portal_id, [counts[name] for name in COUNTERS]))
    print(row("TOTAL", [result.totals[name] for name in COUNTERS]))


def cmd_query(args: argparse.Namespace, config: Config) -> int:
    from itertools import islice

    from crawler.query import MAX_LIMIT, ArticleQuery, iterate, parse_instant
    from crawler.store import Store

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    if args.stories:
        return query_stories(args, config)
    if args.min_members != 1:
        raise UsageError("--min-members goes with --stories")
    query = ArticleQuery(
        portals=args.portal, province=args.province, level=args.level, text=args.q, limit=min(args.limit, MAX_LIMIT),
        sort=args.sort or ("relevance" if args.q else "newest"), unique=args.unique,
        since=parse_instant(args.since, "--since") if args.since else None,
        until=parse_instant(args.until, "--until") if args.until else None,
    )
    store = Store.open(config)
    articles = list(islice(iterate(store, query, page_size=query.limit), args.limit))
    write_articles(articles, args.format, sys.stdout)
    if args.format == "table":
        print(f"({len(articles)} article(s))", file=sys.stderr)
    return 0


def query_stories(args: argparse.Namespace, config: Config) -> int:
    """`portals query --stories`: stories newest first, as JSON lines or a table."""
    from crawler.query import MAX_LIMIT, StoryQuery, parse_instant, search_stories
    from crawler.store import Store

    refused = [flag for flag, value in (("--portal", args.portal), ("--province", args.province), ("--level", args.level),
                                        ("--q", args.q), ("--sort", args.sort), ("--unique", args.unique)) if value]
    if refused:
        raise UsageError(f"--stories takes --since, --until, --min-members, --limit and --format, not {', '.join(refused)}")
    if args.format not in ("jsonl", "table"):
        raise UsageError("--stories prints jsonl or table")
    if args.min_members < 1:
        raise UsageError("--min-members must be at least 1")
    query = StoryQuery(since=parse_instant(args.since, "--since") if args.since else None,
                       until=parse_instant(args.until, "--until") if args.until else None,
                       min_members=args.min_members, limit=min(args.limit, MAX_LIMIT))
    store = Store.open(config)
    stories: list[dict] = []
    while len(stories) < args.limit:
        page = search_stories(store, query)
        stories += page.stories[:args.limit - len(stories)]
        if not page.next_cursor:
            break
        query.cursor = page.next_cursor
    for story in stories:
        if args.format == "jsonl":
            sys.stdout.write(json.dumps(story, ensure_ascii=False) + "\n")
        else:
            title = story["canonical"].get("title") or ""
            title = title if len(title) <= 80 else title[:79] + "…"
            portals = sorted({member["portal"] or "" for member in story["members"]})
            sys.stdout.write(f"{(story['first_seen'] or '')[:16].replace('T', ' '):<16}  {len(story['members']):>3}  "
                             f"{title}  [{', '.join(portals)}]\n")
    if args.format == "table":
        print(f"({len(stories)} story(ies))", file=sys.stderr)
    return 0


def write_articles(articles: list[dict], fmt: str, out) -> None:
    if fmt == "atom":
        from crawler.feeds import atom_feed

        out.write(atom_feed(articles).decode("utf-8") + "\n")
    elif fmt == "jsonl":
        for article in articles:
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        from crawler.items import ARTICLE_FIELDS

        writer = csv.DictWriter(out, fieldnames=ARTICLE_FIELDS)
        writer.writeheader()
        for article in articles:
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in article.items()})
    else:
        for article in articles:
            published = (article["published_at"] or "")[:16].replace("T", " ")
            title = article["title"] or ""
            title = title if len(title) <= 90 else title[:89] + "…"
            out.write(f"{published:<16}  {article['portal']:<14} {title}\n")


def cmd_extract(args: argparse.Namespace, config: Config) -> int:
    from urllib.parse import urlsplit

    from crawler.detect import detect_platform
    from crawler.query import public_article
    from crawler.urls import same_site
    from spiders import PLATFORM_SPIDERS

    if args.source.startswith(("http://", "https://")):
        url, html = args.source, fetch_page(args.source)
    else:
        try:
            html = Path(args.source).read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise UsageError(f"{args.source}: {error.strerror}") from None
        url = args.url or Path(args.source).resolve().as_uri()
    portal = None
    if args.portal:
        registry = load_registry(config.registry)
        if args.portal not in registry.ids:
            raise UsageError(f"unknown portal id: {args.portal}")
        portal = registry.get(args.portal)
    elif not args.platform and urlsplit(url).hostname:
        try:
            registry = load_registry(config.registry)
        except RegistryError:
            registry = None  # no usable registry: fall back to detection
        if registry:
            portal = next((p for p in registry.portals if same_site(url, p.host) and urlsplit(url).port == urlsplit(p.base_url).port), None)
    platform = portal.platform if portal else args.platform or detect_platform(url, html)
    if platform not in PLATFORM_SPIDERS:
        raise UsageError(f"unknown platform {platform!r}; known: {', '.join(sorted(PLATFORM_SPIDERS))}")
    page = PLATFORM_SPIDERS[platform].article_page(url, html, portal.selectors if portal else None)
    record = public_article(page.to_article())
    record = {key: value for key, value in record.items() if value is not None or key in ("published_at",)}
    print(json.dumps({"platform": platform, "portal": portal.id if portal else None, **record}, ensure_ascii=False, indent=2))
    return 0


def fetch_page(url: str) -> str:
    """One page over HTTP with the crawler's User-Agent (for `extract URL`)."""
    import urllib.error
    import urllib.request

    from crawler import settings

    request = urllib.request.Request(url, headers={"User-Agent": settings.USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode(response.headers.get_content_charset() or "utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        raise UsageError(f"{url}: HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise UsageError(f"{url}: cannot fetch: {getattr(error, 'reason', error)}") from None


def _fetcher(delay: float):
    from crawler import settings
    from crawler.onboard import Fetcher

    if delay < 0:
        raise UsageError("--delay must be zero or more")
    return Fetcher(settings.USER_AGENT, delay=delay)


def cmd_add(args: argparse.Namespace, config: Config) -> int:
    from crawler.onboard import OnboardError, probe_site
    from crawler.registry_file import RegistryFile, site_key

    if args.from_file:
        if args.url or args.id or args.name:
            raise UsageError("--from-file takes the sites from the CSV: give no URL, --id or --name")
        return add_many(args, config)
    if not args.url:
        raise UsageError("give the portal's URL, or --from-file CSV")
    registry_file = RegistryFile(config.registry)
    registry = registry_file.registry()
    taken = set(registry.ids) if registry else set()
    if args.id and args.id in taken:
        raise UsageError(f"portal id {args.id!r} already exists in {config.registry}")
    url = args.url if "://" in args.url else "https://" + args.url
    for portal in registry.portals if registry else ():
        if site_key(portal.base_url) == site_key(url):
            raise UsageError(f"{args.url} is already registered as {portal.id!r}")
    print(f"probing {url} ...", flush=True)
    try:
        proposal = probe_site(url, _fetcher(args.delay), taken_ids=taken, portal_id=args.id, name=args.name,
                              province=args.province, level=args.level)
    except OnboardError as error:
        raise UsageError(str(error)) from None
    for note in proposal.notes:
        print(f"  {note}")
    print("\n".join(proposal.report.lines()))
    entry = proposal.entry
    if not proposal.report.passed and not args.yes:
        raise UsageError(f"sample check failed for {url}: not added (fix selectors, or --yes to add anyway)")
    if args.dry_run:
        print(f"dry run: {entry['id']} not written to {config.registry}:")
        print(json.dumps({k: v for k, v in entry.items() if v is not None}, ensure_ascii=False, indent=2))
        return 0
    registry_file.add([entry])
    print(f"added {entry['id']} to {config.registry} ({entry['platform']}, {', '.join(entry['start_paths'])}); "
          f"crawl it with: portals crawl {entry['id']}")
    return 0


def add_many(args: argparse.Namespace, config: Config) -> int:
    """`add --from-file`: onboard every CSV row, print a summary table; exit 1 if any row failed."""
    from crawler.onboard import onboard_many
    from crawler.registry_file import RegistryFile

    try:
        with open(args.from_file, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise UsageError(f"{args.from_file}: {error.strerror}") from None
    if not rows or "url" not in rows[0]:
        raise UsageError(f"{args.from_file}: expected a header line with a 'url' column (url,id,name,province,level)")

    def progress(done: int, url: str) -> None:
        print(f"[{done}/{len(rows)}] probed {url}", file=sys.stderr, flush=True)

    summary = onboard_many(rows, _fetcher(args.delay), RegistryFile(config.registry), add_failing=args.yes,
                           jobs=args.jobs, progress=progress)
    width = max([len(row.portal_id) for row in summary] + [2])
    print(f"{'ID':<{width}}  {'RESULT':<7} URL  (DETAIL)")
    for row in summary:
        print(f"{row.portal_id:<{width}}  {row.result:<7} {row.url}  ({row.detail})")
    added = sum(row.result == "added" for row in summary)
    print(f"added {added}, failed {len(summary) - added} of {len(summary)}; registry: {config.registry}")
    return 0 if added == len(summary) else 1


def cmd_check(args: argparse.Namespace, config: Config) -> int:
    from crawler.onboard import OnboardError, check_portal

    registry = load_registry(config.registry)
    if args.id not in registry.ids:
        raise UsageError(f"unknown portal id: {args.id} (see `portals list`)")
    portal = registry.get(args.id)
    print(f"checking {portal.id} ({portal.platform}) at {portal.base_url} ...", flush=True)
    try:
        report = check_portal(portal, _fetcher(args.delay))
    except OnboardError as error:
        raise UsageError(str(error)) from None
    print("\n".join(report.lines()))
    return 0 if report.passed else 1


def cmd_discover(args: argparse.Namespace, config: Config) -> int:
    """Probe the official units the registry lacks; register those whose site passes; report the rest."""
    import time

    from crawler import settings
    from crawler.discover import Discoverer, report
    from crawler.onboard import Fetcher
    from crawler.registry_file import RegistryFile
    from crawler.store import Store
    from crawler.units import UnknownProvince, units

    if bool(args.all) == bool(args.province):
        raise UsageError("give --province NAME (repeatable) or --all")
    if args.jobs < 1 or args.delay < 0 or args.timeout <= 0 or (args.budget is not None and args.budget <= 0):
        raise UsageError("--jobs takes 1 or more, --delay 0 or more, --timeout and --budget more than 0")
    try:
        wanted = units() if args.all else [u for name in dict.fromkeys(args.province) for u in units(name)]
    except UnknownProvince as error:
        raise UsageError(str(error)) from None
    registry_file = RegistryFile(config.registry)
    registry = registry_file.registry()  # a registry that does not parse: one line, before any probe
    store = Store.open(config)
    fetcher = Fetcher(settings.USER_AGENT, delay=args.delay, timeout=args.timeout, cache_size=4096)
    discoverer = Discoverer(registry_file, store, fetcher, jobs=args.jobs, budget_seconds=args.budget,
                            dry_run=args.dry_run, progress=_progress_printer())
    if args.retry:
        unsettled = [doc["_id"] for doc in store.discoveries() if doc.get("outcome") != "registered"]
        if not args.dry_run:
            store.forget_discoveries(unsettled)
    todo, skipped = discoverer.to_probe(wanted, registry, refresh=args.retry and args.dry_run)
    print(f"{len(wanted)} official units; {skipped} already registered or settled; probing {len(todo)} "
          f"({args.jobs} at a time){' (dry run)' if args.dry_run else ''}", file=sys.stderr, flush=True)
    started = time.monotonic()
    interrupted = False
    try:
        results = discoverer.run(todo)
    except KeyboardInterrupt:
        results, interrupted = discoverer.results, True
    summary = report(results, skipped, time.monotonic() - started, fetcher.requests)
    if args.report:
        Path(args.report).write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    print_discoveries(results)
    counts = ", ".join(f"{n} {outcome}" for outcome, n in summary["outcomes"].items() if n)
    left = len(todo) - len(results)
    print(f"probed {len(results)} units in {summary['wall_seconds']} s ({summary['requests_per_unit']} requests per unit): "
          f"{counts or 'nothing to do'}" + (f"; {left} left for the next run" if left else "")
          + (" (dry run: nothing written)" if args.dry_run else f"; registry: {config.registry}"))
    return 130 if interrupted else 0


def _progress_printer():
    """A progress line on stderr: redrawn in place on a terminal, else every 25 units."""
    tty = sys.stderr.isatty()

    def show(state) -> None:
        if tty:
            print(f"\r{state.line()}", end="", file=sys.stderr, flush=True)
        elif state.done % 25 == 0 or state.done == state.total:
            print(state.line(), file=sys.stderr, flush=True)
    return show


def print_discoveries(results) -> None:
    """Registered units, then the others with why."""
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for result in sorted(results, key=lambda r: (r.outcome != "registered", r.province, r.admin_code)):
        where = result.host or "-"
        what = f"as {result.portal_id} ({result.detail})" if result.outcome == "registered" else result.detail
        print(f"{result.admin_code}  {result.name:<24} {result.province:<12} {result.outcome:<20} {where}  {what}")


def cmd_registry_edit(args: argparse.Namespace, config: Config) -> int:
    from crawler.registry_file import RegistryFile

    registry_file = RegistryFile(config.registry)
    load_registry(config.registry)  # a clear error for a missing or invalid file
    if args.command == "remove":
        registry_file.remove(args.id)
    else:
        registry_file.set_enabled(args.id, args.command == "enable")
    print(f"{args.command}d {args.id} in {config.registry}")
    return 0


def cmd_schedule(args: argparse.Namespace, config: Config) -> int:
    import logging

    from crawler.dates import LOCAL_TZ
    from crawler.store import Store
    from scheduler import cycle
    from scheduler.service import Scheduler, instance_name

    if args.every is not None and args.every <= 0:
        raise UsageError("--every takes a number of seconds above 0")
    if args.action != "trigger" and (args.ids or args.all):
        raise UsageError("portal ids and --all go with `schedule trigger`")
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    registry = load_registry(config.registry)
    store = Store.open(config)
    instance = instance_name(args.instance)
    scheduler = Scheduler(store, registry, instance, every=args.every,
                          misfire_grace=int(os.environ.get("PORTALS_MISFIRE_GRACE", 3600)),
                          jitter=int(os.environ.get("PORTALS_JITTER", 300)))
    if args.action == "list":
        print(f"scheduler instance {instance!r}; times in Asia/Ho_Chi_Minh")
        for job, upcoming in scheduler.next_runs():
            when = upcoming.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S") if upcoming else "paused"
            print(f"{job.job_id:<28} next {when}  {len(job.portal_ids)} portal(s): {', '.join(job.portal_ids)}")
        return 0
    if args.action == "trigger":
        ids = [p.id for p in registry.enabled()] if args.all else args.ids
        unknown = [i for i in ids if i not in registry.ids]
        if unknown or not ids:
            raise UsageError(f"unknown portal id(s): {', '.join(unknown)}" if unknown else "name the portals to crawl, or --all")
        run = cycle.run_portals(ids, instance=instance, period_seconds=0, trigger="manual", config=config)
        if run is None:
            raise UsageError("every named portal is being crawled by another scheduler right now")
        from crawler.query import public_run

        print(json.dumps(public_run(run), ensure_ascii=False))
        return 0 if run["status"] == "finished" else 1
    scheduler.run()
    return 0


def cmd_health(args: argparse.Namespace, config: Config) -> int:
    """Exit status 0 when every portal is ok, 1 when any is degraded or broken (for monitoring)."""
    from crawler.api import portal_health
    from crawler.dates import to_local_iso
    from crawler.store import Store

    store = Store.open(config)
    portals = portal_health(store)
    failures: dict[str, list[dict]] = {}
    for failure in store.list_failures() if (args.failures or args.json) else ():
        failures.setdefault(failure["portal"], []).append({
            "url": failure["url"], "reason": failure["reason"], "runs": failure.get("runs", 1),
            "last_failed_at": to_local_iso(failure.get("last_failed_at"))})
    if args.json:
        print(json.dumps([{**p, "failures": failures.get(p["id"], [])} for p in portals], ensure_ascii=False, indent=2))
    else:
        if not portals:
            print("no portals in the store yet: run `portals crawl --all` first")
        width = max([len(p["id"]) for p in portals] + [6])
        for p in portals:
            failed = f", {p['failed_urls']} failed URL(s)" if p["failed_urls"] else ""
            print(f"{p['id']:<{width}}  {p['status']:<8}  last run {(p['last_run_at'] or 'never')[:19]}{failed}")
            for reason in p["health_reasons"]:
                print(f"{'':<{width}}    - {reason}")
            for failure in failures.get(p["id"], []):
                print(f"{'':<{width}}    ! {failure['url']}: {failure['reason']} ({failure['runs']} run(s))")
    return 0 if all(p["status"] in ("ok", "unknown") for p in portals) else 1


def cmd_coverage(args: argparse.Namespace, config: Config) -> int:
    """A row per province and a TOTAL row (crawler.coverage), then the units discovery found no site for."""
    from crawler.coverage import COLUMNS, coverage_report
    from crawler.store import Store
    from crawler.units import UnknownProvince, resolve_province

    try:
        province = resolve_province(args.province) if args.province is not None else None
    except UnknownProvince as error:
        raise UsageError(str(error)) from None
    registry = load_registry(config.registry)
    report = coverage_report(registry, Store.open(config), province=province)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    headers = {"official": "official", "registered": "registered", "crawled_ok_7d": "ok 7d", "silent_30d": "silent 30d",
               "never_crawled": "never crawled", "broken": "broken", "not_found": "no site", "undiscovered": "undiscovered",
               "other_portals": "other portals"}
    rows = report["provinces"] + [report["total"]]
    width = max(len(row["province"]) for row in rows + [{"province": "province"}])
    widths = {c: max(len(headers[c]), *(len(str(row[c])) for row in rows)) for c in COLUMNS}
    print(f"{'province':<{width}}  " + "  ".join(f"{headers[c]:>{widths[c]}}" for c in COLUMNS))
    for row in rows:
        print(f"{row['province']:<{width}}  " + "  ".join(f"{row[c]:>{widths[c]}}" for c in COLUMNS))
    if report["not_found"]:
        print(f"\nunits with no site found ({len(report['not_found'])}):")
        for unit in report["not_found"]:
            detail = f": {unit['detail']}" if unit["detail"] else ""
            print(f"{unit['admin_code']}  {unit['name']}  ({unit['province']})  {unit['outcome']}{detail}")
    return 0


def cmd_runs(args: argparse.Namespace, config: Config) -> int:
    from crawler.store import Store

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    from crawler.query import public_run

    runs = [public_run(run) for run in Store.open(config).list_runs(args.limit)]
    if args.json:
        print(json.dumps(runs, ensure_ascii=False, indent=2))
        return 0
    for run in runs:
        totals = run["totals"]
        figures = ", ".join(f"{k} {v}" for k, v in totals.items() if k in ("requests", "articles_new", "errors"))
        print(f"{run['run_id']}  {(run['started_at'] or '')[:19]}  {run['status']:<11} {run['trigger']:<8} "
              f"{len(run['portals'])} portal(s)  {figures}{'  ' + '; '.join(run['errors']) if run['errors'] else ''}")
    return 0


def cmd_serve(args: argparse.Namespace, config: Config) -> int:
    import uvicorn

    from crawler.api import create_app
    from crawler.store import Store

    app = create_app(config, Store.open(config))  # fail now, in one line, if the store is unreachable
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def cmd_demo(args: argparse.Namespace, config: Config) -> int:
    """The replica of a province under its real host names (a loopback proxy the children are pointed at with
    https_proxy): discovery of its communes and wards, then two crawls, each a child process as the scheduler
    runs them, then the coverage table."""
    import subprocess

    from crawler.query import ArticleQuery, find_articles
    from crawler.replica.nation import Nation
    from crawler.replica.server import registry_yaml
    from crawler.store import Store
    from crawler.units import UnknownProvince, match_unit, resolve_province

    try:
        province = resolve_province(args.province)
    except UnknownProvince as error:
        raise UsageError(str(error)) from None
    os.environ.setdefault("PORTALS_DB", "demo")  # replica articles apart from real ones, unless --db says otherwise
    config = Config.from_env()
    store = Store.open(config)  # starts the embedded store if needed, before the crawls share it
    config.data_dir.mkdir(parents=True, exist_ok=True)
    registry_file = config.data_dir / "demo-registry.yaml"
    child = [sys.executable, "-m", "crawler", "--registry", str(registry_file)]
    with Nation(provinces=(province,), seed=args.seed, articles_per_site=DEMO_ARTICLES_PER_SITE) as nation:
        os.environ.update(nation.env())  # every child reaches the real host names through the replica's proxy only
        entries = []
        for entry in nation.registry_entries():  # the registry's six known portals, as portals.yaml has them
            unit = match_unit(entry["name"], entry["province"]) if entry["level"] in ("commune", "ward") else None
            entries.append(entry | ({"admin_code": unit.admin_code, "admin_type": unit.admin_type} if unit else {}))
        registry_file.write_text(registry_yaml(entries), encoding="utf-8")
        print(f"replica of {province} under its real host names, through the proxy {nation.proxy.url}; "
              f"registry {registry_file}, starting with:")
        for entry in entries:
            print(f"  {entry['id']:<12} {entry['platform']:<22} {entry['base_url']}")
        steps = [(f"discovery: the official communes and wards of {province}",
                  ["discover", "--province", province, "--delay", "0.1", "--jobs", "16"]),
                 ("first crawl: everything is new", ["crawl", "--all", "--log-level", "WARNING"]),
                 ("second crawl: incremental, no stored article is downloaded again", ["crawl", "--all", "--log-level", "WARNING"])]
        for title, command in steps:
            print(f"\n== {title} ==", flush=True)
            if subprocess.run(child + command).returncode != 0:
                return 1
    articles = find_articles(store, ArticleQuery(limit=8))
    print(f"\n== {store.count_articles()} articles stored in database '{config.db_name}'; the latest: ==")
    write_articles(articles, "table", sys.stdout)
    sample = articles[0]
    print(f"\n== one article ==\n{sample['title']}\n{sample['published_at']}  {sample['portal_name']}  {sample['author'] or ''}")
    print(f"{sample['body'][:600]}...\n")
    from crawler.query import StoryQuery, search_stories

    shared = search_stories(store, StoryQuery(min_members=2, limit=3))
    if shared.stories:
        print("== news several portals carry (portals query --stories --min-members 2): ==")
        for story in shared.stories:
            portals = ", ".join(sorted({member["portal"] for member in story["members"]}))
            print(f"  {len(story['members'])} articles ({portals}): {story['canonical'].get('title')}")
    from crawler.api import portal_health

    verdicts = Counter(portal["status"] for portal in portal_health(store))
    print("== portal health after the second crawl: " + ", ".join(f"{n} {status}" for status, n in sorted(verdicts.items())))
    print(f"\n== coverage of {province} (portals coverage --province \"{province}\") ==", flush=True)
    subprocess.run(child + ["coverage", "--province", province])
    print(f"Try: portals --db {config.db_name} query --q \"hội nghị\" --format jsonl | head -1")
    print(f"     portals --db {config.db_name} health")
    print(f"     portals --db {config.db_name} query --stories --min-members 2")
    return 0


def cmd_replica(args: argparse.Namespace, config: Config) -> int:
    import ipaddress

    from crawler.replica.faults import FaultSpec
    from crawler.replica.server import serve

    try:
        loopback = ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = args.host == "localhost"
    if not loopback:
        raise UsageError(f"--host {args.host}: the replica fleet serves on loopback addresses only (127.0.0.0/8)")
    if not 0 <= args.variants <= 100:
        raise UsageError("--variants takes 0 to 100")
    if args.publish_every is not None and args.publish_every <= 0:
        raise UsageError("--publish-every takes a number of seconds above 0")
    try:
        faults = FaultSpec.parse(args.faults)
    except ValueError as error:
        raise UsageError(f"--faults: {error}") from None
    serve(host=args.host, port=args.port, registry_out=args.registry_out, seed=args.seed, variants=args.variants,
          publish_every=args.publish_every, faults=faults)
    return 0


def cmd_store(args: argparse.Namespace, config: Config) -> int:
    from crawler.embedded import EmbeddedStore
    from crawler.store import Store

    if config.mongo_uri:
        if args.action != "status":
            raise UsageError("MONGO_URI is set: the embedded store is not used, there is nothing to start or stop")
        Store(config.mongo_uri, config.db_name).ping()
        print(f"external MongoDB answers at {config.mongo_uri.split('@')[-1]}")
        return 0
    embedded = EmbeddedStore(config.data_dir)
    if args.action == "start":
        status = embedded.start(port=args.port)
        print(f"embedded store running (pid {status.pid}) at {status.uri}, data in {status.data_dir}")
    elif args.action == "stop":
        print("embedded store stopped" if embedded.stop() else "embedded store was not running")
    else:
        status = embedded.status()
        if not status.running:
            print(f"embedded store not running (data dir {status.data_dir})")
            return 3
        print(f"embedded store running (pid {status.pid}) at {status.uri}, data in {status.data_dir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    from pymongo.errors import PyMongoError

    from crawler.errors import DistributedError
    from crawler.embedded import EmbeddedStoreError
    from crawler.query import QueryError
    from crawler.store import StoreUnavailable

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = apply_globals(args)
        return args.handler(args, config)
    except (RegistryError, StoreUnavailable, EmbeddedStoreError, UsageError, QueryError, DistributedError) as error:
        print(f"portals: error: {error}", file=sys.stderr)
        return 2 if isinstance(error, (UsageError, QueryError)) else 1
    except PyMongoError as error:  # the store failed mid-command (outage, auth, ...)
        print(f"portals: error: store: {str(error).splitlines()[0][:300]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("portals: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `portals query | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
