"""导出台账 on the platform (the admin window's screen and the supervisor's dock): a ledger or summary table
for an area in scope (``POST /exports``, its progress polled, its file downloaded). Masked unless 「不脱敏」
is ticked with a reason and the ledger allows the role; the platform writes the audit entry.

``api`` has ``items`` / ``get`` / ``post`` and ``client.download`` (the admin's AdminApi, the supervisor's
ReviewApi); ``error_text(exc)`` puts a failure in words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.file_dialogs import start_dir
from desktop.i18n import tr
from desktop.qt import (
    QCheckBox,
    QComboBox,
    QDesktopServices,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTimer,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from desktop.workers import run_in_background


class SessionApi:
    """``items`` / ``get`` / ``post`` / ``client`` over a session's client (None when offline)."""

    def __init__(self, session: Any) -> None:
        self._session = session

    @property
    def client(self) -> Any:
        client = self._session.client
        if client is None:
            raise ConnectionError(tr("离线：连上平台后才能在平台上导出"))
        return client

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, params)

    def items(self, path: str) -> list[dict[str, Any]]:
        return list(self.client.get(path).get("items") or [])

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(path, body)


class ExportPanel(QWidget):
    def __init__(self, api: Any, names: Callable[[], dict[str, str]], roots: list[str],
                 error_text: Callable[[BaseException], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportPanel")
        self.api = api
        self._names = names
        self._roots_given = roots
        self._error_text = error_text
        self.busy = 0
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        self.ledger = QComboBox()
        self.ledger.setObjectName("exportLedger")
        self.area = QComboBox()
        self.area.setObjectName("exportArea")
        self.format = QComboBox()
        self.format.addItem("Excel (.xlsx)", "xlsx")
        self.format.addItem("CSV (.csv)", "csv")
        self.unmasked = QCheckBox(tr("不脱敏（需填写理由，并记入审计日志）"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("导出未脱敏数据的理由"))
        form = QFormLayout()
        form.addRow(tr("台账"), self.ledger)
        form.addRow(tr("区域"), self.area)
        form.addRow(tr("格式"), self.format)
        form.addRow("", self.unmasked)
        form.addRow(tr("理由"), self.reason)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.state = QLabel()
        self.state.setObjectName("exportState")
        self.export_button = QPushButton(tr("导出…"))
        self.cancel_button = QPushButton(tr("取消"))
        self.cancel_button.setEnabled(False)
        self.open_button = QPushButton(tr("打开文件夹"))
        self.open_button.setEnabled(False)
        buttons = QHBoxLayout()
        for b in (self.export_button, self.cancel_button, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.bar)
        layout.addWidget(self.state)
        layout.addStretch(1)
        self.export_button.clicked.connect(self._choose_file)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button.clicked.connect(self._open_folder)
        self._timer = QTimer(self)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self._poll)
        self.job: dict[str, Any] | None = None
        self.out: Path | None = None
        self.loaded = False
        self.finished: dict[str, Any] | None = None

    def activated(self) -> None:
        if self.loaded:
            return
        self.call(lambda: self.api.items("/ledgers"), self._ledgers)
        roots = tuple(self._roots_given)
        for code, name in sorted(self._names().items()):
            if not roots or code.startswith(roots):
                self.area.addItem(f"{name}（{code}）", code)

    def call(self, job: Callable[[], Any], done: Callable[[Any], None],
             failed: Callable[[BaseException], None] | None = None) -> None:
        self.busy += 1
        self.error_label.hide()

        def ok(result: Any) -> None:
            self.busy -= 1
            done(result)

        def bad(exc: BaseException) -> None:
            self.busy -= 1
            (failed or self.show_error)(exc)

        run_in_background(job, ok, bad, owner=self)

    def show_error(self, exc: BaseException | str) -> None:
        self.error_label.setText(exc if isinstance(exc, str) else self._error_text(exc))
        self.error_label.show()

    def _ledgers(self, items: list[dict[str, Any]]) -> None:
        self.ledger.clear()
        for it in items:
            kind = tr("统计表") if it.get("type") == "summary" else tr("台账")
            self.ledger.addItem(f"{it['name']}（{kind}）", it["name"])
        self.loaded = True

    def _choose_file(self) -> None:
        fmt = self.format.currentData()
        path, _ = QFileDialog.getSaveFileName(self, tr("导出台账"), start_dir(f"{self.ledger.currentData()}.{fmt}"), f"*.{fmt}")
        if path:
            self.export_to(Path(path))

    def export_to(self, out: Path) -> None:
        body = {"ledger": self.ledger.currentData(), "area": self.area.currentData(), "format": self.format.currentData(),
                "unmasked": self.unmasked.isChecked(), "reason": self.reason.text().strip()}
        self.out, self.finished, self.job = out, None, None
        self.export_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.open_button.setEnabled(False)
        self.bar.setValue(0)
        self.state.setText(tr("正在导出…"))
        self.call(lambda: self.api.post("/exports", body), self._started, self._failed)

    def _started(self, job: dict[str, Any]) -> None:
        self.job = job
        self._timer.start()

    def _poll(self) -> None:
        if self.job is None or self.busy:
            return
        job_id = self.job["id"]
        self.call(lambda: self.api.get(f"/exports/{job_id}"), self._progress, self._failed)

    def _progress(self, job: dict[str, Any]) -> None:
        if self.job is None:  # cancelled meanwhile
            return
        self.job = job
        total = max(1, int(job.get("total") or 0))
        self.bar.setValue(min(100, int(int(job.get("done") or 0) * 100 / total)))
        if job["status"] == "running":
            return
        self._timer.stop()
        if job["status"] != "done":
            err = job.get("error") or {}
            self._failed(str(err.get("message") or tr("导出失败")))
            return
        out = self.out
        assert out is not None

        def fetch() -> dict[str, Any]:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(self.api.client.download(f"/exports/{job['id']}/file"))
            return dict(job["result"])

        self.call(fetch, self._done, self._failed)

    def _done(self, result: dict[str, Any]) -> None:
        self.finished = result
        self.bar.setValue(100)
        masked = tr("已脱敏") if result.get("masked") else tr("未脱敏")
        self.state.setText(tr("已导出 {n} 行到 {file}", n=result["rows"], file=str(self.out)) + f"（{masked}）")
        self._idle()
        self.open_button.setEnabled(True)

    def _failed(self, exc: BaseException | str) -> None:
        self._timer.stop()
        self.job = None
        self.state.setText("")
        self.show_error(exc)
        self._idle()

    def cancel(self) -> None:
        """Stop waiting for the job (the platform still records what it exported)."""
        self._timer.stop()
        self.job = None
        self.state.setText(tr("已取消导出"))
        self._idle()

    def _idle(self) -> None:
        self.export_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _open_folder(self) -> None:
        if self.out is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.out.parent)))
