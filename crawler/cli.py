"""The `portals` command: list, crawl, query and extract articles, and manage the embedded store."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

from crawler.config import Config
from crawler.registry import RegistryError, load_registry


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
    sub.set_defaults(handler=cmd_crawl)

    sub = command("query", "print stored articles")
    sub.add_argument("--portal", action="append", default=[], metavar="ID", help="portal id (repeatable)")
    sub.add_argument("--province")
    sub.add_argument("--level", choices=["commune", "ward", "district", "province", "newspaper"])
    sub.add_argument("--since", metavar="ISO", help="published at or after (local time if no offset)")
    sub.add_argument("--until", metavar="ISO", help="published before")
    sub.add_argument("--q", metavar="TEXT", help="full-text search in title, summary and body")
    sub.add_argument("--limit", type=int, default=100)
    sub.add_argument("--format", choices=["jsonl", "csv", "table"], default="table")
    sub.set_defaults(handler=cmd_query)

    sub = command("extract", "extract one saved article page (no crawl) and print it as JSON")
    sub.add_argument("file", type=Path, help="saved HTML file")
    sub.add_argument("--url", default="http://localhost/article", help="the page's URL (resolves links)")
    source = sub.add_mutually_exclusive_group()
    source.add_argument("--portal", metavar="ID", help="use this portal's platform and selector overrides")
    source.add_argument("--platform", help="use this platform's extractor (default generic)")
    sub.set_defaults(handler=cmd_extract)

    sub = command("replica", "local replica portals on 127.0.0.1 for offline development, demos and tests")
    sub.add_argument("action", choices=["serve"])
    sub.add_argument("--host", default="127.0.0.1", help="loopback address to serve on")
    sub.add_argument("--port", type=int, default=0, help="first port (portals use consecutive ports; default: free ports)")
    sub.add_argument("--registry-out", metavar="PATH", help="write a registry of the replica portals here")
    sub.add_argument("--seed", type=int, default=1, help="content seed (same seed, same sites)")
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
    from crawler.crawl import COUNTERS, run_crawl  # Scrapy import is slow; only crawls need it

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
    overrides = {"LOG_LEVEL": args.log_level}
    for assignment in args.set:
        name, sep, value = assignment.partition("=")
        if not sep or not name.isupper():
            raise UsageError(f"-s expects NAME=VALUE with an upper-case setting name, got {assignment!r}")
        overrides[name] = value
    result = run_crawl(config, registry, ids, refresh=args.refresh, settings_overrides=overrides)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        header = f"{'PORTAL':<16}" + "".join(f"{name:>18}" for name in COUNTERS)
        print(f"run {result.run_id}: {result.status}")
        print(header)
        for portal_id, counts in result.portals.items():
            print(f"{portal_id:<16}" + "".join(f"{counts[name]:>18}" for name in COUNTERS))
        print(f"{'TOTAL':<16}" + "".join(f"{result.totals[name]:>18}" for name in COUNTERS))
    return {"finished": 0, "interrupted": 130}.get(result.status, 1)


def cmd_query(args: argparse.Namespace, config: Config) -> int:
    from crawler.query import ArticleQuery, find_articles, parse_instant
    from crawler.store import Store

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    query = ArticleQuery(
        portals=args.portal, province=args.province, level=args.level, text=args.q, limit=args.limit,
        since=parse_instant(args.since, "--since") if args.since else None,
        until=parse_instant(args.until, "--until") if args.until else None,
    )
    store = Store.open(config)
    articles = find_articles(store, query)
    write_articles(articles, args.format, sys.stdout)
    if args.format == "table":
        print(f"({len(articles)} article(s))", file=sys.stderr)
    return 0


def write_articles(articles: list[dict], fmt: str, out) -> None:
    if fmt == "jsonl":
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
            title = article["title"] if len(article["title"]) <= 90 else article["title"][:89] + "…"
            out.write(f"{published:<16}  {article['portal']:<14} {title}\n")


def cmd_extract(args: argparse.Namespace, config: Config) -> int:
    from crawler.query import public_article
    from spiders import PLATFORM_SPIDERS

    try:
        html = args.file.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise UsageError(f"{args.file}: {error.strerror}") from None
    overrides = None
    platform = args.platform or "generic"
    if args.portal:
        registry = load_registry(config.registry)
        if args.portal not in registry.ids:
            raise UsageError(f"unknown portal id: {args.portal}")
        portal = registry.get(args.portal)
        platform, overrides = portal.platform, portal.selectors
    if platform not in PLATFORM_SPIDERS:
        raise UsageError(f"unknown platform {platform!r}; known: {', '.join(sorted(PLATFORM_SPIDERS))}")
    article = PLATFORM_SPIDERS[platform].article_page(args.url, html, overrides).to_article()
    print(json.dumps(public_article(article) | {"url_hash": None}, ensure_ascii=False, indent=2))
    return 0


def cmd_replica(args: argparse.Namespace, config: Config) -> int:
    import ipaddress

    from crawler.replica.server import serve

    try:
        loopback = ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = args.host == "localhost"
    if not loopback:
        raise UsageError(f"--host {args.host}: the replica fleet serves on loopback addresses only (127.0.0.0/8)")
    serve(host=args.host, port=args.port, registry_out=args.registry_out, seed=args.seed)
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
    from crawler.embedded import EmbeddedStoreError
    from crawler.query import QueryError
    from crawler.store import StoreUnavailable

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = apply_globals(args)
        return args.handler(args, config)
    except (RegistryError, StoreUnavailable, EmbeddedStoreError, UsageError, QueryError) as error:
        print(f"portals: error: {error}", file=sys.stderr)
        return 2 if isinstance(error, (UsageError, QueryError)) else 1
    except KeyboardInterrupt:
        print("portals: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `portals query | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
