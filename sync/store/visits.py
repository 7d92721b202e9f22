"""Visits (走访) to houses: recorded on the device, synced on their own, summarised on the house and its
residents, merged with the visits other devices made to the same houses.

Sync states of a visit: ``pending`` (recorded, to be pushed) → ``sent`` (handed to the platform, no
answer stored yet; pushed again by the next sync, answered ``duplicate``) → ``accepted`` | ``rejected``
(with the platform's message in ``sync_message``). Visits pulled from the platform (origin
``server``) are ``accepted``. A visit to a house the platform does not hold yet (created on this
device, waiting for review) stays pending until the house comes back from the platform.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from forms.visits import CYCLES, DEFAULT_CYCLE, VISIT_RESULTS, Cycle, cycle_of
from sync.store.audit import Audit
from sync.store.db import StoreDb, dumps, iso_date, loads, locked, now_iso
from sync.store.due import DueList
from sync.store.errors import InvalidInput, NotFound

SYNC_STATES = ("pending", "sent", "accepted", "rejected")
OPEN_SYNC_STATES = ("pending", "sent")
VERIFYING_RESULT = "已核实"

__all__ = ["OPEN_SYNC_STATES", "SYNC_STATES", "VISIT_RESULTS", "Visits"]


class Visits:
    """``store.visits``: record a visit, read visits, what the sync engine pushes and pulls, the due list."""

    def __init__(self, db: StoreDb, audit: Audit) -> None:
        self._db = db
        self._audit = audit
        self._lock = db.lock
        self._due = DueList(db)

    # ---- recording -----------------------------------------------------------------------------
    @locked
    def record(self, house_id: str, when: date | str, result: str, note: str = "",
               person_ids: Sequence[str] | None = None) -> str:
        """Record a visit (走访) to a house and queue it for sync; returns the visit id.

        ``person_ids``: the persons seen (default: the house's active residents). InvalidInput for an
        unknown result, a malformed or future date, a person that is no person of this store."""
        if result not in VISIT_RESULTS:
            raise InvalidInput(f"走访结果应为 {'/'.join(VISIT_RESULTS)}，收到 {result!r} (bad visit result)")
        day = iso_date(when, "visit date")
        if date.fromisoformat(day) > date.today():
            raise InvalidInput(f"走访日期 {day} 晚于今天 (visit date {day} lies in the future)")
        if not isinstance(note, str) or len(note) > 4000:
            raise InvalidInput("走访备注最多 4000 字 (a visit note has at most 4,000 characters)")
        visit_id = str(uuid.uuid4())
        with self._db.tx():
            house = self._db.q1("SELECT kind, grid FROM entities WHERE id = ?", (house_id,))
            if house is None or house["kind"] != "house":
                raise NotFound(f"找不到房屋 {house_id} (no such house)")
            seen = self._persons_seen(house_id, person_ids)
            self._db.conn.execute(
                "INSERT INTO visits (id, house_id, date, result, note, user, created_at, person_ids, sync_state, "
                "origin, author, grid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (visit_id, house_id, day, result, note or "", self._db.username, now_iso(), dumps(seen), "pending",
                 "local", self._db.username, house["grid"]))
            self._db.conn.executemany("INSERT INTO visit_persons (visit_id, person_id) VALUES (?, ?)",
                                      [(visit_id, p) for p in seen])
            self._update_visit_summary([house_id])
            self._audit.log("visit", house_id, detail={"visit_id": visit_id, "date": day, "result": result,
                                                       "persons": len(seen)})
        return visit_id

    def _persons_seen(self, house_id: str, person_ids: Sequence[str] | None) -> list[str]:
        if person_ids is None:
            return [r[0] for r in self._db.conn.execute(
                "SELECT id FROM entities WHERE house_id = ? AND kind = 'person' AND state = 'active' ORDER BY seq",
                (house_id,))]
        if isinstance(person_ids, str):
            raise InvalidInput("person_ids 应为人员编号的列表 (person_ids must be a list of ids)")
        seen = list(dict.fromkeys(person_ids))
        if len(seen) > 500:
            raise InvalidInput("一次走访最多记录 500 人 (at most 500 persons in one visit)")
        if seen:
            marks = ",".join("?" * len(seen))
            kinds = dict(self._db.conn.execute(f"SELECT id, kind FROM entities WHERE id IN ({marks})", seen).fetchall())
            for i, pid in enumerate(seen):
                if kinds.get(pid) != "person":
                    raise InvalidInput(f"person_ids[{i}]: 找不到人员 {pid} (no such person)")
        return seen

    def _update_visit_summary(self, house_ids: Iterable[str]) -> None:
        """The latest visit of each house on the house and its residents (``visit_result``, ``visit_date``)."""
        for house_id in dict.fromkeys(house_ids):
            row = self._db.conn.execute("SELECT result, date FROM visits WHERE house_id = ? ORDER BY date DESC, "
                                        "created_at DESC LIMIT 1", (house_id,)).fetchone()
            result, day = (row[0], row[1]) if row else (None, None)
            self._db.conn.execute("UPDATE entities SET visit_result = ?, visit_date = ? WHERE id = ? OR house_id = ?",
                                  (result, day, house_id, house_id))

    # ---- reading -------------------------------------------------------------------------------
    def _row(self, row: dict[str, Any]) -> dict[str, Any]:
        row["person_ids"] = loads(row.get("person_ids"), [])
        row.pop("body", None)
        return row

    @locked
    def of_house(self, house_id: str) -> list[dict[str, Any]]:
        """Visits of a house, newest first (this device's and those pulled from the platform)."""
        return [self._row(r) for r in self._db.q(
            "SELECT * FROM visits WHERE house_id = ? ORDER BY date DESC, created_at DESC", (house_id,))]

    @locked
    def of_person(self, person_id: str) -> list[dict[str, Any]]:
        """Visits in which this person was seen, newest first."""
        return [self._row(r) for r in self._db.q(
            "SELECT v.* FROM visits v JOIN visit_persons p ON p.visit_id = v.id WHERE p.person_id = ? "
            "ORDER BY v.date DESC, v.created_at DESC", (person_id,))]

    @locked
    def get(self, visit_id: str) -> dict[str, Any]:
        row = self._db.q1("SELECT * FROM visits WHERE id = ?", (visit_id,))
        if row is None:
            raise NotFound(f"找不到走访记录 {visit_id} (no such visit)")
        return self._row(row)

    # ---- the verification cycle ----------------------------------------------------------------
    @locked
    def cycle_kind(self) -> str:
        """The platform's verification cycle (``visit_cycle``) as last pulled; quarter until then."""
        kind = self._db.get_meta("visit_cycle")
        return kind if isinstance(kind, str) and kind in CYCLES else DEFAULT_CYCLE

    @locked
    def set_cycle(self, kind: str) -> None:
        if kind not in CYCLES:
            raise InvalidInput(f"核实周期应为 {'/'.join(CYCLES)}，收到 {kind!r} (unknown verification cycle)")
        if self._db.get_meta("visit_cycle") != kind:
            with self._db.tx():
                self._db.set_meta("visit_cycle", kind)

    @locked
    def cycle(self, today: date | None = None) -> Cycle:
        return cycle_of(today or date.today(), self.cycle_kind())

    @locked
    def verification(self, entity_id: str, today: date | None = None) -> dict[str, Any]:
        """Whether a house or person is verified (a 已核实 visit, the person seen) in the current cycle:
        ``{"cycle": {kind, label, start, end}, "verified": bool, "visit_id", "date"}``."""
        cycle = self.cycle(today)
        kind = self._db.scalar("SELECT kind FROM entities WHERE id = ?", (entity_id,))
        if kind is None:
            raise NotFound(f"找不到记录 {entity_id} (no such entity)")
        if kind == "person":
            sql = ("SELECT v.id, v.date FROM visits v JOIN visit_persons p ON p.visit_id = v.id WHERE p.person_id = ? "
                   "AND v.result = ? AND v.date BETWEEN ? AND ? ORDER BY v.date DESC LIMIT 1")
            key = entity_id
        else:
            sql = ("SELECT id, date FROM visits WHERE house_id = ? AND result = ? AND date BETWEEN ? AND ? "
                   "ORDER BY date DESC LIMIT 1")
            key = entity_id if kind == "house" else str(self._db.scalar(
                "SELECT house_id FROM entities WHERE id = ?", (entity_id,)) or "")
        row = self._db.conn.execute(sql, (key, VERIFYING_RESULT, cycle.start.isoformat(),
                                          cycle.end.isoformat())).fetchone()
        return {"cycle": cycle.as_dict(), "verified": row is not None, "visit_id": row[0] if row else None,
                "date": row[1] if row else None}

    # ---- the due list (forms.visits.plan over the store) ---------------------------------------
    @locked
    def due(self, grid: str | None = None, tag: str | None = None, today: date | None = None, *,
            kind: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Persons and houses that need a visit, most overdue first (see :class:`sync.store.due.DueList`)."""
        return self._due.rows(grid, tag, today or date.today(), self.cycle_kind(), kind, limit, offset)

    @locked
    def due_count(self, grid: str | None = None, tag: str | None = None, today: date | None = None, *,
                  kind: str | None = None) -> int:
        return self._due.count(grid, tag, today or date.today(), self.cycle_kind(), kind)

    # ---- sync engine side ----------------------------------------------------------------------
    @locked
    def open_count(self) -> int:
        """Visits still to be sent (pending, or sent and not yet answered)."""
        return int(self._db.scalar("SELECT count(*) FROM visits WHERE sync_state IN ('pending', 'sent')"))

    @locked
    def pending(self, limit: int = 200, exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
        """Visits to push, in the wire format of ``POST /visits``, oldest first; but those in ``exclude``
        (travelling) and those whose house the platform does not hold yet. The body is fixed when a
        visit is first offered, so a retry is the same visit (``duplicate``), never another."""
        skip = list(dict.fromkeys(exclude))
        not_in = f"AND v.id NOT IN ({','.join('?' * len(skip))}) " if skip else ""
        device = str(self._db.get_meta("device_id") or "")
        rows = self._db.q(
            "SELECT v.* FROM visits v JOIN entities e ON e.id = v.house_id JOIN entity_docs d ON d.seq = e.seq "
            f"WHERE v.sync_state IN ('pending', 'sent') AND d.base IS NOT NULL {not_in}"
            "ORDER BY v.created_at, v.id LIMIT ?", (*skip, limit))
        out = []
        with self._db.tx():
            for row in rows:
                body = loads(row["body"])
                if not isinstance(body, dict):
                    body = {"id": row["id"], "house_id": row["house_id"], "date": row["date"], "result": row["result"],
                            "note": row["note"] or "", "person_ids": self._known(loads(row["person_ids"], [])),
                            "device_id": device or None, "created_at": row["created_at"],
                            "submission_id": row["submission_id"]}
                    self._db.conn.execute("UPDATE visits SET body = ? WHERE id = ?", (dumps(body), row["id"]))
                out.append(body)
        return out

    def _known(self, person_ids: list[str]) -> list[str]:
        """The persons seen that the platform holds: one born or moved in on this visit exists there
        only once its submission is applied, and is told by that submission, not by the visit."""
        if not person_ids:
            return []
        marks = ",".join("?" * len(person_ids))
        known = {r[0] for r in self._db.conn.execute(
            f"SELECT e.id FROM entities e JOIN entity_docs d ON d.seq = e.seq WHERE e.id IN ({marks}) "
            "AND d.base IS NOT NULL", person_ids)}
        return [p for p in person_ids if p in known]

    @locked
    def mark_sending(self, ids: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(ids))
        now = now_iso()
        with self._db.tx():
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                self._db.conn.execute(
                    "UPDATE visits SET sync_state = 'sent', attempts = attempts + 1, sent_at = ? "
                    f"WHERE id IN ({','.join('?' * len(chunk))}) AND sync_state IN ('pending', 'sent')", [now, *chunk])

    @locked
    def record_results(self, results: Iterable[Mapping[str, Any]]) -> dict[str, int]:
        """Store the platform's answers to pushed visits in one transaction; harmless to repeat."""
        checked: list[tuple[str, str, str, Mapping[str, Any]]] = []
        for i, res in enumerate(results):
            if not isinstance(res, Mapping) or not isinstance(res.get("id"), str):
                raise InvalidInput(f"第 {i + 1} 个走访结果缺少 id (visit result {i + 1} without id)")
            outcome = res.get("outcome")
            stored = res.get("visit")
            if outcome == "duplicate" and isinstance(res.get("original"), Mapping):
                stored = res["original"].get("visit")
            if outcome not in ("accepted", "duplicate", "rejected"):
                raise InvalidInput(f"走访 {res['id']}: 未知结果 {outcome!r} (unknown outcome)")
            state = "rejected" if outcome == "rejected" else "accepted"
            message = "；".join(f"{x.get('message', '')} ({x.get('message_en', '')})" for x in res.get("issues") or []
                               if isinstance(x, Mapping)) if state == "rejected" else ""
            checked.append((res["id"], state, message, stored if isinstance(stored, Mapping) else {}))
        counts: dict[str, int] = {}
        with self._db.tx():
            for vid, state, message, stored in checked:
                done = self._db.conn.execute(
                    "UPDATE visits SET sync_state = ?, sync_message = ?, grid = coalesce(?, grid) WHERE id = ? "
                    "AND origin = 'local'", (state, message, stored.get("grid"), vid)).rowcount
                if done and state == "accepted" and isinstance(stored.get("person_ids"), list):
                    self._set_persons(vid, [str(p) for p in stored["person_ids"]])
                key = state if done else "unknown"
                counts[key] = counts.get(key, 0) + 1
                if done and state == "rejected":
                    self._audit.log("visit_rejected", None, detail={"visit_id": vid, "message": message})
        return counts

    def _set_persons(self, visit_id: str, person_ids: list[str]) -> None:
        self._db.conn.execute("UPDATE visits SET person_ids = ? WHERE id = ?", (dumps(person_ids), visit_id))
        self._db.conn.execute("DELETE FROM visit_persons WHERE visit_id = ?", (visit_id,))
        self._db.conn.executemany("INSERT OR IGNORE INTO visit_persons (visit_id, person_id) VALUES (?, ?)",
                                  [(visit_id, p) for p in person_ids])

    def apply_pulled(self, items: Sequence[Mapping[str, Any]]) -> None:
        """Visits from the change feed (inside the pull's transaction): upserts by id. Our own visit
        coming back is marked accepted; another device's is added; a deleted one is dropped."""
        houses: list[str] = []
        for item in items:
            vid = str(item["id"])
            if item.get("deleted"):
                gone = self._db.scalar("SELECT house_id FROM visits WHERE id = ? AND origin = 'server'", (vid,))
                if gone is not None:
                    self._db.conn.execute("DELETE FROM visit_persons WHERE visit_id = ?", (vid,))
                    self._db.conn.execute("DELETE FROM visits WHERE id = ?", (vid,))
                    houses.append(str(gone))
                continue
            d = item["data"]
            persons = [str(p) for p in d.get("person_ids") or []]
            author = d.get("author") if isinstance(d.get("author"), Mapping) else {}
            mine = self._db.scalar("SELECT origin FROM visits WHERE id = ?", (vid,))
            if mine == "local":
                self._db.conn.execute("UPDATE visits SET sync_state = 'accepted', sync_message = '', grid = ? "
                                      "WHERE id = ?", (str(d.get("grid") or ""), vid))
            else:
                self._db.conn.execute(
                    "INSERT OR REPLACE INTO visits (id, house_id, date, result, note, user, created_at, submission_id, "
                    "person_ids, sync_state, origin, author, grid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (vid, str(d["house_id"]), str(d["date"]), str(d["result"]), str(d.get("note") or ""),
                     str(author.get("username") or ""), str(d.get("created_at") or d.get("received_at") or ""),
                     d.get("submission_id"), dumps(persons), "accepted", "server",
                     str(author.get("display_name") or author.get("username") or ""), str(d.get("grid") or "")))
            self._set_persons(vid, persons)
            houses.append(str(d["house_id"]))
        self._update_visit_summary(houses)
