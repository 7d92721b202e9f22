"""Tag chips: what the record carries, and the worker's manual tags.

- auto tags (blue) are computed by the engine; hovering tells the rule. The worker cannot set them.
- manual tags (green) can be removed with a click and added from the 「＋ 标签」 menu; when a
  prerequisite or a supporting field is missing, the chip turns orange and says which.
- returned tags (purple) come from departments' data and are read-only.
Sensitive tags are shown only to the roles the catalogue names.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop.editor.flow_layout import FlowLayout
from desktop.i18n import tr
from desktop.qt import QMenu, QToolButton, QWidget, Signal
from forms.model import TagDef, TagKind, Template
from forms.validate.findings import Finding

STYLE = {
    TagKind.AUTO: "background:#e8f1fb;border:1px solid #5b8fd1;color:#1f4f8b;",
    TagKind.MANUAL: "background:#e9f7ef;border:1px solid #52a36b;color:#1e6b37;",
    TagKind.RETURNED: "background:#f3ecfa;border:1px solid #8e6bbf;color:#553583;",
}
BLOCKED = "background:#fdf2e3;border:1px solid #d68910;color:#8a5a00;"
CHIP = "QToolButton{%s border-radius:9px;padding:2px 8px;}"


def tag_problems(findings: Iterable[Finding]) -> dict[str, list[str]]:
    """Tag id -> the messages of tag findings about it (rule ids look like ``tag:<id>:…``)."""
    out: dict[str, list[str]] = {}
    for f in findings:
        if f.kind == "tag" and f.rule.startswith("tag:"):
            tag_id = f.rule.split(":", 2)[1]
            out.setdefault(tag_id, []).append(f.message_zh)
    return out


class TagChips(QWidget):
    """The chips of one record. ``tags_changed`` carries the new list of stored (manual) tags."""

    tags_changed = Signal(list)

    def __init__(self, template: Template, role: str, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tag_chips")
        self.template = template
        self.role = role
        self.language = language
        self.stored: list[str] = []
        self.flow = FlowLayout(self)
        self.chips: dict[str, QToolButton] = {}

    def visible(self, tag: TagDef) -> bool:
        return tag.visible_to(self.role)

    def show_tags(self, in_force: Iterable[str], stored: Iterable[str], findings: Iterable[Finding]) -> None:
        """Rebuild the chips from the engine's tags in force and the record's stored tags."""
        self.stored = list(stored)
        problems = tag_problems(findings)
        self.flow.clear()
        self.chips = {}
        shown: list[str] = []
        for tag_id in list(in_force) + [t for t in self.stored if t not in in_force]:
            if tag_id in shown:
                continue
            shown.append(tag_id)
            tag = self.template.tags.get(tag_id)
            if tag is None or not self.visible(tag):
                continue
            self._chip(tag, problems.get(tag_id, []))
        add = QToolButton(self)
        add.setObjectName("add_tag")
        add.setText(tr("＋ 标签"))
        add.setToolTip(tr("添加人工标签"))
        add.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(add)
        for tag in self.template.tags.values():
            if tag.kind is TagKind.MANUAL and self.visible(tag) and tag.id not in self.stored:
                action = menu.addAction(tag.label(self.language))
                action.setObjectName(f"add_tag_{tag.id}")
                action.setData(tag.id)
                action.triggered.connect(lambda _c=False, t=tag.id: self.set_manual(t, True))
        add.setMenu(menu)
        add.setEnabled(not menu.isEmpty())
        self.flow.addWidget(add)
        self.updateGeometry()

    def _chip(self, tag: TagDef, problems: list[str]) -> None:
        chip = QToolButton(self)
        chip.setObjectName(f"tag_{tag.id}")
        label = tag.label(self.language)
        style = STYLE[tag.kind]
        if tag.kind is TagKind.AUTO:
            tip = tr("自动标签：由系统根据填报内容计算，不能手工设置。")
            if tag.condition is not None:
                tip += "\n" + tr("规则：") + tag.condition.source
        elif tag.kind is TagKind.RETURNED:
            tip = tr("部门回流标签：只读。")
        else:
            tip = tr("人工标签：点击移除。")
            label += " ✕"
            chip.clicked.connect(lambda _c=False, t=tag.id: self.set_manual(t, False))
        if problems:
            style = BLOCKED
            label = "⚠ " + label
            tip += "\n" + "\n".join(problems)
        chip.setStyleSheet(CHIP % style)
        chip.setText(label)
        chip.setToolTip(tip)
        chip.ensurePolished()
        chip.adjustSize()
        self.chips[tag.id] = chip
        self.flow.addWidget(chip)

    def set_manual(self, tag_id: str, on: bool) -> None:
        tags = [t for t in self.stored if t != tag_id]
        if on:
            tags.append(tag_id)
        if tags != self.stored:
            self.stored = tags
            self.tags_changed.emit(tags)
