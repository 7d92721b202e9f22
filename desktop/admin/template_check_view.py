"""The problems of an opened template workbook: a table (sheet, row, column, position, message) and,
for the selected problem, where it is in words ("survey 表第 12 行 constraint 列，第 5 个字符")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.admin.models.template_problems import TemplateProblemsModel, located
from desktop.i18n import tr
from desktop.qt import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget


class TemplateCheckView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateCheck")
        self.summary = QLabel()
        self.summary.setObjectName("templateCheckSummary")
        self.summary.setWordWrap(True)
        self.model = TemplateProblemsModel()
        self.table = QTableView()
        self.table.setObjectName("templateProblems")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.where = QLabel()
        self.where.setObjectName("templateProblemWhere")
        self.where.setWordWrap(True)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._locate(cur.row()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.where)

    def show_problems(self, path: str, problems: Sequence[dict[str, Any]]) -> None:
        errors = [p for p in problems if p.get("severity") != "warning"]
        self.model.set_rows(list(problems))
        if errors:
            self.summary.setText(tr("{path}：{n} 个问题，不能发布", path=path, n=len(errors)))
        elif problems:
            self.summary.setText(tr("{path}：模板有效，有 {n} 条警告", path=path, n=len(problems)))
        else:
            self.summary.setText(tr("{path}：模板有效", path=path))
        self.where.setText("")
        if problems:
            self.table.selectRow(0)
            self._locate(0)

    def _locate(self, row: int) -> None:
        if 0 <= row < len(self.model.rows):
            problem = self.model.rows[row]
            self.where.setText(tr("位置：{where}。{message}", where=located(problem),
                                  message=problem.get("message", "")))
