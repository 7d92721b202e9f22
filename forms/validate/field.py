"""The checks of one answer field, as the validation plan runs them (see ``forms.validate.plan``)."""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from typing import Any

from forms.expr.ast import Binary, Call, Current, Literal, Unary, walk
from forms.expr.context import EvalContext
from forms.expr.values import to_string
from forms.model import ChoiceList, Compiled, Field, FieldType, Template
from forms.validate import findings as msg
from forms.validate.choices import CHOICE_PREFIX, choice_allowed
from forms.validate.findings import ERROR, WARNING
from forms.validate.tags import CACHE_LIMIT
from forms.validate.values import TYPE_CHECKS, typed_fn

#: (rule, severity, field path, (zh, en), kind) -> None
Report = Callable[[str, Any, str, tuple[str, str], str], None]

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
        "plain_constraint",
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

    def __init__(self, f: Field, template: Template, fixed_day: bool = False) -> None:
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
        #: The constraint for a text answer: "." read as the field itself, sharing cached values.
        self.plain_constraint: Callable[[EvalContext], bool] | None = None
        if f.constraint is not None and f.repeat is None:
            self.plain_constraint = f.constraint.truthy_with_current_as(f.name)
        if self.plain_constraint is None and f.constraint is not None:
            self.plain_constraint = f.constraint.truthy
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
        # (Both hold only while the field is relevant: the plan checks that first.)
        unconditional = self.constraint is None and self.str_ok
        self.quiet_choices: Container[Any] | None = None
        if unconditional and self.choices is not None and self.simple_choice:
            self.quiet_choices = frozenset(n for n in self.choices if n and not n.isspace())
        self.quiet_text = unconditional and self.choices is None
        #: Answers found good, for a field whose checks depend on the answer alone (a constraint
        #: on "." only, through functions of their arguments): the plan passes them over.
        self.learned: set[Any] | None = None
        if self.choices is None and self.constraint is not None and _answer_only(self.constraint, fixed_day):
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
                if plain:
                    ctx.current = v
                    pc = self.plain_constraint
                    holds = pc(ctx) if pc is not None else self.constraint.truthy(ctx)
                else:
                    ctx.current = self.typed(v)
                    holds = self.constraint.truthy(ctx)
                if not holds:
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
        return choice_allowed(self.choice_filter, choice, ctx)

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


#: Functions whose value depends on their arguments and the as-of date (fixed for a validator
#: given ``today``: the as-of date of a template is fixed by its settings).
DAY_FUNCTIONS = frozenset({"today", "cn-id-valid", "cn-disability-cert-valid"})


def _answer_only(c: Compiled, fixed_day: bool) -> bool:
    """Whether a constraint reads nothing but ``.`` (and, with ``fixed_day``, the as-of date),
    through :data:`ANSWER_ONLY_FUNCTIONS` (and :data:`DAY_FUNCTIONS`)."""
    if c.refs or c.tag_refs or not c.uses_current:
        return False
    for n in walk(c.node):
        if (
            isinstance(n, Call)
            and n.name not in ANSWER_ONLY_FUNCTIONS
            and not (fixed_day and n.name in DAY_FUNCTIONS)
        ):
            return False
        if not isinstance(n, Call | Current | Literal | Unary | Binary):
            return False
    return True


def _const_truthy(value: Any) -> bool:
    from forms.expr.values import to_bool

    return to_bool(value)


__all__ = ["CHOICE_PREFIX", "FieldStep"]
