"""Migration 0005 (the dashboard's counts): a platform of schema 0004 with entities upgrades with its
counts filled from the entities, the covering indexes in place, and goes back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from sync.server import counts, migrate
from sync.server.bootstrap import init_database
from sync.server.db import make_engine
from tests.server.conftest import BACKENDS
from tests.server.live import fresh_database


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_platform_of_schema_0004_gets_its_counts_from_the_entities(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, str(tmp_path)) as url:
        engine = make_engine(url)
        try:
            migrate.upgrade(engine, "0004")
            now = datetime(2026, 12, 1, tzinfo=UTC)
            people = [("p1", "person", "g1", "active"), ("p2", "person", "g1", "active"),
                      ("p3", "person", "g1", "moved_out"), ("h1", "house", "g1", "active"),
                      ("p4", "person", "g2", "active")]
            with engine.begin() as conn:
                for eid, kind, grid, state in people:
                    conn.execute(sa.text(
                        "INSERT INTO entities (id, kind, template, template_version, grid, data, tags, rev, state, "
                        "updated_at) VALUES (:id, :kind, :kind, '1', :grid, '{}', '[]', 1, :state, :now)"),
                        {"id": eid, "kind": kind, "grid": grid, "state": state, "now": now})
            init_database(engine)
            assert migrate.current_revision(engine) == migrate.head_revision()
            with engine.connect() as conn:
                assert counts.maintained(conn) == {("g1", "person", "active"): 2, ("g1", "person", "moved_out"): 1,
                                                   ("g1", "house", "active"): 1, ("g2", "person", "active"): 1}
                assert counts.drift(conn) == {}
            inspector = sa.inspect(engine)
            assert "ix_visits_cycle" in {i["name"] for i in inspector.get_indexes("visits")}
            assert {"ix_submissions_backlog", "ix_submissions_resubmits"} <= {
                i["name"] for i in inspector.get_indexes("submissions")}
            cfg = migrate.alembic_config(engine)
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, "0004")
            names = set(sa.inspect(engine).get_table_names())
            assert "area_counts" not in names and "entity_issues" not in names
            migrate.upgrade(engine)
            assert migrate.current_revision(engine) == migrate.head_revision()
        finally:
            engine.dispose()
