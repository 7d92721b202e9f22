"""A repeat (household members, tenants) as an editable table: one row per instance.

Cells of choice questions offer the choice list in a drop-down; other cells are typed. Rows are added
and removed with the buttons under the table (or Ctrl+Shift+= / Delete on a row).
"""

from __future__ import annotations

from typing import Any

from desktop.editor.field_widgets import choice_text, display_text
from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QModelIndex,
    QPushButton,
    QStyledItemDelegate,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from forms.model import Field, FieldType, Group, Template

VALUE_ROLE = Qt.ItemDataRole.UserRole


class _ChoiceDelegate(QStyledItemDelegate):
    """Edits a select_one cell with a drop-down of the field's choices."""

    def __init__(self, table: RepeatTable) -> None:
        super().__init__(table)
        self.table = table

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:
        field = self.table.columns[index.column()]
        if field.type is not FieldType.SELECT_ONE or not field.choice_list:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItem("", "")
        for choice in self.table.template.choices[field.choice_list]:
            combo.addItem(choice_text(choice, self.table.language), choice.name)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            position = editor.findData(index.data(VALUE_ROLE) or "")
            editor.setCurrentIndex(max(position, 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            value = str(editor.currentData() or "")
            model.setData(index, value, VALUE_ROLE)
            model.setData(index, self.table.cell_text(index.column(), value), Qt.ItemDataRole.DisplayRole)
        else:
            super().setModelData(editor, model, index)


class RepeatTable(QWidget):
    """Rows of a repeat. ``rows()`` returns a list of dicts, ``set_rows()`` shows them."""

    changed = Signal()

    def __init__(self, group: Group, template: Template, language: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = group
        self.template = template
        self.language = language
        self.setObjectName(f"repeat_{group.name}")
        self.columns: list[Field] = [
            c for c in group.children
            if isinstance(c, Field) and c.type not in {FieldType.HIDDEN, FieldType.NOTE}
            and not (c.type is FieldType.CALCULATE and not c.labels)
        ]
        #: Values of hidden columns (e.g. the linked person's id), kept per row.
        self._hidden: list[dict[str, Any]] = []
        self._loading = False
        self.table = QTableWidget(0, len(self.columns), self)
        self.table.setObjectName(f"table_{group.name}")
        self.table.setHorizontalHeaderLabels([c.label(language) for c in self.columns])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setItemDelegate(_ChoiceDelegate(self))
        self.table.itemChanged.connect(self._edited)
        self.table.setMinimumHeight(140)
        add = QPushButton(tr("添加一行"), self)
        add.setObjectName(f"add_{group.name}")
        add.clicked.connect(self.add_row)
        remove = QPushButton(tr("删除所选行"), self)
        remove.setObjectName(f"remove_{group.name}")
        remove.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def cell_text(self, column: int, value: object) -> str:
        field = self.columns[column]
        text = display_text(value)
        if field.choice_list and text:
            return " ".join(self.template.choice_label(field.choice_list, v, self.language) for v in text.split())
        return text

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self._loading = True
        self.table.setRowCount(0)
        self._hidden = []
        for row in rows:
            self._append(row)
        self._loading = False

    def _append(self, row: dict[str, Any]) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        shown = {c.name for c in self.columns}
        self._hidden.append({k: v for k, v in row.items() if k not in shown})
        for column, field in enumerate(self.columns):
            value = row.get(field.name, "")
            item = QTableWidgetItem(self.cell_text(column, value))
            item.setData(VALUE_ROLE, display_text(value))
            if field.type is FieldType.CALCULATE or field.read_only:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(r, column, item)

    def rows(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = []
        for r in range(self.table.rowCount()):
            row = dict(self._hidden[r]) if r < len(self._hidden) else {}
            for column, field in enumerate(self.columns):
                item = self.table.item(r, column)
                value = item.data(VALUE_ROLE) if item is not None else ""
                if value:
                    row[field.name] = value
            result.append(row)
        return result

    def add_row(self) -> None:
        self._loading = True
        self._append({})
        self._loading = False
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.table.removeRow(r)
            if r < len(self._hidden):
                del self._hidden[r]
        if rows:
            self.changed.emit()

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        field = self.columns[item.column()]
        if field.type is not FieldType.SELECT_ONE:
            self._loading = True
            item.setData(VALUE_ROLE, item.text().strip())
            self._loading = False
        self.changed.emit()

    def mark(self, row: int, field_name: str, message: str, severity: str) -> None:
        """Show a finding on a cell (tooltip and colour)."""
        for column, field in enumerate(self.columns):
            if field.name == field_name and row < self.table.rowCount():
                item = self.table.item(row, column)
                if item is not None:
                    self._loading = True
                    item.setToolTip(message)
                    item.setBackground(Qt.GlobalColor.yellow if severity == "warning" else Qt.GlobalColor.red)
                    self._loading = False

    def clear_marks(self) -> None:
        self._loading = True
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                if item is not None and item.toolTip():
                    item.setToolTip("")
                    item.setData(Qt.ItemDataRole.BackgroundRole, None)
        self._loading = False

    def focus_cell(self, row: int, field_name: str) -> None:
        for column, field in enumerate(self.columns):
            if field.name == field_name:
                self.table.setCurrentCell(min(row, self.table.rowCount() - 1), column)
        self.table.setFocus()
