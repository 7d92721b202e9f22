"""The server process killed (SIGKILL) while it applies an import: after the restart the platform is as
it was — no person created, none changed, no import in the audit log — and the same file then imports
whole."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from sync.server import tables as t
from sync.server.db import make_engine
from tests.server.imports_live import XLSX, new_id_number, workbook
from tests.server.live import fresh_database, prepare
from tests.sync.conftest import BACKENDS
from tests.sync.support import PASSWORD, ServerProcess

pytestmark = pytest.mark.slow
ROWS = 3000
HEADER = ["姓名", "公民身份号码", "性别", "民族", "出生日期", "网格", "人口类型", "证件类型", "国籍", "户籍地行政区划代码",
          "户籍详址", "户籍在本址", "在本址居住", "与户主关系", "居住类型"]
RESIDENT = ["户籍人口", "居民身份证", "中国", "330102", "清波街道柳浪新村1幢1单元101室", "是", "是", "02", "自住"]


@pytest.fixture(params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    with fresh_database(request.param, str(tmp_path)) as url:
        prepare(url, demo_persons=100, password=PASSWORD)
        proc = ServerProcess(url).start()
        yield proc
        proc.kill()


def _state(db_url: str) -> dict[str, Any]:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        entities = {r.id: r.rev for r in conn.execute(sa.select(t.entities.c.id, t.entities.c.rev))}
        imports = conn.execute(sa.select(sa.func.count()).select_from(t.audit_log)
                               .where(t.audit_log.c.action == "import")).scalar_one()
        tags = conn.execute(sa.select(sa.func.count()).select_from(t.entity_tags)).scalar_one()
    engine.dispose()
    return {"entities": entities, "imports": imports, "tags": tags}


def _login(http: httpx.Client) -> dict[str, str]:
    r = http.post("/auth/login", json={"username": "admin", "password": PASSWORD, "device_id": "kill-test"})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _checked(http: httpx.Client, headers: dict[str, str], data: bytes) -> str:
    r = http.post("/imports", headers=headers, files={"file": ("大台账.xlsx", data, XLSX)}, data={"kind": "person"})
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    deadline = time.monotonic() + 300
    while http.get(f"/imports/{job}", headers=headers).json()["status"] != "checked":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return str(job)


def test_a_kill_during_apply_leaves_the_platform_as_it_was(server: ServerProcess) -> None:
    rows = [[f"新人{n}", new_id_number(n, f"19{60 + n % 40:02d}0{1 + n % 9}1{n % 9}"), "男" if n % 2 else "女", "汉族",
             f"19{60 + n % 40:02d}-0{1 + n % 9}-1{n % 9}", "清波门第一网格" if n % 2 else "清波门第二网格", *RESIDENT]
            for n in range(ROWS)]
    data = workbook(HEADER, rows, title="清波街道实有人口台账")
    before = _state(server.db_url)
    with httpx.Client(base_url=server.url + "/api/v1", timeout=60) as http:
        headers = _login(http)
        job = _checked(http, headers, data)
        created = http.get(f"/imports/{job}", headers=headers).json()["created"]
        assert created > ROWS // 2
        assert http.post(f"/imports/{job}/apply", headers=headers).status_code == 202
        deadline = time.monotonic() + 120
        while True:
            body = http.get(f"/imports/{job}", headers=headers).json()
            assert body["status"] == "applying", body  # killed before it finished
            if body["progress"]["phase"] == "writing" and body["progress"]["rows"] > 0:
                break
            assert time.monotonic() < deadline
            time.sleep(0.005)
    server.kill()
    assert _state(server.db_url) == before  # nothing half-applied

    server.start()
    with httpx.Client(base_url=server.url + "/api/v1", timeout=60) as http:
        headers = _login(http)
        job = _checked(http, headers, data)
        assert http.post(f"/imports/{job}/apply", headers=headers).status_code == 202
        deadline = time.monotonic() + 300
        while (body := http.get(f"/imports/{job}", headers=headers).json())["status"] == "applying":
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert body["status"] == "applied" and body["created"] == created, body
    after = _state(server.db_url)
    assert len(after["entities"]) == len(before["entities"]) + created and after["imports"] == 1
