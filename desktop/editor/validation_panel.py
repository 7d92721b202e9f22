"""Every finding of the record, its household and its house, in one list; a click jumps to the field.

The panel is narrow beside the form (about 200 pixels in the editor dock at 1366×768): findings
wrap onto as many lines as they need, never a horizontal scroll bar and never cut off; the tooltip
of each says the rule and the field.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.i18n import tr
from desktop.qt import QAbstractItemView, QColor, QListView, QListWidget, QListWidgetItem, Qt, QWidget, Signal
from forms.validate.findings import Finding

ENTITY_ROLE = Qt.ItemDataRole.UserRole
FIELD_ROLE = Qt.ItemDataRole.UserRole + 1


class ValidationPanel(QListWidget):
    """``jump(entity_id, field_path)`` when the worker activates a finding."""

    jump = Signal(str, str)

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("validation_panel")
        self.language = language
        self.errors = 0
        self.warnings = 0
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)  # lay the items out again at each new width
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)

    def show_findings(self, groups: Sequence[tuple[str, str, Sequence[Finding]]]) -> None:
        """``groups``: (entity id, heading such as 「本人」 or 「所在房屋」, findings) in display order."""
        self.clear()
        self.errors = self.warnings = 0
        for entity_id, heading, findings in groups:
            for f in sorted(findings, key=lambda f: (not f.is_error, f.field)):
                if f.is_error:
                    self.errors += 1
                else:
                    self.warnings += 1
                mark = "✖" if f.is_error else "⚠"
                item = QListWidgetItem(f"{mark} [{heading}] {f.message(self.language)}")
                item.setForeground(QColor("#c0392b") if f.is_error else QColor("#9a6700"))
                item.setData(ENTITY_ROLE, entity_id)
                item.setData(FIELD_ROLE, f.field)
                item.setToolTip(f"{f.rule} · {f.field or tr('整条记录')}")
                self.addItem(item)
        if self.count() == 0:
            item = QListWidgetItem(tr("✔ 没有发现问题"))
            item.setForeground(QColor("#1e8449"))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        entity_id = item.data(ENTITY_ROLE)
        if entity_id:
            self.jump.emit(str(entity_id), str(item.data(FIELD_ROLE) or ""))

    def summary(self) -> str:
        return tr("{e} 个错误，{w} 个提醒", e=self.errors, w=self.warnings)
