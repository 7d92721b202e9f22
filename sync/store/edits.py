"""User actions on entities: read, create, autosave, move, state changes, revert, visits, validation."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sync.store.base import dumps, loads, locked, now_iso
from sync.store.core import StoreCore
from sync.store.errors import InvalidInput, NotFound
from sync.store.records import KINDS, Record, changed_fields

VISIT_RESULTS = ("已核实", "有变更", "无人在家", "拒访")
STICKY_STATUSES = ("conflict", "returned", "rejected")
#: set_state writes the date (and reason) into these fields of the person's data.
STATE_FIELDS = {"moved_out": ("moved_out_date", "moved_out_reason"), "deceased": ("death_date", None)}


def _iso_date(value: date | str, what: str) -> str:
    text = value.isoformat() if isinstance(value, date) else str(value)
    try:
        date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{what}: 日期格式应为 YYYY-MM-DD，收到 {text!r} (bad date)") from None
    return text


class EditsMixin(StoreCore):
    # ---- reading -------------------------------------------------------------------------------
    @locked
    def get_entity(self, entity_id: str) -> dict[str, Any]:
        """The current local version (wire format + ``status`` + ``base``). NotFound if unknown."""
        return self._load(entity_id).local_dict()

    @locked
    def find_entity(self, entity_id: str) -> dict[str, Any] | None:
        try:
            return self._load(entity_id).local_dict()
        except NotFound:
            return None

    @locked
    def residents(self, house_id: str, *, include_inactive: bool = False) -> list[dict[str, Any]]:
        where = "e.house_id = ? AND e.kind = 'person'" + ("" if include_inactive else " AND e.state = 'active'")
        return [r.local_dict() for r in self._load_where(where, (house_id,))]

    @locked
    def members(self, household_id: str, *, include_inactive: bool = False) -> list[dict[str, Any]]:
        where = "e.household_id = ? AND e.kind = 'person'" + ("" if include_inactive else " AND e.state = 'active'")
        return [r.local_dict() for r in self._load_where(where, (household_id,))]

    @locked
    def households(self, house_id: str) -> list[dict[str, Any]]:
        return [r.local_dict() for r in self._load_where("e.house_id = ? AND e.kind = 'household'", (house_id,))]

    @locked
    def entity_bundle(self, entity_id: str) -> dict[str, Any]:
        """The entity with its house, household, co-residents, household members and the house's households."""
        ent = self._load(entity_id).local_dict()
        house_id = ent["id"] if ent["kind"] == "house" else ent["house_id"]
        household_id = ent["id"] if ent["kind"] == "household" else ent["household_id"]
        return {
            "entity": ent,
            "house": self.find_entity(house_id) if house_id and house_id != ent["id"] else
            (ent if ent["kind"] == "house" else None),
            "household": self.find_entity(household_id) if household_id and household_id != ent["id"] else
            (ent if ent["kind"] == "household" else None),
            "residents": self.residents(house_id) if house_id else [],
            "members": self.members(household_id) if household_id else [],
            "households": self.households(house_id) if house_id else [],
        }

    # ---- writing -------------------------------------------------------------------------------
    def _touch_status(self, rec: Record) -> None:
        if rec.status in STICKY_STATUSES:
            return
        rec.status = "draft" if rec.differs_from_base() else "synced"

    @locked
    def create_entity(self, kind: str, template: str | None, grid: str, data: Mapping[str, Any],
                      house_id: str | None = None, household_id: str | None = None, *,
                      tags: Sequence[str] = (), template_version: str | None = None,
                      entity_id: str | None = None) -> str:
        """Create a new local entity (a draft until submitted); returns its UUID."""
        if kind not in KINDS:
            raise InvalidInput(f"未知实体类型 {kind!r} (unknown kind; expected person, house or household)")
        if not isinstance(data, Mapping):
            raise InvalidInput("data 必须是对象 (data must be a mapping)")
        template = template or kind
        version = template_version if template_version is not None else self._latest_template_version(template)
        rec = Record(id=entity_id or str(uuid.uuid4()), kind=kind, template=template, template_version=version,
                     grid=grid or "", house_id=house_id or None, household_id=household_id or None,
                     data=dict(data), tags=list(dict.fromkeys(tags)), status="draft", updated_at=now_iso())
        with self.tx():
            if self.scalar("SELECT 1 FROM entities WHERE id = ?", (rec.id,)):
                raise InvalidInput(f"记录 {rec.id} 已存在 (entity id already exists)")
            self._check_links(rec)
            self._write([rec])
            self._audit("create", rec.id, detail={"kind": kind, "grid": rec.grid})
        return rec.id

    def _check_links(self, rec: Record) -> None:
        for key, kind in (("house_id", "house"), ("household_id", "household")):
            target = getattr(rec, key)
            if target and self.scalar("SELECT kind FROM entities WHERE id = ?", (target,)) != kind:
                raise InvalidInput(f"{rec.id}: {key} {target} 不是已知的{kind}记录 (link to unknown {kind})")

    def _latest_template_version(self, template: str) -> str:
        v = self.scalar("SELECT version FROM templates WHERE kind = ? ORDER BY published_at DESC, version DESC "
                        "LIMIT 1", (template,))
        return str(v or "")

    @locked
    def save_draft(self, entity_id: str, data: Mapping[str, Any], tags: Sequence[str] | None = None, *,
                   house_id: str | None = None, household_id: str | None = None,
                   template_version: str | None = None, reason: str | None = None) -> dict[str, Any]:
        """Autosave: replace the local data (and tags/links if given) in one transaction, audited.

        Returns the saved local version. Saving what is already stored changes nothing.
        """
        if not isinstance(data, Mapping):
            raise InvalidInput("data 必须是对象 (data must be a mapping)")
        with self.tx():
            rec = self._load(entity_id)
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
            self._check_links(rec)
            rec.updated_at = now_iso()
            self._touch_status(rec)
            self._write([rec])
            if rec.kind == "house" and any(f in fields for f in ("address", "estate", "building", "unit",
                                                                   "room", "house_no")):
                self._refresh_dependants([rec.id], skip={rec.id})
            detail: dict[str, Any] = {"fields": fields}
            if tag_change:
                detail["tags_added"] = sorted(set(rec.tags) - old_tags)
                detail["tags_removed"] = sorted(old_tags - set(rec.tags))
            self._audit("edit", rec.id, reason=reason, detail=detail)
            return rec.local_dict()

    @locked
    def move_person(self, person_id: str, house_id: str | None, household_id: str | None,
                    reason: str | None = None) -> None:
        with self.tx():
            rec = self._load(person_id)
            if rec.kind != "person":
                raise InvalidInput(f"{person_id} 不是人员记录 (not a person)")
            old = (rec.house_id, rec.household_id)
            rec.house_id, rec.household_id = house_id or None, household_id or None
            self._check_links(rec)
            if rec.house_id and not rec.grid:
                rec.grid = str(self.scalar("SELECT grid FROM entities WHERE id = ?", (rec.house_id,)) or "")
            rec.updated_at = now_iso()
            self._touch_status(rec)
            self._write([rec])
            self._audit("move", person_id, reason=reason,
                        detail={"from": list(old), "to": [rec.house_id, rec.household_id]})

    @locked
    def set_state(self, entity_id: str, state: str, when: date | str | None = None,
                  reason: str | None = None) -> None:
        """Mark a person moved out or deceased (or active again); the date goes into its data."""
        if state not in ("active", "moved_out", "deceased"):
            raise InvalidInput(f"未知状态 {state!r} (expected active, moved_out or deceased)")
        with self.tx():
            rec = self._load(entity_id)
            rec.state = state
            if state in STATE_FIELDS:
                if when is None:
                    raise InvalidInput("迁出/死亡需要日期 (a date is required)")
                date_field, reason_field = STATE_FIELDS[state]
                rec.data[date_field] = _iso_date(when, date_field)
                if reason_field and reason:
                    rec.data[reason_field] = reason
            rec.updated_at = now_iso()
            self._touch_status(rec)
            self._write([rec])
            self._audit("set_state", entity_id, reason=reason, detail={"state": state, "date": str(when or "")})

    @locked
    def revert(self, entity_id: str, fields: Iterable[str] | None = None) -> dict[str, Any]:
        """Throw away local edits (all, or of the named fields) and go back to the server version."""
        with self.tx():
            rec = self._load(entity_id)
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
            self._write([rec])
            self._audit("revert", entity_id, detail={"fields": names})
            return rec.local_dict()

    # ---- visits --------------------------------------------------------------------------------
    @locked
    def record_visit(self, house_id: str, when: date | str, result: str, note: str = "") -> str:
        """Record a visit (走访) to a house; returns the visit id."""
        if result not in VISIT_RESULTS:
            raise InvalidInput(f"走访结果应为 {'/'.join(VISIT_RESULTS)}，收到 {result!r} (bad visit result)")
        day = _iso_date(when, "visit date")
        visit_id = str(uuid.uuid4())
        with self.tx():
            if self.scalar("SELECT kind FROM entities WHERE id = ?", (house_id,)) != "house":
                raise NotFound(f"找不到房屋 {house_id} (no such house)")
            self.conn.execute(
                "INSERT INTO visits (id, house_id, date, result, note, user, created_at) VALUES (?,?,?,?,?,?,?)",
                (visit_id, house_id, day, result, note or "", self._username, now_iso()))
            self._update_visit_summary(house_id)
            self._audit("visit", house_id, detail={"visit_id": visit_id, "date": day, "result": result})
        return visit_id

    def _update_visit_summary(self, house_id: str) -> None:
        row = self.conn.execute("SELECT result, date FROM visits WHERE house_id = ? ORDER BY date DESC, "
                                "created_at DESC LIMIT 1", (house_id,)).fetchone()
        result, day = (row[0], row[1]) if row else (None, None)
        self.conn.execute("UPDATE entities SET visit_result = ?, visit_date = ? WHERE id = ? OR house_id = ?",
                          (result, day, house_id, house_id))

    @locked
    def visits(self, house_id: str) -> list[dict[str, Any]]:
        return self.q("SELECT * FROM visits WHERE house_id = ? ORDER BY date DESC, created_at DESC", (house_id,))

    @locked
    def get_visit(self, visit_id: str) -> dict[str, Any]:
        row = self.q1("SELECT * FROM visits WHERE id = ?", (visit_id,))
        if row is None:
            raise NotFound(f"找不到走访记录 {visit_id} (no such visit)")
        return row

    # ---- validation cache ----------------------------------------------------------------------
    @locked
    def set_validation(self, entity_id: str, result: Any) -> None:
        """Store a validation result (a forms ValidationResult, or a dict with errors/warnings/tags)."""
        self.set_validations([(entity_id, result)])

    @locked
    def set_validations(self, results: Iterable[tuple[str, Any]]) -> None:
        """Store many validation results in one transaction (a background validation pass)."""
        now = now_iso()
        with self.tx():
            for entity_id, result in results:
                errors, warnings, tags, findings = _summarize(result)
                row = self.conn.execute("SELECT seq, template_version FROM entities WHERE id = ?",
                                        (entity_id,)).fetchone()
                if row is None:
                    raise NotFound(f"找不到记录 {entity_id} (no such entity)")
                seq = row[0]
                vstate = "error" if errors else ("warning" if warnings else "ok")
                self.conn.execute(
                    "INSERT OR REPLACE INTO validation (seq, entity_id, errors, warnings, tags, findings, "
                    "template_version, validated_at) VALUES (?,?,?,?,?,?,?,?)",
                    (seq, entity_id, errors, warnings, dumps(tags), dumps(findings), row[1], now))
                self.conn.execute("UPDATE entities SET errors = ?, warnings = ?, vstate = ?, vstale = 0 WHERE seq = ?",
                                  (errors, warnings, vstate, seq))
                stored = loads(self.scalar("SELECT tags FROM entities WHERE seq = ?", (seq,)), [])
                self.conn.execute("DELETE FROM entity_tags WHERE seq = ?", (seq,))
                self.conn.executemany("INSERT OR IGNORE INTO entity_tags (tag, seq) VALUES (?, ?)",
                                      [(t, seq) for t in sorted(set(stored) | set(tags))])
        self._generation += 1

    @locked
    def validation(self, entity_id: str) -> dict[str, Any] | None:
        row = self.q1("SELECT entity_id, errors, warnings, tags, findings, template_version, validated_at "
                      "FROM validation WHERE entity_id = ?", (entity_id,))
        if row:
            row["tags"], row["findings"] = loads(row["tags"], []), loads(row["findings"], [])
        return row

    @locked
    def needs_validation(self, limit: int = 1000) -> list[str]:
        """Ids of entities never validated or changed since they were last validated."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM entities WHERE vstale = 1 ORDER BY seq LIMIT ?", (limit,))]


def _summarize(result: Any) -> tuple[int, int, list[str], list[dict[str, Any]]]:
    if isinstance(result, Mapping):
        tags = list(result.get("tags") or [])
        findings = list(result.get("findings") or [])
        errors = result.get("errors")
        warnings = result.get("warnings")
        if errors is None:
            errors = sum(1 for f in findings if str(f.get("severity")) in ("error", "Severity.ERROR"))
        if warnings is None:
            warnings = sum(1 for f in findings if str(f.get("severity")) in ("warning", "Severity.WARNING"))
        return int(errors), int(warnings), tags, findings
    findings_obj = list(getattr(result, "findings", []))
    tags = list(getattr(result, "tags", []))
    out: list[dict[str, Any]] = []
    errors = warnings = 0
    for f in findings_obj:
        severity = str(getattr(getattr(f, "severity", ""), "value", getattr(f, "severity", "")))
        errors += severity == "error"
        warnings += severity == "warning"
        out.append({"rule": getattr(f, "rule", ""), "severity": severity, "field": getattr(f, "field", None),
                    "entity_id": getattr(f, "entity_id", None), "kind": str(getattr(f, "kind", "")),
                    "message_zh": getattr(f, "message_zh", ""), "message_en": getattr(f, "message_en", "")})
    return errors, warnings, tags, out
