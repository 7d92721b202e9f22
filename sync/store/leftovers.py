"""``store.leftovers``: a newer template version reaching the device never strands local work.

After each pulled page, :meth:`Leftovers.bring_forward` moves every record with unsent local work
(any status but ``synced``) that was made under an older version of its form to the newest stored
version, by field name (``forms.versions.migrate``): its data and its base (so the next patch names
only the worker's own changes), and the patches of still-queued submissions (not those being sent:
the platform validates those by the version they were made under). Values with no place in the new
version are kept in the ``leftovers`` table beside the record, shown to the worker in the editor,
and stay until the worker dismisses them, an explicit and audited act (the row is kept, marked).
A record whose old version is no longer stored (withdrawn) is left as it is: the platform migrates
its submission.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sync.store.audit import Audit
from sync.store.db import StoreDb, dumps, loads, locked, now_iso
from sync.store.entities import Entities

if TYPE_CHECKING:
    from forms.model import Template

#: Loads a template from workbook bytes (``forms.xlsform.load_template`` by default).
Loader = Callable[[bytes, str], "Template"]


def _load(blob: bytes, name: str) -> Template:
    from forms.xlsform import load_template

    return load_template(blob, filename=name)


class Leftovers:
    def __init__(self, db: StoreDb, entities: Entities, audit: Audit, loader: Loader = _load) -> None:
        self._db = db
        self._entities = entities
        self._audit = audit
        self._lock = db.lock
        self._loader = loader
        self._loaded: dict[tuple[str, str], Template | None] = {}
        #: The newest versions the queued submissions were last brought to (they change only then).
        self._queued_at: dict[str, str] | None = None

    # ---- reading and dismissing ----------------------------------------------------------------
    @locked
    def for_entity(self, entity_id: str, *, dismissed: bool = False) -> list[dict[str, Any]]:
        """The values kept beside ``entity_id`` (not dismissed ones unless ``dismissed``), oldest first:
        ``{"id", "path", "label", "label_en", "value", "shown", "reason", "from_version", "to_version",
        "created_at", "dismissed_at"}``."""
        sql = "SELECT * FROM leftovers WHERE entity_id = ?" + ("" if dismissed else " AND dismissed_at IS NULL")
        rows = self._db.q(sql + " ORDER BY id", (entity_id,))
        for r in rows:
            r["value"] = loads(r["value"], None)
        return rows

    @locked
    def count(self) -> int:
        return int(self._db.scalar("SELECT count(*) FROM leftovers WHERE dismissed_at IS NULL") or 0)

    @locked
    def dismiss(self, leftover_id: int, reason: str | None = None) -> None:
        """The worker has dealt with a kept value (copied it, or found it obsolete): no longer shown."""
        with self._db.tx():
            row = self._db.q1("SELECT entity_id, path, dismissed_at FROM leftovers WHERE id = ?", (leftover_id,))
            if row is None or row["dismissed_at"]:
                return
            self._db.conn.execute("UPDATE leftovers SET dismissed_at = ? WHERE id = ?", (now_iso(), leftover_id))
            self._audit.log("leftover_dismiss", row["entity_id"], field=row["path"], reason=reason)

    # ---- migrating -------------------------------------------------------------------------------
    def _template(self, form_id: str, version: str) -> Template | None:
        key = (form_id, version)
        if key not in self._loaded:
            blob = self._db.scalar("SELECT xlsx FROM templates WHERE kind = ? AND version = ?", key)
            found: Template | None = None
            if blob:
                try:
                    found = self._loader(bytes(blob), f"{form_id}-{version}.xlsx")
                except Exception:  # a damaged or no longer readable workbook: nothing to migrate from
                    found = None
            self._loaded[key] = found
        return self._loaded[key]

    def bring_forward(self, only: list[str] | None = None) -> int:
        """Inside the caller's transaction: migrate unsent local work to the newest stored version of
        each form (``only``: of these records alone). Returns how many records moved."""
        newest = {r["kind"]: str(r["version"]) for r in self._db.q(
            "SELECT kind, version FROM templates t WHERE NOT EXISTS (SELECT 1 FROM templates u WHERE u.kind = t.kind "
            "AND (u.published_at > t.published_at OR (u.published_at = t.published_at AND u.version > t.version)))")}
        moved = 0
        for form_id, version in newest.items():
            sql = ("SELECT id FROM entities WHERE template = ? AND template_version != ? "
                   "AND template_version != '' AND status != 'synced'")
            params: list[Any] = [form_id, version]
            if only is not None:
                if not only:
                    continue
                sql += f" AND id IN ({','.join('?' * len(only))})"
                params += only
            rows = self._db.q(sql, params)
            if rows:
                moved += self._move([r["id"] for r in rows], form_id, version)
        if only is None and newest != self._queued_at:
            for form_id, version in newest.items():
                self._move_queued(form_id, version)
            self._queued_at = newest
        return moved

    def _move(self, ids: list[str], form_id: str, version: str) -> int:
        from forms.versions import diff, migrate

        new = self._template(form_id, version)
        if new is None:
            return 0
        records = []
        for rec in self._entities.load_many(ids).values():
            old = self._template(form_id, rec.template_version)
            if old is None:
                continue
            changes = diff(old, new)
            moved = migrate(rec.data, old, new, changes)
            if rec.base is not None:
                rec.base = {**rec.base, "data": migrate(rec.base.get("data") or {}, old, new, changes).values}
            rec.data = moved.values
            self._keep(rec.id, [x.to_json() for x in moved.leftovers], rec.template_version, version)
            self._audit.log("template_migrate", rec.id, detail={
                "form_id": form_id, "from": rec.template_version, "to": version,
                "leftovers": [x.path for x in moved.leftovers]})
            rec.template_version = version
            records.append(rec)
        if records:
            self._entities.write(records)
        return len(records)

    def keep_from_platform(self, result: dict[str, Any]) -> None:
        """Inside the caller's transaction: the values the platform found no place for when it applied a
        submission made under an older version (an accepted result's ``leftovers``), kept here too."""
        made = result.get("made_under") or {}
        for entity_id, items in (result.get("leftovers") or {}).items():
            if isinstance(items, list):
                rows = [{"label": "", "label_en": "", "shown": "", "reason": "field_removed", **x}
                        for x in items if isinstance(x, dict) and x.get("path")]
                self._keep(str(entity_id), rows, str(made.get(entity_id) or ""), "")

    def _keep(self, entity_id: str, leftovers: list[dict[str, Any]], old: str, new: str) -> None:
        if not leftovers:
            return
        held = {(r[0], r[1]) for r in self._db.conn.execute(
            "SELECT path, value FROM leftovers WHERE entity_id = ?", (entity_id,))}
        now = now_iso()
        for x in leftovers:
            value = dumps(x["value"])
            if (x["path"], value) in held:
                continue
            self._db.conn.execute(
                "INSERT INTO leftovers (entity_id, path, label, label_en, value, shown, reason, from_version, "
                "to_version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (entity_id, x["path"], x["label"], x["label_en"], value, x["shown"], x["reason"],
                 old or x.get("version") or "", new, now))

    def _move_queued(self, form_id: str, version: str) -> None:
        """Patches of queued submissions made under an older version, rewritten by field name."""
        from forms.versions import migrate

        new = self._template(form_id, version)
        if new is None:
            return
        for row in self._db.q("SELECT id, patches FROM submissions WHERE state = 'queued'"):
            patches = loads(row["patches"], [])
            changed = False
            for p in patches:
                made = p.get("template_version") or ""
                if p.get("template") != form_id or not made or made == version:
                    continue
                old = self._template(form_id, made)
                if old is None:
                    continue
                moved = migrate(p.get("set") or {}, old, new)
                p["set"], p["template_version"] = moved.values, version
                self._keep(p["entity_id"], [x.to_json() for x in moved.leftovers], made, version)
                changed = True
            if changed:
                self._db.conn.execute("UPDATE submissions SET patches = ?, updated_at = ? WHERE id = ?",
                                      (dumps(patches), now_iso(), row["id"]))
