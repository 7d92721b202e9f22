"""The worker's day, each defect of issue 11 shown by driving the real widgets as a person does:
choosing, clicking, typing. The platform is the real server on loopback; offline is that server
stopped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from desktop.main_window import MainWindow
from desktop.qt import QApplication, QMessageBox, QPushButton, Qt, QToolButton
from desktop.session import authenticate
from desktop.sync_bootstrap import initial_sync
from desktop.workbench import attach
from tests.desktop.helpers import click, click_ok, close_window, commit_text, when_modal
from tests.desktop.platform import PASSWORD, SUPERVISOR, WORKER, Platform, api_as

pytestmark = pytest.mark.gui
WAIT = 60_000
#: A valid citizen ID number (check digit X): born 1949-12-31, sequence digit even (female).
ID_NUMBER = "11010519491231002X"


# -- helpers -------------------------------------------------------------------------------------------

def toolbar_button(window: Any, action: Any) -> QToolButton:
    button = window.sync_toolbar.widgetForAction(action)
    assert isinstance(button, QToolButton), f"{action.objectName()} is not on the toolbar"
    return button


def click_row(qtbot: Any, table: Any, row: int) -> None:
    table.scrollTo(table.model().index(row, 0))
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def visible_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def row_of(window: Any, entity_id: str) -> int:
    model = window.persons
    for r in range(model.rowCount()):
        if model.row(r).get("id") == entity_id:
            return r
    raise AssertionError("not in the list")


@pytest.fixture
def bench(main_window: Any) -> Any:
    return attach(main_window)


@pytest.fixture
def worker_window(qtbot: Any, platform: Any, tmp_path: Path) -> Iterator[Any]:
    """The worker logged in to the shared platform, with the window as the app builds it."""
    session = authenticate(tmp_path / "profile", platform.url, WORKER, PASSWORD, initial_sync=initial_sync)
    window = MainWindow(session)
    attach(window)
    window.show()
    qtbot.waitUntil(lambda: window.online is True, timeout=WAIT)
    yield window
    close_window(window)


def a_house_row(qtbot: Any, window: Any) -> dict[str, Any]:
    """Click the houses tab and the first house: the current record is that house."""
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.houses.rowCount() > 0, timeout=WAIT)
    click_row(qtbot, window.house_pane.table, 0)
    house_id = window.house_pane.current_id()
    assert house_id
    return window.session.store.entities.get(house_id)


# -- 2. actions hit the record the worker chose ---------------------------------------------------------

def test_an_action_changes_the_row_selected_and_its_dialog_says_which(qtbot: Any, main_window: Any,
                                                                       bench: Any) -> None:
    store = main_window.session.store
    table = main_window.person_pane.table
    qtbot.waitUntil(lambda: main_window.persons.rowCount() > 5, timeout=WAIT)
    click_row(qtbot, table, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # open the first person in the editor
    opened = bench.editor.entity
    assert opened is not None
    click_row(qtbot, table, 3)  # then choose another person in the list
    chosen = store.entities.get(main_window.person_pane.current_id())
    assert chosen["id"] != opened["id"]
    seen: dict[str, str] = {}

    def confirm(dialog: Any) -> None:
        seen["target"] = dialog.target_label.text()
        seen["caution"] = dialog.caution.text()
        click_ok(qtbot, dialog)

    when_modal(confirm)
    bench.actions["moved_out"].trigger()  # 记录 ▸ 登记迁出
    assert chosen["data"]["name"] in seen["target"]
    assert opened["data"]["name"] in seen["caution"]
    assert store.entities.get(chosen["id"])["state"] == "moved_out"
    assert store.entities.get(opened["id"])["state"] == "active"  # the record open in the editor is untouched


def test_with_the_editor_touched_last_the_action_takes_the_editors_record(qtbot: Any, main_window: Any,
                                                                         bench: Any) -> None:
    store = main_window.session.store
    table = main_window.person_pane.table
    qtbot.waitUntil(lambda: main_window.persons.rowCount() > 5, timeout=WAIT)
    click_row(qtbot, table, 1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    opened = bench.editor.entity
    click_row(qtbot, table, 4)
    listed = main_window.person_pane.current_id()
    line = bench.editor.form.editor("occupation").line
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)  # back into the editor
    seen: dict[str, str] = {}

    def confirm(dialog: Any) -> None:
        seen["target"] = dialog.target_label.text()
        click_ok(qtbot, dialog)

    when_modal(confirm)
    bench.actions["deceased"].trigger()
    assert opened["data"]["name"] in seen["target"]
    assert store.entities.get(opened["id"])["state"] == "deceased"
    assert store.entities.get(listed)["state"] == "active"


# -- 3. validation of the value on screen ----------------------------------------------------------------

def test_a_typed_phone_is_checked_as_it_stands_not_a_keystroke_behind(qtbot: Any, main_window: Any,
                                                                      bench: Any) -> None:
    table = main_window.person_pane.table
    qtbot.waitUntil(lambda: main_window.persons.rowCount() > 0, timeout=WAIT)
    click_row(qtbot, table, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    phone = bench.editor.form.editor("phone")
    message = bench.editor.form.rows["phone"].message
    qtbot.mouseClick(phone.line, Qt.MouseButton.LeftButton)
    phone.line.selectAll()
    qtbot.keyClick(phone.line, Qt.Key.Key_Delete)
    qtbot.keyClicks(phone.line, "1391234567")          # ten digits: wrong
    assert not message.isHidden() and "11" in message.text()
    qtbot.keyClicks(phone.line, "8")                   # the eleventh: right, at once
    assert message.isHidden() or not message.text()
    assert phone.value() == "13912345678"
    editor_errors = sum(1 for f in bench.editor.last.findings if f.is_error)
    bench.editor.save_now()
    from desktop.submit_flow import collect_work

    work = collect_work(main_window.session.store, bench.forms, bench.editor.entity["id"])
    mine = [f for e, f in work.blocking if e["id"] == bench.editor.entity["id"]]
    assert len(mine) == editor_errors  # the editor's count and the submit dialog's are the same findings


# -- 5 and 6. life events leave a consistent record ------------------------------------------------------

def test_a_newborn_takes_the_households_facts_and_the_picker_names_the_head(qtbot: Any, main_window: Any,
                                                                           bench: Any) -> None:
    store = main_window.session.store
    house = next(h for h in (store.entities.get(r["id"]) for r in store.lists.houses(limit=100).rows)
                 if any(str((m.get("data") or {}).get("relation_to_head")) == "02"
                        for hh in store.entities.households(h["id"]) for m in store.entities.members(hh["id"])))
    household = next(hh for hh in store.entities.households(house["id"])
                     if any(str(m["data"].get("relation_to_head")) == "02" for m in store.entities.members(hh["id"])))
    head = next(m for m in store.entities.members(household["id"]) if m["data"].get("relation_to_head") == "02")
    main_window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: main_window.houses.rowCount() > 0, timeout=WAIT)
    main_window.house_pane.table.setFocus()
    main_window.house_pane.table.setCurrentIndex(main_window.houses.index(
        next(r for r in range(main_window.houses.rowCount()) if main_window.houses.row(r)["id"] == house["id"]), 0))
    created: dict[str, Any] = {}

    def newborn(dialog: Any) -> None:
        texts = [dialog.household.itemText(i) for i in range(dialog.household.count())]
        created["picker"] = texts
        dialog.household.setCurrentIndex(dialog.household.findData(household["id"]))
        reason = dialog.reason
        reason.setFocus()
        while str(reason.currentData()) != "新生儿":
            qtbot.keyClick(reason, Qt.Key.Key_Down)
        commit_text(dialog.name, "李小满")
        qtbot.keyClick(dialog.sex, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.sex, Qt.Key.Key_Down)  # 女
        click_ok(qtbot, dialog)
        created["id"] = dialog.result_id

    when_modal(newborn)
    click(qtbot, toolbar_button(main_window, bench.actions["add_person"]))
    assert any(head["data"]["name"] in t for t in created["picker"]), created["picker"]
    baby = store.entities.get(created["id"])["data"]
    assert baby["sex"] == "2" and baby["relation_to_head"] == "30" and baby["living_here"] == "yes"
    for name in ("hukou_no", "hukou_address", "nationality"):
        if head["data"].get(name):
            assert baby[name] == head["data"][name], name
    assert baby["head_name"] == head["data"]["name"]


def test_typing_an_id_number_gives_the_birth_date_and_sex(qtbot: Any, main_window: Any, bench: Any) -> None:
    store = main_window.session.store
    house = store.entities.get(store.lists.houses(limit=1).rows[0]["id"])
    person_id = store.edits.create("person", "person", house["grid"], {"name": "赵新", "id_type": "01"},
                                   house_id=house["id"])
    bench.open(person_id)
    line = bench.editor.form.editor("id_number").line
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(line, ID_NUMBER)
    assert bench.editor.form.editor("birth_date").value() == "1949-12-31"
    assert bench.editor.form.editor("sex").value() == "2"


# -- 10, 11. the smaller points -------------------------------------------------------------------------

def test_enter_in_the_search_box_opens_the_first_hit(qtbot: Any, main_window: Any, bench: Any) -> None:
    qtbot.waitUntil(lambda: main_window.persons.rowCount() > 0, timeout=WAIT)
    name = main_window.persons.row(0)["name"]
    commit_text(main_window.search_box, name)
    qtbot.keyClick(main_window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bench.editor.entity is not None, timeout=WAIT)
    assert bench.editor.entity["data"]["name"] == name


def test_down_in_the_search_box_goes_to_the_first_hit(qtbot: Any, main_window: Any, bench: Any) -> None:
    qtbot.waitUntil(lambda: main_window.persons.rowCount() > 0, timeout=WAIT)
    main_window.search_box.setFocus()
    qtbot.keyClick(main_window.search_box, Qt.Key.Key_Down)
    assert main_window.person_pane.table.hasFocus()
    assert main_window.person_pane.table.currentIndex().row() == 0


def test_ctrl_l_locks_from_the_search_box(qtbot: Any, main_window: Any, bench: Any) -> None:
    main_window.activateWindow()
    main_window.search_box.setFocus()
    qtbot.keyClick(main_window.search_box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert main_window.is_locked()


def test_the_toolbar_fits_at_1366_and_every_action_is_in_a_menu(qtbot: Any, main_window: Any, bench: Any) -> None:
    main_window.resize(1366, 768)
    qtbot.wait(50)
    extension = main_window.sync_toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension is None or not extension.isVisible(), "the toolbar overflows"
    in_menus = {a.objectName() for m in (main_window.record_menu, main_window.sync_menu) for a in m.actions()}
    assert {f"action_{k}" for k in bench.actions} <= in_menus
    assert "action_logout" in {a.objectName() for a in main_window.file_menu.actions()}


# -- 8. quitting with unsent work -------------------------------------------------------------------------

def test_quitting_with_unsent_work_says_so_and_can_be_cancelled(qtbot: Any, main_window: Any, bench: Any) -> None:
    store = main_window.session.store
    person = store.entities.get(store.lists.persons(limit=1).rows[0]["id"])
    store.edits.save_draft(person["id"], dict(person["data"], occupation="社区志愿者"))
    store.outbox.submit([person["id"]])
    seen: dict[str, str] = {}

    def stay(box: Any) -> None:
        seen["text"] = box.text()
        click(qtbot, box.findChild(QPushButton, "leave_cancel"))

    when_modal(stay)
    main_window.close()
    assert main_window.isVisible()
    assert "1 份提交尚未上传" in seen["text"]

    when_modal(lambda box: click(qtbot, box.findChild(QPushButton, "leave_now")))
    main_window.close()
    assert not main_window.isVisible()
    assert store.outbox.open_count() == 1  # nothing lost: it goes with the next sync


# -- 1, 4, 7, 8 against the platform ---------------------------------------------------------------------

def test_a_visit_without_changes_reaches_the_platform(qtbot: Any, platform: Any, worker_window: Any) -> None:
    window, bench = worker_window, worker_window.workbench
    house = a_house_row(qtbot, window)

    def verified(dialog: Any) -> None:
        assert house["data"].get("address", "") in dialog.target.text()
        assert dialog.results.checkedButton().text() == "已核实"
        click_ok(qtbot, dialog)

    when_modal(verified)
    click(qtbot, toolbar_button(window, bench.actions["submit"]))  # 提交走访, nothing changed
    supervisor = api_as(platform.url, SUPERVISOR)

    def on_platform() -> bool:
        items = supervisor.get("/visits", {"house_id": house["id"]})["items"]
        return any(v["result"] == "已核实" for v in items)

    qtbot.waitUntil(on_platform, timeout=WAIT)  # sent in the background after the submit: no 同步 pressed
    assert not visible_boxes()


def test_returned_work_is_announced_with_field_labels_and_a_badge(qtbot: Any, platform: Any,
                                                                 worker_window: Any) -> None:
    window, bench = worker_window, worker_window.workbench
    store = window.session.store
    person = next(store.entities.get(r["id"]) for r in store.lists.persons(limit=50).rows
                  if store.entities.get(r["id"])["status"] == "synced")
    store.edits.save_draft(person["id"], dict(person["data"], phone="13912340000"))
    sid = store.outbox.submit([person["id"]])
    with qtbot.waitSignal(bench.sync_panel.synced, timeout=WAIT):
        click(qtbot, toolbar_button(window, bench.actions["sync"]))
    # a sync already under way when the button was pressed (the one after login) may have answered
    # first: wait until this submission itself is with the platform
    qtbot.waitUntil(lambda: store.outbox.submission(sid)["state"] not in ("queued", "sending"), timeout=WAIT)
    api_as(platform.url, SUPERVISOR).post(f"/review/{sid}/decision", {
        "decision": "return", "comment": "请核实",
        "comments": [{"entity_id": person["id"], "field": "phone", "comment": "号码不对"}]})
    with qtbot.waitSignal(bench.sync_panel.synced, timeout=WAIT):
        click(qtbot, toolbar_button(window, bench.actions["sync"]))
    qtbot.waitUntil(lambda: bench.notices.box is not None and bench.notices.box.isVisible(), timeout=WAIT)
    assert "退回" in bench.notices.box.text()
    assert bench.actions["outbox"].text().endswith("(1)")
    click(qtbot, bench.notices.box.findChild(QPushButton, "work_notice_open"))
    assert bench.outbox_dock.isVisible() and bench.outbox.tabs.currentIndex() == 1
    assert bench.outbox.tabs.tabText(1) == "退回待改 (1)"
    texts = [bench.outbox.returned.item(i).text() for i in range(bench.outbox.returned.count())]
    assert any("联系电话" in t and "号码不对" in t for t in texts), texts


def test_log_out_ends_the_platform_session_and_keeps_the_store(qtbot: Any, platform: Any,
                                                              worker_window: Any) -> None:
    window = worker_window
    client = window.session.client
    refresh = client.tokens.refresh_token
    store_dir = window.session.store_dir
    logged_out: list[bool] = []
    window.logged_out.connect(lambda: logged_out.append(True))
    window.logout_action.trigger()  # 文件 ▸ 注销
    assert logged_out == [True] and not window.isVisible()
    answer = requests.post(f"{platform.url}/api/v1/auth/refresh", json={"refresh_token": refresh}, timeout=10)
    assert answer.status_code == 401
    assert any(Path(store_dir).iterdir())  # the encrypted store stays on the laptop


# -- 4. offline is the normal state ------------------------------------------------------------------------

@pytest.fixture
def own_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    server = Platform(tmp_path_factory.mktemp("offline-platform"), persons=120)
    server.start()
    yield server
    server.stop()


def test_offline_is_calm_and_the_work_goes_when_the_platform_is_back(qtbot: Any, own_platform: Platform,
                                                                    tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop import reachability

    monkeypatch.setattr(reachability, "OFFLINE_CHECK_MS", 300)
    session = authenticate(tmp_path / "profile", own_platform.url, WORKER, PASSWORD, initial_sync=initial_sync)
    window = MainWindow(session)
    bench = attach(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.online is True, timeout=WAIT)
        store = session.store
        own_platform.stop()
        person = next(store.entities.get(r["id"]) for r in store.lists.persons(limit=20).rows)
        store.edits.save_draft(person["id"], dict(person["data"], occupation="保安"))
        bench.open(person["id"])
        when_modal(lambda dialog: click_ok(qtbot, dialog))
        click(qtbot, toolbar_button(window, bench.actions["submit"]))
        qtbot.waitUntil(lambda: window.online is False, timeout=WAIT)
        with qtbot.waitSignal(bench.sync_panel.synced, timeout=WAIT):
            click(qtbot, toolbar_button(window, bench.actions["sync"]))  # the worker tries anyway
        assert not visible_boxes(), "no box for an unreachable platform"
        assert "离线" in bench.sync_panel.label.text() and "Errno" not in bench.sync_panel.label.text()
        click(qtbot, toolbar_button(window, bench.actions["outbox"]))
        states = {bench.outbox.table.item(r, 1).text() for r in range(bench.outbox.table.rowCount())}
        assert states == {"待发送"}
        own_platform.start()  # back in range: noticed and sent without 同步 being pressed
        qtbot.waitUntil(lambda: store.outbox.open_count() == 0 and store.visits.open_count() == 0, timeout=WAIT)
        assert window.online is True
    finally:
        close_window(window)


def test_a_supervisors_dashboard_loads_when_its_tab_is_shown(qtbot: Any, platform: Any, tmp_path: Path) -> None:
    from desktop.review import attach_review

    session = authenticate(tmp_path / "sup", platform.url, SUPERVISOR, PASSWORD, initial_sync=initial_sync)
    window = MainWindow(session)
    attach(window)
    tools: Any = attach_review(window)
    window.show()
    try:
        with qtbot.waitSignal(tools.dashboard.loaded, timeout=WAIT):
            tools.dashboard_dock.raise_()  # its tab clicked: no 刷新 needed
        assert tools.dashboard.cards["persons"].value.text() not in ("", "—")
        assert "本周期" in tools.dashboard.visit_caption.text()
        assert tools.dashboard.visit_table.rowCount() >= 1
    finally:
        close_window(window)


def test_the_due_list_opens_a_visit_in_one_key(qtbot: Any, main_window: Any, bench: Any) -> None:
    store = main_window.session.store
    with qtbot.waitSignal(bench.due.counted, timeout=WAIT):
        bench.actions["due"].trigger()
    assert bench.due.total > 0 and bench.due.table.rowCount() > 0
    first = bench.due.rows[0]
    house_id = first.get("house_id") or first["entity_id"]
    bench.due.table.setFocus()
    bench.due.table.setCurrentCell(0, 0)
    when_modal(lambda dialog: click_ok(qtbot, dialog))
    qtbot.keyClick(bench.due.table, Qt.Key.Key_Return)
    assert [v["result"] for v in store.visits.of_house(house_id)][:1] == ["已核实"]


def test_an_age_in_the_future_is_no_age(qtbot: Any, main_window: Any, bench: Any) -> None:
    store = main_window.session.store
    house = store.entities.get(store.lists.houses(limit=1).rows[0]["id"])
    person_id = store.edits.create("person", "person", house["grid"], {"name": "钱未", "birth_date": "2099-01-01"},
                                   house_id=house["id"])
    bench.open(person_id)
    assert bench.editor.form.editor("age").value() == ""
    assert not {"婴幼儿", "未成年人"} & set(bench.editor.last.tags)


def test_the_editor_in_english_says_autosaved_in_english(qtbot: Any, main_window: Any, bench: Any) -> None:
    from desktop import i18n

    store = main_window.session.store
    bench.open(store.lists.persons(limit=1).rows[0]["id"])
    i18n.set_language("en")
    try:
        commit_text(bench.editor.form.editor("occupation").line, "x")
        bench.editor.save_now()
        assert bench.editor.saved_label.text() == "Saved automatically"
        assert bench.outbox.tabs.tabText(0) == "Outbox"
    finally:
        i18n.set_language("zh")


def test_a_sync_leaves_the_area_tree_as_the_worker_opened_it(qtbot: Any, worker_window: Any) -> None:
    from desktop.models.area_tree import LEVEL_ROLE

    window, bench = worker_window, worker_window.workbench
    tree, areas = window.tree, window.areas

    def find(level: str, parent: Any = None) -> Any:
        from desktop.qt import QModelIndex

        parent = parent if parent is not None else QModelIndex()
        for row in range(areas.rowCount(parent)):
            child = areas.index(row, 0, parent)
            if child.data(LEVEL_ROLE) == level:
                return child
            if tree.isExpanded(child):
                found = find(level, child)
                if found is not None:
                    return found
        return None

    qtbot.waitUntil(lambda: find("grid") is not None, timeout=WAIT)  # opened down to the grids
    grid = find("grid")
    tree.expand(grid)
    qtbot.waitUntil(lambda: areas.rowCount(grid) > 0, timeout=WAIT)
    estate = areas.index(0, 0, grid)
    rect = tree.visualRect(estate)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(tree, Qt.Key.Key_Right)  # open the estate with the keyboard
    assert tree.isExpanded(estate)
    name = estate.data(Qt.ItemDataRole.DisplayRole)
    qtbot.waitUntil(lambda: not bench.sync_panel.running, timeout=WAIT)
    with qtbot.waitSignal(bench.sync_panel.synced, timeout=WAIT):
        click(qtbot, toolbar_button(window, bench.actions["sync"]))
    grid = find("grid")
    assert grid is not None and tree.isExpanded(grid)
    estate = next(areas.index(r, 0, grid) for r in range(areas.rowCount(grid))
                  if areas.index(r, 0, grid).data(Qt.ItemDataRole.DisplayRole) == name)
    assert tree.isExpanded(estate)
