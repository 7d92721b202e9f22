"""The readable difference between the version in force and an opened template, grouped by kind
(fields added, removed, renamed, types, choices, conditions, repeats, tags, rules)."""

from __future__ import annotations

from desktop.i18n import language, tr
from desktop.qt import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget
from forms.versions import TemplateDiff
from forms.versions.diff import KIND_NAMES_EN, KIND_NAMES_ZH, KINDS


class TemplateDiffView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateDiff")
        self.heading = QLabel(tr("打开模板文件后，这里列出它与在用版本的差异"))
        self.heading.setObjectName("templateDiffHeading")
        self.heading.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("templateDiffTree")
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.diff: TemplateDiff | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)

    def show_diff(self, diff: TemplateDiff | None, note: str = "") -> None:
        self.diff = diff
        self.tree.clear()
        if diff is None:
            self.heading.setText(note or tr("没有可对比的在用版本"))
            return
        lang = language()
        self.heading.setText(tr("{form}：在用版本 {old} → 新版本 {new}。{summary}", form=diff.form_id,
                                old=diff.old_version, new=diff.new_version, summary=diff.summary(lang)))
        names = KIND_NAMES_EN if lang == "en" else KIND_NAMES_ZH
        for kind in KINDS:
            changes = diff.of_kind(kind)
            if not changes:
                continue
            group = QTreeWidgetItem([f"{names[kind]}（{len(changes)}）"])
            group.setData(0, 256, kind)  # Qt.UserRole
            for change in changes:
                QTreeWidgetItem(group, [change.text(lang)])
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)

    def lines(self) -> list[str]:
        """Every line shown, group headings and changes (for tests and copying)."""
        out: list[str] = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            if group is None:
                continue
            out.append(group.text(0))
            children = (group.child(j) for j in range(group.childCount()))
            out.extend(c.text(0) for c in children if c is not None)
        return out
