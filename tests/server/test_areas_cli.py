"""``ybt admin areas …`` against the live platform: list, add, rename, move, retire, assign; refusals exit 1."""

from __future__ import annotations

import argparse
import json
from typing import Any

import pytest

from sync.cli import register
from tests.server.conftest import PASSWORD, Api
from tests.server.live import LiveServer


def ybt(live: LiveServer, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    parser = argparse.ArgumentParser(prog="ybt")
    register(parser.add_subparsers(dest="command"))
    command, rest = argv[0], list(argv[1:])
    args = parser.parse_args(["admin", "areas", command, "--server", live.url, "--user", "admin", *rest])
    code = int(args.handler(args))
    out = capsys.readouterr()
    try:
        value = json.loads(out.out) if "--json" in rest else out.out
    except json.JSONDecodeError:
        value = out.out
    return code, value, out.err


def test_the_area_commands(live: LiveServer, api: Api, capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YBT_PASSWORD", PASSWORD)
    for code, name in (("330102001060", "命令行社区"), ("330102001061", "命令行二社区")):
        assert ybt(live, capsys, "add", code, name, "--level", "community", "--parent", "330102001")[0] == 0
    code, added, _ = ybt(live, capsys, "add", "330102001060001", "命令行网格", "--level", "grid",
                         "--parent", "330102001060", "--json")
    assert code == 0 and added["code"] == "330102001060001"
    assert ybt(live, capsys, "add", "330102001060002", "命令行网格二", "--level", "grid", "--parent", "330102001060")[0] == 0
    code, out, _ = ybt(live, capsys, "rename", "330102001060001", "命令行网格（改）")
    assert code == 0 and "命令行网格（改）" in out
    code, items, _ = ybt(live, capsys, "list", "--json")
    mine = {a["code"]: a for a in items}["330102001060001"]
    assert code == 0 and mine["name"] == "命令行网格（改）" and mine["persons"] == 0 and mine["workers"] == []
    code, text, _ = ybt(live, capsys, "list")
    assert code == 0 and "命令行网格（改）" in text and "清波门社区" in text

    user = api.post("/users", "admin", json={"username": "wg_cli_1", "display_name": "陈晨", "role": "worker",
                                             "password": PASSWORD, "areas": ["330102001060002"]}).json()
    code, result, _ = ybt(live, capsys, "assign", "330102001060001", "--worker", "wg_cli_1", "--json")
    assert code == 0 and result["worker"]["id"] == user["id"] and result["previous"] == []
    code, moved, _ = ybt(live, capsys, "move", "330102001060001", "--to", "330102001061", "--json")
    new_code = moved["area"]["code"]
    assert code == 0 and new_code == "330102001061001" and moved["old_code"] == "330102001060001"
    assert [a["code"] for a in api.get("/me", "wg_cli_1").json()["areas"]] == ["330102001060002", new_code]

    # refused acts exit 1 with the platform's message; the retired grid shows with --retired
    code, _, err = ybt(live, capsys, "retire", new_code)
    assert code == 1 and "wg_cli_1" in err
    code, _, err = ybt(live, capsys, "retire", "330102001060001")
    assert code == 1 and "已撤销" in err
    code, items, _ = ybt(live, capsys, "list", "--json", "--retired")
    assert {a["code"]: a for a in items}["330102001060001"]["retired"] is True
    code, _, err = ybt(live, capsys, "move", "330102001060", "--to", "330102001")
    assert code == 1 and "只有网格" in err
