"""Visits (走访) on the platform: receiving them idempotently, the feed payload, history per house and
per person, and verification for the current cycle.

A visit is its own object, synced with or without entity changes. Its client UUID is the key: the
same id and body again is a ``duplicate`` (the first answer), the same id with another body or from
another user is ``rejected``. A worker may record visits only to houses of its grids, naming persons
of its scope. The visit is scoped by its house's grid in the change feed (type ``visit``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from forms.visits import Cycle, cycle_of
from sync.protocol import format_ts, parse_ts, utc_now
from sync.server import tables as t
from sync.server.db import Writer
from sync.server.models import VisitIn
from sync.server.scope import Principal
from sync.server.state import ServerState

VERIFYING_RESULT = "已核实"


def issue(visit_id: str, field: str, kind: str, zh: str, en: str) -> dict[str, Any]:
    """Why a visit was refused: which visit, which field, what kind of problem, in both languages."""
    return {"visit_id": visit_id, "field": field, "kind": kind, "message": zh, "message_en": en}


def body_digest(visit: VisitIn) -> str:
    canonical = json.dumps(visit.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def current_cycle(state: ServerState, today: date | None = None) -> Cycle:
    return cycle_of(today or utc_now().date(), state.config.visit_cycle)


_ENTITIES = sa.select(t.entities.c.id, t.entities.c.kind, t.entities.c.grid, t.entities.c.house_id,
                      t.entities.c.state).where(t.entities.c.id.in_(sa.bindparam("ids", expanding=True)))
_RESIDENTS = sa.select(t.entities.c.house_id, t.entities.c.id).where(
    t.entities.c.house_id.in_(sa.bindparam("houses", expanding=True)), t.entities.c.kind == "person",
    t.entities.c.state == "active").order_by(t.entities.c.id)
_STORED = sa.select(t.visits.c.id, t.visits.c.author_id, t.visits.c.body_digest).where(
    t.visits.c.id.in_(sa.bindparam("ids", expanding=True)))


def receive_batch(state: ServerState, principal: Principal, batch: Sequence[VisitIn]) -> list[dict[str, Any]]:
    """One outcome per visit, in order; the batch is one transaction (retried whole on a concurrent writer)."""
    return state.db.write_retrying(lambda w: _receive(w, state, principal, batch))


def _receive(w: Writer, state: ServerState, principal: Principal, batch: Sequence[VisitIn]) -> list[dict[str, Any]]:
    conn = w.conn
    ids = list(dict.fromkeys(v.id for v in batch))
    stored = {r.id: r for r in conn.execute(_STORED, {"ids": ids})}
    wanted = {v.house_id for v in batch} | {p for v in batch for p in v.person_ids or []}
    known = {r.id: r for r in conn.execute(_ENTITIES, {"ids": sorted(wanted)})} if wanted else {}
    houses = sorted({v.house_id for v in batch if v.person_ids is None})
    residents: dict[str, list[str]] = {}
    for r in conn.execute(_RESIDENTS, {"houses": houses}) if houses else ():
        residents.setdefault(r.house_id, []).append(r.id)
    out: list[dict[str, Any]] = []
    taken: dict[str, str] = {}  # ids stored by this batch -> digest
    users = _authors(conn, [principal.user_id])
    for visit in batch:
        digest = body_digest(visit)
        first = stored.get(visit.id)
        if first is not None or visit.id in taken:
            out.append(_known(conn, principal, visit, digest, first, taken.get(visit.id), users))
            continue
        problems = _problems(principal, visit, known)
        if problems:
            out.append({"id": visit.id, "outcome": "rejected", "issues": problems})
            continue
        house = known[visit.house_id]
        persons = list(visit.person_ids) if visit.person_ids is not None else residents.get(visit.house_id, [])
        row = _insert(w, principal, visit, house.grid, persons, digest)
        taken[visit.id] = digest
        out.append({"id": visit.id, "outcome": "accepted", "visit": payload(row, users, state)})
    return out


def _problems(principal: Principal, visit: VisitIn, known: dict[str, Any]) -> list[dict[str, Any]]:
    house = known.get(visit.house_id)
    if house is None or house.kind != "house" or not principal.covers(house.grid):
        # a missing house and one outside the caller's grids get the same words (existence is not revealed)
        return [issue(visit.id, "house_id", "unknown_house", f"找不到房屋 {visit.house_id}，或不在您负责的网格",
                      f"no house {visit.house_id} in your grids")]
    found = []
    for i, pid in enumerate(visit.person_ids or []):
        person = known.get(pid)
        if person is None or person.kind != "person" or not principal.covers(person.grid):
            found.append(issue(visit.id, f"person_ids[{i}]", "unknown_person",
                               f"找不到人员 {pid}，或不在您负责的网格", f"no person {pid} in your grids"))
    return found


def _known(conn: Connection, principal: Principal, visit: VisitIn, digest: str, first: Any,
           same_batch_digest: str | None, users: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The answer to a visit whose id is already stored (or taken earlier in this batch)."""
    author, stored_digest = (first.author_id, first.body_digest) if first is not None else (
        principal.user_id, same_batch_digest)
    if author != principal.user_id:
        return {"id": visit.id, "outcome": "rejected", "issues": [issue(
            visit.id, "id", "id_taken", "该走访编号已被使用，请重新记录", "this visit id is already taken; record it anew")]}
    if stored_digest != digest:
        return {"id": visit.id, "outcome": "rejected", "issues": [issue(
            visit.id, "id", "id_reused", "同一走访编号下内容不同，未处理",
            "a different visit under an id already used; not processed")]}
    row = conn.execute(sa.select(t.visits).where(t.visits.c.id == visit.id)).one()
    return {"id": visit.id, "outcome": "duplicate", "original": {"outcome": "accepted", "visit": payload(row, users)}}


def _insert(w: Writer, principal: Principal, visit: VisitIn, grid: str, persons: list[str], digest: str) -> Any:
    created = None
    if visit.created_at:
        try:
            created = parse_ts(visit.created_at)
        except ValueError:
            created = None
    values = {"id": visit.id, "house_id": visit.house_id, "grid": grid, "date": visit.date, "result": visit.result,
              "note": visit.note, "person_ids": persons, "author_id": principal.user_id, "device_id": visit.device_id,
              "submission_id": visit.submission_id, "created_at": created, "received_at": utc_now(),
              "body_digest": digest}
    w.conn.execute(sa.insert(t.visits), values)
    if persons:
        w.conn.execute(sa.insert(t.visit_persons), [
            {"visit_id": visit.id, "person_id": pid, "grid": grid, "date": visit.date, "result": visit.result}
            for pid in persons])
    w.record_change("visit", visit.id, grid)
    return _Row(values)  # a row-like view of what was stored


class _Row:
    """Attribute access over a dict, like a result row (for :func:`payload`)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _authors(conn: Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    u = t.users
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = conn.execute(sa.select(u.c.id, u.c.username, u.c.display_name).where(u.c.id.in_(wanted)))
    return {r.id: {"id": r.id, "username": r.username, "display_name": r.display_name} for r in rows}


def payload(row: Any, users: dict[str, dict[str, Any]], state: ServerState | None = None,
            cycle_kind: str | None = None) -> dict[str, Any]:
    """The wire form of a stored visit (feed item ``data``, history item, accepted answer)."""
    kind = cycle_kind or (state.config.visit_cycle if state is not None else None)
    author = users.get(row.author_id) or {"id": row.author_id, "username": "", "display_name": ""}
    out = {"id": row.id, "house_id": row.house_id, "grid": row.grid, "date": row.date, "result": row.result,
           "note": row.note or "", "person_ids": list(row.person_ids or []), "author": author,
           "device_id": row.device_id, "submission_id": row.submission_id,
           "created_at": format_ts(row.created_at) if row.created_at else None,
           "received_at": format_ts(row.received_at), "verifies": row.result == VERIFYING_RESULT}
    if kind:
        out["cycle"] = cycle_of(date.fromisoformat(row.date), kind).label
    return out


def payloads(conn: Connection, ids: Sequence[str], cycle_kind: str) -> dict[str, dict[str, Any]]:
    """Feed payloads of these visits, in two queries per 500."""
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        rows = list(conn.execute(sa.select(t.visits).where(t.visits.c.id.in_(list(ids[i:i + 500])))))
        users = _authors(conn, [r.author_id for r in rows])
        for r in rows:
            out[r.id] = payload(r, users, cycle_kind=cycle_kind)
    return out


def history(conn: Connection, state: ServerState, entity: dict[str, Any], limit: int, offset: int,
            today: date | None = None) -> dict[str, Any]:
    """Visits of a house (or of a household's house), or those that saw a person; newest first, with
    whether the entity is verified for the current cycle."""
    v, vp = t.visits, t.visit_persons
    where: sa.ColumnElement[bool]
    if entity["kind"] == "person":
        where = v.c.id.in_(sa.select(vp.c.visit_id).where(vp.c.person_id == entity["id"]))
    else:
        house = entity["id"] if entity["kind"] == "house" else entity.get("house_id")
        where = v.c.house_id == (house or "")
    total = int(conn.execute(sa.select(sa.func.count()).select_from(v).where(where)).scalar_one())
    rows = list(conn.execute(sa.select(v).where(where).order_by(v.c.date.desc(), v.c.received_at.desc(), v.c.id)
                             .limit(limit).offset(offset)))
    users = _authors(conn, [r.author_id for r in rows])
    cycle = current_cycle(state, today)
    verified = conn.execute(sa.select(v.c.id, v.c.date).where(
        where, v.c.result == VERIFYING_RESULT, v.c.date >= cycle.start.isoformat(), v.c.date <= cycle.end.isoformat())
        .order_by(v.c.date.desc()).limit(1)).first()
    return {"entity_id": entity["id"], "kind": entity["kind"], "total": total,
            "items": [payload(r, users, state) for r in rows],
            "cycle": cycle.as_dict(),
            "verification": {"verified": verified is not None, "visit_id": verified.id if verified else None,
                             "date": verified.date if verified else None}}
