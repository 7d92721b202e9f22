"""表单模板: the template lifecycle of the admin's area.

Every published version per form (version, area, published at/by, state) with 撤回 (confirmed; a
withdrawn version is no longer offered to devices but kept); 打开文件… checks a workbook off the GUI
thread and lists its problems where they are; the opened template is compared with the version in
force (a readable diff grouped by kind) and previewed over a real record; 发布… publishes it to an
area, confirming with the diff's summary.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.admin.api import quote_id
from desktop.admin.models.template_versions import TemplateVersionsModel
from desktop.admin.screen import AdminContext, AdminScreen
from desktop.admin.template_check_view import TemplateCheckView
from desktop.admin.template_diff_view import TemplateDiffView
from desktop.admin.template_preview import TemplatePreview
from desktop.admin.template_publish_dialog import PublishDialog, area_choices
from desktop.file_dialogs import start_dir
from desktop.i18n import language, tr
from desktop.qt import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QTabWidget,
    QVBoxLayout,
)
from forms.model import EntityKind, Template
from forms.versions import TemplateDiff


def check_workbook(data: bytes, name: str) -> tuple[list[dict[str, Any]], Template | None]:
    """(problems, the template or None) of a workbook, read as the platform reads it."""
    from forms.errors import Problem, TemplateError
    from forms.xlsform import load_template

    try:
        template = load_template(data, filename=name)
    except TemplateError as exc:
        return [p.to_json() for p in exc.problems], None
    return [p.to_json() for p in template.warnings if isinstance(p, Problem)], template


class TemplatesScreen(AdminScreen):
    def __init__(self, ctx: AdminContext) -> None:
        super().__init__(ctx)
        self.setObjectName("adminTemplates")
        self.store = ctx.session.store
        names = ctx.area_names()
        self.versions = TemplateVersionsModel(lambda code: names.get(code, code))
        self.table = QTableView()
        self.table.setObjectName("templateVersions")
        self.table.setModel(self.versions)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())

        self.refresh_button = QPushButton(tr("刷新"))
        self.open_button = QPushButton(tr("打开文件…"))
        self.open_button.setObjectName("templateOpen")
        self.publish_button = QPushButton(tr("发布…"))
        self.publish_button.setObjectName("templatePublish")
        self.withdraw_button = QPushButton(tr("撤回所选版本…"))
        self.withdraw_button.setObjectName("templateWithdraw")
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button.clicked.connect(self.choose_file)
        self.publish_button.clicked.connect(self.publish)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.file_label = QLabel(tr("未打开模板文件"))
        self.file_label.setObjectName("templateFile")

        self.check_view = TemplateCheckView()
        self.diff_view = TemplateDiffView()
        self.preview = TemplatePreview(self.store)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.check_view, tr("检查结果"))
        self.tabs.addTab(self.diff_view, tr("与在用版本对比"))
        self.tabs.addTab(self.preview, tr("预览"))

        self.path: Path | None = None
        self.data: bytes = b""
        self.template: Template | None = None
        self.problems: list[dict[str, Any]] = []
        self.diff: TemplateDiff | None = None
        self.loaded = False

        bar = QHBoxLayout()
        for b in (self.refresh_button, self.open_button, self.publish_button, self.withdraw_button):
            bar.addWidget(b)
        bar.addWidget(self.file_label, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self._enable()

    # -- the published versions -------------------------------------------------------------------

    def activated(self) -> None:
        if not self.loaded:
            self.refresh()

    def refresh(self) -> None:
        def done(rows: list[dict[str, Any]]) -> None:
            self.loaded = True
            self.versions.set_rows(rows)
            self._enable()

        self.call(lambda: self.api.items("/templates"), done)

    def selected(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        return self.versions.row(index.row()) if index.isValid() else None

    def _roots(self) -> list[str]:
        areas = self.ctx.session.user.get("areas") or []
        return [str(a.get("code") if isinstance(a, dict) else a) for a in areas]

    def _enable(self) -> None:
        row = self.selected()
        mine = row is not None and any(str(row.get("area") or "").startswith(r) for r in self._roots())
        self.withdraw_button.setEnabled(bool(mine and row and row.get("state") != "withdrawn"))
        errors = [p for p in self.problems if p.get("severity") != "warning"]
        self.publish_button.setEnabled(self.template is not None and not errors)

    def withdraw_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        asked = QMessageBox.question(
            self, tr("撤回模板版本"),
            tr("撤回 {form} {version}？撤回后设备不再使用该版本，但平台保留它，按它填写的提交仍按它校验。",
               form=row["form_id"], version=row["version"]))
        if asked != QMessageBox.StandardButton.Yes:
            return
        path = (f"/templates/{quote_id(row['form_id'])}/{quote_id(row['version'])}/withdraw"
                f"?area={quote_id(row.get('area') or '')}")

        def done(_result: Any) -> None:
            self.ctx.status(tr("已撤回 {form} {version}", form=row["form_id"], version=row["version"]))
            self.refresh()

        self.call(lambda: self.api.post(path, {}), done)

    # -- an opened workbook -----------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("打开模板文件"), start_dir(), tr("Excel 工作簿 (*.xlsx *.xls)"))
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> None:
        """Read and check ``path`` off the GUI thread; then show its problems, diff and preview."""
        self.file_label.setText(tr("正在检查 {name}…", name=path.name))

        def job() -> tuple[bytes, list[dict[str, Any]], Template | None, TemplateDiff | None, Any]:
            data = path.read_bytes()
            problems, template = check_workbook(data, path.name)
            in_force = self._templates_in_force()
            diff = None
            if template is not None and template.entity in in_force:
                from forms.versions import diff as compare

                diff = compare(in_force[template.entity], template)
            return data, problems, template, diff, in_force

        def done(result: tuple[bytes, list[dict[str, Any]], Template | None, TemplateDiff | None, Any]) -> None:
            self.data, self.problems, self.template, self.diff, in_force = result
            self.path = path
            self.file_label.setText(path.name if self.template is None else
                                    f"{path.name} · {self.template.form_id} {self.template.version}")
            self.check_view.show_problems(path.name, self.problems)
            self.diff_view.show_diff(self.diff, "" if self.template is not None else
                                     tr("模板有错误，无法对比"))
            if self.template is not None:
                self.preview.show_template(self.template, in_force)
            self.tabs.setCurrentWidget(self.check_view if self.template is None else self.diff_view)
            self._enable()

        def failed(exc: BaseException) -> None:
            self.file_label.setText(tr("无法读取 {name}", name=path.name))
            self.show_error(tr("无法读取 {name}：{error}", name=path.name, error=str(exc)))

        self.call(job, done, failed)

    def _templates_in_force(self) -> dict[EntityKind, Template]:
        """The newest template of each kind the admin's store holds (the defaults for kinds it lacks)."""
        from sync.validation import store_templates

        return store_templates(self.store)

    def publish(self) -> None:
        if self.template is None or self.path is None:
            return
        summary = self.diff.summary(language()) if self.diff is not None else tr("新表单")
        choices = area_choices(self.store.lists.areas(), self._roots())
        dialog = PublishDialog(self.template.form_id, self.template.version, summary, choices, self)
        if dialog.exec() != PublishDialog.DialogCode.Accepted:
            return
        area = dialog.chosen_area()
        name, data = self.path.name, self.data

        def done(meta: dict[str, Any]) -> None:
            self.ctx.status(tr("已发布 {form} {version} 到 {area}", form=meta.get("form_id"),
                               version=meta.get("version"), area=meta.get("area") or tr("全部区域")))
            self.refresh()

        self.call(lambda: self.api.upload(f"/templates?area={quote_id(area)}", name, data), done)
