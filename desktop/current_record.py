"""One notion of "the current record": what an action (move out, death, move, visit, new person)
changes.

It is the row selected in the list on show or the record open in the editor, whichever the worker
touched last (the focus moving into the list or the editor, or a click on a row). When the two
differ, the action's dialog names the one it will change and says that the other stays as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.i18n import tr
from desktop.qt import QApplication, QObject, QWidget, Signal
from desktop.submit_flow import entity_name

KIND_WORDS = {"person": "人员", "house": "房屋", "household": "户"}


@dataclass(frozen=True)
class Target:
    """The record an action will change, where it was chosen, and the other candidate if it differs."""

    entity: dict[str, Any]
    source: str                        # "list" or "editor"
    other: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        return str(self.entity["id"])

    @property
    def kind(self) -> str:
        return str(self.entity["kind"])

    def headline(self) -> str:
        where = tr("列表中选中的") if self.source == "list" else tr("编辑器中打开的")
        return tr("{kind}：{name}（{where}）", kind=tr(KIND_WORDS.get(self.kind, self.kind)),
                  name=entity_name(self.entity), where=where)

    def caution(self) -> str:
        if self.other is None:
            return ""
        where = tr("编辑器中打开的") if self.source == "list" else tr("列表中选中的")
        return tr("注意：{where}是「{name}」，本操作不会修改它。", where=where, name=entity_name(self.other))


class CurrentRecord(QObject):
    """Follows the worker between the lists and the editor; ``changed`` when the target may differ."""

    changed = Signal()

    def __init__(self, window: Any, editor: QWidget, store: Any) -> None:
        super().__init__(window)
        self.window = window
        self.editor = editor
        self.store = store
        self.last = "editor"
        for pane in (window.person_pane, window.house_pane):
            selection = pane.table.selectionModel()
            if selection is not None:
                selection.currentChanged.connect(self._row_chosen)
        window.tabs.currentChanged.connect(lambda _i: self.changed.emit())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def _row_chosen(self, *_args: object) -> None:
        self.last = "list"
        self.changed.emit()

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None:
            return
        if new is self.editor or self.editor.isAncestorOf(new):
            where = "editor"
        elif new is self.window.tabs or self.window.tabs.isAncestorOf(new):
            where = "list"
        else:
            return
        if where != self.last:
            self.last = where
            self.changed.emit()

    # -- the candidates -----------------------------------------------------------------------------

    def list_entity(self) -> dict[str, Any] | None:
        pane = self.window.person_pane if self.window.tabs.currentIndex() == 0 else self.window.house_pane
        entity_id = pane.current_id()
        return self.store.entities.find(entity_id) if entity_id else None

    def editor_entity(self) -> dict[str, Any] | None:
        entity = getattr(self.editor, "entity", None)
        if entity is None:
            return None
        return self.store.entities.find(entity["id"]) or entity  # as stored now, not as opened

    def target(self, kinds: tuple[str, ...] = ("person", "house", "household")) -> Target | None:
        """The record an action on ``kinds`` changes: the candidate touched last, else the other one;
        None if that record is of another kind."""
        candidates = [("list", self.list_entity()), ("editor", self.editor_entity())]
        if self.last == "editor":
            candidates.reverse()
        present = [(source, entity) for source, entity in candidates if entity is not None]
        if not present or present[0][1]["kind"] not in kinds:
            return None
        source, chosen = present[0]
        other = present[1][1] if len(present) > 1 and present[1][1]["id"] != chosen["id"] else None
        return Target(chosen, source, other)

    def _house_of(self, entity: dict[str, Any]) -> dict[str, Any] | None:
        house_id = entity["id"] if entity["kind"] == "house" else entity.get("house_id")
        return self.store.entities.find(house_id) if house_id else None

    def house_target(self, target: Target | None = None) -> Target | None:
        """The house of the current record (a visit, a new person): the house itself, or the person's
        (``target``: the current record when the caller has it already)."""
        target = target if target is not None else self.target()
        house = self._house_of(target.entity) if target is not None else None
        if target is None or house is None:
            return None
        other = self._house_of(target.other) if target.other is not None else None
        return Target(house, target.source, other if other is not None and other["id"] != house["id"] else None)
