"""User actions on entities: create, autosave, move, state changes (moved out, deceased), revert."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from forms.life_events import STATE_FIELDS, state_values
from sync.store.audit import Audit
from sync.store.db import StoreDb, iso_date, locked, now_iso
from sync.store.entities import Entities
from sync.store.errors import InvalidInput
from sync.store.records import KINDS, Record, changed_fields

STICKY_STATUSES = ("conflict", "returned", "rejected")


class Edits:
    """``store.edits``: the user's changes to entities, each one transaction, each audited."""

    def __init__(self, db: StoreDb, entities: Entities, audit: Audit) -> None:
        self._db = db
        self._entities = entities
        self._audit = audit
        self._lock = db.lock

    def _touch_status(self, rec: Record) -> None:
        if rec.status in STICKY_STATUSES:
            return
        rec.status = "draft" if rec.differs_from_base() else "synced"

    @locked
    def create(self, kind: str, template: str | None, grid: str, data: Mapping[str, Any],
                      house_id: str | None = None, household_id: str | None = None, *,
                      tags: Sequence[str] = (), template_version: str | None = None,
                      entity_id: str | None = None) -> str:
        """Create a new local entity (a draft until submitted); returns its UUID."""
        if kind not in KINDS:
            raise InvalidInput(f"未知实体类型 {kind!r} (unknown kind; expected person, house or household)")
        if not isinstance(data, Mapping):
            raise InvalidInput("data 必须是对象 (data must be a mapping)")
        template = template or kind
        version = template_version if template_version is not None else self._entities.latest_template_version(template)
        rec = Record(id=entity_id or str(uuid.uuid4()), kind=kind, template=template, template_version=version,
                     grid=grid or "", house_id=house_id or None, household_id=household_id or None,
                     data=dict(data), tags=list(dict.fromkeys(tags)), status="draft", updated_at=now_iso())
        with self._db.tx():
            if self._db.scalar("SELECT 1 FROM entities WHERE id = ?", (rec.id,)):
                raise InvalidInput(f"记录 {rec.id} 已存在 (entity id already exists)")
            self._entities.check_links(rec)
            self._entities.write([rec])
            self._audit.log("create", rec.id, detail={"kind": kind, "grid": rec.grid})
        return rec.id

    @locked
    def save_draft(self, entity_id: str, data: Mapping[str, Any], tags: Sequence[str] | None = None, *,
                   house_id: str | None = None, household_id: str | None = None,
                   template_version: str | None = None, reason: str | None = None) -> dict[str, Any]:
        """Autosave: replace the local data (and tags/links if given) in one transaction, audited.

        Returns the saved local version. Saving what is already stored changes nothing.
        """
        if not isinstance(data, Mapping):
            raise InvalidInput("data 必须是对象 (data must be a mapping)")
        with self._db.tx():
            rec = self._entities.load(entity_id)
            fields = changed_fields(rec.data, data)
            old_tags = set(rec.tags)
            rec.data = dict(data)
            if tags is not None:
                rec.tags = list(dict.fromkeys(tags))
            moved_house = house_id is not None and (house_id or None) != rec.house_id
            if house_id is not None:
                rec.house_id = house_id or None
            if household_id is not None:
                rec.household_id = household_id or None
            if template_version is not None:
                rec.template_version = template_version
            tag_change = set(rec.tags) != old_tags
            if not fields and not tag_change and not moved_house and household_id is None \
                    and template_version is None:
                return rec.local_dict()
            self._entities.check_links(rec)
            rec.updated_at = now_iso()
            self._touch_status(rec)
            self._entities.write([rec])
            if rec.kind == "house" and any(f in fields for f in ("address", "estate", "building", "unit",
                                                                   "room", "house_no")):
                self._entities.refresh_dependants([rec.id], skip={rec.id})
            detail: dict[str, Any] = {"fields": fields}
            if tag_change:
                detail["tags_added"] = sorted(set(rec.tags) - old_tags)
                detail["tags_removed"] = sorted(old_tags - set(rec.tags))
            self._audit.log("edit", rec.id, reason=reason, detail=detail)
            return rec.local_dict()

    @locked
    def move_person(self, person_id: str, house_id: str | None, household_id: str | None,
                    reason: str | None = None) -> None:
        with self._db.tx():
            rec = self._entities.load(person_id)
            if rec.kind != "person":
                raise InvalidInput(f"{person_id} 不是人员记录 (not a person)")
            old = (rec.house_id, rec.household_id)
            rec.house_id, rec.household_id = house_id or None, household_id or None
            self._entities.check_links(rec)
            if rec.house_id and not rec.grid:
                rec.grid = str(self._db.scalar("SELECT grid FROM entities WHERE id = ?", (rec.house_id,)) or "")
            rec.updated_at = now_iso()
            self._touch_status(rec)
            self._entities.write([rec])
            self._audit.log("move", person_id, reason=reason,
                        detail={"from": list(old), "to": [rec.house_id, rec.household_id]})

    @locked
    def set_state(self, entity_id: str, state: str, when: date | str | None = None,
                  reason: str | None = None) -> None:
        """Mark a person moved out or deceased (or active again); the date, the reason and what the state
        implies (``forms.life_events``: no longer living here) go into its data."""
        if state not in ("active", "moved_out", "deceased"):
            raise InvalidInput(f"未知状态 {state!r} (expected active, moved_out or deceased)")
        with self._db.tx():
            rec = self._entities.load(entity_id)
            rec.state = state
            if state in STATE_FIELDS:
                if when is None:
                    raise InvalidInput("迁出/死亡需要日期 (a date is required)")
                date_field, _reason_field = STATE_FIELDS[state]
                # the date, the reason and what the state implies (moved out: no longer lives here)
                rec.data.update(state_values(state, iso_date(when, date_field), reason))
            rec.updated_at = now_iso()
            self._touch_status(rec)
            self._entities.write([rec])
            self._audit.log("set_state", entity_id, reason=reason, detail={"state": state, "date": str(when or "")})

    @locked
    def revert(self, entity_id: str, fields: Iterable[str] | None = None) -> dict[str, Any]:
        """Throw away local edits (all, or of the named fields) and go back to the server version."""
        with self._db.tx():
            rec = self._entities.load(entity_id)
            if rec.base is None:
                raise InvalidInput(f"{entity_id} 是本机新建记录，没有服务器版本 (created here; nothing to revert to)")
            base = rec.base
            names = list(fields) if fields is not None else None
            if names is None:
                rec.data = dict(base.get("data") or {})
                rec.tags = list(base.get("tags") or [])
                rec.house_id, rec.household_id = base.get("house_id"), base.get("household_id")
                rec.state, rec.grid = base.get("state") or "active", base.get("grid") or rec.grid
            else:
                for name in names:
                    if name in (base.get("data") or {}):
                        rec.data[name] = base["data"][name]
                    else:
                        rec.data.pop(name, None)
            rec.updated_at = now_iso()
            if rec.status not in ("conflict",):
                rec.status = "draft" if rec.differs_from_base() else "synced"
            self._entities.write([rec])
            self._audit.log("revert", entity_id, detail={"fields": names})
            return rec.local_dict()
