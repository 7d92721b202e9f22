"""The form generated from a template: groups as sections, repeats as tables, one row per question.

Each row has the question's label (with a red * when it is required), its editor, and a message line
under it where the engine's findings for that field appear as the worker types. Relevance, computed
values and messages all come from one :class:`forms.findings.ValidationResult`: the view holds no
rule of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.editor.field_widgets import (
    FieldEditor,
    MaskedEditor,
    SelectMultipleEditor,
    SelectOneEditor,
    make_editor,
)
from desktop.editor.repeat_table import RepeatTable
from desktop.qt import (
    QEvent,
    QFormLayout,
    QFrame,
    QGroupBox,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QObject,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from forms.model import Choice, Field, FieldType, Group, Template
from forms.validate.findings import Finding, ValidationResult

REPEAT_PATH = re.compile(r"^(?P<repeat>[^\[\]]+)\[(?P<index>\d+)\]\.(?P<field>.+)$")


@dataclass
class FieldRow:
    field: Field
    label: QLabel
    editor: FieldEditor | None
    message: QLabel
    container: QWidget


def split_path(path: str) -> tuple[str, int | None, str]:
    """``members[2].member_name`` -> ("members", 2, "member_name"); ``name`` -> ("name", None, "")."""
    m = REPEAT_PATH.match(path)
    if m:
        return m["repeat"], int(m["index"]), m["field"]
    return path, None, ""


class _EnterMovesOn(QObject):
    """Enter in a one-line input moves to the next input, as on a paper form."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(watched, QLineEdit)
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            watched.focusNextChild()
            return True
        return False


class FormView(QScrollArea):
    """A scrollable form for one record of ``template``."""

    edited = Signal(str)  # the name of the field or repeat the worker changed
    reveal_requested = Signal(str)

    def __init__(self, template: Template, language: str, mask: Callable[[str], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template = template
        self.language = language
        self.mask = mask
        self.rows: dict[str, FieldRow] = {}
        self.sections: dict[str, QWidget] = {}
        self.repeats: dict[str, RepeatTable] = {}
        self._offered: dict[str, tuple[Choice, ...]] = {}
        self._loading = False
        self._enter = _EnterMovesOn(self)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("form_body")
        self._body = QVBoxLayout(body)
        self._body.setContentsMargins(8, 8, 8, 8)
        self._build(template.root.children, self._body)
        self._body.addStretch(1)
        self.setWidget(body)

    # -- building -------------------------------------------------------------------------------

    def _build(self, children: tuple[Field | Group, ...], layout: QVBoxLayout) -> None:
        form: QFormLayout | None = None
        for child in children:
            if isinstance(child, Group):
                form = None
                if child.is_repeat:
                    box = QGroupBox(child.label(self.language))
                    box.setObjectName(f"section_{child.name}")
                    inner = QVBoxLayout(box)
                    table = RepeatTable(child, self.template, self.language, box)
                    table.changed.connect(lambda name=child.name: self._changed(name))
                    inner.addWidget(table)
                    self.repeats[child.name] = table
                    self.sections[child.name] = box
                    layout.addWidget(box)
                else:
                    box = QGroupBox(child.label(self.language))
                    box.setObjectName(f"section_{child.name}")
                    inner = QVBoxLayout(box)
                    self._build(child.children, inner)
                    self.sections[child.name] = box
                    layout.addWidget(box)
                continue
            if child.type is FieldType.HIDDEN or (child.type is FieldType.CALCULATE and not child.labels):
                continue
            if form is None:
                holder = QWidget()
                form = QFormLayout(holder)
                form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
                form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
                layout.addWidget(holder)
            self._add_row(child, form)

    def _add_row(self, field: Field, form: QFormLayout) -> None:
        text = field.label(self.language)
        if field.required is not None:
            text = f"<span style='color:#c0392b'>*</span> {text}"
        label = QLabel(text)
        label.setObjectName(f"label_{field.name}")
        hint = field.hints.get(self.language) or field.hints.get("") or field.hints.get("zh")
        if hint:
            label.setToolTip(hint)
        container = QWidget()
        box = QVBoxLayout(container)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        choices = ()
        if field.choice_list and field.choice_list in self.template.choices:
            choices = self.template.choices[field.choice_list].choices
        editor = make_editor(field, choices, self.language, self.mask)
        if editor is None:  # a note: its label is the content
            note = QLabel(field.label(self.language))
            note.setWordWrap(True)
            box.addWidget(note)
            label = QLabel("")
        else:
            if hint:
                editor.setToolTip(hint)
            editor.changed.connect(lambda name=field.name: self._changed(name))
            editor.focus_widget().installEventFilter(self._enter)
            if isinstance(editor, MaskedEditor):
                editor.reveal_requested.connect(self.reveal_requested)
            editor.set_read_only(field.read_only or field.type is FieldType.CALCULATE)
            box.addWidget(editor)
        message = QLabel("")
        message.setObjectName(f"message_{field.name}")
        message.setWordWrap(True)
        message.hide()
        box.addWidget(message)
        form.addRow(label, container)
        self.rows[field.name] = FieldRow(field, label, editor, message, container)

    # -- values ---------------------------------------------------------------------------------

    def _changed(self, name: str) -> None:
        if not self._loading:
            self.edited.emit(name)

    def set_values(self, data: dict[str, Any]) -> None:
        self._loading = True
        for name, row in self.rows.items():
            if row.editor is not None:
                row.editor.set_value(data.get(name, ""))
        for name, table in self.repeats.items():
            rows = data.get(name)
            table.set_rows(list(rows) if isinstance(rows, list) else [])
        self._loading = False

    def values(self, base: dict[str, Any]) -> dict[str, Any]:
        """``base`` with the shown answers laid over it (hidden fields and unknown keys kept)."""
        data = dict(base)
        for name, row in self.rows.items():
            if row.editor is None or row.field.type is FieldType.CALCULATE:
                continue
            value = row.editor.value()
            old = data.get(name)
            if value == "":
                data.pop(name, None)
            elif old is None or str(old if not isinstance(old, float) or not old.is_integer() else int(old)) != value:
                data[name] = value
        for name, table in self.repeats.items():
            data[name] = table.rows()
        return data

    def editor(self, name: str) -> FieldEditor | None:
        row = self.rows.get(name)
        return row.editor if row else None

    # -- results --------------------------------------------------------------------------------

    def apply(self, result: ValidationResult, irrelevant: frozenset[str] = frozenset(),
              choices: Mapping[str, tuple[Choice, ...]] | None = None) -> None:
        """Show relevance, computed values, narrowed choice lists and the findings of ``result``."""
        self._loading = True
        for name, allowed in (choices or {}).items():
            editor = self.editor(name)
            if isinstance(editor, SelectOneEditor | SelectMultipleEditor) and self._offered.get(name) != allowed:
                self._offered[name] = allowed
                editor.set_choices(allowed)
        for name, row in self.rows.items():
            visible = name not in irrelevant
            row.label.setVisible(visible)
            row.container.setVisible(visible)
            if row.field.type is FieldType.CALCULATE and row.editor is not None:
                row.editor.set_value(result.values.get(name, ""))
            row.message.hide()
            row.message.setText("")
        for name, section in self.sections.items():
            section.setVisible(name not in irrelevant)
        for table in self.repeats.values():
            table.clear_marks()
        self._loading = False
        for finding in result.findings:
            self.show_finding(finding)

    def show_finding(self, finding: Finding) -> None:
        head, index, inner = split_path(finding.field)
        text = finding.message(self.language)
        if index is not None and head in self.repeats:
            self.repeats[head].mark(index, inner, text, finding.severity.value)
            return
        row = self.rows.get(head)
        if row is None:
            return
        colour = "#b9770e" if finding.severity.value == "warning" else "#c0392b"
        previous = row.message.text()
        line = f"<span style='color:{colour}'>{'⚠' if colour == '#b9770e' else '✖'} {text}</span>"
        row.message.setText(f"{previous}<br>{line}" if previous else line)
        row.message.show()

    def focus_field(self, path: str) -> bool:
        """Scroll to the field (or repeat cell) at ``path`` and put the cursor in it."""
        head, index, inner = split_path(path)
        if index is not None and head in self.repeats:
            table = self.repeats[head]
            self.ensureWidgetVisible(table)
            table.focus_cell(index, inner)
            return True
        row = self.rows.get(head)
        if row is None:
            return False
        self.ensureWidgetVisible(row.container)
        if row.editor is not None:
            row.editor.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def first_message(self) -> str:
        return next((r.message.text() for r in self.rows.values() if r.message.text()), "")

