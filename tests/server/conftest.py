"""Fixtures: the real server on loopback, on SQLite and (when YBT_TEST_PG_URL is set) PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from sync.server import repo_users
from sync.server import tables as t
from sync.server.config import ServerConfig
from sync.server.db import Database, make_engine
from sync.server.security import hash_password, make_hasher
from tests.server.live import PG_ENV, LiveServer, fresh_database, prepare, start

PASSWORD = "demo1234"
GRIDS = ["330102001001001", "330102001001002", "330102001002001", "330102001002002"]
OTHER_GRID = "330102002001001"
#: username -> area roots
USERS = {
    "admin": ["330102001"], "sup_qbm": ["330102001001"], "sup_ldl": ["330102001002"],
    "wg_qbm_1": [GRIDS[0]], "wg_qbm_2": [GRIDS[1]], "wg_ldl_1": [GRIDS[2]], "wg_ldl_2": [GRIDS[3]],
    "admin2": ["330102002"], "wg_other": [OTHER_GRID],
}
ROLES = {"admin": "admin", "admin2": "admin", "sup_qbm": "supervisor", "sup_ldl": "supervisor"}

BACKENDS = [
    "sqlite",
    pytest.param("postgres", marks=[pytest.mark.postgres,
                                    pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set")]),
]


def role_of(username: str) -> str:
    return ROLES.get(username, "worker")


def covers(username: str, grid: str) -> bool:
    return any(grid.startswith(root) for root in USERS[username])


def add_second_street(db: Database) -> None:
    """Another street with its own admin, worker and a few entities (for cross-street checks)."""
    hasher = make_hasher(fast=True)
    with db.write() as w:
        repo_users.insert_area(w, "330102002", "紫阳街道", "street", "330102")
        repo_users.insert_area(w, "330102002001", "紫阳社区", "community", "330102002")
        repo_users.insert_area(w, OTHER_GRID, "紫阳第一网格", "grid", "330102002001")
        repo_users.create_user(w, "admin2", "紫阳街道数据办", "admin", hash_password(PASSWORD, hasher), ["330102002"])
        repo_users.create_user(w, "wg_other", "孙丽", "worker", hash_password(PASSWORD, hasher), [OTHER_GRID])
    from forms.synth import generate
    from sync.server import repo_entities

    records = generate(20, seed=7, grids=[OTHER_GRID])
    for r in records:
        r.setdefault("template", r["kind"])
        r.setdefault("template_version", "2026.1")
    with db.write() as w:
        repo_entities.insert_new(w, records, {})


class Api:
    """An httpx client against the live server, with per-user token cache."""

    def __init__(self, live: LiveServer) -> None:
        self.live = live
        self.http = httpx.Client(base_url=live.api, timeout=60)
        self.tokens: dict[str, str] = {}

    def login(self, username: str, password: str = PASSWORD, device: str = "test") -> httpx.Response:
        return self.http.post("/auth/login", json={"username": username, "password": password, "device_id": device})

    def token(self, username: str) -> str:
        if username not in self.tokens:
            r = self.login(username)
            assert r.status_code == 200, r.text
            self.tokens[username] = r.json()["access_token"]
        return self.tokens[username]

    def headers(self, username: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"} if username else {}

    def get(self, path: str, user: str | None, **kw: Any) -> httpx.Response:
        headers = {**self.headers(user), **kw.pop("headers", {})}
        return self.http.get(path, headers=headers, **kw)

    def post(self, path: str, user: str | None, **kw: Any) -> httpx.Response:
        headers = {**self.headers(user), **kw.pop("headers", {})}
        return self.http.post(path, headers=headers, **kw)

    def patch(self, path: str, user: str | None, **kw: Any) -> httpx.Response:
        headers = {**self.headers(user), **kw.pop("headers", {})}
        return self.http.patch(path, headers=headers, **kw)

    def pull_all(self, user: str, limit: int = 1000) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": limit}
            if cursor:
                params["since"] = cursor
            r = self.get("/changes", user, params=params)
            assert r.status_code == 200, r.text
            body = r.json()
            items += body["items"]
            cursor = body["next_cursor"]
            if not body["has_more"]:
                return items

    def submit(self, user: str, *subs: dict[str, Any]) -> list[dict[str, Any]]:
        r = self.post("/submissions", user, json={"submissions": list(subs)})
        assert r.status_code == 200, r.text
        return list(r.json()["results"])


class Pool:
    """Entities of the demo data, handed out once each so tests do not interfere."""

    def __init__(self, db_url: str) -> None:
        engine = make_engine(db_url)
        with engine.connect() as conn:
            rows = conn.execute(sa.select(t.entities.c.id, t.entities.c.grid, t.entities.c.kind)
                                .order_by(t.entities.c.id)).all()
        engine.dispose()
        self.by_grid: dict[tuple[str, str], list[str]] = {}
        for r in rows:
            self.by_grid.setdefault((r.grid, r.kind), []).append(r.id)
        self.all = {r.id: r.grid for r in rows}

    def take(self, grid: str, kind: str = "person") -> str:
        return self.by_grid[(grid, kind)].pop()

    def peek(self, grid: str, kind: str = "person") -> str:
        return self.by_grid[(grid, kind)][0]


@pytest.fixture(scope="session", params=BACKENDS)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = str(tmp_path_factory.mktemp("server"))
    with fresh_database(request.param, tmp) as url:
        prepare(url, demo_persons=240, password=PASSWORD)
        add_second_street(Database(make_engine(url)))
        server = start(ServerConfig(db_url=url, fast_password_hash=True, max_body_bytes=2 * 1024 * 1024))
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="session")
def api(live: LiveServer) -> Iterator[Api]:
    client = Api(live)
    yield client
    client.http.close()


@pytest.fixture(scope="session")
def pool(live: LiveServer) -> Pool:
    return Pool(live.db_url)


def new_id() -> str:
    return str(uuid.uuid4())


def update(entity_id: str, base_rev: int, kind: str = "person", **fields: Any) -> dict[str, Any]:
    return {"entity_id": entity_id, "kind": kind, "op": "update", "base_rev": base_rev, "set": fields}


def submission(*patches: dict[str, Any], sid: str | None = None) -> dict[str, Any]:
    return {"id": sid or new_id(), "device_id": "test", "patches": list(patches)}
