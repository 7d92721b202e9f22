"""Values a newer template version has no field for, shown above the record (never dropped): each
with its old label and value, a button to copy it and one to dismiss it (an explicit, audited act;
``store.leftovers``)."""

from __future__ import annotations

from typing import Any

from desktop.i18n import language, tr
from desktop.qt import QT_TR_NOOP, QApplication, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

#: Why a value was left, as the worker reads it.
REASONS = {"field_removed": QT_TR_NOOP("新版模板中已没有该字段"),
           "choice_removed": QT_TR_NOOP("新版模板的选项中已没有该代码"),
           "type_changed": QT_TR_NOOP("新版模板中该字段的类型容不下该值"),
           "repeat_removed": QT_TR_NOOP("新版模板中已没有该重复组")}


class LeftoversBox(QWidget):
    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leftovers_box")
        self.store = store
        self.entity_id: str | None = None
        self.items: list[dict[str, Any]] = []
        self.setStyleSheet("QWidget#leftovers_box {background:#fff8e1;border:1px solid #f0c36d;}")
        self.heading = QLabel()
        self.heading.setObjectName("leftovers_heading")
        self.heading.setWordWrap(True)
        self.rows = QVBoxLayout()
        self.rows.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addLayout(self.rows)
        self.hide()

    def show_for(self, entity_id: str) -> None:
        self.entity_id = entity_id
        leftovers = getattr(self.store, "leftovers", None)
        self.items = leftovers.for_entity(entity_id) if leftovers is not None else []
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.heading.setText(tr("这些值在新版模板中已没有对应字段（已保留，请抄到合适的字段或确认不再需要）："))
        for x in self.items:
            self.rows.addWidget(self._row(x))
        self.setVisible(bool(self.items))

    def line(self, x: dict[str, Any]) -> str:
        label = x.get("label_en") if language() == "en" and x.get("label_en") else x.get("label")
        return f"{label or x.get('path')}：{x.get('shown') or x.get('value')}"

    def _row(self, x: dict[str, Any]) -> QWidget:
        row = QWidget()
        row.setObjectName(f"leftover_{x['id']}")
        reason = tr(str(REASONS.get(str(x.get("reason")), str(x.get("reason")))))
        text = QLabel(self.line(x) + tr("（{reason}，原版本 {version}）", reason=reason,
                                        version=x.get("from_version", "")))
        text.setWordWrap(True)
        copy = QPushButton(tr("复制"))
        copy.setObjectName("leftover_copy")
        copy.clicked.connect(lambda: self.copy(x))
        dismiss = QPushButton(tr("不再显示"))
        dismiss.setObjectName("leftover_dismiss")
        dismiss.clicked.connect(lambda: self.dismiss(x))
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(text, 1)
        layout.addWidget(copy)
        layout.addWidget(dismiss)
        return row

    def copy(self, x: dict[str, Any]) -> None:
        clipboard = QApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(str(x.get("shown") or x.get("value") or ""))

    def dismiss(self, x: dict[str, Any]) -> None:
        self.store.leftovers.dismiss(int(x["id"]), reason=tr("工作人员确认不再需要"))
        if self.entity_id is not None:
            self.show_for(self.entity_id)
