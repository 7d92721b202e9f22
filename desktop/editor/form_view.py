"""The form generated from a template: groups as sections, repeats as tables, one row per question.

Each row has the question's label (with a red * when it is required), its editor, and a message line
under it where the engine's findings for that field appear as the worker types. Relevance, computed
values and messages all come from one :class:`forms.findings.ValidationResult`: the view holds no
rule of its own.

The form does not jump as messages come and go: every row that can carry a message (every question
a worker answers, and any computed value a rule of the template reports on) keeps its message line
at the height of one line whether or not it shows anything, so what lies below never moves and a
click lands where it was aimed. A message longer than the line is elided; the whole of it (every
finding of the field) is the line's tooltip, and the findings panel lists each in full.
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
from forms.validate.validator import rule_field

REPEAT_PATH = re.compile(r"^(?P<repeat>[^\[\]]+)\[(?P<index>\d+)\]\.(?P<field>.+)$")


ERROR_COLOUR = "#c0392b"
WARNING_COLOUR = "#b9770e"


class MessageLine(QLabel):
    """The message line under a field: one line high whatever it holds (``reserved``: also when it
    holds nothing), the findings one after another, elided to the width with all of them in the
    tooltip. :meth:`full_text` is what it says in full."""

    def __init__(self, name: str, reserved: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"message_{name}")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.reserved = reserved
        self._items: list[tuple[bool, str]] = []
        self._full = ""
        self.setMinimumWidth(1)  # the elided text never widens the form
        self.setFixedHeight(self.fontMetrics().height() + 2)
        self.setVisible(reserved)

    def full_text(self) -> str:
        return self._full

    def clear_messages(self) -> None:
        if self._items or self.text():
            self._items = []
            self._full = ""
            self.setToolTip("")
            self.setText("")
        self.setVisible(self.reserved)

    def add_message(self, is_error: bool, text: str) -> None:
        self._items.append((is_error, text))
        lines = [f"{'✖' if err else '⚠'} {t}" for err, t in self._items]
        self._full = "　".join(lines)
        self.setToolTip("\n".join(lines))
        colour = ERROR_COLOUR if any(err for err, _t in self._items) else WARNING_COLOUR
        self.setStyleSheet(f"color:{colour}")
        self._elide()
        self.show()

    def _elide(self) -> None:
        width = max(self.contentsRect().width(), 1)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._full:
            self._elide()


@dataclass
class FieldRow:
    field: Field
    label: QLabel
    editor: FieldEditor | None
    message: MessageLine
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
        #: Computed fields a rule reports on: their message lines are reserved too.
        self._rule_fields = frozenset(rule_field(r, template) for r in template.rules)
        #: Repeats a rule reports on, with the message line under their table.
        self.repeat_messages: dict[str, MessageLine] = {}
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
                    if child.name in self._rule_fields:
                        line = MessageLine(child.name, True, box)
                        inner.addWidget(line)
                        self.repeat_messages[child.name] = line
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
                # its 显示 button (a little taller than the line) goes once the worker types: the
                # row keeps its height, or everything below would move up under the pointer
                editor.setMinimumHeight(editor.sizeHint().height())
            editor.set_read_only(field.read_only or field.type is FieldType.CALCULATE)
            box.addWidget(editor)
        # Every question can carry a message (required, type, choice, constraint, stale, a tag's
        # required field, a rule); a computed value only when a rule reports on it.
        reserved = editor is not None and (field.type is not FieldType.CALCULATE or field.name in self._rule_fields)
        message = MessageLine(field.name, reserved)
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
            row.message.clear_messages()
        for name, section in self.sections.items():
            section.setVisible(name not in irrelevant)
        for table in self.repeats.values():
            table.clear_marks()
        for line in self.repeat_messages.values():
            line.clear_messages()
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
        line = row.message if row is not None else self.repeat_messages.get(head)
        if line is not None:
            line.add_message(finding.is_error, text)

    def focus_field(self, path: str) -> bool:
        """Scroll to the field (or repeat cell) at ``path`` and put the cursor in it."""
        head, index, inner = split_path(path)
        if index is not None and head in self.repeats:
            table = self.repeats[head]
            self.ensureWidgetVisible(table)
            table.focus_cell(index, inner)
            return True
        if head in self.repeats and head not in self.rows:  # a rule about the whole table
            self.ensureWidgetVisible(self.repeats[head])
            self.repeats[head].setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        row = self.rows.get(head)
        if row is None:
            return False
        self.ensureWidgetVisible(row.container)
        if row.editor is not None:
            row.editor.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def first_message(self) -> str:
        return next((r.message.full_text() for r in self.rows.values() if r.message.full_text()), "")

