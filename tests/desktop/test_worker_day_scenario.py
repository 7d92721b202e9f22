"""One long day of a 网格员, from first login to an approved submission, against the real platform on
loopback: a visit without changes, a newborn, a move-out, the platform gone midway and back, a
returned submission and its fix, the supervisor's approval; the platform's data checked at the end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desktop.main_window import MainWindow
from desktop.qt import Qt
from desktop.session import authenticate
from desktop.sync_bootstrap import initial_sync
from desktop.workbench import attach
from forms.cn import check_char
from tests.desktop.helpers import click_ok, close_window, commit_text, when_modal
from tests.desktop.platform import PASSWORD, SUPERVISOR, WORKER, Platform, api_as
from tests.desktop.test_worker_day import WAIT, click, click_row, toolbar_button, visible_boxes

pytestmark = pytest.mark.gui


@pytest.fixture
def district(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    server = Platform(tmp_path_factory.mktemp("day-platform"), persons=150)
    server.start()
    yield server
    server.stop()


def sync(qtbot: Any, window: Any) -> Any:
    bench = window.workbench
    qtbot.waitUntil(lambda: not bench.sync_panel.running, timeout=WAIT)
    with qtbot.waitSignal(bench.sync_panel.synced, timeout=WAIT) as got:
        click(qtbot, toolbar_button(window, bench.actions["sync"]))
    return got.args[0]


def choose_house(qtbot: Any, window: Any, house_id: str) -> None:
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.houses.rowCount() > 0, timeout=WAIT)
    model = window.houses
    row = next(r for r in range(model.rowCount()) if model.row(r)["id"] == house_id)
    click_row(qtbot, window.house_pane.table, row)
    assert window.house_pane.current_id() == house_id


def test_a_workers_day_from_first_login_to_an_approved_submission(qtbot: Any, district: Platform, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop import reachability

    monkeypatch.setattr(reachability, "OFFLINE_CHECK_MS", 300)
    session = authenticate(tmp_path / "profile", district.url, WORKER, PASSWORD, initial_sync=initial_sync)
    window = MainWindow(session)
    bench = attach(window)
    window.show()
    supervisor = api_as(district.url, SUPERVISOR)
    store = session.store
    try:
        qtbot.waitUntil(lambda: window.online is True, timeout=WAIT)
        houses = [store.entities.get(r["id"]) for r in store.lists.houses(limit=40).rows]
        with_family = [h for h in houses if any(
            str(m["data"].get("relation_to_head")) == "02"
            for hh in store.entities.households(h["id"]) for m in store.entities.members(hh["id"]))]
        quiet_house, family_house = with_family[0], with_family[1]

        # 08:30 — a visit where nothing changed: 已核实, submitted as it is
        choose_house(qtbot, window, quiet_house["id"])
        when_modal(lambda dialog: click_ok(qtbot, dialog))
        click(qtbot, toolbar_button(window, bench.actions["submit"]))
        qtbot.waitUntil(lambda: store.visits.open_count() == 0, timeout=WAIT)

        # 09:10 — a newborn in the second house, then the visit's work submitted (有变更)
        choose_house(qtbot, window, family_house["id"])
        household = next(hh for hh in store.entities.households(family_house["id"]) if any(
            str(m["data"].get("relation_to_head")) == "02" for m in store.entities.members(hh["id"])))
        made: dict[str, str] = {}

        def newborn(dialog: Any) -> None:
            dialog.household.setCurrentIndex(dialog.household.findData(household["id"]))
            commit_text(dialog.name, "周小禾")
            qtbot.keyClick(dialog.sex, Qt.Key.Key_Down)  # 男
            click_ok(qtbot, dialog)
            made["id"] = str(dialog.result_id)

        when_modal(newborn)
        click(qtbot, toolbar_button(window, bench.actions["add_person"]))
        baby_id = made["id"]
        assert bench.editor.entity["id"] == baby_id
        # the one thing the household cannot know: the baby's own ID number, typed in the editor
        first17 = f"330102{date.today():%Y%m%d}001"
        id_line = bench.editor.form.editor("id_number").line
        qtbot.mouseClick(id_line, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(id_line, first17 + check_char(first17))
        when_modal(lambda dialog: click_ok(qtbot, dialog))
        click(qtbot, toolbar_button(window, bench.actions["submit"]))  # the house's work, the newborn in it
        qtbot.waitUntil(lambda: store.outbox.open_count() == 0, timeout=WAIT)
        first = store.outbox.items()[0]
        assert baby_id in first["entity_ids"]

        # 10:00 — in a basement: the platform is out of reach; a move-out is recorded and submitted
        district.stop()
        leaver = next(m for m in store.entities.residents(quiet_house["id"])
                      if m["data"].get("relation_to_head") != "02")
        bench.open(leaver["id"])
        qtbot.mouseClick(bench.editor.form.editor("occupation").line, Qt.MouseButton.LeftButton)
        when_modal(lambda dialog: click_ok(qtbot, dialog))
        bench.actions["moved_out"].trigger()  # 记录 ▸ 登记迁出: the person open in the editor
        assert store.entities.get(leaver["id"])["data"]["living_here"] == "no"
        when_modal(lambda dialog: click_ok(qtbot, dialog))
        click(qtbot, toolbar_button(window, bench.actions["submit"]))
        qtbot.waitUntil(lambda: window.online is False, timeout=WAIT)
        assert store.outbox.open_count() == 1 and not visible_boxes()

        # 10:40 — back upstairs: the platform answers again and the work goes without 同步
        district.start()
        qtbot.waitUntil(lambda: store.outbox.open_count() == 0 and store.visits.open_count() == 0, timeout=WAIT)

        # 14:00 — the supervisor returns the newborn's submission: the name is misspelt
        supervisor.post(f"/review/{first['id']}/decision", {
            "decision": "return", "comment": "请核对姓名",
            "comments": [{"entity_id": baby_id, "field": "name", "comment": "应为周小荷"}]})
        sync(qtbot, window)
        qtbot.waitUntil(lambda: bench.notices.box is not None and bench.notices.box.isVisible(), timeout=WAIT)
        assert bench.actions["outbox"].text().endswith("(1)")

        # 14:05 — the fix, from the returned list to the field, and submitted again
        bench.show_outbox(1)
        returned = bench.outbox.returned
        row = next(i for i in range(returned.count()) if "应为周小荷" in returned.item(i).text())
        assert "姓名" in returned.item(row).text()  # the field by its label
        qtbot.waitExposed(returned)
        rect = returned.visualItemRect(returned.item(row))
        # a double click as a mouse makes it: press and release, then the second press
        qtbot.mouseClick(returned.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(returned.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert bench.editor.entity["id"] == baby_id
        name = bench.editor.form.editor("name").line
        name.selectAll()
        commit_text(name, "周小荷")
        when_modal(lambda dialog: click_ok(qtbot, dialog))
        click(qtbot, bench.editor.submit_button)
        qtbot.waitUntil(lambda: store.outbox.open_count() == 0, timeout=WAIT)
        fix = next(s for s in store.outbox.items() if baby_id in s["entity_ids"] and s["id"] != first["id"])

        # 15:00 — the supervisor approves the fix and the move-out
        supervisor.post(f"/review/{fix['id']}/decision", {"decision": "approve"})
        move = next(s for s in store.outbox.items() if leaver["id"] in s["entity_ids"])
        supervisor.post(f"/review/{move['id']}/decision", {"decision": "approve"})
        sync(qtbot, window)
        qtbot.waitUntil(lambda: store.outbox.submission(fix["id"])["state"] == "approved", timeout=WAIT)
        assert bench.actions["outbox"].text() == "发件箱"

        # the platform's data at the end of the day
        baby = supervisor.get(f"/entities/{baby_id}")
        assert baby["data"]["name"] == "周小荷" and baby["data"]["relation_to_head"] in ("20", "30")
        assert baby["household_id"] == household["id"]
        gone = supervisor.get(f"/entities/{leaver['id']}")
        assert gone["state"] == "moved_out" and gone["data"]["living_here"] == "no"
        quiet = supervisor.get("/visits", {"house_id": quiet_house["id"]})
        # newest first: the move-out's visit, then the morning's check
        assert [v["result"] for v in quiet["items"]] == ["有变更", "已核实"] and quiet["verification"]["verified"]
        family = supervisor.get("/visits", {"house_id": family_house["id"]})
        assert [v["result"] for v in family["items"]] == ["有变更"]  # the fix at the desk is no visit
    finally:
        close_window(window)
