"""The per-template plan the validator runs: calculations, and field checks in survey order.

Built once per template by :func:`build_plan`. Groups without a ``relevant`` are flattened
away, so the common record is a flat list of :class:`FieldStep`. Work is skipped for empty
optional fields (only a dictionary lookup), relevance is evaluated only for fields that hold an
answer or may be required, and messages that do not depend on the value are written in advance.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Container, Mapping
from typing import Any

from forms import findings as msg
from forms.expr.ast import Binary, Call, Current, Literal, Unary, walk
from forms.expr.compiler import Compiled
from forms.expr.context import EvalContext
from forms.expr.values import to_string
from forms.findings import ERROR, WARNING
from forms.model import ChoiceList, Field, FieldType, Group, Template
from forms.tags import CACHE_LIMIT
from forms.validate_calc import Calc
from forms.validate_values import TYPE_CHECKS, is_empty, typed_fn

#: (rule, severity, field path, (zh, en), kind) -> None
Report = Callable[[str, Any, str, tuple[str, str], str], None]

#: References a choice_filter's bare names compile to (``forms.loader_expr.CHOICE_PREFIX``).
CHOICE_PREFIX = "choice."
_STR_TYPES = frozenset(
    {FieldType.TEXT, FieldType.HIDDEN, FieldType.SELECT_ONE, FieldType.SELECT_MULTIPLE, FieldType.ACKNOWLEDGE}
)
_SKIPPED = frozenset({FieldType.NOTE, FieldType.CALCULATE})


class FieldStep:
    """Every check of one answer field."""

    __slots__ = (
        "choice_filter",
        "choice_list",
        "choices",
        "constraint",
        "constraint_text",
        "ftype",
        "learned",
        "multiple",
        "name",
        "quiet_choices",
        "quiet_text",
        "relevant",
        "req_text",
        "required",
        "required_always",
        "rule",
        "simple_choice",
        "skip_empty",
        "stale_text",
        "str_ok",
        "text",
        "type_check",
        "type_key",
        "typed",
    )  # fmt: skip

    def __init__(self, f: Field, template: Template) -> None:
        self.name = f.name
        self.rule = f.name + ":"
        self.ftype = f.type
        self.text = msg.FieldText.of(f)
        self.relevant = f.relevant
        req = f.required
        if req is not None and req.is_constant and not _const_truthy(req.constant_value):
            req = None
        self.required = req
        #: Nothing to check when the answer is empty (no required): the plan skips the call.
        self.skip_empty = req is None
        self.required_always = req is not None and req.is_constant
        self.req_text = msg.required_text(self.text, f.required_messages)
        self.stale_text = msg.stale_text(self.text)
        check = TYPE_CHECKS.get(f.type)
        self.type_check = check[0] if check else None
        self.type_key = check[1] if check else ""
        self.constraint = f.constraint
        self.constraint_text = (
            msg.constraint_text(self.text, f.constraint_messages, f.constraint.source)
            if f.constraint
            else ("", "")
        )
        self.multiple = f.type is FieldType.SELECT_MULTIPLE
        self.choice_list: ChoiceList | None = None
        self.choices: frozenset[str] | None = None
        if f.type in (FieldType.SELECT_ONE, FieldType.SELECT_MULTIPLE) and f.choice_list:
            cl = template.choices.get(f.choice_list)
            if cl is not None:
                self.choice_list = cl
                names = set(cl.by_name)
                if f.or_other:
                    names.add("other")
                self.choices = frozenset(names)
        self.choice_filter = f.choice_filter
        self.simple_choice = not self.multiple and self.choice_filter is None
        #: A string answer needs no type check and is itself the value of ".".
        self.str_ok = f.type in _STR_TYPES
        self.typed = typed_fn(f.type)
        # What the plan may pass without calling ``run`` (nothing to report for such an answer):
        # a text answer that is one of these choice names, or (``quiet_text``) any non-blank text.
        unconditional = self.relevant is None and self.constraint is None and self.str_ok
        self.quiet_choices: Container[Any] | None = None
        if unconditional and self.choices is not None and self.simple_choice:
            self.quiet_choices = frozenset(n for n in self.choices if n and not n.isspace())
        self.quiet_text = unconditional and self.choices is None
        #: Answers found good, for a field whose checks depend on the answer alone (a constraint
        #: on "." only, through functions of their arguments): the plan passes them over.
        self.learned: set[Any] | None = None
        if (
            self.relevant is None
            and self.choices is None
            and self.constraint is not None
            and _answer_only(self.constraint)
        ):
            self.learned = set()
            self.quiet_choices = self.learned

    def run(self, data: Mapping[str, Any], ctx: EvalContext, prefix: str, report: Report) -> None:
        v = data.get(self.name)
        tv = type(v)
        empty = (not v or v.isspace()) if tv is str else (v is None or (tv is list and not v))
        if empty:
            if self.required is None:
                return
            stage = "relevant"
            try:
                if self.relevant is not None and not self.relevant.truthy(ctx):
                    return
                stage = "required"
                if self.required_always or self.required.truthy(ctx):
                    report(self.rule + "required", ERROR, prefix + self.name, self.req_text, "required")
            except Exception as e:
                self._failed(stage, e, prefix, report)
            return
        stage = "relevant"
        try:
            if self.relevant is not None and not self.relevant.truthy(ctx):
                report(self.rule + "stale", WARNING, prefix + self.name, self.stale_text, "stale")
                return
            plain = tv is str and self.str_ok  # a string needs no type check and is its own "."
            if not plain and self.type_check is not None and not self.type_check(v):
                text = msg.type_text(self.text, self.type_key, v)
                report(self.rule + "type", ERROR, prefix + self.name, text, "type")
                return
            choices = self.choices
            # the common case inline: one valid choice name and no filter
            if choices is not None and not (plain and self.simple_choice and v in choices):
                stage = "choice_filter"
                if not self._choice_ok(v, ctx, prefix, report):
                    return
            if self.constraint is not None:
                stage = "constraint"
                ctx.current = v if plain else self.typed(v)
                if not self.constraint.truthy(ctx):
                    report(
                        self.rule + "constraint",
                        ERROR,
                        prefix + self.name,
                        self.constraint_text,
                        "constraint",
                    )
                elif (
                    self.learned is not None and (tv is str or tv is int) and len(self.learned) < CACHE_LIMIT
                ):
                    self.learned.add(v)
        except Exception as e:
            self._failed(stage, e, prefix, report)

    def _choice_ok(self, v: Any, ctx: EvalContext, prefix: str, report: Report) -> bool:
        choices = self.choices
        assert choices is not None
        t = type(v)
        if t is str:
            values = v.split() if self.multiple else [v.strip()]
        elif t is list and self.multiple:
            values = [x if type(x) is str else to_string(x) for x in v]
        elif t is int:
            values = [str(v)]
        else:
            report(self.rule + "type", ERROR, prefix + self.name, msg.type_text(self.text, "text", v), "type")
            return False
        if not self.multiple and len(values) != 1:
            report(
                self.rule + "choice", ERROR, prefix + self.name, msg.single_choice_text(self.text), "choice"
            )
            return False
        ok = True
        for value in values:
            if value not in choices:
                report(
                    self.rule + "choice",
                    ERROR,
                    prefix + self.name,
                    msg.choice_text(self.text, value),
                    "choice",
                )
                ok = False
            elif self.choice_filter is not None and not self._allowed(value, ctx):
                text = msg.choice_filter_text(self.text, value)
                report(self.rule + "choice_filter", ERROR, prefix + self.name, text, "choice")
                ok = False
        return ok

    def _allowed(self, value: str, ctx: EvalContext) -> bool:
        """Whether the choice ``value`` passes the choice filter in this record.

        As in XLSForm, bare names in a choice_filter are columns of the choice being filtered;
        the loader compiles them to ``${choice.<column>}``, which are read from the data here.
        """
        assert self.choice_filter is not None and self.choice_list is not None
        choice = self.choice_list.by_name.get(value)
        if choice is None:  # "other" of an or_other list
            return True
        columns = {f"{CHOICE_PREFIX}{k}": v for k, v in choice.extra.items()}
        columns[CHOICE_PREFIX + "name"] = choice.name
        columns[CHOICE_PREFIX + "label"] = choice.label(ctx.language)
        fctx = EvalContext(
            ChainMap(columns, dict(ctx.data)),
            row=ctx.row,
            row_index=ctx.row_index,
            repeat=ctx.repeat,
            today=ctx.today,
            now=ctx.now,
            age_as_of=ctx.age_as_of,
            choices=ctx.choices,
            graph=ctx.graph,
            entity=ctx.entity,
            tags_in_force=ctx.tags_in_force,
            tags_for=ctx.tags_for,
            language=ctx.language,
            outer=ctx.outer,
        )
        return self.choice_filter.truthy(fctx)

    def _failed(self, stage: str, e: Exception, prefix: str, report: Report) -> None:
        what_zh = {
            "relevant": "显示条件",
            "required": "必填条件",
            "constraint": "约束条件",
            "choice_filter": "选项筛选条件",
        }
        text = msg.eval_failed_text(
            f"「{self.text.zh}」的{what_zh.get(stage, stage)}", f"The {stage} of {self.text.en}", e
        )
        kind = {"required": "required", "choice_filter": "choice"}.get(stage, "constraint")
        report(f"{self.rule}{stage}", ERROR, prefix + self.name, text, kind)


#: Functions whose value depends on their arguments alone (not on the as-of date or the record).
ANSWER_ONLY_FUNCTIONS = frozenset(
    {
        "string-length", "regex", "cn-mobile-valid", "cn-uscc-valid", "number", "int", "string",
        "not", "true", "false", "boolean", "if", "coalesce", "contains", "starts-with", "ends-with",
        "substr", "selected", "count-selected", "normalize-space", "round", "floor", "ceiling", "abs",
    }
)  # fmt: skip


def _answer_only(c: Compiled) -> bool:
    """Whether a constraint reads nothing but ``.``, through :data:`ANSWER_ONLY_FUNCTIONS`."""
    if c.refs or c.tag_refs or not c.uses_current:
        return False
    for n in walk(c.node):
        if isinstance(n, Call) and n.name not in ANSWER_ONLY_FUNCTIONS:
            return False
        if not isinstance(n, Call | Current | Literal | Unary | Binary):
            return False
    return True


def _const_truthy(value: Any) -> bool:
    from forms.expr.values import to_bool

    return to_bool(value)


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
        for i, row in enumerate(rows):
            path = f"{prefix}{name}[{i}]"
            if type(row) is not dict:
                report(f"{name}:type", ERROR, path, msg.type_text(self.text, "list", row), "type")
                continue
            run_steps(self.entries, row, ctx.for_row(row, i, name), path + ".", report)


Step = FieldStep | GroupStep


#: A step as run: (the field's name, or None for a group; whether an empty answer needs no check;
#: answers (choice names, or text or integers found good) that need no check; whether any non-blank text needs no check; the step).
Entry = tuple[str | None, bool, Container[Any] | None, bool, Step]


def entries(steps: list[Step]) -> tuple[Entry, ...]:
    out: list[Entry] = []
    for step in steps:
        if isinstance(step, FieldStep):
            out.append((step.name, step.skip_empty, step.quiet_choices, step.quiet_text, step))
        else:
            out.append((None, False, None, False, step))
    return tuple(out)


def run_steps(
    steps: tuple[Entry, ...], data: Mapping[str, Any], ctx: EvalContext, prefix: str, report: Report
) -> None:
    """Run the steps, passing over (without a call) the answers that cannot give a finding."""
    get = data.get
    for name, skip_empty, quiet, quiet_text, step in steps:
        if name is not None:
            v = get(name)
            if v is None or v == "":
                if skip_empty:
                    continue
            elif quiet is not None:
                tv = type(v)
                if (tv is str or tv is int) and v in quiet:
                    continue
            elif quiet_text and type(v) is str and not v.isspace():
                continue
        step.run(data, ctx, prefix, report)


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


def _steps(group: Group, template: Template) -> list[Step]:
    out: list[Step] = []
    for child in group.children:
        if isinstance(child, Group):
            inner = _steps(child, template)
            if child.is_repeat:
                out.append(RepeatStep(child, inner))
            elif child.relevant is not None:
                out.append(GroupStep(child, inner))
            else:
                out.extend(inner)
        elif child.type not in _SKIPPED:
            out.append(FieldStep(child, template))
    return out


def build_plan(template: Template) -> Plan:
    calcs = [
        Calc(template.fields[name], template)
        for name in template.calculation_order
        if name in template.fields and template.fields[name].calculation is not None
    ]
    return Plan(_steps(template.root, template), calcs)


__all__ = ["Calc", "FieldStep", "GroupStep", "Plan", "RepeatStep", "build_plan", "is_empty"]
