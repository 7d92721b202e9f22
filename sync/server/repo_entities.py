"""Entities, their revisions, tags in force and field history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.protocol import TAGS_FIELD, format_ts, utc_now
from sync.server import counts
from sync.server import tables as t
from sync.server.db import ConcurrentChange, Writer
from sync.server.merge import changed_fields

#: Changelog type of "this entity left this grid" (sent as a deleted ``entity`` item).
MOVED = "entity_moved"
META = {"$state": "state", "$house_id": "house_id", "$household_id": "household_id", "$grid": "grid"}
_COLS = ["id", "kind", "template", "template_version", "grid", "house_id", "household_id", "data", "tags",
         "rev", "state", "updated_at"]


def row_to_snapshot(row: Any) -> dict[str, Any]:
    return {
        "id": row.id, "kind": row.kind, "template": row.template, "template_version": row.template_version,
        "grid": row.grid, "house_id": row.house_id, "household_id": row.household_id,
        "data": dict(row.data or {}), "tags": list(row.tags or []), "rev": row.rev, "state": row.state,
        "updated_at": format_ts(row.updated_at),
    }


def flat(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The record as one mapping for merging: data fields plus the ``$`` pseudo-fields."""
    out = dict(snapshot.get("data") or {})
    for pseudo, key in META.items():
        out[pseudo] = snapshot.get(key)
    return out


_INSERT = sa.insert(t.entities)
_UPDATE = sa.update(t.entities).where(t.entities.c.id == sa.bindparam("b_id"), t.entities.c.rev == sa.bindparam("b_rev"))
_INSERT_VERSION = sa.insert(t.entity_versions)
_INSERT_HISTORY = sa.insert(t.history)
_DELETE_TAGS = sa.delete(t.entity_tags).where(t.entity_tags.c.entity_id == sa.bindparam("eid"))
_INSERT_TAGS = sa.insert(t.entity_tags)
_CLEAR_ISSUES = sa.delete(t.entity_issues).where(t.entity_issues.c.entity_id == sa.bindparam("eid"))
_GET = sa.select(*(t.entities.c[c] for c in _COLS)).where(t.entities.c.id == sa.bindparam("eid"))
_VERSION = sa.select(t.entity_versions.c.snapshot).where(
    t.entity_versions.c.entity_id == sa.bindparam("eid"), t.entity_versions.c.rev == sa.bindparam("rev"))


def get(conn: Connection, entity_id: str) -> dict[str, Any] | None:
    row = conn.execute(_GET, {"eid": entity_id}).first()
    return row_to_snapshot(row) if row else None


_BY_IDS = sa.select(*(t.entities.c[c] for c in _COLS)).where(t.entities.c.id.in_(sa.bindparam("ids", expanding=True)))


def get_many(conn: Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i:i + 500])
        for row in conn.execute(_BY_IDS, {"ids": chunk}):
            out[row.id] = row_to_snapshot(row)
    return out


def version(conn: Connection, entity_id: str, rev: int) -> dict[str, Any] | None:
    row = conn.execute(_VERSION, {"eid": entity_id, "rev": rev}).first()
    return dict(row.snapshot) if row else None


def neighbours(conn: Connection, house_ids: Iterable[str], household_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Entities linked to these houses / households (for validation aggregates)."""
    houses, households = sorted(set(house_ids)), sorted(set(household_ids))
    if not houses and not households:
        return []
    found: dict[str, dict[str, Any]] = {}
    for r in conn.execute(_NEIGHBOURS, {"ids": houses + households, "houses": houses, "households": households}):
        if r.id not in found:
            found[r.id] = row_to_snapshot(r)
    return list(found.values())


def _select_where(cond: Any) -> Any:
    return sa.select(*(t.entities.c[c] for c in _COLS)).where(cond)


#: One statement of three indexed lookups (an OR across the columns would defeat the indexes).
_NEIGHBOURS = sa.union_all(
    _select_where(t.entities.c.id.in_(sa.bindparam("ids", expanding=True))),
    _select_where(t.entities.c.house_id.in_(sa.bindparam("houses", expanding=True))),
    _select_where(t.entities.c.household_id.in_(sa.bindparam("households", expanding=True))),
)


_BY_ID_NUMBER = sa.select(t.entities.c.id).where(t.entities.c.id_number == sa.bindparam("key"))


class DbIdIndex:
    """``id_index`` for the validator: who owns an identity number, from the indexed column."""

    def __init__(self, conn: Connection, pending: dict[str, str] | None = None) -> None:
        self.conn = conn
        self.pending = pending or {}

    def owners(self, id_number: str) -> set[str]:
        key = id_number.strip().upper()
        rows = self.conn.execute(_BY_ID_NUMBER, {"key": key})
        found = {r[0] for r in rows}
        found.update(eid for eid, num in self.pending.items() if num == key)
        return found


def _id_number(snapshot: dict[str, Any]) -> str | None:
    value = (snapshot.get("data") or {}).get("id_number") if snapshot["kind"] == "person" else None
    return value.strip().upper() if isinstance(value, str) and value.strip() else None


def save(
    w: Writer, before: dict[str, Any] | None, after: dict[str, Any], *, tags_in_force: Sequence[str],
    submission_id: str | None, author_id: str | None, approved_by: str | None, at: datetime | None = None,
) -> int:
    """Write ``after`` as the next revision, with its version snapshot, history and tags in force."""
    now = at or utc_now()
    rev = (before["rev"] if before else 0) + 1
    row = {
        "kind": after["kind"], "template": after["template"], "template_version": after["template_version"],
        "grid": after["grid"], "house_id": after.get("house_id"), "household_id": after.get("household_id"),
        "data": after["data"], "tags": after["tags"], "rev": rev, "state": after.get("state") or "active",
        "id_number": _id_number(after), "updated_at": now, "updated_by": author_id,
    }
    if before is None:
        w.conn.execute(_INSERT, {"id": after["id"], **row})
    else:
        updated = w.conn.execute(_UPDATE, {"b_id": after["id"], "b_rev": before["rev"], **row})
        if updated.rowcount != 1:  # another transaction saved a newer revision since we read it
            raise ConcurrentChange(after["id"])
    counts.add(w.conn, counts.change(before, {**after, "state": row["state"]}))
    w.conn.execute(_CLEAR_ISSUES, {"eid": after["id"]})  # saved: it passed the rules
    snapshot = {**after, "rev": rev, "state": row["state"], "updated_at": format_ts(now)}
    w.conn.execute(_INSERT_VERSION, {"entity_id": after["id"], "rev": rev, "snapshot": snapshot})
    old_flat = flat(before) if before else {}
    changes = changed_fields(old_flat, flat(snapshot))
    old_tags = before["tags"] if before else []
    if sorted(old_tags) != sorted(snapshot["tags"]):
        changes.append((TAGS_FIELD, old_tags, snapshot["tags"]))
    if changes:
        w.conn.execute(_INSERT_HISTORY, [
            {"entity_id": after["id"], "rev": rev, "field": name, "old": old, "new": new,
             "submission_id": submission_id, "author_id": author_id, "approved_by": approved_by, "at": now}
            for name, old, new in changes])
    unique_tags = list(dict.fromkeys(tags_in_force))
    w.conn.execute(_DELETE_TAGS, {"eid": after["id"]})
    if unique_tags:
        w.conn.execute(_INSERT_TAGS,
                       [{"entity_id": after["id"], "tag": tag, "grid": after["grid"]} for tag in unique_tags])
    if before is not None and before["grid"] != after["grid"]:
        # tell the old grid's holders to drop it (recorded first: holders of both grids then re-receive it)
        w.record_change(MOVED, f"{after['id']}@{before['grid']}", before["grid"])
    w.record_change("entity", after["id"], after["grid"])
    return rev


def insert_new(w: Writer, records: Sequence[dict[str, Any]], tags_in_force: dict[str, list[str]]) -> None:
    """Bulk-load new entities as revision 1 (seeding and imports: no per-field history rows)."""
    now = utc_now()
    rows, versions, tag_rows = [], [], []
    for r in records:
        state = r.get("state") or "active"
        rows.append({"id": r["id"], "kind": r["kind"], "template": r["template"],
                     "template_version": r["template_version"], "grid": r["grid"], "house_id": r.get("house_id"),
                     "household_id": r.get("household_id"), "data": r["data"], "tags": r.get("tags") or [],
                     "rev": 1, "state": state, "id_number": _id_number(r), "updated_at": now, "updated_by": None})
        versions.append({"entity_id": r["id"], "rev": 1,
                         "snapshot": {**r, "rev": 1, "state": state, "updated_at": format_ts(now)}})
        tag_rows += [{"entity_id": r["id"], "tag": tag, "grid": r["grid"]}
                     for tag in dict.fromkeys(tags_in_force.get(r["id"], r.get("tags") or []))]
    for i in range(0, len(rows), 1000):
        w.conn.execute(sa.insert(t.entities), rows[i:i + 1000])
        w.conn.execute(sa.insert(t.entity_versions), versions[i:i + 1000])
    for i in range(0, len(tag_rows), 1000):
        w.conn.execute(sa.insert(t.entity_tags), tag_rows[i:i + 1000])
    deltas: dict[counts.Key, int] = {}
    for row in rows:
        key = (row["grid"], row["kind"], row["state"])
        deltas[key] = deltas.get(key, 0) + 1
    counts.add(w.conn, deltas)
    w.record_new_changes("entity", [(r["id"], r["grid"]) for r in records])


def history(conn: Connection, entity_id: str) -> list[dict[str, Any]]:
    h, u, a = t.history, t.users.alias("author"), t.users.alias("approver")
    rows = conn.execute(
        sa.select(h, u.c.username.label("author_name"), a.c.username.label("approver_name"))
        .select_from(h.outerjoin(u, u.c.id == h.c.author_id).outerjoin(a, a.c.id == h.c.approved_by))
        .where(h.c.entity_id == entity_id).order_by(h.c.id))
    return [{"rev": r.rev, "field": r.field, "old": r.old, "new": r.new, "submission_id": r.submission_id,
             "author": r.author_name, "approved_by": r.approver_name, "at": format_ts(r.at)} for r in rows]
