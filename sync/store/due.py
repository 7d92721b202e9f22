"""The due list: persons and houses of the store that need a visit, most overdue first.

Each active person and house is planned by :func:`forms.visits.plan_visit` from its tags in force
(stored tags plus the auto tags of its last validation: ``entity_tags``), the intervals of the tag
catalogue (``visit_every``), its last counting visit (已核实 / 有变更; a person counts when seen) and
the verification cycle. Three indexed reads, then one pass in Python (about 4,000 rows for a worker's
3,000 persons: see ``python -m tests.bench store_due``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from forms.visits import COUNTING_RESULTS, cycle_of, plan_visit
from sync.store.db import StoreDb
from sync.store.errors import InvalidInput

_SEP = "\u001f"
_COUNTING = ",".join(f"'{r}'" for r in COUNTING_RESULTS)


class DueList:
    def __init__(self, db: StoreDb) -> None:
        self._db = db

    def _plans(self, grid: str | None, tag: str | None, today: date, cycle_kind: str,
               kind: str | None) -> list[dict[str, Any]]:
        if kind not in (None, "person", "house"):
            raise InvalidInput(f"kind 应为 person 或 house，收到 {kind!r} (bad kind)")
        conn = self._db.conn
        intervals = {str(t): int(d) for t, d in conn.execute(
            "SELECT tag, visit_every FROM tag_catalogue WHERE visit_every > 0")}
        where = ["e.state = 'active'", "e.kind IN ('person', 'house')" if kind is None else "e.kind = ?"]
        params: list[Any] = [] if kind is None else [kind]
        if grid:
            where.append("e.grid = ?")
            params.append(grid)
        if tag:
            where.append("e.seq IN (SELECT seq FROM entity_tags WHERE tag = ?)")
            params.append(tag)
        rows = conn.execute(
            "SELECT e.seq, e.id, e.kind, e.name, e.house_id, e.grid, e.address, e.building, e.unit, e.room, "
            f"(SELECT group_concat(tag, '{_SEP}') FROM entity_tags t WHERE t.seq = e.seq) "
            f"FROM entities e WHERE {' AND '.join(where)}", params).fetchall()
        person_last = dict(conn.execute(
            "SELECT p.person_id, max(v.date) FROM visit_persons p JOIN visits v ON v.id = p.visit_id "
            f"WHERE v.result IN ({_COUNTING}) GROUP BY p.person_id").fetchall())
        house_last = dict(conn.execute(
            f"SELECT house_id, max(date) FROM visits WHERE result IN ({_COUNTING}) GROUP BY house_id").fetchall())
        cycle = cycle_of(today, cycle_kind)
        parsed: dict[str, date] = {}
        out: list[dict[str, Any]] = []
        for seq, eid, ekind, name, house_id, egrid, address, building, unit, room, tag_text in rows:
            last_text = (person_last if ekind == "person" else house_last).get(eid)
            last = None
            if last_text:
                last = parsed.get(last_text)
                if last is None:
                    last = parsed[last_text] = date.fromisoformat(last_text)
            tags = tag_text.split(_SEP) if tag_text else ()
            plan = plan_visit(tags, intervals, last, today, cycle)
            if not plan.needs_visit:
                continue
            place = " ".join(p for p in (building, unit, room) if p)
            out.append({"entity_id": eid, "kind": ekind, "name": name or "",
                        "house_id": eid if ekind == "house" else house_id, "grid": egrid,
                        "address": address or place, "room": place, "rule_tags": list(plan.rule_tags),
                        "interval_days": plan.interval_days, "rule": plan.rule,
                        "last_visit": last.isoformat() if last else None, "due_date": plan.due_date.isoformat(),
                        "days_overdue": plan.days_overdue, "_seq": seq})
        return out

    def rows(self, grid: str | None, tag: str | None, today: date, cycle_kind: str, kind: str | None,
             limit: int, offset: int) -> list[dict[str, Any]]:
        if not (isinstance(limit, int) and 0 < limit <= 100_000 and isinstance(offset, int) and offset >= 0):
            raise InvalidInput("limit 应为 1–100000，offset 不小于 0 (bad limit or offset)")
        plans = self._plans(grid, tag, today, cycle_kind, kind)
        plans.sort(key=lambda r: (-r["days_overdue"], r["due_date"], r["kind"] != "person", r["name"], r["_seq"]))
        page = plans[offset:offset + limit]
        for r in page:
            del r["_seq"]
        return page

    def count(self, grid: str | None, tag: str | None, today: date, cycle_kind: str, kind: str | None) -> int:
        return len(self._plans(grid, tag, today, cycle_kind, kind))
