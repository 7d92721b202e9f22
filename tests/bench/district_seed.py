"""A district-scale platform for benchmarks: ``seed(path, n_persons)`` builds a SQLite platform of
``n_persons`` persons (default 1,000,000) in ``n_persons / 2.5`` houses with one household each,
over 10 streets x 10 communities x 32 grids (3,200 grids), one worker per grid, one supervisor per
community and a district admin, plus visits in the current cycle (a tenth of the houses, half of them
已核实), a review backlog, returned and rejected submissions and workers' last syncs spread over two weeks.

Written straight into SQLite after ``init_database`` (the schema of the migrations, default templates
and code lists): ordered ids, one transaction, no per-entity validation. The dashboard's maintained
counts are built by :func:`sync.server.counts.rebuild` and ``ANALYZE`` runs at the end, as
``ybt server recount`` does. :func:`cached` keeps the file under the temp directory, keyed by size
and the schema's sources, so that reruns start at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

DISTRICT = "330102"
STREETS, COMMUNITIES, GRIDS = 10, 10, 32
PASSWORD = "bench-pass-1"
ADMIN, SUPERVISOR, WORKER = "dist_admin", "sup_001_001", "w_001_001_001"


def grid_codes() -> list[str]:
    return [f"{DISTRICT}{s:03d}{c:03d}{g:03d}" for s in range(1, STREETS + 1) for c in range(1, COMMUNITIES + 1)
            for g in range(1, GRIDS + 1)]


def _id(kind: int, n: int) -> str:
    return str(uuid.UUID(int=(kind << 96) | n))


def _ts(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(sep=" ")


def seed(path: Path, n_persons: int, *, today: datetime | None = None) -> dict[str, float | int]:
    """Create the platform at ``path`` (which must not exist); returns counts and the seconds taken."""
    from sync.server import counts
    from sync.server.bootstrap import init_database
    from sync.server.db import make_engine
    from sync.server.security import hash_password, make_hasher

    started = time.perf_counter()
    now = today or datetime.now(UTC)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    init_database(engine)
    engine.dispose()
    rng = random.Random(20261206)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-1000000")
    db.execute("BEGIN")
    versions = dict(db.execute("SELECT entity, version FROM templates").fetchall())
    grids = grid_codes()
    stamp = _ts(now)
    areas = [(DISTRICT, "上城区", "district", None)]
    for s in range(1, STREETS + 1):
        street = f"{DISTRICT}{s:03d}"
        areas.append((street, f"第{s}街道", "street", DISTRICT))
        for c in range(1, COMMUNITIES + 1):
            community = f"{street}{c:03d}"
            areas.append((community, f"第{s}街道第{c}社区", "community", street))
            areas += [(f"{community}{g:03d}", f"第{c}社区第{g}网格", "grid", community) for g in range(1, GRIDS + 1)]
    db.executemany("INSERT INTO areas (code, name, level, parent) VALUES (?, ?, ?, ?)", areas)
    digest = hash_password(PASSWORD, make_hasher(fast=True))
    users, assigned, syncs = [], [], []
    users.append((_id(9, 0), ADMIN, "区数据办", "admin", None))
    assigned.append((_id(9, 0), DISTRICT))
    for i, (code, _name, level, _parent) in enumerate(areas):
        if level == "community":
            users.append((_id(8, i), f"sup_{code[6:9]}_{code[9:12]}", f"{code}审核员", "supervisor", None))
            assigned.append((_id(8, i), code))
        elif level == "grid":
            last = None if rng.random() < 0.05 else now - timedelta(hours=rng.uniform(0, 14 * 24))
            users.append((_id(7, i), f"w_{code[6:9]}_{code[9:12]}_{code[12:]}", f"网格员{code[-6:]}", "worker",
                          _ts(last) if last else None))
            assigned.append((_id(7, i), code))
            syncs.append(last)
    db.executemany("INSERT INTO users (id, username, display_name, role, password_hash, active, created_at, "
                   "must_change_password, third_party, last_sync_at) VALUES (?, ?, ?, ?, ?, 1, ?, 0, 0, ?)",
                   [(uid, name, display, role, digest, stamp, last) for uid, name, display, role, last in users])
    db.executemany("INSERT INTO user_areas (user_id, area_code) VALUES (?, ?)", assigned)
    worker_of = {code: uid for uid, code in assigned if len(code) == 15}

    n_houses = max(len(grids), int(n_persons / 2.5))
    entity_rows, version_rows, change_rows, tag_rows = [], [], [], []
    residents: dict[str, list[str]] = {}
    house_grid: list[tuple[str, str]] = []
    seq = int(db.execute("SELECT value FROM seq_counter WHERE id = 1").fetchone()[0])

    def add(eid: str, kind: str, grid: str, house: str | None, household: str | None, data: dict[str, object],
            state: str = "active") -> None:
        nonlocal seq
        seq += 1
        blob = json.dumps(data, ensure_ascii=False)
        entity_rows.append((eid, kind, kind, versions.get(kind, ""), grid, house, household, blob, "[]", state,
                            data.get("id_number"), stamp))
        snapshot = {"id": eid, "kind": kind, "template": kind, "template_version": versions.get(kind, ""),
                    "grid": grid, "house_id": house, "household_id": household, "data": data, "tags": [], "rev": 1,
                    "state": state}
        version_rows.append((eid, json.dumps(snapshot, ensure_ascii=False)))
        change_rows.append(("entity", eid, seq, grid))

    per_house = n_persons / n_houses
    made = 0
    for h in range(n_houses):
        grid = grids[h * len(grids) // n_houses]
        house, household = _id(1, h), _id(2, h)
        add(house, "house", grid, None, None, {"address": f"{grid[-6:]}幢{h % 500}室", "use": "1"})
        add(household, "household", grid, house, None, {"household_no": f"H{h:08d}"})
        house_grid.append((house, grid))
        want = int((h + 1) * per_house) - made
        for _ in range(want):
            pid = _id(3, made)
            state = "active" if rng.random() > 0.03 else rng.choice(("moved_out", "deceased"))
            add(pid, "person", grid, house, household, {"name": f"居民{made}", "sex": rng.choice("12"),
                                                        "id_number": f"330102{1950 + made % 70}{made:08d}"[:18]},
                state)
            if state == "active":
                residents.setdefault(house, []).append(pid)
            if rng.random() < 0.15:
                tag_rows.append((pid, "elderly", grid))
            made += 1
        if len(entity_rows) >= 50_000:
            _flush(db, entity_rows, version_rows, change_rows, tag_rows, stamp)
    _flush(db, entity_rows, version_rows, change_rows, tag_rows, stamp)
    db.execute("UPDATE seq_counter SET value = ? WHERE id = 1", (seq,))

    # visits of the current cycle: a tenth of the houses, half verified
    from forms.visits import cycle_of

    cycle = cycle_of(now.date(), "quarter")
    days = max(1, (min(now.date(), cycle.end) - cycle.start).days + 1)
    visits, seen = [], []
    for i, (house, grid) in enumerate(house_grid[::10]):
        vid = _id(4, i)
        day = (cycle.start + timedelta(days=rng.randrange(days))).isoformat()
        result = "已核实" if i % 2 == 0 else rng.choice(("有变更", "无人在家", "拒访"))
        people = residents.get(house, [])
        visits.append((vid, house, grid, day, result, "", json.dumps(people), worker_of[grid], stamp, "bench"))
        seen += [(vid, p, grid, day, result) for p in people]
    db.executemany("INSERT INTO visits (id, house_id, grid, date, result, note, person_ids, author_id, received_at, "
                   "body_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", visits)
    db.executemany("INSERT INTO visit_persons (visit_id, person_id, grid, date, result) VALUES (?, ?, ?, ?, ?)", seen)

    # submissions: a backlog, returned work, rejected records
    subs, marked = [], []
    for i in range(max(30, n_persons // 400)):
        grid = grids[rng.randrange(len(grids))]
        status = "pending" if i % 10 < 7 else "returned" if i % 10 < 9 else "rejected"
        received = now - timedelta(hours=rng.uniform(0, 24 * 20))
        pid = _id(3, rng.randrange(max(1, made)))
        body = {"id": _id(5, i), "patches": [{"entity_id": pid, "kind": "person", "op": "update", "set": {"phone": None}}]}
        subs.append((_id(5, i), worker_of[grid], grid, status, json.dumps(body), "{}", _ts(received)))
        if status == "rejected":
            marked.append((pid, grid, _id(5, i), 1, _ts(received)))
    db.executemany("INSERT INTO submissions (id, author_id, grid, status, body, result, received_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", subs)
    db.executemany("INSERT OR REPLACE INTO entity_issues (entity_id, grid, submission_id, errors, at) "
                   "VALUES (?, ?, ?, ?, ?)", marked)
    db.execute("COMMIT")
    db.close()
    engine = make_engine(url)
    with engine.begin() as conn:
        counts.rebuild(conn)
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    engine.dispose()
    return {"persons": made, "houses": n_houses, "households": n_houses, "grids": len(grids),
            "visits": len(visits), "submissions": len(subs), "seed_s": time.perf_counter() - started,
            "file_mb": path.stat().st_size / 1e6}


def _flush(db: sqlite3.Connection, entity_rows: list[tuple[object, ...]], version_rows: list[tuple[str, str]],
           change_rows: list[tuple[str, str, int, str]], tag_rows: list[tuple[str, str, str]], stamp: str) -> None:
    db.executemany("INSERT INTO entities (id, kind, template, template_version, grid, house_id, household_id, data, "
                   "tags, rev, state, id_number, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                   entity_rows)
    db.executemany("INSERT INTO entity_versions (entity_id, rev, snapshot) VALUES (?, 1, ?)", version_rows)
    db.executemany("INSERT INTO changelog (type, key, seq, area, deleted) VALUES (?, ?, ?, ?, 0)", change_rows)
    db.executemany("INSERT INTO entity_tags (entity_id, tag, grid) VALUES (?, ?, ?)", tag_rows)
    for rows in (entity_rows, version_rows, change_rows, tag_rows):
        rows.clear()
    del stamp


def cached(n_persons: int) -> tuple[Path, dict[str, float | int]]:
    """The seeded file for ``n_persons`` at the current schema (built once, then reused)."""
    from sync.server import migrate

    folder = Path(os.environ.get("YBT_BENCH_CACHE", tempfile.gettempdir()))
    # the schema as the migrations and this seed make it (a migration edited in place changes it too)
    sources = [*sorted((migrate.MIGRATIONS / "versions").glob("*.py")), Path(__file__)]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:10]
    path = folder / f"ybt-bench-district-{n_persons}-r{migrate.head_revision()}-{digest}.db"
    info = path.with_suffix(".json")
    if path.exists() and info.exists():
        return path, {**json.loads(info.read_text()), "cached": 1}
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    partial = path.with_suffix(".partial.db")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    figures = seed(partial, n_persons)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(path)
    info.write_text(json.dumps(figures))
    return path, {**figures, "cached": 0}
