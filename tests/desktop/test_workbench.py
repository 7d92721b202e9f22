"""The worker's tools on the main window: open a record from the list, visit, add a person, submit."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.workbench import attach
from tests.desktop.helpers import commit_text, when_modal

pytestmark = pytest.mark.gui


def first_person(window: Any) -> dict[str, Any]:
    row = window.session.store.lists.persons(limit=1).rows[0]
    return window.session.store.entities.get(row["id"])


def test_opening_a_record_shows_the_editor_with_its_tools(qtbot: Any, main_window: Any) -> None:
    bench = attach(main_window)
    person = first_person(main_window)
    assert not bench.actions["visit"].isEnabled()
    main_window.open_record(person["id"])
    assert main_window.editor_dock.widget() is bench.editor
    assert not main_window.editor_dock.isHidden()
    assert bench.editor.entity["id"] == person["id"]
    assert bench.actions["visit"].isEnabled() and bench.actions["moved_out"].isEnabled()


def test_a_visit_and_a_newborn_from_the_toolbar(qtbot: Any, main_window: Any) -> None:
    bench = attach(main_window)
    person = first_person(main_window)
    store = main_window.session.store
    main_window.open_record(person["id"])
    when_modal(lambda dialog: dialog.accept())
    bench.actions["visit"].trigger()
    assert [v["result"] for v in store.visits.of_house(person["house_id"])] == ["已核实"]

    def name_the_baby(dialog: Any) -> None:
        commit_text(dialog.name, "张小满")
        dialog.accept()

    when_modal(name_the_baby)
    bench.actions["add_person"].trigger()
    assert bench.editor.entity["data"]["name"] == "张小满"
    assert bench.editor.entity["house_id"] == person["house_id"]


def test_submit_from_the_editor_puts_the_work_in_the_outbox(qtbot: Any, main_window: Any) -> None:
    bench = attach(main_window)
    person = first_person(main_window)
    main_window.open_record(person["id"])
    phone = bench.editor.form.editor("occupation")
    commit_text(phone.line, "社区志愿者")
    bench.editor.save_now()
    store = main_window.session.store
    assert store.entities.get(person["id"])["status"] == "draft"
    when_modal(lambda dialog: dialog.accept())
    bench.actions["submit"].trigger()
    assert len(store.outbox.items()) == 1
    bench.actions["outbox"].trigger()
    assert bench.outbox.table.rowCount() == 1


def test_background_validation_makes_auto_tags_filterable(qtbot: Any, main_window: Any) -> None:
    store = main_window.session.store
    assert store.validation.stale(1)
    bench = attach(main_window)
    with qtbot.waitSignal(bench.revalidator.finished, timeout=60000):
        pass
    assert not store.validation.stale(1)
    elders = store.lists.persons(tags=["老年人"], limit=5)
    assert elders.total > 0
    for row in elders.rows:
        assert str(row["birth_date"]) <= "1966-12-31"


def test_a_window_shut_before_its_first_event_loop_does_not_read_its_closed_store(main_window: Any) -> None:
    """The notices' first check is queued at start; a window closed at once must not reach the store."""
    bench: Any = attach(main_window)
    main_window.shutdown()
    main_window.session.store.close()
    assert bench.notices.check().count == 0  # (reading the closed store would raise)
