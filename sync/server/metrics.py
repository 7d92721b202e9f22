"""``GET /metrics``: the platform's figures in Prometheus' text exposition format (version 0.0.4).

Counted in this process (each uvicorn process has its own; Prometheus scrapes each process's port,
see installer/server/): requests by method, route template and status; request latency as a
histogram by route; sync volume: submissions received by outcome, visits received, changes served.
Read from the database at each scrape (the same for every process): the review backlog (pending
submissions) and the age of its oldest item, the change feed's head sequence, the schema revision.
Imports and exports run inside their requests, so they appear as requests of their routes; there is
no job queue to report.

Written by hand (a few dozen lines) rather than with prometheus_client, whose multi-process mode needs
a shared directory and cleanup hooks for what one label per process and a scrape per port do here.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.server import tables as t

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: Latency buckets in seconds (a page of /changes is ~0.1 s; a login ~0.3 s with Argon2id).
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNMATCHED = "unmatched"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(pairs: Mapping[str, str]) -> str:
    if not pairs:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs.items()) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


class Metrics:
    """This process's counters and histograms; thread-safe (routes run in a thread pool)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.started = time.time()
        self.requests: dict[tuple[str, str, str], int] = {}
        self.latency: dict[str, list[int]] = {}  # route -> per-bucket counts (non-cumulative) + overflow
        self.latency_sum: dict[str, float] = {}
        self.submissions: dict[str, int] = {}
        self.visits = 0
        self.changes_served = 0

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            key = (method, route, str(status))
            self.requests[key] = self.requests.get(key, 0) + 1
            counts = self.latency.setdefault(route, [0] * (len(BUCKETS) + 1))
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
                    break
            else:
                counts[-1] += 1
            self.latency_sum[route] = self.latency_sum.get(route, 0.0) + seconds

    def submissions_received(self, results: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            for result in results:
                outcome = str(result.get("status") or "unknown")
                self.submissions[outcome] = self.submissions.get(outcome, 0) + 1

    def visits_received(self, n: int) -> None:
        with self._lock:
            self.visits += n

    def served_changes(self, n: int) -> None:
        with self._lock:
            self.changes_served += n

    def render(self, database: Mapping[str, float], info: Mapping[str, str]) -> str:
        """The exposition text: this process's figures plus ``database`` gauges read at the scrape."""
        out: list[str] = []

        def family(name: str, kind: str, help_text: str, samples: Sequence[tuple[str, Mapping[str, str], float]]) -> None:
            out.append(f"# HELP {name} {help_text}")
            out.append(f"# TYPE {name} {kind}")
            for suffix, labels, value in samples:
                out.append(f"{name}{suffix}{_labels(labels)} {_number(value)}")

        with self._lock:
            requests = sorted(self.requests.items())
            latency = {route: list(c) for route, c in sorted(self.latency.items())}
            latency_sum = dict(self.latency_sum)
            submissions = sorted(self.submissions.items())
            visits, changes = self.visits, self.changes_served
        family("ybt_build_info", "gauge", "Version of the platform server, protocol and database schema.",
               [("", dict(info), 1)])
        family("ybt_http_requests_total", "counter", "HTTP requests handled by this process.",
               [("", {"method": m, "route": r, "status": s}, n) for (m, r, s), n in requests])
        hist: list[tuple[str, Mapping[str, str], float]] = []
        for route, counts in latency.items():
            running = 0
            for bound, n in zip(BUCKETS, counts, strict=False):
                running += n
                hist.append(("_bucket", {"route": route, "le": _number(bound)}, running))
            running += counts[-1]
            hist.append(("_bucket", {"route": route, "le": "+Inf"}, running))
            hist.append(("_sum", {"route": route}, latency_sum.get(route, 0.0)))
            hist.append(("_count", {"route": route}, running))
        family("ybt_http_request_duration_seconds", "histogram", "Time to answer a request, by route.", hist)
        family("ybt_submissions_received_total", "counter", "Submissions received by this process, by outcome.",
               [("", {"outcome": o}, n) for o, n in submissions])
        family("ybt_visits_received_total", "counter", "Visits received by this process.", [("", {}, visits)])
        family("ybt_changes_served_total", "counter", "Changes served in /changes pages by this process.",
               [("", {}, changes)])
        family("ybt_review_backlog", "gauge", "Submissions waiting for a supervisor's review.",
               [("", {}, database["review_backlog"])])
        family("ybt_review_oldest_pending_seconds", "gauge", "Age of the oldest submission waiting for review.",
               [("", {}, database["review_oldest_seconds"])])
        family("ybt_change_feed_head", "gauge", "Latest change sequence number of the feed.",
               [("", {}, database["feed_head"])])
        family("ybt_process_start_time_seconds", "gauge", "Start time of this process (Unix time).",
               [("", {"pid": str(os.getpid())}, self.started)])
        rss = resident_bytes()
        if rss is not None:
            family("ybt_process_resident_memory_bytes", "gauge", "Resident memory of this process.",
                   [("", {"pid": str(os.getpid())}, rss)])
        return "\n".join(out) + "\n"


def resident_bytes() -> int | None:
    """This process's resident set size (Linux ``/proc``), or None elsewhere."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def database_gauges(conn: Connection, now: datetime | None = None) -> dict[str, float]:
    """The backlog and the feed's head, read with index-only queries."""
    s = t.submissions
    backlog, oldest = conn.execute(
        sa.select(sa.func.count(), sa.func.min(s.c.received_at)).where(s.c.status == "pending")).one()
    age = 0.0
    if oldest is not None:
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        age = max(0.0, ((now or datetime.now(UTC)) - oldest).total_seconds())
    head = conn.execute(sa.select(sa.func.max(t.changelog.c.seq))).scalar()
    return {"review_backlog": float(backlog or 0), "review_oldest_seconds": age, "feed_head": float(head or 0)}
