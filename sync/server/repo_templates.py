"""Published templates, their tag catalogues, and code lists."""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.protocol import format_ts, utc_now
from sync.server import tables as t
from sync.server.db import Writer
from sync.server.scope import Principal, visible_clause

if TYPE_CHECKING:
    from forms.model import Template

_META = [t.templates.c[name] for name in (
    "form_id", "version", "entity", "title", "approval_required", "sha256", "area", "published_at", "published_by")]


def template_key(form_id: str, version: str) -> str:
    return f"{form_id}@{version}"


def meta_dict(row: Any) -> dict[str, Any]:
    return {"form_id": row.form_id, "version": row.version, "entity": row.entity, "title": row.title,
            "approval_required": bool(row.approval_required), "sha256": row.sha256,
            "published_at": format_ts(row.published_at), "published_by": row.published_by, "area": row.area}


def tag_catalogue(template: Template) -> list[dict[str, Any]]:
    return [{"id": tag.id, "label": tag.label("zh"), "label_en": tag.label("en"), "scope": tag.scope.value,
             "kind": tag.kind.value, "sensitive": list(tag.sensitive)} for tag in template.tags.values()]


def exists(conn: Connection, form_id: str, version: str) -> bool:
    tt = t.templates
    return conn.execute(sa.select(tt.c.form_id).where(tt.c.form_id == form_id, tt.c.version == version)).first() is not None


def publish(w: Writer, template: Template, xlsx: bytes, area: str, user_id: str | None) -> dict[str, Any]:
    values = {
        "form_id": template.form_id, "version": template.version, "entity": template.entity.value,
        "title": template.settings.form_title or template.form_id,
        "approval_required": bool(template.settings.approval_required),
        "sha256": hashlib.sha256(xlsx).hexdigest(), "xlsx": xlsx, "tags": tag_catalogue(template),
        "area": area, "published_at": utc_now(), "published_by": user_id,
    }
    w.conn.execute(sa.insert(t.templates).values(**values))
    key = template_key(template.form_id, template.version)
    w.record_change("template", key, area)
    w.record_change("tag_catalogue", key, area)
    row = w.conn.execute(sa.select(*_META).where(t.templates.c.form_id == template.form_id,
                                                 t.templates.c.version == template.version)).one()
    return meta_dict(row)


def list_visible(conn: Connection, principal: Principal) -> list[dict[str, Any]]:
    rows = conn.execute(sa.select(*_META).where(visible_clause(t.templates.c.area, principal))
                        .order_by(t.templates.c.form_id, t.templates.c.published_at.desc()))
    return [meta_dict(r) for r in rows]


def xlsx_bytes(conn: Connection, form_id: str, version: str) -> tuple[bytes, str] | None:
    row = conn.execute(sa.select(t.templates.c.xlsx, t.templates.c.area)
                       .where(t.templates.c.form_id == form_id, t.templates.c.version == version)).first()
    return (bytes(row.xlsx), row.area) if row else None


def current_for(conn: Connection, form_id: str, grid: str) -> Any:
    """The newest published version of ``form_id`` that applies to ``grid`` (published at or above it)."""
    tt = t.templates
    prefixes = [grid[:n] for n in range(0, len(grid) + 1)]
    return conn.execute(
        sa.select(tt.c.form_id, tt.c.version, tt.c.entity, tt.c.approval_required)
        .where(tt.c.form_id == form_id, tt.c.area.in_(prefixes))
        .order_by(tt.c.published_at.desc(), tt.c.version.desc()).limit(1)
    ).first()


_ALL_META = sa.select(t.templates.c.form_id, t.templates.c.version, t.templates.c.entity,
                      t.templates.c.approval_required, t.templates.c.area, t.templates.c.published_at)


def current_by_kind(conn: Connection, grid: str) -> dict[str, Any]:
    """Per entity kind, the newest template published at or above ``grid`` (one query)."""
    best: dict[str, Any] = {}
    for row in conn.execute(_ALL_META):
        if not grid.startswith(row.area):
            continue
        held = best.get(row.entity)
        if held is None or (row.published_at, row.version) > (held.published_at, held.version):
            best[row.entity] = row
    return best


def current_for_kind(conn: Connection, kind: str, grid: str) -> Any:
    tt = t.templates
    prefixes = [grid[:n] for n in range(0, len(grid) + 1)]
    return conn.execute(
        sa.select(tt.c.form_id, tt.c.version, tt.c.entity, tt.c.approval_required)
        .where(tt.c.entity == kind, tt.c.area.in_(prefixes))
        .order_by(tt.c.published_at.desc(), tt.c.version.desc()).limit(1)
    ).first()


def change_payload(conn: Connection, type_: str, key: str) -> dict[str, Any] | None:
    form_id, _, version = key.partition("@")
    tt = t.templates
    if type_ == "template":
        row = conn.execute(sa.select(*_META, tt.c.xlsx).where(tt.c.form_id == form_id, tt.c.version == version)).first()
        if row is None:
            return None
        return {**meta_dict(row), "xlsx_base64": base64.b64encode(bytes(row.xlsx)).decode("ascii")}
    cat = conn.execute(sa.select(tt.c.form_id, tt.c.version, tt.c.entity, tt.c.tags)
                       .where(tt.c.form_id == form_id, tt.c.version == version)).first()
    if cat is None:
        return None
    return {"form_id": cat.form_id, "version": cat.version, "entity": cat.entity, "tags": cat.tags}


def put_codelist(w: Writer, name: str, items: list[dict[str, str]]) -> None:
    cl = t.codelists
    if w.conn.execute(sa.select(cl.c.name).where(cl.c.name == name)).first():
        w.conn.execute(sa.update(cl).where(cl.c.name == name).values(items=items))
    else:
        w.conn.execute(sa.insert(cl).values(name=name, items=items))
    w.record_change("codelist", name, "")


def codelist_payload(conn: Connection, name: str) -> dict[str, Any] | None:
    row = conn.execute(sa.select(t.codelists).where(t.codelists.c.name == name)).first()
    return {"name": row.name, "items": row.items} if row else None


def seed_codelists(w: Writer) -> int:
    """Publish the shipped code lists (resources/codelists) as ``codelist`` changes."""
    from forms.codelists import load_code_list_files

    files = load_code_list_files()
    for name, f in files.items():
        items = [{"code": row["name"], "label": row.get("label::zh", ""),
                  **{k: v for k, v in row.items() if k not in ("name", "label::zh")}} for row in f.rows]
        put_codelist(w, name, items)
    return len(files)
