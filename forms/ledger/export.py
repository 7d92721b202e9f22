"""One export: a ledger's rows from records into a file, split by area, with progress and cancel."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from forms.expr import Scope
from forms.ledger.placeholders import Labels
from forms.ledger.rows import ExportRefused, Item, RowMaker, check_sensitive, unmasked_columns
from forms.ledger.template import LedgerTemplate
from forms.ledger.writer import EXCEL_ROWS, CsvLedgerWriter, XlsxLedgerWriter
from forms.model import Template

FORMATS = ("xlsx", "csv")


class Cancelled(Exception):
    """The user cancelled the export (the partial file is removed)."""


@dataclass
class ExportRequest:
    ledger: LedgerTemplate
    out: Path
    format: str = "xlsx"
    role: str = "worker"
    unmasked: bool = False
    reason: str = ""
    area_name: str = ""
    #: area code -> name (communities and grids), for split sheets and summary rows
    area_names: Mapping[str, str] = field(default_factory=dict)
    #: summary tables: the rows' areas in order (code, name)
    row_areas: tuple[tuple[str, str], ...] = ()
    sensitive: Mapping[str, Iterable[str]] = field(default_factory=dict)
    row_limit: int = EXCEL_ROWS
    today: date | None = None
    #: how many records are expected, for progress while streaming (no sort, no split: rows are not held)
    expected: int = 0


@dataclass
class ExportResult:
    rows: int
    sheets: int
    masked: bool
    file: str
    format: str
    ledger: str
    unmasked_columns: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "sheets": self.sheets, "masked": self.masked, "file": self.file,
                "format": self.format, "ledger": self.ledger, "unmasked_columns": self.unmasked_columns}


def labels_for(templates: Mapping[str, Template]) -> Labels:
    """Choice labels (zh) per kind and field, from the entity templates."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for kind, t in templates.items():
        per: dict[str, dict[str, str]] = {}
        for name, f in t.fields.items():
            if f.choice_list and f.choice_list in t.choices:
                per[name] = {c.name: c.label("zh") for c in t.choices[f.choice_list]}
        out[str(kind)] = per
    return out


def scopes_for(templates: Mapping[str, Template]) -> dict[str, Scope]:
    return {str(k): Scope.from_template(t) for k, t in templates.items()}


def run_export(req: ExportRequest, items: Iterable[Item], labels: Labels, *,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] = lambda: False) -> ExportResult:
    """Write the export; ``progress(done, total)`` now and then; raises :class:`Cancelled` or
    :class:`ExportRefused` (nothing written)."""
    ledger = req.ledger
    if req.format not in FORMATS:
        raise ExportRefused("bad_format", f"格式须为 {' / '.join(FORMATS)}", f"format must be one of {', '.join(FORMATS)}")
    check_sensitive(ledger, req.role, req.sensitive)
    clear = unmasked_columns(ledger, req.role, req.unmasked, req.reason)
    maker = RowMaker(ledger, labels, today=req.today, clear=clear, context={"area": req.area_name})
    req.out.parent.mkdir(parents=True, exist_ok=True)
    writer: XlsxLedgerWriter | CsvLedgerWriter
    if req.format == "xlsx":
        writer = XlsxLedgerWriter(req.out, ledger, maker.cells, row_limit=req.row_limit)
    else:
        writer = CsvLedgerWriter(req.out, ledger)
    try:
        if ledger.type == "summary":
            rows = maker.summary(items, req.row_areas)
            writer.begin(ledger.name, {"area": req.area_name, "rows": len(rows) - 1})
            for r in rows:
                writer.add(r)
            writer.end()
            total = len(rows) - 1
        else:
            parts: list[tuple[str, Iterable[Item]]]
            if ledger.split == "none" and not ledger.sort:
                total = req.expected
                parts = [(req.area_name, maker.filtered(items))]
            elif ledger.split == "none":
                selected = maker.selected(items)
                total = len(selected)
                parts = [(req.area_name, selected)]
            else:
                selected = maker.selected(items)
                total = len(selected)
                by: dict[str, list[Item]] = {}
                for it in selected:
                    by.setdefault(it.grid if ledger.split == "grid" else it.community, []).append(it)
                parts = [(code, by[code]) for code in sorted(by)]
            done = 0
            every = max(1, min(5000, total // 100))
            for code, part in parts:
                name = req.area_names.get(code, code) if ledger.split != "none" else req.area_name
                count = len(part) if isinstance(part, list) else total
                writer.begin(name or ledger.name, {"area": name, "rows": count})
                row = maker.row
                add = writer.add
                n = 0
                for n, it in enumerate(part, start=1):
                    add(row(it, n))
                    if (done + n) % every == 0:
                        if cancelled():
                            raise Cancelled()
                        if progress is not None:
                            progress(done + n, max(total, done + n))
                done += n
                writer.end({"area": name, "rows": n})
            total = done
        writer.close()
    except BaseException:
        with contextlib.suppress(Exception):
            writer.close()
        req.out.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(total, total)
    return ExportResult(total, writer.sheets, not clear,
                        str(req.out), req.format, ledger.name,
                        [c.letter for c in ledger.columns if c.index in clear])
