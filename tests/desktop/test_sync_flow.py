"""Submit and sync against the real platform on loopback: sent and received, a returned submission
with the supervisor's comments on the fields, a conflict resolved in the dialog, and a window that
keeps responding while a long sync runs."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desktop.conflict_dialog import ConflictDialog
from desktop.editor.record_editor import RecordEditor
from desktop.editor.session import FormSession
from desktop.qt import QTimer
from desktop.session import authenticate
from desktop.sync_bootstrap import initial_sync
from desktop.sync_ui import SyncPanel
from forms.model import EntityKind
from sync.client.http import ApiClient
from tests.desktop.platform import PASSWORD, SUPERVISOR, WORKER
from tests.desktop.platform import api_as as login_as

pytestmark = pytest.mark.gui


@pytest.fixture
def worker(platform: Any, tmp_path: Path) -> Iterator[Any]:
    session = authenticate(tmp_path / "profile", platform.url, WORKER, PASSWORD, initial_sync=initial_sync)
    yield session
    session.close()


def api_as(platform: Any, username: str) -> ApiClient:
    return login_as(platform.url, username)


def some_person(session: Any) -> dict[str, Any]:
    for row in session.store.lists.persons(limit=50).rows:
        person = session.store.entities.get(row["id"])
        if person["status"] == "synced" and person["data"].get("phone"):
            return person
    raise AssertionError("no synced person with a phone")


def sync(qtbot: Any, panel: SyncPanel) -> Any:
    with qtbot.waitSignal(panel.synced, timeout=60000) as got:
        panel.start()
    return got.args[0]


def test_a_returned_submission_shows_the_comments_on_its_fields(qtbot: Any, platform: Any, worker: Any) -> None:
    person = some_person(worker)
    worker.store.edits.save_draft(person["id"], dict(person["data"], phone="13912345678"))
    submission_id = worker.store.outbox.submit([person["id"]], note="走访核实")
    panel = SyncPanel(worker)
    qtbot.addWidget(panel)
    summary = sync(qtbot, panel)
    assert summary.sent == 1 and summary.accepted == 1 and not summary.errors
    assert worker.store.outbox.submission(submission_id)["state"] not in ("queued", "sending")

    supervisor = api_as(platform, SUPERVISOR)
    supervisor.post(f"/review/{submission_id}/decision", {
        "decision": "return", "comment": "请核实联系电话",
        "comments": [{"entity_id": person["id"], "field": "phone", "comment": "号码与户籍登记不一致"}]})
    summary = sync(qtbot, panel)
    assert not summary.errors
    returned = worker.store.outbox.returned()
    assert [r["id"] for r in returned] == [submission_id]
    assert returned[0]["comments"][0]["field"] == "phone"

    editor = RecordEditor(worker.store, FormSession.for_store(worker.store), worker.role)
    qtbot.addWidget(editor)
    editor.open(person["id"])
    assert not editor.comments.isHidden()
    assert "号码与户籍登记不一致" in editor.comments.text()
    assert "联系电话" in editor.comments.text() or "phone" in editor.comments.text()


def test_the_same_field_edited_on_the_platform_is_a_conflict_to_resolve(qtbot: Any, platform: Any,
                                                                       worker: Any) -> None:
    person = some_person(worker)
    supervisor = api_as(platform, SUPERVISOR)
    results = supervisor.push([{
        "id": str(uuid.uuid4()), "device_id": "sup-laptop", "created_at": datetime.now(UTC).isoformat(),
        "patches": [{"entity_id": person["id"], "kind": "person", "op": "update", "base_rev": person["rev"],
                     "set": {"phone": "13700007777"}, "tags_add": [], "tags_remove": [], "state": None}]}])
    assert results[0]["outcome"] == "accepted"

    worker.store.edits.save_draft(person["id"], dict(person["data"], phone="13911112222"))
    worker.store.outbox.submit([person["id"]])
    panel = SyncPanel(worker)
    qtbot.addWidget(panel)
    summary = sync(qtbot, panel)
    assert summary.conflicts == 1
    conflicts = worker.store.outbox.conflicts(person["id"])
    assert [(c["field"], c["mine"], c["theirs"]) for c in conflicts] == [("phone", "13911112222", "13700007777")]

    template = FormSession.for_store(worker.store).template(EntityKind.PERSON)
    dialog = ConflictDialog(worker.store, person["id"], template)
    qtbot.addWidget(dialog)
    dialog.rows["phone"][0].button(0).setChecked(True)  # keep mine
    dialog.accept()
    assert not worker.store.outbox.conflicts(person["id"])
    assert worker.store.entities.get(person["id"])["data"]["phone"] == "13911112222"
    worker.store.outbox.submit([person["id"]])
    summary = sync(qtbot, panel)
    assert summary.accepted == 1 and summary.conflicts == 0


def test_the_window_keeps_responding_during_a_long_sync(qtbot: Any, platform: Any, tmp_path: Path) -> None:
    # A supervisor's first full pull of the community, run by the panel rather than at login.
    session = authenticate(tmp_path / "sup", platform.url, SUPERVISOR, PASSWORD)
    try:
        assert session.store.lists.persons(limit=1).total == 0
        panel = SyncPanel(session)
        qtbot.addWidget(panel)
        ticks: list[bool] = []
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: ticks.append(panel.runner.running))
        timer.start()
        summary = sync(qtbot, panel)
        timer.stop()
        assert summary.received > 100 and not summary.errors
        assert ticks.count(True) >= 3, "the GUI thread handled events while the sync ran"
        assert session.store.lists.persons(limit=1).total > 0
    finally:
        session.close()
