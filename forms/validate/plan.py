"""The per-template plan the validator runs: calculations, and field checks in survey order.

Built once per template by :func:`build_plan`. Groups without a ``relevant`` are flattened
away, so the common record is a flat list of :class:`FieldStep`. Work is skipped for empty
optional fields (only a dictionary lookup), relevance is evaluated only for fields that hold an
answer or may be required, and messages that do not depend on the value are written in advance.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from typing import Any

from forms.expr.context import EvalContext
from forms.model import Group, Template
from forms.validate import findings as msg
from forms.validate.calc import Calc
from forms.validate.field import _SKIPPED, FieldStep
from forms.validate.findings import ERROR, WARNING
from forms.validate.values import is_empty

#: (rule, severity, field path, (zh, en), kind) -> None
Report = Callable[[str, Any, str, tuple[str, str], str], None]


class GroupStep:
    """A group with a ``relevant``: its steps run only while it holds; else answers are stale."""

    __slots__ = ("entries", "name", "names", "relevant", "steps")
    skip_empty = False

    def __init__(self, g: Group, steps: list[Step]) -> None:
        self.name = g.name
        self.relevant = g.relevant
        self.steps = steps
        self.entries = entries(steps)
        self.names = _answer_names(steps)

    def run(self, data: Mapping[str, Any], ctx: EvalContext, prefix: str, report: Report) -> None:
        if self.relevant is not None:
            try:
                holds = self.relevant.truthy(ctx)
            except Exception as e:
                text = msg.eval_failed_text(
                    f"分组“{self.name}”的显示条件", f"The relevance of group {self.name}", e
                )
                report(f"{self.name}:relevant", ERROR, prefix + self.name, text, "constraint")
                return
            if not holds:
                if not data.keys().isdisjoint(self.names):
                    _stale_all(self.steps, data, prefix, report)
                return
        run_steps(self.entries, data, ctx, prefix, report)


class RepeatStep(GroupStep):
    """A repeat: its steps run for each row, with the row's own context."""

    __slots__ = ("text",)

    def __init__(self, g: Group, steps: list[Step]) -> None:
        super().__init__(g, steps)
        self.text = msg.FieldText(g.name, msg.label_zh(g.labels, g.name), msg.label_en(g.labels, g.name))

    def rows(self, data: Mapping[str, Any], prefix: str, report: Report) -> list[Any]:
        rows = data.get(self.name)
        if rows is None or rows == "" or rows == []:
            return []
        if type(rows) is not list:
            report(
                f"{self.name}:type", ERROR, prefix + self.name, msg.type_text(self.text, "list", rows), "type"
            )
            return []
        return rows

    def run(self, data: Mapping[str, Any], ctx: EvalContext, prefix: str, report: Report) -> None:
        rows = self.rows(data, prefix, report)
        if not rows:
            return
        if self.relevant is not None:
            try:
                holds = self.relevant.truthy(ctx)
            except Exception as e:
                text = msg.eval_failed_text(
                    f"重复组“{self.name}”的显示条件", f"The relevance of repeat {self.name}", e
                )
                report(f"{self.name}:relevant", ERROR, prefix + self.name, text, "constraint")
                return
            if not holds:
                _stale_all([self], data, prefix, report, inside=False)
                return
        name = self.name
        steps = self.entries
        rctx: EvalContext | None = None  # one row context, moved from row to row
        for i, row in enumerate(rows):
            if type(row) is not dict:
                path = f"{prefix}{name}[{i}]"
                report(f"{name}:type", ERROR, path, msg.type_text(self.text, "list", row), "type")
                continue
            if _quiet_row(steps, row):
                continue
            if rctx is None:
                rctx = ctx.for_row(row, i, name)
            else:
                rctx.row = row
                rctx.row_index = i
                rctx.memo = {}
                rctx.current = ""
            run_steps(steps, row, rctx, f"{prefix}{name}[{i}].", report)


Step = FieldStep | GroupStep


#: A step as run: (the field's name, or None for a group; whether an empty answer needs no check;
#: answers (choice names, or text or integers found good) that need no check while the field is
#: relevant; whether any non-blank text needs none; the field's relevance; the step).
Entry = tuple[str | None, bool, Container[Any] | None, bool, Callable[[EvalContext], bool] | None, Step]


def entries(steps: list[Step]) -> tuple[Entry, ...]:
    out: list[Entry] = []
    for step in steps:
        if isinstance(step, FieldStep):
            rel = step.relevant.truthy if step.relevant is not None else None
            out.append((step.name, step.skip_empty, step.quiet_choices, step.quiet_text, rel, step))
        else:
            out.append((None, False, None, False, None, step))
    return tuple(out)


def run_steps(
    steps: tuple[Entry, ...], data: Mapping[str, Any], ctx: EvalContext, prefix: str, report: Report
) -> None:
    """Run the steps, passing over (without a call) the answers that cannot give a finding."""
    get = data.get
    for name, skip_empty, quiet, quiet_text, rel, step in steps:
        if name is not None:
            v = get(name)
            if v is None or v == "":
                if skip_empty:
                    continue
            elif quiet is not None:
                tv = type(v)
                if (tv is str or tv is int) and v in quiet and (rel is None or _holds(rel, ctx)):
                    continue
            elif quiet_text and type(v) is str and not v.isspace() and (rel is None or _holds(rel, ctx)):
                continue
        step.run(data, ctx, prefix, report)


def _holds(rel: Callable[[EvalContext], bool], ctx: EvalContext) -> bool:
    """A relevance that holds; False also when it fails (the step then reports the fault)."""
    try:
        return rel(ctx)
    except Exception:
        return False


def _quiet_row(steps: tuple[Entry, ...], row: Mapping[str, Any]) -> bool:
    """Whether :func:`run_steps` would pass over every answer of the row without a call (and
    without a row context: an answer under a relevance is not passed over here)."""
    get = row.get
    for name, skip_empty, quiet, quiet_text, rel, _step in steps:
        if name is None:
            return False
        v = get(name)
        if v is None or v == "":
            if skip_empty:
                continue
            return False
        if rel is not None:
            return False
        if quiet is not None:
            tv = type(v)
            if (tv is str or tv is int) and v in quiet:
                continue
            return False
        if not (quiet_text and type(v) is str and not v.isspace()):
            return False
    return True


def _answer_names(steps: list[Step]) -> frozenset[str]:
    """Names under which the steps keep answers in a record (fields, and repeats' rows)."""
    names: set[str] = set()
    for step in steps:
        if isinstance(step, FieldStep | RepeatStep):
            names.add(step.name)
        else:
            names |= _answer_names(step.steps)
    return frozenset(names)


def _stale_all(
    steps: list[Step], data: Mapping[str, Any], prefix: str, report: Report, inside: bool = True
) -> None:
    """Report every answer under irrelevant steps as stale."""
    for step in steps:
        if isinstance(step, FieldStep):
            if not is_empty(data.get(step.name)):
                report(step.rule + "stale", WARNING, prefix + step.name, step.stale_text, "stale")
        elif isinstance(step, RepeatStep):
            rows = data.get(step.name)
            if type(rows) is list:
                for i, row in enumerate(rows):
                    if type(row) is dict:
                        _stale_all(step.steps, row, f"{prefix}{step.name}[{i}].", report)
        else:
            _stale_all(step.steps, data, prefix, report)


class Plan:
    __slots__ = ("calcs", "entries", "repeat_calcs", "steps")

    def __init__(self, steps: list[Step], calcs: list[Calc]) -> None:
        self.steps = steps
        self.entries = entries(steps)
        self.calcs = calcs
        self.repeat_calcs = frozenset(c.repeat for c in calcs if c.repeat is not None)

    def values_of(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of the answers that calculations may fill in (rows copied where needed)."""
        values = dict(data)
        for name in self.repeat_calcs:
            rows = values.get(name)
            if type(rows) is list:
                values[name] = [dict(r) if type(r) is dict else r for r in rows]
        return values

    def calculate(self, values: dict[str, Any], ctx: EvalContext, report: Report | None) -> None:
        for calc in self.calcs:
            if calc.repeat is None:
                values[calc.name] = calc.value(ctx, report, calc.name)
                continue
            rows = values.get(calc.repeat)
            if type(rows) is not list:
                continue
            for i, row in enumerate(rows):
                if type(row) is dict:
                    path = f"{calc.repeat}[{i}].{calc.name}"
                    row[calc.name] = calc.value(ctx.for_row(row, i, calc.repeat), report, path)

    def check(self, values: Mapping[str, Any], ctx: EvalContext, report: Report) -> None:
        run_steps(self.entries, values, ctx, "", report)


def _steps(group: Group, template: Template, fixed_day: bool) -> list[Step]:
    out: list[Step] = []
    for child in group.children:
        if isinstance(child, Group):
            inner = _steps(child, template, fixed_day)
            if child.is_repeat:
                out.append(RepeatStep(child, inner))
            elif child.relevant is not None:
                out.append(GroupStep(child, inner))
            else:
                out.extend(inner)
        elif child.type not in _SKIPPED:
            out.append(FieldStep(child, template, fixed_day))
    return out


def build_plan(template: Template, fixed_day: bool = False) -> Plan:
    """The plan of ``template``; ``fixed_day``: every run has the same as-of date (a validator
    given ``today``), so answers found good by a constraint using it may be remembered."""
    calcs = [
        Calc(template.fields[name], template)
        for name in template.calculation_order
        if name in template.fields and template.fields[name].calculation is not None
    ]
    return Plan(_steps(template.root, template, fixed_day), calcs)


__all__ = ["Calc", "FieldStep", "GroupStep", "Plan", "RepeatStep", "build_plan", "is_empty"]
