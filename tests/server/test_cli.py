"""``ybt server init`` / ``run`` argument handling and the deterministic demo district."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
import sqlalchemy as sa

from sync.server import tables as t
from sync.server.cli import register
from sync.server.db import make_engine
from sync.server.demo import USERS


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="ybt")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    return int(args.handler(args))


def snapshot(url: str) -> dict[str, object]:
    engine = make_engine(url)
    with engine.connect() as conn:
        out = {
            "users": conn.execute(sa.select(t.users.c.id, t.users.c.username, t.users.c.role)
                                  .order_by(t.users.c.username)).all(),
            "areas": conn.execute(sa.select(t.areas).order_by(t.areas.c.code)).all(),
            "entities": conn.execute(sa.select(t.entities.c.id, t.entities.c.kind, t.entities.c.grid,
                                               t.entities.c.data, t.entities.c.tags)
                                     .order_by(t.entities.c.id)).all(),
            "templates": conn.execute(sa.select(t.templates.c.form_id, t.templates.c.version,
                                                t.templates.c.sha256)).all(),
        }
    engine.dispose()
    return out


@pytest.mark.slow
def test_demo_init_is_deterministic_and_prints_the_users(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/b.db"
    assert run_cli("server", "init", "--db", a, "--demo") == 0
    printed = capsys.readouterr().out
    assert run_cli("server", "init", "--db", b, "--demo", "--demo-password", "another-pass") == 0
    for username, _display, role, area in USERS:
        assert username in printed and area in printed and role in printed
    sa_, sb = snapshot(a), snapshot(b)
    assert sa_ == sb
    entities = sa_["entities"]
    assert isinstance(entities, list)
    kinds = [e.kind for e in entities]
    assert kinds.count("person") >= 5000 and kinds.count("house") >= 2000 and kinds.count("household") > 0
    assert {e.grid for e in entities} == {u[3] for u in USERS if u[2] == "worker"}
    assert any(e.tags for e in entities)
    # running init again is harmless: nothing duplicated
    assert run_cli("server", "init", "--db", a, "--demo") == 0
    assert snapshot(a) == sa_


def test_init_twice_without_demo_and_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/plain.db"
    assert run_cli("server", "init", "--db", url) == 0
    assert run_cli("server", "init", "--db", url) == 0
    snap = snapshot(url)
    assert snap["users"] == [] and len(snap["templates"]) == 3  # type: ignore[arg-type]
    assert run_cli("server", "init", "--db", url, "--demo", "--demo-password", "short") == 2
    assert "8" in capsys.readouterr().err
    assert run_cli("server", "init", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none") == 1
    assert "error" in capsys.readouterr().err


def test_run_refuses_an_uninitialised_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("server", "run", "--db", f"sqlite:///{tmp_path}/empty.db", "--port", "1") == 1
    assert "ybt server init" in capsys.readouterr().err


def test_several_processes_need_postgresql(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/one.db"
    assert run_cli("server", "init", "--db", url) == 0
    assert run_cli("server", "run", "--db", url, "--workers", "2") == 2
    assert "PostgreSQL" in capsys.readouterr().err
