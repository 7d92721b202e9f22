"""The pull feed: ``GET /changes`` pages over the changelog in the caller's scope."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.server import repo_entities, repo_templates, repo_users, review, visits
from sync.server import tables as t
from sync.server.errors import bad_request
from sync.server.scope import Principal, visible_clause
from sync.server.templates_cache import TemplateCache


def parse_cursor(cursor: str | None, principal: Principal) -> tuple[int, bool]:
    """(sequence to continue after, whether the stream restarts because the scope changed)."""
    if cursor is None or cursor in ("", "0"):
        return 0, False
    seq_text, _, fingerprint = cursor.partition(".")
    # ASCII only: str.isdigit() also accepts "²" and other digits int() refuses
    if not (seq_text.isascii() and seq_text.isdigit()) or len(seq_text) > 18 \
            or (fingerprint and not (fingerprint.isascii() and fingerprint.isalnum())):
        raise bad_request("同步游标无效", f"invalid cursor {cursor[:40]!r}", cursor=cursor[:100])
    if fingerprint and fingerprint != principal.fingerprint():
        return 0, True
    return int(seq_text), False


def make_cursor(seq: int, principal: Principal) -> str:
    return f"{seq}.{principal.fingerprint()}"


class Sensitivity:
    """Which tags a role may not see, by the area whose templates say so: a template applies to its
    area and everything below it, so a tag one street marks sensitive stays visible in another."""

    def __init__(self, by_area: dict[str, frozenset[str]]) -> None:
        self.by_area = by_area
        self._grids: dict[str, frozenset[str]] = {}

    def __bool__(self) -> bool:
        return bool(self.by_area)

    def for_grid(self, grid: str) -> frozenset[str]:
        """Hidden on an entity of ``grid``: what the templates of its grid's areas hide."""
        found = self._grids.get(grid)
        if found is None:
            found = frozenset().union(*(tags for area, tags in self.by_area.items() if grid.startswith(area)))
            if len(self._grids) < 10_000:
                self._grids[grid] = found
        return found

    def under(self, roots: list[str]) -> frozenset[str]:
        """Hidden somewhere in ``roots`` (for counts over them: hidden if hidden anywhere they cover)."""
        return frozenset().union(*(tags for area, tags in self.by_area.items()
                                   if any(root.startswith(area) or area.startswith(root) for root in roots)))

    def strip(self, entity: dict[str, Any]) -> dict[str, Any]:
        hidden = self.for_grid(entity.get("grid") or "")
        if hidden:
            entity["tags"] = [tag for tag in entity["tags"] if tag not in hidden]
        return entity


def sensitivity(conn: Connection, cache: TemplateCache, role: str) -> Sensitivity:
    """The published catalogues' sensitive tags for ``role``, read once per set of published templates
    (one cheap query per request; a catalogue of 50,000 tags is not walked on every read)."""
    tt = t.templates
    marker = tuple(conn.execute(sa.select(sa.func.count(), sa.func.max(tt.c.published_at))).one())
    key = (marker, role)
    found = cache.sensitivity.get(key)
    if found is None:
        by_area: dict[str, set[str]] = {}
        for row in conn.execute(sa.select(tt.c.area, tt.c.tags)):
            for tag in row.tags or []:
                roles = tag.get("sensitive") or []
                if roles and role not in roles:
                    by_area.setdefault(row.area, set()).add(tag["id"])
        found = Sensitivity({area: frozenset(tags) for area, tags in by_area.items()})
        if len(cache.sensitivity) > 32:
            cache.sensitivity.clear()
        cache.sensitivity[key] = found
    return found


def page(conn: Connection, principal: Principal, since: int, limit: int, cache: TemplateCache,
         visit_cycle: str = "quarter") -> dict[str, Any]:
    cl = t.changelog
    rows = list(conn.execute(
        sa.select(cl.c.seq, cl.c.type, cl.c.key, cl.c.deleted)
        .where(cl.c.seq > since, visible_clause(cl.c.area, principal))
        .order_by(cl.c.seq).limit(limit + 1)))
    has_more = len(rows) > limit
    rows = rows[:limit]
    moved = {r.key.split("@")[0] for r in rows if r.type == repo_entities.MOVED}
    entity_ids = [r.key for r in rows if r.type == "entity" and not r.deleted] + sorted(moved)
    entities = repo_entities.get_many(conn, entity_ids) if entity_ids else {}
    hidden = sensitivity(conn, cache, principal.role) if entity_ids else Sensitivity({})
    visit_ids = [r.key for r in rows if r.type == "visit" and not r.deleted]
    visit_data = visits.payloads(conn, visit_ids, visit_cycle) if visit_ids else {}
    items: list[dict[str, Any]] = []
    for r in rows:
        if r.type == repo_entities.MOVED:
            eid = r.key.split("@")[0]
            now = entities.get(eid)
            if now is None or not principal.covers(now["grid"]):  # it left this caller's scope
                items.append({"seq": int(r.seq), "type": "entity", "id": eid, "deleted": True, "data": None})
            continue
        data: dict[str, Any] | None = None
        if not r.deleted:
            if r.type == "entity":
                data = entities.get(r.key)
                if data is not None and hidden:
                    hidden.strip(data)
            elif r.type in ("template", "tag_catalogue"):
                data = repo_templates.change_payload(conn, r.type, r.key)
            elif r.type == "codelist":
                data = repo_templates.codelist_payload(conn, r.key)
            elif r.type == "area":
                data = repo_users.get_area(conn, r.key)
            elif r.type == "assignment":
                data = repo_users.assignment_payload(conn, r.key)
            elif r.type == "review":
                data = review.review_payload(conn, r.key)
            elif r.type == "visit":
                data = visit_data.get(r.key)
        items.append({"seq": int(r.seq), "type": r.type, "id": r.key, "deleted": bool(r.deleted) or data is None,
                      "data": data})
    last = int(rows[-1].seq) if rows else since
    return {"items": items, "next_cursor": make_cursor(last, principal), "has_more": has_more, "reset": False,
            "settings": {"visit_cycle": visit_cycle}}
