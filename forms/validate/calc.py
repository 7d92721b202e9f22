"""Calculations of a template, as the validation plan runs them (see ``forms.validate.plan``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from forms.expr.context import EvalContext
from forms.expr.values import to_string
from forms.model import Field, Template
from forms.validate import findings as msg
from forms.validate.findings import ERROR
from forms.validate.tags import CACHE_LIMIT, NO_KEY, cache_key, is_pure

#: (rule, severity, field path, (zh, en), kind) -> None
Report = Callable[[str, Any, str, tuple[str, str], str], None]


class Calc:
    """One calculation, with the relevance conditions it sits under (outermost first).

    A top-level calculation that reads only top-level fields through pure functions (see
    ``forms.tags.is_pure``) is cached by those fields' values, for one as-of date; the cache is
    dropped once it holds too many keys to pay.
    """

    __slots__ = (
        "cache",
        "cache_as_of",
        "cache_today",
        "calculation",
        "conditions",
        "keys",
        "name",
        "repeat",
        "single",
        "text",
    )

    def __init__(self, f: Field, template: Template) -> None:
        assert f.calculation is not None
        self.name = f.name
        self.repeat = f.repeat
        self.calculation = f.calculation
        self.text = msg.FieldText.of(f)
        conds = [g.relevant for g in (template.groups.get(n) for n in f.path) if g is not None and g.relevant]
        if f.relevant is not None:
            conds.append(f.relevant)
        self.conditions = tuple(c for c in conds if c is not None)
        self.keys: tuple[str, ...] | None = None
        self.single: str | None = None
        self.cache: dict[Any, str] = {}
        self.cache_today: Any = None
        self.cache_as_of: Any = None
        exprs = (self.calculation, *self.conditions)
        if f.repeat is None and all(is_pure(c, lambda n: _top_level(template, n)) for c in exprs):
            refs = sorted(set().union(*(c.refs for c in exprs)))
            if refs:
                self.keys = tuple(refs)
                self.single = refs[0] if len(refs) == 1 else None

    def value(self, ctx: EvalContext, report: Report | None, path: str) -> str:
        keys = self.keys
        if keys is None:
            return self._compute(ctx, report, path) or ""
        single = self.single
        if single is not None:
            key = ctx.data.get(single)
            if type(key) is bool:
                return self._compute(ctx, report, path) or ""
        else:
            key = cache_key(ctx.data, None, keys)
            if key is NO_KEY:
                return self._compute(ctx, report, path) or ""
        today, as_of = ctx.today, ctx.age_as_of
        if today is not self.cache_today or as_of is not self.cache_as_of:
            if today != self.cache_today or as_of != self.cache_as_of:
                self.cache = {}
            self.cache_today, self.cache_as_of = today, as_of
        try:
            found = self.cache.get(key)
        except TypeError:  # an unhashable answer (a list)
            return self._compute(ctx, report, path) or ""
        if found is not None:
            return found
        found = self._compute(ctx, report, path)
        if found is None:  # failed (and reported): not cached, so every record reports it
            return ""
        if len(self.cache) < CACHE_LIMIT:
            self.cache[key] = found
        else:
            self.keys = None  # too many distinct values: stop caching
            self.cache = {}
        return found

    def _compute(self, ctx: EvalContext, report: Report | None, path: str) -> str | None:
        try:
            for c in self.conditions:
                if not c.truthy(ctx):
                    return ""
            return to_string(self.calculation.evaluate(ctx))
        except Exception as e:
            if report is not None:
                text = msg.eval_failed_text(
                    f"「{self.text.zh}」的计算", f"The calculation of {self.text.en}", e
                )
                report(f"{self.name}:calculation", ERROR, path, text, "constraint")
            return None


def _top_level(template: Template, name: str) -> bool:
    f = template.fields.get(name)
    return f is not None and f.repeat is None


__all__ = ["Calc"]
