"""The worker's tools on the main window: the record editor, visits and life events, submit, the
outbox and sync. :func:`attach` wires them onto a :class:`desktop.main_window.MainWindow`.

Every action acts on the current record (``desktop.current_record``): the row selected in the list
or the record open in the editor, whichever the worker touched last; its dialog names it.
"""

from __future__ import annotations

from typing import Any

from desktop import i18n
from desktop.auto_sync import AutoSync
from desktop.conflict_dialog import ConflictDialog
from desktop.current_record import CurrentRecord, Target
from desktop.due_view import DueView
from desktop.editor.record_editor import RecordEditor
from desktop.editor.session import FormSession
from desktop.i18n import tr
from desktop.life_events import AddHouseDialog, AddPersonDialog, MoveDialog, StateDialog, VisitDialog
from desktop.notices import Notices
from desktop.outbox_view import OutboxView
from desktop.qt import QAction, QDockWidget, QKeySequence, QObject, Qt, QTimer
from desktop.revalidate import Revalidator
from desktop.revoked import revocation_of
from desktop.submit_flow import SubmitDialog, collect_work, entity_name
from desktop.sync_ui import SyncPanel


class Workbench(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.store = window.session.store
        self.forms = FormSession.for_store(self.store)
        self.editor = RecordEditor(self.store, self.forms, self.session.role)
        self.editor.saved.connect(lambda _id: self._changed())
        self.editor.submit_requested.connect(self.submit)
        self.editor.open_requested.connect(self.open)
        window.record_opened.connect(self.open)
        self.outbox = OutboxView(self.store, label_of=self.field_label,
                                 syncing=lambda: self.sync_panel.running)
        self.outbox.open_requested.connect(self.open_at)
        self.outbox.conflict_requested.connect(self.resolve)
        self.outbox_dock = QDockWidget(tr("发件箱"), window)
        self.outbox_dock.setObjectName("outboxDock")
        self.outbox_dock.setWidget(self.outbox)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.outbox_dock)
        self.outbox_dock.hide()
        self.due = DueView(window.page_worker, window.data.tag_choices())
        self.due.visit_requested.connect(self.visit_house)
        self.due.counted.connect(self._due_counted)
        self.due_dock = QDockWidget(tr("待访"), window)
        self.due_dock.setObjectName("dueDock")
        self.due_dock.setWidget(self.due)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.due_dock)
        self.due_dock.hide()
        self.due_total = 0
        self.sync_panel = SyncPanel(self.session)
        self.sync_panel.synced.connect(lambda _s: self._after_sync())
        self.sync_panel.synced.connect(revocation_of(window).on_summary)
        from desktop.agreement_prompt import AgreementPrompt

        window.agreement_prompt = AgreementPrompt(window)  # a new 保密协议 met by a sync: asked at once
        self.sync_panel.synced.connect(lambda s: window.agreement_prompt.handle(s.failure, self.sync_panel.start))
        self.sync_panel.button.hide()  # the toolbar's 「同步」 (F5) starts it here
        window.statusBar().addPermanentWidget(self.sync_panel)
        self.auto_sync = AutoSync(window, self.sync_panel, window.settings.sync_interval_minutes)
        self.notices = Notices(self.store, window)
        self.notices.open_outbox.connect(self.show_outbox)
        self.notices.badge_changed.connect(self._badge)
        self.waiting = 0
        self.actions: dict[str, QAction] = {}
        bar = window.sync_toolbar
        for key, shortcut, slot in (
            ("sync", "F5", self.sync_panel.start),
            ("outbox", "Ctrl+O", self.show_outbox),
            ("due", "F6", self.show_due),
            ("visit", "Ctrl+Shift+V", self.visit),
            ("add_person", "Ctrl+Shift+P", self.add_person),
            ("add_house", "Ctrl+Shift+H", self.add_house),
            ("move", "", self.move),
            ("moved_out", "", lambda: self.set_state("moved_out")),
            ("deceased", "", lambda: self.set_state("deceased")),
            ("submit", "", self.submit_current),
            ("export", "", self.export_ledger),
        ):
            action = QAction(tr(ACTION_TEXT[key]), window)
            action.setObjectName(f"action_{key}")
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _c=False, f=slot: f())
            if key in TOOLBAR:
                bar.addAction(action)
            else:
                window.addAction(action)  # its shortcut works from anywhere in the window
            self.actions[key] = action
        window.add_sync_actions([self.actions["sync"], self.actions["outbox"]])
        window.add_record_actions([self.actions[k] for k in ("due", "visit", "submit", "add_person", "add_house",
                                                              "move", "moved_out", "deceased", "export")])
        self.current = CurrentRecord(window, self.editor, self.store)
        self.current.changed.connect(self._update_actions)
        i18n.notifier().language_changed.connect(self._language)
        self._closed = False
        self.revalidator = Revalidator(self.session.reopen, self)
        self.revalidator.finished.connect(self._revalidated)
        QTimer.singleShot(0, self.revalidator.start)
        QTimer.singleShot(0, self.notices.check)  # what already waits is told once at start
        QTimer.singleShot(0, self.due.refresh)    # the 待访 count on its action from the start
        self._update_actions()

    # -- records --------------------------------------------------------------------------------

    def open(self, entity_id: str) -> None:
        if self.editor.open(entity_id):
            self.window.set_editor_widget(self.editor)
        self._update_actions()

    def open_at(self, entity_id: str, field_path: str) -> None:
        self.open(entity_id)
        if field_path and self.editor.form is not None:
            self.editor.form.focus_field(field_path)

    def _person(self, target: Target | None = None) -> Target | None:
        """The current record when an action needs an active person (move, move out, death)."""
        target = target if target is not None else self.current.target()
        if target is None or target.kind != "person" or target.entity.get("state", "active") != "active":
            return None
        return target

    def _update_actions(self) -> None:
        if self._closed:  # focus moving in another window after this one shut down
            return
        target = self.current.target()  # once: this runs on every focus move and row click
        has_house = self.current.house_target(target) is not None
        self.actions["visit"].setEnabled(has_house)
        self.actions["add_person"].setEnabled(has_house)
        person = self._person(target) is not None
        for key in ("move", "moved_out", "deceased"):
            self.actions[key].setEnabled(person)
        self.actions["submit"].setEnabled(target is not None)

    def _changed(self, due: bool = False) -> None:
        """After a save or an action: lists re-read; the due list (its count on the action) after a
        visit, a submit or a sync, and on every change only while it is on show."""
        self.window.refresh_lists()
        if self.outbox_dock.isVisible():
            self.outbox.refresh()
        if due or self.due_dock.isVisible():
            self.due.refresh()
        self._update_actions()

    # -- actions --------------------------------------------------------------------------------

    def visit(self) -> None:
        house = self.current.house_target()
        if house is not None and VisitDialog(self.store, house, self.window).exec():
            self.window.statusBar().showMessage(tr("已记录走访"), 5000)
            self._changed(due=True)
            self.sync_soon()

    def visit_house(self, house_id: str) -> None:
        """The visit of a house chosen in the 待访 list."""
        house = self.store.entities.find(house_id)
        if house is not None and VisitDialog(self.store, Target(house, "list"), self.window).exec():
            self.window.statusBar().showMessage(tr("已记录走访"), 5000)
            self._changed(due=True)
            self.sync_soon()

    def show_due(self) -> None:
        self.due.refresh()
        self.due_dock.show()
        self.due_dock.raise_()
        self.due.table.setFocus()

    def _due_counted(self, total: int) -> None:
        self.due_total = total
        self.actions["due"].setText(tr(ACTION_TEXT["due"]) + (f" ({total})" if total else ""))

    def add_person(self) -> None:
        house = self.current.house_target()
        if house is None:
            return
        dialog = AddPersonDialog(self.store, house, self.window)
        if dialog.exec() and dialog.result_id:
            self._changed(due=True)
            self.open(dialog.result_id)

    def add_house(self) -> None:
        grids = [(a["code"], a["name"]) for a in self.store.lists.areas() if a.get("level") == "grid"]
        dialog = AddHouseDialog(self.store, grids, self.window)
        if dialog.exec() and dialog.result_id:
            self._changed(due=True)
            self.open(dialog.result_id)

    def move(self) -> None:
        person = self._person()
        if person is not None and MoveDialog(self.store, person, self.window).exec():
            self._changed(due=True)
            self.open(person.id)

    def set_state(self, state: str) -> None:
        person = self._person()
        if person is not None and StateDialog(self.store, person, state, self.window).exec():
            self._changed(due=True)
            self.open(person.id)

    def submit_current(self) -> None:
        target = self.current.target()
        if target is not None:
            self.submit(target.id)

    def submit(self, entity_id: str) -> None:
        if not entity_id:
            return
        self.editor.save_now()
        work = collect_work(self.store, self.forms, entity_id)
        house = self.store.entities.find(work.house_id) if work.house_id else None
        dialog = SubmitDialog(self.store, work, self.window, house_name=entity_name(house) if house else "")
        dialog.open_requested.connect(self.open_at)
        if dialog.exec():
            online = self.window.online is not False and self.session.client is not None
            self.window.statusBar().showMessage(
                tr("已提交，正在上传…") if online else tr("已放入发件箱，联网后自动上传"), 8000)
            self._changed(due=True)
            self.sync_soon()

    def export_ledger(self) -> None:
        """导出台账: the export dialog over the local store (the export itself runs off the GUI thread)."""
        from desktop.export_dialog import ExportDialog

        dialog = ExportDialog(self.store, self.session.reopen, self.window)
        dialog.setModal(False)
        dialog.show()
        self.export_dialog = dialog

    def sync_soon(self) -> None:
        self.auto_sync.soon()

    def show_outbox(self, tab: int | None = None) -> None:
        self.outbox.refresh()
        self.outbox_dock.show()
        self.outbox_dock.raise_()
        if tab is not None:
            self.outbox.tabs.setCurrentIndex(tab)

    def field_label(self, entity_id: str, name: str) -> str:
        """A field's label in the record's template (the outbox and notices speak in labels)."""
        entity = self.store.entities.find(entity_id) if entity_id else None
        template = self.forms.template(entity["kind"]) if entity else None
        field = template.fields.get(name) if template is not None else None
        return field.label(i18n.language()) if field is not None else name

    def _badge(self, count: int) -> None:
        self.waiting = count
        text = tr(ACTION_TEXT["outbox"])
        self.actions["outbox"].setText(text + (f" ({count})" if count else ""))
        self.actions["outbox"].setToolTip(tr("{n} 项需要处理（退回、拒绝或冲突）", n=count) if count else text)

    def resolve(self, entity_id: str) -> None:
        template = self.forms.template(self.store.entities.get(entity_id)["kind"])
        if ConflictDialog(self.store, entity_id, template, i18n.language(), self.window).exec():
            self.outbox.refresh()
            self.open(entity_id)

    def shutdown(self) -> None:
        """Stop background work before the store closes (called by the window's shutdown); what the
        editor holds is saved first."""
        self.editor.save_now()
        self._closed = True
        self.revalidator.stop()
        self.auto_sync.stop()
        self.sync_panel.closed = True
        self.sync_panel.runner.cancel()
        self.sync_panel.runner.wait(10)

    def _revalidated(self, count: int) -> None:
        if count and not self._closed:
            self.window.refresh_lists()

    def _after_sync(self) -> None:
        if self._closed:  # a run that ended after the window's shutdown: its store is gone
            return
        self.forms = FormSession.for_store(self.store)  # a sync may bring new templates
        self.editor.session = self.forms
        self.editor.drop_forms()
        if self.editor.entity is not None and self.store.entities.find(self.editor.entity["id"]) is not None:
            self.editor.open(self.editor.entity["id"])
        self.revalidator.start()
        self._changed(due=True)
        self.outbox.refresh()
        self.notices.check()
        status = self.window.statusBar()
        if status.currentMessage() == tr("已提交，正在上传…"):  # the sync line says what became of it
            status.clearMessage()

    def _language(self, _lang: str) -> None:
        if self._closed:  # a window logged out of: its store is closed
            return
        for key, action in self.actions.items():
            action.setText(tr(ACTION_TEXT[key]))
        self._badge(self.waiting)
        self._due_counted(self.due_total)
        self.due_dock.setWindowTitle(tr("待访"))
        self.due.retranslate()
        self.outbox_dock.setWindowTitle(tr("发件箱"))
        self.outbox.retranslate()
        self.editor.retranslate()
        self.sync_panel.retranslate()


#: On the toolbar (it fits at 1366 wide beside the search and filters); every action is in a menu.
TOOLBAR = ("sync", "outbox", "due", "visit", "submit", "add_person", "export")
ACTION_TEXT = {"sync": "同步", "outbox": "发件箱", "due": "待访", "visit": "记录走访", "add_person": "新增人员",
               "add_house": "新增房屋", "move": "迁移", "moved_out": "登记迁出", "deceased": "登记死亡",
               "submit": "提交走访", "export": "导出台账"}


def attach(window: Any) -> Workbench:
    """Add the worker's tools to ``window``; returns the workbench (kept alive by the window)."""
    bench = Workbench(window)
    window.workbench = bench
    return bench

