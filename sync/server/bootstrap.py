"""``ybt server init``: create or upgrade the schema, the token secret, code lists and default templates."""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from sync.server import migrate, repo_templates
from sync.server import tables as t
from sync.server.db import Database, Writer
from sync.server.security import new_secret
from sync.server.templates_cache import load_template_bytes

DEFAULT_TEMPLATES = ("house", "household", "person")


@dataclass
class InitReport:
    created_secret: bool = False
    codelists: int = 0
    templates: list[str] = field(default_factory=list)
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role, area)
    entities: dict[str, int] = field(default_factory=dict)


def template_dir() -> Path:
    return Path(str(importlib.resources.files("resources") / "templates"))


def ensure_secret(w: Writer) -> bool:
    ss = t.server_settings
    if w.conn.execute(sa.select(ss.c.value).where(ss.c.key == "token_secret")).first():
        return False
    w.conn.execute(sa.insert(ss).values(key="token_secret", value=new_secret()))
    return True


def publish_defaults(w: Writer, area: str, report: InitReport) -> None:
    """Publish resources/templates/{house,household,person}.xlsx unless a version is already there."""
    for name in DEFAULT_TEMPLATES:
        path = template_dir() / f"{name}.xlsx"
        if not path.is_file():
            continue
        data = path.read_bytes()
        template = load_template_bytes(data, path.name)
        if repo_templates.exists(w.conn, template.form_id, template.version, area):
            continue
        repo_templates.publish(w, template, data, area, None)
        report.templates.append(f"{template.form_id}@{template.version}")


def init_database(engine: Engine, *, template_area: str = "") -> InitReport:
    """Idempotent: running it again upgrades the schema and adds only what is missing."""
    migrate.upgrade(engine)
    db = Database(engine)
    report = InitReport()
    with db.write() as w:
        report.created_secret = ensure_secret(w)
        if not w.conn.execute(sa.select(t.codelists.c.name).limit(1)).first():
            report.codelists = repo_templates.seed_codelists(w)
        publish_defaults(w, template_area, report)
    return report
