"""Rows of a person file -> patches against what the platform holds.

A person is found by 公民身份号码 (the indexed ``id_number`` column, across the whole platform: a person
held by another street is an error, not a second record). A person the platform does not hold is
created in the grid the row names (``@grid``: a grid's code or name, ``@community`` narrowing names)
or in the grid of the house its address (``@address``) names; a row naming no known place is an error.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from forms.ingest.address import chinese_number, matches, parse_address
from forms.ingest.issues import CellIssue, error
from sync.server import tables as t
from sync.server.scope import Principal, covers_clause

_NAMESPACE = uuid.UUID("6f6c2a52-8a7e-4f0e-9a55-3c0b3a7f1d21")


def new_person_id(import_key: str, id_number: str) -> str:
    """The id a new person gets: the same in the dry run and the apply of one import."""
    return str(uuid.uuid5(_NAMESPACE, f"{import_key}|{id_number}"))


@dataclass(frozen=True)
class Held:
    id: str
    grid: str
    rev: int
    kind: str
    data: dict[str, Any]


def held_by_id_number(conn: Connection, numbers: Iterable[str]) -> dict[str, Held]:
    """ID number -> the entity holding it (read in slices of 500)."""
    keys = sorted({n for n in numbers if n})
    out: dict[str, Held] = {}
    e = t.entities
    for i in range(0, len(keys), 500):
        rows = conn.execute(sa.select(e.c.id, e.c.grid, e.c.rev, e.c.kind, e.c.id_number, e.c.data)
                            .where(e.c.id_number.in_(keys[i:i + 500])))
        for r in rows:
            out[r.id_number] = Held(r.id, r.grid, r.rev, r.kind, r.data or {})
    return out


class Places:
    """The grids (and, when the file has an address column, the houses) an admin may import into."""

    def __init__(self, conn: Connection, principal: Principal, *, with_houses: bool) -> None:
        a = t.areas
        rows = conn.execute(sa.select(a.c.code, a.c.name, a.c.level, a.c.parent, a.c.retired_at)
                            .where(covers_clause(a.c.code, principal.roots))).all()
        names = {r.code: r.name for r in rows}
        self.grids = {r.code: r for r in rows if r.level == "grid" and r.retired_at is None}
        self.by_name: dict[str, list[str]] = {}
        for code, r in self.grids.items():
            self.by_name.setdefault(r.name, []).append(code)
        self.community_of = {code: names.get(r.parent or "", "") for code, r in self.grids.items()}
        self.houses: dict[tuple[str, str], list[tuple[str, str, dict[str, Any]]]] = {}
        if with_houses:
            e = t.entities
            for h in conn.execute(sa.select(e.c.id, e.c.grid, e.c.data).where(
                    e.c.kind == "house", covers_clause(e.c.grid, principal.roots))):
                data = h.data or {}
                key = (chinese_number(str(data.get("building") or "").strip()), str(data.get("room") or "").strip())
                self.houses.setdefault(key, []).append((h.id, h.grid, data))

    def grid_of(self, meta: dict[str, str]) -> tuple[str | None, str | None, CellIssue | None, str]:
        """(grid, house id, problem, the matching column at fault) for a new person's row."""
        named = meta.get("@grid", "").strip()
        community = meta.get("@community", "").strip()
        if named:
            if named in self.grids:
                return named, None, None, "@grid"
            codes = [c for c in self.by_name.get(named, []) if not community or self.community_of[c] == community]
            if len(codes) == 1:
                return codes[0], self._house(meta, codes[0]), None, "@grid"
            return None, None, error("unknown_area", f"没有名为“{named}”的网格（或不在您的范围内）",
                                     f"no grid named '{named}' in your scope"), "@grid"
        text = meta.get("@address", "").strip()
        if text:
            found = self._find_house(text)
            if found is not None:
                return found[1], found[0], None, "@address"
            return None, None, error("unknown_address", "地址对应不到平台上的房屋（小区、楼栋、单元、室）",
                                     "the address names no house the platform holds (estate, building, unit, room)"), \
                "@address"
        return None, None, error("no_place", "新人员需要所属网格或住址列，才能放入网格",
                                 "a new person needs a grid or address column to be placed in a grid"), ""

    def _house(self, meta: dict[str, str], grid: str) -> str | None:
        text = meta.get("@address", "").strip()
        found = self._find_house(text) if text else None
        return found[0] if found is not None and found[1] == grid else None

    def _find_house(self, text: str) -> tuple[str, str] | None:
        parts = parse_address(text)
        if parts is None:
            return None
        candidates = self.houses.get((parts.building, parts.room), [])
        hits = [(hid, grid) for hid, grid, data in candidates if matches(parts, data)]
        return hits[0] if len(hits) == 1 else None


def columns_of(headers: Sequence[str], mapped: dict[str, int]) -> dict[str, str]:
    """field -> the header of its column."""
    return {name: headers[col] for name, col in mapped.items() if col < len(headers)}
