"""``ybt export --server …`` against the live platform: the --json contract, refusals in words."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.server.conftest import PASSWORD
from tests.server.live import LiveServer
from tests.server.test_audit_cli import ybt


def test_ybt_export_on_the_platform_keeps_the_json_contract(live: LiveServer, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("YBT_PASSWORD", PASSWORD)
    out = tmp_path / "高龄.xlsx"
    code, text, err = ybt(capsys, "export", "--server", live.url, "--user", "sup_qbm", "--ledger", "实有房屋总表",
                          "--out", str(out), "--json")
    assert code == 0, err
    body = json.loads(text)
    assert body["ok"] is True and body["file"] == str(out) and body["masked"] is True
    assert body["sheets"] == 1 and body["rows"] > 0
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws["A1"].value.endswith("实有房屋总表")
    code, text, _ = ybt(capsys, "export", "--server", live.url, "--user", "sup_qbm", "--ledger", "实有房屋总表",
                        "--unmasked", "--reason", "核对", "--out", str(tmp_path / "x.xlsx"), "--json")
    refused = json.loads(text)
    assert code == 1 and refused["ok"] is False and "未脱敏" in refused["message_zh"]
    assert not (tmp_path / "x.xlsx").exists()
