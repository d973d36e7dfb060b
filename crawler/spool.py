"""A durable local spool of scraped articles not yet in the store, under <data dir>/spool/.

The store pipeline appends every article to the spool before it buffers it, and deletes a spool
segment once every article in it is stored. So a store outage (the batch waits in memory and on
disk), a crash or SIGKILL (the segment stays on disk) loses nothing: the next pipeline that opens
stores the segments no live process holds. Writing an article twice is harmless: the store keys
articles by URL hash and skips unchanged ones.

A segment is a JSON-lines file `<pid>-<random>.jsonl`, locked (flock) by its writer for as long
as that process lives; an unlocked segment belongs to nobody and is safe to replay.
"""

from __future__ import annotations

import fcntl
import os
import secrets
from datetime import UTC
from pathlib import Path
from typing import IO, Iterator

from bson import json_util

# Datetimes come back aware (UTC), as the store and the pipelines have them.
_JSON_OPTIONS = json_util.RELAXED_JSON_OPTIONS.with_options(tz_aware=True, tzinfo=UTC)


class Segment:
    """One spool file, open for appending and locked by this process."""

    def __init__(self, directory: Path):
        self.path = directory / f"{os.getpid()}-{secrets.token_hex(4)}.jsonl"
        self.handle: IO[str] = open(self.path, "a", encoding="utf-8")
        fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.count = 0

    def append(self, doc: dict) -> None:
        self.handle.write(json_util.dumps(doc, ensure_ascii=False, json_options=_JSON_OPTIONS) + "\n")
        self.handle.flush()  # in the OS's hands: survives the process being killed
        self.count += 1

    def sync(self) -> None:
        os.fsync(self.handle.fileno())  # on the disk: survives the machine going down too

    def close(self) -> None:
        if not self.handle.closed:
            self.handle.close()  # releases the lock

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)  # while still locked: no other process replays it meanwhile
        self.close()


class Spool:
    """The spool directory: a current segment to append to, and abandoned segments to replay."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def new_segment(self) -> Segment:
        return Segment(self.directory)

    def abandoned(self) -> Iterator[tuple[Path, list[dict]]]:
        """Segments no live process holds, with their articles (a torn last line is skipped)."""
        for path in sorted(self.directory.glob("*.jsonl")):
            try:
                handle = open(path, "r+", encoding="utf-8")
            except FileNotFoundError:  # replayed by another process meanwhile
                continue
            with handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # its writer is alive
                yield path, list(_articles(handle))


def _articles(handle: IO[str]) -> Iterator[dict]:
    for line in handle:
        if not line.endswith("\n"):
            break  # the write the process was killed in
        try:
            yield json_util.loads(line, json_options=_JSON_OPTIONS)
        except ValueError:
            continue


def spool_for_settings(settings) -> Spool:
    return Spool(Path(settings.get("PORTALS_DATA_DIR") or "data") / "spool")
