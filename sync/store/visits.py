"""Visits (走访) to houses: recorded on the device, summarised on the house and its residents."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sync.store.audit import Audit
from sync.store.db import StoreDb, iso_date, locked, now_iso
from sync.store.errors import InvalidInput, NotFound

VISIT_RESULTS = ("已核实", "有变更", "无人在家", "拒访")


class Visits:
    """``store.visits``: record a visit, read a house's visits or one visit."""

    def __init__(self, db: StoreDb, audit: Audit) -> None:
        self._db = db
        self._audit = audit
        self._lock = db.lock

    @locked
    def record(self, house_id: str, when: date | str, result: str, note: str = "") -> str:
        """Record a visit (走访) to a house; returns the visit id."""
        if result not in VISIT_RESULTS:
            raise InvalidInput(f"走访结果应为 {'/'.join(VISIT_RESULTS)}，收到 {result!r} (bad visit result)")
        day = iso_date(when, "visit date")
        visit_id = str(uuid.uuid4())
        with self._db.tx():
            if self._db.scalar("SELECT kind FROM entities WHERE id = ?", (house_id,)) != "house":
                raise NotFound(f"找不到房屋 {house_id} (no such house)")
            self._db.conn.execute(
                "INSERT INTO visits (id, house_id, date, result, note, user, created_at) VALUES (?,?,?,?,?,?,?)",
                (visit_id, house_id, day, result, note or "", self._db.username, now_iso()))
            self._update_visit_summary(house_id)
            self._audit.log("visit", house_id, detail={"visit_id": visit_id, "date": day, "result": result})
        return visit_id

    def _update_visit_summary(self, house_id: str) -> None:
        row = self._db.conn.execute("SELECT result, date FROM visits WHERE house_id = ? ORDER BY date DESC, "
                                "created_at DESC LIMIT 1", (house_id,)).fetchone()
        result, day = (row[0], row[1]) if row else (None, None)
        self._db.conn.execute("UPDATE entities SET visit_result = ?, visit_date = ? WHERE id = ? OR house_id = ?",
                          (result, day, house_id, house_id))

    @locked
    def of_house(self, house_id: str) -> list[dict[str, Any]]:
        return self._db.q("SELECT * FROM visits WHERE house_id = ? ORDER BY date DESC, created_at DESC", (house_id,))

    @locked
    def get(self, visit_id: str) -> dict[str, Any]:
        row = self._db.q1("SELECT * FROM visits WHERE id = ?", (visit_id,))
        if row is None:
            raise NotFound(f"找不到走访记录 {visit_id} (no such visit)")
        return row
