"""Bulk users from an .xlsx: choose the file, check it (nothing created) or import it, read the report
per row (row, column, value, problem), and save the initial passwords once as a workbook to hand out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop import i18n
from desktop.admin.api import AdminApi, error_text
from desktop.file_dialogs import start_dir
from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStandardItem,
    QStandardItemModel,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from desktop.workers import run_in_background
from sync.client.admin.users import write_passwords

XLSX_FILTER = "Excel (*.xlsx)"


class ImportDialog(QDialog):
    def __init__(self, api: AdminApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importUsersDialog")
        self.api = api
        self.path: Path | None = None
        self.report: dict[str, Any] | None = None
        self.created: list[dict[str, Any]] = []
        self.saved_to: Path | None = None
        self.busy = False
        self.setWindowTitle(tr("批量导入用户"))
        intro = QLabel(tr("每行一个用户，表头：用户名、姓名、角色、区划代码，可选 结束日期、第三方。"
                          "有问题的行不导入，其余行照常创建。"))
        intro.setWordWrap(True)
        self.file_label = QLabel(tr("未选择文件"))
        self.choose = QPushButton(tr("选择文件…"))
        self.choose.clicked.connect(self._choose)
        self.check = QPushButton(tr("只检查"))
        self.check.setObjectName("importCheck")
        self.run = QPushButton(tr("导入"))
        self.run.setObjectName("importRun")
        self.save = QPushButton(tr("保存初始密码…"))
        self.save.setObjectName("importSave")
        self.check.clicked.connect(lambda: self.start(dry_run=True))
        self.run.clicked.connect(lambda: self.start(dry_run=False))
        self.save.clicked.connect(self._save_clicked)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.problems = QStandardItemModel(0, 4)
        self.table = QTableView()
        self.table.setObjectName("importReport")
        self.table.setModel(self.problems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose)
        actions = QHBoxLayout()
        for b in (self.check, self.run, self.save):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.resize(760, 520)
        self._update()

    def set_file(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(str(path))
        self.report, self.created, self.saved_to = None, [], None
        self.summary.clear()
        self.problems.setRowCount(0)
        self._update()

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("选择用户表"), start_dir(), XLSX_FILTER)
        if name:
            self.set_file(Path(name))

    def _update(self) -> None:
        ready = self.path is not None and not self.busy
        self.check.setEnabled(ready)
        self.run.setEnabled(ready and not self.created)
        self.save.setEnabled(bool(self.created) and self.saved_to is None and not self.busy)

    def start(self, dry_run: bool) -> None:
        if self.path is None or self.busy:
            return
        path = self.path
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.summary.setText(tr("无法读取文件：{error}", error=str(exc)))
            return
        self.busy = True
        self._update()
        url = "/users/import?dry_run=true" if dry_run else "/users/import"
        run_in_background(lambda: self.api.upload(url, path.name, data), self._done, self._failed)

    def _done(self, report: Any) -> None:
        self.busy = False
        self.report = report if isinstance(report, dict) else {}
        self.created = list(self.report.get("users") or [])
        r = self.report
        if r.get("dry_run"):
            self.summary.setText(tr("检查了 {rows} 行：可创建 {good} 个，有问题 {bad} 行（尚未创建）。",
                                    rows=r.get("rows", 0), good=r.get("would_create", 0), bad=r.get("bad_rows", 0)))
        else:
            self.summary.setText(tr("{rows} 行：已创建 {created} 个用户，有问题 {bad} 行。请保存初始密码（只能保存一次）。",
                                    rows=r.get("rows", 0), created=r.get("created", 0), bad=r.get("bad_rows", 0)))
        self.problems.clear()
        self.problems.setHorizontalHeaderLabels([tr("行"), tr("列"), tr("值"), tr("问题")])
        en = i18n.language() == "en"
        for p in r.get("problems") or []:
            self.problems.appendRow([QStandardItem(str(p.get("row", ""))), QStandardItem(str(p.get("column", ""))),
                                     QStandardItem(str(p.get("value", ""))),
                                     QStandardItem(str(p.get("message_en" if en else "message", "")))])
        self._update()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.summary.setText(error_text(exc, i18n.language()))
        self._update()

    def _save_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, tr("保存初始密码"), start_dir("初始密码.xlsx"), XLSX_FILTER)
        if name:
            self.save_passwords(Path(name))

    def reject(self) -> None:
        """Closing with initial passwords not saved asks first (they cannot be shown again)."""
        if self.created and self.saved_to is None:
            answer = QMessageBox.question(self, tr("初始密码尚未保存"),
                                          tr("初始密码只返回这一次，关闭后无法再看到（只能逐个重置）。仍要关闭？"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    def save_passwords(self, path: Path) -> None:
        """Write the handout once; the passwords are then forgotten here."""
        if not self.created or self.saved_to is not None:
            return
        write_passwords(path, self.created)
        self.saved_to = path
        for user in self.created:
            user["password"] = ""
        self.summary.setText(self.summary.text() + "\n" + tr("初始密码已保存到 {path}", path=str(path)))
        self._update()
