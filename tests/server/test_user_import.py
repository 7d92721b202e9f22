"""Bulk users from an .xlsx: good rows created, bad rows reported by row and column, passwords once."""

from __future__ import annotations

import io
import time
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from tests.server.accounts_live import own, upload, workbook
from tests.server.conftest import GRIDS, Api

__all__ = ["own"]


def test_fifty_rows_three_bad_create_forty_seven_and_report_the_three(own: Api) -> None:
    rows = [[f"bulk_{n:02d}", f"员工{n}", "网格员", GRIDS[n % 4], None, None] for n in range(50)]
    rows[9] = ["bulk_09", "员工9", "网格员", "330102009009009", None, None]  # no such area: Excel row 12
    rows[20] = ["bulk_20", "", "网格员", GRIDS[0], None, None]  # no name: row 23
    rows[41] = ["bulk_41", "员工41", "队长", GRIDS[0], None, None]  # no such role: row 44
    rows[30] = ["bulk_30", "员工30", "审核员", "330102001001", "2027/6/30", "是"]  # a supervisor of a community
    r = upload(own, "admin", workbook(rows, title="清波街道 2026 年网格员账号"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["rows"], body["created"], body["bad_rows"]) == (50, 47, 3)
    assert [(p["row"], p["column"], p["code"]) for p in body["problems"]] == [
        (12, "区划代码", "unknown_area"), (23, "姓名", "missing"), (44, "角色", "invalid")]
    assert body["problems"][0]["value"] == "330102009009009" and body["problems"][0]["message_en"]
    passwords = {u["username"]: u["password"] for u in body["users"]}
    assert len(passwords) == 47 and "bulk_09" not in passwords
    listed = {u["username"]: u for u in own.get("/users", "admin").json()["items"]}
    assert listed["bulk_30"]["role"] == "supervisor" and listed["bulk_30"]["end_date"] == "2027-06-30"
    assert listed["bulk_30"]["third_party"] is True and listed["bulk_00"]["must_change_password"] is True
    login = own.login("bulk_00", passwords["bulk_00"])
    assert login.status_code == 200 and login.json()["must_change_password"] is True
    again = upload(own, "admin", workbook(rows[:2])).json()  # the second time: they exist
    assert again["created"] == 0 and {p["code"] for p in again["problems"]} == {"exists"}


def test_duplicates_in_the_file_are_errors_on_both_rows_and_dry_run_writes_nothing(own: Api) -> None:
    header = ["username", "display_name", "role", "areas", "end_date", "third_party"]
    rows = [["dup_a", "甲", "worker", GRIDS[0], date(2027, 1, 31), "no"],
            ["Dup_A", "乙", "worker", GRIDS[1], None, None],
            ["dry_ok", "丙", "worker", f"{GRIDS[0]}、{GRIDS[1]}", "2027年1月31日", "N"],
            ["dry_bad", "丁", "worker", GRIDS[0], "下个月", "也许"]]
    r = upload(own, "admin", workbook(rows, header=header), dry_run=True)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["dry_run"] is True and body["created"] == 0 and body["would_create"] == 1 and body["users"] == []
    found = [(p["row"], p["column"], p["code"]) for p in body["problems"]]
    assert found == [(2, "username", "duplicate"), (3, "username", "duplicate"),
                     (5, "end_date", "invalid"), (5, "third_party", "invalid")]
    assert "dry_ok" not in {u["username"] for u in own.get("/users", "admin").json()["items"]}
    done = upload(own, "admin", workbook(rows, header=header)).json()
    assert done["created"] == 1
    listed = {u["username"]: u for u in own.get("/users", "admin").json()["items"]}
    assert listed["dry_ok"]["areas"] == [GRIDS[0], GRIDS[1]] and listed["dry_ok"]["end_date"] == "2027-01-31"


def test_areas_outside_scope_or_of_the_wrong_level_are_row_problems(own: Api) -> None:
    rows = [["scope_1", "甲", "网格员", "330102002001001", None, None],
            ["scope_2", "乙", "网格员", "330102001001", None, None]]
    body = upload(own, "admin", workbook(rows)).json()
    assert [(p["row"], p["code"]) for p in body["problems"]] == [(2, "out_of_scope"), (3, "wrong_level")]
    assert upload(own, "wg_qbm_1", workbook(rows)).status_code == 403


def test_files_that_cannot_be_imported_get_one_clear_422(own: Api) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    cases = {"not_xlsx": b"username,display_name\nx,y\n", "encrypted": ole, "empty": b"",
             "no_columns": workbook([["a", "b"]], header=["用户名", "姓名"]),
             "no_header": workbook([["x", "y"]], header=["甲", "乙"]),
             "no_rows": workbook([])}
    for name, data in cases.items():
        r = upload(own, "admin", data, name=f"{name}.xlsx")
        assert r.status_code == 422, (name, r.text)
        assert r.json()["code"] == "bad_file" and r.json()["message"] and r.json()["details"]["message_en"], name
    assert "角色" in upload(own, "admin", cases["no_columns"]).json()["message"]
    assert "encrypted" in upload(own, "admin", ole).json()["details"]["message_en"]


def test_a_stray_cell_far_away_costs_nothing(own: Api) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["用户名", "姓名", "角色", "区划代码"])
    sheet.append(["stray_1", "甲", "网格员", GRIDS[2]])
    sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    book.save(out)
    started = time.monotonic()
    r = upload(own, "admin", out.getvalue())
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 1 and time.monotonic() - started < 10


def test_the_sample_workbook_imports_cleanly(own: Api, tmp_path: Path) -> None:
    from resources.samples import users_sample

    data = users_sample.SAMPLE.read_bytes()
    body = upload(own, "admin", data, dry_run=True, name="users_sample.xlsx").json()
    assert body["problems"] == [] and body["would_create"] == len(users_sample.ROWS)
    from openpyxl import load_workbook

    regenerated = load_workbook(users_sample.write(tmp_path / "again.xlsx")).active  # the committed file is current
    committed = load_workbook(io.BytesIO(data)).active
    assert [r for r in regenerated.iter_rows(values_only=True)] == [r for r in committed.iter_rows(values_only=True)]
