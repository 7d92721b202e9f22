"""How one push result (docs/protocol.md, POST /submissions) changes the store.

Each branch is idempotent: applying the same result twice leaves the store as applying it once.
The results of a batch share one :class:`ResultBatch`: the entities of all its submissions are read
in one query, each result works on those records in memory (in order, so a later result sees what an
earlier one did), and :meth:`ResultBatch.flush` writes the changed records and submission states once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sync.store.db import StoreDb, dumps, now_iso
from sync.store.entities import Entities
from sync.store.records import Record, apply_patch

FINAL = ("approved", "returned")


class ResultBatch:
    """The records and submission states a batch of results changes, written once by :meth:`flush`."""

    def __init__(self, db: StoreDb, entities: Entities, entity_ids: Iterable[str]) -> None:
        self.db = db
        self.entities = entities
        self.records: dict[str, Record] = entities.load_many(list(dict.fromkeys(entity_ids)))
        self.dirty: dict[str, Record] = {}
        self.states: list[tuple[str, str, str, str]] = []

    def load(self, ids: list[str]) -> dict[str, Record]:
        missing = [i for i in ids if i not in self.records]
        if missing:
            self.records.update(self.entities.load_many(missing))
        return {i: self.records[i] for i in ids if i in self.records}

    def changed(self, records: Iterable[Record]) -> None:
        for r in records:
            self.dirty[r.id] = r

    def flush(self) -> None:
        self.db.conn.executemany("UPDATE submissions SET state = ?, last_result = ?, updated_at = ? WHERE id = ?",
                                    self.states)
        self.states = []
        self.entities.write(list(self.dirty.values()), stale=False)
        self.dirty = {}


def apply_result(db: StoreDb, sub: dict[str, Any], res: dict[str, Any], batch: ResultBatch) -> None:
    """Apply one result to the submission ``sub`` (updated in place: state, last_result)."""
    outcome = res["outcome"]
    sid = sub["id"]
    extra = sub["last_result"] if isinstance(sub["last_result"], dict) else {}
    keep = {k: extra[k] for k in ("resubmits", "note") if k in extra}
    if outcome == "duplicate":  # the server has it but did not repeat the first outcome
        _set_state(batch, sub, sub["state"] if sub["state"] not in ("queued", "sending") else "accepted",
                   {**keep, "result": res})
        return
    if outcome == "accepted":
        applied = res.get("status") == "applied"
        state = "approved" if applied else "accepted"
        if sub["state"] in FINAL:
            state = sub["state"]
        _set_state(batch, sub, state, {**keep, "result": res})
        if applied:
            _apply_revisions(batch, sub, dict(res.get("revisions") or {}))
        return
    if outcome == "conflict":
        _set_state(batch, sub, "conflict", {**keep, "result": res})
        rows = []
        for c in res.get("conflicts") or []:
            rows.append((sid, str(c.get("entity_id")), str(c.get("field")), dumps(c.get("base")),
                         dumps(c.get("mine")), dumps(c.get("theirs")), c.get("theirs_rev")))
        db.conn.executemany(
            "INSERT OR IGNORE INTO conflicts (submission_id, entity_id, field, base, mine, theirs, theirs_rev) "
            "VALUES (?,?,?,?,?,?,?)", rows)
        _set_entity_status(batch, sub["entity_ids"], "conflict",
                           only={r[1] for r in rows} or set(sub["entity_ids"]))
        return
    # rejected: the issues go back to the worker with the entities
    _set_state(batch, sub, "rejected", {**keep, "result": res})
    db.conn.execute("UPDATE submissions SET issues = ? WHERE id = ?", (dumps(list(res.get("issues") or [])), sid))
    _set_entity_status(batch, sub["entity_ids"], "rejected", only=set(sub["entity_ids"]))


def _set_state(batch: ResultBatch, sub: dict[str, Any], state: str, last: dict[str, Any]) -> None:
    sub["state"], sub["last_result"] = state, last
    batch.states.append((state, dumps(last), now_iso(), sub["id"]))


def _set_entity_status(batch: ResultBatch, ids: list[str], status: str, only: set[str]) -> None:
    records = [r for r in batch.load(ids).values() if r.id in only and r.status != status]
    for r in records:
        r.status = status
    batch.changed(records)


def _apply_revisions(batch: ResultBatch, sub: dict[str, Any], revisions: dict[str, Any]) -> None:
    """The master record now holds our patches: move each entity's base forward (never back)."""
    records = batch.load(sub["entity_ids"])
    changed = []
    for patch in sub["patches"]:
        rec = records.get(patch["entity_id"])
        rev = revisions.get(patch["entity_id"])
        if rec is None or not isinstance(rev, int):
            continue
        if rec.base is not None and rev <= rec.rev:
            continue  # already there (a pull brought this revision or a newer one)
        rec.base = apply_patch(rec.base, patch, rev)
        rec.rev = rev
        rec.status = "synced" if not rec.differs_from_base() else "draft"
        changed.append(rec)
    batch.changed(changed)
