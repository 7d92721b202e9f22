"""审计日志: the platform's audit log, filtered (who, action, from/to day, record id), a page at a time
(newest first; Alt+→ / Alt+← or PgDn / PgUp page on), exported as CSV or .xlsx — every call off the
GUI thread. The export itself is audited in the admin's store (uploaded with the next sync)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop import i18n
from desktop.admin.models.audit import AuditModel
from desktop.admin.screen import AdminContext, AdminScreen
from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QShortcut,
    Qt,
    QTableView,
    QVBoxLayout,
    is_valid_qt_object,
)
from sync.client import audit_export

PAGE = 100


class AuditScreen(AdminScreen):
    def __init__(self, ctx: AdminContext) -> None:
        super().__init__(ctx)
        self.setObjectName("adminAudit")
        self.page_size = PAGE
        self.actions: list[dict[str, str]] = []
        #: ``before`` of each page shown so far (None: the newest page); the last is the current page
        self.cursors: list[int | None] = [None]
        self.next_before: int | None = None
        self.filters: dict[str, Any] = {}
        self.last_export: tuple[Path, int] | None = None
        self._started = False

        self.who = QLineEdit(objectName="auditWho")
        self.action = QComboBox(objectName="auditAction")
        self.action.setMinimumContentsLength(10)
        self.since_on, self.until_on = QCheckBox(objectName="auditSinceOn"), QCheckBox(objectName="auditUntilOn")
        self.since, self.until = QDateEdit(objectName="auditSince"), QDateEdit(objectName="auditUntil")
        for edit, box in ((self.since, self.since_on), (self.until, self.until_on)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
            edit.setEnabled(False)
            box.toggled.connect(edit.setEnabled)
        self.entity = QLineEdit(objectName="auditEntity")
        self.search = QPushButton(objectName="auditSearch")
        self.search.setDefault(True)
        self.search.clicked.connect(self.query)
        for edit in (self.who, self.entity):
            edit.returnPressed.connect(self.query)

        self.model = AuditModel(self)
        self.table = QTableView(objectName="auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.prev_button = QPushButton(objectName="auditPrev")
        self.next_button = QPushButton(objectName="auditNext")
        self.export_button = QPushButton(objectName="auditExport")
        self.page_label = QLabel(objectName="auditPage")
        self.prev_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        self.export_button.clicked.connect(self.export)
        for keys, slot in ((("Alt+Right", "PgDown"), self.next_page), (("Alt+Left", "PgUp"), self.previous_page)):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)

        self.labels = {name: QLabel() for name in ("who", "action", "since", "until", "entity")}
        bar = QHBoxLayout()
        for name, widget in (("who", self.who), ("action", self.action)):
            bar.addWidget(self.labels[name])
            bar.addWidget(widget)
        for name, box, edit in (("since", self.since_on, self.since), ("until", self.until_on, self.until)):
            bar.addWidget(box)
            bar.addWidget(self.labels[name])
            bar.addWidget(edit)
        bar.addWidget(self.labels["entity"])
        bar.addWidget(self.entity, 1)
        bar.addWidget(self.search)
        pager = QHBoxLayout()
        pager.addWidget(self.prev_button)
        pager.addWidget(self.page_label)
        pager.addWidget(self.next_button)
        pager.addStretch(1)
        pager.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(pager)
        self.retranslate()
        self._update_pager()

    # -- texts ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.labels["who"].setText(tr("操作人"))
        self.labels["action"].setText(tr("操作"))
        self.labels["since"].setText(tr("从"))
        self.labels["until"].setText(tr("至"))
        self.labels["entity"].setText(tr("记录编号"))
        self.who.setPlaceholderText(tr("用户名"))
        self.entity.setPlaceholderText(tr("记录或提交的编号"))
        self.search.setText(tr("查询"))
        self.prev_button.setText(tr("上一页"))
        self.next_button.setText(tr("下一页"))
        self.prev_button.setToolTip(tr("上一页 (Alt+← / PgUp)"))
        self.next_button.setToolTip(tr("下一页 (Alt+→ / PgDn)"))
        self.export_button.setText(tr("导出…"))
        self._fill_actions()
        self.model.retranslate()
        self._update_pager()

    def _fill_actions(self) -> None:
        current = self.action.currentData()
        self.action.clear()
        self.action.addItem(tr("全部操作"), None)
        english = i18n.language() == "en"
        for item in self.actions:
            self.action.addItem(item["en"] if english else item["zh"], item["action"])
        found = self.action.findData(current) if current is not None else 0
        self.action.setCurrentIndex(max(found, 0))

    # -- reading -------------------------------------------------------------------------------

    def activated(self) -> None:
        if self._started:
            return
        self._started = True
        self.call(lambda: self.api.items("/audit/actions"), self._got_actions, self._failed)

    def _gone(self) -> bool:
        """The window closed while a call was out: its answer has nowhere to go."""
        return not is_valid_qt_object(self) or not is_valid_qt_object(self.table)

    def _got_actions(self, items: list[dict[str, Any]]) -> None:
        if self._gone():
            return
        self.actions = [{"action": str(i["action"]), "zh": str(i["zh"]), "en": str(i["en"])} for i in items]
        self._fill_actions()
        self.query()

    def current_filters(self) -> dict[str, Any]:
        found = {"who": self.who.text().strip() or None, "action": self.action.currentData(),
                 "entity_id": self.entity.text().strip() or None,
                 "since": self.since.date().toString("yyyy-MM-dd") if self.since_on.isChecked() else None,
                 "until": self.until.date().toString("yyyy-MM-dd") if self.until_on.isChecked() else None}
        return {k: v for k, v in found.items() if v}

    def query(self) -> None:
        """Apply the filter bar: the newest page of what matches."""
        self.filters = self.current_filters()
        self.cursors = [None]
        self._load()

    def next_page(self) -> None:
        if self.next_before is None or self.busy:
            return
        self.cursors.append(self.next_before)
        self._load()

    def previous_page(self) -> None:
        if len(self.cursors) < 2 or self.busy:
            return
        self.cursors.pop()
        self._load()

    def _load(self) -> None:
        params = {**self.filters, "limit": self.page_size, "before": self.cursors[-1]}
        self._set_enabled(False)
        self.call(lambda: self.api.get_dict("/audit", params), self._got_page, self._failed)

    def _got_page(self, body: dict[str, Any]) -> None:
        if self._gone():
            return
        items = body.get("items")
        self.model.set_entries([i for i in items if isinstance(i, dict)] if isinstance(items, list) else [])
        before = body.get("next_before")
        self.next_before = before if isinstance(before, int) else None
        self._set_enabled(True)
        self._update_pager()

    def _failed(self, exc: BaseException) -> None:
        if self._gone():
            return
        self._set_enabled(True)
        self._update_pager()
        self.show_error(exc)

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.search, self.export_button):
            widget.setEnabled(on)
        if not on:
            self.prev_button.setEnabled(False)
            self.next_button.setEnabled(False)

    def _update_pager(self) -> None:
        self.prev_button.setEnabled(len(self.cursors) > 1 and not self.busy)
        self.next_button.setEnabled(self.next_before is not None and not self.busy)
        if self.model.rowCount() == 0 and len(self.cursors) == 1:
            self.page_label.setText(tr("没有符合条件的记录"))
        else:
            self.page_label.setText(tr("第 {page} 页", page=len(self.cursors)))

    # -- export --------------------------------------------------------------------------------

    def ask_export_path(self) -> Path | None:
        dialog = QFileDialog(self, tr("导出审计日志"), str(Path.home() / "审计日志.xlsx"),
                             tr("Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)"))
        dialog.setObjectName("auditExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        if not dialog.exec() or not dialog.selectedFiles():
            return None
        path = Path(dialog.selectedFiles()[0])
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_suffix(".csv" if "csv" in dialog.selectedNameFilter().lower() else ".xlsx")
        return path

    def export(self) -> None:
        """Every entry the filter matches (not only this page), to a file the admin chooses."""
        path = self.ask_export_path()
        if path is None:
            return
        filters = dict(self.filters)
        self.export_button.setEnabled(False)

        def job() -> int:
            return audit_export.write(path, audit_export.every_entry(self.api.get, filters))

        def done(rows: int) -> None:
            if self._gone():
                return
            self.export_button.setEnabled(True)
            store = getattr(self.ctx.session, "store", None)
            if store is not None:
                store.audit.record("export", None, reason=None,
                                   detail={"what": "audit_log", "rows": rows, "file": path.name, "filters": filters})
            self.last_export = (path, rows)
            self.ctx.status(tr("已导出 {rows} 条审计记录到 {file}", rows=rows, file=str(path)))

        def failed(exc: BaseException) -> None:
            if self._gone():
                return
            self.export_button.setEnabled(True)
            self.show_error(exc)

        self.call(job, done, failed)
