"""Ledger exports from the platform: scope, masking/unmasking with a reason, audit, jobs and files;
ledger templates published with every problem located."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import openpyxl

from tests.server.conftest import GRIDS, Api

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "ledgers"


def run(api: Api, user: str, **body: Any) -> dict[str, Any]:
    r = api.post("/exports", user, json=body)
    assert r.status_code == 202, r.text
    job = r.json()
    deadline = time.monotonic() + 60
    while job["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
        job = api.get(f"/exports/{job['id']}", user).json()
    return dict(job)


def book(api: Api, user: str, job: dict[str, Any]) -> openpyxl.Workbook:
    r = api.get(f"/exports/{job['id']}/file", user)
    assert r.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(r.content))


def test_a_supervisor_exports_its_community_masked_and_audited(api: Api) -> None:
    job = run(api, "sup_qbm", ledger="实有人口总表")
    assert job["status"] == "done", job
    result = job["result"]
    assert result["masked"] is True and result["rows"] > 0
    wb = book(api, "sup_qbm", job)
    assert wb.sheetnames == ["清波门社区"]  # split by community: only its own
    ws = wb.worksheets[0]
    assert ws["A1"].value == "清波门社区实有人口总表" and "A1:P1" in {str(r) for r in ws.merged_cells.ranges}
    ids = [ws.cell(r, 6).value for r in range(4, 4 + result["rows"])]
    assert all(v is None or "*" in v for v in ids)
    assert sum(1 for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)) == result["rows"]
    entries = api.get("/audit", "admin", params={"action": "export", "limit": 5}).json()["items"]
    mine = [e for e in entries if e.get("actor_name") == "sup_qbm" or e.get("actor") == "sup_qbm"]
    assert mine and mine[0]["detail"]["rows"] == result["rows"] and mine[0]["detail"]["masked"] is True


def test_a_supervisor_cannot_export_another_community_nor_unmask(api: Api) -> None:
    r = api.post("/exports", "sup_qbm", json={"ledger": "实有人口总表", "area": "330102001002"})
    assert r.status_code == 403
    r = api.post("/exports", "sup_qbm", json={"ledger": "实有人口总表", "unmasked": True, "reason": "核对"})
    assert r.status_code == 403 and r.json()["code"] == "unmask_forbidden"
    r = api.post("/exports", "admin", json={"ledger": "实有人口总表", "unmasked": True})
    assert r.status_code == 422 and r.json()["code"] == "reason_required"
    r = api.post("/exports", "wg_qbm_1", json={"ledger": "实有人口总表", "area": GRIDS[1]})
    assert r.status_code == 403


def test_an_admin_exports_unmasked_with_a_reason_and_a_summary_table(api: Api) -> None:
    job = run(api, "admin", ledger="实有人口总表", area="330102001001", unmasked=True, reason="公安核对 2026-12")
    assert job["status"] == "done" and job["result"]["masked"] is False
    ws = book(api, "admin", job).worksheets[0]
    assert any(isinstance(v, str) and len(v) == 18 and "*" not in v
               for v in (ws.cell(r, 6).value for r in range(4, 10)))
    entries = api.get("/audit", "admin", params={"action": "export", "limit": 5}).json()["items"]
    assert entries[0]["detail"]["reason"] == "公安核对 2026-12" and entries[0]["detail"]["masked"] is False
    summary = run(api, "admin", ledger="出租房屋统计表", format="xlsx")
    assert summary["status"] == "done", summary
    ws = book(api, "admin", summary).worksheets[0]
    names = [ws.cell(r, 2).value for r in range(5, 5 + summary["result"]["rows"])]
    assert all(names) and ws.cell(5 + summary["result"]["rows"], 1).value == "合计"
    csv_job = run(api, "admin", ledger="实有房屋总表", format="csv")
    r = api.get(f"/exports/{csv_job['id']}/file", "admin")
    assert r.content.startswith(b"\xef\xbb\xbf") and "房屋编号" in r.content.decode("utf-8-sig")
    assert api.get(f"/exports/{csv_job['id']}", "sup_qbm").status_code == 404  # someone else's job


def test_a_ledger_with_a_bad_placeholder_is_refused_at_upload_with_sheet_cell_and_position(api: Api) -> None:
    wb = openpyxl.load_workbook(SHIPPED / "高龄老人台账.xlsx")
    ws = wb.worksheets[0]
    ws["C5"] = "${sexx}"
    out = io.BytesIO()
    wb.save(out)
    r = api.post("/ledgers", "admin", files={"file": ("bad.xlsx", out.getvalue(), "application/octet-stream")})
    assert r.status_code == 422 and r.json()["code"] == "ledger_invalid"
    problem = r.json()["details"]["problems"][0]
    assert (problem["sheet"], problem["row"], problem["column"], problem["position"]) == ("高龄老人台账", 5, "C", 2)
    good = (SHIPPED / "高龄老人台账.xlsx").read_bytes()
    assert api.post("/ledgers", "sup_qbm", files={"file": ("ok.xlsx", good, "application/octet-stream")}).status_code == 403
    r = api.post("/ledgers", "admin", files={"file": ("ok.xlsx", good, "application/octet-stream")})
    assert r.status_code == 201 and r.json()["version"] >= 1
    listed = {i["name"]: i for i in api.get("/ledgers", "sup_qbm").json()["items"]}
    assert listed["高龄老人台账"]["source"] == "published" and listed["实有人口总表"]["source"] == "shipped"
