"""数据回流: a department's list (a GBK CSV with a title line) sets its tag on the persons it names with
the source, file and as-of day; the next list is a snapshot that removes that source's tag from the
persons it leaves out and no other tag; a differing value is reported, never written over the record."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from sync.server import tables as t
from sync.server.db import make_engine
from tests.server.conftest import Api
from tests.server.imports_live import apply, dry_run, persons, platform

__all__ = ["platform"]


def _csv(rows: list[dict[str, Any]], phone_of: dict[str, str] | None = None) -> bytes:
    lines = ["杭州市上城区民政局 最低生活保障对象名单（2026年11月）", "序号,姓名,身份证号码,联系电话,保障人数"]
    for n, p in enumerate(rows, 1):
        d = p["data"]
        lines.append(f"{n},{d['name']},{d['id_number']},{(phone_of or {}).get(p['id'], d.get('phone', ''))},2")
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def _provenance(api: Api) -> dict[str, tuple[str, str, str]]:
    engine = make_engine(api.live.db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.returned_tags)).all()
    engine.dispose()
    return {r.entity_id: (r.source, r.tag, r.as_of) for r in rows}


def test_a_return_list_sets_tags_with_provenance_and_the_next_snapshot_removes_only_its_own(platform: Api) -> None:
    chosen = [p for p in persons(platform) if p["data"].get("id_type") == "01" and "低保对象" not in p["tags"]][:6]
    phone_of = {chosen[0]["id"]: "13811112222"}
    first = dry_run(platform, _csv(chosen, phone_of), name="民政低保名单.csv", mode="return", source="民政", tag="低保对象", as_of="2026-11-30")
    assert first["status"] == "checked", first
    assert (first["rows"], first["updated"], first["errors"], first["tags_set"]) == (6, 6, 0, 6), first["issues"]
    differs = [i for i in first["issues"] if i["code"] == "differs"]
    assert len(differs) == 1 and differs[0]["row"] == 3 and "13811112222" in differs[0]["message"]
    assert first["unmapped"] == ["序号", "保障人数"]
    assert apply(platform, first["id"])["status"] == "applied"
    after = {p["id"]: p for p in persons(platform)}
    assert all("低保对象" in after[p["id"]]["tags"] for p in chosen)
    assert after[chosen[0]["id"]]["data"].get("phone") == chosen[0]["data"].get("phone")  # not written over
    assert _provenance(platform)[chosen[0]["id"]] == ("民政", "低保对象", "2026-11-30")

    other = chosen[5]  # another source returns another tag on one of them: the 民政 snapshot leaves it alone
    r = dry_run(platform, _csv([other]), name="民政低保名单.csv", mode="return", source="退役军人事务局", tag="退役军人")
    assert apply(platform, r["id"])["status"] == "applied"

    second = dry_run(platform, _csv(chosen[:3]), name="民政低保名单.csv", mode="return", source="民政", tag="低保对象", as_of="2026-12-31")
    assert second["tags_removed"] == 3 and sorted(x["entity_id"] for x in second["removed"]) == sorted(
        p["id"] for p in chosen[3:])
    assert apply(platform, second["id"])["status"] == "applied"
    after = {p["id"]: p for p in persons(platform)}
    assert [("低保对象" in after[p["id"]]["tags"]) for p in chosen] == [True, True, True, False, False, False]
    assert "退役军人" in after[other["id"]]["tags"]
    assert _provenance(platform)[chosen[0]["id"]][2] == "2026-12-31"

    incremental = dry_run(platform, _csv(chosen[:1]), name="民政低保名单.csv", mode="return", source="民政", tag="低保对象", incremental="true")
    assert incremental["tags_removed"] == 0 and incremental["unchanged"] == 1


def test_a_return_list_naming_an_unknown_person_is_an_error_on_its_row(platform: Api) -> None:
    held = persons(platform)[0]
    stranger = {"id": "x", "data": {"name": "外人", "id_number": "110101199001011237", "phone": ""}}
    report = dry_run(platform, _csv([held, stranger]), name="民政低保名单.csv", mode="return", source="民政", tag="低保对象", incremental="true")
    assert [(i["row"], i["column"], i["code"]) for i in report["issues"] if i["severity"] == "error"] == [
        (4, "身份证号码", "unknown_person")]
