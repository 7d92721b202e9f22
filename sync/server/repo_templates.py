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
    "form_id", "version", "entity", "title", "approval_required", "sha256", "area", "published_at", "published_by",
    "withdrawn_at", "withdrawn_by")]
#: Versions still offered (a withdrawn one stays on the platform, for the submissions made under it).
_LIVE = t.templates.c.withdrawn_at.is_(None)


def template_key(form_id: str, version: str, area: str) -> str:
    """The change feed's key of a published template (and its tag catalogue)."""
    return f"{form_id}@{version}@{area}"


def _overlap(area_column: Any, area: str) -> Any:
    """Areas above, at or below ``area`` (codes are hierarchical by prefix)."""
    prefixes = [area[:n] for n in range(0, len(area) + 1)]
    return sa.or_(area_column.in_(prefixes), area_column.like(area + "%"))


def meta_dict(row: Any) -> dict[str, Any]:
    return {"form_id": row.form_id, "version": row.version, "entity": row.entity, "title": row.title,
            "approval_required": bool(row.approval_required), "sha256": row.sha256,
            "published_at": format_ts(row.published_at), "published_by": row.published_by, "area": row.area,
            "withdrawn_at": format_ts(row.withdrawn_at) if row.withdrawn_at else None,
            "withdrawn_by": row.withdrawn_by}


def tag_catalogue(template: Template) -> list[dict[str, Any]]:
    return [{"id": tag.id, "label": tag.label("zh"), "label_en": tag.label("en"), "scope": tag.scope.value,
             "kind": tag.kind.value, "sensitive": list(tag.sensitive), "visit_every": tag.visit_every}
            for tag in template.tags.values()]


def exists(conn: Connection, form_id: str, version: str, area: str) -> bool:
    """Whether ``form_id@version`` is published where it would meet one published in ``area``: at it,
    above it or below it. A sibling area's version of the same name is its own."""
    tt = t.templates
    return conn.execute(sa.select(tt.c.form_id).where(tt.c.form_id == form_id, tt.c.version == version,
                                                      _overlap(tt.c.area, area))).first() is not None


def publish(w: Writer, template: Template, xlsx: bytes, area: str, user_id: str | None) -> dict[str, Any]:
    values = {
        "form_id": template.form_id, "version": template.version, "entity": template.entity.value,
        "title": template.settings.form_title or template.form_id,
        "approval_required": bool(template.settings.approval_required),
        "sha256": hashlib.sha256(xlsx).hexdigest(), "xlsx": xlsx, "tags": tag_catalogue(template),
        "area": area, "published_at": utc_now(), "published_by": user_id,
    }
    w.conn.execute(sa.insert(t.templates).values(**values))
    key = template_key(template.form_id, template.version, area)
    w.record_change("template", key, area)
    w.record_change("tag_catalogue", key, area)
    row = w.conn.execute(sa.select(*_META).where(t.templates.c.form_id == template.form_id,
                                                 t.templates.c.version == template.version,
                                                 t.templates.c.area == area)).one()
    return meta_dict(row)


def list_visible(conn: Connection, principal: Principal) -> list[dict[str, Any]]:
    """Every version the caller sees, newest first per form, each with its ``state``: ``in_force``
    (what its area's grids get: no newer version of the form is published at that area or above
    it), ``superseded`` (a newer one is; still valid for work made under it) or ``withdrawn`` (no
    longer offered to devices; kept)."""
    rows = list(conn.execute(sa.select(*_META).where(visible_clause(t.templates.c.area, principal))
                             .order_by(t.templates.c.form_id, t.templates.c.published_at.desc(),
                                       t.templates.c.version.desc())))
    live = [r for r in rows if r.withdrawn_at is None]
    out: list[dict[str, Any]] = []
    for r in rows:
        meta = meta_dict(r)
        if r.withdrawn_at is not None:
            meta["state"] = "withdrawn"
        elif any(o.form_id == r.form_id and r.area.startswith(o.area) and o is not r
                 and (o.published_at, o.version) > (r.published_at, r.version) for o in live):
            meta["state"] = "superseded"
        else:
            meta["state"] = "in_force"
        out.append(meta)
    return out


def withdraw(w: Writer, form_id: str, version: str, area: str, user_id: str | None) -> dict[str, Any] | None:
    """Mark ``form_id@version`` of ``area`` withdrawn (its feed items become deletions); None when
    withdrawing it would leave ``area`` with no version of the form in force."""
    tt = t.templates
    prefixes = [area[:n] for n in range(0, len(area) + 1)]
    others = w.conn.execute(sa.select(sa.func.count()).select_from(tt).where(
        tt.c.form_id == form_id, tt.c.area.in_(prefixes), _LIVE,
        sa.not_(sa.and_(tt.c.version == version, tt.c.area == area)))).scalar_one()
    if not others:
        return None
    w.conn.execute(sa.update(tt).where(tt.c.form_id == form_id, tt.c.version == version, tt.c.area == area)
                   .values(withdrawn_at=utc_now(), withdrawn_by=user_id))
    key = template_key(form_id, version, area)
    w.record_change("template", key, area, deleted=True)
    w.record_change("tag_catalogue", key, area, deleted=True)
    row = w.conn.execute(sa.select(*_META).where(tt.c.form_id == form_id, tt.c.version == version,
                                                 tt.c.area == area)).one()
    return {**meta_dict(row), "state": "withdrawn"}


def versions_in(conn: Connection, form_id: str, version: str) -> list[Any]:
    """Every area's row of ``form_id@version`` (meta only)."""
    tt = t.templates
    return list(conn.execute(sa.select(*_META).where(tt.c.form_id == form_id, tt.c.version == version)
                             .order_by(tt.c.area)))


def xlsx_bytes(conn: Connection, form_id: str, version: str, area: str | None = None) -> tuple[bytes, str] | None:
    """The workbook of ``form_id@version`` published in ``area`` (any area if None)."""
    tt = t.templates
    query = sa.select(tt.c.xlsx, tt.c.area).where(tt.c.form_id == form_id, tt.c.version == version)
    if area is not None:
        query = query.where(tt.c.area == area)
    row = conn.execute(query.order_by(tt.c.area)).first()
    return (bytes(row.xlsx), row.area) if row else None


def workbooks(conn: Connection, form_id: str, version: str) -> list[tuple[bytes, str]]:
    """Every area's workbook of ``form_id@version`` (sibling areas may each have one)."""
    tt = t.templates
    rows = conn.execute(sa.select(tt.c.xlsx, tt.c.area).where(tt.c.form_id == form_id, tt.c.version == version)
                        .order_by(sa.func.length(tt.c.area).desc(), tt.c.area))
    return [(bytes(r.xlsx), r.area) for r in rows]


def current_for(conn: Connection, form_id: str, grid: str) -> Any:
    """The newest published version of ``form_id`` that applies to ``grid`` (published at or above it)."""
    tt = t.templates
    prefixes = [grid[:n] for n in range(0, len(grid) + 1)]
    return conn.execute(
        sa.select(tt.c.form_id, tt.c.version, tt.c.entity, tt.c.approval_required)
        .where(tt.c.form_id == form_id, tt.c.area.in_(prefixes), _LIVE)
        .order_by(tt.c.published_at.desc(), tt.c.version.desc()).limit(1)
    ).first()


_ALL_META = sa.select(t.templates.c.form_id, t.templates.c.version, t.templates.c.entity,
                      t.templates.c.approval_required, t.templates.c.area, t.templates.c.published_at).where(_LIVE)


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
        sa.select(tt.c.form_id, tt.c.version, tt.c.entity, tt.c.approval_required, tt.c.area)
        .where(tt.c.entity == kind, tt.c.area.in_(prefixes), _LIVE)
        .order_by(tt.c.published_at.desc(), tt.c.version.desc()).limit(1)
    ).first()


def change_payload(conn: Connection, type_: str, key: str) -> dict[str, Any] | None:
    form_id, _, rest = key.partition("@")
    version, _, area = rest.partition("@")  # keys written before areas named versions have no area
    tt = t.templates
    which = [tt.c.form_id == form_id, tt.c.version == version, _LIVE] + ([tt.c.area == area] if area else [])
    if type_ == "template":
        row = conn.execute(sa.select(*_META, tt.c.xlsx).where(*which)).first()
        if row is None:
            return None
        return {**meta_dict(row), "xlsx_base64": base64.b64encode(bytes(row.xlsx)).decode("ascii")}
    cat = conn.execute(sa.select(tt.c.form_id, tt.c.version, tt.c.entity, tt.c.tags).where(*which)).first()
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
