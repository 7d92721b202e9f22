"""``GET /metrics``: Prometheus' text format, parsed strictly; requests, latency, sync volume and the
review backlog move when workers sync; refused through the proxy."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa

from sync.server import tables as t
from sync.server.db import make_engine
from tests.server.conftest import GRIDS, Api, Pool, submission, update
from tests.server.live import LiveServer

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
SAMPLE = re.compile(rf"^({NAME})(\{{(.*)\}})? (\S+)$")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')
#: A grid in no area: the extra pending submission shows in no one's review queue.
UNSEEN_GRID = "999999999999999"
KINDS = {"counter", "gauge", "histogram", "summary", "untyped"}

Samples = dict[str, list[tuple[dict[str, str], float]]]


def parse(text: str) -> tuple[dict[str, str], Samples]:
    """Exposition format 0.0.4, strictly: every sample belongs to a family TYPEd before it."""
    assert text.endswith("\n")
    types: dict[str, str] = {}
    samples: Samples = {}
    for line in text.splitlines():
        if line.startswith("# HELP "):
            assert re.match(rf"^# HELP {NAME} .+$", line), line
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in KINDS and name not in types, line
            types[name] = kind
            continue
        assert not line.startswith("#") and line, line
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        name, _, raw_labels, value = m.groups()
        labels: dict[str, str] = {}
        if raw_labels:
            pos = 0
            while pos < len(raw_labels):
                lm = LABEL.match(raw_labels, pos)
                assert lm, f"bad labels in {line!r}"
                labels[lm.group(1)] = lm.group(2)
                pos = lm.end()
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        assert family in types, f"{name} has no TYPE"
        samples.setdefault(name, []).append((labels, float(value)))
    return types, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return sum(v for lab, v in samples.get(name, []) if all(lab.get(k) == x for k, x in labels.items()))


def scrape(live: LiveServer, **headers: str) -> httpx.Response:
    return httpx.get(live.url + "/metrics", headers=headers, timeout=30)


def test_metrics_count_a_workers_pull_and_push_in_the_text_format(live: LiveServer, api: Api, pool: Pool) -> None:
    r = scrape(live)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain; version=0.0.4")
    types, before = parse(r.text)
    assert types["ybt_http_requests_total"] == "counter"
    assert types["ybt_http_request_duration_seconds"] == "histogram"
    assert types["ybt_review_backlog"] == "gauge"

    items = api.pull_all("wg_qbm_1", limit=100)
    person = pool.take(GRIDS[0])
    base = next(i for i in items if i.get("id") == person or i.get("entity_id") == person)
    rev = int(base.get("rev") or base.get("data", {}).get("rev") or 1)
    results = api.submit("wg_qbm_1", submission(update(person, rev, phone="13800000000")))

    _, after = parse(scrape(live).text)
    route = "/api/v1/changes"
    pages = value(after, "ybt_http_requests_total", route=route, status="200") - \
        value(before, "ybt_http_requests_total", route=route, status="200")
    assert pages >= 1
    served = value(after, "ybt_changes_served_total") - value(before, "ybt_changes_served_total")
    assert served >= len(items)
    outcome = str(results[0]["status"])
    assert value(after, "ybt_submissions_received_total", outcome=outcome) - \
        value(before, "ybt_submissions_received_total", outcome=outcome) >= 1
    # the histogram: cumulative buckets ending in +Inf == _count, for the changes route
    buckets = [(lab["le"], v) for lab, v in after["ybt_http_request_duration_seconds_bucket"] if lab["route"] == route]
    counts = [v for _, v in buckets]
    assert counts == sorted(counts) and buckets[-1][0] == "+Inf"
    assert buckets[-1][1] == value(after, "ybt_http_request_duration_seconds_count", route=route)
    assert value(after, "ybt_http_request_duration_seconds_sum", route=route) > 0
    info = after["ybt_build_info"][0][0]
    assert info["version"] and info["schema"]


def test_the_review_backlog_gauge_is_the_pending_submissions(live: LiveServer) -> None:
    engine = make_engine(live.db_url)
    try:
        with engine.begin() as conn:  # one more pending submission, received an hour ago
            conn.execute(sa.insert(t.submissions).values(
                id=str(uuid.uuid4()), author_id="x", grid=UNSEEN_GRID, status="pending", body={}, result={},
                received_at=datetime.now(UTC) - timedelta(hours=1)))
        with engine.connect() as conn:
            pending = conn.execute(sa.select(sa.func.count()).where(t.submissions.c.status == "pending")).scalar()
            head = conn.execute(sa.select(sa.func.max(t.changelog.c.seq))).scalar()
    finally:
        engine.dispose()
    _, samples = parse(scrape(live).text)
    assert value(samples, "ybt_review_backlog") == pending >= 1
    assert value(samples, "ybt_review_oldest_pending_seconds") >= 3600
    assert value(samples, "ybt_change_feed_head") == head


def test_unknown_paths_are_counted_under_one_label_not_one_per_url(live: LiveServer) -> None:
    for n in range(3):
        httpx.get(f"{live.url}/no/such/{n}", timeout=10)
    _, samples = parse(scrape(live).text)
    routes = {lab["route"] for lab, _ in samples["ybt_http_requests_total"]}
    assert "unmatched" in routes and not any(r.startswith("/no/such") for r in routes)


def test_metrics_are_refused_through_the_reverse_proxy(live: LiveServer) -> None:
    r = scrape(live, **{"X-Forwarded-For": "203.0.113.9"})
    assert r.status_code == 403
    body: dict[str, Any] = r.json()
    assert body["code"] == "forbidden" and body["message"] and body["details"]["message_en"]


def test_metrics_is_in_the_openapi_document(live: LiveServer) -> None:
    doc = httpx.get(live.url + "/openapi.json", timeout=30).json()
    op = doc["paths"]["/metrics"]["get"]
    assert "403" in op["responses"] and "text/plain" in op["responses"]["200"]["content"]
