"""A platform of its own for the account tests (they set a 保密协议 and disable users, which would
change what the shared session server answers the other tests)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import Workbook

from sync.server.config import ServerConfig
from sync.server.db import Database, make_engine
from tests.server.conftest import BACKENDS, PASSWORD, Api, add_second_street
from tests.server.live import fresh_database, prepare, start


@pytest.fixture(scope="module", params=BACKENDS)
def own(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    tmp = str(tmp_path_factory.mktemp("accounts"))
    with fresh_database(request.param, tmp) as url:
        prepare(url, demo_persons=40, password=PASSWORD)
        add_second_street(Database(make_engine(url)))
        server = start(ServerConfig(db_url=url, fast_password_hash=True, max_body_bytes=4 * 1024 * 1024))
        client = Api(server)
        try:
            yield client
        finally:
            client.http.close()
            server.stop()


def workbook(rows: list[list[Any]], header: list[str] | None = None, title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(header or ["用户名", "姓名", "角色", "区划代码", "结束日期", "第三方"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(api: Api, user: str, data: bytes, *, dry_run: bool = False, name: str = "users.xlsx") -> Any:
    return api.post("/users/import", user, params={"dry_run": "true"} if dry_run else None,
                    files={"file": (name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
