"""Checking a ledger template against the entity templates (the shipped ones when none are given)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from forms.expr import Scope
from forms.model import Template

TEMPLATES = Path(__file__).resolve().parents[2] / "resources" / "templates"


@cache
def default_templates() -> Mapping[str, Template]:
    """The shipped person, house and household templates (``resources/templates``)."""
    from forms.xlsform.loader import load_template

    return {kind: load_template(TEMPLATES / f"{kind}.xlsx") for kind in ("person", "house", "household")}


def scopes_of(templates: Mapping[str, Template]) -> dict[str, Scope]:
    return {str(k): Scope.from_template(t) for k, t in templates.items()}


def default_scopes() -> dict[str, Scope]:
    return scopes_of(default_templates())
