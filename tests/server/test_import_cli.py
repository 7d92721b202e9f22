"""``ybt import`` against the live platform: the --json contract, the report workbook and the exit codes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sync.cli import register
from tests.server.conftest import GRIDS, PASSWORD, Api
from tests.server.imports_live import grid_names, new_id_number, persons, platform, workbook

__all__ = ["platform"]
CONTRACT = {"rows", "created", "updated", "unchanged", "errors", "warnings", "tags_set", "tags_removed", "applied",
            "issues"}


def ybt(api: Api, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    parser = argparse.ArgumentParser(prog="ybt")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["import", "--server", api.live.url, "--user", "admin", *argv])
    code = int(args.handler(args))
    out = capsys.readouterr()
    return code, json.loads(out.out) if "--json" in argv else out.out, out.err


def _file(api: Api, tmp_path: Path) -> tuple[Path, str]:
    names = grid_names(api)
    held = persons(api)[0]["data"]
    new = new_id_number(32, "19880808")
    header = ["姓名", "身份证号", "性别", "民族", "出生日期", "网格", "人口类型", "证件类型", "国籍", "户籍地行政区划代码",
              "户籍详址", "户籍在本址", "在本址居住", "与户主关系", "居住类型"]
    resident = ["户籍人口", "居民身份证", "中国", "330102", "清波街道柳浪新村1幢1单元101室", "是", "是", "02", "自住"]
    rows = [[held["name"], held["id_number"], None, None, None, None, *[None] * 9],
            ["命令行新人", new, "女", "汉族", "19880808", names[GRIDS[0]], *resident],
            ["号码错", "33010219880808123", "女", "汉族", "19880808", names[GRIDS[0]], *resident]]
    path = tmp_path / "cli台账.xlsx"
    path.write_bytes(workbook(header, rows, title="命令行测试台账"))
    return path, new


def test_dry_run_with_errors_exits_1_and_apply_exits_0(platform: Api, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("YBT_PASSWORD", PASSWORD)
    path, new = _file(platform, tmp_path)
    report = tmp_path / "问题.xlsx"
    code, out, _ = ybt(platform, capsys, str(path), "--kind", "person", "--json", "--report", str(report))
    assert code == 1 and set(out) >= CONTRACT, out
    assert (out["rows"], out["created"], out["unchanged"], out["errors"], out["applied"]) == (3, 1, 1, 1, False), out["issues"]
    bad = [i for i in out["issues"] if i["severity"] == "error"]
    assert [(i["row"], i["column"]) for i in bad] == [(5, "身份证号")] and set(bad[0]) >= {
        "row", "column", "value", "code", "severity", "message"}
    sheet = load_workbook(report).active
    assert sheet.cell(5, 2).comment is not None and sheet.cell(5, 2).comment.text
    assert new not in {p["data"]["id_number"] for p in persons(platform)}

    code, out, _ = ybt(platform, capsys, str(path), "--kind", "person", "--apply", "--json")
    assert code == 0 and out["applied"] is True and out["created"] == 1 and out["errors"] == 1
    assert new in {p["data"]["id_number"] for p in persons(platform)}
    code, out, _ = ybt(platform, capsys, str(path), "--kind", "person", "--apply", "--on-error", "abort", "--json")
    assert code == 1 and out["applied"] is False


def test_usage_and_connection_problems_exit_2(platform: Api, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("YBT_PASSWORD", PASSWORD)
    assert ybt(platform, capsys, str(tmp_path / "missing.xlsx"), "--kind", "person")[0] == 2
    path, _new = _file(platform, tmp_path)
    assert ybt(platform, capsys, str(path), "--kind", "person", "--mode", "return")[0] == 2
    parser = argparse.ArgumentParser(prog="ybt")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["import", "--server", "http://127.0.0.1:9", "--user", "admin", str(path), "--kind", "person"])
    assert int(args.handler(args)) == 2
