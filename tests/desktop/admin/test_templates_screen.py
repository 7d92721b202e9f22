"""表单模板: the admin opens a broken workbook and sees each problem where it is; opens a good one and
sees what changes against the version in force, previews it over a real record, tries an expression,
publishes it to an area, and withdraws it again (kept, no longer in force)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from desktop.qt import QMessageBox
from tests.desktop.admin.conftest import WAIT
from tests.desktop.helpers import click, click_ok, when_modal
from tests.template_versions import SHIPPED, edited

pytestmark = pytest.mark.gui
COMMUNITY = "330102001002"  # 劳动路社区: no other GUI test works there


def broken(path: Path) -> Path:
    wb = load_workbook(SHIPPED / "person.xlsx")
    survey = wb["survey"]
    cols = [c.value for c in survey[1]]
    survey.cell(row=5, column=cols.index("constraint") + 1, value="${former_name} >> 3 and (")
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def version_row(screen: Any, version: str) -> tuple[int, dict[str, Any]] | None:
    for i, row in enumerate(screen.versions.rows):
        if row["form_id"] == "person" and row["version"] == version:
            return i, row
    return None


def opened(qtbot: Any, screen: Any, path: Path) -> None:
    screen.open_path(path)
    qtbot.waitUntil(lambda: screen.path == path and screen.busy == 0, timeout=WAIT)


def test_check_diff_preview_publish_and_withdraw(qtbot: Any, admin_window: Any, tmp_path: Path) -> None:
    screen = admin_window.show_screen("templates")
    qtbot.waitUntil(lambda: screen.loaded, timeout=WAIT)
    found = version_row(screen, "2026.1")
    assert found is not None and screen.versions.text(found[1], "state") == "在用"

    # a broken workbook: every problem in the table, located in words, nothing to publish
    opened(qtbot, screen, broken(tmp_path / "bad.xlsx"))
    assert screen.check_view.model.rowCount() >= 1
    assert screen.tabs.currentWidget() is screen.check_view
    assert "survey 表第 5 行 constraint 列" in screen.check_view.where.text()
    assert "不能发布" in screen.check_view.summary.text()
    assert not screen.publish_button.isEnabled()

    # a good one: the readable diff with the version in force, grouped by kind
    good = tmp_path / "person-2026.1t.xlsx"
    good.write_bytes(edited("person", "2026.1t", add=[("text", "wechat", "微信号", "", "phone")],
                           relabel={"employer": "工作单位"}))
    opened(qtbot, screen, good)
    assert screen.tabs.currentWidget() is screen.diff_view
    lines = screen.diff_view.lines()
    assert "新增字段（1）" in lines and "标题变化（1）" in lines
    assert any("wechat「微信号」" in line for line in lines)
    assert "2026.1 → 新版本 2026.1t" in screen.diff_view.heading.text()
    assert screen.publish_button.isEnabled()

    # the preview: the new form over a real record of the area, an expression tried against it
    preview = screen.preview
    assert preview.records.count() > 0 and preview.form is not None
    assert preview.form.template.version == "2026.1t" and preview.form.editor("wechat") is not None
    assert preview.panel.count() >= 1
    preview.expression.setText("string-length(${name}) > 0")
    click(qtbot, preview.try_button)
    assert preview.result.text() == "结果：true"
    preview.expression.setText("${name} +")
    click(qtbot, preview.try_button)
    assert "表达式错误" in preview.result.text()

    # publish to the community, confirming with the diff's summary
    seen: dict[str, str] = {}

    def confirm(dialog: Any) -> None:
        seen["summary"] = dialog.summary.text()
        dialog.area.setCurrentIndex(dialog.area.findData(COMMUNITY))
        click_ok(qtbot, dialog)

    when_modal(confirm)
    click(qtbot, screen.publish_button)
    qtbot.waitUntil(lambda: version_row(screen, "2026.1t") is not None, timeout=WAIT)
    assert "新增字段 1" in seen["summary"]
    index, row = version_row(screen, "2026.1t")  # type: ignore[misc]
    assert row["area"] == COMMUNITY and row["state"] == "in_force"

    # withdraw it: confirmed, then shown as withdrawn (kept in the list)
    screen.table.selectRow(index)
    assert screen.withdraw_button.isEnabled()
    when_modal(lambda box: click(qtbot, box.button(QMessageBox.StandardButton.Yes)))
    click(qtbot, screen.withdraw_button)
    qtbot.waitUntil(lambda: (version_row(screen, "2026.1t") or (0, {}))[1].get("state") == "withdrawn",
                    timeout=WAIT)
    assert screen.versions.text(version_row(screen, "2026.1t")[1], "state") == "已撤回"  # type: ignore[index]
