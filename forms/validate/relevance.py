"""Which questions of a record are relevant right now: what a form shows and hides as the worker types.

Validation evaluates relevance only where an answer exists (that is all it needs); a screen needs it
for every question, answered or not. This module gives exactly that, with the same expressions and
the same context, so the screen never holds a rule of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from forms.errors import FormsError
from forms.expr import EvalContext, GraphLike
from forms.model import Compiled, Field, Group, Template


def _holds(expr: Compiled | None, ctx: EvalContext) -> bool:
    if expr is None:
        return True
    try:
        return bool(expr.truthy(ctx))
    except (FormsError, ArithmeticError, ValueError, TypeError):
        return True  # an expression that cannot be evaluated hides nothing; validation reports it


def irrelevant(
    template: Template,
    values: Mapping[str, Any],
    *,
    today: date | None = None,
    graph: GraphLike | None = None,
    entity: Any = None,
    tags_in_force: Callable[[str], bool] | None = None,
) -> frozenset[str]:
    """Names of the fields and groups that are not relevant for ``values`` (a record's answers with
    calculations filled in). A question inside an irrelevant group is irrelevant too. Inside a repeat,
    a question irrelevant for a row is given as ``repeat[i].name`` (0-based ``i``)."""
    ctx = EvalContext(
        values,
        today=today,
        age_as_of=template.settings.age_as_of or None,
        choices=template.choices,
        graph=graph,
        entity=entity,
        tags_in_force=tags_in_force,
    )
    out: set[str] = set()

    def hide_all(group: Group) -> None:
        for child in group.walk():
            out.add(child.name)

    def walk(group: Group) -> None:
        for child in group.children:
            if isinstance(child, Group):
                if not _holds(child.relevant, ctx):
                    out.add(child.name)
                    hide_all(child)
                elif child.is_repeat:
                    rows(child)
                else:
                    walk(child)
            elif not _holds(child.relevant, ctx):
                out.add(child.name)

    def rows(repeat: Group) -> None:
        instances = values.get(repeat.name)
        if not isinstance(instances, list):
            return
        fields = [c for c in repeat.walk() if isinstance(c, Field) and c.relevant is not None]
        for index, row in enumerate(instances):
            if not isinstance(row, Mapping):
                continue
            row_ctx = ctx.for_row(row, index, repeat.name)
            for f in fields:
                if not _holds(f.relevant, row_ctx):
                    out.add(f"{repeat.name}[{index}].{f.name}")

    walk(template.root)
    return frozenset(out)
