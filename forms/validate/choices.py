"""choice_filter: which choices of a list a record may pick right now.

As in XLSForm, bare names in a ``choice_filter`` are columns of the choice being filtered; the loader
compiles them to ``${choice.<column>}`` (``forms.model.CHOICE_PREFIX``), which are read from a
context whose data is the record's, with the choice's columns laid over it. Validation uses
:func:`choice_allowed` to check an answer; screens use :func:`allowed_choices` to narrow a list.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from forms.errors import FormsError
from forms.expr import EvalContext
from forms.model import CHOICE_PREFIX, Choice, Compiled, Field, Template


def choice_context(choice: Choice, ctx: EvalContext) -> EvalContext:
    """``ctx`` with the columns of ``choice`` readable as ``${choice.<column>}``."""
    columns: dict[str, Any] = {f"{CHOICE_PREFIX}{k}": v for k, v in choice.extra.items()}
    columns[CHOICE_PREFIX + "name"] = choice.name
    columns[CHOICE_PREFIX + "label"] = choice.label(ctx.language)
    return EvalContext(
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


def choice_allowed(choice_filter: Compiled, choice: Choice, ctx: EvalContext) -> bool:
    return bool(choice_filter.truthy(choice_context(choice, ctx)))


def allowed_choices(template: Template, values: Mapping[str, Any], **context: Any) -> dict[str, tuple[Choice, ...]]:
    """For each top-level field with a choice_filter, the choices its filter lets through now.

    ``context`` is passed to :class:`EvalContext` (today, graph, entity, tags_in_force, …). A filter
    that cannot be evaluated lets every choice through (validation reports the fault).
    """
    ctx = EvalContext(values, choices=template.choices,
                      age_as_of=template.settings.age_as_of or None, **context)
    out: dict[str, tuple[Choice, ...]] = {}
    for field in template.fields.values():
        if not _filtered(field) or field.repeat is not None:
            continue
        assert field.choice_filter is not None and field.choice_list is not None
        choices = template.choices[field.choice_list].choices
        try:
            out[field.name] = tuple(c for c in choices if choice_allowed(field.choice_filter, c, ctx))
        except (FormsError, ArithmeticError, ValueError, TypeError):
            out[field.name] = choices
    return out


def _filtered(field: Field) -> bool:
    return field.choice_filter is not None and field.choice_list is not None


__all__ = ["CHOICE_PREFIX", "allowed_choices", "choice_allowed", "choice_context"]
