"""The embedded store process: a MongoDB-wire-compatible server (mongoeco on SQLite) on 127.0.0.1.

Run by crawler.embedded as `python -m crawler.embedded_server --data-dir D`.
It holds an exclusive lock on D/store.lock for its lifetime (one server per
data directory), writes D/store.json with its pid and URI once it answers,
and shuts down cleanly on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import signal
import sys
from pathlib import Path

from bson import ObjectId
from mongoeco.engines.sqlite import SQLiteEngine
from mongoeco.engines.sqlite_planner import SQLiteReadExecutionPlan, _sql_lineage, _sql_physical_plan
from mongoeco.wire.proxy import AsyncMongoEcoProxyServer

from crawler import embedded_wire
from crawler.embedded_planner import plan_indexed_read

LOCK_FILE, STATE_FILE, DB_FILE = "store.lock", "store.json", "mongoeco.sqlite"
SCALAR_BACKFILL = "portals_scalar_index_entries"


class StoreEngine(SQLiteEngine):
    """mongoeco's SQLite engine without its full-collection scan on every insert and upsert.

    mongoeco 4.11 re-reads and decodes the whole collection before each write to find `_id`s that
    differ in type but compare equal (1 and 1.0), which makes every write cost O(collection size):
    storing 1,000 articles took 25 times as long per article at the end as at the start. A string
    or ObjectId `_id` has no such aliases, so its exact primary-key probe (which mongoeco still
    makes) is the whole uniqueness check; every other `_id` keeps mongoeco's scan.
    """

    def _validate_document_against_unique_indexes(self, db_name, coll_name, document, *,
                                                   exclude_storage_key=None, skip_id_check=False,
                                                   scan_payload_id=False):
        if isinstance(document.get("_id"), (str, ObjectId)):
            scan_payload_id = False
        return super()._validate_document_against_unique_indexes(
            db_name, coll_name, document, exclude_storage_key=exclude_storage_key,
            skip_id_check=skip_id_check, scan_payload_id=scan_payload_id)

    def _compile_read_execution_plan(self, db_name, coll_name, semantics, *, select_clause="document", hint=None):
        """The product's hot reads from an ordered index (crawler.embedded_planner); others as mongoeco plans them."""
        planned = plan_indexed_read(self, db_name, coll_name, semantics, select_clause) if hint is None else None
        if planned is None:
            return super()._compile_read_execution_plan(db_name, coll_name, semantics,
                                                        select_clause=select_clause, hint=hint)
        sql, params = planned
        return SQLiteReadExecutionPlan(semantics=semantics, strategy="sql", execution_lineage=_sql_lineage(semantics),
                                       physical_plan=_sql_physical_plan(semantics), use_sql=True, sql=sql,
                                       params=tuple(params))

    def _backfill_scalar_indexes_sync(self, conn):
        """Rebuild the scalar index entries once per data file, not at every start.

        mongoeco 4.11 deletes and rebuilds every single-field index's entries from every document
        each time it opens a file (a migration for files written before those entries existed):
        at a million articles, minutes before the store answers. Its writes and create_index keep
        the entries current, so after one rebuild (recorded like its own TTL migration) a start
        only rebuilds when an index still lacks its entries table.
        """
        done = conn.execute("SELECT version FROM mongoeco_schema_migrations WHERE component = ?",
                            (SCALAR_BACKFILL,)).fetchone()
        missing = conn.execute("SELECT COUNT(*) FROM indexes WHERE scalar_physical_name IS NULL "
                               "AND json_array_length(fields) = 1").fetchone()[0]
        if done is not None and not missing:
            return
        super()._backfill_scalar_indexes_sync(conn)
        conn.execute("INSERT OR REPLACE INTO mongoeco_schema_migrations (component, version) VALUES (?, 1)",
                     (SCALAR_BACKFILL,))


async def serve(data_dir: Path, host: str, port: int) -> None:
    embedded_wire.install()
    server = AsyncMongoEcoProxyServer(engine=StoreEngine(str(data_dir / DB_FILE)), host=host, port=port)
    address = await server.start()
    state = {"pid": os.getpid(), "host": address.host, "port": address.port, "uri": address.uri}
    tmp = data_dir / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state))
    tmp.replace(data_dir / STATE_FILE)  # atomic: readers never see half a file
    (data_dir / "store.port").write_text(str(address.port))
    print(f"embedded store listening on {address.uri}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        (data_dir / STATE_FILE).unlink(missing_ok=True)
        await server.close()
        print("embedded store stopped", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    lock = open(args.data_dir / LOCK_FILE, "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"another embedded store already serves {args.data_dir}", file=sys.stderr)
        return 3
    try:
        asyncio.run(serve(args.data_dir, args.host, args.port))
    except OSError as error:
        print(f"embedded store cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
