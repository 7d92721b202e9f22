"""``ybt template diff OLD NEW [--json]``: the changes between two workbooks, offline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.template_versions import SHIPPED, edited


def ybt(*argv: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "desktop.cli", *argv], capture_output=True, text=True,
                          timeout=120, env=None)
    return done.returncode, done.stdout + done.stderr


def test_diff_prints_each_change_grouped_by_kind(tmp_path: Path) -> None:
    new = tmp_path / "person-2.xlsx"
    new.write_bytes(edited("person", "2026.2", remove=["former_name"], rename={"occupation": "job"},
                           remove_choices={"marital_status": ["40"]}))
    code, out = ybt("template", "diff", str(SHIPPED / "person.xlsx"), str(new))
    assert code == 0, out
    assert "person 2026.1 → 2026.2" in out
    assert "删除字段:" in out and "former_name「曾用名」" in out
    assert "字段改名:" in out and "occupation → job" in out
    assert "删除选项 40「离婚」" in out

    code, out = ybt("template", "diff", str(SHIPPED / "person.xlsx"), str(new), "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["ok"] and payload["renames"] == {"occupation": "job"}
    assert payload["counts"] == {"field_removed": 1, "field_renamed": 1, "choices_changed": 1}


def test_a_broken_workbook_prints_its_problems_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    code, out = ybt("template", "diff", str(SHIPPED / "person.xlsx"), str(bad), "--json")
    assert code == 1
    assert json.loads(out.splitlines()[-1])["ok"] is False
