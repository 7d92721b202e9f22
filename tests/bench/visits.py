"""Visit benchmark: the due list of a worker's store, recording a visit, beside the SQLite floor.

``python -m tests.bench visits [--n N]`` (default N = 3,000 persons, a worker's grids; about 1,200
houses). Builds an encrypted store from synthetic pages, a tag catalogue with visit intervals
(独居老人 7, 空巢老人 14, 高龄老人 30), tags in force on a tenth of the persons, and a visit for six
houses in ten (results and days mixed over two cycles), then times:

- ``due_first_page_ms``: ``store.visits.due(limit=100)``, the whole plan of every person and house
  (median and p95 over repeated calls, each as after a change); ``due_next_page_ms`` the next page
  (the sorted list is kept until the store changes); ``due_tag_ms`` filtered by 独居老人; ``due_count_ms``;
- ``record_visit_ms``: one ``store.visits.record`` (a transaction with the summary columns);
- the floor: ``floor_insert_ms``, the same number of entity rows inserted into a plain SQLite table
  in one transaction, and ``floor_scan_ms``, reading them all back sorted (the least a due list over
  every row can cost); ``load_avg_1m`` the machine's load while measuring.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sync.store import KdfParams, Store
from tests.bench.store_data import item, population

PAGE = 1000
INTERVALS = {"独居老人": 7, "空巢老人": 14, "高龄老人": 30}


def _timed(fn: Callable[[], Any], repeat: int = 15) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def _floor(rows: list[dict[str, Any]], path: Path) -> tuple[float, float]:
    """Milliseconds to insert the rows into plain SQLite (one transaction) and to read them back sorted."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE e (id TEXT PRIMARY KEY, kind TEXT, grid TEXT, house_id TEXT, data TEXT, tags TEXT)")
    started = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO e VALUES (?,?,?,?,?,?)", [
            (r["id"], r["kind"], r["grid"], r["house_id"], json.dumps(r["data"], ensure_ascii=False),
             json.dumps(r["tags"], ensure_ascii=False)) for r in rows])
    insert_ms = (time.perf_counter() - started) * 1000
    scan_ms, _ = _timed(lambda: conn.execute("SELECT id, kind, grid, house_id, tags FROM e ORDER BY grid, id").fetchall())
    conn.close()
    return insert_ms, scan_ms


def run(n: int | None = None) -> dict[str, float | int | str]:
    n = n or 3000
    rng = random.Random(11)
    ents = population(n)
    persons = [e for e in ents if e["kind"] == "person"]
    houses = [e for e in ents if e["kind"] == "house"]
    today = date.today()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.create(Path(tmp) / "p", "bench-password", {"username": "bench"},
                             kdf=KdfParams(time_cost=1, memory_cost=8192, parallelism=1))
        pages = [[item(e, i + j) for j, e in enumerate(ents[i:i + PAGE])] for i in range(0, len(ents), PAGE)]
        for i, page in enumerate(pages):
            store.pull.apply_changes(page, f"{i}", has_more=i < len(pages) - 1)
        store.pull.apply_changes([{"seq": 0, "type": "tag_catalogue", "id": "person@1@330102", "deleted": False,
                                   "data": {"form_id": "person", "version": "1", "entity": "person", "tags": [
                                       {"id": t, "label": t, "scope": "person", "kind": "auto", "sensitive": [],
                                        "visit_every": d} for t, d in INTERVALS.items()]}}], "cat")
        tagged = rng.sample(persons, max(1, n // 10))
        store.validation.set_many((p["id"], {"errors": 0, "warnings": 0, "tags": ["老年人", rng.choice(list(INTERVALS))]})
                                  for p in tagged)
        visited = rng.sample(houses, int(len(houses) * 0.6))
        record_samples = []
        for h in visited:
            day = today - timedelta(days=rng.randrange(0, 150))
            t = time.perf_counter()
            store.visits.record(h["id"], day, rng.choice(("已核实", "已核实", "有变更", "无人在家")))
            record_samples.append((time.perf_counter() - t) * 1000)
        figures: dict[str, float | int | str] = {
            "persons": len(persons), "houses": len(houses), "visits": len(visited), "tagged_persons": len(tagged),
            "due_rows": store.visits.due_count(),
        }
        def fresh(fn: Callable[[], Any]) -> Callable[[], Any]:
            """As after a change to the store: without the sorted list kept for the next page."""
            def call() -> Any:
                store.visits._due._cache.clear()
                return fn()
            return call

        for name, fn in {
            "due_first_page_ms": fresh(lambda: store.visits.due(limit=100)),
            "due_next_page_ms": lambda: store.visits.due(limit=100, offset=100),
            "due_tag_ms": fresh(lambda: store.visits.due(tag="独居老人", limit=100)),
            "due_count_ms": fresh(lambda: store.visits.due_count()),
        }.items():
            median, p95 = _timed(fn)
            figures[name] = round(median, 2)
            figures[name.replace("_ms", "_p95_ms")] = round(p95, 2)
        record_samples.sort()
        figures["record_visit_ms"] = round(statistics.median(record_samples), 2)
        figures["record_visit_p95_ms"] = round(record_samples[int(len(record_samples) * 0.95) - 1], 2)
        insert_ms, scan_ms = _floor(persons + houses, Path(tmp) / "floor.db")
        figures["floor_insert_ms"] = round(insert_ms, 2)
        figures["floor_scan_ms"] = round(scan_ms, 2)
        figures["due_vs_floor_insert"] = round(float(figures["due_first_page_ms"]) / insert_ms, 2)
        figures["load_avg_1m"] = round(os.getloadavg()[0], 2)
        store.close()
    return figures
