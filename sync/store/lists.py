"""Read side for the desktop: the area tree, paged/filtered/sorted lists, search-as-you-type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sync.store import textindex as ti
from sync.store.db import StoreDb, loads, locked
from sync.store.errors import InvalidInput
from sync.store.natural import natural_key

#: Sort keys accepted by the list methods -> SQL expression. The address order is natural (101 < 201 <
#: 1001, 2幢 < 10幢): place_key is sync.store.natural.place_key of estate, building, unit and room.
SORTS = {
    "name": "e.sort_name", "birth_date": "e.birth_date", "id_number": "e.id_number", "phone": "e.phone",
    "address": "e.grid, e.place_key", "house_no": "e.house_no", "updated_at": "e.updated_at",
    "errors": "coalesce(e.errors, -1)", "warnings": "coalesce(e.warnings, -1)", "status": "e.status",
    "visit_date": "coalesce(e.visit_date, '')",
}
VALIDATION_FILTERS = ("error", "warning", "ok", "unchecked")
#: Sort keys an index serves (for the first page, read straight from the index).
INDEXED_SORTS = ("name", "address", "birth_date")
SEQ_CACHE_SIZE = 8
#: Above this many search matches a sorted list is read along its sort index instead.
BROAD_MATCHES = 4000
LIGHT = ("e.id, e.kind, e.name, e.sex, e.birth_date, e.id_number, e.phone, e.address, e.estate, e.building, "
         "e.unit, e.room, e.house_no, e.grid, e.house_id, e.household_id, e.state, e.status, e.tags, "
         "e.errors, e.warnings, e.vstate, e.visit_result, e.visit_date, e.updated_at, v.tags AS tags_in_force")
HOUSE_LEVELS = ("estate", "building", "unit", "room")


@dataclass
class Page:
    """One page of a list: ``rows`` (light dicts) and ``total`` (rows matching the filters)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0


@dataclass
class AreaNode:
    """A node of the area tree. ``key`` is what to pass back to ``area_children``; ``filters`` are the
    keyword arguments for ``Lists.persons`` / ``Lists.houses`` that select this node's records."""

    key: str
    name: str
    level: str
    parent: str | None
    filters: dict[str, Any]
    has_children: bool
    houses: int | None = None


def _split_key(key: str) -> list[str]:
    return key.split("\u001f")


def _join_key(parts: Sequence[str]) -> str:
    return "\u001f".join(parts)


class Lists:
    """``store.lists``: the area tree, paged/filtered/sorted lists of persons, houses and households,
    search-as-you-type, and the counts of the status bar.

    The list order of a query is computed once and cached until the next commit (``StoreDb.stamp``
    moves), so a lazy model scrolls by fetching pages by primary key.
    """

    def __init__(self, db: StoreDb) -> None:
        self._db = db
        self._lock = db.lock
        # per-query caches, valid while the stamp is unchanged
        self._seq_cache: dict[tuple[str, tuple[Any, ...]], tuple[tuple[int, int], list[int]]] = {}
        self._count_cache: dict[tuple[str, tuple[Any, ...]], tuple[tuple[int, int], int]] = {}
        self._grids_cache: tuple[tuple[int, int], list[str]] | None = None

    # ---- area tree -----------------------------------------------------------------------------
    @locked
    def areas(self) -> list[dict[str, Any]]:
        return self._db.q("SELECT code, name, level, parent FROM areas ORDER BY sort, code")

    @locked
    def area_children(self, key: str | None = None) -> list[AreaNode]:
        """Children of a tree node: None -> top areas; area code -> sub-areas, or for a grid its
        estates (小区); then 楼栋 → 单元 → 室 (one node per house, filters select the house)."""
        if key is None:
            rows = self._db.q("SELECT code, name, level, parent FROM areas a WHERE parent IS NULL OR parent NOT IN "
                          "(SELECT code FROM areas) ORDER BY sort, code")
            return [self._area_node(r) for r in rows]
        parts = _split_key(key)
        if len(parts) == 1:
            rows = self._db.q("SELECT code, name, level, parent FROM areas WHERE parent = ? ORDER BY sort, code",
                          (key,))
            if rows:
                return [self._area_node(r) for r in rows]
            return self._place_children(key, [])
        return self._place_children(parts[0], parts[1:])

    def _area_node(self, row: dict[str, Any]) -> AreaNode:
        code = row["code"]
        has = bool(self._db.scalar("SELECT 1 FROM areas WHERE parent = ? LIMIT 1", (code,))) or bool(
            self._db.scalar("SELECT 1 FROM entities WHERE kind = 'house' AND grid = ? LIMIT 1", (code,)))
        return AreaNode(key=code, name=row["name"], level=row["level"], parent=row["parent"],
                        filters={"area": code}, has_children=has)

    def _place_children(self, grid: str, path: list[str]) -> list[AreaNode]:
        depth = len(path)
        if depth >= len(HOUSE_LEVELS):
            return []
        level = HOUSE_LEVELS[depth]
        where = ["kind = 'house'", "grid = ?"] + [f"{HOUSE_LEVELS[i]} = ?" for i in range(depth)]
        params: list[Any] = [grid, *path]
        parent_key = _join_key([grid, *path])
        filters_base: dict[str, Any] = {"area": grid}
        filters_base.update({HOUSE_LEVELS[i]: path[i] for i in range(depth)})
        if level == "room":
            rows = self._db.q(f"SELECT id, room, address FROM entities WHERE {' AND '.join(where)} "
                          "ORDER BY room, seq", params)
            rows.sort(key=lambda r: natural_key(r["room"]))  # as the list sorted by address (stable)
            return [AreaNode(key=_join_key([grid, *path, r["id"]]), name=r["room"] or r["address"] or "（无室号）",
                             level="room", parent=parent_key, filters={**filters_base, "house_id": r["id"]},
                             has_children=False, houses=1) for r in rows]
        rows = self._db.q(f"SELECT {level} AS v, count(*) AS n FROM entities WHERE {' AND '.join(where)} "
                      f"GROUP BY {level} ORDER BY {level}", params)
        rows.sort(key=lambda r: natural_key(r["v"]))  # as the list sorted by address (stable)
        return [AreaNode(key=_join_key([grid, *path, r["v"]]), name=r["v"] or "（未填）", level=level,
                         parent=parent_key, filters={**filters_base, level: r["v"]}, has_children=True,
                         houses=r["n"]) for r in rows]

    def _grids_present(self) -> list[str]:
        """Distinct grids of the stored records (cached until the next write)."""
        cached = self._grids_cache
        stamp = self._db.stamp()
        if cached is not None and cached[0] == stamp:
            return list(cached[1])
        found: set[str] = set()
        for kind in ("person", "house", "household"):  # skip-scan of the (kind, grid, …) index
            g = self._db.scalar("SELECT min(grid) FROM entities WHERE kind = ?", (kind,))
            while g is not None:
                found.add(g)
                g = self._db.scalar("SELECT min(grid) FROM entities WHERE kind = ? AND grid > ?", (kind, g))
        grids = sorted(found)
        self._grids_cache = (stamp, grids)
        return grids

    def _grids_under(self, code: str) -> list[str]:
        rows = self._db.conn.execute(
            "WITH RECURSIVE sub(code) AS (SELECT ? UNION SELECT a.code FROM areas a JOIN sub ON a.parent = sub.code) "
            "SELECT code FROM sub", (code,)).fetchall()
        return [r[0] for r in rows]

    # ---- lists ---------------------------------------------------------------------------------
    def _where(self, kind: str, *, area: str | None, estate: str | None, building: str | None,
               unit: str | None, room: str | None, house_id: str | None, household_id: str | None,
               query: str | None, tags: Sequence[str] | None, validation: str | None, visit: str | None,
               state: str | None, status: str | None) -> tuple[str, str, list[Any]]:
        where, params = ["e.kind = ?"], [kind]
        if area:
            present = self._grids_present()
            grids = sorted(set(self._grids_under(area)) | {g for g in present if g.startswith(area)})
            inside = [g for g in present if g in set(grids)]
            if len(inside) == len(present) and present:
                pass  # every record is inside the area: no condition, so the sort index stays usable
            elif len(inside) == 1:
                where.append("e.grid = ?")
                params.extend(inside)
            elif not inside:
                where.append("0")
            else:
                where.append(f"e.grid IN ({','.join('?' * len(inside))})")
                params.extend(inside)
        for col, value in (("estate", estate), ("building", building), ("unit", unit), ("room", room),
                           ("household_id", household_id), ("state", state), ("status", status)):
            if value is not None:
                where.append(f"e.{col} = ?")
                params.append(value)
        if house_id is not None:
            where.append("e.id = ?" if kind == "house" else "e.house_id = ?")
            params.append(house_id)
        if validation is not None:
            if validation not in VALIDATION_FILTERS:
                raise InvalidInput(f"validation 应为 {'/'.join(VALIDATION_FILTERS)} (bad validation filter)")
            if validation == "unchecked":
                where.append("e.vstate IS NULL")
            else:
                where.append("e.vstate = ?")
                params.append(validation)
        if visit is not None:
            if visit == "none":
                where.append("e.visit_result IS NULL")
            elif visit == "any":
                where.append("e.visit_result IS NOT NULL")
            else:
                where.append("e.visit_result = ?")
                params.append(visit)
        for tag in tags or ():
            where.append("e.seq IN (SELECT seq FROM entity_tags WHERE tag = ?)")
            params.append(tag)
        source = "entities e"
        if query:
            expr = ti.match_expression(query)
            if expr is None:
                where.append("0")
            else:  # drive the query from the (small) set of matches
                source = "(SELECT rowid AS hit FROM search WHERE search MATCH ?) m CROSS JOIN entities e ON e.seq = m.hit"
                params.insert(0, expr)
        return source, " AND ".join(where), params

    def _list(self, kind: str, sort: tuple[str, str] | str, offset: int, limit: int,
              **filters: Any) -> Page:
        key, direction = (sort, "asc") if isinstance(sort, str) else (sort[0], sort[1] if len(sort) > 1 else "asc")
        if key not in SORTS:
            raise InvalidInput(f"不能按 {key!r} 排序 (unknown sort key; use one of {', '.join(SORTS)})")
        if str(direction).lower() not in ("asc", "desc"):
            raise InvalidInput(f"排序方向应为 asc 或 desc，收到 {direction!r}")
        if offset < 0 or limit < 0:
            raise InvalidInput("offset 和 limit 不能为负数 (negative offset/limit)")
        source, where, params = self._where(kind, **filters)
        if source != "entities e" and key in INDEXED_SORTS and self._broad(params[0]):
            # many matches: walk the sort index and test membership, rather than fetch and sort
            # every matching row
            source = "entities e"
            where += " AND e.seq IN (SELECT rowid FROM search WHERE search MATCH ?)"
            params = [*params[1:], params[0]]
        order = ", ".join(f"{part.strip()} {direction}" for part in SORTS[key].split(","))
        order += f", e.seq {direction}"
        if offset == 0 and key in INDEXED_SORTS and source == "entities e":
            # first screen of an index-ordered list: straight from the index, no full pass
            total = self._count(f"SELECT count(*) FROM {source} WHERE {where}", params)
            rows = self._db.q(f"SELECT {LIGHT} FROM {source} LEFT JOIN validation v ON v.seq = e.seq WHERE {where} "
                          f"ORDER BY {order} LIMIT ?", [*params, limit])
        else:
            # scrolling, searching or an unindexed sort: the ordered seqs once, then pages by seq
            seqs = self._ordered_seqs(f"SELECT e.seq FROM {source} WHERE {where} ORDER BY {order}", params)
            total = len(seqs)
            rows = self._rows_by_seq(seqs[offset : offset + limit])
        for r in rows:
            r.pop("seq", None)
            r["tags"] = loads(r["tags"], [])
            in_force = loads(r.pop("tags_in_force"), None)
            r["tags_in_force"] = in_force if in_force is not None else list(r["tags"])
        return Page(rows=rows, total=total)

    def _ordered_seqs(self, sql: str, params: list[Any]) -> list[int]:
        """All matching seqs in list order, cached per query until the next commit (lazy models ask
        for many pages of the same list; each page is then a lookup by primary key)."""
        stamp = self._db.stamp()
        cache = self._seq_cache
        key = (sql, tuple(params))
        hit = cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        seqs = [r[0] for r in self._db.conn.execute(sql, params)]
        if len(cache) >= SEQ_CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[key] = (stamp, seqs)
        return seqs

    def _broad(self, expr: str) -> bool:
        hits = self._db.conn.execute("SELECT count(*) FROM (SELECT rowid FROM search WHERE search MATCH ? LIMIT ?)",
                                 (expr, BROAD_MATCHES + 1)).fetchone()[0]
        return bool(hits > BROAD_MATCHES)

    def _count(self, sql: str, params: list[Any]) -> int:
        """count(*) of a list, cached like the list order (the model asks again on every refresh)."""
        stamp = self._db.stamp()
        cache = self._count_cache
        key = (sql, tuple(params))
        hit = cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        total = int(self._db.scalar(sql, params))
        if len(cache) >= SEQ_CACHE_SIZE * 4:
            cache.pop(next(iter(cache)))
        cache[key] = (stamp, total)
        return total

    def _rows_by_seq(self, seqs: list[int]) -> list[dict[str, Any]]:
        if not seqs:
            return []
        found = {r["seq"]: r for r in self._db.q(
            f"SELECT e.seq, {LIGHT} FROM entities e LEFT JOIN validation v ON v.seq = e.seq "
            f"WHERE e.seq IN ({','.join('?' * len(seqs))})", seqs)}
        return [found[s] for s in seqs if s in found]

    @locked
    def persons(self, area: str | None = None, *, estate: str | None = None, building: str | None = None,
                     unit: str | None = None, room: str | None = None, house_id: str | None = None,
                     household_id: str | None = None, query: str | None = None,
                     tags: Sequence[str] | None = None, validation: str | None = None,
                     visit: str | None = None, state: str | None = None, status: str | None = None,
                     sort: tuple[str, str] | str = ("name", "asc"), offset: int = 0, limit: int = 100) -> Page:
        return self._list("person", sort, offset, limit, area=area, estate=estate, building=building,
                          unit=unit, room=room, house_id=house_id, household_id=household_id, query=query,
                          tags=tags, validation=validation, visit=visit, state=state, status=status)

    @locked
    def houses(self, area: str | None = None, *, estate: str | None = None, building: str | None = None,
                    unit: str | None = None, room: str | None = None, house_id: str | None = None,
                    query: str | None = None, tags: Sequence[str] | None = None, validation: str | None = None,
                    visit: str | None = None, status: str | None = None,
                    sort: tuple[str, str] | str = ("address", "asc"), offset: int = 0, limit: int = 100) -> Page:
        page = self._list("house", sort, offset, limit, area=area, estate=estate, building=building, unit=unit,
                          room=room, house_id=house_id, household_id=None, query=query, tags=tags,
                          validation=validation, visit=visit, state=None, status=status)
        ids = [r["id"] for r in page.rows]
        if ids:
            counts = dict(self._db.conn.execute(
                f"SELECT house_id, count(*) FROM entities WHERE +kind = 'person' AND +state = 'active' AND house_id "
                f"IN ({','.join('?' * len(ids))}) GROUP BY house_id", ids).fetchall())
            for r in page.rows:
                r["residents"] = counts.get(r["id"], 0)
        return page

    @locked
    def households(self, house_id: str | None = None, area: str | None = None, *, offset: int = 0,
                        limit: int = 100) -> Page:
        return self._list("household", ("house_no", "asc"), offset, limit, area=area, estate=None,
                          building=None, unit=None, room=None, house_id=house_id, household_id=None, query=None,
                          tags=None, validation=None, visit=None, state=None, status=None)

    @locked
    def warm_cache(self, after: int, chunk: int = 10_000) -> int | None:
        """One step of filling this connection's page cache with what searching reads, so the first
        searches on a fresh connection do not pay for decrypting those pages.

        ``after=-1`` reads the search index; then each step reads the records after seq ``after``
        (``chunk`` of them). Returns where the next step starts, or None when done. Each step is one
        statement, so callers on other threads are not held up for long."""
        if after < 0:
            self._db.scalar("SELECT sum(length(block)) FROM search_data")
            return 0
        last = self._db.scalar("SELECT max(seq) FROM (SELECT seq, length(updated_at) AS n FROM entities WHERE seq > ? "
                           "ORDER BY seq LIMIT ?) WHERE n IS NOT NULL", (after, chunk))
        return int(last) if last is not None else None

    @locked
    def counts(self) -> dict[str, int]:
        """Entities by kind, plus drafts, queued submissions, returned and open conflicts (status bar)."""
        out = {k: 0 for k in ("person", "house", "household")}
        out.update(dict(self._db.conn.execute("SELECT kind, count(*) FROM entities GROUP BY kind").fetchall()))
        out["drafts"] = int(self._db.scalar("SELECT count(*) FROM entities WHERE status = 'draft'"))
        out["outbox"] = int(self._db.scalar(
            "SELECT count(*) FROM submissions WHERE state IN ('queued', 'sending')"))
        out["returned"] = int(self._db.scalar(
            "SELECT count(*) FROM submissions WHERE state = 'returned' AND superseded_by IS NULL"))
        out["conflicts"] = int(self._db.scalar("SELECT count(DISTINCT entity_id) FROM conflicts WHERE resolved = 0"))
        return out
