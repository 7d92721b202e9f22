"""Loaded templates and validators, cached per process (templates are immutable once published)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forms.model import Template
    from forms.validate import Validator


def load_template_bytes(data: bytes, filename: str = "template.xlsx") -> Template:
    """Load an XLSForm workbook from bytes with forms.xlsform (raises forms.errors.TemplateError)."""
    from forms.xlsform import load_template

    return load_template(data, filename=filename)


class TemplateCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: Held while a template loads, so concurrent requests wait for one load instead of each loading.
        self._load_lock = threading.Lock()
        self._templates: dict[tuple[str, str, str], Template] = {}
        self._validators: dict[tuple[Any, ...], Validator] = {}
        #: Sensitive tags by (published-templates marker, role): see ``sync.server.changes.sensitivity``.
        self.sensitivity: dict[tuple[Any, ...], Any] = {}

    def template(self, form_id: str, version: str, fetch: Callable[[], bytes], area: str = "") -> Template:
        """The loaded template of ``form_id@version`` published in ``area`` (loaded once)."""
        key = (form_id, version, area)
        with self._lock:
            found = self._templates.get(key)
        if found is not None:
            return found
        with self._load_lock:
            with self._lock:
                found = self._templates.get(key)
            if found is not None:
                return found
            loaded = load_template_bytes(fetch(), f"{form_id}.xlsx")
            with self._lock:
                self._templates[key] = loaded
        return loaded

    def validator(self, templates: dict[str, Template], today: date) -> Validator:
        """A Validator over ``templates`` (entity kind -> template), shared between requests of a day."""
        from forms.model import EntityKind
        from forms.validate import Validator

        key = (today, *sorted((k, t.form_id, t.version, id(t)) for k, t in templates.items()))
        with self._lock:
            found = self._validators.get(key)
        if found is not None:
            return found
        with self._load_lock:
            with self._lock:
                found = self._validators.get(key)
            if found is not None:
                return found
            validator = Validator({EntityKind(k): t for k, t in templates.items()}, today=today)
            with self._lock:
                self._validators[key] = validator
        return validator
