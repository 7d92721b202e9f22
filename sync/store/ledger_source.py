"""The records a ledger is made from, read from the local store: one kind, some grids, with the linked
house and household, the stored and computed tags, and each record's grid and community (plain values:
``sync.client.export_local`` makes them the ledger's items)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from sync.store.db import StoreDb, loads

_SQL = ("SELECT e.id, e.grid, e.house_id, e.household_id, e.tags, d.data, v.tags "
        "FROM entities e JOIN entity_docs d ON d.seq = e.seq LEFT JOIN validation v ON v.seq = e.seq "
        "WHERE e.kind = ? AND e.state = 'active' AND e.grid IN ({}) ORDER BY e.grid, e.sort_name")


class SourceRecord(NamedTuple):
    data: dict[str, Any]
    tags: frozenset[str]
    house: dict[str, Any] | None
    household: dict[str, Any] | None
    grid: str
    community: str


class LedgerSource:
    """``store.ledgers``: rows for exports, over the store's one connection."""

    def __init__(self, db: StoreDb) -> None:
        self._db = db

    def area_names(self) -> dict[str, str]:
        return {str(r[0]): str(r[1]) for r in self._db.conn.execute("SELECT code, name FROM areas")}

    def parents(self) -> dict[str, str]:
        return {str(r[0]): str(r[1] or "") for r in self._db.conn.execute("SELECT code, parent FROM areas")}

    def grids(self) -> list[str]:
        """Every grid the store holds records of."""
        return [str(r[0]) for r in self._db.conn.execute("SELECT DISTINCT grid FROM entities WHERE grid != ''")]

    def _data(self, kind: str, grids: list[str]) -> dict[str, dict[str, Any]]:
        sql = ("SELECT e.id, d.data FROM entities e JOIN entity_docs d ON d.seq = e.seq "
               f"WHERE e.kind = ? AND e.grid IN ({','.join('?' * len(grids))})")
        return {str(i): loads(d, {}) for i, d in self._db.conn.execute(sql, (kind, *grids))}

    def records(self, kind: str, grids: Iterable[str]) -> Iterator[SourceRecord]:
        wanted = sorted(set(grids))
        if not wanted:
            return
        parents = self.parents()
        houses = self._data("house", wanted) if kind != "house" else {}
        households = self._data("household", wanted) if kind == "person" else {}
        cur = self._db.conn.execute(_SQL.format(",".join("?" * len(wanted))), (kind, *wanted))
        for eid, grid, house_id, household_id, tags, data, computed in cur:
            tag_set = frozenset(loads(tags, [])) | frozenset(loads(computed, []) if computed else ())
            del eid
            yield SourceRecord(loads(data, {}), tag_set, houses.get(house_id) if house_id else None,
                               households.get(household_id) if household_id else None, str(grid),
                               parents.get(str(grid), ""))
