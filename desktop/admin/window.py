"""The admin's window: a navigation list on the left, the chosen screen on the right.

Keyboard first: Ctrl+1 … Ctrl+9 open the first nine screens, the arrow keys move in the navigation
and show each screen as they go, Tab moves into the screen, F5 refreshes it, Ctrl+L locks. The window
locks itself after the idle time like the worker's, logs out back to the login window and speaks the
language chosen in 视图 → 语言.
"""

from __future__ import annotations

from typing import Any

from desktop import i18n
from desktop.admin.api import AdminApi
from desktop.admin.nav import SCREENS, ScreenSpec
from desktop.admin.screen import AdminContext, AdminScreen
from desktop.data import DataSource
from desktop.i18n import tr
from desktop.lock import IdleLock, LockOverlay, WindowLock
from desktop.main_parts import StatusIndicator
from desktop.masking import Masker
from desktop.qt import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QShortcut,
    QSplitter,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop.reachability import Reachability
from desktop.revoked import revocation_of
from desktop.settings import AppSettings


class AdminWindow(QMainWindow):
    online_changed = Signal(bool)
    logged_out = Signal()
    locked = Signal()
    unlocked = Signal()
    screen_shown = Signal(str)

    def __init__(self, session: Any, settings: AppSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shut = False
        self.setObjectName("adminWindow")
        self.session = session
        self.settings = settings or AppSettings()
        self.data = DataSource(session.store, role=session.role, username=session.username)
        self.masker = Masker(self.data.audit, self)
        self.ctx = AdminContext(session, AdminApi.for_session(session), self)
        self.specs: tuple[ScreenSpec, ...] = SCREENS
        self.screens: dict[str, AdminScreen] = {}

        self._build_central()
        self._build_menus()
        self._build_status()
        self.idle = IdleLock(self.settings.idle_lock_minutes, self)
        self.idle.idle.connect(self.lock)
        self.lock_overlay = LockOverlay(self, session.verify, session.display_name)
        self.lock_overlay.unlocked.connect(self._unlocked)
        self.window_lock = WindowLock(self.lock_overlay, self.idle, self.masker.forget_all,
                                      lambda act: self.data.audit(act, "", {}), lambda: [self.menuBar(), self.splitter])
        self.reachability = Reachability(self)
        from desktop.agreement_prompt import AgreementPrompt

        self.agreement_prompt = AgreementPrompt(self)
        self.revocation = revocation_of(self)
        i18n.notifier().language_changed.connect(self.retranslate)
        self.retranslate()
        self.resize(1366, 768)
        self.nav.setCurrentRow(0)
        QTimer.singleShot(0, self.reachability.check)
        notice = session.notice_en if i18n.language() == "en" else session.notice_zh
        if notice:
            self.statusBar().showMessage(notice, 20000)

    # -- building ---------------------------------------------------------------------------------------

    def _build_central(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("adminNav")
        self.nav.setMinimumWidth(150)
        self.nav.setMaximumWidth(240)
        for spec in self.specs:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        self.stack = QStackedWidget()
        self.stack.setObjectName("adminStack")
        self.title = QLabel()
        self.title.setObjectName("adminTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setObjectName("adminSummary")
        self.summary.setStyleSheet("color: #555;")
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(8, 6, 8, 0)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.summary, 1)
        column.addLayout(head)
        column.addWidget(self.stack, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("adminSplitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([180, 1180])
        self.setCentralWidget(self.splitter)
        self.nav.currentRowChanged.connect(self._row_changed)
        refresh = QShortcut(QKeySequence.StandardKey.Refresh, self)
        refresh.activated.connect(self.refresh_current)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.logout_action = QAction(self)
        self.logout_action.setObjectName("action_logout")
        self.logout_action.triggered.connect(self.logout)
        self.quit_action = QAction(self)
        self.quit_action.setObjectName("action_quit")
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.logout_action)
        self.file_menu.addAction(self.quit_action)
        self.go_menu = bar.addMenu("")
        self.go_actions: list[QAction] = []
        for index, _spec in enumerate(self.specs):
            action = QAction(self)
            action.triggered.connect(lambda _c=False, i=index: self.nav.setCurrentRow(i))
            self.go_menu.addAction(action)
            self.go_actions.append(action)
        self.view_menu = bar.addMenu("")
        self.language_menu = self.view_menu.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in i18n.LANGUAGES:
            action = QAction(i18n.LANGUAGE_NAMES[code], self)
            action.setCheckable(True)
            action.setChecked(code == i18n.language())
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action

    def _build_status(self) -> None:
        self.online_indicator = StatusIndicator()
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.online_indicator)

    # -- text -------------------------------------------------------------------------------------------

    def retranslate(self, _lang: str = "") -> None:
        if self._shut:
            return
        self.setWindowTitle(tr("一表通 管理 — {name}", name=self.session.display_name))
        for row, spec in enumerate(self.specs):
            self.nav.item(row).setText(tr(spec.title))
            self.go_actions[row].setText(tr(spec.title))
            if row < 9:
                self.go_actions[row].setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
        self.file_menu.setTitle(tr("文件(&F)"))
        self.go_menu.setTitle(tr("转到(&G)"))
        self.view_menu.setTitle(tr("视图(&V)"))
        self.language_menu.setTitle(tr("语言 / Language"))
        self.lock_action.setText(tr("锁定(&L)"))
        self.logout_action.setText(tr("注销(&O)"))
        self.quit_action.setText(tr("退出(&Q)"))
        self.user_label.setText(tr("{name}（管理员）", name=self.session.display_name))
        self._show_title()
        for screen in self.screens.values():
            screen.retranslate()

    def set_language(self, code: str) -> None:
        i18n.set_language(code)
        self.settings.language = code
        self.settings.save()

    # -- screens ----------------------------------------------------------------------------------------

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self.specs):
            self.show_screen(self.specs[row].key)

    def screen(self, key: str) -> AdminScreen:
        """The screen for ``key``, built on first use."""
        found = self.screens.get(key)
        if found is None:
            spec = next(s for s in self.specs if s.key == key)
            found = spec.build(self.ctx)
            found.retranslate()
            self.screens[key] = found
            self.stack.addWidget(found)
        return found

    def show_screen(self, key: str) -> AdminScreen:
        screen = self.screen(key)
        row = next(i for i, s in enumerate(self.specs) if s.key == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # comes back here through _row_changed
            return screen
        self.stack.setCurrentWidget(screen)
        self._show_title()
        screen.activated()
        self.screen_shown.emit(key)
        return screen

    def current_key(self) -> str:
        row = self.nav.currentRow()
        return self.specs[row].key if 0 <= row < len(self.specs) else ""

    def _show_title(self) -> None:
        key = self.current_key()
        if not key:
            return
        spec = next(s for s in self.specs if s.key == key)
        self.title.setText(tr(spec.title))
        self.summary.setText(tr(spec.summary) if spec.summary else "")

    def refresh_current(self) -> None:
        key = self.current_key()
        if key in self.screens:
            self.screens[key].activated()

    # -- online / lock ----------------------------------------------------------------------------------

    def set_online(self, online: bool) -> None:
        self.reachability.set_online(online)

    @property
    def online(self) -> bool | None:
        return self.online_indicator.online

    def lock(self) -> None:
        if self.window_lock.lock():
            self.locked.emit()

    def is_locked(self) -> bool:
        return self.window_lock.is_locked()

    def _unlocked(self) -> None:
        self.window_lock.release()
        self.unlocked.emit()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.lock_overlay.isVisible():
            self.lock_overlay.setGeometry(self.rect())

    # -- leaving ----------------------------------------------------------------------------------------

    def logout(self) -> None:
        """Back to the login window: this window goes (its store is closed by the app after it)."""
        self.data.audit("logout", "", {})
        self.shutdown()
        self.hide()
        self.logged_out.emit()
        self.close()

    def is_shut(self) -> bool:
        return self._shut

    def _shut_down_screens(self) -> None:
        for screen in self.screens.values():
            stop = getattr(screen, "shutdown", None)
            if callable(stop):
                stop()

    def shutdown(self) -> None:
        if self._shut:
            return
        self._shut = True
        self._shut_down_screens()
        self.reachability.stop()
        self.idle.detach()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
