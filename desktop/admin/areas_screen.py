"""区划与网格: the area tree with counts and grid workers; add a child, rename, move a grid, retire, hand
a grid to another worker. Keyboard: Insert adds, F2 renames, Delete retires.

Every act goes through the platform (``/areas`` endpoints, docs/protocol.md "Area tree"), off the GUI
thread; after it the tree is read again and the area acted on is selected.
"""

from __future__ import annotations

from typing import Any

from desktop.admin.area_dialogs import AddAreaDialog, AssignDialog, MoveDialog, RenameDialog, RetireDialog
from desktop.admin.models.areas import AreasModel
from desktop.admin.screen import AdminContext, AdminScreen
from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QAction,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    Qt,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    is_valid_qt_object,
)


class AreasScreen(AdminScreen):
    def __init__(self, ctx: AdminContext) -> None:
        super().__init__(ctx)
        self.setObjectName("adminAreas")
        self.items: list[dict[str, Any]] | None = None
        self.model = AreasModel()
        self.tree = QTreeView()
        self.tree.setObjectName("areaTree")
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._update_actions())
        self.show_retired = QCheckBox()
        self.show_retired.toggled.connect(lambda _on: self._fill())
        self.info = QLabel()
        self.info.setWordWrap(True)

        self.add_action = self._action(self._add, Qt.Key.Key_Insert)
        self.rename_action = self._action(self._rename, Qt.Key.Key_F2)
        self.move_action = self._action(self._move, None)
        self.retire_action = self._action(self._retire, Qt.Key.Key_Delete)
        self.assign_action = self._action(self._assign, None)
        self.refresh_action = self._action(self.refresh, Qt.Key.Key_F5)
        bar = QHBoxLayout()
        for action in (self.add_action, self.rename_action, self.move_action, self.retire_action,
                       self.assign_action, self.refresh_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.show_retired)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.info)
        self.retranslate()
        self._update_actions()

    def _action(self, slot: Any, key: Qt.Key | None) -> QAction:
        action = QAction(self)
        action.triggered.connect(lambda _checked=False: slot())
        if key is not None:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def retranslate(self) -> None:
        self.add_action.setText(tr("新增下级 (Insert)"))
        self.rename_action.setText(tr("改名 (F2)"))
        self.move_action.setText(tr("移动网格…"))
        self.retire_action.setText(tr("撤销 (Delete)"))
        self.assign_action.setText(tr("移交网格…"))
        self.refresh_action.setText(tr("刷新 (F5)"))
        self.show_retired.setText(tr("显示已撤销"))
        self.model.retranslate()
        self._fill()

    # -- reading -----------------------------------------------------------------------------------
    def activated(self) -> None:
        if self.items is None:
            self.refresh()

    def refresh(self, select: str | None = None) -> None:
        chosen = select or self.current_code()
        self.call(lambda: self.api.items("/areas", {"counts": "true", "retired": "true"}),
                  lambda items: self._loaded(items, chosen))

    def alive(self) -> bool:
        """False once the window closed under a call still travelling (its answer is then dropped)."""
        return is_valid_qt_object(self) and is_valid_qt_object(self.tree)

    def _loaded(self, items: list[dict[str, Any]], select: str | None) -> None:
        if not self.alive():
            return
        self.items = items
        self._fill(select)

    def _fill(self, select: str | None = None) -> None:
        if self.items is None:
            return
        chosen = select or self.current_code()
        self.model.load(self.items, self.show_retired.isChecked())
        self.tree.expandAll()
        for col in range(self.model.columnCount()):  # the names too: 清波门第一网格 must not end in …
            self.tree.resizeColumnToContents(col)
        index = self.model.index_of(chosen) if chosen else None
        if index is not None:
            self.tree.setCurrentIndex(index)
        self._update_actions()

    def current(self) -> dict[str, Any] | None:
        return self.model.area(self.tree.currentIndex())

    def current_code(self) -> str | None:
        area = self.current()
        return str(area["code"]) if area else None

    def select(self, code: str) -> None:
        index = self.model.index_of(code)
        if index is not None:
            self.tree.setCurrentIndex(index)

    def _update_actions(self) -> None:
        area = self.current()
        live = area is not None and not area.get("retired") and area.get("in_scope", True) is not False
        level = area.get("level") if area else None
        self.add_action.setEnabled(live and level != "grid")
        self.rename_action.setEnabled(live)
        self.retire_action.setEnabled(live and level != "district")
        self.move_action.setEnabled(live and level == "grid")
        self.assign_action.setEnabled(live and level == "grid")
        if area is None:
            self.info.setText(tr("选择一个区划。"))
        else:
            self.info.setText(tr("{name}（{code}）：房屋 {houses}，户 {households}，人口 {persons}",
                                 name=area["name"], code=area["code"], houses=area.get("houses", 0),
                                 households=area.get("households", 0), persons=area.get("persons", 0)))

    # -- acts --------------------------------------------------------------------------------------
    def _send(self, job: Any, code: str, said: str) -> None:
        def done(_result: Any) -> None:
            if not self.alive():
                return
            self.ctx.status(said)
            self.refresh(select=code)

        self.call(job, done)

    def _add(self) -> None:
        area = self.current()
        if area is None or not self.add_action.isEnabled():
            return
        dialog = AddAreaDialog(area, self.model.next_code(area), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            body = dialog.value()
            self._send(lambda: self.api.post("/areas", body), body["code"],
                       tr("已新增 {name}", name=body["name"]))

    def _rename(self) -> None:
        area = self.current()
        if area is None or not self.rename_action.isEnabled():
            return
        dialog = RenameDialog(area, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.value() != area["name"]:
            name, code = dialog.value(), str(area["code"])
            self._send(lambda: self.api.patch(f"/areas/{code}", {"name": name}), code,
                       tr("已改名为 {name}", name=name))

    def _move(self) -> None:
        area = self.current()
        if area is None or not self.move_action.isEnabled():
            return
        dialog = MoveDialog(area, self.model.active("community"), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        code, parent = str(area["code"]), dialog.value()

        def done(result: Any) -> None:
            if not self.alive():
                return
            new = result["area"]["code"]
            self.ctx.status(tr("网格已移到新社区，新代码 {code}", code=new))
            self.refresh(select=new)

        self.call(lambda: self.api.post(f"/areas/{code}/move", {"parent": parent}), done)

    def _retire(self) -> None:
        area = self.current()
        if area is None or not self.retire_action.isEnabled():
            return
        dialog = RetireDialog(area, self.model.active("grid"), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        code, move_to = str(area["code"]), dialog.value()
        body = {"move_to": move_to} if move_to else {}
        self._send(lambda: self.api.post(f"/areas/{code}/retire", body), move_to or str(area.get("parent") or ""),
                   tr("已撤销 {name}", name=area["name"]))

    def _assign(self) -> None:
        area = self.current()
        if area is None or not self.assign_action.isEnabled():
            return
        code = str(area["code"])

        def ask(users: list[dict[str, Any]]) -> None:
            if not self.alive():
                return
            workers = [u for u in users if u.get("role") == "worker" and u.get("active")]
            dialog = AssignDialog(area, workers, self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                worker = dialog.value()
                self._send(lambda: self.api.post(f"/areas/{code}/assign", {"worker": worker}), code,
                           tr("网格已移交给 {worker}", worker=worker))

        self.call(lambda: self.api.items("/users"), ask)
