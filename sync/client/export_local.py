"""A ledger exported offline from the local store: the worker's own grids, masked by default, audited in
the store's log (the entry uploads with the next sync, like every other)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from forms.errors import TemplateError
from forms.ledger import (
    ExportRefused,
    ExportRequest,
    ExportResult,
    Item,
    LedgerTemplate,
    RecordView,
    labels_for,
    load_ledger,
    run_export,
)
from forms.ledger.check import default_templates, scopes_of
from forms.model import Template
from forms.xlsform.loader import load_template
from sync.store import Store

LEDGERS = Path(__file__).resolve().parents[2] / "resources" / "ledgers"


def shipped_ledgers() -> dict[str, Path]:
    """The shipped ledger templates by name (file stem)."""
    return {p.stem: p for p in sorted(LEDGERS.glob("*.xlsx"))}


def ledger_path(name_or_file: str) -> Path:
    """A ledger template file: the path given, or a shipped ledger by name (``高龄老人台账``)."""
    p = Path(name_or_file).expanduser()
    if p.is_file():
        return p
    shipped = shipped_ledgers()
    key = name_or_file.removesuffix(".xlsx").replace("/", "")
    if key in shipped:
        return shipped[key]
    raise ExportRefused("unknown_ledger", f"找不到台账模板「{name_or_file}」，可用：{'、'.join(shipped)}",
                        f"no ledger template {name_or_file!r} (a file, or one of the shipped names)")


def store_templates(store: Store) -> Mapping[str, Template]:
    """The entity templates the store holds (the shipped ones for kinds it has none of)."""
    out: dict[str, Template] = dict(default_templates())
    for kind in ("person", "house", "household"):
        row = store.library.template(kind)
        if row is not None:
            with contextlib.suppress(TemplateError):
                out[kind] = load_template(bytes(row["xlsx"]))
    return out


def own_grids(store: Store) -> list[str]:
    """The grids the store's user is assigned (a worker's own), else every grid the store holds."""
    user = store.settings.user()
    name = str(user.get("username") or "")
    mine = [str(a["area"]) for a in store.library.assignments() if a.get("username") == name and a.get("area")]
    held = store.ledgers.grids()
    parents = store.ledgers.parents()
    if not mine:
        return held

    def under(code: str, top: str) -> bool:
        while code:
            if code == top:
                return True
            code = parents.get(code, "")
        return False

    return sorted({g for g in held if any(under(g, a) for a in mine)} | {a for a in mine if a in held})


def export_from_store(store: Store, ledger_file: str, out: str | Path, *, fmt: str = "xlsx", area: str | None = None,
                      unmasked: bool = False, reason: str = "", row_limit: int | None = None,
                      progress: Callable[[int, int], None] | None = None,
                      cancelled: Callable[[], bool] = lambda: False, today: date | None = None,
                      refresh: Callable[[Store], Any] | None = None) -> ExportResult:
    """Export a ledger from the store to ``out``; ExportRefused (nothing written) when not allowed.

    Tags computed from fields (高龄老人, 独居老人 …) come from the store's validation cache; ``refresh(store)``
    runs first when given (the CLI and the desktop bring stale records up to date with it)."""
    if refresh is not None:
        refresh(store)
    templates = store_templates(store)
    ledger: LedgerTemplate = load_ledger(ledger_path(ledger_file), scopes_of(templates))
    user = store.settings.user()
    role = str(user.get("role") or "worker")
    names = store.ledgers.area_names()
    parents = store.ledgers.parents()
    grids = own_grids(store)
    if area:
        inside = [g for g in grids if _under(g, area, parents)]
        if not inside:
            raise ExportRefused("area_out_of_scope", f"区划 {area} 不在您负责的网格内",
                                f"area {area} is not among your grids")
        grids = inside
    area_name = names.get(area or "", "") if area else (names.get(grids[0], "") if len(grids) == 1 else
                                                         names.get(parents.get(grids[0], ""), "") if grids else "")
    level = ledger.rows if ledger.type == "summary" else "grid"
    row_areas = tuple(sorted({(g if level == "grid" else parents.get(g, "")) for g in grids}))
    req = ExportRequest(ledger, Path(out), fmt, role, unmasked, reason, area_name, names,
                        tuple((c, names.get(c, c)) for c in row_areas),
                        {t["tag"]: t["sensitive"] for t in store.library.tag_catalogue()},
                        **({"row_limit": row_limit} if row_limit else {}), today=today)
    items = (Item(RecordView(r.data, r.tags, r.house, r.household), r.grid, r.community)
             for r in store.ledgers.records(ledger.entity, grids))
    result = run_export(req, items, labels_for(templates),
                        progress=progress, cancelled=cancelled)
    store.audit.record("export", field=result.unmasked_columns or None, reason=reason or None, detail={
        "ledger": ledger.name, "area": area or "", "grids": grids, "filter": _filter_text(ledger),
        "rows": result.rows, "sheets": result.sheets, "masked": result.masked, "format": fmt,
        "file": Path(out).name, "source": "desktop"})
    return result


def _filter_text(ledger: LedgerTemplate) -> str:
    parts = [f"has-tag('{t}')" for t in ledger.tags]
    if ledger.filter is not None:
        parts.append(ledger.filter.source)
    return " and ".join(parts)


def _under(code: str, top: str, parents: Mapping[str, str]) -> bool:
    seen = 0
    while code and seen < 16:
        if code == top:
            return True
        code = parents.get(code, "")
        seen += 1
    return False


__all__ = ["export_from_store", "ledger_path", "own_grids", "shipped_ledgers", "store_templates"]


def describe(result: ExportResult) -> dict[str, Any]:
    return result.to_json()


def preview_from_store(store: Store, ledger_file: str, area: str | None = None,
                       limit: int = 20) -> tuple[list[str], list[list[Any]], int]:
    """The column titles, the first ``limit`` rows (masked) and how many rows the export would hold."""
    import itertools

    from forms.ledger import RowMaker

    templates = store_templates(store)
    ledger = load_ledger(ledger_path(ledger_file), scopes_of(templates))
    parents = store.ledgers.parents()
    grids = own_grids(store)
    if area:
        grids = [g for g in grids if _under(g, area, parents)]
    maker = RowMaker(ledger, labels_for(templates))
    items = (Item(RecordView(r.data, r.tags, r.house, r.household), r.grid, r.community)
             for r in store.ledgers.records(ledger.entity, grids))
    if ledger.type == "summary":
        names = store.ledgers.area_names()
        level = {(g if ledger.rows == "grid" else parents.get(g, "")) for g in grids}
        rows = maker.summary(items, [(c, names.get(c, c)) for c in sorted(level)])
        return ledger.header_texts(), rows[:limit], len(rows) - 1
    selected = maker.selected(items)
    return ledger.header_texts(), [maker.row(it, n) for n, it in enumerate(itertools.islice(selected, limit), 1)], \
        len(selected)
