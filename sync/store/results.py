"""How one push result (docs/protocol.md, POST /submissions) changes the store.

Each branch is idempotent: applying the same result twice leaves the store as applying it once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sync.store.base import dumps, now_iso
from sync.store.records import apply_patch

if TYPE_CHECKING:
    from sync.store.outbox import OutboxMixin

FINAL = ("approved", "returned")


def apply_result(store: OutboxMixin, sub: dict[str, Any], res: dict[str, Any]) -> None:
    outcome = res["outcome"]
    sid = sub["id"]
    extra = sub["last_result"] if isinstance(sub["last_result"], dict) else {}
    keep = {k: extra[k] for k in ("resubmits", "note") if k in extra}
    if outcome == "duplicate":  # the server has it but did not repeat the first outcome
        _set_state(store, sid, sub["state"] if sub["state"] not in ("queued", "sending") else "accepted",
                   {**keep, "result": res})
        return
    if outcome == "accepted":
        applied = res.get("status") == "applied"
        state = "approved" if applied else "accepted"
        if sub["state"] in FINAL:
            state = sub["state"]
        _set_state(store, sid, state, {**keep, "result": res})
        if applied:
            _apply_revisions(store, sub, dict(res.get("revisions") or {}))
        return
    if outcome == "conflict":
        _set_state(store, sid, "conflict", {**keep, "result": res})
        rows = []
        for c in res.get("conflicts") or []:
            rows.append((sid, str(c.get("entity_id")), str(c.get("field")), dumps(c.get("base")),
                         dumps(c.get("mine")), dumps(c.get("theirs")), c.get("theirs_rev")))
        store.conn.executemany(
            "INSERT OR IGNORE INTO conflicts (submission_id, entity_id, field, base, mine, theirs, theirs_rev) "
            "VALUES (?,?,?,?,?,?,?)", rows)
        _set_entity_status(store, sub["entity_ids"], "conflict",
                           only={r[1] for r in rows} or set(sub["entity_ids"]))
        return
    # rejected: the issues go back to the worker with the entities
    _set_state(store, sid, "rejected", {**keep, "result": res})
    store.conn.execute("UPDATE submissions SET issues = ? WHERE id = ?", (dumps(list(res.get("issues") or [])), sid))
    _set_entity_status(store, sub["entity_ids"], "rejected", only=set(sub["entity_ids"]))


def _set_state(store: OutboxMixin, sid: str, state: str, last: dict[str, Any]) -> None:
    store.conn.execute("UPDATE submissions SET state = ?, last_result = ?, updated_at = ? WHERE id = ?",
                       (state, dumps(last), now_iso(), sid))


def _set_entity_status(store: OutboxMixin, ids: list[str], status: str, only: set[str]) -> None:
    records = [r for r in store._load_many(ids).values() if r.id in only and r.status != status]
    for r in records:
        r.status = status
    store._write(records, stale=False)


def _apply_revisions(store: OutboxMixin, sub: dict[str, Any], revisions: dict[str, Any]) -> None:
    """The master record now holds our patches: move each entity's base forward (never back)."""
    records = store._load_many(sub["entity_ids"])
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
    store._write(changed, stale=False)
