"""``ybt server init --demo``: a deterministic demo district (areas, users, 5,000+ persons in 2,000+ houses).

Areas: 上城区 330102 → 清波街道 330102001 → two communities → two grids each. One worker per grid, one
supervisor per community, one admin for the street. Entities come from ``forms.synth.generate`` with a
fixed seed and date, so two runs give the same records (ids included).
"""

from __future__ import annotations

import uuid
from datetime import date
from functools import partial
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher

from sync.server import repo_entities, repo_users
from sync.server import tables as t
from sync.server.bootstrap import InitReport
from sync.server.db import Database
from sync.server.security import hash_password
from sync.server.templates_cache import TemplateCache

DEMO_SEED = 20261121
DEMO_TODAY = date(2026, 11, 1)
DEMO_PERSONS = 5200
USER_NAMESPACE = uuid.UUID("6b0e7e43-2c57-4a7a-9d55-0f1f3c2b7a10")

AREAS: list[tuple[str, str, str, str | None]] = [
    ("330102", "上城区", "district", None),
    ("330102001", "清波街道", "street", "330102"),
    ("330102001001", "清波门社区", "community", "330102001"),
    ("330102001001001", "清波门第一网格", "grid", "330102001001"),
    ("330102001001002", "清波门第二网格", "grid", "330102001001"),
    ("330102001002", "劳动路社区", "community", "330102001"),
    ("330102001002001", "劳动路第一网格", "grid", "330102001002"),
    ("330102001002002", "劳动路第二网格", "grid", "330102001002"),
]
GRIDS = [code for code, _n, level, _p in AREAS if level == "grid"]

#: (username, display name, role, area)
USERS: list[tuple[str, str, str, str]] = [
    ("admin", "清波街道数据办", "admin", "330102001"),
    ("sup_qbm", "陈静（清波门社区）", "supervisor", "330102001001"),
    ("sup_ldl", "刘洋（劳动路社区）", "supervisor", "330102001002"),
    ("wg_qbm_1", "王芳", "worker", "330102001001001"),
    ("wg_qbm_2", "李强", "worker", "330102001001002"),
    ("wg_ldl_1", "张敏", "worker", "330102001002001"),
    ("wg_ldl_2", "赵磊", "worker", "330102001002002"),
]


def user_id(username: str) -> str:
    return str(uuid.uuid5(USER_NAMESPACE, username))


def demo_entities(n_persons: int = DEMO_PERSONS) -> list[dict[str, Any]]:
    from forms.synth import generate

    return generate(n_persons, seed=DEMO_SEED, grids=GRIDS, today=DEMO_TODAY)


def _tags_in_force(cache: TemplateCache, db: Database, records: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Tags in force per entity by the published templates (for statistics); stored tags if none."""
    from forms.graph import MemoryGraph, entity_from_dict
    from sync.server import repo_templates

    with db.read() as conn:
        templates = {}
        for kind in ("person", "house", "household"):
            row = repo_templates.current_for_kind(conn, kind, GRIDS[0])
            if row is not None:
                blob = repo_templates.xlsx_bytes(conn, row.form_id, row.version, row.area)
                if blob is not None:
                    xlsx: bytes = blob[0]
                    templates[kind] = cache.template(row.form_id, row.version, partial(bytes, xlsx), row.area)
    if not templates:
        return {r["id"]: list(r.get("tags") or []) for r in records}
    validator = cache.validator(templates, DEMO_TODAY)
    entities = [entity_from_dict(r) for r in records]
    graph = MemoryGraph(entities)
    checked = [e for e in entities if e.kind.value in templates]
    results = validator.validate_many(checked, graph)
    return {e.id: list(res.tags) for e, res in zip(checked, results, strict=True)}


def seed_demo(db: Database, password: str, report: InitReport, *, hasher: PasswordHasher | None = None,
              n_persons: int = DEMO_PERSONS, records: list[dict[str, Any]] | None = None) -> None:
    """Create the demo areas, users and entities (skips whatever already exists)."""
    with db.write() as w:
        for code, name, level, parent in AREAS:
            if repo_users.get_area(w.conn, code) is None:
                repo_users.insert_area(w, code, name, level, parent)
        for username, display, role, area in USERS:
            report.users.append((username, role, area))
            if repo_users.user_by_name(w.conn, username) is None:
                digest = hash_password(password, hasher) if hasher else hash_password(password)
                repo_users.create_user(w, username, display, role, digest, [area], user_id=user_id(username))
    with db.read() as conn:
        if conn.execute(sa.select(t.entities.c.id).limit(1)).first():
            return
    if records is None:
        records = demo_entities(n_persons)
    tags = _tags_in_force(TemplateCache(), db, records)
    counts: dict[str, int] = {}
    prepared = []
    for record in records:
        prepared.append({**record, "template": record.get("template") or record["kind"],
                         "template_version": record.get("template_version") or ""})
        counts[record["kind"]] = counts.get(record["kind"], 0) + 1
    with db.write() as w:
        repo_entities.insert_new(w, prepared, tags)
    report.entities = counts
