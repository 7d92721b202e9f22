"""Benchmark: N simulated workers syncing at once against the real server on loopback.

``python -m tests.bench server [--n WORKERS]`` (default 200 workers, 20 s). Each worker logs in (before
the clock starts) and makes its first full sync, then loops: pull its changes, push one submission
editing one of its persons, pull again, pause 5-15 s (YBT_BENCH_THINK, mean 10 s: a worker in the field
syncs every few minutes, so this is a heavy day compressed; YBT_BENCH_THINK=2 finds the saturation). The server runs in its own process (one
uvicorn process, the production code path; cheap Argon2 parameters so that 200 logins do not dominate
the set-up). Figures: requests, throughput, p50/p99 latency per request kind, errors. Runs on SQLite,
and on PostgreSQL too when YBT_TEST_PG_URL is set (a fresh database is created and dropped).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

import httpx

from tests.server.live import PG_ENV, free_port, fresh_database

DURATION = float(os.environ.get("YBT_BENCH_SECONDS", "20"))
#: Mean pause between two sync sessions of one worker (seconds); real workers sync far less often.
THINK = float(os.environ.get("YBT_BENCH_THINK", "10"))
#: Server processes (uvicorn workers) sharing a PostgreSQL database, as ``ybt server run --workers``.
PROCESSES = int(os.environ.get("YBT_BENCH_PROCESSES", "1"))
PERSONS_PER_WORKER = 25
PASSWORD = "bench-pass-1"


def _seed(url: str, workers: int) -> list[str]:
    from forms.synth import generate
    from sync.server import repo_entities, repo_users
    from sync.server.bootstrap import init_database
    from sync.server.db import Database, make_engine
    from sync.server.security import hash_password, make_hasher

    engine = make_engine(url)
    init_database(engine)
    db = Database(engine)
    hasher = make_hasher(fast=True)
    digest = hash_password(PASSWORD, hasher)
    communities = max(1, (workers + 19) // 20)
    grids = [f"330102001{c + 1:03d}{g + 1:03d}" for c in range(communities) for g in range(20)][:workers]
    with db.write() as w:
        repo_users.insert_area(w, "330102", "上城区", "district", None)
        repo_users.insert_area(w, "330102001", "清波街道", "street", "330102")
        for c in range(communities):
            repo_users.insert_area(w, f"330102001{c + 1:03d}", f"第{c + 1}社区", "community", "330102001")
        for i, grid in enumerate(grids):
            repo_users.insert_area(w, grid, f"网格{i + 1}", "grid", grid[:12])
            repo_users.create_user(w, f"w{i:03d}", f"网格员{i}", "worker", digest, [grid])
    records = generate(workers * PERSONS_PER_WORKER, seed=99, grids=grids)
    for r in records:
        r.setdefault("template", r["kind"])
        r.setdefault("template_version", "2026.1")
    with db.write() as w:
        repo_entities.insert_new(w, records, {})
    engine.dispose()
    return grids


def _bench_app() -> Any:
    """App factory for several server processes (the URL comes through the environment)."""
    from sync.server.app import DB_URL_ENV, create_app
    from sync.server.config import ServerConfig

    return create_app(ServerConfig(db_url=os.environ[DB_URL_ENV], fast_password_hash=True))


def _serve(url: str, port: int, processes: int = 1) -> None:
    """Entry point of the server process."""
    import uvicorn

    from sync.server.app import DB_URL_ENV

    os.environ[DB_URL_ENV] = url
    if processes == 1:
        uvicorn.run(_bench_app(), host="127.0.0.1", port=port, log_level="warning", access_log=False, backlog=2048)
    else:
        uvicorn.run("tests.bench.server:_bench_app", factory=True, workers=processes, host="127.0.0.1", port=port,
                    log_level="warning", access_log=False, backlog=2048)


class Stats:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def add(self, kind: str, seconds: float) -> None:
        self.latency.setdefault(kind, []).append(seconds)


async def _request(client: httpx.AsyncClient, stats: Stats, kind: str, method: str, path: str,
                   **kw: Any) -> dict[str, Any] | None:
    t0 = time.perf_counter()
    try:
        r = await client.request(method, path, **kw)
    except httpx.HTTPError as exc:
        stats.errors.append(f"{kind}: {type(exc).__name__}")
        return None
    stats.add(kind, time.perf_counter() - t0)
    if r.status_code != 200:
        stats.errors.append(f"{kind}: HTTP {r.status_code} {r.text[:100]}")
        return None
    body: dict[str, Any] = r.json()
    return body


class Sim:
    """One simulated worker: its token, its sync cursor and the revisions of its persons."""

    def __init__(self, index: int, token: str) -> None:
        self.index = index
        self.headers = {"Authorization": f"Bearer {token}"}
        self.cursor: str | None = None
        self.mine: dict[str, int] = {}

    async def pull(self, client: httpx.AsyncClient, stats: Stats, kind: str = "pull") -> None:
        while True:
            params: dict[str, Any] = {"limit": 500}
            if self.cursor:
                params["since"] = self.cursor
            body = await _request(client, stats, kind, "GET", "/changes", params=params, headers=self.headers)
            if body is None:
                return
            for item in body["items"]:
                if item["type"] == "entity" and item["data"] and item["data"]["kind"] == "person":
                    self.mine[item["id"]] = item["data"]["rev"]
            self.cursor = body["next_cursor"]
            if not body["has_more"]:
                return


async def _worker(sim: Sim, client: httpx.AsyncClient, stats: Stats, stop_at: float) -> None:
    rng = random.Random(sim.index)
    index, headers, mine = sim.index, sim.headers, sim.mine

    async def pull() -> None:
        await sim.pull(client, stats)

    await asyncio.sleep(rng.random() * THINK)  # spread the start
    while time.perf_counter() < stop_at:
        await pull()
        if mine:
            eid = rng.choice(sorted(mine))
            phone = f"139{rng.randrange(10**8):08d}"
            sub = {"id": str(uuid.uuid4()), "device_id": f"bench-{index}", "patches": [
                {"entity_id": eid, "kind": "person", "op": "update", "base_rev": mine[eid], "set": {"phone": phone}}]}
            body = await _request(client, stats, "push", "POST", "/submissions", json={"submissions": [sub]},
                                  headers=headers)
            if body is not None:
                outcome = body["results"][0]["outcome"]
                if outcome != "accepted":
                    stats.errors.append(f"push: {outcome} {body['results'][0]}"[:200])
        await pull()
        await asyncio.sleep(THINK * (0.5 + rng.random()))


async def _login_all(base: str, workers: int) -> list[str]:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        sem = asyncio.Semaphore(8)

        async def one(i: int) -> str:
            async with sem:
                r = await client.post("/auth/login", json={"username": f"w{i:03d}", "password": PASSWORD,
                                                           "device_id": f"bench-{i}"})
                r.raise_for_status()
                return str(r.json()["access_token"])

        return list(await asyncio.gather(*(one(i) for i in range(workers))))


async def _load(base: str, workers: int, duration: float) -> tuple[Stats, Stats, float]:
    tokens = await _login_all(base, workers)
    sims = [Sim(i, token) for i, token in enumerate(tokens)]
    stats, initial = Stats(), Stats()
    limits = httpx.Limits(max_connections=workers + 10, max_keepalive_connections=workers + 10)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        # the first (full) sync of every device, eight at a time, before the clock starts
        sem = asyncio.Semaphore(8)

        async def first(sim: Sim) -> None:
            async with sem:
                await sim.pull(client, initial, "initial")

        await asyncio.gather(*(first(sim) for sim in sims))
        t0 = time.perf_counter()
        stop_at = t0 + duration
        await asyncio.gather(*(_worker(sim, client, stats, stop_at) for sim in sims))
        elapsed = time.perf_counter() - t0
    return stats, initial, elapsed


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def _run_backend(backend: str, workers: int, tmp: str) -> dict[str, float | int | str]:
    with fresh_database(backend, tmp) as url:
        t0 = time.perf_counter()
        _seed(url, workers)
        seed_s = time.perf_counter() - t0
        port = free_port()
        processes = PROCESSES if backend == "postgres" else 1  # several processes: PostgreSQL only
        code = f"from tests.bench.server import _serve; _serve({url!r}, {port}, {processes})"
        proc = subprocess.Popen([sys.executable, "-c", code])
        try:
            base = f"http://127.0.0.1:{port}/api/v1"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the benchmark server did not start")
                time.sleep(0.2)
            stats, initial, elapsed = asyncio.run(_load(base, workers, DURATION))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    every = [v for values in stats.latency.values() for v in values]
    out: dict[str, float | int | str] = {
        f"{backend}_seed_s": round(seed_s, 2),
        f"{backend}_requests": len(every),
        f"{backend}_requests_per_s": round(len(every) / elapsed, 1),
        f"{backend}_p50_ms": round(_quantile(every, 0.50) * 1000, 1),
        f"{backend}_p99_ms": round(_quantile(every, 0.99) * 1000, 1),
        f"{backend}_max_ms": round(max(every, default=0.0) * 1000, 1),
        f"{backend}_errors": len(stats.errors),
    }
    for kind in ("pull", "push"):
        values = stats.latency.get(kind, [])
        out[f"{backend}_{kind}_p50_ms"] = round(_quantile(values, 0.50) * 1000, 1)
        out[f"{backend}_{kind}_p99_ms"] = round(_quantile(values, 0.99) * 1000, 1)
    first = initial.latency.get("initial", [])
    out[f"{backend}_initial_sync_p50_ms"] = round(_quantile(first, 0.50) * 1000, 1)
    out[f"{backend}_initial_sync_errors"] = len(initial.errors)
    if stats.errors:
        out[f"{backend}_first_error"] = stats.errors[0][:160]
    return out


def run(n: int | None = None) -> dict[str, float | int | str]:
    workers = n or 200
    figures: dict[str, float | int | str] = {"workers": workers, "duration_s": DURATION, "think_s": THINK,
                                             "server_processes": PROCESSES}
    backends = ["sqlite"] + (["postgres"] if os.environ.get(PG_ENV) else [])
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            figures.update(_run_backend(backend, workers, tmp))
    return figures
