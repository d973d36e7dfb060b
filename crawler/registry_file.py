"""Edits of the registry file that keep its comments, order and quoting (ruamel.yaml round trip).

Every change is validated as a whole registry before anything is written, and
written atomically, so a refused change leaves the file byte-for-byte unchanged.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from crawler.registry import Portal, Registry, RegistryError, _describe, load_registry

NEW_FILE_HEADER = "# Portal registry: one entry per portal (see README, 'The registry').\n"
FIELD_ORDER = ("id", "name", "province", "level", "admin_code", "admin_type", "platform", "base_url", "start_paths",
               "article_pattern", "selectors", "render", "enabled", "download_delay")


def site_key(url: str) -> str:
    """host[:port] without www., how two entries are recognised as the same site."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}:{parts.port}" if parts.port else host


class RegistryFile:
    """The registry YAML as a document: add, enable/disable and remove entries."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.yaml = YAML()
        self.yaml.preserve_quotes = True
        self.yaml.indent(mapping=2, sequence=4, offset=2)
        self.yaml.width = 4096

    def _load(self) -> CommentedMap:
        if not self.path.exists():
            document = self.yaml.load(NEW_FILE_HEADER + "portals: []\n")
            document["portals"] = CommentedSeq()
            return document
        try:
            document = self.yaml.load(self.path.read_text(encoding="utf-8"))
        except YAMLError as error:
            raise RegistryError(f"{self.path}: invalid YAML: {getattr(error, 'problem', error)}") from None
        if not isinstance(document, dict) or not isinstance(document.get("portals"), list):
            raise RegistryError(f"{self.path}: expected a top-level 'portals:' list")
        return document

    def _save(self, document: CommentedMap) -> None:
        buffer = io.StringIO()
        self.yaml.dump(document, buffer)
        text = buffer.getvalue()
        try:  # the whole registry must stay valid
            Registry.model_validate(YAML(typ="safe").load(text))
        except ValidationError as error:
            raise RegistryError(_describe(self.path, YAML(typ="safe").load(text), error)) from None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, self.path)

    def registry(self) -> Registry | None:
        return load_registry(self.path) if self.path.exists() else None

    def add(self, entries: list[dict]) -> None:
        """Append entries (refusing a duplicate id or site); nothing is written unless all are valid."""
        document = self._load()
        portals = document["portals"]
        ids = {entry.get("id") for entry in portals}
        sites = {site_key(entry.get("base_url", "")): entry.get("id") for entry in portals}
        for entry in entries:
            Portal.model_validate(entry)  # field errors before duplicates
            if entry["id"] in ids:
                raise RegistryError(f"{self.path}: portal id {entry['id']!r} already exists")
            owner = sites.get(site_key(entry["base_url"]))
            if owner:
                raise RegistryError(f"{self.path}: {entry['base_url']} is already registered as {owner!r}")
            ids.add(entry["id"])
            sites[site_key(entry["base_url"])] = entry["id"]
            item = CommentedMap((key, entry[key]) for key in FIELD_ORDER if entry.get(key) is not None)
            if "start_paths" in item:
                item["start_paths"] = _flow(item["start_paths"])
            portals.append(item)
        if isinstance(portals, CommentedSeq) and len(portals) > len(entries):
            portals.yaml_set_comment_before_after_key(len(portals) - len(entries), before="\n", indent=2)
        self._save(document)

    def set_enabled(self, portal_id: str, enabled: bool) -> None:
        document = self._load()
        entry = self._find(document, portal_id)
        if enabled and "enabled" in entry:
            _delete_key_keeping_comments(entry, "enabled")  # true is the default
        elif not enabled:
            entry["enabled"] = False
        self._save(document)

    def remove(self, portal_id: str) -> None:
        document = self._load()
        portals = document["portals"]
        index = next((i for i, entry in enumerate(portals) if entry.get("id") == portal_id), None)
        if index is None:
            raise RegistryError(f"{self.path}: no portal with id {portal_id!r}")
        _delete_keeping_comments(portals, index)
        self._save(document)

    def _find(self, document: CommentedMap, portal_id: str) -> CommentedMap:
        for entry in document["portals"]:
            if entry.get("id") == portal_id:
                return entry
        raise RegistryError(f"{self.path}: no portal with id {portal_id!r}")


def _delete_key_keeping_comments(mapping: CommentedMap, key: str) -> None:
    """Delete a key; comment lines ruamel attached after it (those above the next entry) move to the key before."""
    keys = list(mapping)
    comment = mapping.ca.items.pop(key, None)
    del mapping[key]
    position = keys.index(key)
    if comment and position > 0:
        mapping.ca.items[keys[position - 1]] = comment


def _delete_keeping_comments(sequence: CommentedSeq, index: int) -> None:
    """Delete one entry; the comments written above it (a section title) move to the entry that follows."""
    before = {i: tokens for i, tokens in sequence.ca.items.items()}
    list.__delitem__(sequence, index)  # plain delete: ruamel's own shifts comments onto the wrong entries
    sequence.ca.items.clear()
    for i, tokens in before.items():
        if i < index:
            sequence.ca.items[i] = tokens
        elif i > index + 1:
            sequence.ca.items[i - 1] = tokens
    own = (before.get(index) or [None, []])[1] or []
    following = (before.get(index + 1) or [None, []])[1] or []
    if index == len(sequence) and index > 0:
        _trim_trailing_blank_lines(sequence[index - 1])  # the blank line that led to the removed last entry
    if index < len(sequence) and (own or following):
        # Keep the removed entry's blank line and section comment, then the follower's own comment lines.
        merged = list(own) + [token for token in following if token.value.strip()]
        sequence.ca.items[index] = [None, merged, None, None]


def _trim_trailing_blank_lines(mapping: CommentedMap) -> None:
    last = list(mapping)[-1] if mapping else None
    tokens = mapping.ca.items.get(last) if last is not None else None
    if tokens and len(tokens) > 2 and tokens[2] is not None:
        tokens[2].value = tokens[2].value.rstrip("\n") + "\n"
        if not tokens[2].value.strip():
            mapping.ca.items.pop(last)


def _flow(values) -> CommentedSeq:
    """A short list written on one line, as the hand-written entries are: [/tin-tuc]."""
    sequence = CommentedSeq(values)
    sequence.fa.set_flow_style()
    return sequence
