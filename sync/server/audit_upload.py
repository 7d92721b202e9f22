"""Devices' own audit entries, uploaded with each sync: idempotent, checked one by one.

The key of an entry is ``device id + ":" + log id + ":" + its local id`` (the ``client_key`` column,
unique), so a batch sent again after a cut sync inserts nothing new and answers ``duplicate`` with the
same platform entry id. The log id names the device's store (a UUID made with it): local ids restart at
1 in each store, and one installation keeps one device id for every profile it holds, also for a profile
made again after a wipe. The device is the logged-in session's; its user is the actor. Each entry is answered on its
own: ``accepted`` (new), ``duplicate`` (already there) or ``rejected`` with the reason (an unknown
action, a field past its bound, a time that does not parse) — a bad entry never blocks the others.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sync.protocol import parse_ts
from sync.server import tables as t
from sync.server.audit import ACTIONS, ORIGIN_DEVICE
from sync.server.audit_auth import session_device
from sync.server.db import Writer
from sync.server.scope import Principal
from sync.server.state import ServerState

MAX_ENTRIES = 500
MAX_DETAIL_CHARS = 4000


class DeviceEntryIn(BaseModel):
    """One entry of a device's local audit log (``sync/store/audit.py``)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: int = Field(ge=1, le=2**62)
    at: str = Field(min_length=10, max_length=40)
    action: str = Field(min_length=1, max_length=64)
    entity_id: str | None = Field(default=None, max_length=36)
    field: str | None = Field(default=None, max_length=1000)
    reason: str | None = Field(default=None, max_length=1000)
    detail: Any = None


class AuditBatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    #: the device's store (its audit log): local ids are unique within it
    log_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    entries: list[dict[str, Any]] = Field(max_length=MAX_ENTRIES)


def _problem(raw: dict[str, Any]) -> tuple[DeviceEntryIn | None, str]:
    """The entry, or why it is refused (English, naming the field)."""
    try:
        entry = DeviceEntryIn.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "entry"
        return None, f"{where}: {first.get('msg', 'invalid')}"
    if entry.action not in ACTIONS:
        return None, f"action: unknown action {entry.action!r}"
    try:
        parse_ts(entry.at)
    except (ValueError, OverflowError):
        return None, f"at: not an ISO timestamp: {entry.at!r}"
    if len(json.dumps(entry.detail, ensure_ascii=False, default=str)) > MAX_DETAIL_CHARS:
        return None, f"detail: longer than {MAX_DETAIL_CHARS} characters as JSON"
    return entry, ""


def _detail(entry: DeviceEntryIn) -> dict[str, Any]:
    detail = dict(entry.detail) if isinstance(entry.detail, dict) else (
        {} if entry.detail is None else {"value": entry.detail})
    if entry.field is not None:
        detail["field"] = entry.field
    if entry.reason is not None:
        detail["reason"] = entry.reason
    return detail


def receive_batch(state: ServerState, principal: Principal, batch: AuditBatchIn) -> list[dict[str, Any]]:
    return state.db.write_retrying(lambda w: _receive(w, principal, batch.log_id, batch.entries))


def _receive(w: Writer, principal: Principal, log_id: str, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    a = t.audit_log.c
    device = session_device(w.conn, principal.session_id)
    prefix = f"{device}:{log_id}:"
    checked = [_problem(raw) for raw in entries]
    keys = {f"{prefix}{e.id}": e for e, _ in checked if e is not None}
    known: dict[str, int] = {}
    if keys:
        for key, entry_id in w.conn.execute(sa.select(a.client_key, a.id).where(a.client_key.in_(list(keys)))):
            known[key] = int(entry_id)
    results: list[dict[str, Any]] = []
    area = principal.roots[0] if principal.roots else None
    for raw, (entry, problem) in zip(entries, checked, strict=True):
        local_id = raw.get("id") if isinstance(raw, dict) else None
        if entry is None:
            results.append({"id": local_id, "outcome": "rejected", "reason": problem})
            continue
        key = f"{prefix}{entry.id}"
        if key in known:
            results.append({"id": entry.id, "outcome": "duplicate", "entry_id": known[key]})
            continue
        done = w.conn.execute(sa.insert(t.audit_log).values(
            at=parse_ts(entry.at), actor_id=principal.user_id, actor_name=principal.username,
            action=entry.action, entity_id=entry.entity_id, target=None, detail=_detail(entry),
            origin=ORIGIN_DEVICE, device_id=device, client_key=key, ip=None, area=area,
        ))
        inserted = int(done.inserted_primary_key[0])  # type: ignore[index]
        known[key] = inserted
        results.append({"id": entry.id, "outcome": "accepted", "entry_id": inserted})
    return results
