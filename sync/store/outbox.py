"""Submissions: building field-level patches, the outbox, push results, conflicts, returned work.

Submission states: queued (waiting to be pushed) → sending (handed to the sync engine) →
accepted (server has it, pending review) → approved | returned; or applied at once (approved);
or conflict / rejected (back to the worker). A new submission over the same entities supersedes
a returned, conflicting or rejected one (``superseded_by``; the wire ``resubmits``) and takes the
entities' patches out of a still-queued one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sync.store.audit import Audit
from sync.store.db import StoreDb, dumps, loads, locked, now_iso
from sync.store.entities import Entities
from sync.store.errors import InvalidInput, NotFound
from sync.store.leftovers import Leftovers
from sync.store.records import KIND_ORDER, Record, changed_fields
from sync.store.results import ResultBatch, apply_result
from sync.store.visits import Visits

OPEN_STATES = ("queued", "sending")
BACK_TO_WORKER = ("returned", "conflict", "rejected")
PSEUDO = {"$state": "state", "$house_id": "house_id", "$household_id": "household_id", "$grid": "grid"}


def build_patch(rec: Record) -> dict[str, Any]:
    """The wire patch (docs/protocol.md) turning the base into the local version."""
    patch: dict[str, Any] = {"entity_id": rec.id, "kind": rec.kind, "template": rec.template,
                             "template_version": rec.template_version}
    if rec.base is None:
        patch.update(op="create", base_rev=None, grid=rec.grid, house_id=rec.house_id,
                     household_id=rec.household_id,
                     set={k: v for k, v in sorted(rec.data.items()) if v is not None and v != ""},
                     tags_add=sorted(rec.tags), tags_remove=[],
                     state=None if rec.state == "active" else rec.state)
        return patch
    base = rec.base
    base_data = base.get("data") or {}
    patch.update(op="update", base_rev=rec.rev,
                 set={k: rec.data.get(k) for k in changed_fields(base_data, rec.data)},
                 tags_add=sorted(set(rec.tags) - set(base.get("tags") or [])),
                 tags_remove=sorted(set(base.get("tags") or []) - set(rec.tags)),
                 state=rec.state if rec.state != (base.get("state") or "active") else None)
    for key in ("house_id", "household_id", "grid"):
        if (getattr(rec, key) or "") != (base.get(key) or ""):
            patch[key] = getattr(rec, key) or ""
    return patch


class Outbox:
    """``store.outbox``: submissions from the user's edits, what the sync engine pushes, the
    server's answers, returned work and conflicts."""

    def __init__(self, db: StoreDb, entities: Entities, visits: Visits, audit: Audit,
                 leftovers: Leftovers | None = None) -> None:
        self._db = db
        self._entities = entities
        self._visits = visits
        self._audit = audit
        self._leftovers = leftovers
        self._lock = db.lock

    # ---- submitting ----------------------------------------------------------------------------
    @locked
    def submit(self, entity_ids: Sequence[str] | None = None, *, visit_id: str | None = None,
               note: str = "") -> str:
        """Queue the local changes of these entities (or of a visited house) as one submission."""
        with self._db.tx():
            ids = list(dict.fromkeys(entity_ids or []))
            visit = None
            if visit_id is not None:
                visit = self._visits.get(visit_id)
                house = visit["house_id"]
                ids += [r[0] for r in self._db.conn.execute(
                    "SELECT id FROM entities WHERE id = ? OR house_id = ? ORDER BY seq", (house, house))]
                note = " ".join(x for x in (f"走访 {visit['date']} {visit['result']}", visit["note"], note) if x)
            if not ids:
                raise InvalidInput("没有选择要提交的记录 (nothing selected to submit)")
            recs = self._entities.load_many(list(dict.fromkeys(ids)))
            missing = [i for i in ids if i not in recs]
            if missing:
                raise NotFound(f"找不到记录 {missing[0]} (no such entity)")
            if any(r.status == "conflict" for r in recs.values()):
                raise InvalidInput("有冲突尚未解决，请先处理冲突 (resolve the conflicts first)")
            changed = sorted((r for r in recs.values() if r.differs_from_base()),
                             key=lambda r: (KIND_ORDER[r.kind], r.seq or 0))
            if not changed:
                raise InvalidInput("所选记录没有需要提交的修改 (no changes to submit)")
            sid = str(uuid.uuid4())
            patches = [build_patch(r) for r in changed]
            changed_ids = [r.id for r in changed]
            resubmits = self._supersede(sid, changed_ids)
            validation = self._validation_summary(changed_ids)
            now = now_iso()
            self._db.conn.execute(
                "INSERT INTO submissions (id, state, created_at, updated_at, patches, base_revs, entity_ids, "
                "visit_id, validation, last_result) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (sid, "queued", now, now, dumps(patches), dumps({p["entity_id"]: p["base_rev"] for p in patches}),
                 dumps(changed_ids), visit_id, dumps(validation),
                 dumps({"resubmits": resubmits, "note": note})))
            self._db.conn.executemany("INSERT INTO submission_entities (submission_id, entity_id) VALUES (?, ?)",
                                  [(sid, i) for i in changed_ids])
            for r in changed:
                r.status = "submitted"
            self._entities.write(changed, stale=False)
            if visit is not None:
                self._db.conn.execute("UPDATE visits SET submission_id = ? WHERE id = ?", (sid, visit_id))
            self._audit.log("submit", None, detail={"submission_id": sid, "entities": changed_ids})
        return sid

    def _supersede(self, sid: str, ids: list[str]) -> str | None:
        """Take these entities out of queued submissions; supersede returned/conflict/rejected ones."""
        marks = ",".join("?" * len(ids))
        rows = self._db.q(f"SELECT DISTINCT s.id, s.state, s.patches, s.entity_ids, s.created_at FROM submissions s "
                      f"JOIN submission_entities se ON se.submission_id = s.id WHERE se.entity_id IN ({marks}) "
                      f"AND s.superseded_by IS NULL ORDER BY s.created_at", ids)
        resubmits = None
        wanted = set(ids)
        for row in rows:
            if row["state"] == "queued":
                patches = [p for p in loads(row["patches"]) if p["entity_id"] not in wanted]
                left = [i for i in loads(row["entity_ids"]) if i not in wanted]
                self._db.conn.execute(f"DELETE FROM submission_entities WHERE submission_id = ? AND entity_id IN "
                                  f"({marks})", [row["id"], *ids])
                if patches:
                    self._db.conn.execute("UPDATE submissions SET patches = ?, entity_ids = ?, updated_at = ? "
                                      "WHERE id = ?", (dumps(patches), dumps(left), now_iso(), row["id"]))
                else:
                    self._db.conn.execute("DELETE FROM submissions WHERE id = ?", (row["id"],))
            elif row["state"] in BACK_TO_WORKER:
                self._db.conn.execute("UPDATE submissions SET superseded_by = ?, updated_at = ? WHERE id = ?",
                                  (sid, now_iso(), row["id"]))
                if row["state"] == "returned":
                    resubmits = row["id"]
        return resubmits

    def _validation_summary(self, ids: list[str]) -> dict[str, Any]:
        marks = ",".join("?" * len(ids))
        per = {r["entity_id"]: {"errors": r["errors"], "warnings": r["warnings"]} for r in self._db.q(
            f"SELECT entity_id, errors, warnings FROM validation WHERE entity_id IN ({marks})", ids)}
        errors = sum(v["errors"] for v in per.values())
        warnings = sum(v["warnings"] for v in per.values())
        return {"ok": errors == 0, "errors": errors, "warnings": warnings,
                "unchecked": [i for i in ids if i not in per], "entities": per}

    # ---- outbox views --------------------------------------------------------------------------
    def _submission_row(self, row: dict[str, Any]) -> dict[str, Any]:
        for key, default in (("patches", []), ("base_revs", {}), ("entity_ids", []), ("validation", {}),
                             ("last_result", None), ("comments", []), ("issues", [])):
            row[key] = loads(row[key], default)
        extra = row["last_result"] if isinstance(row["last_result"], dict) else {}
        row["note"] = extra.get("note", "")
        return row

    @locked
    def submission(self, submission_id: str) -> dict[str, Any]:
        row = self._db.q1("SELECT * FROM submissions WHERE id = ?", (submission_id,))
        if row is None:
            raise NotFound(f"找不到提交 {submission_id} (no such submission)")
        return self._submission_row(row)

    @locked
    def items(self, limit: int = 500) -> list[dict[str, Any]]:
        """Submissions newest first (not superseded ones), for the outbox screen."""
        return [self._submission_row(r) for r in self._db.q(
            "SELECT * FROM submissions WHERE superseded_by IS NULL ORDER BY created_at DESC LIMIT ?", (limit,))]

    @locked
    def rejected_ids(self) -> list[str]:
        """Submissions the platform rejected and no later one has replaced (the worker's to fix)."""
        return [str(r[0]) for r in self._db.conn.execute(
            "SELECT id FROM submissions WHERE state = 'rejected' AND superseded_by IS NULL")]

    @locked
    def open_count(self) -> int:
        """Submissions still to be sent (queued, or sending and not yet answered)."""
        return int(self._db.scalar("SELECT count(*) FROM submissions WHERE state IN ('queued', 'sending')"))

    @locked
    def returned(self) -> list[dict[str, Any]]:
        """Returned submissions not yet answered, with the reviewer's comment and per-field comments."""
        out = []
        for row in self._db.q("SELECT * FROM submissions WHERE state = 'returned' AND superseded_by IS NULL "
                          "ORDER BY decided_at DESC"):
            sub = self._submission_row(row)
            review = sub["comments"] if isinstance(sub["comments"], dict) else {"comments": sub["comments"]}
            sub["comment"] = review.get("comment", "")
            sub["comments"] = list(review.get("comments") or [])
            names = dict(self._db.conn.execute(
                f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(sub['entity_ids']))})",
                sub["entity_ids"]).fetchall()) if sub["entity_ids"] else {}
            sub["entities"] = [{"id": i, "name": names.get(i, "")} for i in sub["entity_ids"]]
            out.append(sub)
        return out

    @locked
    def conflicts(self, entity_id: str | None = None) -> list[dict[str, Any]]:
        where, params = ("AND c.entity_id = ?", [entity_id]) if entity_id else ("", [])
        rows = self._db.q("SELECT c.submission_id, c.entity_id, c.field, c.base, c.mine, c.theirs, c.theirs_rev, "
                      f"e.name, e.kind FROM conflicts c LEFT JOIN entities e ON e.id = c.entity_id "
                      f"WHERE c.resolved = 0 {where} ORDER BY c.entity_id, c.field", params)
        for r in rows:
            for key in ("base", "mine", "theirs"):
                r[key] = loads(r[key])
        return rows

    @locked
    def resolve_conflict(self, entity_id: str, choices: Mapping[str, Any]) -> dict[str, Any]:
        """Resolve conflicting fields: {field: 'mine' | 'theirs' | {'value': v}}. Fields not named stay
        in conflict. When none is left the entity is a draft again, based on the server's revision."""
        with self._db.tx():
            rec = self._entities.load(entity_id)
            open_rows = {r["field"]: r for r in self.conflicts(entity_id)}
            unknown = [f for f in choices if f not in open_rows]
            if unknown:
                raise InvalidInput(f"{entity_id}: 字段 {unknown[0]} 没有未解决的冲突 (no open conflict on that field)")
            base = dict(rec.base or {})
            base_data = dict(base.get("data") or {})
            for name, choice in choices.items():
                row = open_rows[name]
                if choice == "mine":
                    value = row["mine"]
                elif choice == "theirs":
                    value = row["theirs"]
                elif isinstance(choice, Mapping) and "value" in choice:
                    value = choice["value"]
                else:
                    raise InvalidInput(f"{name}: 选择应为 mine、theirs 或 {{'value': …}} (bad choice {choice!r})")
                if name in PSEUDO:
                    setattr(rec, PSEUDO[name], value if value not in ("", None) or name == "$grid" else None)
                    base[PSEUDO[name]] = row["theirs"]
                else:
                    rec.data[name] = value
                    base_data[name] = row["theirs"]
                if row["theirs_rev"] is not None:
                    rec.rev = max(rec.rev, int(row["theirs_rev"]))
                self._db.conn.execute("UPDATE conflicts SET resolved = 1, resolution = ? WHERE submission_id = ? AND "
                                  "entity_id = ? AND field = ?", (dumps(choice), row["submission_id"], entity_id, name))
            if rec.base is not None:
                base.update(data=base_data, rev=rec.rev)
                rec.base = base
            if not self._db.scalar("SELECT 1 FROM conflicts WHERE entity_id = ? AND resolved = 0", (entity_id,)):
                rec.status = "draft" if rec.differs_from_base() else "synced"
            rec.updated_at = now_iso()
            self._entities.write([rec])
            self._audit.log("resolve_conflict", entity_id, detail={"fields": sorted(choices)})
            return rec.local_dict()

    # ---- sync engine side ----------------------------------------------------------------------
    @locked
    def pending(self, limit: int = 50, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
        """Queued (and sent-but-unanswered) submissions in the wire format of POST /submissions, but
        those in ``exclude`` (a batch still travelling)."""
        device = self._db.get_meta("device_id") or ""
        skip = list(dict.fromkeys(exclude))
        not_in = f"AND id NOT IN ({','.join('?' * len(skip))}) " if skip else ""
        out = []
        for row in self._db.q("SELECT * FROM submissions WHERE state IN ('queued', 'sending') "
                          f"{not_in}ORDER BY created_at LIMIT ?", (*skip, limit)):
            sub = self._submission_row(row)
            extra = sub["last_result"] if isinstance(sub["last_result"], dict) else {}
            v = sub["validation"]
            out.append({"id": sub["id"], "device_id": device, "created_at": sub["created_at"],
                        "resubmits": extra.get("resubmits"), "note": extra.get("note") or None,
                        "patches": sub["patches"],
                        "client_validation": {"ok": bool(v.get("ok", True)), "errors": int(v.get("errors", 0)),
                                              "warnings": int(v.get("warnings", 0))}})
        return out

    @locked
    def mark_sending(self, ids: Iterable[str]) -> None:
        now = now_iso()
        wanted = list(dict.fromkeys(ids))
        with self._db.tx():
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                self._db.conn.execute(
                    "UPDATE submissions SET state = 'sending', attempts = attempts + 1, sent_at = ?, updated_at = ? "
                    f"WHERE id IN ({','.join('?' * len(chunk))}) AND state IN ('queued', 'sending')",
                    [now, now, *chunk])

    @locked
    def record_results(self, results: Iterable[Mapping[str, Any]]) -> dict[str, int]:
        """Store the server's answer to pushed submissions in one transaction; harmless to repeat."""
        checked = []
        for i, res in enumerate(results):
            if not isinstance(res, Mapping) or not isinstance(res.get("id"), str):
                raise InvalidInput(f"第 {i + 1} 个结果缺少 id (result {i + 1} without id)")
            outcome = res.get("outcome")
            while outcome == "duplicate" and isinstance(res.get("original"), Mapping):
                res = {**res["original"], "id": res["id"]}
                outcome = res.get("outcome")
            if outcome not in ("accepted", "conflict", "rejected", "duplicate"):
                raise InvalidInput(f"提交 {res['id']}: 未知结果 {outcome!r} (unknown outcome)")
            checked.append(dict(res))
        counts: dict[str, int] = {}
        with self._db.tx():
            subs = self._submissions_by_id([res["id"] for res in checked])
            batch = ResultBatch(self._db, self._entities, [i for sub in subs.values() for i in sub["entity_ids"]])
            for res in checked:
                sub = subs.get(res["id"])
                if sub is None:
                    counts["unknown"] = counts.get("unknown", 0) + 1
                    continue
                apply_result(self._db, sub, res, batch)
                if self._leftovers is not None and res.get("leftovers"):
                    self._leftovers.keep_from_platform(res)  # values the platform found no field for
                counts[res["outcome"]] = counts.get(res["outcome"], 0) + 1
            batch.flush()
        return counts

    def _submissions_by_id(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Stored submissions by id (absent ids left out), in one query per 500 ids."""
        wanted = list(dict.fromkeys(ids))
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            for row in self._db.q(f"SELECT * FROM submissions WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                out[row["id"]] = self._submission_row(row)
        return out
