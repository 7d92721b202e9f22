"""审计日志 on the admin's window against the real platform: a worker's uploaded reveals are listed,
the action filter shows only that action, the pages go on and back (buttons and keyboard), and the
filtered log is exported to a workbook chosen in the save dialog."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from desktop.qt import Qt
from tests.desktop.admin.conftest import WAIT
from tests.desktop.helpers import click, when_modal
from tests.desktop.platform import api_as


def upload(url: str, user: str, entries: list[dict[str, Any]]) -> None:
    api = api_as(url, user)
    body = api.post("/audit", {"log_id": uuid.uuid4().hex, "entries": entries})
    assert [r["outcome"] for r in body["results"]] == ["accepted"] * len(entries)


def entry(local_id: int, action: str, entity: str) -> dict[str, Any]:
    return {"id": local_id, "at": "2026-12-03T01:00:00Z", "action": action, "entity_id": entity,
            "field": "id_number", "reason": f"核对{local_id}", "detail": None}


def column(screen: Any, key: str) -> list[str]:
    col = next(c for c in range(screen.model.columnCount()) if screen.model.column_key(c) == key)
    return [str(screen.model.index(r, col).data()) for r in range(screen.model.rowCount())]


def shown(qtbot: Any, screen: Any, action: Any) -> None:
    before = screen.model.entries
    action()
    qtbot.waitUntil(lambda: screen.model.entries is not before and not screen.busy, timeout=WAIT)


def test_the_audit_log_filters_pages_and_exports(qtbot: Any, admin_window: Any, platform: Any,
                                                 tmp_path: Path) -> None:
    entity = str(uuid.uuid4())
    upload(platform.url, "wg_qbm_1", [entry(i, "reveal", entity) for i in range(1, 8)]
           + [entry(8, "export", entity)])
    screen = admin_window.show_screen("audit")
    qtbot.waitUntil(lambda: screen.action.count() > 20 and screen.model.rowCount() > 0 and not screen.busy,
                    timeout=WAIT)
    assert "登录" in column(screen, "action")          # the admin's own login, newest first

    screen.entity.setText(entity)
    shown(qtbot, screen, lambda: click(qtbot, screen.search))
    assert sorted(set(column(screen, "action"))) == ["导出", "查看完整信息"] and screen.model.rowCount() == 8
    screen.action.setCurrentIndex(screen.action.findText("查看完整信息"))
    shown(qtbot, screen, lambda: click(qtbot, screen.search))
    assert column(screen, "action") == ["查看完整信息"] * 7
    assert set(column(screen, "who")) == {"wg_qbm_1"}
    assert column(screen, "detail")[0].startswith("reason=核对7, field=id_number")
    assert column(screen, "source")[0].startswith("设备")

    screen.page_size = 3
    shown(qtbot, screen, lambda: click(qtbot, screen.search))
    first = column(screen, "detail")
    assert len(first) == 3 and screen.page_label.text() == "第 1 页" and not screen.prev_button.isEnabled()
    shown(qtbot, screen, lambda: click(qtbot, screen.next_button))
    second = column(screen, "detail")
    assert len(second) == 3 and not set(first) & set(second) and screen.page_label.text() == "第 2 页"
    screen.table.setFocus()
    shown(qtbot, screen, lambda: qtbot.keyClick(screen.table, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier))
    assert len(column(screen, "detail")) == 1 and not screen.next_button.isEnabled()
    shown(qtbot, screen, lambda: qtbot.keyClick(screen.table, Qt.Key.Key_PageUp))
    assert column(screen, "detail") == second
    shown(qtbot, screen, lambda: click(qtbot, screen.prev_button))
    assert column(screen, "detail") == first

    target = tmp_path / "审计.xlsx"

    def save(dialog: Any) -> None:
        dialog.selectFile(str(target))
        dialog.accept()

    when_modal(save)
    click(qtbot, screen.export_button)
    qtbot.waitUntil(lambda: screen.last_export is not None, timeout=WAIT)
    from openpyxl import load_workbook

    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "时间", "操作人", "操作") and len(rows) == 8     # every page, not just this one
    assert {r[4] for r in rows[1:]} == {"查看完整信息"}
    exported = [e for e in admin_window.session.store.audit.entries() if e["action"] == "export"]
    assert exported and exported[0]["detail"]["rows"] == 7               # the export is audited too
