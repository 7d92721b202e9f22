"""``ybt server backup`` / ``restore`` / ``migrate``: a platform backed up while it holds data comes
back identical, table by table; a restore never overwrites data unasked; migrate says from which
revision to which."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sync.server import migrate
from sync.server import tables as t
from sync.server.cli import register
from sync.server.db import make_engine
from tests.server.conftest import BACKENDS
from tests.server.live import PG_ENV, fresh_database, prepare


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="ybt")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["server", *argv, "--json"])
    status = int(args.handler(args))
    return status, json.loads(capsys.readouterr().out)


def every_row(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the platform, in a stable order."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for table in t.metadata.sorted_tables:
                key = list(table.primary_key.columns) or list(table.columns)
                out[table.name] = [tuple(r) for r in conn.execute(sa.select(table).order_by(*key))]
            out["alembic_version"] = [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM alembic_version")]
        return out
    finally:
        engine.dispose()


def needs_pg_tools(backend: str) -> None:
    if backend == "postgres":
        from sync.server.backup import BackupError, pg_tool

        try:
            pg_tool("pg_dump"), pg_tool("pg_restore")
        except BackupError:
            pytest.skip("PostgreSQL client binaries not installed")


@pytest.mark.parametrize("backend", BACKENDS)
def test_backup_then_restore_into_an_empty_database_gives_back_every_row(
        backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    needs_pg_tools(backend)
    with fresh_database(backend, str(tmp_path)) as source, fresh_database(backend, str(tmp_path)) as target:
        prepare(source, demo_persons=60)
        before = every_row(source)
        assert len(before["entities"]) > 60 and before["users"] and before["entity_versions"]
        out = tmp_path / "backups" / "ybt.backup"
        status, report = run_cli(capsys, "backup", "--db", source, "--out", str(out))
        assert status == 0 and report["ok"] and report["bytes"] == out.stat().st_size > 0
        assert report["kind"] == ("sqlite" if backend == "sqlite" else "postgresql")

        status, report = run_cli(capsys, "restore", "--db", target, "--from", str(out))
        assert status == 0, report
        assert every_row(target) == before
        assert migrate.current_revision(make_engine(target)) == migrate.head_revision()


def test_a_sqlite_backup_taken_while_a_writer_holds_a_transaction_is_consistent(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = f"sqlite:///{tmp_path}/live.db"
    prepare(source, demo_persons=20)
    before = every_row(source)
    writer = sqlite3.connect(tmp_path / "live.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE entities SET tags = '[\"uncommitted\"]'")
    try:
        status, _ = run_cli(capsys, "backup", "--db", source, "--out", str(tmp_path / "b.db"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert status == 0
    restored = f"sqlite:///{tmp_path}/restored.db"
    assert run_cli(capsys, "restore", "--db", restored, "--from", str(tmp_path / "b.db"))[0] == 0
    assert every_row(restored) == before  # the uncommitted write is not in the backup


@pytest.mark.parametrize("backend", BACKENDS)
def test_restore_refuses_to_overwrite_a_platform_with_data_unless_told(
        backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    needs_pg_tools(backend)
    with fresh_database(backend, str(tmp_path)) as old, fresh_database(backend, str(tmp_path)) as live:
        prepare(old, demo_persons=10)
        prepare(live, demo_persons=30)
        status, _ = run_cli(capsys, "backup", "--db", old, "--out", str(tmp_path / "old.backup"))
        assert status == 0
        live_rows = every_row(live)

        status, report = run_cli(capsys, "restore", "--db", live, "--from", str(tmp_path / "old.backup"))
        assert status == 1 and "--replace" in report["error"] and report["error_zh"]
        assert every_row(live) == live_rows  # nothing lost

        status, _ = run_cli(capsys, "restore", "--db", live, "--from", str(tmp_path / "old.backup"), "--replace")
        assert status == 0
        assert every_row(live) == every_row(old)


def test_restore_says_what_is_wrong_with_a_file_that_is_not_a_backup(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("hello", encoding="utf-8")
    status, report = run_cli(capsys, "restore", "--db", str(tmp_path / "x.db"), "--from", str(junk))
    assert status == 1 and "neither a SQLite backup nor a pg_dump archive" in report["error"]
    assert not (tmp_path / "x.db").exists()
    status, report = run_cli(capsys, "backup", "--db", str(tmp_path / "missing.db"), "--out", str(tmp_path / "o"))
    assert status == 1 and "no database file" in report["error"] and not (tmp_path / "o").exists()


@pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set")
def test_a_sqlite_backup_is_not_restored_into_postgresql(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = f"sqlite:///{tmp_path}/s.db"
    prepare(source, demo_persons=5)
    assert run_cli(capsys, "backup", "--db", source, "--out", str(tmp_path / "s.backup"))[0] == 0
    with fresh_database("postgres", str(tmp_path)) as pg:
        status, report = run_cli(capsys, "restore", "--db", pg, "--from", str(tmp_path / "s.backup"))
        assert status == 1 and "sqlite backup" in report["error"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrate_upgrades_an_older_platform_and_reports_from_and_to(
        backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with fresh_database(backend, str(tmp_path)) as url:
        engine = make_engine(url)
        migrate.upgrade(engine, "0004")
        engine.dispose()
        status, report = run_cli(capsys, "migrate", "--db", url, "--dry-run")
        assert status == 0 and report["from"] == "0004" and report["to"] == migrate.head_revision()
        assert migrate.current_revision(make_engine(url)) == "0004"  # a dry run changes nothing

        status, report = run_cli(capsys, "migrate", "--db", url)
        assert status == 0 and report == {"ok": True, "from": "0004", "to": migrate.head_revision(),
                                          "head": migrate.head_revision(), "changed": True, "dry_run": False}
        with make_engine(url).connect() as conn:
            assert "area_counts" in sa.inspect(conn).get_table_names()

        status, report = run_cli(capsys, "migrate", "--db", url)
        assert status == 0 and report["changed"] is False and report["from"] == report["to"]


def test_migrate_refuses_an_empty_database_and_an_unknown_revision(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/empty.db"
    status, report = run_cli(capsys, "migrate", "--db", url)
    assert status == 1 and "ybt server init" in report["error"]
    prepare(url, demo_persons=5)
    rows = every_row(url)
    status, report = run_cli(capsys, "migrate", "--db", url, "--to", "9999")
    assert status == 1 and "unchanged" in report["error"]
    assert every_row(url) == rows


def test_server_run_refuses_a_trusted_proxy_that_is_not_an_address(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="ybt")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["server", "run", "--db", "x.db", "--trusted-proxy", "nginx.local"])
    assert args.handler(args) == 2
    assert "not an IP address: 'nginx.local'" in capsys.readouterr().err


def test_worker_processes_get_the_trusted_proxies_and_metrics_scrapers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sync.server.app import DB_URL_ENV, METRICS_ALLOW_ENV, TRUSTED_PROXIES_ENV, app_from_env

    url = f"sqlite:///{tmp_path}/p.db"
    prepare(url, demo_persons=5)
    monkeypatch.setenv(DB_URL_ENV, url)
    monkeypatch.setenv(TRUSTED_PROXIES_ENV, "127.0.0.1, 10.0.0.2")
    monkeypatch.setenv(METRICS_ALLOW_ENV, "10.0.0.9")
    app = app_from_env()
    try:
        config = app.state.ybt.config
        assert config.trusted_proxies == ("127.0.0.1", "10.0.0.2") and config.metrics_allow == ("10.0.0.9",)
    finally:
        app.state.ybt.db.dispose()
