"""Ledger templates and export jobs on the platform.

Ledger templates: the shipped ones (``resources/ledgers``) and those admins publish (table ``ledgers``,
every version kept, checked at upload against the entity templates). An export is a job run on a thread
of its own: the records of one kind in the area asked for, within the caller's scope (admin: any area in
scope; supervisor: its community; worker: its grids), masked unless the ledger lets the caller's role
unmask and a reason is given; one audit entry when it ends (who, ledger, area, filter, rows, masked,
reason). Job files live in a temporary directory of the server process and are kept for
:data:`KEEP_SECONDS`; a restarted server forgets its jobs (the caller starts the export again).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from sync.protocol import utc_now
from sync.server import audit
from sync.server import tables as t
from sync.server.errors import ApiError
from sync.server.scope import Principal, covers_clause

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "ledgers"
KEEP_SECONDS = 3600
PAGE = 2000


def ledger_problems(data: bytes) -> tuple[Any, list[dict[str, Any]]]:
    """(the loaded ledger, []) or (None, every problem located)."""
    from forms.ledger import LedgerError, load_ledger
    from forms.ledger.check import default_scopes

    try:
        return load_ledger(data, default_scopes()), []
    except LedgerError as exc:
        return None, [p.to_json() for p in exc.problems]


def publish(conn: sa.Connection, data: bytes, principal: Principal) -> dict[str, Any]:
    ledger, problems = ledger_problems(data)
    if ledger is None:
        raise ApiError(422, "ledger_invalid", "台账模板有错误，未发布", "the ledger template has errors; not published",
                       details={"problems": problems})
    last = conn.execute(sa.select(sa.func.max(t.ledgers.c.version)).where(t.ledgers.c.name == ledger.name)).scalar()
    version = int(last or 0) + 1
    sha = hashlib.sha256(data).hexdigest()
    conn.execute(sa.insert(t.ledgers).values(name=ledger.name, version=version, entity=ledger.entity, type=ledger.type,
                                             xlsx=data, sha256=sha, published_at=utc_now(),
                                             published_by=principal.user_id))
    audit.record(conn, "template_publish", actor=principal, target=f"ledger:{ledger.name}:{version}",
                 detail={"ledger": ledger.name, "version": version, "sha256": sha})
    return {"name": ledger.name, "version": version, "entity": ledger.entity, "type": ledger.type, "sha256": sha,
            "source": "published"}


def list_ledgers(conn: sa.Connection) -> list[dict[str, Any]]:
    """Published ledgers (newest version of each name, with its version count), then shipped ones not
    published over."""
    rows = conn.execute(sa.select(t.ledgers.c.name, t.ledgers.c.version, t.ledgers.c.entity, t.ledgers.c.type,
                                  t.ledgers.c.published_at).order_by(t.ledgers.c.name, t.ledgers.c.version)).all()
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        out[r.name] = {"name": r.name, "version": r.version, "versions": r.version, "entity": r.entity, "type": r.type,
                       "published_at": r.published_at.isoformat() if r.published_at else None, "source": "published"}
    for path in sorted(SHIPPED.glob("*.xlsx")):
        ledger, _ = ledger_problems(path.read_bytes())
        if ledger is not None and ledger.name not in out:
            out[ledger.name] = {"name": ledger.name, "version": 0, "versions": 0, "entity": ledger.entity,
                                "type": ledger.type, "published_at": None, "source": "shipped", "file": path.stem}
    return list(out.values())


def ledger_bytes(conn: sa.Connection, name: str) -> bytes:
    row = conn.execute(sa.select(t.ledgers.c.xlsx).where(t.ledgers.c.name == name)
                       .order_by(t.ledgers.c.version.desc()).limit(1)).first()
    if row is not None:
        return bytes(row.xlsx)
    for path in SHIPPED.glob("*.xlsx"):
        if path.stem == name.replace("/", ""):
            return path.read_bytes()
        ledger, _ = ledger_problems(path.read_bytes())
        if ledger is not None and ledger.name == name:
            return path.read_bytes()
    raise ApiError(404, "unknown_ledger", f"没有名为「{name}」的台账模板", f"no ledger template named {name!r}")


@dataclass
class Job:
    id: str
    user_id: str
    ledger: str
    area: str
    format: str
    status: str = "running"  # running | done | failed | cancelled
    done: int = 0
    total: int = 0
    result: dict[str, Any] = field(default_factory=dict)
    error: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    started: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "ledger": self.ledger, "area": self.area, "format": self.format, "status": self.status,
                "done": self.done, "total": self.total, **({"result": self.result} if self.result else {}),
                **({"error": self.error} if self.error else {})}


class ExportJobs:
    """Export jobs of one server process."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._dir: Path | None = None

    def _workdir(self) -> Path:
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="ybt-exports-"))
        return self._dir

    def get(self, job_id: str, principal: Principal) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.user_id != principal.user_id:
            raise ApiError(404, "not_found", "没有该导出任务", "no such export job")
        return job

    def _forget_old(self) -> None:
        now = time.time()
        with self._lock:
            for key, job in list(self._jobs.items()):
                if job.status != "running" and now - job.started > KEEP_SECONDS:
                    if job.path is not None:
                        job.path.unlink(missing_ok=True)
                    del self._jobs[key]

    def start(self, db: Any, principal: Principal, ledger_name: str, area: str | None, fmt: str, unmasked: bool,
              reason: str, ip: str | None) -> Job:
        from forms.ledger import load_ledger
        from forms.ledger.check import default_scopes
        from forms.ledger.rows import check_sensitive, unmasked_columns

        self._forget_old()
        if fmt not in ("xlsx", "csv"):
            raise ApiError(422, "invalid_format", "参数 format：只能是 xlsx 或 csv", "format: xlsx or csv")
        area = area or (principal.roots[0] if len(principal.roots) == 1 else "")
        if area and not principal.covers(area):
            raise ApiError(403, "forbidden", f"区域 {area} 不在您的管辖范围内", f"area {area} is outside your scope")
        with db.read() as conn:
            data = ledger_bytes(conn, ledger_name)
            names = {str(r.code): str(r.name) for r in conn.execute(sa.select(t.areas.c.code, t.areas.c.name))}
            sensitive = _sensitive(conn)
        ledger = load_ledger(data, default_scopes())
        try:
            check_sensitive(ledger, principal.role, sensitive)
            unmasked_columns(ledger, principal.role, unmasked, reason)
        except Exception as exc:
            code = getattr(exc, "code", "refused")
            raise ApiError(403 if code != "reason_required" else 422, code, getattr(exc, "zh", str(exc)),
                           getattr(exc, "en", str(exc))) from None
        job = Job(uuid.uuid4().hex, principal.user_id, ledger.name, area, fmt)
        job.path = self._workdir() / f"{job.id}.{fmt}"
        with self._lock:
            self._jobs[job.id] = job
        threading.Thread(target=self._run, name=f"ybt-export-{job.id[:8]}", daemon=True,
                         args=(job, db, principal, ledger, names, sensitive, unmasked, reason, ip)).start()
        return job

    def _run(self, job: Job, db: Any, principal: Principal, ledger: Any, names: dict[str, str],
             sensitive: dict[str, list[str]], unmasked: bool, reason: str, ip: str | None) -> None:
        from forms.ledger import ExportRequest, labels_for, run_export
        from forms.ledger.check import default_templates

        try:
            roots = (job.area,) if job.area else principal.roots
            with db.read() as conn:
                job.total = int(conn.execute(sa.select(sa.func.count()).select_from(t.entities).where(
                    t.entities.c.kind == ledger.entity, t.entities.c.state == "active",
                    covers_clause(t.entities.c.grid, roots))).scalar() or 0)
                grids = sorted({str(r[0]) for r in conn.execute(
                    sa.select(t.entities.c.grid).distinct().where(covers_clause(t.entities.c.grid, roots)))})
            level = ledger.rows if ledger.type == "summary" else "grid"
            row_areas = tuple((c, names.get(c, c)) for c in sorted({g if level == "grid" else g[:12] for g in grids}))
            assert job.path is not None
            req = ExportRequest(ledger, job.path, job.format, principal.role, unmasked, reason,
                                names.get(job.area, ""), names, row_areas, sensitive, expected=job.total)

            def progress(done: int, total: int) -> None:
                job.done, job.total = done, max(total, job.total)

            result = run_export(req, _items(db, ledger.entity, roots), labels_for(default_templates()),
                                progress=progress)
            job.result = result.to_json()
            job.result["file"] = f"{job.id}.{job.format}"
            job.done = result.rows
            job.status = "done"
        except Exception as exc:  # reported in the job, never lost in a thread
            job.status = "failed"
            job.error = {"code": getattr(exc, "code", "export_failed"), "message": getattr(exc, "zh", "导出失败"),
                         "message_en": getattr(exc, "en", repr(exc))}
        detail = {"ledger": job.ledger, "area": job.area, "filter": _filter_text(ledger), "rows": job.done,
                  "masked": not unmasked, "reason": reason or None, "format": job.format, "status": job.status,
                  "source": "platform"}

        def write(w: Any) -> None:
            audit.record(w.conn, "export", actor=principal, target=f"export:{job.id}", detail=detail, ip=ip,
                         area=job.area or None)

        try:
            db.write_retrying(write)
        except Exception:
            job.status, job.error = "failed", {"code": "audit_failed", "message": "导出未能记入审计日志",
                                               "message_en": "the export could not be audited"}
            if job.path is not None:
                job.path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)


def _sensitive(conn: sa.Connection) -> dict[str, list[str]]:
    from forms.ledger.check import default_templates

    out: dict[str, list[str]] = {}
    for template in default_templates().values():
        for tag in template.tags.values():
            if tag.sensitive:
                out[tag.id] = list(tag.sensitive)
    return out


def _filter_text(ledger: Any) -> str:
    parts = [f"has-tag('{x}')" for x in ledger.tags]
    if ledger.filter is not None:
        parts.append(ledger.filter.source)
    return " and ".join(parts)


def _items(db: Any, kind: str, roots: tuple[str, ...]) -> Iterator[Any]:
    """The active records of ``kind`` in ``roots``, page after page, with tags in force and linked data."""
    from forms.ledger import Item, RecordView

    e, tags = t.entities, t.entity_tags
    after = ""
    while True:
        with db.read() as conn:
            rows = conn.execute(sa.select(e.c.id, e.c.grid, e.c.house_id, e.c.household_id, e.c.data, e.c.tags)
                                .where(e.c.kind == kind, e.c.state == "active", covers_clause(e.c.grid, roots),
                                       e.c.id > after).order_by(e.c.id).limit(PAGE)).all()
            if not rows:
                return
            ids = [r.id for r in rows]
            in_force: dict[str, set[str]] = {}
            for eid, tag in conn.execute(sa.select(tags.c.entity_id, tags.c.tag).where(tags.c.entity_id.in_(ids))):
                in_force.setdefault(eid, set()).add(tag)
            linked_ids = {x for r in rows for x in (r.house_id, r.household_id) if x}
            linked = {str(i): d for i, d in conn.execute(sa.select(e.c.id, e.c.data).where(e.c.id.in_(linked_ids)))} \
                if linked_ids else {}
        for r in rows:
            view = RecordView(r.data or {}, frozenset(in_force.get(r.id, ())) | frozenset(r.tags or ()),
                              linked.get(r.house_id) if r.house_id else None,
                              linked.get(r.household_id) if r.household_id else None)
            yield Item(view, str(r.grid), str(r.grid)[:12])
        after = rows[-1].id
