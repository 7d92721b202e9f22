"""Warming a fresh connection's cache walks the search index, then the records in steps, and ends."""

from __future__ import annotations

from sync.store import Store
from tests.desktop.factory import fill_store


def test_warm_cache_walks_every_record_in_steps_and_stops(store: Store) -> None:
    fill_store(store, persons=60)
    total = sum(store.lists.counts()[k] for k in ("person", "house", "household"))
    assert store.lists.warm_cache(-1) == 0
    steps, after = 0, 0
    while after is not None:
        nxt = store.lists.warm_cache(after, chunk=25)
        assert nxt is None or nxt > after
        after = nxt
        steps += 1
    assert steps == -(-total // 25) + 1  # one step per chunk, and one that finds nothing left
