"""The form engine over the local store: which templates are in force, and keeping every stored
record's validation (its findings and the tags in force) current.

The store keeps a validation cache per entity: lists filter by validation state and by tag (auto
tags included) from it. After a pull or a batch of edits, :func:`revalidate` brings the cache up to
date in batches, on whatever thread the caller chooses (the desktop runs it in the background).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import date
from typing import Protocol

from forms.errors import TemplateError
from forms.graph import EntityGraph, entity_from_dict
from forms.model import EntityKind, Template
from forms.validate import Validator
from forms.validate.findings import ValidationResult
from forms.xlsform import load_template
from resources import ROOT as RESOURCES
from sync.store.entities import Entities
from sync.store.errors import StoreError
from sync.store.library import Library
from sync.store.validation_cache import ValidationCache

BATCH = 500


class ValidatingStore(Protocol):
    """The part of ``sync.store.Store`` validation uses (its templates, validation cache, entities)."""

    @property
    def library(self) -> Library: ...

    @property
    def validation(self) -> ValidationCache: ...

    @property
    def entities(self) -> Entities: ...

    def graph(self) -> EntityGraph: ...


def default_templates() -> dict[EntityKind, Template]:
    """The templates shipped in resources/ (in force until the platform publishes the district's own)."""
    out: dict[EntityKind, Template] = {}
    for kind in EntityKind:
        path = RESOURCES / "templates" / f"{kind.value}.xlsx"
        if path.exists():
            out[kind] = load_template(path)
    return out


def store_templates(store: ValidatingStore) -> dict[EntityKind, Template]:
    """The newest template of each kind the store holds; kinds it lacks fall back to the defaults.

    A stored workbook that does not load here (it was validated when it was published, so this means
    a newer engine on the platform) is passed over in favour of the default of its kind.
    """
    out: dict[EntityKind, Template] = {}
    for kind in EntityKind:
        try:
            row = store.library.template(kind.value)
        except StoreError:
            row = None
        blob = row.get("xlsx") if isinstance(row, Mapping) else None
        if not isinstance(blob, bytes | bytearray):
            continue
        try:
            out[kind] = load_template(bytes(blob), filename=f"{kind.value}.xlsx")
        except TemplateError:
            continue
    missing = [k for k in EntityKind if k not in out]
    if missing:
        defaults = default_templates()
        out.update({k: defaults[k] for k in missing if k in defaults})
    return out


def revalidate(
    store: ValidatingStore,
    validator: Validator,
    *,
    batch: int = BATCH,
    cancel: threading.Event | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Validate every entity whose cached validation is missing or older than its last change.

    Each batch is written in one transaction. Returns how many entities were validated; stops early
    when ``cancel`` is set (the rest stay pending and are picked up next time).
    """
    done = 0
    seen: set[str] = set()
    while cancel is None or not cancel.is_set():
        ids = [i for i in store.validation.stale(batch) if i not in seen]
        if not ids:
            break
        seen.update(ids)
        entities = [entity_from_dict(e) for e in (store.entities.find(i) for i in ids) if e is not None]
        results: list[ValidationResult] = validator.validate_many(entities, store.graph())
        store.validation.set_many([(e.id, r) for e, r in zip(entities, results, strict=True)])
        done += len(entities)
        if progress is not None:
            progress(done)
    return done


def validator_for(store: ValidatingStore, today: date | None = None) -> Validator:
    return Validator(store_templates(store), today=today)
