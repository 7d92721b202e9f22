"""``ybt validate``: records in JSON lines against templates."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from forms.cli import validate as validate_cli

SURVEY = [
    ["type", "name", "label::zh", "label::en", "required", "constraint"],
    ["text", "name", "姓名", "Name", "yes", ""],
    ["text", "id_number", "证件号码", "ID number", "", ""],
    ["select_one rel", "relation_to_head", "与户主关系", "Relation to head", "", ""],
    ["integer", "age_years", "年龄", "Age", "", ". < 150"],
]
CHOICES = [["list_name", "name", "label::zh"], ["rel", "02", "户主"], ["rel", "10", "配偶"]]
TAGS = [
    ["tag", "label::zh", "scope", "kind", "condition"],
    ["老年人", "老年人", "person", "auto", "${age_years} >= 60"],
    ["志愿者", "志愿者", "person", "manual", ""],
]
HH_RULES = [
    ["rule", "scope", "expression", "severity", "message::zh", "message::en"],
    [
        "one_head",
        "household",
        "count-members(${relation_to_head} = '02') = 1",
        "error",
        "每户只能有一名户主",
        "One head",
    ],
]


def _workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> str:
    wb = openpyxl.Workbook()
    for i, (title, rows) in enumerate(sheets.items()):
        ws = wb.active if i == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = title
        for row in rows:
            ws.append(row)
    wb.save(path)
    return str(path)


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    base = tmp_path_factory.mktemp("cli")
    person = _workbook(
        base / "person.xlsx",
        {
            "survey": SURVEY,
            "choices": CHOICES,
            "settings": [["form_id", "version", "entity"], ["person", "1", "person"]],
            "tags": TAGS,
        },
    )
    household = _workbook(
        base / "household.xlsx",
        {
            "survey": [["type", "name", "label::zh"], ["text", "household_no", "户号"]],
            "settings": [["form_id", "version", "entity"], ["household", "1", "household"]],
            "rules": HH_RULES,
        },
    )
    return person, household


def ybt(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="ybt")
    sub = parser.add_subparsers(dest="command", required=True)
    validate_cli.register(sub)
    args = parser.parse_args(list(argv))
    code: int = args.handler(args)
    return code


def records(path: Path, lines: list[Any]) -> str:
    text = "\n".join(
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    )
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def test_valid_file_exits_0(
    tmp_path: Path, templates: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = records(
        tmp_path / "ok.jsonl",
        [
            {"id": "p1", "data": {"name": "张伟", "age_years": 70}, "tags": ["志愿者"]},
            {"id": "p2", "data": {"name": "李娜", "age_years": 30}},
        ],
    )
    assert ybt("validate", "--template", templates[0], path) == 0
    out = capsys.readouterr().out
    assert "p1" in out and "p2" in out and "老年人" in out


def test_json_output_shape(
    tmp_path: Path, templates: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = records(
        tmp_path / "r.jsonl",
        [
            {"id": "p1", "data": {"name": "张伟", "age_years": 70}, "tags": ["志愿者"]},
            {"id": "p2", "data": {"name": "", "age_years": 200}},
        ],
    )
    assert ybt("validate", "--json", "--template", templates[0], path) == 1
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 2
    first, second = lines
    assert first["id"] == "p1" and first["tags"] == ["老年人", "志愿者"] and first["issues"] == []
    assert second["id"] == "p2"
    issues = {i["rule"]: i for i in second["issues"]}
    assert set(issues) == {"name:required", "age_years:constraint"}
    req = issues["name:required"]
    assert req["severity"] == "error" and req["field"] == "name" and req["message"] == "「姓名」为必填项"
    assert req["message_en"] == "Name is required"


def test_malformed_lines_are_reported_with_their_numbers(
    tmp_path: Path, templates: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = records(
        tmp_path / "bad.jsonl",
        [
            {"id": "p1", "data": {"name": "张伟"}},
            "{not json",
            "[1, 2]",
            {"data": {"name": "无编号"}},
            {"id": "p5", "data": "张伟"},
            "",
            {"id": "p7", "data": {"name": "王芳"}},
            "[" * 100_000,
            {"id": "p1", "data": {"name": "重复"}},
        ],
    )
    assert ybt("validate", "--json", "--template", templates[0], path) == 1
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    errors = {x["line"]: x["error"] for x in lines if "line" in x}
    assert set(errors) == {2, 3, 4, 5, 8, 9}
    assert "deeply" in errors[8] and "duplicate id" in errors[9] and "line 1" in errors[9]
    assert "JSON" in errors[2] and "object" in errors[3] and "id" in errors[4] and "data" in errors[5]
    assert [x["id"] for x in lines if "id" in x] == ["p1", "p7"]


def test_malformed_lines_go_to_stderr_in_text_mode(
    tmp_path: Path, templates: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = records(tmp_path / "bad.jsonl", [{"id": "p1", "data": {"name": "张伟"}}, "{oops"])
    assert ybt("validate", "--template", templates[0], path) == 1
    captured = capsys.readouterr()
    assert "line 2" in captured.err
    assert "p1" in captured.out


def test_households_and_duplicates_across_the_file(
    tmp_path: Path, templates: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = records(
        tmp_path / "family.jsonl",
        [
            {"id": "f1", "kind": "household", "data": {"household_no": "1"}},
            {
                "id": "p1",
                "household_id": "f1",
                "data": {"name": "甲", "relation_to_head": "02", "id_number": "11010519491231002X"},
            },
            {
                "id": "p2",
                "household_id": "f1",
                "data": {"name": "乙", "relation_to_head": "02", "id_number": "11010519491231002X"},
            },
        ],
    )
    assert ybt("validate", "--json", "--template", templates[0], "--template", templates[1], path) == 1
    out = {x["id"]: x for x in map(json.loads, capsys.readouterr().out.splitlines())}
    assert [i["rule"] for i in out["f1"]["issues"]] == ["one_head"]
    assert [i["rule"] for i in out["p1"]["issues"]] == ["id_number:duplicate"]
    assert [i["rule"] for i in out["p2"]["issues"]] == ["id_number:duplicate"]


def test_unloadable_template_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _workbook(tmp_path / "bad.xlsx", {"survey": [["type", "name"], ["bogus_type", "x"]]})
    path = records(tmp_path / "r.jsonl", [{"id": "p1", "data": {}}])
    assert ybt("validate", "--template", bad, path) == 2
    err = capsys.readouterr().err
    assert "bad.xlsx" in err and "bogus_type" in err
    assert ybt("validate", "--template", str(tmp_path / "missing.xlsx"), path) == 2


def test_missing_records_file_is_a_usage_error(
    tmp_path: Path, templates: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert ybt("validate", "--template", templates[0], str(tmp_path / "none.jsonl")) == 2
    assert "none.jsonl" in capsys.readouterr().err
