"""The admin's 导入 screen against the real platform: a ledger chosen is checked at once (the columns
with their matched fields, the first rows of the file), its problems listed and filtered, a problem's
row selected in the file's preview, the annotated workbook saved; apply writes it with progress; the
columns edited are saved as a named mapping the platform lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from desktop.admin.models.import_issues import ITEM_ROLE
from sync.server import tables as t
from sync.server.db import make_engine
from tests.desktop.admin.conftest import WAIT
from tests.desktop.helpers import click, commit_text
from tests.server.imports_live import new_id_number, workbook

pytestmark = pytest.mark.gui
HEADER = ["姓名", "公民身份号码", "性别", "民族", "出生日期", "网格", "人口类型", "证件类型", "国籍", "户籍地行政区划代码",
          "户籍详址", "户籍在本址", "在本址居住", "与户主关系", "居住类型", "备注"]
RESIDENT = ["户籍人口", "居民身份证", "中国", "330102", "清波街道柳浪新村1幢1单元101室", "是", "是", "02", "自住", "无"]


def _numbers(db_url: str) -> set[str]:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        found = {r[0] for r in conn.execute(sa.select(t.entities.c.id_number).where(t.entities.c.id_number.is_not(None)))}
    engine.dispose()
    return found


def test_check_look_at_the_problems_save_the_report_and_apply(qtbot: Any, admin_window: Any, platform: Any,
                                                              tmp_path: Path) -> None:
    fresh = new_id_number(44, "19870707")
    rows = [["界面新人", fresh, "女", "汉族", "1987-07-07", "清波门第一网格", *RESIDENT],
            ["号码短", "3301021987", "女", "汉族", "1987-07-07", "清波门第一网格", *RESIDENT]]
    path = tmp_path / "界面台账.xlsx"
    path.write_bytes(workbook(HEADER, rows, title="界面测试台账"))
    screen = admin_window.show_screen("imports")
    screen.choose(path)
    qtbot.waitUntil(lambda: screen.ready() and (screen.job or {}).get("status") == "checked", timeout=WAIT)
    assert "新建 1" in screen.summary.text() and "错误 1" in screen.summary.text()
    fields = {screen.columns.index(r, 0).data(): screen.columns.index(r, 1).data() for r in range(screen.columns.rowCount())}
    assert fields["公民身份号码"] == "id_number" and fields["备注"] == ""
    assert screen.preview.model.rowCount() == 2

    screen.severity.setCurrentIndex(1)  # errors only
    assert screen.proxy.rowCount() >= 1
    first = screen.proxy.index(0, 0)
    assert first.data(ITEM_ROLE)["row"] == 4
    screen.issues_view.setCurrentIndex(first)
    assert screen.preview.view.currentIndex().row() == 1  # the file's row 4 is the preview's second row

    report = tmp_path / "问题.xlsx"
    screen.save_report(report)
    qtbot.waitUntil(lambda: screen.ready() and report.exists(), timeout=WAIT)
    assert load_workbook(report).active.cell(4, 2).comment is not None

    assert fresh not in _numbers(platform.db_url)
    click(qtbot, screen.apply_button)
    qtbot.waitUntil(lambda: screen.ready() and (screen.job or {}).get("status") == "applied", timeout=WAIT)
    assert "已导入" in screen.summary.text()
    assert fresh in _numbers(platform.db_url)

    commit_text(screen.mapping_name, "界面测试映射")
    click(qtbot, screen.save_mapping_button)
    qtbot.waitUntil(screen.ready, timeout=WAIT)
    saved = {m["name"]: m for m in screen.api.items("/import-mappings")}
    assert saved["界面测试映射"]["columns"]["公民身份号码"] == "id_number"
