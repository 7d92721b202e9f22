"""Store benchmark: pull path throughput, list/count latency, search-as-you-type latency.

``python -m tests.bench store [--n N]`` (default N = 100,000 persons). Builds a fresh encrypted
profile in a temporary directory, applies synthetic pages of 1,000 changes through
``Store.apply_changes`` (the pull path, including the search index; a first full pull, so the
random-key indexes are built at the last page), then times list pages, counts and searches.
Latencies are medians (and p95) over repeated calls, after one warm-up call; ``*_cold_ms`` are
the very first calls. ``pull_entities_per_cpu_s`` divides by this process's CPU time, which is
what the pull costs on a machine not shared with other work; ``load_avg_1m`` is the machine's load
just after the pull, to read the wall-clock figures by.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sync.store import KdfParams, Store
from tests.bench.store_data import item, population

PAGE = 1000  # what the sync engine asks for (sync.client.engine.PULL_PAGE)


def _timed(fn: Callable[[], Any], repeat: int = 15) -> tuple[float, float]:
    fn()  # warm the cache
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def run(n: int | None = None) -> dict[str, float | int | str]:
    n = n or 100_000
    ents = population(n)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.create(Path(tmp) / "p", "bench-password", {"username": "bench"},
                             kdf=KdfParams(time_cost=1, memory_cost=8192, parallelism=1))
        pages = [[item(e, i + j) for j, e in enumerate(ents[i : i + PAGE])] for i in range(0, len(ents), PAGE)]
        t0, c0 = time.perf_counter(), time.process_time()
        for i, page in enumerate(pages):
            store.pull.apply_changes(page, f"{(i + 1) * PAGE}", has_more=i < len(pages) - 1)
        pull_s, pull_cpu = time.perf_counter() - t0, time.process_time() - c0
        figures: dict[str, float | int | str] = {
            "persons": n, "entities": len(ents), "page_size": PAGE,
            "pull_entities_per_s": round(len(ents) / pull_s),
            # CPU seconds of this process: what the pull costs when the machine is not shared
            "pull_entities_per_cpu_s": round(len(ents) / pull_cpu),
            "pull_seconds": round(pull_s, 2),
            # other work on the machine while pulling (wall-clock figures depend on it)
            "load_avg_1m": round(os.getloadavg()[0], 2),
        }
        # an incremental pull into the filled store: 5,000 persons changed on the platform
        changed = [{**e, "rev": 2, "data": {**e["data"], "phone": "13900000000"}}
                   for e in ents if e["kind"] == "person"][: min(5000, n)]
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, len(changed), PAGE):
            store.pull.apply_changes([item(e) for e in changed[i : i + PAGE]], f"u{i}")
        figures["pull_updates_per_s"] = round(len(changed) / (time.perf_counter() - t0))
        figures["pull_updates_per_cpu_s"] = round(len(changed) / (time.process_time() - c0))
        grid = ents[0]["grid"]
        t = time.perf_counter()
        store.lists.persons(limit=100)
        figures["list_first_page_cold_ms"] = round((time.perf_counter() - t) * 1000, 2)
        t = time.perf_counter()
        store.lists.persons(query="zw", limit=100)
        figures["search_zw_cold_ms"] = round((time.perf_counter() - t) * 1000, 2)
        def fresh(fn: Callable[[], Any]) -> Callable[[], Any]:
            """Time a query as a new keystroke or filter: without the store's per-query caches."""
            def call() -> Any:
                store.lists._seq_cache.clear()
                store.lists._count_cache.clear()
                return fn()
            return call

        store.lists.persons(offset=1, limit=1)  # creates the caches
        store.lists.persons(limit=1)
        checks: dict[str, Callable[[], Any]] = {
            "list_first_page_ms": fresh(lambda: store.lists.persons(limit=100)),
            "list_scroll_page_ms": lambda: store.lists.persons(offset=n // 2, limit=100),
            "list_grid_first_page_ms": fresh(lambda: store.lists.persons(area=grid, limit=100)),
            "list_grid_scroll_page_ms": lambda: store.lists.persons(area=grid, offset=1000, limit=100),
            "list_sorted_birth_first_ms": fresh(lambda: store.lists.persons(sort=("birth_date", "desc"), limit=100)),
            "list_sorted_birth_scroll_ms": lambda: store.lists.persons(sort=("birth_date", "desc"), offset=500,
                                                                      limit=100),
            "list_houses_first_page_ms": fresh(lambda: store.lists.houses(limit=100)),
            # the natural address order (place_key and its index); houses sort by address by default
            "list_sorted_address_first_ms": fresh(lambda: store.lists.persons(sort=("address", "asc"), limit=100)),
            "list_sorted_address_desc_first_ms": fresh(lambda: store.lists.persons(sort=("address", "desc"),
                                                                                  limit=100)),
            "list_grid_sorted_address_first_ms": fresh(lambda: store.lists.persons(area=grid, sort=("address", "asc"),
                                                                                  limit=100)),
            "list_houses_address_desc_first_ms": fresh(lambda: store.lists.houses(sort=("address", "desc"), limit=100)),
            "list_sorted_address_scroll_ms": lambda: store.lists.persons(sort=("address", "asc"), offset=n // 2,
                                                                        limit=100),
            "count_persons_ms": lambda: store.scalar("SELECT count(*) FROM entities WHERE kind = 'person'"),
            "search_zw_ms": fresh(lambda: store.lists.persons(query="zw", limit=100)),
            "search_wl_ms": fresh(lambda: store.lists.persons(query="wl", limit=100)),
            "search_zhangw_ms": fresh(lambda: store.lists.persons(query="zhangw", limit=100)),
            "search_tail4_ms": fresh(lambda: store.lists.persons(query="1234", limit=100)),
            "search_surname_ms": fresh(lambda: store.lists.persons(query="王", limit=100)),
            "search_address_ms": fresh(lambda: store.lists.persons(query="清波门小区3幢", limit=100)),
            "search_address_broad_ms": fresh(lambda: store.lists.persons(query="清波门", limit=100)),
        }
        for name, fn in checks.items():
            median, p95 = _timed(fn)
            figures[name] = round(median, 2)
            figures[name.replace("_ms", "_p95_ms")] = round(p95, 2)
        figures["search_zw_total"] = store.lists.persons(query="zw", limit=1).total
        figures["db_mb"] = round(sum(p.stat().st_size for p in (Path(tmp) / "p").glob("store.db*")) / 2**20, 1)
        store.close()
    return figures
