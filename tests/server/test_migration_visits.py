"""Migration 0003 (visits): a platform of the previous schema upgrades in place (as ``ybt server init``
and the demo do at start), keeps its data, and the step can be undone and done again; SQLite and
PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from sync.server import migrate
from sync.server import tables as t
from sync.server.bootstrap import init_database
from sync.server.db import make_engine
from tests.server.live import PG_ENV, fresh_database

BACKENDS = ["sqlite", pytest.param("postgres", marks=[
    pytest.mark.postgres, pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set")])]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_platform_of_schema_0002_upgrades_to_visits_and_back(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, str(tmp_path)) as url:
        engine = make_engine(url)
        try:
            migrate.upgrade(engine, "0002")
            with engine.begin() as conn:
                conn.execute(sa.insert(t.areas).values(code="330102", name="上城区", level="district", parent=None))
            assert "visits" not in sa.inspect(engine).get_table_names()
            init_database(engine)  # what `ybt server init` / the demo run at start
            assert migrate.current_revision(engine) == migrate.head_revision()
            names = set(sa.inspect(engine).get_table_names())
            assert {"visits", "visit_persons"} <= names
            indexes = {i["name"] for i in sa.inspect(engine).get_indexes("visits")}
            assert {"ix_visits_house", "ix_visits_grid", "ix_visits_author"} <= indexes
            with engine.connect() as conn:
                assert conn.execute(sa.select(t.areas.c.name).where(t.areas.c.code == "330102")).scalar_one() == "上城区"
            cfg = migrate.alembic_config(engine)
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, "0002")
            assert "visits" not in sa.inspect(engine).get_table_names()
            migrate.upgrade(engine)
            assert migrate.current_revision(engine) == migrate.head_revision()
        finally:
            engine.dispose()
