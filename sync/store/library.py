"""What the platform sent besides entities: templates, the tag catalogue, code lists, assignments."""

from __future__ import annotations

from typing import Any

from sync.store.db import StoreDb, loads, locked


class Library:
    """``store.library``: the pulled templates (with their workbooks), tag catalogue, code lists
    and assignments, as ``store.pull`` stored them."""

    def __init__(self, db: StoreDb) -> None:
        self._db = db
        self._lock = db.lock

    @locked
    def templates(self) -> list[dict[str, Any]]:
        rows = self._db.q("SELECT kind, version, published_at, tags, info FROM templates ORDER BY kind, published_at")
        for r in rows:
            r["tags"], r["info"] = loads(r["tags"], []), loads(r["info"], {})
        return rows

    @locked
    def template(self, kind: str, version: str | None = None) -> dict[str, Any] | None:
        """A stored template with its workbook bytes (``xlsx``); the newest when version is None."""
        sql = "SELECT kind, version, xlsx, published_at, tags, info FROM templates WHERE kind = ? "
        row = (self._db.q1(sql + "AND version = ?", (kind, version)) if version is not None
               else self._db.q1(sql + "ORDER BY published_at DESC, version DESC LIMIT 1", (kind,)))
        if row:
            row["tags"], row["info"] = loads(row["tags"], []), loads(row["info"], {})
        return row

    @locked
    def tag_catalogue(self) -> list[dict[str, Any]]:
        rows = self._db.q("SELECT tag, label, label_en, scope, kind, sensitive FROM tag_catalogue ORDER BY sort, tag")
        for r in rows:
            r["sensitive"] = loads(r["sensitive"], [])
        return rows

    @locked
    def codelist(self, name: str) -> list[dict[str, Any]] | None:
        row = self._db.conn.execute("SELECT items FROM codelists WHERE name = ?", (name,)).fetchone()
        return None if row is None else list(loads(row[0], []))

    @locked
    def assignments(self) -> list[dict[str, Any]]:
        return list((self._db.get_meta("assignments") or {}).values())
