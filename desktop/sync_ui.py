"""Sync in the background: a button, a progress bar with cancel, and the result in words.

The engine (``sync.client.engine.SyncEngine``) runs on a thread of its own with its own store
connection (``session.reopen()``), so the window stays responsive however long a pull takes. When the
platform wants the password again (the refresh token expired while offline), the panel asks for it
and runs again.
"""

from __future__ import annotations

import threading
from typing import Any

from desktop.i18n import language, tr
from desktop.qt import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QObject,
    QProgressBar,
    QPushButton,
    QWidget,
    Signal,
)
from sync.client import min_version
from sync.client.engine import SyncEngine, SyncProgress, SyncSummary
from sync.client.errors import AuthFailed, DeviceRevoked, LoginRequired, SyncError, Unreachable
from sync.version import at_least, is_version


class SyncRunner(QObject):
    """Runs one sync at a time off the GUI thread; reports through queued signals."""

    progress = Signal(object)   # SyncProgress
    finished = Signal(object)   # SyncSummary

    def __init__(self, session: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._cancel: threading.Event | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> bool:
        if self.running or self.session.client is None:
            return False
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(self._cancel,), name="ybt-sync", daemon=True)
        self._thread.start()
        return True

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self, cancel: threading.Event) -> None:
        store = self.session.reopen()
        try:
            summary = SyncEngine(store, self.session.client).run(progress=self.progress.emit, cancel=cancel)
        except SyncError as exc:  # the engine reports failures in the summary; this is a safety net
            summary = SyncSummary(errors=[exc.message(language())], failure=exc)
        finally:
            store.close()
        self.finished.emit(summary)


class UpdateNotice(QLabel):
    """「请更新一表通到 X 版本或更高版本后再同步」: shown while the platform refuses this app's pushes
    (426 ``client_too_old``). Kept in the store's settings, so it is there after a restart too, until a
    run pushes again or the app itself is new enough. The data stays; pulls go on."""

    KEY = min_version.KEY

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_update_notice")
        self.setStyleSheet("color: #b00020; font-weight: bold;")
        self.setWordWrap(True)
        self.session = session
        stored = session.store.settings.get(self.KEY)
        self.required = stored if isinstance(stored, str) and stored else None
        client = session.client
        if self.required and client is not None and is_version(self.required) \
                and at_least(client.app_version, self.required):
            self._set(None)  # updated since
        self.retranslate()

    def _set(self, required: str | None) -> None:
        if required != self.required:
            self.required = required
            self.session.store.settings.set(self.KEY, required)

    def after(self, summary: SyncSummary) -> None:
        if summary.too_old:
            self._set(summary.too_old)
        elif summary.failure is None and (summary.sent or summary.visits_sent):
            self._set(None)
        self.retranslate()

    def retranslate(self) -> None:
        if self.required:
            self.setText(tr("请更新一表通到 {version} 版本或更高版本后再同步", version=self.required))
            self.setToolTip(tr("如何更新：向数据办索取新版安装包（统信UOS / 麒麟：yibiaotong_{version}_amd64.deb，"
                               "双击安装或 sudo apt install ./yibiaotong_{version}_amd64.deb；Windows：运行 "
                               "yibiaotong-setup-{version}.exe）。安装时不要卸载旧版本的数据，本机未上传的工作会保留，"
                               "更新后同步即可上传。", version=self.required))
        self.setVisible(bool(self.required))


#: Failures that need the worker: the only ones that interrupt with a dialog.
NEEDS_THE_WORKER = (LoginRequired, AuthFailed)


class SyncPanel(QWidget):
    """Status-bar widget: 「同步」, a progress bar, 「取消」 and the last result.

    Offline is normal: an unreachable platform is a calm line here (``reachable(False)``), never a
    box; what is queued stays queued and goes with the next run. Only what needs the worker (the
    password again, an account the platform refused) interrupts.
    """

    synced = Signal(object)      # SyncSummary, after each run (the window refreshes its lists)
    reachable = Signal(bool)     # whether the platform answered the last run

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_panel")
        self.session = session
        self.runner = SyncRunner(session, self)
        self.runner.progress.connect(self._progress)
        self.runner.finished.connect(self._finished)
        self.button = QPushButton(self)
        self.button.setObjectName("sync_button")
        self.button.clicked.connect(lambda: self.start())
        self.bar = QProgressBar(self)
        self.bar.setObjectName("sync_progress")
        self.bar.setMaximumWidth(160)
        self.bar.hide()
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("sync_cancel")
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.cancel_button.hide()
        self.label = QLabel("", self)
        self.label.setObjectName("sync_state")
        self.update_notice = UpdateNotice(session, self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.label)
        layout.addWidget(self.update_notice)
        self.last: SyncSummary | None = None
        self.quiet = False
        self.again = False
        self.closed = False  # the window shut down: a run that still ends is not shown
        self.retranslate()

    def retranslate(self) -> None:
        self.update_notice.retranslate()
        self.button.setText(tr("同步"))
        self.button.setToolTip(tr("上传已提交的工作并下载最新数据 (F5)"))
        self.cancel_button.setText(tr("取消"))
        if self.last is not None and not self.runner.running:
            self.label.setText(self.describe(self.last))

    @property
    def running(self) -> bool:
        return self.runner.running

    def start(self, quiet: bool = False) -> bool:
        """Run a sync; ``quiet`` for the background ones (no progress bar). A start while one runs
        asks for one more run after it (so a submit made during a pull is sent at once)."""
        if self.runner.running:
            self.again = True
            return False
        if self.session.client is None:
            self.label.setText(tr("未配置平台地址，无法同步"))
            return False
        self.quiet = quiet
        self.again = False
        self.runner.start()
        self.button.setEnabled(False)
        if not quiet:
            self.bar.setRange(0, 0)
            self.bar.show()
            self.cancel_button.show()
        self.label.setText(tr("正在同步…"))
        return True

    def _progress(self, step: SyncProgress) -> None:
        if step.total:
            self.bar.setRange(0, step.total)
            self.bar.setValue(min(step.done, step.total))
        else:
            self.bar.setRange(0, 0)
        self.label.setText(step.message_en if language() == "en" else step.message_zh)

    def describe(self, summary: SyncSummary) -> str:
        """The last run in one line, as the worker needs it."""
        if isinstance(summary.failure, Unreachable):
            waiting = self.session.store.outbox.open_count()
            if waiting:
                return tr("离线：{n} 份待发送，联网后自动上传", n=waiting)
            return tr("离线：已保存在本机")
        if summary.cancelled:
            return tr("同步已取消")
        if summary.failure is not None:
            return tr("同步未完成：{error}", error=summary.failure.message(language()))
        visits = summary.visits_sent
        if visits:
            return tr("已同步：上传 {sent} 份、走访 {visits} 次，下载 {received} 项", sent=summary.sent,
                      visits=visits, received=summary.received)
        if summary.sent or summary.received:
            return tr("已同步：上传 {sent} 份，下载 {received} 项", sent=summary.sent, received=summary.received)
        return tr("已同步，没有新的变化")

    def _finished(self, summary: SyncSummary) -> None:
        if self.closed:
            return
        self.last = summary
        self.button.setEnabled(True)
        self.bar.hide()
        self.cancel_button.hide()
        self.label.setText(self.describe(summary))
        self.label.setToolTip(summary.text(language()))
        self.update_notice.after(summary)
        offline = isinstance(summary.failure, Unreachable)
        self.reachable.emit(not offline)
        self.synced.emit(summary)
        if self.closed:  # the window went meanwhile (a revoked device is wiped on this summary)
            return
        if isinstance(summary.failure, LoginRequired) and self._relogin():
            self.start()
            return
        if isinstance(summary.failure, NEEDS_THE_WORKER) and not isinstance(summary.failure, LoginRequired):
            box = QMessageBox(QMessageBox.Icon.Warning, tr("无法同步"), summary.failure.message(language()),
                              QMessageBox.StandardButton.Ok, self)
            box.setObjectName("sync_result_box")
            box.setModal(False)
            box.show()
            return
        if self.again and not offline:
            self.start(quiet=True)

    def _relogin(self) -> bool:
        password, ok = QInputDialog.getText(self, tr("需要重新登录"), tr("登录已过期，请输入密码以继续同步："),
                                            QLineEdit.EchoMode.Password, "")
        if not ok or not password:
            return False
        try:
            self.session.client.login(self.session.username, password)
        except DeviceRevoked as exc:  # the window wipes (desktop.revoked) on this summary
            self.synced.emit(SyncSummary(errors=[str(exc)], failure=exc, revoked=exc, wipe=True))
            return False
        except SyncError as exc:
            self.label.setText(exc.message(language()))
            return False
        return True
