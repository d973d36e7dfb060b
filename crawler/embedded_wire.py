"""The embedded store's `insert` command, batched: one engine write per command, not one per document.

mongoeco 4.11's wire server answers an `insert` command of N documents with N `insert_one`
calls, each its own SQLite transaction with its own commit and change dispatch: the product's
batches of 500 articles cost about 15 ms of server time per article. Its collection API has a
batched `insert_many` (one write scope for the batch) that reports the same per-document
errors; this routes the wire command through it. `install()` is called by the embedded server
process only; nothing else in the product imports mongoeco's internals.
"""

from __future__ import annotations

from mongoeco.api._async import _database_admin_write_commands as write_commands
from mongoeco.errors import BulkWriteError
from mongoeco.types import WriteCommandResult, WriteErrorEntry

_SERVICE = write_commands.DatabaseAdminWriteCommandService


async def batched_insert(self, spec: dict, *, session=None):
    admin = self._admin
    collection_name = admin._require_collection_name(spec.get("insert"), "insert")
    documents = admin._normalize_insert_documents(spec.get("documents"))
    ordered = admin._normalize_ordered_from_command(spec.get("ordered"))
    bypass = write_commands.command_boolean(spec.get("bypassDocumentValidation", False), "bypassDocumentValidation",
                                            numeric=True)
    acknowledged = write_commands.write_command_acknowledged(spec, dialect=admin._mongodb_dialect.key)
    collection = admin._database.get_collection(collection_name)
    errors: list[WriteErrorEntry] = []
    try:
        result = await collection.insert_many(documents, ordered=ordered, bypass_document_validation=bypass,
                                              session=session)
        inserted = len(result.inserted_ids)
    except BulkWriteError as error:
        details = error.details or {}
        inserted = int(details.get("nInserted", 0))
        for entry in details.get("writeErrors", []):
            extra = {key: value for key, value in entry.items() if key not in ("index", "code", "errmsg", "op")}
            errors.append(WriteErrorEntry(index=entry["index"], code=entry.get("code"), errmsg=entry.get("errmsg", ""),
                                          details=extra or None))
    return write_commands._write_command_result(WriteCommandResult(count=inserted, write_errors=errors or None),
                                                acknowledged=acknowledged)


def install() -> None:
    _SERVICE.command_insert = batched_insert
