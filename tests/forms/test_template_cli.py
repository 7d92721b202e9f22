"""``ybt template check``: summary and exit 0, or every located problem and exit 1."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path
from typing import Any

import pytest

from forms.cli import template as template_cli
from tests.forms.xlsform_builder import minimal_sheets, workbook


def run(*argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="ybt")
    sub = parser.add_subparsers(dest="command")
    template_cli.register(sub)
    args = parser.parse_args(list(argv))
    out = io.StringIO()
    if args.handler is template_cli.run_check:
        code = template_cli.run_check(args, out=out)
    else:
        code = args.handler(args)
    return code, out.getvalue()


def write(tmp_path: Path, sheets: dict[str, Any], name: str = "t.xlsx") -> str:
    p = tmp_path / name
    p.write_bytes(workbook(sheets))
    return str(p)


def test_valid_template_prints_summary(tmp_path: Path) -> None:
    code, out = run("template", "check", write(tmp_path, minimal_sheets()))
    assert code == 0
    assert "person" in out and "实有人口" in out and "2026.1" in out
    assert "fields: 7" in out and "calculate 2" in out
    assert "repeats: 1 (children)" in out
    assert "auto 2, manual 0, returned 1" in out
    assert "error 0, warning 1" in out
    assert "zh, en" in out


def test_valid_template_json(tmp_path: Path) -> None:
    code, out = run("template", "check", write(tmp_path, minimal_sheets()), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["ok"] is True
    assert data["form_id"] == "person" and data["entity"] == "person" and data["version"] == "2026.1"
    assert data["fields_by_type"] == {"text": 3, "date": 1, "select_one": 1, "calculate": 2}
    assert data["groups"] == 1 and data["repeats"] == ["children"] and data["choice_lists"] == 1
    assert data["tags_by_kind"] == {"auto": 2, "manual": 0, "returned": 1}
    assert data["rules_by_severity"] == {"error": 0, "warning": 1}
    assert data["languages"] == ["zh", "en"]


def test_broken_template_lists_every_error_with_location(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["survey"][3][6] = "age(${birthdate})"
    sheets["survey"].append(["photo", "pic", "照片", "Photo", None, None, None, None])
    path = write(tmp_path, sheets)
    code, out = run("template", "check", path)
    assert code == 1
    assert "2 个错误 / 2 error(s)" in out
    assert "sheet 'survey', row 4, column 'calculation', position 4" in out
    assert "sheet 'survey', row 13, column 'type'" in out and "photo" in out

    code, out = run("template", "check", path, "--json")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False
    assert [(e["sheet"], e["row"], e["column"], e["position"], e["code"]) for e in data["errors"]] == [
        ("survey", 4, "calculation", 4, "unknown_field"),
        ("survey", 13, "type", None, "unsupported_type"),
    ]


def test_skip_unsupported_turns_errors_into_warnings(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["survey"].append(["photo", "pic", "照片", "Photo", None, None, None, None])
    code, out = run("template", "check", write(tmp_path, sheets), "--skip-unsupported", "--json")
    assert code == 0
    data = json.loads(out)
    assert [(w["row"], w["code"]) for w in data["warnings"]] == [(13, "skipped_unsupported")]


def test_related_templates_check_aggregates(tmp_path: Path) -> None:
    person = write(tmp_path, minimal_sheets(), "person.xlsx")
    household = {
        "survey": [["type", "name", "label"], ["text", "household_no", "户号"]],
        "settings": [["form_id", "entity"], ["household", "household"]],
        "tags": [["tag", "scope", "kind", "condition"], ["有老人", "household", "auto", "any-members(${agee} >= 60)"]],
    }
    hh = write(tmp_path, household, "household.xlsx")
    assert run("template", "check", hh)[0] == 0  # without the person template, not checked
    code, out = run("template", "check", hh, "--related", person, "--json")
    assert code == 1
    (err,) = json.loads(out)["errors"]
    assert (err["sheet"], err["row"], err["column"], err["position"]) == ("tags", 2, "condition", 12)


@pytest.mark.parametrize(
    ("content", "expected"),
    [(None, "file not found"), (b"just text", "not a readable Excel workbook"), (b"", "empty file")],
)
def test_missing_or_unreadable_file(tmp_path: Path, content: bytes | None, expected: str) -> None:
    p = tmp_path / "x.xlsx"
    if content is not None:
        p.write_bytes(content)
    code, out = run("template", "check", str(p))
    assert code == 1
    assert expected in out
    assert "Traceback" not in out
    code, out = run("template", "check", str(p), "--json")
    assert code == 1 and json.loads(out)["ok"] is False


def test_directory_is_not_a_workbook(tmp_path: Path) -> None:
    code, out = run("template", "check", str(tmp_path))
    assert code == 1 and "directory" in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        run("template", "check")
    assert exc.value.code == 2
    assert run("template")[0] == 2
