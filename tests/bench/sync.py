"""Sync benchmark: pull into an empty store, push edited persons, a sync with no changes, the floor.

``python -m tests.bench sync [--n N]`` (default N = 100,000 entities). A real platform server (its
own process, SQLite database) is seeded straight through its repository layer with N entities
(``forms.synth``: valid houses, households, persons) in the two grids of one community, synced by
that community's supervisor, through ``SyncEngine`` and ``ApiClient`` over loopback HTTP:

- ``pull_entities_per_s``: the first sync of an empty encrypted store (pages of 1,000);
- ``push_submissions_per_s``: N/10 persons (10,000 by default) edited and submitted one submission
  each, pushed in batches of 200 (the push phase only; answers stored in the outbox). A supervisor's
  submissions are applied at once (merge, validation, history), the heaviest path of the server;
  ``push_round_trip_s`` / ``push_server_submissions_per_s``: the part of it spent in the HTTP round
  trips (server and transfer), the rest being the client's store (outbox, answers);
- ``nochange_sync_ms``: median of a complete sync (push + pull) when nothing changed;
- ``floor_entities_per_s``: the same entity rows inserted straight into a plain SQLite table in one
  transaction, and ``pull_vs_floor`` the ratio of the two rates.
Targets: pull >= 5,000 entities/s, push >= 1,000 submissions/s, no-change sync <= 200 ms.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from forms.synth import generate
from sync.client.engine import SyncEngine, SyncProgress
from sync.client.http import ApiClient
from sync.client.tokens import MemoryTokens
from sync.server import repo_entities
from sync.server import tables as t
from sync.server.db import Database, make_engine
from sync.store import KdfParams, Store
from tests.server.live import prepare
from tests.sync.support import PASSWORD, ServerProcess

USER = "sup_qbm"  # a supervisor's laptop holds its community: up to about 100,000 persons
GRIDS = ["330102001001001", "330102001001002"]  # the two grids of community 330102001001
ENTITIES_PER_PERSON = 1.86  # forms.synth: about 0.4 house and 0.45 household per person


def _seed(db_url: str, n: int) -> int:
    prepare(db_url, demo_persons=1, password=PASSWORD)
    records = generate(max(1, round(n / ENTITIES_PER_PERSON)), seed=11, grids=GRIDS, today=date(2026, 11, 1))
    engine = make_engine(db_url)
    db = Database(engine)
    for i in range(0, len(records), 20_000):
        with db.write() as w:
            repo_entities.insert_new(w, records[i:i + 20_000], {})
    with db.read() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(t.entities)
                             .where(t.entities.c.grid.in_(GRIDS))).scalar_one()
    engine.dispose()
    return int(total)


def _note(text: str) -> None:
    print(f"[sync bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _floor(rows: list[dict[str, Any]], path: Path) -> float:
    """Seconds to insert the same entities straight into SQLite (one table, one transaction)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE e (id TEXT PRIMARY KEY, kind TEXT, grid TEXT, house_id TEXT, household_id TEXT, "
                 "rev INTEGER, state TEXT, data TEXT, tags TEXT)")
    started = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO e VALUES (?,?,?,?,?,?,?,?,?)", [
            (r["id"], r["kind"], r["grid"], r["house_id"], r["household_id"], r["rev"], r["state"],
             json.dumps(r["data"], ensure_ascii=False), json.dumps(r["tags"], ensure_ascii=False))
            for r in rows])
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def run(n: int | None = None) -> dict[str, float | int | str]:
    n = n or 100_000
    pushes = max(1, n // 10)
    with tempfile.TemporaryDirectory(prefix="ybt-sync-bench-") as tmp:
        db_url = f"sqlite:///{tmp}/server.db"
        _note(f"seeding {n} entities")
        seeded = _seed(db_url, n)
        server = ServerProcess(db_url).start()
        try:
            api = ApiClient(server.url, device_id="bench", tokens=MemoryTokens(), username=USER, timeout=(5, 300))
            user = api.login(USER, PASSWORD)
            store = Store.create(Path(tmp) / "profile", PASSWORD, {**user, "username": USER},
                                 kdf=KdfParams(time_cost=1, memory_cost=8192, parallelism=1))
            engine = SyncEngine(store, api, pull_page=1000, push_batch=200)

            _note("pulling")
            cpu0 = time.process_time()
            pull = engine.run()
            pull_cpu = time.process_time() - cpu0
            if not pull.ok:
                raise RuntimeError(f"pull failed: {pull.errors}")
            counts = store.lists.counts()
            entities = counts["person"] + counts["house"] + counts["household"]
            if entities != seeded:
                raise RuntimeError(f"pulled {entities} entities, the server holds {seeded}")

            nochange = []
            for _ in range(7):
                nochange.append(engine.run().seconds * 1000)

            _note(f"editing and submitting {pushes} persons")
            persons = store.lists.persons(limit=pushes).rows
            for i, p in enumerate(persons):
                ent = store.entities.get(p["id"])
                store.edits.save_draft(p["id"], {**ent["data"], "employer": f"单位{i % 97}"})
                store.outbox.submit([p["id"]])
            marks: dict[str, float] = {}

            def clock(step: SyncProgress) -> None:
                if step.phase == "push":
                    marks.setdefault("push_start", time.perf_counter())
                    marks["push_end"] = time.perf_counter()

            _note("pushing")
            waiting = _time_pushes(api)
            started = time.perf_counter()
            cpu0 = time.process_time()
            push = engine.run(clock)
            push_cpu = time.process_time() - cpu0
            if not push.ok:
                raise RuntimeError(f"push failed: {push.errors}")
            push_s = marks.get("push_end", time.perf_counter()) - started

            floor_s = _floor(_all_entities(store), Path(tmp) / "floor.db")
            store.close()
        finally:
            server.kill()
    pull_rate = entities / pull.seconds
    floor_rate = entities / floor_s
    return {
        "entities": entities,
        "pull_seconds": round(pull.seconds, 2),
        "pull_entities_per_s": round(pull_rate),
        "pull_pages": pull.pages,
        # CPU seconds of the client process alone (the server runs in its own process)
        "pull_client_cpu_s": round(pull_cpu, 2),
        "pull_entities_per_client_cpu_s": round(entities / pull_cpu),
        "push_submissions": push.sent,
        "push_accepted": push.accepted,
        "push_rejected": push.rejected,
        "push_seconds": round(push_s, 2),
        "push_submissions_per_s": round(push.sent / push_s),
        # wall time of the POST /submissions round trips alone (server work, JSON, loopback), and the
        # rate the server sustains within them; the rest of push_seconds is the client's store
        "push_round_trip_s": round(waiting[0], 2),
        "push_server_submissions_per_s": round(push.sent / waiting[0]) if waiting[0] else 0,
        "push_and_pull_back_client_cpu_s": round(push_cpu, 2),
        "nochange_sync_ms": round(statistics.median(nochange), 1),
        "floor_entities_per_s": round(floor_rate),
        "pull_vs_floor": round(floor_rate / pull_rate, 1),
    }


def _time_pushes(api: ApiClient) -> list[float]:
    """Accumulate the wall time of ``api.push`` calls into the returned one-element list."""
    waiting = [0.0]
    real_push = api.push

    def timed(submissions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        begun = time.perf_counter()
        try:
            return real_push(submissions)
        finally:
            waiting[0] += time.perf_counter() - begun

    api.push = timed  # type: ignore[method-assign]
    return waiting


def _all_entities(store: Any) -> list[dict[str, Any]]:
    """Every entity of the store in the wire format (what the pull wrote)."""
    out = []
    for kind in ("person", "house", "household"):
        ids = [r[0] for r in store.conn.execute("SELECT id FROM entities WHERE kind = ?", (kind,)).fetchall()]
        out += [store.entities.get(i) for i in ids]
    return out
