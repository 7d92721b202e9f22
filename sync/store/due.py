"""The due list: persons and houses of the store that need a visit, most overdue first.

Each active person and house is planned by :func:`forms.visits.plan_visit` from its tags in force
(stored tags plus the auto tags of its last validation: ``entity_tags``; only those with a
``visit_every`` in the catalogue matter), its last counting visit (已核实 / 有变更; a person counts when
seen) and the verification cycle. Four reads, then one pass in Python where entities with the same
interval tags and last visit share one plan (about 4,200 rows for a worker's 3,000 persons: see
``python -m tests.bench visits``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from forms.visits import COUNTING_RESULTS, VisitDue, cycle_of, plan_visit
from sync.store.db import StoreDb
from sync.store.errors import InvalidInput

_COUNTING = ",".join(f"'{r}'" for r in COUNTING_RESULTS)


#: Sorted due lists kept for the next page or count, until anything is committed.
CACHE_SIZE = 4


class DueList:
    def __init__(self, db: StoreDb) -> None:
        self._db = db
        self._cache: dict[tuple[Any, ...], list[tuple[VisitDue, Any, str | None]]] = {}

    def _sorted(self, grid: str | None, tag: str | None, today: date, cycle_kind: str,
                kind: str | None) -> list[tuple[VisitDue, Any, str | None]]:
        """The due entities, most overdue first; the same list serves every page and the count until
        the store changes (a 20,000-person store takes ~0.2 s to plan: pages after the first are free)."""
        key = (self._db.stamp(), grid, tag, today, cycle_kind, kind)
        found = self._cache.get(key)
        if found is None:
            found = self._plans(grid, tag, today, cycle_kind, kind)
            found.sort(key=lambda p: (-p[0].days_overdue, p[0].due_date, p[1][2] != "person", p[1][3] or "",
                                      p[1][0]))
            self._cache = {k: v for k, v in self._cache.items() if k[0] == key[0]}
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = found
        return found

    def _plans(self, grid: str | None, tag: str | None, today: date, cycle_kind: str,
               kind: str | None) -> list[tuple[VisitDue, Any, str | None]]:
        """(plan, entity row, last visit text) of every entity that needs a visit."""
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
            "SELECT e.seq, e.id, e.kind, e.name, e.house_id, e.grid, e.address, e.building, e.unit, e.room "
            f"FROM entities e WHERE {' AND '.join(where)}", params).fetchall()
        # only the tags that carry an interval change a plan: read those, not every tag in force
        tags_of: dict[int, list[str]] = {}
        if intervals:
            marks = ",".join("?" * len(intervals))
            for seq, tag_id in conn.execute(f"SELECT seq, tag FROM entity_tags WHERE tag IN ({marks})",
                                            list(intervals)):
                tags_of.setdefault(seq, []).append(tag_id)
        person_last = dict(conn.execute(
            "SELECT p.person_id, max(v.date) FROM visit_persons p JOIN visits v ON v.id = p.visit_id "
            f"WHERE v.result IN ({_COUNTING}) GROUP BY p.person_id").fetchall())
        house_last = dict(conn.execute(
            f"SELECT house_id, max(date) FROM visits WHERE result IN ({_COUNTING}) GROUP BY house_id").fetchall())
        cycle = cycle_of(today, cycle_kind)
        # entities with the same interval tags and the same last visit share one plan
        plans: dict[tuple[tuple[str, ...], str | None], VisitDue] = {}
        out: list[tuple[VisitDue, Any, str | None]] = []
        for row in rows:
            seq, eid, ekind = row[0], row[1], row[2]
            last_text = (person_last if ekind == "person" else house_last).get(eid)
            own = tags_of.get(seq)
            key = (tuple(sorted(own)) if own else (), last_text)
            plan = plans.get(key)
            if plan is None:
                last = date.fromisoformat(last_text) if last_text else None
                plan = plans[key] = plan_visit(key[0], intervals, last, today, cycle)
            if plan.needs_visit:
                out.append((plan, row, last_text))
        return out

    def rows(self, grid: str | None, tag: str | None, today: date, cycle_kind: str, kind: str | None,
             limit: int, offset: int) -> list[dict[str, Any]]:
        if not (isinstance(limit, int) and 0 < limit <= 100_000 and isinstance(offset, int) and offset >= 0):
            raise InvalidInput("limit 应为 1–100000，offset 不小于 0 (bad limit or offset)")
        plans = self._sorted(grid, tag, today, cycle_kind, kind)
        out = []
        for plan, (_seq, eid, ekind, name, house_id, egrid, address, building, unit, room), last in \
                plans[offset:offset + limit]:
            place = " ".join(p for p in (building, unit, room) if p)
            out.append({"entity_id": eid, "kind": ekind, "name": name or "",
                        "house_id": eid if ekind == "house" else house_id, "grid": egrid,
                        "address": address or place, "room": place, "rule_tags": list(plan.rule_tags),
                        "interval_days": plan.interval_days, "rule": plan.rule, "last_visit": last,
                        "due_date": plan.due_date.isoformat(), "days_overdue": plan.days_overdue})
        return out

    def count(self, grid: str | None, tag: str | None, today: date, cycle_kind: str, kind: str | None) -> int:
        return len(self._sorted(grid, tag, today, cycle_kind, kind))
