"""台账模板: the ledger templates on the platform (``GET /ledgers``: published versions and the shipped
ones), and publishing one (``POST /ledgers``): a template with problems is refused and each problem is
listed with its sheet, cell and position in the cell's text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.admin.screen import AdminContext, AdminScreen
from desktop.file_dialogs import start_dir
from desktop.i18n import tr
from desktop.qt import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStandardItem,
    QStandardItemModel,
    QTableView,
    QVBoxLayout,
)


class LedgersScreen(AdminScreen):
    def __init__(self, ctx: AdminContext) -> None:
        super().__init__(ctx)
        self.setObjectName("adminLedgers")
        self.model = QStandardItemModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.publish_button = QPushButton(tr("检查并发布…"))
        self.publish_button.clicked.connect(self._choose)
        self.refresh_button = QPushButton(tr("刷新"))
        self.refresh_button.clicked.connect(self.refresh)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setObjectName("ledgerProblems")
        self.problems.hide()
        self.state = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.publish_button)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.state)
        layout.addWidget(self.problems)
        self.loaded = False

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.call(lambda: self.api.items("/ledgers"), self._show)

    def _show(self, items: list[dict[str, Any]]) -> None:
        self.model.clear()
        self.model.setHorizontalHeaderLabels([tr("名称"), tr("类型"), tr("实体"), tr("版本"), tr("来源")])
        for it in items:
            kind = tr("统计表") if it.get("type") == "summary" else tr("台账")
            source = tr("已发布") if it.get("source") == "published" else tr("内置")
            self.model.appendRow([QStandardItem(str(v)) for v in
                                  (it["name"], kind, it.get("entity", ""), it.get("version") or "—", source)])
        self.loaded = True

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("检查并发布…"), start_dir(), "*.xlsx")
        if path:
            self.publish(Path(path))

    def publish(self, path: Path) -> None:
        """Check ``path`` as the platform will (off the GUI thread); publish it only when it has no problems."""
        self.problems.hide()
        self.state.setText(tr("正在检查…"))

        def job() -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
            from forms.ledger import LedgerError, load_ledger
            from forms.ledger.check import default_scopes

            data = path.read_bytes()
            try:
                load_ledger(data, default_scopes())
            except LedgerError as exc:
                return [p.to_json() for p in exc.problems], None
            return [], self.api.upload("/ledgers", path.name, data)

        self.call(job, self._checked)

    def _checked(self, got: tuple[list[dict[str, Any]], dict[str, Any] | None]) -> None:
        problems, meta = got
        if meta is not None:
            self._published(meta)
        else:
            self._show_problems(problems)

    def _published(self, meta: dict[str, Any]) -> None:
        self.state.setText(tr("已发布「{name}」第 {v} 版", name=meta["name"], v=meta["version"]))
        self.refresh()

    def _show_problems(self, problems: list[dict[str, Any]]) -> None:
        lines = [tr("工作表「{sheet}」{cell} 第 {pos} 个字符：{message}", sheet=p.get("sheet") or "",
                    cell=f"{p.get('column') or ''}{p.get('row') or ''}",
                    pos=(p.get("position") or 0) + 1 if p.get("position") is not None else "—",
                    message=p.get("message") or "") for p in problems]
        self.problems.setPlainText("\n".join(lines))
        self.problems.show()
        self.state.setText(tr("台账模板有错误，未发布"))
