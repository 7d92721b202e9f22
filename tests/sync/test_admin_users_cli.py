"""``ybt admin users …`` and ``ybt admin agreement …`` against a real platform on loopback."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sync.client import admin
from tests.server.accounts_live import own, workbook
from tests.server.conftest import GRIDS, PASSWORD, Api

__all__ = ["own"]


def ybt_admin(own: Api, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="ybt")
    admin.register(parser.add_subparsers(dest="command"))
    group, command, *rest = argv
    args = parser.parse_args(["admin", group, command, "--server", own.live.url, "--user", "admin", *rest])
    code = int(args.handler(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YBT_PASSWORD", PASSWORD)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


def test_create_list_disable_enable_and_reset(own: Api, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = ybt_admin(own, capsys, "users", "create", "--username", "cli_wg", "--name", "命令行",
                               "--role", "worker", "--areas", GRIDS[0], "--end-date", "2030-01-31")
    assert code == 0, err
    password = out.strip().rsplit(" ", 1)[-1]
    assert own.login("cli_wg", password).json()["must_change_password"] is True
    code, out, _ = ybt_admin(own, capsys, "users", "list", "--json")
    listed = {u["username"]: u for u in json.loads(out)}
    assert code == 0 and listed["cli_wg"]["end_date"] == "2030-01-31"
    code, out, _ = ybt_admin(own, capsys, "users", "list")
    assert "cli_wg" in out and "命令行" in out
    code, out, _ = ybt_admin(own, capsys, "users", "disable", "CLI_WG", "--reason", "left")
    assert code == 0 and own.login("cli_wg", password).status_code == 401
    code, out, _ = ybt_admin(own, capsys, "users", "review", "--idle-days", "30", "--json")
    assert code == 0 and "left" in {u["username"]: u for u in json.loads(out)["items"]}["cli_wg"]["findings"]
    assert ybt_admin(own, capsys, "users", "enable", "cli_wg")[0] == 0
    code, out, _ = ybt_admin(own, capsys, "users", "reset-password", "cli_wg", "--json")
    assert code == 0 and own.login("cli_wg", json.loads(out)["password"]).status_code == 200
    code, _, err = ybt_admin(own, capsys, "users", "disable", "nobody_here", "--reason", "x")
    assert code == 2 and "nobody_here" in err


def test_import_exits_1_with_the_report_and_writes_the_handout(own: Api, capsys: pytest.CaptureFixture[str],
                                                              tmp_path: Path) -> None:
    source = tmp_path / "users.xlsx"
    source.write_bytes(workbook([["cli_b1", "甲", "网格员", GRIDS[1], None, None],
                                 ["cli_b2", "乙", "网格员", "999", None, None]]))
    handout = tmp_path / "passwords.xlsx"
    code, out, _ = ybt_admin(own, capsys, "users", "import", str(source), "--dry-run")
    assert code == 1 and "区划 999 不存在" in out and not handout.exists()
    code, _, err = ybt_admin(own, capsys, "users", "import", str(source))  # the passwords would be lost
    assert code == 2 and "--passwords" in err
    code, out, _ = ybt_admin(own, capsys, "users", "import", str(source), "--passwords", str(handout), "--json")
    report = json.loads(out)
    assert code == 1 and report["created"] == 1 and report["problems"][0]["row"] == 3
    sheet = load_workbook(handout).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "cli_b1" and own.login("cli_b1", rows[1][4]).status_code == 200


def test_agreement_set_and_status(own: Api, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = tmp_path / "协议.txt"
    text.write_text("不得泄露居民信息。", encoding="utf-8")
    code, out, err = ybt_admin(own, capsys, "agreement", "set", str(text))
    assert code == 0, err
    code, out, _ = ybt_admin(own, capsys, "agreement", "status", "--json")
    status = json.loads(out)
    assert code == 0 and status["version"] >= 1 and "wg_qbm_1" in {u["username"] for u in status["pending"]}
    assert ybt_admin(own, capsys, "agreement", "set")[0] == 2
