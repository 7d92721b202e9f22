"""Migration 0004 (the admin's workbench): a platform of schema 0003 with users, templates and areas
upgrades in place, keeps them (new account columns take their defaults), and the step can be undone
and done again; SQLite and PostgreSQL."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from sync.server import migrate
from sync.server.bootstrap import init_database
from sync.server.db import make_engine
from tests.server.live import PG_ENV, fresh_database

BACKENDS = ["sqlite", pytest.param("postgres", marks=[
    pytest.mark.postgres, pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set")])]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_platform_of_schema_0003_upgrades_to_the_workbench_and_back(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, str(tmp_path)) as url:
        engine = make_engine(url)
        try:
            migrate.upgrade(engine, "0003")
            now = datetime(2026, 12, 1, tzinfo=UTC)
            with engine.begin() as conn:
                conn.execute(sa.text("INSERT INTO areas (code, name, level, parent) VALUES "
                                     "('330102', '上城区', 'district', NULL)"))
                conn.execute(sa.text("INSERT INTO users (id, username, display_name, role, password_hash, active, "
                                     "created_at) VALUES ('u1', 'wg1', '王芳', 'worker', 'h', :t, :now)"),
                             {"t": True, "now": now})
            init_database(engine)
            assert migrate.current_revision(engine) == migrate.head_revision()
            names = set(sa.inspect(engine).get_table_names())
            assert {"audit_log", "devices", "agreements", "agreement_acceptances"} <= names
            with engine.connect() as conn:
                row = conn.execute(sa.text("SELECT username, must_change_password, third_party, end_date "
                                           "FROM users")).one()
                assert (row[0], bool(row[1]), bool(row[2]), row[3]) == ("wg1", False, False, None)
                assert conn.execute(sa.text("SELECT retired_at FROM areas")).scalar_one() is None
            cfg = migrate.alembic_config(engine)
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, "0003")
            assert "audit_log" not in sa.inspect(engine).get_table_names()
            assert "must_change_password" not in {c["name"] for c in sa.inspect(engine).get_columns("users")}
            migrate.upgrade(engine)
            assert migrate.current_revision(engine) == migrate.head_revision()
        finally:
            engine.dispose()
