"""The main window on a real store: search, masking and reveal, area tree, filters, language, lock."""

from __future__ import annotations

from typing import Any

import pytest

from desktop import i18n
from desktop.masking import RevealDialog
from desktop.models.area_tree import LEVEL_ROLE
from desktop.qt import QApplication, QPoint, Qt, QWidget
from forms.cn import mask_id, mask_phone
from sync.store.textindex import name_pinyin
from tests.desktop.conftest import WINDOW_PASSWORD, make_session
from tests.desktop.helpers import column_values, commit_text, when_modal

pytestmark = pytest.mark.gui


def all_rows(model: Any) -> list[dict[str, Any]]:
    return [dict(model.row(r)) for r in range(model.rowCount())]


def search(qtbot: Any, window: Any, text: str, ascii_keys: bool = False) -> None:
    before = window.search.searches_run
    window.search_box.clear()
    if ascii_keys:
        qtbot.keyClicks(window.search_box, text)
    else:
        commit_text(window.search_box, text)
    qtbot.waitUntil(lambda: window.search.searches_run > before and window.persons.query.text == text,
                    timeout=5000)


def test_typing_a_name_updates_the_person_list(qtbot: Any, main_window: Any) -> None:
    everyone = main_window.persons.total()
    assert everyone == 300
    search(qtbot, main_window, "王")
    names = column_values(main_window.persons, "name")
    assert 0 < len(names) < everyone
    assert all("王" in n for n in names)
    assert "王" in main_window.count_label.text()
    main_window.search_box.clear()
    qtbot.waitUntil(lambda: main_window.persons.query.text == "" and main_window.persons.total() == everyone,
                    timeout=5000)


def test_pinyin_initials_and_number_tails_find_the_person(qtbot: Any, main_window: Any) -> None:
    target = main_window.persons.row(17)
    syllables, _ = name_pinyin(target["name"])
    initials = "".join(s[0] for s in syllables)
    search(qtbot, main_window, initials, ascii_keys=True)
    assert target["id"] in {r["id"] for r in all_rows(main_window.persons)}
    search(qtbot, main_window, target["id_number"][-4:], ascii_keys=True)
    assert target["id"] in {r["id"] for r in all_rows(main_window.persons)}
    if target["phone"]:
        search(qtbot, main_window, target["phone"][-4:], ascii_keys=True)
        assert target["id"] in {r["id"] for r in all_rows(main_window.persons)}


def test_ctrl_f_focuses_the_search_box(qtbot: Any, main_window: Any) -> None:
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow, timeout=2000)
    table = main_window.person_pane.table
    table.setFocus()
    assert QApplication.focusWidget() is table
    qtbot.keyClick(table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is main_window.search_box


def test_numbers_are_masked_and_reveal_asks_a_reason_and_is_audited(qtbot: Any, main_window: Any) -> None:
    model = main_window.persons
    row = next(r for r in range(model.rowCount()) if model.row(r)["phone"])
    person = model.row(row)
    id_col = next(i for i, c in enumerate(model.columns) if c.key == "id_number")
    phone_col = next(i for i, c in enumerate(model.columns) if c.key == "phone")
    assert model.index(row, id_col).data() == mask_id(person["id_number"])
    assert model.index(row, phone_col).data() == mask_phone(person["phone"])
    assert person["id_number"] not in model.index(row, id_col).data()

    # Cancelling the dialog reveals nothing and logs nothing.
    when_modal(lambda d: d.close())
    main_window.reveal(person["id"])
    assert model.index(row, id_col).data() == mask_id(person["id_number"])
    assert not [a for a in main_window.session.store.audit.entries() if a["action"] == "reveal"]

    def give_reason(dialog: QWidget) -> None:
        assert isinstance(dialog, RevealDialog)
        ok = dialog.buttons.buttons()[0]
        assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled(), "no reason, no reveal"
        line = dialog.reason.lineEdit()
        assert line is not None
        commit_text(line, "入户走访核实身份")
        assert ok is not None
        dialog.accept()

    when_modal(give_reason)
    main_window.reveal(person["id"])
    assert model.index(row, id_col).data() == person["id_number"]
    assert model.index(row, phone_col).data() == person["phone"]
    other = model.row(row + 1 if row + 1 < model.rowCount() else row - 1)
    assert model.index(model.find_row(other["id"]), id_col).data() == mask_id(other["id_number"])
    reveals = [a for a in main_window.session.store.audit.entries() if a["action"] == "reveal"]
    assert len(reveals) == 1
    assert reveals[0]["entity_id"] == person["id"]
    assert reveals[0]["reason"] == "入户走访核实身份"

    # Locking forgets every reveal.
    main_window.lock()
    assert model.index(row, id_col).data() == mask_id(person["id_number"])


def expand_to(qtbot: Any, window: Any, level: str) -> Any:
    """The first tree node of ``level``, expanding down to it."""
    tree, model = window.tree, window.areas
    index = model.index(0, 0)
    while index.isValid() and index.data(LEVEL_ROLE) != level:
        tree.expand(index)
        qtbot.waitUntil(lambda i=index: model.rowCount(i) > 0, timeout=3000)
        index = model.index(0, 0, index)
    assert index.isValid(), f"no {level} node"
    return index


def test_area_tree_filters_the_lists(qtbot: Any, main_window: Any) -> None:
    everyone = main_window.persons.total()
    grid = expand_to(qtbot, main_window, "grid")
    main_window.tree.setCurrentIndex(grid)
    code = main_window.areas.node(grid).key
    rows = all_rows(main_window.persons)
    assert 0 < len(rows) < everyone
    assert {r["grid"] for r in rows} == {code}
    assert {r["grid"] for r in all_rows(main_window.houses)} == {code}

    estate = expand_to(qtbot, main_window, "estate")
    main_window.tree.setCurrentIndex(estate)
    name = main_window.areas.node(estate).filters["estate"]
    rows = all_rows(main_window.persons)
    assert rows and {r["estate"] for r in rows} == {name}

    room = expand_to(qtbot, main_window, "room")
    main_window.tree.setCurrentIndex(room)
    house_id = main_window.areas.node(room).filters["house_id"]
    assert [r["id"] for r in all_rows(main_window.houses)] == [house_id]
    assert all(r["house_id"] == house_id for r in all_rows(main_window.persons))


def test_clicking_a_header_sorts(qtbot: Any, main_window: Any) -> None:
    """年龄 ascending is the youngest first, as the header's arrow says, whichever way the store sorts."""
    model = main_window.persons
    col = next(i for i, c in enumerate(model.columns) if c.key == "age")
    header = main_window.person_pane.table.horizontalHeader()

    def click_header() -> None:
        x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))

    def ages() -> list[int]:
        texts = column_values(model, "age", 60)
        return [int(t) for t in texts if t.strip().isdigit()]

    def in_order(ascending: bool) -> bool:
        shown = ages()
        return len(shown) > 40 and shown == sorted(shown, reverse=not ascending)

    click_header()
    seen = set()
    for _ in range(2):
        ascending = header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
        seen.add(ascending)
        qtbot.waitUntil(lambda a=ascending: model.query.sort == "birth_date" and in_order(a), timeout=5000)
        click_header()
    assert seen == {True, False}


def test_tag_filter_shows_only_tagged_persons(qtbot: Any, main_window: Any) -> None:
    store = main_window.session.store
    tagged = [r for r in store.lists.persons(limit=1000).rows if r["tags"]]
    assert tagged, "the test district has stored tags"
    tag = tagged[0]["tags"][0]
    combo = main_window.filters.tag
    index = next(i for i in range(combo.count()) if isinstance(combo.itemData(i), tuple)
                 and combo.itemData(i)[0] == tag)
    combo.setCurrentIndex(index)
    rows = all_rows(main_window.persons)
    assert rows and all(tag in r["tags"] for r in rows)
    assert len(rows) == sum(1 for r in store.lists.persons(limit=1000).rows if tag in r["tags"])


def test_validation_filter(qtbot: Any, main_window: Any) -> None:
    store = main_window.session.store
    ids = [r["id"] for r in store.lists.persons(limit=3).rows]
    store.validation.set_many([(ids[0], {"errors": 2, "warnings": 0, "tags": [], "findings": []}),
                           (ids[1], {"errors": 0, "warnings": 1, "tags": [], "findings": []})])
    combo = main_window.filters.validation
    combo.setCurrentIndex(combo.findData("error"))
    assert [r["id"] for r in all_rows(main_window.persons)] == [ids[0]]
    combo.setCurrentIndex(combo.findData("warning"))
    assert [r["id"] for r in all_rows(main_window.persons)] == [ids[1]]


def test_sensitive_tags_are_hidden_from_roles_not_named(qtbot: Any, tmp_path: Any) -> None:
    from desktop.main_window import MainWindow

    for role, expect in (("worker", False), ("admin", True)):
        session: Any = make_session(tmp_path / role, role=role, persons=30)
        person = session.store.lists.persons(limit=1).rows[0]
        session.store.edits.save_draft(person["id"], session.store.entities.get(person["id"])["data"],
                                 tags=["严重精神障碍患者", "志愿者"])
        window = MainWindow(session)
        qtbot.addWidget(window)
        model = window.persons
        col = next(i for i, c in enumerate(model.columns) if c.key == "tags")
        text = model.index(model.find_row(person["id"]), col).data()
        assert "志愿者" in text
        assert ("严重精神障碍患者" in text) is expect
        choices = [window.filters.tag.itemText(i) for i in range(window.filters.tag.count())]
        assert ("严重精神障碍患者" in choices) is expect
        window.shutdown()
        session.close()


def test_language_switch_at_run_time(qtbot: Any, main_window: Any) -> None:
    assert main_window.tabs.tabText(0) == "人口"
    main_window.language_actions["en"].trigger()
    assert i18n.language() == "en"
    assert main_window.tabs.tabText(0) == "Persons"
    assert main_window.tabs.tabText(1) == "Houses"
    assert main_window.persons.headerData(0, Qt.Orientation.Horizontal) == "Name"
    assert main_window.count_label.text() == "300 records"
    assert main_window.file_menu.title() == "&File"
    assert main_window.settings.language == "en"
    main_window.language_actions["zh"].trigger()
    assert main_window.tabs.tabText(0) == "人口"
    assert main_window.persons.headerData(0, Qt.Orientation.Horizontal) == "姓名"


def test_idle_time_locks_and_the_password_unlocks(qtbot: Any, main_window: Any) -> None:
    main_window.idle.set_timeout_ms(150)
    with qtbot.waitSignal(main_window.locked, timeout=3000):
        pass
    assert main_window.is_locked()
    assert not main_window.splitter.isEnabled() and not main_window.menuBar().isEnabled()
    overlay = main_window.lock_overlay
    qtbot.keyClicks(overlay.password, "wrong")
    qtbot.keyClick(overlay.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: overlay.password.isEnabled())  # the check runs off the GUI thread
    assert main_window.is_locked()
    with qtbot.waitSignal(main_window.unlocked, timeout=3000):
        qtbot.keyClicks(overlay.password, WINDOW_PASSWORD)
        qtbot.keyClick(overlay.password, Qt.Key.Key_Return)
    assert not main_window.is_locked() and main_window.splitter.isEnabled()
    actions = [a["action"] for a in main_window.session.store.audit.entries()]
    assert "lock" in actions and "unlock" in actions


def test_open_record_is_an_extension_point(qtbot: Any, main_window: Any) -> None:
    table = main_window.person_pane.table
    first_id = main_window.persons.row(0)["id"]
    table.setCurrentIndex(main_window.persons.index(0, 0))
    with qtbot.waitSignal(main_window.record_opened, timeout=1000) as got:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert got.args == [first_id]


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_layout_fits_common_screens(qtbot: Any, main_window: Any, size: tuple[int, int]) -> None:
    main_window.resize(*size)
    qtbot.wait(20)
    tree_w, list_w = main_window.splitter.sizes()
    assert tree_w >= 180 and list_w >= 2 * tree_w
    assert main_window.person_pane.table.viewport().height() > 300


def test_tab_moves_from_search_through_filters_to_tree_and_list(qtbot: Any, main_window: Any) -> None:
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow, timeout=2000)
    main_window.search_box.setFocus()
    order = []
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    f = main_window.filters
    assert order[:4] == [f.tag, f.validation, f.visit, main_window.tree]
    assert main_window.person_pane.table in order[4:]


def test_idle_minutes_are_a_saved_setting(qtbot: Any, main_window: Any) -> None:
    from desktop.settings import AppSettings

    assert main_window.idle.timeout_ms == 10 * 60_000, "default: 10 minutes"
    main_window.set_idle_minutes(3)
    assert main_window.idle.timeout_ms == 3 * 60_000
    assert AppSettings.load().idle_lock_minutes == 3
    main_window.set_idle_minutes(0)
    assert not main_window.idle.is_active(), "0 turns the auto-lock off"
    assert AppSettings.load().idle_lock_minutes == 0


def test_lock_also_covers_docks_added_later(qtbot: Any, main_window: Any) -> None:
    from desktop.qt import QDockWidget, QLabel

    dock = QDockWidget("其他")
    dock.setWidget(QLabel("敏感内容"))
    main_window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    main_window.lock()
    assert not dock.isEnabled() and not main_window.sync_toolbar.isEnabled()
    assert main_window.lock_overlay.geometry() == main_window.rect()
    main_window.lock_overlay.password.setText(WINDOW_PASSWORD)
    with qtbot.waitSignal(main_window.unlocked, timeout=3000):  # checked off the GUI thread
        main_window.lock_overlay.try_unlock()
    assert dock.isEnabled() and not main_window.is_locked()


def test_search_on_the_house_tab_finds_addresses_and_follows_tab_switches(qtbot: Any, main_window: Any) -> None:
    houses = main_window.houses
    target = houses.row(3)
    estate = target["estate"]
    main_window.tabs.setCurrentIndex(1)
    before = main_window.search.searches_run
    commit_text(main_window.search_box, estate)
    qtbot.waitUntil(lambda: main_window.search.searches_run > before and houses.query.text == estate, timeout=5000)
    rows = all_rows(houses)
    assert rows and all(estate in r["address"] for r in rows)
    assert len(rows) < 300
    # Back on the person tab the same text applies to persons.
    main_window.tabs.setCurrentIndex(0)
    assert main_window.persons.query.text == estate
    assert all(estate in r["address"] for r in all_rows(main_window.persons))
