"""The cache of validation results: errors, warnings, tags in force and findings per entity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sync.store.db import StoreDb, dumps, loads, locked, now_iso
from sync.store.errors import NotFound


class ValidationCache:
    """``store.validation``: what the form engine last found for each entity, and what is stale.

    A record's cached result goes stale when it or a neighbour (its house, household, co-residents)
    is written (:meth:`sync.store.entities.Entities.write` marks them).
    """

    def __init__(self, db: StoreDb) -> None:
        self._db = db
        self._lock = db.lock

    @locked
    def set(self, entity_id: str, result: Any) -> None:
        """Store a validation result (a forms ValidationResult, or a dict with errors/warnings/tags)."""
        self.set_many([(entity_id, result)])

    @locked
    def set_many(self, results: Iterable[tuple[str, Any]]) -> None:
        """Store many validation results in one transaction (a background validation pass)."""
        now = now_iso()
        with self._db.tx():
            for entity_id, result in results:
                errors, warnings, tags, findings = _summarize(result)
                row = self._db.conn.execute("SELECT seq, template_version FROM entities WHERE id = ?",
                                        (entity_id,)).fetchone()
                if row is None:
                    raise NotFound(f"找不到记录 {entity_id} (no such entity)")
                seq = row[0]
                vstate = "error" if errors else ("warning" if warnings else "ok")
                self._db.conn.execute(
                    "INSERT OR REPLACE INTO validation (seq, entity_id, errors, warnings, tags, findings, "
                    "template_version, validated_at) VALUES (?,?,?,?,?,?,?,?)",
                    (seq, entity_id, errors, warnings, dumps(tags), dumps(findings), row[1], now))
                self._db.conn.execute("UPDATE entities SET errors = ?, warnings = ?, vstate = ?, vstale = 0 WHERE seq = ?",
                                  (errors, warnings, vstate, seq))
                stored = loads(self._db.scalar("SELECT tags FROM entities WHERE seq = ?", (seq,)), [])
                self._db.conn.execute("DELETE FROM entity_tags WHERE seq = ?", (seq,))
                self._db.conn.executemany("INSERT OR IGNORE INTO entity_tags (tag, seq) VALUES (?, ?)",
                                      [(t, seq) for t in sorted(set(stored) | set(tags))])
        self._db.generation += 1

    @locked
    def get(self, entity_id: str) -> dict[str, Any] | None:
        row = self._db.q1("SELECT entity_id, errors, warnings, tags, findings, template_version, validated_at "
                      "FROM validation WHERE entity_id = ?", (entity_id,))
        if row:
            row["tags"], row["findings"] = loads(row["tags"], []), loads(row["findings"], [])
        return row

    @locked
    def stale(self, limit: int = 1000) -> list[str]:
        """Ids of entities never validated or changed since they were last validated."""
        return [r[0] for r in self._db.conn.execute(
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
