"""The worker sees the values a newer template version has no field for, above the record in the
editor ('这些值在新版模板中已没有对应字段'), can copy each, and dismisses them only by saying so."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.editor.record_editor import RecordEditor
from desktop.editor.session import FormSession
from desktop.qt import QApplication, QLabel, QPushButton, QWidget
from sync.store import Store
from sync.store.crypto import KdfParams
from tests.desktop.factory import fill_store
from tests.desktop.helpers import click
from tests.template_versions import edited, shipped_bytes

pytestmark = pytest.mark.gui
CHEAP = KdfParams(time_cost=1, memory_cost=1024, parallelism=1)


def template_item(blob: bytes, version: str, published_at: str) -> dict[str, Any]:
    """A template as the platform's change feed sends it."""
    return {"type": "template", "id": f"person@{version}@330102001", "deleted": False, "data": {
        "form_id": "person", "version": version, "entity": "person", "title": "实有人口",
        "approval_required": True, "sha256": hashlib.sha256(blob).hexdigest(), "area": "330102001",
        "published_at": published_at, "published_by": None,
        "xlsx_base64": base64.b64encode(blob).decode("ascii")}}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    s = Store.create(tmp_path / "profile", "pw-123456", {"username": "wg1", "role": "worker"}, kdf=CHEAP)
    fill_store(s, persons=30)
    s.pull.apply_changes([template_item(shipped_bytes("person"), "2026.1", "2026-01-01T00:00:00Z")], "c1")
    yield s
    s.close()


def test_the_worker_sees_copies_and_dismisses_the_values_left_by_a_new_version(qtbot: Any, store: Any) -> None:
    person = store.entities.get(store.lists.persons(limit=1).rows[0]["id"])
    assert person["template_version"] == "2026.1"
    store.edits.save_draft(person["id"], {**person["data"], "former_name": "王小芳", "marital_status": "40"})
    v2 = edited("person", "2026.2", remove=["former_name"], remove_choices={"marital_status": ["40"]})
    counts = store.pull.apply_changes([template_item(v2, "2026.2", "2026-06-01T00:00:00Z")], "c2")
    assert counts.get("migrated") == 1

    editor = RecordEditor(store, FormSession.for_store(store), "worker")
    qtbot.addWidget(editor)
    editor.resize(1366, 768)
    editor.show()
    assert editor.open(person["id"])
    assert editor.form is not None and editor.form.template.version == "2026.2"
    box = editor.leftovers
    assert box.isVisible()
    assert "这些值在新版模板中已没有对应字段" in box.heading.text()
    texts = [label.text() for label in box.findChildren(QLabel) if label is not box.heading]
    assert any("曾用名：王小芳" in t and "新版模板中已没有该字段" in t for t in texts), texts
    assert any("婚姻状况：40 离婚" in t and "选项中已没有该代码" in t for t in texts), texts

    rows = {x["path"]: x for x in box.items}
    former = box.findChild(QWidget, f"leftover_{rows['former_name']['id']}")
    assert former is not None
    click(qtbot, former.findChild(QPushButton, "leftover_copy"))
    assert QApplication.clipboard().text() == "王小芳"
    click(qtbot, former.findChild(QPushButton, "leftover_dismiss"))
    assert [x["path"] for x in box.items] == ["marital_status"] and box.isVisible()
    marital = box.findChild(QWidget, f"leftover_{rows['marital_status']['id']}")
    click(qtbot, marital.findChild(QPushButton, "leftover_dismiss"))
    assert not box.isVisible()
    # dismissed, not deleted: the store keeps both, and the audit log says who dismissed them
    assert len(store.leftovers.for_entity(person["id"], dismissed=True)) == 2
    assert sum(a["action"] == "leftover_dismiss" for a in store.audit.entries(person["id"])) == 2
