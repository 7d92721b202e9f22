"""Reading and writing entity rows: the one place that turns rows into records and back.

Writing a record keeps what depends on it in step: the place columns and search rows of the persons
and households of a changed house, and the staleness of the cached validation of its neighbours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sync.store.db import StoreDb, loads, locked
from sync.store.errors import InvalidInput, NotFound
from sync.store.records import HOUSE_COLUMNS, Record, house_columns, record_from_row, write_records

_RECORD_SQL = (
    "SELECT e.seq, e.id, e.kind, e.template, e.template_version, e.grid, e.house_id, e.household_id, "
    "e.state, e.rev, e.status, e.tags, e.updated_at, e.server_updated_at, d.data, d.base, "
    "e.sort_name, e.estate, e.building, e.unit, e.room, e.birth_date "
    "FROM entities e JOIN entity_docs d ON d.seq = e.seq "
)


class Entities:
    """``store.entities``: the local versions of houses, households and persons.

    Public reads give dicts in the entity wire format (plus ``status`` and ``base``); the other
    collaborators use :meth:`load` / :meth:`write` and friends inside their own transactions.
    """

    def __init__(self, db: StoreDb) -> None:
        self._db = db
        self._lock = db.lock

    # ---- reading -------------------------------------------------------------------------------
    @locked
    def get(self, entity_id: str) -> dict[str, Any]:
        """The current local version (wire format + ``status`` + ``base``). NotFound if unknown."""
        return self.load(entity_id).local_dict()

    @locked
    def find(self, entity_id: str) -> dict[str, Any] | None:
        try:
            return self.load(entity_id).local_dict()
        except NotFound:
            return None

    @locked
    def residents(self, house_id: str, *, include_inactive: bool = False) -> list[dict[str, Any]]:
        where = "e.house_id = ? AND e.kind = 'person'" + ("" if include_inactive else " AND e.state = 'active'")
        return [r.local_dict() for r in self.load_where(where, (house_id,))]

    @locked
    def members(self, household_id: str, *, include_inactive: bool = False) -> list[dict[str, Any]]:
        where = "e.household_id = ? AND e.kind = 'person'" + ("" if include_inactive else " AND e.state = 'active'")
        return [r.local_dict() for r in self.load_where(where, (household_id,))]

    @locked
    def households(self, house_id: str) -> list[dict[str, Any]]:
        return [r.local_dict() for r in self.load_where("e.house_id = ? AND e.kind = 'household'", (house_id,))]

    @locked
    def bundle(self, entity_id: str) -> dict[str, Any]:
        """The entity with its house, household, co-residents, household members and the house's households."""
        ent = self.load(entity_id).local_dict()
        house_id = ent["id"] if ent["kind"] == "house" else ent["house_id"]
        household_id = ent["id"] if ent["kind"] == "household" else ent["household_id"]
        return {
            "entity": ent,
            "house": self.find(house_id) if house_id and house_id != ent["id"] else
            (ent if ent["kind"] == "house" else None),
            "household": self.find(household_id) if household_id and household_id != ent["id"] else
            (ent if ent["kind"] == "household" else None),
            "residents": self.residents(house_id) if house_id else [],
            "members": self.members(household_id) if household_id else [],
            "households": self.households(house_id) if house_id else [],
        }

    # ---- records (for the other collaborators, inside their transactions) ------------------
    def load(self, entity_id: str) -> Record:
        row = self._db.q1(_RECORD_SQL + "WHERE e.id = ?", (entity_id,))
        if row is None:
            raise NotFound(f"找不到记录 {entity_id} (no such entity)")
        return record_from_row(row)

    def load_many(self, ids: Sequence[str]) -> dict[str, Record]:
        out: dict[str, Record] = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            for row in self._db.q(_RECORD_SQL + f"WHERE e.id IN ({','.join('?' * len(chunk))})", chunk):
                out[row["id"]] = record_from_row(row)
        return out

    def load_where(self, where: str, params: Sequence[Any]) -> list[Record]:
        return [record_from_row(r) for r in self._db.q(_RECORD_SQL + "WHERE " + where + " ORDER BY e.sort_name", params)]

    def houses_columns(self, house_ids: Iterable[str]) -> dict[str, dict[str, str]]:
        """Place columns of stored houses by id, in one query per 500 ids (absent ids are left out)."""
        ids = sorted(house_ids)
        out: dict[str, dict[str, str]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            for row in self._db.conn.execute(f"SELECT id, {', '.join(HOUSE_COLUMNS)} FROM entities "
                                         f"WHERE id IN ({','.join('?' * len(chunk))}) AND kind = 'house'", chunk):
                out[row[0]] = {k: str(v or "") for k, v in zip(HOUSE_COLUMNS, row[1:], strict=True)}
        return out

    def _validation_tags(self, seqs: Iterable[int]) -> dict[int, list[str]]:
        seqs = [s for s in seqs if s is not None]
        out: dict[int, list[str]] = {}
        for i in range(0, len(seqs), 500):
            chunk = seqs[i : i + 500]
            for seq, tags in self._db.conn.execute(
                    f"SELECT seq, tags FROM validation WHERE seq IN ({','.join('?' * len(chunk))})", chunk):
                out[seq] = loads(tags, [])
        return out

    def write(self, records: Sequence[Record], pending_houses: Mapping[str, Record] | None = None, *,
               stale: bool = True) -> None:
        """Write records and keep dependants (residents and households of a changed house) in step."""
        page = {r.id: r for r in records if r.kind == "house"}
        if pending_houses:
            page.update(pending_houses)

        stored = self.houses_columns({r.house_id for r in records
                                       if r.house_id and r.kind != "house" and r.house_id not in page})

        def house_of(house_id: str) -> dict[str, str] | None:
            if house_id in page:
                return house_columns(page[house_id].data)
            return stored.get(house_id)

        existing = [r for r in records if r.seq is not None]
        extra = self._validation_tags([r.seq for r in existing if r.seq is not None])
        write_records(self._db.conn, records, house_of, extra, stale=stale)
        if stale and existing:
            self._mark_neighbours_stale(existing)
        self._db.generation += 1

    def _mark_neighbours_stale(self, records: Sequence[Record]) -> None:
        """A changed record changes what aggregates and linked tags (独居老人, 纯老户, …) see for the
        other records of its house and household: their cached validation no longer holds either."""
        links = {x for r in records for x in (r.house_id, r.household_id) if x}
        links |= {r.id for r in records if r.kind != "person"}
        links = {x for x in links if x}
        items = sorted(links)
        for i in range(0, len(items), 300):
            chunk = items[i : i + 300]
            marks = ",".join("?" * len(chunk))
            for column in ("house_id", "household_id", "id"):  # one statement per index
                self._db.conn.execute(f"UPDATE entities SET vstale = 1 WHERE {column} IN ({marks}) AND vstale = 0",
                                  chunk)

    def refresh_dependants(self, house_ids: Iterable[str], skip: set[str]) -> None:
        """Re-derive place columns and search documents of persons/households of these houses."""
        ids = [h for h in set(house_ids) if h]
        for i in range(0, len(ids), 400):
            chunk = ids[i : i + 400]
            deps = [r for r in self.load_where(
                f"e.house_id IN ({','.join('?' * len(chunk))}) AND e.kind != 'house'", chunk) if r.id not in skip]
            if deps:
                self.write(deps)

    def check_links(self, rec: Record) -> None:
        for key, kind in (("house_id", "house"), ("household_id", "household")):
            target = getattr(rec, key)
            if target and self._db.scalar("SELECT kind FROM entities WHERE id = ?", (target,)) != kind:
                raise InvalidInput(f"{rec.id}: {key} {target} 不是已知的{kind}记录 (link to unknown {kind})")

    def latest_template_version(self, template: str) -> str:
        v = self._db.scalar("SELECT version FROM templates WHERE kind = ? ORDER BY published_at DESC, version DESC "
                        "LIMIT 1", (template,))
        return str(v or "")
