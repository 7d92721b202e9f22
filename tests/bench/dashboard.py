"""Benchmark: the dashboard of a district-scale platform through the real HTTP endpoint on loopback.

``python -m tests.bench dashboard [--n PERSONS] [--json]`` (default 1,000,000 persons; ``--n 100000`` is
quick). Seeds the platform with :mod:`tests.bench.district_seed` (cached under the temp directory by
size and schema revision), starts the server in its own process (the production code path), logs in as
the district admin, a community's supervisor and reads ``GET /dashboard`` for the district, a street, a
community and a grid (median and worst of several reads after one warm-up), and ``GET /stats`` for the
district. Beside them, the floor: a plain ``SELECT count(*) FROM entities`` on the same file, and the
load average (the machine is shared).
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx

from tests.bench.district_seed import ADMIN, DISTRICT, PASSWORD, SUPERVISOR, cached
from tests.server.live import free_port

READS = int(os.environ.get("YBT_BENCH_READS", "5"))
#: The issue's target: the district's dashboard opens in at most a second.
TARGET_MS = 1000.0


def _login(client: httpx.Client, username: str) -> dict[str, str]:
    r = client.post("/auth/login", json={"username": username, "password": PASSWORD, "device_id": "bench"})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _time(client: httpx.Client, path: str, headers: dict[str, str], params: dict[str, Any]) -> tuple[float, float, Any]:
    r = client.get(path, headers=headers, params=params)  # warm-up (first read of the pages)
    r.raise_for_status()
    times = []
    for _ in range(READS):
        t0 = time.perf_counter()
        r = client.get(path, headers=headers, params=params)
        times.append((time.perf_counter() - t0) * 1000)
        r.raise_for_status()
    return statistics.median(times), max(times), r.json()


def _floor(path: str) -> float:
    db = sqlite3.connect(path)
    try:
        db.execute("SELECT count(*) FROM entities").fetchone()
        t0 = time.perf_counter()
        db.execute("SELECT count(*) FROM entities").fetchone()
        return (time.perf_counter() - t0) * 1000
    finally:
        db.close()


def run(n: int | None = None) -> dict[str, float | int | str]:
    persons = n or 1_000_000
    path, seeded = cached(persons)
    url = f"sqlite:///{path}"
    port = free_port()
    code = f"from tests.bench.server import _serve; _serve({url!r}, {port}, 1)"
    proc = subprocess.Popen([sys.executable, "-c", code])
    figures: dict[str, float | int | str] = {"persons": int(seeded["persons"]), "houses": int(seeded["houses"]),
                                             "grids": int(seeded["grids"]), "visits": int(seeded["visits"]),
                                             "submissions": int(seeded["submissions"]),
                                             "seed_s": round(float(seeded["seed_s"]), 1),
                                             "seed_cached": int(seeded["cached"]),
                                             "file_mb": round(float(seeded["file_mb"]))}
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the benchmark server did not start")
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=300) as client:
            admin, supervisor = _login(client, ADMIN), _login(client, SUPERVISOR)
            street, community, grid = DISTRICT + "001", DISTRICT + "001001", DISTRICT + "001001001"
            cases = [("district", admin, {}), ("street", admin, {"area": street}),
                     ("community_supervisor", supervisor, {}), ("grid", admin, {"area": grid})]
            for name, headers, params in cases:
                median, worst, body = _time(client, "/dashboard", headers, params)
                figures[f"dashboard_{name}_ms"] = round(median, 1)
                figures[f"dashboard_{name}_max_ms"] = round(worst, 1)
                figures[f"dashboard_{name}_rows"] = len(body["rows"])
                if name == "district":
                    figures["district_persons_seen"] = int(body["totals"]["persons"])
                    figures["district_stale_workers"] = int(body["stale_total"])
                if name == "community_supervisor":
                    assert body["area"]["code"] == community, body["area"]
            median, worst, _body = _time(client, "/stats", admin, {})
            figures["stats_district_ms"] = round(median, 1)
            figures["stats_district_max_ms"] = round(worst, 1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    figures["floor_count_entities_ms"] = round(_floor(str(path)), 1)
    figures["target_ms"] = TARGET_MS
    figures["district_within_target"] = "yes" if float(figures["dashboard_district_max_ms"]) <= TARGET_MS else "NO"
    with open("/proc/loadavg") as load:
        figures["loadavg"] = " ".join(load.read().split()[:3])
    return figures
