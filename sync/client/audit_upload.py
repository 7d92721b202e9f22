"""The device's own audit entries go up with every sync (after the push, before the pull).

``AuditUpload(audit, client).run(cancel) -> AuditUploadCounts``: ``audit.pending(batch)`` → ``POST /audit``
with the store's log id → ``audit.mark_synced`` for what the platform answered ``accepted`` or
``duplicate`` and ``audit.mark_refused`` for ``rejected`` (never sent again), batch after batch. An entry
is marked only on the platform's answer: a sync cut before the answer is stored sends the batch again,
and the platform, keyed by device + log id + local id, answers ``duplicate`` — one entry, never two.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sync.client.errors import ProtocolError

BATCH = 500   # the platform's bound per request (sync/server/audit_upload.MAX_ENTRIES)


class UploadAudit(Protocol):
    """The part of ``sync.store.Store.audit`` this uses."""

    def pending(self, limit: int = 500) -> list[dict[str, Any]]: ...

    def log_id(self) -> str: ...

    def mark_synced(self, ids: Any) -> None: ...

    def mark_refused(self, ids: Any) -> None: ...


class PostApi(Protocol):
    def post(self, path: str, body: Any) -> Any: ...


@dataclass
class AuditUploadCounts:
    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    batches: int = 0


def wire_entry(row: Mapping[str, Any]) -> dict[str, Any]:
    """A local audit row as the platform takes it (docs/protocol.md, ``POST /audit``)."""
    return {"id": int(row["id"]), "at": str(row["ts"]), "action": str(row["action"]),
            "entity_id": row.get("entity_id"), "field": row.get("field"), "reason": row.get("reason"),
            "detail": row.get("detail")}


class AuditUpload:
    def __init__(self, audit: UploadAudit, client: PostApi, *, batch: int = BATCH) -> None:
        if not 1 <= batch <= BATCH:
            raise ValueError(f"batch must be 1..{BATCH}")
        self.audit, self.client, self.batch = audit, client, batch

    def run(self, cancel: threading.Event | None = None) -> tuple[AuditUploadCounts, bool]:
        """Upload every pending entry; returns the counts and False when cancelled between batches."""
        counts = AuditUploadCounts()
        log_id = self.audit.log_id()
        answered: set[int] = set()
        while True:
            if cancel is not None and cancel.is_set():
                return counts, False
            rows = self.audit.pending(self.batch)
            if not rows:
                return counts, True
            entries = [wire_entry(r) for r in rows]
            ids = [e["id"] for e in entries]
            if all(i in answered for i in ids):
                raise ProtocolError(f"audit entries {ids[:3]} stay pending after the platform answered them")
            body = self.client.post("/audit", {"log_id": log_id, "entries": entries})
            results = body.get("results") if isinstance(body, Mapping) else None
            if not isinstance(results, list) or len(results) != len(entries):
                raise ProtocolError("/audit: results missing or not one per entry")
            done: list[int] = []
            refused: list[int] = []
            for sent, result in zip(ids, results, strict=True):
                if not isinstance(result, Mapping) or result.get("id") != sent:
                    raise ProtocolError(f"/audit: result for entry {sent} out of order or malformed")
                outcome = result.get("outcome")
                if outcome == "accepted":
                    counts.accepted += 1
                    done.append(sent)
                elif outcome == "duplicate":
                    counts.duplicates += 1
                    done.append(sent)
                elif outcome == "rejected":
                    counts.rejected += 1
                    refused.append(sent)
                else:
                    raise ProtocolError(f"/audit: unknown outcome {outcome!r} for entry {sent}")
            self.audit.mark_synced(done)
            self.audit.mark_refused(refused)
            answered.update(ids)
            counts.sent += len(ids)
            counts.batches += 1
