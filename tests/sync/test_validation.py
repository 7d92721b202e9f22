"""The store's validation cache kept current: every record validated once, again after it changes."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from forms.model import EntityKind
from sync.store import KdfParams, Store
from sync.validation import default_templates, revalidate, store_templates, validator_for
from tests.desktop.factory import fill_store


def make_store(tmp_path: Path) -> Any:
    store = Store.create(tmp_path / "p", "pw-123456", {"username": "u"},
                         kdf=KdfParams(time_cost=1, memory_cost=1024, parallelism=1))
    fill_store(store, persons=80)
    return store


def test_revalidate_fills_the_cache_and_only_redoes_what_changed(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    try:
        total = sum(store.lists.counts()[k] for k in ("person", "house", "household"))
        validator = validator_for(store)
        assert revalidate(store, validator, batch=50) == total
        assert revalidate(store, validator) == 0
        person = store.entities.get(store.lists.persons(limit=1).rows[0]["id"])
        store.edits.save_draft(person["id"], dict(person["data"], name=""))
        redone = revalidate(store, validator)
        # the person, and the records whose aggregates look at it (its house, household, co-residents)
        assert 1 <= redone <= 1 + len(store.entities.residents(person["house_id"])) + 2
        cached = store.validation.get(person["id"])
        assert cached is not None and cached["errors"] >= 1
        assert store.lists.persons(validation="error", limit=10).total >= 1
    finally:
        store.close()


def test_revalidate_stops_when_cancelled(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    try:
        cancel = threading.Event()
        cancel.set()
        assert revalidate(store, validator_for(store), cancel=cancel) == 0
        assert store.validation.stale(1)
    finally:
        store.close()


def test_templates_fall_back_to_the_defaults_until_the_platform_sends_its_own(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    try:
        found = store_templates(store)
        defaults = default_templates()
        assert set(found) == set(EntityKind)
        assert found[EntityKind.PERSON].form_id == defaults[EntityKind.PERSON].form_id
    finally:
        store.close()
