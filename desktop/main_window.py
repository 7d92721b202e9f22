"""The main window: area tree beside the person and house lists, search, filters, status bar.

Layout: a toolbar (search box, filters), a splitter with the area tree on the left and tabs for
persons and houses on the right, and a status bar (online/offline, row count, user). 1366×768 and
1920×1080 both fit: the tree takes about a fifth of the width, the lists the rest.

Extension points for the editor, tags, validation and sync screens (built elsewhere):

- ``open_record(entity_id)`` emits ``record_opened(entity_id)`` (double-click or Enter on a row);
- ``editor_dock`` is a right-hand dock area: ``set_editor_widget(widget)`` puts a widget in it;
- ``sync_toolbar`` is a toolbar for the sync actions; ``set_online(bool)`` drives the indicator;
- ``refresh_lists()`` re-reads the lists after something saved or synced.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import pairwise
from typing import Any

from desktop import i18n
from desktop.data import DataSource
from desktop.i18n import tr
from desktop.lock import IdleLock, LockOverlay, WindowLock
from desktop.main_parts import FilterBar, ListPane, StatusIndicator
from desktop.masking import Masker, ask_reveal
from desktop.models.area_tree import FILTER_ROLE, AreaTreeModel
from desktop.models.houses import HouseListModel
from desktop.models.paged import PagedTableModel, Query
from desktop.models.persons import PersonListModel
from desktop.models.tree_state import TreeState
from desktop.qt import (
    QAbstractItemView,
    QAction,
    QActionGroup,
    QCloseEvent,
    QDockWidget,
    QInputDialog,
    QKeySequence,
    QLabel,
    QMainWindow,
    QModelIndex,
    QShortcut,
    QSplitter,
    Qt,
    QTabWidget,
    QTimer,
    QToolBar,
    QTreeView,
    QWidget,
    Signal,
)
from desktop.reachability import Reachability
from desktop.search import SearchBox, SearchController
from desktop.session import Session
from desktop.settings import AppSettings
from desktop.workers import SerialWorker

#: Tree levels opened when the window opens (so the worker's grids are one click away).
EXPANDED_LEVELS = ("district", "street", "community")


class MainWindow(QMainWindow):
    record_opened = Signal(str)
    online_changed = Signal(bool)
    logged_out = Signal()
    locked = Signal()
    unlocked = Signal()

    def __init__(self, session: Session, settings: AppSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shut = False  # set by shutdown(): the store is about to close
        self.setObjectName("mainWindow")
        self.session = session
        self.settings = settings or AppSettings()
        self.data = DataSource(session.store, role=session.role, username=session.username)
        self.masker = Masker(self.data.audit, self)
        #: Search runs on its own thread and connection; list pages are read ahead on another.
        self.worker = SerialWorker(session.reopen, lambda s: s.close(), name="ybt-search")
        self.page_worker = SerialWorker(session.reopen, lambda s: s.close(), name="ybt-pages")
        # the search connection starts cold: read what searching touches before the first keystroke
        self.search_warmed = False
        self._warm_search(-1)

        self.persons = PersonListModel(self.data.persons, self.masker, self.data.tag_visible, self.data.tag_label)
        self.houses = HouseListModel(self.data.houses, self.masker, self.data.tag_visible, self.data.tag_label)
        self.areas = AreaTreeModel(self.data.area_children)
        self.persons.use_background(self.page_worker, DataSource.persons_on)
        self.houses.use_background(self.page_worker, DataSource.houses_on)

        self._build_toolbar()
        self._build_central()
        self._build_docks()
        self._build_menus()
        self._build_status()

        self.search = SearchController(self.search_box, self.worker, self._search_job, parent=self)
        self.search_box.enter_pressed.connect(self.open_first_hit)
        self.search_box.down_pressed.connect(self.to_first_hit)
        self._pending_search: tuple[PagedTableModel, Query] | None = None
        self._after_search = ""  # Enter / Down pressed before the search answered
        self.search.results.connect(self._search_results)
        self.search.cleared.connect(self._search_cleared)
        self.search.failed.connect(lambda msg: self.statusBar().showMessage(msg, 8000))

        self.idle = IdleLock(self.settings.idle_lock_minutes, self)
        self.idle.idle.connect(self.lock)
        self.lock_overlay = LockOverlay(self, session.verify, session.display_name)
        self.lock_overlay.unlocked.connect(self._unlocked)

        i18n.notifier().language_changed.connect(self.retranslate)
        self.retranslate()
        self.persons.set_query(Query(sort="name"))
        self.houses.set_query(Query(sort="address"))
        self.tree_state = TreeState(self.tree, self.areas, EXPANDED_LEVELS)
        self.expand_default()
        self.resize(1366, 768)
        from desktop.leaving import Leaving

        self.leaving = Leaving(self)
        self.window_lock = WindowLock(self.lock_overlay, self.idle, self.masker.forget_all,
                                      lambda act: self.data.audit(act, "", {}), self._lockable)
        self.reachability = Reachability(self)
        QTimer.singleShot(0, self.check_online)
        notice = session.notice_en if i18n.language() == "en" else session.notice_zh
        if notice:
            self.statusBar().showMessage(notice, 20000)
        # what the window holds from now on lives as long as it: keep it out of the cyclic garbage
        # collector's full passes, which otherwise walk it all and stall a scroll frame (150 ms at
        # 100,000 persons; objects still go away by reference counting)
        gc.freeze()

    # -- building ---------------------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        self.search_bar = QToolBar()
        self.search_bar.setObjectName("searchToolBar")
        self.search_bar.setMovable(False)
        self.search_box = SearchBox()
        self.search_bar.addWidget(self.search_box)
        self.filters = FilterBar(self.data.tag_choices())
        self.filters.changed.connect(self._filters_changed)
        self.search_bar.addWidget(self.filters)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.search_bar)
        #: Where the sync screens put their actions (sync now, outbox, ...).
        self.sync_toolbar = QToolBar()
        self.sync_toolbar.setObjectName("syncToolBar")
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.sync_toolbar)

    def _build_central(self) -> None:
        self.tree = QTreeView()
        self.tree.setObjectName("areaTree")
        self.tree.setModel(self.areas)
        self.tree.setHeaderHidden(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        selection = self.tree.selectionModel()
        assert selection is not None
        selection.currentChanged.connect(self._area_chosen)
        self.person_pane = ListPane(self.persons, "personTable")
        self.house_pane = ListPane(self.houses, "houseTable")
        for pane in (self.person_pane, self.house_pane):
            pane.activated.connect(self.open_record)
            pane.reveal_requested.connect(self.reveal)
            pane.hide_requested.connect(self.masker.hide)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("listTabs")
        self.tabs.addTab(self.person_pane, "")
        self.tabs.addTab(self.house_pane, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([270, 1100])
        self.setCentralWidget(self.splitter)
        chain = [self.search_box, self.filters.tag, self.filters.validation, self.filters.visit, self.tree,
                 self.tabs, self.person_pane.table]
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)

    def _build_docks(self) -> None:
        #: The record editor goes here (``set_editor_widget``); hidden until something is opened.
        self.editor_dock = QDockWidget()
        self.editor_dock.setObjectName("editorDock")
        self.editor_dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea
                                         | Qt.DockWidgetArea.BottomDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.editor_dock)
        self.editor_dock.hide()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.quit_action = QAction(self)
        self.quit_action.setObjectName("action_quit")
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.logout_action = QAction(self)
        self.logout_action.setObjectName("action_logout")
        self.logout_action.triggered.connect(self.logout)
        self.idle_action = QAction(self)
        self.idle_action.triggered.connect(self.choose_idle_minutes)
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.idle_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.logout_action)
        self.file_menu.addAction(self.quit_action)
        #: filled by the workbench: the record actions and the sync actions, each in a menu too
        self.record_menu = bar.addMenu("")
        self.sync_menu = bar.addMenu("")

        self.view_menu = bar.addMenu("")
        self.language_menu = self.view_menu.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in i18n.LANGUAGES:
            action = QAction(i18n.LANGUAGE_NAMES[code], self)
            action.setCheckable(True)
            action.setChecked(code == i18n.language())
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.reveal_action = QAction(self)
        self.reveal_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.reveal_action.triggered.connect(self.reveal_current)
        self.view_menu.addAction(self.reveal_action)

        self.find_shortcut = QShortcut(QKeySequence.StandardKey.Find, self)
        self.find_shortcut.activated.connect(self.focus_search)

    def _build_status(self) -> None:
        self.online_indicator = StatusIndicator()
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        status = self.statusBar()
        status.addWidget(self.count_label, 1)
        status.addPermanentWidget(self.user_label)
        status.addPermanentWidget(self.online_indicator)
        self.persons.loaded.connect(lambda _n: self._update_count())
        self.houses.loaded.connect(lambda _n: self._update_count())
        self.persons.failed.connect(lambda msg: status.showMessage(msg, 8000))
        self.houses.failed.connect(lambda msg: status.showMessage(msg, 8000))

    # -- text -------------------------------------------------------------------------------------------

    def retranslate(self, _lang: str = "") -> None:
        if self._shut:  # a window logged out of: its store is closed
            return
        self.setWindowTitle(tr("一表通 — {name}", name=self.session.display_name))
        self.tabs.setTabText(0, tr("人口"))
        self.tabs.setTabText(1, tr("房屋"))
        self.file_menu.setTitle(tr("文件(&F)"))
        self.lock_action.setText(tr("锁定(&L)"))
        self.quit_action.setText(tr("退出(&Q)"))
        self.logout_action.setText(tr("注销(&O)"))
        self.record_menu.setTitle(tr("记录(&R)"))
        self.sync_menu.setTitle(tr("同步(&S)"))
        self.idle_action.setText(tr("自动锁定时间…"))
        self.view_menu.setTitle(tr("视图(&V)"))
        self.language_menu.setTitle(tr("语言 / Language"))
        self.reveal_action.setText(tr("显示完整号码…"))
        self.editor_dock.setWindowTitle(tr("记录"))
        self.sync_toolbar.setWindowTitle(tr("同步"))
        self.search_bar.setWindowTitle(tr("搜索"))
        self.search_box.retranslate()
        self.filters.retranslate()
        self.user_label.setText(tr("{name}（{role}）", name=self.session.display_name,
                                   role=tr(ROLE_NAMES.get(self.session.role, self.session.role))))
        self.online_indicator.retranslate()
        for model in (self.persons, self.houses):
            model.retranslate()
        self.areas.retranslate()
        self.person_pane.retranslate()
        self.house_pane.retranslate()
        for code, action in self.language_actions.items():
            action.setChecked(code == i18n.language())
        self._update_count()

    def add_record_actions(self, actions: Sequence[QAction]) -> None:
        for action in actions:
            self.record_menu.addAction(action)

    def add_sync_actions(self, actions: Sequence[QAction]) -> None:
        for action in actions:
            self.sync_menu.addAction(action)

    def expand_default(self) -> None:
        """Open the tree down to the grids (district, street and community nodes expanded)."""
        self.tree_state.open_default()

    def choose_idle_minutes(self) -> None:
        minutes, ok = QInputDialog.getInt(self, tr("自动锁定"), tr("无操作多少分钟后锁定（0 表示不自动锁定）："),
                                          self.settings.idle_lock_minutes, 0, 240, 1)
        if ok:
            self.set_idle_minutes(minutes)

    def set_idle_minutes(self, minutes: int) -> None:
        self.settings.idle_lock_minutes = max(0, int(minutes))
        self.settings.save()
        self.idle.set_timeout_ms(self.settings.idle_lock_minutes * 60_000)

    def set_language(self, code: str) -> None:
        i18n.set_language(code)
        self.settings.language = i18n.language()
        self.settings.save()

    def _update_count(self) -> None:
        model = self.current_model()
        if model.query.text:
            self.count_label.setText(tr("搜索“{text}”：{n} 条", text=model.query.text, n=model.total()))
        else:
            self.count_label.setText(tr("共 {n} 条", n=model.total()))

    # -- actions ----------------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _first_hit(self, then: str) -> QModelIndex | None:
        """The first row of the list on show once the search typed so far has answered; if it has
        not yet, ``then`` ("open" / "down") is done when it does."""
        self.search.flush()
        model = self.current_model()
        if model.query.text != self.search.current:
            self._after_search = then
            return None
        self._after_search = ""
        return model.index(0, 0) if model.rowCount() else None

    def open_first_hit(self) -> None:
        """Enter in the search box: open the first hit."""
        index = self._first_hit("open")
        pane = self.person_pane if self.tabs.currentIndex() == 0 else self.house_pane
        if index is not None:
            pane.table.setCurrentIndex(index)
            pane.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.open_record(pane.current_id() or "")

    def to_first_hit(self) -> None:
        """Down in the search box: into the list, on the first hit."""
        index = self._first_hit("down")
        pane = self.person_pane if self.tabs.currentIndex() == 0 else self.house_pane
        pane.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if index is not None:
            pane.table.setCurrentIndex(index)

    def _area_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        filters = current.data(FILTER_ROLE) if current.isValid() else None
        area = dict(filters or {})
        self.persons.set_filters(area=area or None)
        self.houses.set_filters(area=area or None)

    def _filters_changed(self) -> None:
        values = self.filters.values()
        self.persons.set_filters(**values)
        self.houses.set_filters(tag=values.get("house_tag"), validation=values.get("validation"),
                                visit=values.get("visit"))

    def current_model(self) -> PagedTableModel:
        return self.persons if self.tabs.currentIndex() == 0 else self.houses

    def _warm_search(self, after: int | None) -> None:
        """Warm the search connection step by step, in the background (searches go first)."""
        if after is None:
            self.search_warmed = True
            return
        self.worker.submit("warm", lambda store: DataSource.warm_search(store, after), self._warm_search,
                           lambda _exc: self._warm_search(None), background=True)

    def _search_job(self, text: str) -> Callable[[Any], tuple[Sequence[Any], int]]:
        """The search of ``text`` in the list on show, within the current area and filters (run on the
        search thread): persons by name, pinyin, ID or phone tail; houses by address or number."""
        model = self.current_model()
        query = replace(model.query, text=text)
        size = model.page_size
        self._pending_search = (model, query)
        fetch_on = DataSource.persons_on if model is self.persons else DataSource.houses_on
        return lambda store: fetch_on(store, query, 0, size)

    def _search_results(self, text: str, rows: object, total: int) -> None:
        if self._pending_search is None:
            return
        model, query = self._pending_search
        if query.text != text:
            return
        model.apply(query, rows, total)  # type: ignore[arg-type]
        self._update_count()
        then, self._after_search = self._after_search, ""
        if then == "open":
            self.open_first_hit()
        elif then == "down":
            self.to_first_hit()

    def _search_cleared(self) -> None:
        for model in (self.persons, self.houses):
            if model.query.text:
                model.set_text("")

    def _tab_changed(self, _index: int) -> None:
        """The search text follows the worker to the other list."""
        text = self.search.current
        model = self.current_model()
        if model.query.text != text:
            model.set_text(text)
        self._update_count()

    def open_record(self, entity_id: str) -> None:
        """Ask for a record to be opened (the editor listens to ``record_opened``)."""
        if entity_id:
            self.record_opened.emit(entity_id)

    def set_editor_widget(self, widget: QWidget) -> None:
        self.editor_dock.setWidget(widget)
        self.editor_dock.show()

    def refresh_lists(self) -> None:
        self.persons.refresh()
        self.houses.refresh()
        opened = self.tree_state.opened()
        self.areas.reload()
        self.tree_state.open_default()
        self.tree_state.reopen(opened)  # a sync in the background leaves the tree as the worker opened it

    def reveal_current(self) -> None:
        pane = self.person_pane if self.tabs.currentIndex() == 0 else self.house_pane
        entity_id = pane.current_id()
        if entity_id:
            self.reveal(entity_id)

    def reveal(self, entity_id: str) -> None:
        who = self.data.describe(entity_id)
        reason = ask_reveal(who, self)
        if reason is None:
            return
        try:
            self.masker.reveal(entity_id, reason)
        except Exception as exc:  # nothing is shown when the reveal could not be logged
            self.statusBar().showMessage(tr("无法记录审计日志，未显示：{error}", error=str(exc)), 10000)

    # -- online / lock ----------------------------------------------------------------------------------

    def set_online(self, online: bool) -> None:
        self.reachability.set_online(online)

    @property
    def online(self) -> bool | None:
        """Whether the platform answered last time (None: not asked yet)."""
        return self.online_indicator.online

    def check_online(self) -> None:
        self.reachability.check()

    def lock(self) -> None:
        if self.window_lock.lock():
            self.locked.emit()

    def _lockable(self) -> list[QWidget]:
        """Everything the lock disables: menus, every toolbar and dock (also ones added later), the lists."""
        found: list[QWidget] = [self.menuBar(), self.splitter]
        found += self.findChildren(QToolBar)
        found += self.findChildren(QDockWidget)
        return found

    def is_locked(self) -> bool:
        return self.window_lock.is_locked()

    def _unlocked(self) -> None:
        self.window_lock.release()
        self.unlocked.emit()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.lock_overlay.isVisible():
            self.lock_overlay.setGeometry(self.rect())

    # -- leaving --------------------------------------------------------------------------------------

    def logout(self) -> None:
        self.leaving.logout()

    def is_shut(self) -> bool:
        return self._shut

    def shutdown(self) -> None:
        self._shut = True
        bench = getattr(self, "workbench", None)
        if bench is not None:
            bench.shutdown()
        self.reachability.stop()
        self.idle.detach()
        self.worker.stop()
        self.page_worker.stop()
        gc.unfreeze()  # the window's objects may be collected again once it is gone

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.leaving.may_leave(tr("退出"), self.close):
            event.ignore()
            return
        self.shutdown()
        super().closeEvent(event)


ROLE_NAMES = {"worker": "网格员", "supervisor": "审核员", "admin": "管理员"}
