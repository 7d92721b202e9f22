"""The editor and the worker's tools are complete in English too."""

from __future__ import annotations

from pathlib import Path

from desktop import i18n
from desktop.due_view import COLUMNS as DUE_COLUMNS
from desktop.due_view import KIND_TEXT as DUE_KINDS
from desktop.editor.record_editor import KIND_NAMES, STATUS_NAMES
from desktop.life_events import ADD_REASONS, STATE_REASONS
from desktop.outbox_view import STATE_NAMES
from desktop.review.dashboard import VISIT_COLUMNS
from desktop.workbench import ACTION_TEXT
from sync.store import VISIT_RESULTS
from tests.desktop.test_i18n import tr_literals

ROOT = Path(__file__).resolve().parents[2] / "desktop"
#: Every module of the app: a text added anywhere without its English fails here.
MODULES = sorted(ROOT.rglob("*.py"))


def test_every_editor_text_has_an_english_translation() -> None:
    texts: set[str] = set()
    for path in MODULES:
        texts |= tr_literals(path)
    for table in (STATE_NAMES, STATUS_NAMES, KIND_NAMES, ACTION_TEXT, DUE_KINDS):
        texts |= set(table.values())
    texts |= set(DUE_COLUMNS) | set(VISIT_COLUMNS)
    texts |= set(ADD_REASONS) | set(VISIT_RESULTS) | {r for rs in STATE_REASONS.values() for r in rs}
    texts |= {"小区", "楼栋", "单元", "楼层", "室"}
    assert len(texts) > 100, "the scan found too little: it is broken"
    english = i18n.catalogue("en")
    missing = sorted(t for t in texts if t not in english)
    assert not missing, f"texts without an English entry in resources/i18n/yibiaotong_en.ts (edit it in Qt Linguist, then python -m desktop.i18n_catalogue update): {missing}"


def test_placeholders_survive_translation() -> None:
    i18n.set_language("en")
    try:
        assert i18n.tr("{e} 个错误，{w} 个提醒", e=2, w=1) == "2 error(s), 1 warning(s)"
        assert i18n.tr("户号 {no}", no="A12") == "Household A12"
    finally:
        i18n.set_language("zh")
