"""Audit-log benchmark: pages of ``GET /audit`` over a SQLite platform holding N entries.

``python -m tests.bench audit [--n N] [--json]`` (default N = 10,000,000). Builds a platform database
(schema and a small demo district), fills ``audit_log`` with N entries straight in SQLite (one
``INSERT … SELECT`` from a recursive CTE, the indexes built afterwards): 3,200 actors, 16 actions of
which ``export`` is one entry in 1,000, 1,000,000 entities (10 entries each), 90% of the entries in the
demo street (the admin's scope), 10% in another street, half uploaded by devices (with a client key,
made up to three days before they arrived, so time and id orders differ; times in microseconds, as
the platform and the devices write them).
Then it starts the real server on loopback and times pages of 100 through HTTP as the street's admin
(median and p95 of 15 calls each):

- ``first_page_ms`` the newest page; ``deep_page_ms`` a page in the middle of the log (``before`` = N/2)
  and ``oldest_page_ms`` one at its start (``before`` = 1,001);
- ``who_page_ms`` / ``who_deep_page_ms`` filtered by one actor (N/3,200 entries); ``action_page_ms``
  by a common action, ``rare_action_page_ms`` by ``export``; ``entity_page_ms`` by one entity;
  ``since_page_ms`` the last day, ``month_page_ms`` a month in the middle (since and until),
  ``who_month_page_ms`` one actor in that month; ``other_street_page_ms`` another street's admin (10% in scope);
- the floors, measured in the same run: ``floor_sqlite_page_ms`` the same newest page read by raw
  sqlite3 from the primary key (the least a page can cost), ``floor_http_ms`` ``GET /health`` over the
  same connection; ``fill_s`` seconds to fill and index; ``load_avg_1m`` while measuring.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

import httpx

from sync.server.config import ServerConfig
from tests.server.live import prepare, start

ACTIONS = ("login", "reveal", "edit", "submit", "visit", "unlock", "lock", "logout", "create", "review_decision",
           "login_failed", "set_state", "user_update", "template_publish", "grid_reassign")
PAGE = 100
PASSWORD = "demo1234"


def _fill(path: str, n: int) -> float:
    """N entries into ``audit_log`` (emptied first); returns seconds spent."""
    started = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    conn.execute("PRAGMA temp_store=MEMORY")
    ddl = {name: sql for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log' AND sql IS NOT NULL")}
    for name in ddl:
        conn.execute(f"DROP INDEX {name}")
    conn.execute("DELETE FROM audit_log")
    cases = " ".join(f"WHEN {i} THEN '{a}'" for i, a in enumerate(ACTIONS))
    conn.execute(f"""
        WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {n})
        INSERT INTO audit_log (id, at, actor_id, actor_name, action, entity_id, target, detail, origin, device_id,
                               client_key, ip, area)
        SELECT i,
               strftime('%Y-%m-%d %H:%M:%S', 1767225600 + i - CASE WHEN i % 2 = 0 THEN (i * 7919) % 259200 ELSE 0 END,
                        'unixepoch') || printf('.%06d', (i * 37) % 1000000),
               NULL,
               'wg_' || (i % 3200),
               CASE WHEN i % 1000 = 0 THEN 'export' ELSE CASE (i * 7) % {len(ACTIONS)} {cases} END END,
               'e' || (i % 1000000),
               NULL,
               CASE WHEN i % 7 = 0 THEN '{{"reason": "入户核对", "field": "id_number"}}' ELSE '{{}}' END,
               CASE WHEN i % 2 = 0 THEN 'device' ELSE 'platform' END,
               CASE WHEN i % 2 = 0 THEN 'dev-' || (i % 3200) ELSE NULL END,
               CASE WHEN i % 2 = 0 THEN 'dev-' || (i % 3200) || ':log:' || i ELSE NULL END,
               CASE WHEN i % 2 = 0 THEN NULL ELSE '10.0.' || (i % 250) || '.' || (i % 200) END,
               CASE WHEN i % 10 = 9 THEN '330102002001001'
                    ELSE '330102001' || printf('%03d', 1 + i % 2) || printf('%03d', 1 + (i / 2) % 2) END
        FROM seq
    """)
    conn.commit()
    for sql in ddl.values():
        conn.execute(sql)
    conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    return time.perf_counter() - started


def _timed(fn: Callable[[], Any], repeat: int = 15) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def _second_street(url: str) -> None:
    from sync.server import repo_users
    from sync.server.db import Database, make_engine
    from sync.server.security import hash_password, make_hasher

    db = Database(make_engine(url))
    with db.write() as w:
        repo_users.insert_area(w, "330102002", "紫阳街道", "street", "330102")
        repo_users.create_user(w, "admin2", "紫阳街道数据办", "admin", hash_password(PASSWORD, make_hasher(fast=True)),
                               ["330102002"])
    db.dispose()


def run(n: int | None = None) -> dict[str, float | int | str]:
    n = n or 10_000_000
    figures: dict[str, float | int | str] = {"entries": n}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "platform.db")
        url = f"sqlite:///{path}"
        prepare(url, demo_persons=20, password=PASSWORD)
        _second_street(url)
        figures["fill_s"] = round(_fill(path, n), 1)
        server = start(ServerConfig(db_url=url, fast_password_hash=True))
        try:
            http = httpx.Client(base_url=server.api, timeout=120)
            tokens = {}
            for user in ("admin", "admin2"):
                r = http.post("/auth/login", json={"username": user, "password": PASSWORD, "device_id": "bench"})
                r.raise_for_status()
                tokens[user] = {"Authorization": f"Bearer {r.json()['access_token']}"}

            def page(user: str = "admin", **params: Any) -> Callable[[], Any]:
                def call() -> Any:
                    r = http.get("/audit", params={"limit": PAGE, **params}, headers=tokens[user])
                    r.raise_for_status()
                    body = r.json()
                    assert len(body["items"]) == PAGE or body["next_before"] is None, body
                    return body
                return call

            raw = sqlite3.connect(path)
            last = raw.execute("SELECT max(id) FROM audit_log").fetchone()[0]
            figures["floor_sqlite_page_ms"] = round(_timed(lambda: raw.execute(
                "SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?", (last + 1, PAGE)).fetchall())[0], 3)
            raw.close()
            figures["floor_http_ms"] = round(_timed(lambda: http.get("/health").raise_for_status())[0], 3)
            since = time.strftime("%Y-%m-%d", time.gmtime(1767225600 + n - 86400 + 8 * 3600))
            middle = 1767225600 + n // 2
            month = (time.strftime("%Y-%m-%d", time.gmtime(middle - 15 * 86400)),
                     time.strftime("%Y-%m-%d", time.gmtime(middle + 15 * 86400)))
            cases: dict[str, Callable[[], Any]] = {
                "first_page": page(),
                "deep_page": page(before=n // 2),
                "oldest_page": page(before=1001),
                "who_page": page(who="wg_17"),
                "who_deep_page": page(who="wg_17", before=n // 2),
                "action_page": page(action="reveal"),
                "rare_action_page": page(action="export"),
                "entity_page": page(entity_id="e4242"),
                "since_page": page(since=since),
                "month_page": page(since=month[0], until=month[1]),
                "who_month_page": page(who="wg_17", since=month[0], until=month[1]),
                "other_street_page": page("admin2"),
            }
            load = os.getloadavg()[0]
            for name, call in cases.items():
                median, p95 = _timed(call)
                figures[f"{name}_ms"] = round(median, 2)
                figures[f"{name}_p95_ms"] = round(p95, 2)
            figures["load_avg_1m"] = round(max(load, os.getloadavg()[0]), 2)
            figures["all_pages_within_100ms"] = str(all(
                v <= 100 for k, v in figures.items() if k.endswith("_page_ms") and isinstance(v, float)))
            http.close()
        finally:
            server.stop()
    return figures
