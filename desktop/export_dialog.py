"""导出台账: a ledger or summary table exported from the local store, offline, off the GUI thread.

Choose a ledger and an area (the worker's own grids), see the first rows (masked, as the file will
have them), export with a progress bar and 取消, then open the folder. The export is written to the
store's audit log (``sync.client.export_local``), which uploads with the next sync.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.file_dialogs import start_dir
from desktop.i18n import tr
from desktop.qt import (
    QComboBox,
    QDesktopServices,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStandardItem,
    QStandardItemModel,
    QTableView,
    QTimer,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from desktop.workers import run_in_background
from sync.client.export_local import export_from_store, own_grids, preview_from_store, shipped_ledgers
from sync.export_cli import refresh_tags
from sync.store import Store


class ExportDialog(QDialog):
    """The worker's export of a ledger from the local store."""

    def __init__(self, store: Store, reopen: Callable[[], Store], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("导出台账"))
        self.setObjectName("exportDialog")
        self._reopen = reopen
        self._cancel = threading.Event()
        self._progress = (0, 0)
        self.running = False
        self.result: dict[str, Any] | None = None
        self.error = ""
        self.ledger = QComboBox()
        for name in shipped_ledgers():
            self.ledger.addItem(name, name)
        self.area = QComboBox()
        self.area.addItem(tr("我负责的全部网格"), "")
        names = store.ledgers.area_names()
        for code in own_grids(store):
            self.area.addItem(names.get(code, code), code)
        self.format = QComboBox()
        self.format.addItem("Excel (.xlsx)", "xlsx")
        self.format.addItem("CSV (.csv)", "csv")
        form = QFormLayout()
        form.addRow(tr("台账"), self.ledger)
        form.addRow(tr("区域"), self.area)
        form.addRow(tr("格式"), self.format)
        self.model = QStandardItemModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.summary = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setValue(0)
        self.export_button = QPushButton(tr("导出…"))
        self.cancel_button = QPushButton(tr("取消"))
        self.cancel_button.setEnabled(False)
        self.open_button = QPushButton(tr("打开文件夹"))
        self.open_button.setEnabled(False)
        buttons = QHBoxLayout()
        for b in (self.export_button, self.cancel_button, self.open_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(tr("预览（前 20 行，已脱敏）")))
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self.export_button.clicked.connect(self._choose_file)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button.clicked.connect(self._open_folder)
        self.ledger.currentIndexChanged.connect(lambda _i: self.refresh_preview())
        self.area.currentIndexChanged.connect(lambda _i: self.refresh_preview())
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._show_progress)
        self.previewed = 0
        self.resize(900, 560)
        self.refresh_preview()

    # -- preview --------------------------------------------------------------------------------
    def refresh_preview(self) -> None:
        ledger, area = self.ledger.currentData(), self.area.currentData() or None
        self.summary.setText(tr("正在读取…"))

        def job() -> tuple[list[str], list[list[Any]], int]:
            store = self._reopen()
            try:
                return preview_from_store(store, ledger, area)
            finally:
                store.close()

        run_in_background(job, self._previewed, self._failed, owner=self)

    def _previewed(self, got: tuple[list[str], list[list[Any]], int]) -> None:
        headers, rows, total = got
        self.model.clear()
        self.model.setHorizontalHeaderLabels(headers)
        for row in rows:
            self.model.appendRow([QStandardItem("" if v is None else str(v)) for v in row])
        self.previewed = total
        self.summary.setText(tr("共 {n} 行", n=total))

    def _failed(self, exc: BaseException) -> None:
        self.error = getattr(exc, "zh", "") or str(exc)
        self.summary.setText(tr("无法导出：{why}", why=self.error))
        self._finish()

    # -- export ---------------------------------------------------------------------------------
    def _choose_file(self) -> None:
        fmt = self.format.currentData()
        path, _ = QFileDialog.getSaveFileName(self, tr("导出台账"), start_dir(f"{self.ledger.currentData()}.{fmt}"),
                                              f"*.{fmt}")
        if path:
            self.export_to(Path(path))

    def export_to(self, out: Path) -> None:
        """Start the export into ``out`` off the GUI thread."""
        if self.running:
            return
        ledger, area, fmt = self.ledger.currentData(), self.area.currentData() or None, self.format.currentData()
        self._cancel.clear()
        self._progress = (0, max(1, self.previewed))
        self.running = True
        self.result, self.error = None, ""
        self.export_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.open_button.setEnabled(False)
        self.bar.setValue(0)
        self._timer.start()

        def progress(done: int, total: int) -> None:
            self._progress = (done, total)

        def job() -> dict[str, Any]:
            store = self._reopen()
            try:
                return export_from_store(store, ledger, out, fmt=fmt, area=area, progress=progress,
                                         cancelled=self._cancel.is_set, refresh=refresh_tags).to_json()
            finally:
                store.close()

        run_in_background(job, self._done, self._export_failed, owner=self)

    def cancel(self) -> None:
        self._cancel.set()

    def _show_progress(self) -> None:
        done, total = self._progress
        self.bar.setValue(min(100, int(done * 100 / total)) if total else 0)

    def _done(self, result: dict[str, Any]) -> None:
        self.result = result
        self.bar.setValue(100)
        self.summary.setText(tr("已导出 {n} 行到 {file}", n=result["rows"], file=result["file"]))
        self._finish()
        self.open_button.setEnabled(True)

    def _export_failed(self, exc: BaseException) -> None:
        from forms.ledger import Cancelled

        if isinstance(exc, Cancelled):
            self.error = "cancelled"
            self.summary.setText(tr("已取消导出"))
            self.bar.setValue(0)
            self._finish()
            return
        self._failed(exc)

    def _finish(self) -> None:
        self.running = False
        self._timer.stop()
        self.export_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _open_folder(self) -> None:
        if self.result:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.result["file"]).parent)))
