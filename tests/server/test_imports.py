"""Importing a district's person ledger through the API: a dry run that writes nothing and reports each
row, an apply that writes it all with the admin and the file in the history, a second import of the
same file that changes nothing, and the changes reaching the workers of those grids."""

from __future__ import annotations

from typing import Any

from tests.server.conftest import GRIDS, Api
from tests.server.imports_live import apply, dry_run, grid_names, new_id_number, persons, platform, workbook

__all__ = ["platform"]

HEADER = ["序号", "姓名", "公民身份号码", "性别", "民族", "出生日期", "联系电话", "网格", "人口类型", "证件类型", "国籍",
          "户籍地行政区划代码", "户籍详址", "户籍在本址", "在本址居住", "与户主关系", "居住类型"]
#: what a new resident's row carries beyond name, number, sex, ethnicity, birth date, phone and grid
RESIDENT = ["户籍人口", "居民身份证", "中国", "330102", "清波街道柳浪新村1幢1单元101室", "是", "是", "02", "自住"]


def _row(n: int, p: dict[str, Any], grid_name: str, **changes: Any) -> list[Any]:
    d = {**p["data"], **changes}
    return [n, d["name"], d["id_number"], {"1": "男", "2": "女"}.get(d.get("sex", ""), d.get("sex")),
            d.get("ethnicity"), d.get("birth_date"), d.get("phone"), grid_name, d.get("population_type"),
            d.get("id_type"), d.get("nationality"), d.get("hukou_division"), d.get("hukou_address"),
            d.get("hukou_here"), d.get("living_here"), d.get("relation_to_head"), d.get("residence_type")]


def _ledger(api: Api) -> tuple[bytes, dict[str, Any]]:
    names = grid_names(api)
    held = [p for p in persons(api) if p["grid"] in GRIDS[:2] and p["data"].get("id_type") == "01"][:8]
    rows = [_row(i + 1, p, names[p["grid"]]) for i, p in enumerate(held[:5])]
    rows.append(_row(6, held[5], names[held[5]["grid"]], phone="139 0571 2345"))  # an update, written with spaces
    new = new_id_number(8, "19850315")
    rows.append([7, "新居民", new, "女", "汉族", "1985年3月15日", "+86 138-0000-1111", names[GRIDS[0]], *RESIDENT])
    rows.append([8, "数字号", float(held[6]["data"]["id_number"]), "男", "汉", "1990-01-01", "", names[GRIDS[0]], *RESIDENT])
    rows.append([9, "重复甲", held[7]["data"]["id_number"], "男", "汉", held[7]["data"]["birth_date"], "", names[GRIDS[0]], *RESIDENT])
    rows.append([10, "重复乙", held[7]["data"]["id_number"], "男", "汉", held[7]["data"]["birth_date"], "", names[GRIDS[0]], *RESIDENT])
    rows.append([11, "外来人", new_id_number(11, "19700101"), "男", "汉", "1970-01-01", "", "不存在的网格", *RESIDENT])
    data = workbook(HEADER, rows, title="清波街道实有人口台账（2026年11月）")
    return data, {"held": held, "new": new}


def test_dry_run_reports_each_row_and_writes_nothing_then_apply_writes_it_once(platform: Api) -> None:
    data, known = _ledger(platform)
    before = {p["id"]: p["rev"] for p in persons(platform)}
    report = dry_run(platform, data)
    assert report["status"] == "checked", report
    assert report["header_row"] == 2 and report["rows"] == 11
    assert (report["created"], report["updated"], report["unchanged"], report["errors"]) == (1, 1, 5, 4), [(i["row"], i["column"], i["code"]) for i in report["issues"]]
    located = {(i["row"], i["column"], i["code"]) for i in report["issues"] if i["severity"] == "error"}
    assert (10, "公民身份号码", "id_number_as_number") in located or any(
        r == 10 and col == "公民身份号码" for r, col, _c in located)
    assert {(11, "公民身份号码", "duplicate_in_file"), (12, "公民身份号码", "duplicate_in_file")} <= located
    assert (13, "网格", "unknown_area") in located
    assert {p["id"]: p["rev"] for p in persons(platform)} == before  # a dry run writes nothing

    done = apply(platform, report["id"])
    assert done["status"] == "applied" and done["applied"] is True, done
    after = {p["data"]["id_number"]: p for p in persons(platform)}
    assert after[known["new"]]["data"]["name"] == "新居民" and after[known["new"]]["grid"] == GRIDS[0]
    assert after[known["new"]]["data"]["phone"] == "13800001111"
    changed = known["held"][5]
    assert after[changed["data"]["id_number"]]["data"]["phone"] == "13905712345"
    assert after[changed["data"]["id_number"]]["rev"] == changed["rev"] + 1
    history = platform.get(f"/entities/{changed['id']}/history", "admin").json()
    entry = [h for h in history["items"] if h["field"] == "phone"][-1]
    assert entry["author"] == "admin" and entry["submission_id"] == report["id"]

    audit = platform.get("/audit", "admin", params={"action": "import"}).json()["items"]
    assert audit and audit[0]["detail"]["sha256"] == report["sha256"] and audit[0]["detail"]["created"] == 1

    revs = {p["id"]: p["rev"] for p in persons(platform)}
    again = dry_run(platform, data)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 7), again
    assert apply(platform, again["id"])["status"] == "applied"
    assert {p["id"]: p["rev"] for p in persons(platform)} == revs  # the same file twice changes nothing


def test_the_changes_reach_the_workers_of_those_grids_only(platform: Api) -> None:
    names = grid_names(platform)
    new = new_id_number(21, "19920202")
    data = workbook(HEADER, [[1, "网格一新人", new, "男", "汉", "1992-02-02", "", names[GRIDS[1]], *RESIDENT]])
    seen_before = {i["seq"] for i in platform.pull_all("wg_qbm_2")}
    report = dry_run(platform, data)
    assert report["created"] == 1, report
    assert apply(platform, report["id"])["status"] == "applied"
    pulled = [i for i in platform.pull_all("wg_qbm_2") if i["seq"] not in seen_before]
    assert [(i["type"], (i["data"] or {}).get("data", {}).get("id_number")) for i in pulled] == [("entity", new)]
    other = platform.pull_all("wg_ldl_1")
    assert not any(((i["data"] or {}).get("data") or {}).get("id_number") == new for i in other)


def test_a_file_without_an_id_column_fails_before_any_row(platform: Api) -> None:
    data = workbook(["姓名", "电话"], [["张三", "13800000000"]])
    report = dry_run(platform, data)
    assert report["status"] == "failed" and report["error"]["code"] == "required_column_missing", report


def test_not_a_spreadsheet_and_a_bad_option_are_clear_4xx(platform: Api) -> None:
    from tests.server.imports_live import start_import

    report = dry_run(platform, b"PK\x03\x04not really a zip")
    assert report["status"] == "failed" and report["error"]["message_en"], report
    r = start_import(platform, b"x", mode="sideways")
    assert r.status_code == 422 and r.json()["details"]["errors"][0]["loc"] == ["body", "mode"]
    r = platform.get("/imports/nope", "admin")
    assert r.status_code == 404
    r = start_import(platform, b"x", user="wg_qbm_1")
    assert r.status_code == 403
