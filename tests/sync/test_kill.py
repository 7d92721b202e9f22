"""The client process killed with SIGKILL at random moments of a sync, 30 times over: after each
restart the worker's store and the platform agree — no duplicate, no lost edit, no stuck outbox."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sync.client.engine import SyncEngine
from sync.server import tables as t
from sync.server.db import make_engine
from sync.store import Store
from tests.server.live import fresh_database, prepare
from tests.sync.conftest import BACKENDS
from tests.sync.support import (
    GRID1,
    PASSWORD,
    ROOT,
    ServerProcess,
    client,
    new_id,
    new_store,
    server_entities,
)

RUNS = 30
pytestmark = pytest.mark.slow


@pytest.fixture(params=BACKENDS)
def big_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    with fresh_database(request.param, str(tmp_path)) as url:
        prepare(url, demo_persons=400, password=PASSWORD)
        proc = ServerProcess(url).start()
        yield proc
        proc.kill()


def sync_process(url: str, profile: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "YBT_PASSWORD": PASSWORD, "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}   # never the developer's keyring
    return subprocess.Popen(
        [sys.executable, "-m", "sync.client", "sync", "--server", url, "--user", "wg_qbm_1",
         "--profile", str(profile), "--batch", "1", "--page", "15", "--retries", "2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def run_and_kill(url: str, profile: Path, rng: random.Random) -> tuple[str, str]:
    """Start ``ybt sync`` and SIGKILL it at a random moment: ("killed" | "finished", phase reached).

    The moment is drawn within a phase chosen at random — start-up (unlock, login), push or pull —
    a few milliseconds after the process reports that phase, so the kills land in every phase however
    fast the sync has become.
    """
    proc = sync_process(url, profile)
    seen = {"push": threading.Event(), "pull": threading.Event(), "end": threading.Event()}
    lines: list[str] = []

    def watch() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "上传" in line:
                seen["push"].set()
            if "已下载" in line:
                seen["pull"].set()
        for event in seen.values():
            event.set()

    threading.Thread(target=watch, daemon=True).start()
    target = rng.choices(("start", "push", "pull"), weights=(2, 4, 4))[0]
    if target == "start":
        time.sleep(rng.uniform(0.0, 0.8))             # during start-up, unlock or login
    else:
        seen[target].wait(20)
        time.sleep(rng.uniform(0.0, 0.02))            # just after the phase began
    outcome = "finished"
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        outcome = "killed"
    proc.wait(10)
    text = "".join(lines)
    phase = "pull" if "已下载" in text else "push" if "上传" in text else "start"
    return outcome, phase


def history_duplicates(db_url: str) -> int:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            key = (t.history.c.submission_id, t.history.c.entity_id, t.history.c.field)
            rows = conn.execute(sa.select(*key, sa.func.count()).where(t.history.c.submission_id.is_not(None))
                                .group_by(*key).having(sa.func.count() > 1)).all()
            return len(rows)
    finally:
        engine.dispose()


def approve_all(sup: Any) -> None:
    for item in sup.get("/review/queue", {"status": "pending", "limit": 200})["items"]:
        sup.post(f"/review/{item['submission_id']}/decision", {"decision": "approve"})


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(big_server: ServerProcess, tmp_path: Path) -> None:
    rng = random.Random(20261121)
    url = big_server.url
    profile = tmp_path / "worker"
    api = client(url, "wg_qbm_1")
    with new_store(profile, api) as store:
        assert SyncEngine(store, api).run().ok
        persons = sorted(r["id"] for r in store.lists.persons(limit=500).rows)
    assert len(persons) >= 2 * RUNS + 10
    worker_set, sup_set = persons[: 2 * RUNS], persons[2 * RUNS: 2 * RUNS + 10]
    sup = client(url, "sup_qbm")
    expected: dict[str, str] = {}
    submitted: list[str] = []
    outcomes: list[tuple[str, str]] = []
    for run in range(RUNS):
        with Store.open(profile, PASSWORD) as store:
            for pid in worker_set[2 * run: 2 * run + 2]:
                value = f"第{run}轮单位"
                ent = store.entities.get(pid)
                store.edits.save_draft(pid, {**ent["data"], "employer": value})
                submitted.append(store.outbox.submit([pid]))
                expected[pid] = value
        approve_all(sup)
        master = server_entities(big_server.db_url, GRID1)
        sup.push([{"id": new_id(), "device_id": "sup", "patches": [
            {"entity_id": pid, "kind": "person", "op": "update", "base_rev": master[pid]["rev"],
             "set": {"native_place": f"浙江杭州{run}"}}]} for pid in rng.sample(sup_set, 3)])
        outcomes.append(run_and_kill(url, profile, rng))
    killed_in = [phase for outcome, phase in outcomes if outcome == "killed"]
    assert len(killed_in) >= RUNS // 2, outcomes
    assert {"start", "push", "pull"} <= set(killed_in), outcomes     # kills landed in every phase

    # recovery: one complete sync, approvals, and a last sync to bring them back
    with Store.open(profile, PASSWORD) as store:
        final_api = client(url, "wg_qbm_1")
        assert SyncEngine(store, final_api).run().ok
        approve_all(sup)
        summary = SyncEngine(store, final_api).run()
        assert summary.ok and summary.sent == 0, summary.errors
        assert store.outbox.pending(1000) == []
        states = {sid: store.outbox.submission(sid)["state"] for sid in submitted}
        assert set(states.values()) == {"approved"}, states
        master = server_entities(big_server.db_url, GRID1)
        for pid, value in expected.items():
            assert master[pid]["data"]["employer"] == value, pid      # no lost edit
        for eid, row in master.items():                                # store and platform agree
            local = store.entities.get(eid)
            assert local["rev"] == row["rev"] and local["data"] == row["data"] and local["status"] == "synced"
        counts = store.lists.counts()
        assert counts["person"] + counts["house"] + counts["household"] == len(master)
    engine = make_engine(big_server.db_url)
    with engine.connect() as conn:
        on_server = conn.execute(sa.select(sa.func.count()).select_from(t.submissions)
                                 .where(t.submissions.c.id.in_(submitted))).scalar_one()
    engine.dispose()
    assert on_server == len(submitted)                                 # each exactly once
    assert history_duplicates(big_server.db_url) == 0                  # nothing applied twice
