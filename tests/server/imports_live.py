"""A platform of its own for the import tests (imports create and change persons), and helpers to
build office files and run an import through the API."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from forms.synth.population import id_check_char
from sync.server import tables as t
from sync.server.config import ServerConfig
from sync.server.db import Database, make_engine
from tests.server.conftest import BACKENDS, PASSWORD, Api, add_second_street
from tests.server.live import fresh_database, prepare, start

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module", params=BACKENDS)
def platform(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    tmp = str(tmp_path_factory.mktemp("imports"))
    with fresh_database(request.param, tmp) as url:
        prepare(url, demo_persons=60, password=PASSWORD)
        add_second_street(Database(make_engine(url)))
        server = start(ServerConfig(db_url=url, fast_password_hash=True, max_body_bytes=1024 * 1024))
        client = Api(server)
        try:
            yield client
        finally:
            client.http.close()
            server.stop()


def persons(api: Api, grid_prefix: str = "330102001") -> list[dict[str, Any]]:
    """The platform's persons under ``grid_prefix`` (id, grid, rev, data), in id order."""
    engine = make_engine(api.live.db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.entities.c.id, t.entities.c.grid, t.entities.c.rev, t.entities.c.data,
                                      t.entities.c.tags)
                            .where(t.entities.c.kind == "person", t.entities.c.grid.startswith(grid_prefix))
                            .order_by(t.entities.c.id)).all()
    engine.dispose()
    return [{"id": r.id, "grid": r.grid, "rev": r.rev, "data": r.data, "tags": r.tags} for r in rows]


def grid_names(api: Api) -> dict[str, str]:
    engine = make_engine(api.live.db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.areas.c.code, t.areas.c.name).where(t.areas.c.level == "grid")).all()
    engine.dispose()
    return {r.code: r.name for r in rows}


def new_id_number(serial: int, birth: str = "19900101", region: str = "330102") -> str:
    first = f"{region}{birth}{serial % 1000:03d}"
    return first + id_check_char(first)


def workbook(header: list[str], rows: list[list[Any]], *, title: str | None = None, text_columns: tuple[int, ...] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "人口台账"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for col in text_columns:
        for cells in sheet.iter_rows(min_row=2, min_col=col + 1, max_col=col + 1):
            for cell in cells:
                cell.number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def start_import(api: Api, data: bytes, *, name: str = "台账.xlsx", user: str = "admin", **fields: str) -> Any:
    return api.post("/imports", user, files={"file": (name, data, XLSX)}, data={"kind": "person", **fields})


def wait(api: Api, import_id: str, *, user: str = "admin", until: tuple[str, ...] = ("checked", "applied", "failed",
                                                                                        "cancelled")) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        r = api.get(f"/imports/{import_id}", user, params={"limit": 10_000})
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        if body["status"] in until:
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.05)


def dry_run(api: Api, data: bytes, **fields: str) -> dict[str, Any]:
    r = start_import(api, data, **fields)
    assert r.status_code == 202, r.text
    return wait(api, r.json()["id"])


def apply(api: Api, import_id: str) -> dict[str, Any]:
    r = api.post(f"/imports/{import_id}/apply", "admin")
    assert r.status_code == 202, r.text
    return wait(api, import_id, until=("applied", "failed", "cancelled"))
