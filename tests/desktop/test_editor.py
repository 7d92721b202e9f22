"""The record editor against a real encrypted store: typing, live validation, relevance, tags,
household members, masking with audit, autosave, and the life-event and submit dialogs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.conflict_dialog import ConflictDialog
from desktop.current_record import Target
from desktop.editor.field_widgets import MaskedEditor, SelectOneEditor, TextEditor
from desktop.editor.record_editor import RecordEditor
from desktop.editor.session import FormSession
from desktop.life_events import AddPersonDialog, StateDialog, VisitDialog
from desktop.qt import (
    QApplication,
    QInputDialog,
    QInputMethodEvent,
    QLineEdit,
    QPoint,
    QPushButton,
    QRect,
    Qt,
    QWidget,
)
from desktop.submit_flow import SubmitDialog, collect_work
from forms.model import EntityKind
from sync.store import Store
from sync.store.crypto import KdfParams
from sync.validation import default_templates
from tests.desktop.factory import fill_store
from tests.desktop.helpers import click, click_ok

CHEAP = KdfParams(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(scope="module")
def templates() -> dict[EntityKind, Any]:
    return default_templates()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    s = Store.create(tmp_path / "profile", "pw-123456", {"username": "wg1", "role": "worker"}, kdf=CHEAP)
    fill_store(s, persons=60)
    yield s
    s.close()


@pytest.fixture
def editor(qtbot: Any, store: Any, templates: dict[EntityKind, Any]) -> RecordEditor:
    session = FormSession(templates, store=store)
    widget = RecordEditor(store, session, "worker")
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def commit_text(widget: QLineEdit, text: str) -> None:
    """Type Chinese the way an input method does (keyClicks with CJK aborts the process)."""
    widget.setFocus()
    widget.selectAll()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def a_person(store: Any, **where: Any) -> dict[str, Any]:
    rows = store.lists.persons(limit=200).rows
    for row in rows:
        entity = store.entities.get(row["id"])
        if all(pred(entity) for pred in where.values()):
            return entity
    raise AssertionError("no such person in the synthetic district")


def test_typing_a_name_is_validated_and_autosaved(qtbot: Any, editor: RecordEditor, store: Any) -> None:
    person = a_person(store)
    assert editor.open(person["id"])
    name = editor.form.editor("name")
    assert isinstance(name, TextEditor)
    commit_text(name.line, "欧阳娜娜")
    assert name.value() == "欧阳娜娜"
    qtbot.waitUntil(lambda: store.entities.get(person["id"])["data"].get("name") == "欧阳娜娜", timeout=3000)
    assert store.entities.get(person["id"])["status"] == "draft"
    assert "欧阳娜娜" in editor.title.text()


def test_a_cleared_required_field_shows_its_message_inline(editor: RecordEditor, store: Any) -> None:
    person = a_person(store)
    editor.open(person["id"])
    name = editor.form.editor("name")
    commit_text(name.line, "")
    name.line.clear()
    name.line.textEdited.emit("")
    message = editor.form.rows["name"].message
    assert not message.isHidden()
    assert "姓名" in message.text()
    assert editor.panel.errors >= 1


def test_population_type_shows_and_hides_the_floating_section(editor: RecordEditor, store: Any) -> None:
    person = a_person(store, local=lambda e: e["data"].get("population_type") == "1")
    editor.open(person["id"])
    section = editor.form.sections.get("migrant")
    assert section is not None, sorted(editor.form.sections)
    assert section.isHidden()
    kind = editor.form.editor("population_type")
    assert isinstance(kind, SelectOneEditor)
    kind.set_value("2")
    kind.changed.emit()
    assert not section.isHidden()
    kind.set_value("1")
    kind.changed.emit()
    assert section.isHidden()


def test_auto_tags_show_and_a_manual_tag_is_saved(qtbot: Any, editor: RecordEditor, store: Any) -> None:
    elder = a_person(store, old=lambda e: str(e["data"].get("birth_date", "9999")) < "1965-01-01")
    editor.open(elder["id"])
    assert editor.chips is not None
    assert "tag_老年人" in {c.objectName() for c in editor.chips.chips.values()}
    editor.chips.set_manual("留守老人", True)
    qtbot.waitUntil(lambda: "留守老人" in store.entities.get(elder["id"])["tags"], timeout=3000)
    assert "留守老人" in editor.chips.chips


def test_id_numbers_are_masked_and_a_reveal_is_audited(editor: RecordEditor, store: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    person = a_person(store, has_id=lambda e: bool(e["data"].get("id_number")))
    editor.open(person["id"])
    field = editor.form.editor("id_number")
    assert isinstance(field, MaskedEditor)
    full = person["data"]["id_number"]
    assert field.line.text() != full and "*" in field.line.text()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("核对户籍信息", True)))
    field.button.click()
    assert field.line.text() == full
    reveals = [r for r in store.audit.entries(person["id"]) if r["action"] == "reveal"]
    assert reveals and reveals[0]["reason"] == "核对户籍信息" and reveals[0]["field"] == "id_number"


def test_a_revealed_number_is_masked_again_on_the_next_record(editor: RecordEditor, store: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    people = [r["id"] for r in store.lists.persons(limit=20).rows
              if store.entities.get(r["id"])["data"].get("id_number")][:2]
    editor.open(people[0])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("核对", True)))
    first = editor.form.editor("id_number")
    first.button.click()
    assert "*" not in first.line.text()
    editor.open(people[1])
    second = editor.form.editor("id_number")
    assert "*" in second.line.text()
    assert second.value() == store.entities.get(people[1])["data"]["id_number"]


def test_household_members_are_an_editable_table(qtbot: Any, editor: RecordEditor, store: Any) -> None:
    household = store.lists.households(limit=1).rows[0]
    editor.open(household["id"])
    table = editor.form.repeats["members"]
    before = table.table.rowCount()
    table.add_row()
    assert table.table.rowCount() == before + 1
    qtbot.waitUntil(lambda: len(store.entities.get(household["id"])["data"].get("members") or []) == before + 1,
                    timeout=3000)


def test_visit_and_move_out_are_recorded(qtbot: Any, store: Any) -> None:
    person = a_person(store)
    house = store.entities.get(person["house_id"])
    visit = VisitDialog(store, Target(house, "list"))
    qtbot.addWidget(visit)
    visit.show()
    click(qtbot, visit.results.button(2))
    click_ok(qtbot, visit)
    assert [v["result"] for v in store.visits.of_house(person["house_id"])] == ["无人在家"]
    dialog = StateDialog(store, Target(person, "list"), "moved_out")
    qtbot.addWidget(dialog)
    dialog.show()
    assert person["data"]["name"] in dialog.target_label.text()
    click_ok(qtbot, dialog)
    moved = store.entities.get(person["id"])
    assert moved["state"] == "moved_out" and moved["data"].get("moved_out_date")
    # the record the app leaves passes its own rule: moved out means no longer living here
    assert moved["data"]["living_here"] == "no"


def test_adding_a_newborn_creates_a_person_in_the_household(qtbot: Any, store: Any) -> None:
    person = a_person(store)
    house = store.entities.get(person["house_id"])
    dialog = AddPersonDialog(store, Target(house, "list"))
    qtbot.addWidget(dialog)
    dialog.show()
    click_ok(qtbot, dialog)  # no name yet: refused with a message, nothing created
    assert dialog.error.text()
    commit_text(dialog.name, "李小宝")
    click_ok(qtbot, dialog)
    created = store.entities.get(dialog.result_id)
    assert created["data"]["name"] == "李小宝" and created["house_id"] == house["id"]
    assert created["status"] == "draft"


def test_submit_is_blocked_by_errors_then_goes_to_the_outbox(qtbot: Any, editor: RecordEditor,
                                                             store: Any) -> None:
    person = a_person(store)
    editor.open(person["id"])
    name = editor.form.editor("name")
    name.line.clear()
    name.line.textEdited.emit("")
    editor.save_now()
    work = collect_work(store, editor.session, person["id"])
    assert any(f.field == "name" for _e, f in work.blocking)
    blocked = SubmitDialog(store, work)
    qtbot.addWidget(blocked)
    assert not blocked.ok.isEnabled()
    commit_text(name.line, "王秀英")
    editor.save_now()
    work = collect_work(store, editor.session, person["id"])
    assert not work.blocking
    dialog = SubmitDialog(store, work)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.submission_id
    assert [s["id"] for s in store.outbox.items()] == [dialog.submission_id]


def test_a_conflict_is_resolved_field_by_field(qtbot: Any, store: Any, templates: Any) -> None:
    person = a_person(store)
    data = dict(person["data"], phone="13900001111")
    store.edits.save_draft(person["id"], data)
    sid = store.outbox.submit([person["id"]])
    store.outbox.mark_sending([sid])
    store.outbox.record_results([{"id": sid, "outcome": "conflict", "conflicts": [
        {"entity_id": person["id"], "field": "phone", "base": person["data"].get("phone", ""),
         "mine": "13900001111", "theirs": "13700002222", "theirs_rev": person["rev"] + 1}]}])
    assert store.outbox.conflicts(person["id"])
    dialog = ConflictDialog(store, person["id"], templates[EntityKind.PERSON])
    qtbot.addWidget(dialog)
    assert dialog.choices() == {"phone": "theirs"}
    dialog.rows["phone"][1].setText("13600003333")
    dialog.rows["phone"][1].textEdited.emit("13600003333")
    dialog.accept()
    assert not store.outbox.conflicts(person["id"])
    assert store.entities.get(person["id"])["data"]["phone"] == "13600003333"


def test_a_choice_filter_narrows_the_list_as_the_worker_answers(qtbot: Any, tmp_path: Path) -> None:
    from desktop.editor.form_view import FormView
    from forms.graph import Entity
    from forms.xlsform import load_template
    from tests.forms.test_relevance import cascading

    template = load_template(cascading(tmp_path))
    session = FormSession({EntityKind.PERSON: template})
    view = FormView(template, "zh", lambda s: s)
    qtbot.addWidget(view)

    def offered(values: dict[str, str]) -> list[str]:
        checked = session.check(Entity(id="p", kind=EntityKind.PERSON, data=values, tags=[]))
        view.apply(checked.result, checked.irrelevant, checked.choices)
        combo = view.editor("city").combo
        return [combo.itemData(i) for i in range(1, combo.count())]

    assert offered({"province": "zj"}) == ["hz", "nb"]
    assert offered({"province": "js"}) == ["nj"]


# -- where messages go, and a form that does not jump ----------------------------------------------

#: The standard's own example (GB 11643-1999): born 1949-12-31, 17th digit 2 (female).
EXAMPLE_ID = "11010519491231002X"


def type_over(qtbot: Any, line: QLineEdit, text: str) -> None:
    """Select what the line holds and type ``text`` over it, key by key (ASCII only)."""
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    line.selectAll()
    if text:
        qtbot.keyClicks(line, text)
    else:
        qtbot.keyClick(line, Qt.Key.Key_Backspace)


def citizen(store: Any) -> dict[str, Any]:
    return a_person(store, card=lambda e: e["data"].get("id_type") == "01")


def test_an_id_birth_date_mismatch_shows_under_the_birth_date(qtbot: Any, editor: RecordEditor, store: Any) -> None:
    person = citizen(store)
    editor.open(person["id"])
    form = editor.form
    assert form is not None
    id_number = form.editor("id_number")
    birth = form.editor("birth_date")
    assert isinstance(id_number, MaskedEditor) and birth is not None
    type_over(qtbot, id_number.line, EXAMPLE_ID)
    type_over(qtbot, birth.line, "1950-01-01")  # type: ignore[attr-defined]
    under_birth = form.rows["birth_date"].message
    assert "出生日期与身份号码中的出生日期不一致" in under_birth.full_text()
    assert not under_birth.isHidden() and under_birth.text()
    assert "出生日期" not in form.rows["id_type"].message.full_text()
    assert "身份号码" not in form.rows["id_number"].message.full_text()
    # the panel's entry jumps to the same field
    assert any(f.rule == "id_birth_date" and f.field == "birth_date" for f in editor.last.findings)  # type: ignore[union-attr]
    type_over(qtbot, birth.line, "1949-12-31")  # type: ignore[attr-defined]
    assert form.rows["birth_date"].message.full_text() == ""
    qtbot.waitUntil(lambda: store.entities.get(person["id"])["data"].get("birth_date") == "1949-12-31", timeout=3000)


def test_a_message_appearing_above_a_field_does_not_move_it(qtbot: Any, editor: RecordEditor, store: Any) -> None:
    person = citizen(store)
    editor.open(person["id"])
    form = editor.form
    assert form is not None
    body = form.widget()
    id_number = form.editor("id_number")
    birth = form.editor("birth_date")
    assert isinstance(id_number, MaskedEditor) and birth is not None
    birth_line: QLineEdit = birth.line  # type: ignore[attr-defined]
    phone = form.editor("phone")
    assert phone is not None
    QApplication.processEvents()

    def y(widget: QWidget) -> int:
        return widget.mapTo(body, QPoint(0, 0)).y()

    before = (y(birth_line), y(phone.focus_widget()), body.height())
    aimed = birth_line.mapTo(body, QPoint(5, birth_line.height() // 2))  # where a worker would click
    assert form.rows["id_number"].message.full_text() == ""
    type_over(qtbot, id_number.line, "123456")  # not an ID number: a message under 证件号码
    qtbot.wait(50)  # let the layout settle, as the screen would
    message = form.rows["id_number"].message
    assert message.full_text() and not message.isHidden()
    assert (y(birth_line), y(phone.focus_widget()), body.height()) == before
    # a click aimed at 出生日期 where it was before the message lands on it
    assert body.childAt(aimed) is birth_line
    # two messages on one line (the ID rules) and then none: still the same place
    type_over(qtbot, id_number.line, EXAMPLE_ID)
    type_over(qtbot, birth_line, "1950-01-01")
    qtbot.wait(50)
    assert form.rows["birth_date"].message.full_text()
    assert (y(birth_line), y(phone.focus_widget()), body.height()) == before
    type_over(qtbot, birth_line, "1949-12-31")
    qtbot.wait(50)
    assert (y(birth_line), y(phone.focus_widget()), body.height()) == before
    qtbot.waitUntil(lambda: store.entities.get(person["id"])["data"].get("birth_date") == "1949-12-31", timeout=3000)


def test_the_findings_panel_wraps_in_the_editor_dock_at_1366x768(qtbot: Any, main_window: Any) -> None:
    # the editor in the dock beside the lists, as the workbench puts it there (without the
    # workbench, whose language hook would outlive this window)
    main_window.resize(1366, 768)
    store = main_window.session.store
    person = citizen(store)
    editor = RecordEditor(store, FormSession.for_store(store), "worker")
    assert editor.open(person["id"])
    main_window.set_editor_widget(editor)
    qtbot.waitUntil(lambda: editor.isVisible(), timeout=3000)
    assert main_window.size().width() == 1366 and editor.form is not None
    id_number = editor.form.editor("id_number")
    assert isinstance(id_number, MaskedEditor)
    type_over(qtbot, id_number.line, EXAMPLE_ID)
    type_over(qtbot, editor.form.editor("birth_date").line, "1950-01-01")  # type: ignore[union-attr]
    qtbot.wait(50)
    panel = editor.panel
    texts = [panel.item(i).text() for i in range(panel.count())]
    assert any("出生日期与身份号码中的出生日期不一致" in t for t in texts), texts
    viewport = panel.viewport().rect()
    metrics = panel.fontMetrics()
    longest = max(texts, key=metrics.horizontalAdvance)
    assert metrics.horizontalAdvance(longest) > viewport.width(), "the case is a text wider than the panel"
    assert panel.horizontalScrollBar().maximum() == 0
    for i in range(panel.count()):
        rect = panel.visualItemRect(panel.item(i))
        assert rect.left() >= 0 and rect.right() <= viewport.right(), (texts[i], rect, viewport)
        needed = metrics.boundingRect(QRect(0, 0, rect.width(), 10_000), int(Qt.TextFlag.TextWordWrap),
                                      texts[i]).height()
        assert rect.height() >= needed, (texts[i], rect, needed)
    qtbot.waitUntil(lambda: store.entities.get(person["id"])["data"].get("birth_date") == "1950-01-01", timeout=3000)


def test_a_rule_on_the_member_list_shows_under_the_table(qtbot: Any, editor: RecordEditor, store: Any) -> None:
    household = store.lists.households(limit=1).rows[0]
    editor.open(household["id"])
    form = editor.form
    assert form is not None
    line = form.repeat_messages["members"]
    assert line.full_text() == "" and not line.isHidden()
    rows = len(store.entities.get(household["id"])["data"].get("members") or [])
    add = form.repeats["members"].findChild(QPushButton, "add_members")
    click(qtbot, add)  # one row more than the persons recorded in the household
    assert "家庭成员名单与登记在本户的人员数不一致" in line.full_text()
    assert any(f.rule == "members_listed" and f.field == "members" for f in editor.last.findings)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: len(store.entities.get(household["id"])["data"].get("members") or []) == rows + 1,
                    timeout=3000)
