"""Publishing a checked template: the area to publish to (default the admin's own area) and, to
confirm, what changes against the version in force."""

from __future__ import annotations

from typing import Any

from desktop.i18n import tr
from desktop.qt import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

#: Area levels a template may be published to.
LEVELS = ("district", "street", "community")


def area_choices(areas: list[dict[str, Any]], roots: list[str]) -> list[tuple[str, str]]:
    """(code, label) of the areas within the admin's roots a template can be published to, roots first."""
    out: list[tuple[str, str]] = []
    for a in sorted(areas, key=lambda a: (len(str(a["code"])), str(a["code"]))):
        code = str(a["code"])
        if a.get("level") in LEVELS and any(code.startswith(r) for r in roots):
            out.append((code, f"{a['name']}（{code}）"))
    for root in roots:
        if root not in {c for c, _ in out}:
            out.insert(0, (root, root))
    return out


class PublishDialog(QDialog):
    def __init__(self, form_id: str, version: str, summary: str, choices: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templatePublishDialog")
        self.setWindowTitle(tr("发布模板"))
        self.area = QComboBox()
        self.area.setObjectName("publishArea")
        for code, label in choices:
            self.area.addItem(label, code)
        self.summary = QLabel(tr("与在用版本相比：{summary}", summary=summary))
        self.summary.setObjectName("publishSummary")
        self.summary.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("表单"), QLabel(f"{form_id} {version}"))
        form.addRow(tr("发布到"), self.area)
        note = QLabel(tr("发布后各设备在下次同步时取得新版本；草稿和未发送的修改按字段名迁移，"
                         "没有对应字段的值保留在记录旁，不会丢失。"))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("发布"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def chosen_area(self) -> str:
        return str(self.area.currentData() or "")
