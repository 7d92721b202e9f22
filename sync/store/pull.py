"""Pull side: store one page of server changes together with its cursor, in one transaction.

Items follow docs/protocol.md (``GET /changes``): ``{"seq", "type", "id", "deleted", "data"}`` with
type entity | template | tag_catalogue | codelist | area | assignment | review | visit. Every item of a page
is checked before anything is written; a malformed item raises InvalidInput naming the item and
the page is not stored (nor its cursor), so the engine can retry or report it.

Entities pulled over local edits are rebased: the pulled version becomes the new base, and each
local edit (a field, tag, link or state that differs from the old base) is kept on top of it.
Local edits are never lost by a pull.
"""

from __future__ import annotations

import base64
import binascii
import gc
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sync.store.audit import Audit
from sync.store.db import StoreDb, dumps, loads, locked, now_iso
from sync.store.entities import Entities
from sync.store.errors import InvalidInput
from sync.store.leftovers import Leftovers
from sync.store.records import (
    HOUSE_COLUMNS,
    KIND_ORDER,
    Record,
    apply_patch,
    house_columns,
    is_empty,
    parse_wire_entity,
)
from sync.store.schema import BULK_INDEXES
from sync.store.visits import VISIT_RESULTS, Visits

DROP_WHEN_CLEAN = ("synced",)


def _same(a: Any, b: Any) -> bool:
    return (is_empty(a) and is_empty(b)) or a == b


def rebase(rec: Record, incoming: dict[str, Any]) -> None:
    """Three-way: new base = incoming; local edits (local != old base) are kept on top of it."""
    old = rec.base or {"data": {}, "tags": [], "house_id": None, "household_id": None, "state": "active",
                       "grid": ""}
    old_data, new_data = old.get("data") or {}, incoming["data"]
    merged = dict(new_data)
    for key in set(rec.data) | set(old_data):
        if not _same(rec.data.get(key), old_data.get(key)):  # edited here: keep the local value
            if key in rec.data:
                merged[key] = rec.data[key]
            else:
                merged.pop(key, None)
    old_tags, local_tags = set(old.get("tags") or []), set(rec.tags)
    added, removed = local_tags - old_tags, old_tags - local_tags
    tags = [t for t in incoming["tags"] if t not in removed] + sorted(added - set(incoming["tags"]))
    for key in ("house_id", "household_id", "state", "grid"):
        if _same(getattr(rec, key), old.get(key)):
            setattr(rec, key, incoming[key])
    rec.data, rec.tags = merged, tags


def _wire_base(ent: dict[str, Any]) -> dict[str, Any]:
    return {k: ent[k] for k in ("id", "kind", "template", "template_version", "grid", "house_id",
                                "household_id", "data", "tags", "rev", "state", "updated_at")}


def _check_item(item: Any, index: int) -> dict[str, Any]:
    where = f"第 {index + 1} 项 (item {index + 1})"
    if type(item) is not dict and not isinstance(item, Mapping):
        raise InvalidInput(f"{where}: 必须是对象 (must be an object)")
    kind = item.get("type")
    if not isinstance(kind, str):
        raise InvalidInput(f"{where}: 缺少 type (missing type)")
    deleted = bool(item.get("deleted", False))
    data = item.get("data")
    if not deleted and type(data) is not dict and not isinstance(data, Mapping):
        raise InvalidInput(f"{where} ({kind} {item.get('id')}): data 必须是对象 (data must be an object)")
    if kind == "entity" and not deleted:
        ent = parse_wire_entity(data, where)
        return {"type": kind, "id": ent["id"], "deleted": False, "data": ent}
    out: dict[str, Any] = {"type": kind, "id": str(item.get("id") or ""), "deleted": deleted,
                           "data": dict(data or {})}
    if kind == "template" and not deleted:
        d = out["data"]
        if not d.get("form_id") or not d.get("version"):
            raise InvalidInput(f"{where}: 模板缺少 form_id 或 version (template without form_id/version)")
        try:
            blob = base64.b64decode(str(d.get("xlsx_base64") or ""), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput(f"{where} ({d['form_id']}@{d['version']}): xlsx_base64 无法解码 ({exc})") from exc
        if not blob:
            raise InvalidInput(f"{where} ({d['form_id']}@{d['version']}): 模板文件为空 (empty workbook)")
        if d.get("sha256") and hashlib.sha256(blob).hexdigest() != str(d["sha256"]).lower():
            raise InvalidInput(f"{where} ({d['form_id']}@{d['version']}): 模板文件校验失败 (sha256 mismatch)")
        out["blob"] = blob
    elif kind == "visit" and not deleted:
        d = out["data"]
        if not out["id"] or not isinstance(d.get("house_id"), str) or not d["house_id"]:
            raise InvalidInput(f"{where} (visit {out['id']}): 走访缺少 id 或 house_id (visit without id or house)")
        if d.get("result") not in VISIT_RESULTS or not isinstance(d.get("date"), str) or len(d["date"]) != 10:
            raise InvalidInput(f"{where} (visit {out['id']}): 走访结果或日期无效 (bad visit result or date)")
        if not isinstance(d.get("person_ids", []), list):
            raise InvalidInput(f"{where} (visit {out['id']}): person_ids 必须是列表 (must be a list)")
    elif kind == "area" and not deleted:
        d = out["data"]
        if not d.get("code") or not d.get("name") or not d.get("level"):
            raise InvalidInput(f"{where}: 区域缺少 code/name/level (area incomplete)")
    elif kind == "review" and not deleted:
        if out["data"].get("status") not in ("approved", "returned", "pending"):
            raise InvalidInput(f"{where}: 未知审核结果 {out['data'].get('status')!r} (unknown review status)")
    elif kind in ("tag_catalogue", "codelist") and not deleted:
        key = "tags" if kind == "tag_catalogue" else "items"
        if not isinstance(out["data"].get(key), list):
            raise InvalidInput(f"{where} ({kind} {out['id']}): {key} 必须是列表 (must be a list)")
    return out


def _seen_key(c: dict[str, Any]) -> str:
    """The ``reset_seen`` key of a pulled area or assignment (entity ids are UUIDs and stay bare)."""
    return f"{c['type']}:{c['id']}"


def _template_id(key: str) -> tuple[str, str]:
    """``form_id@version@area`` (or the older ``form_id@version``) -> (form_id, version)."""
    form_id, _, rest = key.partition("@")
    return form_id, rest.partition("@")[0]


class Pull:
    """``store.pull``: pulled pages stored with their cursor, one transaction a page.

    Entities pulled over local edits keep the edits (three-way rebase onto the new base); a first
    full pull into an empty store defers the list and random-key indexes to its last page.
    """

    def __init__(self, db: StoreDb, entities: Entities, audit: Audit, visits: Visits,
                 leftovers: Leftovers | None = None) -> None:
        self._db = db
        self._entities = entities
        self._audit = audit
        self._visits = visits
        self._leftovers = leftovers
        #: Records of the page being stored whose local edits were laid over a pulled version.
        self._rebased: list[str] = []
        self._lock = db.lock

    @locked
    def cursor(self, name: str = "changes") -> str | None:
        row = self._db.conn.execute("SELECT value FROM cursors WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    @locked
    def apply_changes(self, items: Iterable[Any], next_cursor: str, *, cursor: str = "changes",
                      reset: bool = False, has_more: bool = False) -> dict[str, int]:
        """Store one page of changes and its cursor atomically. Returns counts by item type.

        ``reset`` (the server restarted from the beginning): from this page on, entities are noted as
        seen; after the last page (``has_more`` false) clean entities not re-sent are dropped.
        """
        checked = [_check_item(item, i) for i, item in enumerate(items)]
        if not isinstance(next_cursor, str) or not next_cursor:
            raise InvalidInput("next_cursor 不能为空 (empty cursor)")
        counts: dict[str, int] = {}
        with self._pull_durability(), self._db.tx():
            if has_more and not self._db.get_meta("bulk_load") and any(c["type"] == "entity" for c in checked) \
                    and self._db.scalar("SELECT seq FROM entities LIMIT 1") is None:
                self._begin_bulk_load()
            resetting = bool(self._db.get_meta(f"reset:{cursor}")) or reset
            if reset and not self._db.get_meta(f"reset:{cursor}"):
                self._db.conn.execute("DELETE FROM reset_seen")
                self._db.set_meta(f"reset:{cursor}", True)
            # decisions first: an approved edit is part of the master record, so an entity version
            # in the same page that overtook it must not see it as a local edit
            for c in checked:
                if c["type"] == "review":
                    self._apply_review(c)
            entities = [c for c in checked if c["type"] == "entity"]
            self._rebased = []
            self._apply_entities(entities, track=resetting)
            if resetting:  # areas and assignments not re-sent by a restarted feed left the scope too
                self._db.conn.executemany("INSERT OR IGNORE INTO reset_seen (id) VALUES (?)", [
                    (_seen_key(c),) for c in checked if c["type"] in ("area", "assignment") and not c["deleted"]])
            for c in checked:
                counts[c["type"]] = counts.get(c["type"], 0) + 1
                handler = getattr(self, f"_apply_{c['type']}", None)
                if c["type"] not in ("entity", "review") and handler is not None:
                    handler(c)
            pulled_visits = [c for c in checked if c["type"] == "visit"]
            if pulled_visits:  # after the entities of the page: the summaries land on the new rows
                self._visits.apply_pulled(pulled_visits)
            if self._leftovers is not None and ("template" in counts or self._rebased):
                # a newer version never strands local work: all of it when templates came, else the
                # records whose local edits were just laid over a server version
                moved = self._leftovers.bring_forward(None if "template" in counts else self._rebased)
                if moved:
                    counts["migrated"] = moved
            if resetting and not has_more:
                counts["dropped"] = self._finish_reset()
                self._db.set_meta(f"reset:{cursor}", False)
            self._db.conn.execute("INSERT OR REPLACE INTO cursors (name, value, updated_at) VALUES (?, ?, ?)",
                              (cursor, next_cursor, now_iso()))
            if not has_more:
                self._end_bulk_load()
        return counts

    @contextmanager
    def _pull_durability(self) -> Iterator[None]:
        """A pulled page commits with ``synchronous = NORMAL``: in WAL mode that skips the fsync of
        each commit (the WAL is synced at checkpoints). A power cut may then undo the last pages,
        but each page and its cursor stay one transaction, so the engine pulls them again; the
        user's own edits keep committing with FULL (restored here). The cyclic garbage collector
        pauses while the page is stored (process-wide; it runs again right after)."""
        collecting = gc.isenabled()
        if collecting:  # a page makes ~10^5 short-lived objects, freed by reference counting:
            gc.disable()  # full cyclic collections over the whole heap while it is stored are waste
        try:
            if self._db.conn.in_transaction:  # the level cannot change inside a transaction
                yield
                return
            self._db.conn.execute("PRAGMA synchronous = NORMAL")
            try:
                yield
            finally:
                self._db.conn.execute("PRAGMA synchronous = FULL")
        finally:
            if collecting:
                gc.enable()

    def _end_bulk_load(self) -> None:
        if self._db.get_meta("bulk_load"):
            for sql in BULK_INDEXES.values():
                self._db.conn.execute(sql)
            self._db.set_meta("bulk_load", False)

    @locked
    def finish_bulk_load(self) -> None:
        """Build the indexes a first full pull dropped (done by the last page, at open and at close;
        the sync engine may call it when a first pull is cancelled)."""
        if self._db.get_meta("bulk_load"):
            with self._db.tx():
                self._end_bulk_load()

    def _begin_bulk_load(self) -> None:
        """First full pull into an empty store: drop the deferred indexes (BULK_INDEXES) until its last page."""
        for name in BULK_INDEXES:
            self._db.conn.execute(f"DROP INDEX IF EXISTS {name}")
        self._db.set_meta("bulk_load", True)

    # ---- entities ------------------------------------------------------------------------------
    def _apply_entities(self, items: list[dict[str, Any]], *, track: bool) -> None:
        if not items:
            return
        latest: dict[str, dict[str, Any]] = {}
        for item in items:  # a page may repeat an object: the last one wins
            latest[item["id"]] = item
        if track:
            self._db.conn.executemany("INSERT OR IGNORE INTO reset_seen (id) VALUES (?)", [(i,) for i in latest])
        existing = self._entities.load_many(list(latest))
        deletes = [i for i, it in latest.items() if it["deleted"]]
        self._delete_pulled(deletes, existing)
        records: list[Record] = []
        moved_houses: list[str] = []
        now = now_iso()
        for eid, item in sorted(latest.items(), key=lambda kv: KIND_ORDER.get(kv[1]["data"].get("kind", ""), 3)):
            if item["deleted"]:
                continue
            ent = item["data"]
            rec = existing.get(eid)
            if rec is None:
                records.append(Record(
                    id=eid, kind=ent["kind"], template=ent["template"], template_version=ent["template_version"],
                    grid=ent["grid"], house_id=ent["house_id"], household_id=ent["household_id"],
                    state=ent["state"], data=dict(ent["data"]), tags=list(ent["tags"]), rev=ent["rev"],
                    status="synced", base=_wire_base(ent), updated_at=now, server_updated_at=ent["updated_at"]))
                continue
            if rec.base is not None and ent["rev"] < rec.rev:
                continue  # older than what we hold
            if rec.kind == "house" and any(
                    house_columns(rec.base["data"] if rec.base else rec.data).get(k) !=
                    house_columns(ent["data"]).get(k) for k in HOUSE_COLUMNS):
                moved_houses.append(eid)
            if rec.status == "synced":
                rec.data, rec.tags = dict(ent["data"]), list(ent["tags"])
                rec.house_id, rec.household_id, rec.state, rec.grid = (
                    ent["house_id"], ent["household_id"], ent["state"], ent["grid"])
            else:
                rebase(rec, ent)
                self._rebased.append(eid)  # local work over a new base: its template version may be older
            rec.base, rec.rev = _wire_base(ent), ent["rev"]
            rec.template, rec.template_version = ent["template"], ent["template_version"] or rec.template_version
            rec.kind = ent["kind"]
            rec.server_updated_at = ent["updated_at"]
            rec.updated_at = now
            if rec.status in ("draft", "submitted") and not rec.differs_from_base():
                rec.status = "synced"
            records.append(rec)
        self._entities.write(records)
        if moved_houses:
            self._entities.refresh_dependants(moved_houses, skip=set(latest))

    def _delete_pulled(self, ids: list[str], existing: Mapping[str, Record]) -> None:
        for eid in ids:
            rec = existing.get(eid)
            if rec is None:
                continue
            if rec.status in DROP_WHEN_CLEAN:
                self._drop(rec)
            else:
                self._audit.log("server_deleted_kept_local", eid,
                            detail={"status": rec.status, "note": "服务器已删除，本机修改保留"})

    def _drop(self, rec: Record) -> None:
        seq = rec.seq
        for sql in ("DELETE FROM search WHERE rowid = ?", "DELETE FROM entity_tags WHERE seq = ?",
                    "DELETE FROM validation WHERE seq = ?", "DELETE FROM entity_docs WHERE seq = ?",
                    "DELETE FROM entities WHERE seq = ?"):
            self._db.conn.execute(sql, (seq,))

    def _finish_reset(self) -> int:
        """Entities the restarted feed did not re-send left this device's scope (a grid handed over,
        moved or merged): drop those the platform holds in full, keep (and note) those with local work.

        Dropped: clean ones, and ``submitted`` ones whose submissions were all answered (the platform
        has the work; its review goes on there). Kept: drafts, returned, rejected or conflicting edits,
        work still queued (each noted in the audit log
        ``out_of_scope_kept``, so the worker sees why they stay), and entities created here. Areas and
        assignments not re-sent are dropped too (the device's tree shows only what it still holds)."""
        rows = self._db.q("SELECT e.seq, e.id, e.status, d.base IS NULL AS local_only FROM entities e "
                      "JOIN entity_docs d ON d.seq = e.seq WHERE e.id NOT IN (SELECT id FROM reset_seen)")
        unsent = {r["entity_id"] for r in self._db.q(
            "SELECT se.entity_id FROM submission_entities se JOIN submissions s ON s.id = se.submission_id "
            "WHERE s.state IN ('queued', 'sending') AND s.superseded_by IS NULL")}
        dropped = 0
        for r in rows:
            answered = r["status"] == "submitted" and r["id"] not in unsent
            if r["local_only"]:  # created here and not on the platform yet: not a matter of scope
                continue
            if r["status"] in DROP_WHEN_CLEAN or answered:
                self._drop(Record(id=r["id"], kind="", template="", seq=r["seq"]))
                dropped += 1
            else:
                self._audit.log("out_of_scope_kept", r["id"],
                                detail={"status": r["status"], "note": "已不在您的网格，本机未提交的修改保留"})
        self._db.conn.execute("DELETE FROM areas WHERE 'area:' || code NOT IN (SELECT id FROM reset_seen)")
        assignments = dict(self._db.get_meta("assignments") or {})
        seen = {r["id"] for r in self._db.q("SELECT id FROM reset_seen WHERE id LIKE 'assignment:%'")}
        kept = {key: value for key, value in assignments.items() if f"assignment:{key}" in seen}
        if kept != assignments:
            self._db.set_meta("assignments", kept)
        self._db.conn.execute("DELETE FROM reset_seen")
        return dropped

    # ---- other item types ----------------------------------------------------------------------
    def _apply_template(self, c: dict[str, Any]) -> None:
        if c["deleted"]:
            form_id, version = _template_id(c["id"])
            self._db.conn.execute("DELETE FROM templates WHERE kind = ? AND version = ?", (form_id, version))
            return
        d = c["data"]
        info = {k: v for k, v in d.items() if k != "xlsx_base64"}
        old_tags = self._db.scalar("SELECT tags FROM templates WHERE kind = ? AND version = ?",
                               (d["form_id"], d["version"]))
        self._db.conn.execute(
            "INSERT OR REPLACE INTO templates (kind, version, xlsx, published_at, tags, info) VALUES (?,?,?,?,?,?)",
            (d["form_id"], str(d["version"]), c["blob"], str(d.get("published_at") or ""), old_tags or "[]",
             dumps(info)))

    def _apply_tag_catalogue(self, c: dict[str, Any]) -> None:
        if c["deleted"]:
            return
        d = c["data"]
        tags = list(d["tags"])
        form_id, version = d.get("form_id"), d.get("version")
        if form_id and version:
            self._db.conn.execute("UPDATE templates SET tags = ? WHERE kind = ? AND version = ?",
                              (dumps(tags), form_id, str(version)))
        for i, t in enumerate(tags):
            if not isinstance(t, Mapping) or not t.get("id"):
                raise InvalidInput(f"标签目录 {c['id']} 第 {i + 1} 个标签缺少 id (tag without id)")
            every = t.get("visit_every")
            self._db.conn.execute(
                "INSERT OR REPLACE INTO tag_catalogue (tag, label, label_en, scope, kind, sensitive, sort, visit_every) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (t["id"], str(t.get("label") or ""), str(t.get("label_en") or ""), str(t.get("scope") or ""),
                 str(t.get("kind") or ""), dumps(list(t.get("sensitive") or [])), i,
                 every if isinstance(every, int) and not isinstance(every, bool) and every > 0 else None))

    def _apply_codelist(self, c: dict[str, Any]) -> None:
        if c["deleted"]:
            self._db.conn.execute("DELETE FROM codelists WHERE name = ?", (c["id"],))
            return
        d = c["data"]
        self._db.conn.execute("INSERT OR REPLACE INTO codelists (name, version, items) VALUES (?, ?, ?)",
                          (str(d.get("name") or c["id"]), str(d.get("version") or ""), dumps(d["items"])))

    def _apply_area(self, c: dict[str, Any]) -> None:
        if c["deleted"]:
            self._db.conn.execute("DELETE FROM areas WHERE code = ?", (c["id"],))
            return
        d = c["data"]
        self._db.conn.execute("INSERT OR REPLACE INTO areas (code, name, level, parent, sort) VALUES (?,?,?,?,?)",
                          (str(d["code"]), str(d["name"]), str(d["level"]), d.get("parent") or None,
                           int(d.get("sort") or 0)))

    def _apply_assignment(self, c: dict[str, Any]) -> None:
        assignments = dict(self._db.get_meta("assignments") or {})
        if c["deleted"] or c["data"].get("active") is False:
            assignments.pop(c["id"], None)
        else:
            assignments[c["id"]] = c["data"]
        self._db.set_meta("assignments", assignments)

    def _apply_review(self, c: dict[str, Any]) -> None:
        d = c["data"]
        sid = str(d.get("submission_id") or c["id"])
        sub = self._db.q1("SELECT state, entity_ids, patches FROM submissions WHERE id = ?", (sid,))
        if sub is None or c["deleted"] or d["status"] == "pending":
            return  # not ours (a supervisor sees others' reviews) or nothing decided yet
        state = "approved" if d["status"] == "approved" else "returned"
        self._db.conn.execute(
            "UPDATE submissions SET state = ?, comments = ?, decided_at = ?, reviewer = ?, updated_at = ?, "
            "last_result = ? WHERE id = ?",
            (state, dumps({"comment": d.get("comment") or "", "comments": list(d.get("comments") or [])}),
             d.get("decided_at"), d.get("decided_by"), now_iso(), dumps({"review": dict(d)}), sid))
        ids = loads(sub["entity_ids"], [])
        records = self._entities.load_many(ids)
        revisions = d.get("revisions") or {}
        if state == "approved":  # the master record now holds these patches: so does our base
            for patch in loads(sub["patches"], []):
                rec = records.get(patch["entity_id"])
                rev = revisions.get(patch["entity_id"])
                if rec is not None and isinstance(rev, int) and (rec.base is None or rev > rec.rev):
                    rec.base, rec.rev = apply_patch(rec.base, patch, rev), rev
        for rec in records.values():
            if state == "returned" and rec.status in ("submitted", "draft", "synced"):
                rec.status = "returned"
            elif state == "approved" and rec.status in ("submitted", "returned"):
                rec.status = "draft" if rec.differs_from_base() else "synced"
        self._entities.write(list(records.values()), stale=False)
        self._audit.log(f"review_{state}", None, detail={"submission_id": sid})
