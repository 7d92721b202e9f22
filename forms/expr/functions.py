"""ODK/XLSForm functions of the function table: control, choices, text, regex, repeats."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from forms.errors import ExprError
from forms.expr.ast import Call, Current, Literal
from forms.expr.code import Code, constant, truthy_fn
from forms.expr.regex import Pattern, PatternError, compile_pattern
from forms.expr.registry import FUNCTIONS, Compiler, register, strict
from forms.expr.values import (
    to_bool,
    to_number,
    to_string,
)

if TYPE_CHECKING:
    from forms.expr.context import EvalContext


# --- control ------------------------------------------------------------------------------------


def _build_if(comp: Compiler, node: Call) -> Code:

    cond, then, other = (comp.compile(a) for a in node.args)
    if cond.is_const:
        return then if to_bool(cond.const) else other
    t, a, b = truthy_fn(cond), then.fn, other.fn
    kind = then.kind if then.kind == other.kind else "any"
    vol = cond.volatile or then.volatile or other.volatile
    return Code(
        lambda c: a(c) if t(c) else b(c), kind, volatile=vol, cost=cond.cost + max(then.cost, other.cost) + 1
    )


def _build_coalesce(comp: Compiler, node: Call) -> Code:

    codes = [comp.compile(a) for a in node.args]
    fns = [c.fn for c in codes]

    def first(c: EvalContext) -> Any:
        v: Any = ""
        for f in fns:
            v = f(c)
            if type(v) is list:
                v = v[0] if v else ""
            if not (v == "" or (type(v) is float and v != v)):
                return v
        return v

    return Code(first, "any", volatile=any(c.volatile for c in codes), cost=sum(c.cost for c in codes) + 1)


register("if", 3, 3, _build_if)
register("coalesce", 2, None, _build_coalesce)
strict("true", 0, 0, lambda: True, "bool", cost=0)
strict("false", 0, 0, lambda: False, "bool", cost=0)


def _build_not(comp: Compiler, node: Call) -> Code:

    arg = comp.compile(node.args[0])
    if arg.is_const:
        return constant(not to_bool(arg.const))
    t = truthy_fn(arg)
    return Code(lambda c: not t(c), "bool", volatile=arg.volatile, cost=arg.cost + 1)


register("not", 1, 1, _build_not)
strict("boolean", 1, 1, to_bool, "bool")
strict("boolean-from-string", 1, 1, lambda v: to_string(v).strip().lower() in ("true", "1"), "bool")
strict("string", 1, 1, to_string, "str")
strict("number", 1, 1, to_number, "num")


# --- select_multiple ----------------------------------------------------------------------------


def _selected(values: Any, choice: Any) -> bool:
    """An empty choice is selected in an empty list only (as JavaRosa and Enketo answer)."""
    k = to_string(choice).strip()
    return k in to_string(values).split() if k else not to_string(values).strip()


def _selected_at(values: Any, index: Any) -> str:
    items = to_string(values).split()
    n = to_number(index)
    if n != n or n in (math.inf, -math.inf):
        return ""
    i = int(n)
    return items[i] if 0 <= i < len(items) else ""


def _build_selected(comp: Compiler, node: Call) -> Code:
    """``selected(list, 'choice')``; a quoted choice is looked up without converting it each time."""

    values, choice = (comp.compile(a) for a in node.args)
    if values.is_const and choice.is_const:
        return constant(_selected(values.const, choice.const))
    vol = values.volatile or choice.volatile
    cost = values.cost + choice.cost + 2
    f = values.fn
    if choice.is_const and not to_string(choice.const).strip():
        return Code(lambda c: not to_string(f(c)).strip(), "bool", volatile=vol, cost=cost)
    if choice.is_const:
        k = to_string(choice.const).strip()
        if values.kind == "str":
            return Code(lambda c: k in f(c).split(), "bool", volatile=vol, cost=cost)
        return Code(lambda c: k in to_string(f(c)).split(), "bool", volatile=vol, cost=cost)
    g = choice.fn
    return Code(lambda c: _selected(f(c), g(c)), "bool", volatile=vol, cost=cost)


register("selected", 2, 2, _build_selected)
register("is-selected", 2, 2, _build_selected)
strict("count-selected", 1, 1, lambda v: len(to_string(v).split()), "num", cost=2)
strict("selected-at", 2, 2, _selected_at, "str", cost=2)


def _build_choice_name(comp: Compiler, node: Call) -> Code:
    """``jr:choice-name(value, '${field}')``: the label of a choice of that field's list."""

    value = comp.compile(node.args[0])
    target = node.args[1]
    if not isinstance(target, Literal) or not isinstance(target.value, str):
        raise ExprError(
            "the second argument of jr:choice-name() must be a quoted field reference like '${name}'",
            target.pos,
            "type",
        )
    text = target.value.strip()
    m = re.fullmatch(r"\$\{\s*([^}\s]+)\s*\}", text) or re.fullmatch(r"(?:/[^/]+)*/([^/\s]+)|([^/\s]+)", text)
    field_name = next((g for g in m.groups() if g), "") if m else ""
    if not field_name:
        raise ExprError(f"'{text}' does not name a field", target.pos, "type")
    scope = comp.scope
    if not scope.knows(field_name):
        raise ExprError(f"unknown field ${{{field_name}}}", target.pos + 1, "unknown_field")
    list_name = scope.choice_lists.get(field_name, field_name)
    fn = value.fn

    def label(c: EvalContext) -> str:
        return _choice_label(c, list_name, to_string(fn(c)))

    return Code(label, "str", volatile=value.volatile, cost=value.cost + 2)


def _choice_label(c: EvalContext, list_name: str, value: str) -> str:
    if value == "":
        return ""
    lst = c.choices.get(list_name)
    if lst is None:
        return ""
    by_name = getattr(lst, "by_name", lst)
    try:
        choice = by_name.get(value)
    except AttributeError:
        return ""
    if choice is None:
        return ""
    if isinstance(choice, str):
        return choice
    label = getattr(choice, "label", None)
    if callable(label):
        return str(label(c.language))
    if isinstance(choice, dict):
        return str(choice.get(c.language) or choice.get("") or next(iter(choice.values()), ""))
    return value


register("jr:choice-name", 2, 2, _build_choice_name)


def _build_indexed_repeat(comp: Compiler, node: Call) -> Code:
    """``indexed-repeat(${field}, ${repeat}, n)``: the field's value in row n (from 1) of the repeat."""
    from forms.expr.ast import Ref
    from forms.expr.convert import converter

    target, group, index = node.args
    if not isinstance(target, Ref):
        raise ExprError(
            "the first argument of indexed-repeat() must be a field like ${name}", target.pos, "type"
        )
    if not isinstance(group, Ref):
        raise ExprError(
            "the second argument of indexed-repeat() must be a repeat like ${rows}", group.pos, "type"
        )
    scope = comp.scope
    spec = scope.lookup(target.name)
    if spec is None and not scope.permissive:
        raise ExprError(f"unknown field ${{{target.name}}}", target.pos, "unknown_field")
    if group.name not in scope.repeats and not scope.permissive:
        raise ExprError(f"${{{group.name}}} is not a repeat", group.pos, "unknown_field")
    if spec is not None and spec[1] != group.name:
        raise ExprError(f"${{{target.name}}} is not in the repeat ${{{group.name}}}", target.pos, "type")
    conv, kind = converter(spec[0] if spec is not None else None)
    at = comp.compile(index)
    pick = at.fn
    name, repeat = target.name, group.name

    def value(c: EvalContext) -> Any:
        rows = c.data.get(repeat)
        n = to_number(pick(c))
        if type(rows) is not list or n != n or n in (math.inf, -math.inf):
            return ""
        i = int(n)
        if not 1 <= i <= len(rows) or not isinstance(rows[i - 1], dict):
            return ""
        return conv(rows[i - 1].get(name, ""))

    return Code(value, kind, volatile=at.volatile, cost=at.cost + 2)


register("indexed-repeat", 3, 3, _build_indexed_repeat)


# --- strings ------------------------------------------------------------------------------------


def _substr(s: Any, start: Any, end: Any = None) -> str:
    """ODK ``substr``: 0-based start, exclusive end; negative positions count from the end."""
    text = to_string(s)
    n = len(text)
    i = _index(to_number(start), n)
    j = n if end is None else _index(to_number(end), n)
    if i is None or j is None:
        return ""
    return text[i:j] if i <= j else ""


def _index(x: float, n: int) -> int | None:
    if x != x:
        return None
    if x == math.inf:
        return n
    if x == -math.inf:
        return 0
    k = int(x)
    if k < 0:
        k += n
    return min(max(0, k), n)


def _before(s: Any, sub: Any) -> str:
    text, part = to_string(s), to_string(sub)
    i = text.find(part)
    return text[:i] if i >= 0 else ""


def _after(s: Any, sub: Any) -> str:
    text, part = to_string(s), to_string(sub)
    i = text.find(part)
    return text[i + len(part) :] if i >= 0 else ""


def _translate(s: Any, src: Any, dst: Any) -> str:
    a, b = to_string(src), to_string(dst)
    table: dict[int, int | None] = {}
    for i, ch in enumerate(a):
        if ord(ch) not in table:
            table[ord(ch)] = ord(b[i]) if i < len(b) else None
    return to_string(s).translate(table)


def _concat(*values: Any) -> str:
    out: list[str] = []
    for v in values:
        if type(v) is list:
            out.extend(to_string(x) for x in v)
        else:
            out.append(to_string(v))
    return "".join(out)


def _join(sep: Any, *values: Any) -> str:
    items: list[str] = []
    for v in values:
        if type(v) is list:
            items.extend(to_string(x) for x in v)
        else:
            items.append(to_string(v))
    return to_string(sep).join(items)


strict("string-length", 1, 1, lambda v: len(to_string(v)), "num")
strict("substr", 2, 3, _substr, "str")
strict("substring-before", 2, 2, _before, "str")
strict("substring-after", 2, 2, _after, "str")
strict("concat", 0, None, _concat, "str")
strict("join", 1, None, _join, "str")
strict("contains", 2, 2, lambda s, p: to_string(p) in to_string(s), "bool")
strict("starts-with", 2, 2, lambda s, p: to_string(s).startswith(to_string(p)), "bool")
strict("ends-with", 2, 2, lambda s, p: to_string(s).endswith(to_string(p)), "bool")
strict("normalize-space", 1, 1, lambda s: " ".join(to_string(s).split()), "str")


def _of_context(name: str) -> None:
    """``name()`` without an argument is ``name(.)`` (XPath 1.0 and JavaRosa: the context node)."""
    spec = FUNCTIONS[name]

    def build(comp: Compiler, node: Call) -> Code:
        if not node.args:
            node = Call(node.pos, node.name, (Current(node.pos),))
        return spec.build(comp, node)

    register(name, 0, 1, build, spec.summary)


_of_context("string-length")
_of_context("normalize-space")
strict("translate", 3, 3, _translate, "str")


def _regex_match(pattern: Pattern | None, text: str) -> bool:
    return pattern is not None and pattern.fullmatch(text)


def _compile_regex(text: str) -> Pattern | None:
    try:
        return compile_pattern(text)
    except (PatternError, RecursionError, OverflowError, ValueError, UnicodeError):
        return None


def _build_regex(comp: Compiler, node: Call) -> Code:
    """``regex(value, pattern)``: true when the pattern matches the whole value (as JavaRosa's
    ``Pattern.matches``; ``^`` and ``$`` are allowed but not needed), in linear time (``forms.expr.regex``)."""

    value = comp.compile(node.args[0])
    pat = comp.compile(node.args[1])
    if pat.is_const:
        try:
            compiled = compile_pattern(to_string(pat.const))
        except (PatternError, RecursionError, OverflowError, ValueError, UnicodeError) as exc:
            raise ExprError(f"invalid regular expression {to_string(pat.const)!r}: {exc}",
                            node.args[1].pos, "type") from exc
        if value.is_const:
            return constant(compiled.fullmatch(to_string(value.const)))
        fn = value.fn
        search = compiled.fullmatch
        if value.kind == "str":
            return Code(
                lambda c: search(fn(c)),
                "bool",
                volatile=value.volatile,
                cost=value.cost + 3,
                share=True,
            )
        return Code(
            lambda c: search(to_string(fn(c))),
            "bool",
            volatile=value.volatile,
            cost=value.cost + 3,
            share=True,
        )
    vf, pf = value.fn, pat.fn
    return Code(
        lambda c: _regex_match(_compile_regex(to_string(pf(c))), to_string(vf(c))),
        "bool",
        volatile=value.volatile or pat.volatile,
        cost=value.cost + pat.cost + 5,
        share=True,
    )


register("regex", 2, 2, _build_regex)
