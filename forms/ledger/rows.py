"""A ledger's rows from records: filter, sort, fill the data row's cells, mask; summary counts by area."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from forms.cn import mask_id, mask_name, mask_phone
from forms.errors import EvalError, FormsError
from forms.expr import EvalContext, to_number
from forms.ledger.placeholders import CellEvaluator, Labels, RecordView
from forms.ledger.template import LedgerTemplate

MASKERS: Mapping[str, Callable[[str], str]] = {"id": mask_id, "phone": mask_phone, "name": mask_name}


class ExportRefused(FormsError):
    """The export may not be made as asked (a role may not unmask, a reason is missing, …)."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.code, self.zh, self.en = code, zh, en


@dataclass(frozen=True)
class Item:
    """One record of the export with its area (grid code, community code)."""

    view: RecordView
    grid: str = ""
    community: str = ""


def unmasked_columns(ledger: LedgerTemplate, role: str, unmasked: bool, reason: str) -> frozenset[int]:
    """The columns exported in clear. Asking for unmasked data needs a reason and, for every masked
    column, a role the ledger allows."""
    if not unmasked:
        return frozenset()
    if not reason.strip():
        raise ExportRefused("reason_required", "导出未脱敏数据须填写理由", "an unmasked export needs a stated reason")
    refused = [c.letter for c in ledger.masked_columns if role not in c.unmask_roles]
    if refused:
        raise ExportRefused("unmask_forbidden", f"角色 {role} 不能导出未脱敏的 {', '.join(refused)} 列",
                            f"role {role} may not export columns {', '.join(refused)} unmasked")
    return frozenset(c.index for c in ledger.masked_columns)


def check_sensitive(ledger: LedgerTemplate, role: str, sensitive: Mapping[str, Iterable[str]]) -> None:
    """Refuse a ledger that reads a sensitive tag the role may not see (the catalogue names the roles)."""
    for tag in sorted(ledger.tag_refs()):
        roles = tuple(sensitive.get(tag, ()))
        if roles and role not in roles:
            raise ExportRefused("sensitive_tag", f"标签「{tag}」为敏感标签，角色 {role} 无权导出",
                                f"tag {tag} is sensitive: role {role} may not export it")


class RowMaker:
    """Selects, orders and fills the rows of one ledger."""

    def __init__(self, ledger: LedgerTemplate, labels: Labels, *, today: date | None = None,
                 clear: frozenset[int] = frozenset(), context: Mapping[str, Any] | None = None) -> None:
        self.ledger = ledger
        self.today = today or date.today()
        self.base = EvalContext(today=self.today)
        self.context: dict[str, Any] = {"date": self.today.isoformat(), **(context or {})}
        self.cells = CellEvaluator(ledger.entity, labels, self.context, self.base)
        self.clear = clear
        self._getters = [self.cells.compile(c.cell) for c in ledger.columns]
        self._needs_ctx = any(c.cell.exprs() for c in ledger.columns)
        self._maskers = [(c.index, MASKERS[c.mask]) for c in ledger.columns if c.mask in MASKERS and c.index not in clear]

    def filtered(self, items: Iterable[Item]) -> Iterator[Item]:
        """The records the ledger's filter and tags select, in the order given (streamed)."""
        flt = self.ledger.filter
        tags = self.ledger.tags
        base = self.base
        for it in items:
            if tags and not all(t in it.view.tags for t in tags):
                continue
            if flt is not None:
                try:
                    if not flt.truthy(base.for_record(it.view.data, None, it.view.tags.__contains__)):
                        continue
                except EvalError:
                    continue
            yield it

    def selected(self, items: Iterable[Item]) -> list[Item]:
        """The records the ledger's filter and tags select, in its sort order."""
        out = list(self.filtered(items))
        if self.ledger.sort:
            for name, desc in reversed(self.ledger.sort):
                if name == "grid":
                    out.sort(key=lambda i: i.grid, reverse=desc)
                else:
                    out.sort(key=lambda i, n=name: _sort_key(i.view.data.get(n)), reverse=desc)  # type: ignore[misc]
        return out

    def row(self, item: Item, row_no: int) -> list[Any]:
        view = item.view
        ctx = self.cells.context_for(view) if self._needs_ctx else None
        values = [get(view, row_no, ctx) for get in self._getters]
        for index, masker in self._maskers:
            v = values[index]
            if v not in ("", None):
                values[index] = masker(str(v))
        return values

    def rows(self, items: Iterable[Item], start: int = 1) -> Iterator[list[Any]]:
        for n, it in enumerate(items, start=start):
            yield self.row(it, n)

    # ---- summary tables -----------------------------------------------------------------------
    def summary(self, items: Iterable[Item], areas: Iterable[tuple[str, str]]) -> list[list[Any]]:
        """One row per area (code, name) of the ledger's ``rows`` level, then the 合计 row."""
        order = list(areas)
        sums: dict[str, list[float]] = {code: [0.0] * len(self.ledger.columns) for code, _ in order}
        measured = [c for c in self.ledger.columns if c.aggregate]
        for it in self.selected(items):
            key = it.grid if self.ledger.rows == "grid" else it.community
            acc = sums.get(key)
            if acc is None:
                continue
            ctx = self.base.for_record(it.view.data, None, it.view.tags.__contains__)
            for c in measured:
                try:
                    if c.measure is None:
                        acc[c.index] += 1
                    elif c.aggregate == "count":
                        acc[c.index] += 1 if c.measure.truthy(ctx) else 0
                    else:
                        n = to_number(c.measure.evaluate(ctx))
                        acc[c.index] += 0 if n != n else n
                except EvalError:
                    continue
        out: list[list[Any]] = []
        total = [0.0] * len(self.ledger.columns)
        for n, (code, name) in enumerate(order, start=1):
            self.context["area"] = name
            row: list[Any] = []
            for c in self.ledger.columns:
                if c.aggregate:
                    v = sums[code][c.index]
                    total[c.index] += v
                    row.append(int(v) if v.is_integer() else v)
                else:
                    row.append(self.cells.value(c.cell, None, n, None))
            out.append(row)
        last: list[Any] = []
        for i, c in enumerate(self.ledger.columns):
            if c.aggregate:
                last.append(int(total[i]) if total[i].is_integer() else total[i])
            else:
                last.append("合计" if not last or (all(x == "" for x in last) and i == 0) else "")
        if last and not self.ledger.columns[0].aggregate:
            last[0] = "合计"
        out.append(last)
        return out


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None or value == "":
        return (1, "")
    if isinstance(value, int | float):
        return (0, f"{value:020.6f}")
    return (0, str(value))
