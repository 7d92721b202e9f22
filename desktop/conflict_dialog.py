"""Conflicts: a field changed both here and on the platform since this laptop last synced.

For each conflicting field the dialog shows the value both started from (base), the worker's (mine)
and the platform's (theirs); the worker keeps one or types a third. Nothing is overwritten silently.
"""

from __future__ import annotations

from typing import Any

from desktop.editor.field_widgets import display_text
from desktop.i18n import tr
from desktop.qt import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from forms.model import Template
from sync.store import StoreError

MINE, THEIRS, EDIT = 0, 1, 2


class ConflictDialog(QDialog):
    def __init__(self, store: Any, entity_id: str, template: Template | None, language: str = "zh",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_dialog")
        self.setWindowTitle(tr("处理冲突"))
        self.store = store
        self.entity_id = entity_id
        self.rows: dict[str, tuple[QButtonGroup, QLineEdit]] = {}
        conflicts = store.outbox.conflicts(entity_id)
        grid = QGridLayout()
        for column, text in enumerate((tr("字段"), tr("原值"), tr("我的修改"), tr("平台上的值"), tr("改为"))):
            head = QLabel(f"<b>{text}</b>")
            grid.addWidget(head, 0, column)
        for row, c in enumerate(conflicts, start=1):
            name = c["field"]
            label = template.field_label(name, language) if template else name
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(QLabel(display_text(c["base"]) or "—"), row, 1)
            group = QButtonGroup(self)
            mine = QRadioButton(display_text(c["mine"]) or tr("（空）"))
            mine.setObjectName(f"mine_{name}")
            theirs = QRadioButton(display_text(c["theirs"]) or tr("（空）"))
            theirs.setObjectName(f"theirs_{name}")
            edit_choice = QRadioButton("")
            edit_choice.setObjectName(f"edit_{name}")
            edit = QLineEdit(display_text(c["mine"]))
            edit.setObjectName(f"value_{name}")
            edit.textEdited.connect(lambda _t, b=edit_choice: b.setChecked(True))
            group.addButton(mine, MINE)
            group.addButton(theirs, THEIRS)
            group.addButton(edit_choice, EDIT)
            theirs.setChecked(True)
            grid.addWidget(mine, row, 2)
            grid.addWidget(theirs, row, 3)
            holder = QWidget()
            inner = QGridLayout(holder)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.addWidget(edit_choice, 0, 0)
            inner.addWidget(edit, 0, 1)
            grid.addWidget(holder, row, 4)
            self.rows[name] = (group, edit)
        self.error = QLabel("")
        self.error.setStyleSheet("color:#c0392b")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("保存选择"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("稍后处理"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("以下字段在您修改的同时也被他人修改了，请逐项选择要保留的值：")))
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def choices(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, (group, edit) in self.rows.items():
            chosen = group.checkedId()
            out[name] = "mine" if chosen == MINE else "theirs" if chosen == THEIRS else {"value": edit.text().strip()}
        return out

    def accept(self) -> None:
        try:
            self.store.outbox.resolve_conflict(self.entity_id, self.choices())
        except StoreError as exc:
            self.error.setText(str(exc))
            return
        super().accept()
