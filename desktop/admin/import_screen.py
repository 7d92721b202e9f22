"""导入: the admin loads a ledger or a department's returned list (``POST /imports``).

Choose a file → the platform checks it (a dry run, in the background, with progress) → the columns
with the field each was matched to (editable; re-check with the edits, or save them as a named mapping
for the next file of that layout) and the first rows of the file → the problems in a table filtered by
severity, whose rows select the file row they name, and the annotated workbook saved for the office →
apply (all or nothing, with progress; cancel stops it and nothing is changed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desktop.admin.api import quote_id
from desktop.admin.import_preview import FilePreview
from desktop.admin.models.import_issues import ITEM_ROLE, ColumnsModel, IssuesModel
from desktop.admin.screen import AdminContext, AdminScreen
from desktop.file_dialogs import start_dir
from desktop.i18n import tr
from desktop.qt import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSortFilterProxyModel,
    QSplitter,
    Qt,
    QTableView,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
)

POLL_MS = 400
DONE = ("checked", "applied", "failed", "cancelled")


class ImportScreen(AdminScreen):
    def __init__(self, ctx: AdminContext) -> None:
        super().__init__(ctx)
        self.setObjectName("adminImports")
        self.path: Path | None = None
        self.job: dict[str, Any] | None = None
        self.polling = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)

        self.file_label = QLabel()
        self.file_label.setObjectName("importFile")
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("importChoose")
        self.choose_button.clicked.connect(self._ask_file)
        self.mode = QComboBox()
        self.mode.setObjectName("importMode")
        self.mode.currentIndexChanged.connect(lambda _i: self._update())
        self.source = QLineEdit()
        self.source.setObjectName("importSource")
        self.tag = QLineEdit()
        self.tag.setObjectName("importTag")
        self.mapping_name = QLineEdit()
        self.mapping_name.setObjectName("importMappingName")
        self.check_button = QPushButton()
        self.check_button.setObjectName("importCheck")
        self.check_button.clicked.connect(lambda: self.check())
        self.apply_button = QPushButton()
        self.apply_button.setObjectName("importApply")
        self.apply_button.clicked.connect(self.apply)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("importCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.report_button = QPushButton()
        self.report_button.setObjectName("importReport")
        self.report_button.clicked.connect(self._ask_report)
        self.save_mapping_button = QPushButton()
        self.save_mapping_button.setObjectName("importSaveMapping")
        self.save_mapping_button.clicked.connect(self.save_mapping)
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)

        self.columns = ColumnsModel()
        self.columns_view = QTableView()
        self.columns_view.setObjectName("importColumns")
        self.columns_view.setModel(self.columns)
        self.columns_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.preview = FilePreview()
        self.issues = IssuesModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.issues)
        self.proxy.setFilterKeyColumn(3)
        self.severity = QComboBox()
        self.severity.setObjectName("importSeverity")
        self.severity.currentIndexChanged.connect(lambda _i: self._filter())
        self.issues_view = QTableView()
        self.issues_view.setObjectName("importIssues")
        self.issues_view.setModel(self.proxy)
        self.issues_view.setSortingEnabled(True)
        self.issues_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issues_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issues_view.horizontalHeader().setStretchLastSection(True)
        self.issues_view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.jump(cur))

        form = QFormLayout()
        self.mode_label, self.source_label, self.tag_label, self.mapping_label = QLabel(), QLabel(), QLabel(), QLabel()
        for label, widget in ((self.mode_label, self.mode), (self.source_label, self.source),
                              (self.tag_label, self.tag), (self.mapping_label, self.mapping_name)):
            label.setBuddy(widget)
            form.addRow(label, widget)
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        buttons = QHBoxLayout()
        for b in (self.check_button, self.apply_button, self.cancel_button, self.report_button):
            buttons.addWidget(b)
        buttons.addWidget(self.progress, 1)
        self.tabs = QTabWidget()
        mapping_tab = QSplitter(Qt.Orientation.Horizontal)
        mapping_side = QVBoxLayout()
        mapping_side.addWidget(self.columns_view, 1)
        mapping_side.addWidget(self.save_mapping_button)
        holder = QWidget()
        holder.setLayout(mapping_side)
        mapping_tab.addWidget(holder)
        mapping_tab.addWidget(self.preview.view)
        issues_tab = QSplitter(Qt.Orientation.Vertical)
        issues_top = QVBoxLayout()
        issues_top.addWidget(self.severity)
        issues_top.addWidget(self.issues_view, 1)
        issues_holder = QWidget()
        issues_holder.setLayout(issues_top)
        issues_tab.addWidget(issues_holder)
        self.tabs.addTab(mapping_tab, "")
        self.tabs.addTab(issues_tab, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self.retranslate()
        self._update()

    def retranslate(self) -> None:
        self.choose_button.setText(tr("选择文件…"))
        if self.path is None:
            self.file_label.setText(tr("台账或回流名单（.xlsx、.xls、.csv）"))
        self.mode_label.setText(tr("方式(&M)"))
        current = self.mode.currentIndex()
        self.mode.clear()
        self.mode.addItem(tr("台账（新建与更新人员）"), "load")
        self.mode.addItem(tr("数据回流（部门名单）"), "return")
        self.mode.setCurrentIndex(max(current, 0))
        self.source_label.setText(tr("来源部门(&S)"))
        self.source.setPlaceholderText(tr("如 民政"))
        self.tag_label.setText(tr("回流标签(&T)"))
        self.tag.setPlaceholderText(tr("如 低保对象（名单中每人都带此标签）"))
        self.mapping_label.setText(tr("列映射名称(&N)"))
        self.mapping_name.setPlaceholderText(tr("已存的映射名称，或保存时的新名称"))
        self.check_button.setText(tr("检查"))
        self.apply_button.setText(tr("导入"))
        self.cancel_button.setText(tr("取消"))
        self.report_button.setText(tr("保存问题标注文件…"))
        self.save_mapping_button.setText(tr("保存列映射"))
        self.tabs.setTabText(0, tr("列与预览"))
        self.tabs.setTabText(1, tr("检查结果"))
        severity = self.severity.currentIndex()
        self.severity.clear()
        self.severity.addItem(tr("全部问题"), "")
        self.severity.addItem(tr("错误"), tr("错误"))
        self.severity.addItem(tr("警告"), tr("警告"))
        self.severity.setCurrentIndex(max(severity, 0))
        self._show_summary()

    # -- choosing and checking --------------------------------------------------------------------------

    def _ask_file(self) -> None:
        name, _f = QFileDialog.getOpenFileName(self, tr("选择要导入的文件"), start_dir(),
                                               tr("表格文件 (*.xlsx *.xls *.csv)"))
        if name:
            self.choose(Path(name))

    def choose(self, path: Path) -> None:
        """Take ``path`` and check it at once."""
        self.path = path
        self.file_label.setText(str(path))
        self.check()

    def _fields(self, with_mapping: bool) -> dict[str, str]:
        fields = {"kind": "person", "mode": str(self.mode.currentData() or "load")}
        if self.source.text().strip():
            fields["source"] = self.source.text().strip()
        if self.tag.text().strip():
            fields["tag"] = self.tag.text().strip()
        if with_mapping and self.columns.items:
            fields["mapping"] = json.dumps(self.columns.mapping(), ensure_ascii=False)
        elif self.mapping_name.text().strip():
            fields["mapping_name"] = self.mapping_name.text().strip()
        return fields

    def check(self, with_mapping: bool | None = None) -> None:
        if self.path is None:
            return
        edited = bool(self.columns.items) if with_mapping is None else with_mapping
        data, name, fields, api = self.path.read_bytes(), self.path.name, self._fields(edited), self.api
        self.job = None
        self._show_summary()
        self.call(lambda: api.upload("/imports", name, data, fields), self._started)

    def _started(self, body: Any) -> None:
        self.job = dict(body) if isinstance(body, dict) else None
        self._start_polling()

    def _start_polling(self) -> None:
        self.polling = True
        self.timer.start()
        self._update()

    def _poll(self) -> None:
        if self.job is None or self.busy:
            return
        api, path = self.api, f"/imports/{quote_id(self.job['id'])}"
        self.call(lambda: api.get_dict(path, {"limit": 10_000}), self._polled, self._poll_failed)

    def _poll_failed(self, exc: BaseException) -> None:
        self.timer.stop()
        self.polling = False
        self.show_error(exc)
        self._update()

    def _polled(self, body: Any) -> None:
        self.job = dict(body)
        progress = body.get("progress") or {}
        total = int(progress.get("total") or body.get("rows") or 0)
        self.progress.setMaximum(max(total, 0) if body["status"] == "applying" and total else 0)
        self.progress.setValue(int(progress.get("rows") or 0))
        if body["status"] in DONE:
            self.timer.stop()
            self.polling = False
            self.progress.setMaximum(1)
            self.progress.setValue(1)
            self.columns.set_items(list(body.get("columns") or []))
            if self.path is not None and body.get("header_row"):  # the header row the platform found
                self.preview.load(self.path, int(body["header_row"]), body.get("sheet") or None)
            self.issues.set_items(list(body.get("issues") or []))
            if body.get("issues"):
                self.tabs.setCurrentIndex(1)
        self._show_summary()
        self._update()

    def ready(self) -> bool:
        return super().ready() and not self.polling

    def prepare_screenshot(self) -> None:
        """The shipped 实有人口 ledger sample, checked (a dry run: nothing is written)."""
        import importlib.resources

        sample = Path(str(importlib.resources.files("resources") / "samples" / "实有人口台账.xlsx"))
        if sample.exists():
            self.choose(sample)

    # -- the results ------------------------------------------------------------------------------------

    def _filter(self) -> None:
        self.proxy.setFilterFixedString(str(self.severity.currentData() or ""))

    def jump(self, index: Any) -> None:
        """Select the file row the chosen problem names in the preview."""
        item = index.data(ITEM_ROLE) if index is not None and index.isValid() else None
        if isinstance(item, dict) and not self.preview.select_row(int(item.get("row") or 0), str(item.get("column"))):
            self.ctx.status(tr("第 {row} 行不在预览范围内", row=item.get("row")))

    def _show_summary(self) -> None:
        job = self.job
        if job is None or job.get("rows") is None:
            self.summary.setText(tr("正在上传并检查…") if self.path is not None and job is None and self.busy else
                                 (tr("正在检查第 {n} 行…", n=(job.get("progress") or {}).get("rows", 0))
                                  if job else ""))
            if job and job.get("error"):
                self.summary.setText(str(job["error"].get("message") or ""))
            return
        text = tr("{rows} 行：新建 {created}，更新 {updated}，未变 {unchanged}，错误 {errors}，警告 {warnings}",
                  rows=job["rows"], created=job["created"], updated=job["updated"], unchanged=job["unchanged"],
                  errors=job["errors"], warnings=job["warnings"])
        if job.get("tags_set") or job.get("tags_removed"):
            text += tr("；标签设置 {set}，移除 {removed}", set=job["tags_set"], removed=job["tags_removed"])
        state = {"checked": tr("已检查，尚未导入"), "applied": tr("已导入"), "applying": tr("正在导入…"),
                 "failed": tr("未导入"), "cancelled": tr("已取消，平台未作修改")}.get(str(job["status"]), "")
        if job.get("error"):
            state += "：" + str(job["error"].get("message") or "")
        self.summary.setText(f"{state}  {text}")

    def _update(self) -> None:
        status = (self.job or {}).get("status")
        self.apply_button.setEnabled(status == "checked" and not self.polling)
        self.cancel_button.setEnabled(self.polling and self.job is not None)
        self.check_button.setEnabled(self.path is not None and not self.polling)
        self.report_button.setEnabled((self.job or {}).get("rows") is not None and not self.polling)
        self.save_mapping_button.setEnabled(bool(self.columns.items))
        returned = self.mode.currentData() == "return"
        self.source.setEnabled(returned)
        self.tag.setEnabled(returned)

    # -- acts -------------------------------------------------------------------------------------------

    def apply(self) -> None:
        if self.job is None or self.job.get("status") != "checked":
            return
        api, path = self.api, f"/imports/{quote_id(self.job['id'])}/apply"
        self.call(lambda: api.post(path, {}), lambda body: self._start_polling())

    def cancel(self) -> None:
        if self.job is None:
            return
        api, path = self.api, f"/imports/{quote_id(self.job['id'])}/cancel"
        self.call(lambda: api.post(path, {}), lambda body: self.ctx.status(tr("已请求取消")))

    def _ask_report(self) -> None:
        if self.path is None:
            return
        name, _f = QFileDialog.getSaveFileName(self, tr("保存问题标注文件"),
                                               str(self.path.with_name(self.path.stem + "-问题.xlsx")),
                                               tr("Excel 工作簿 (*.xlsx)"))
        if name:
            self.save_report(Path(name))

    def save_report(self, out: Path) -> None:
        if self.job is None:
            return
        api, path = self.api, f"/imports/{quote_id(self.job['id'])}/report.xlsx"

        def job() -> Path:
            out.write_bytes(api.download(path))
            return out

        self.call(job, lambda written: self.ctx.status(tr("已保存 {path}", path=str(written))))

    def save_mapping(self) -> None:
        name = self.mapping_name.text().strip()
        if not name:
            self.show_error(tr("请先填写列映射名称"))
            return
        body = {"name": name, "kind": "person", "columns": self.columns.mapping()}
        api = self.api
        self.call(lambda: api.post("/import-mappings", body),
                  lambda saved: self.ctx.status(tr("已保存列映射“{name}”", name=name)))
