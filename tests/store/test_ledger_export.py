"""A worker's ledger exported offline from the local store: own grids only, masked, audited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from forms.ledger import ExportRefused
from sync.client.export_local import export_from_store
from sync.store import Store
from tests.bench.store_data import entity
from tests.store.conftest import USER

MINE, OTHER, COMMUNITY = "330102001001001", "330102001001002", "330102001001"


def _items(store: Store) -> None:
    areas = [("330102001", "清波街道", "street", None), (COMMUNITY, "清波门社区", "community", "330102001"),
             (MINE, "清波门第一网格", "grid", COMMUNITY), (OTHER, "清波门第二网格", "grid", COMMUNITY)]
    items: list[dict[str, Any]] = [
        {"seq": i, "type": "area", "id": code, "deleted": False,
         "data": {"code": code, "name": name, "level": level, "parent": parent}}
        for i, (code, name, level, parent) in enumerate(areas)]
    items.append({"seq": 10, "type": "assignment", "id": f"u1:{MINE}", "deleted": False,
                  "data": {"user_id": "u1", "username": USER["username"], "role": "worker", "area": MINE, "active": True}})
    seq = 20
    for grid, names in ((MINE, ("张桂英", "李秀兰", "王伟")), (OTHER, ("赵敏",))):
        house = entity("house", grid, {"address": f"清波门小区{grid[-1]}幢101室", "occupancy": "1"})
        items.append({"seq": seq, "type": "entity", "id": house["id"], "deleted": False, "data": house})
        seq += 1
        for name in names:
            old = name != "王伟"
            p = entity("person", grid, {"name": name, "sex": "2", "birth_date": "1938-05-01" if old else "1990-01-01",
                                        "id_number": "11010519491231002X", "phone": "13812345678", "ethnicity": "01"},
                       house_id=house["id"], tags=["高龄老人", "老年人"] if old else [])
            items.append({"seq": seq, "type": "entity", "id": p["id"], "deleted": False, "data": p})
            seq += 1
    store.pull.apply_changes(items, "c1")


def test_a_worker_exports_the_ledger_of_their_own_grid_masked_and_audited(store: Store, tmp_path: Path) -> None:
    _items(store)
    out = tmp_path / "高龄.xlsx"
    result = export_from_store(store, "高龄老人台账", out)
    assert result.rows == 2 and result.masked and result.sheets == 1
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws["A1"].value == "清波门第一网格高龄老人台账"
    names = {ws.cell(r, 2).value for r in (5, 6)}
    assert names == {"张桂英", "李秀兰"} and ws["F5"].value == "110105********002X" and ws["D5"].value == "1938-05"
    assert ws["H5"].value == "清波门小区1幢101室"
    entry = store.audit.entries(limit=1)[0]
    detail = entry["detail"] if isinstance(entry["detail"], dict) else json.loads(entry["detail"])
    assert entry["action"] == "export" and entry["synced"] == 0
    assert detail["ledger"] == "高龄老人台账" and detail["rows"] == 2 and detail["masked"] is True
    assert detail["grids"] == [MINE] and "高龄老人" in detail["filter"]


def test_a_worker_cannot_export_another_grid_nor_unmask(store: Store, tmp_path: Path) -> None:
    _items(store)
    with pytest.raises(ExportRefused) as other:
        export_from_store(store, "高龄老人台账", tmp_path / "x.xlsx", area=OTHER)
    assert other.value.code == "area_out_of_scope"
    with pytest.raises(ExportRefused) as unmask:
        export_from_store(store, "高龄老人台账", tmp_path / "x.xlsx", unmasked=True, reason="核对")
    assert unmask.value.code == "unmask_forbidden"
    assert not (tmp_path / "x.xlsx").exists()
    assert all(e["action"] != "export" for e in store.audit.entries())
    # the community holds the worker's grid: the export keeps to it
    result = export_from_store(store, "实有人口总表", tmp_path / "all.csv", fmt="csv", area=COMMUNITY)
    assert result.rows == 3


def test_a_summary_table_from_the_store(store: Store, tmp_path: Path) -> None:
    _items(store)
    out = tmp_path / "s.xlsx"
    export_from_store(store, "各社区老年人口统计表", out)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert [c.value for c in ws[5]][:2] == [1, "清波门社区"] and ws["G5"].value == 2 and ws["A6"].value == "合计"


def test_ybt_export_from_a_profile_prints_the_json_contract(store: Store, profile: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from sync.cli import register
    from tests.store.conftest import PASSWORD

    _items(store)
    store.close()
    monkeypatch.setenv("YBT_PASSWORD", PASSWORD)
    parser = argparse.ArgumentParser(prog="ybt")
    register(parser.add_subparsers(dest="command"))
    out = tmp_path / "流动.csv"
    args = parser.parse_args(["export", "--profile", str(profile), "--ledger", "高龄老人台账", "--out", str(out), "--json"])
    assert args.handler(args) == 0
    body = json.loads(capsys.readouterr().out)
    assert body == {"ok": True, "rows": 2, "sheets": 1, "masked": True, "file": str(out), "format": "csv",
                    "ledger": "高龄老人台账", "unmasked_columns": []}
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    args = parser.parse_args(["export", "--profile", str(profile), "--ledger", "高龄老人台账", "--area", OTHER,
                              "--out", str(tmp_path / "x.xlsx"), "--json"])
    assert args.handler(args) == 1
    assert json.loads(capsys.readouterr().out)["code"] == "area_out_of_scope"
