"""The login window: server, user name, password; the answer comes from a background thread.

The first login of a user on this profile goes to the platform; later ones unlock the local store
offline with the same password. Errors (wrong password, unreachable server, disabled or expired
account) are shown under the form in the current language; the password field is cleared and
focused again. ``logged_in(Session)`` is emitted when the worker is in.
"""

from __future__ import annotations

from pathlib import Path

from desktop import i18n
from desktop.account_gate import GateError
from desktop.i18n import tr
from desktop.login_gates import GateAnswer
from desktop.qt import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop.revoked import forget_marker, marker_text
from desktop.session import LoginError, Session, authenticate, device_id
from desktop.settings import AppSettings
from desktop.sync_bootstrap import initial_sync
from desktop.workers import run_in_background


def pull_everything(session: Session) -> None:
    initial_sync(session)


#: The demo account offered when the login window is opened by ``ybt demo``.
DEMO_WORKER = "wg_qbm_1"


class LoginWindow(QWidget):
    logged_in = Signal(object)  # Session

    def __init__(self, profile_dir: Path, server_url: str = "", settings: AppSettings | None = None,
                 demo_hint: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginWindow")
        self.profile_dir = profile_dir
        self.settings = settings or AppSettings()
        self.demo_hint = demo_hint
        self.busy = False
        self._last_error: LoginError | None = None
        self._other_error = ""
        self._attempt = ("", "", "")
        self.gate: GateAnswer | None = None

        self.title = QLabel()
        self.title.setObjectName("loginTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)

        self.server = QLineEdit(server_url or self.settings.server_url)
        self.server.setObjectName("server")
        self.username = QLineEdit(self.settings.last_username or (DEMO_WORKER if demo_hint else ""))
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.submit)
        self.username.returnPressed.connect(self.password.setFocus)

        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.server_label = QLabel()
        self.user_label = QLabel()
        self.password_label = QLabel()
        for label, edit in ((self.server_label, self.server), (self.user_label, self.username),
                            (self.password_label, self.password)):
            label.setBuddy(edit)
            self.form.addRow(label, edit)

        self.button = QPushButton()
        self.button.setObjectName("loginButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumHeight(6)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.error = QLabel()
        self.error.setObjectName("loginError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.revoked = QLabel()  # this device was revoked and wiped: say why (desktop.revoked)
        self.revoked.setObjectName("loginRevoked")
        self.revoked.setWordWrap(True)
        self.revoked.setStyleSheet("color: #b00020; font-weight: bold;")
        self.revoked.hide()
        self.hint = QLabel()
        self.hint.setObjectName("loginHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")

        self.language = QComboBox()
        self.language.setObjectName("loginLanguage")
        for code in i18n.LANGUAGES:
            self.language.addItem(i18n.LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(i18n.LANGUAGES.index(i18n.language()))
        self.language.currentIndexChanged.connect(self._language_chosen)

        box = QWidget()
        box.setObjectName("loginBox")
        box.setMaximumWidth(460)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addWidget(self.subtitle)
        inner.addSpacing(12)
        inner.addLayout(self.form)
        inner.addWidget(self.button)
        inner.addWidget(self.progress)
        inner.addWidget(self.error)
        inner.addWidget(self.revoked)
        inner.addWidget(self.hint)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.language)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        self.setTabOrder(self.server, self.username)
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.button)
        self.setTabOrder(self.button, self.language)
        self.resize(720, 480)
        i18n.notifier().language_changed.connect(self.retranslate)
        i18n.notifier().language_changed.connect(self._follow_language)
        self.retranslate()
        (self.password if self.username.text() else self.username).setFocus()

    def retranslate(self, _lang: str = "") -> None:
        self.setWindowTitle(tr("一表通 — 登录"))
        self.title.setText(tr("一表通"))
        self.subtitle.setText(tr("实有人口与实有房屋信息采集"))
        self.server_label.setText(tr("服务器(&S)"))
        self.user_label.setText(tr("用户名(&U)"))
        self.password_label.setText(tr("密码(&P)"))
        self.server.setPlaceholderText("http://…")
        self.button.setText(tr("登录中…") if self.busy else tr("登录"))
        self.hint.setText(self._hint_text())
        revoked = marker_text(self.profile_dir)
        self.revoked.setText(revoked)
        self.revoked.setVisible(bool(revoked))
        self._show_error()

    def _hint_text(self) -> str:
        lines = [tr("首次登录需要联网；之后可离线用同一密码解锁本机数据。")]
        if self.demo_hint:
            lines.append(tr("演示账号和密码已打印在启动演示的终端里。"))
        return "\n".join(lines)

    def _language_chosen(self, index: int) -> None:
        code = str(self.language.itemData(index))
        i18n.set_language(code)
        self.settings.language = code
        self.settings.save()

    def _follow_language(self, lang: str) -> None:
        """Keep the language box in step when the language is switched elsewhere."""
        index = i18n.LANGUAGES.index(lang) if lang in i18n.LANGUAGES else 0
        if self.language.currentIndex() != index:
            self.language.blockSignals(True)
            self.language.setCurrentIndex(index)
            self.language.blockSignals(False)

    def _show_error(self) -> None:
        if self._last_error is not None:
            self.error.setText(self._last_error.message(i18n.language()))
        else:
            self.error.setText(self._other_error)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        for w in (self.server, self.username, self.password, self.button):
            w.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.button.setText(tr("登录中…") if busy else tr("登录"))

    def submit(self) -> None:
        if self.busy:
            return
        server = self.server.text().strip()
        username = self.username.text().strip()
        password = self.password.text()
        self._last_error = None
        self._other_error = ""
        self.error.clear()
        if not username or not password:
            self._last_error = LoginError("missing", "请输入用户名和密码", "Enter the user name and password")
            self._show_error()
            (self.username if not username else self.password).setFocus()
            return
        self._start(server, username, password)

    def _start(self, server: str, username: str, password: str) -> None:
        self.set_busy(True)
        profile = self.profile_dir
        self._attempt = (server, username, password)
        run_in_background(lambda: authenticate(profile, server, username, password, pull_everything),
                          self._succeeded, self._failed)

    def _succeeded(self, session: object) -> None:
        self.set_busy(False)
        assert isinstance(session, Session)
        self.password.clear()
        forget_marker(self.profile_dir)  # told; someone is in again
        self.revoked.hide()
        self.settings.last_username = session.username
        if session.server_url:
            self.settings.server_url = session.server_url
        self.settings.save()
        self.logged_in.emit(session)

    def _failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        if isinstance(exc, GateError):  # a new password or the 保密协议 first
            server, username, password = self._attempt
            self.gate = GateAnswer(self, username, device_id(self.profile_dir), exc,
                                   lambda new: self._start(server, username, new), self._gate_failed)
            self.gate.ask(password)
            return
        if isinstance(exc, LoginError):
            self._last_error = exc
        else:
            self._other_error = tr("登录失败：{error}", error=str(exc) or type(exc).__name__)
        self._show_error()
        self.password.clear()
        self.password.setFocus()

    def _gate_failed(self, text: str) -> None:
        self._last_error, self._other_error = None, text
        self._show_error()
        self.password.clear()
        self.password.setFocus()

    def keyPressEvent(self, event: object) -> None:
        from desktop.qt import QKeyEvent

        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape and not self.busy:
            self.password.clear()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]
