"""One input widget per question type, all behind the same small interface.

Every editor is a :class:`FieldEditor`: ``value()`` returns what the template stores (choice names,
ISO dates, the typed text of numbers), ``set_value()`` shows a stored value, and ``changed`` fires on
every edit. The widgets know nothing of validation: the form view shows the engine's findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from desktop.i18n import tr
from desktop.qt import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDate,
    QDoubleValidator,
    QHBoxLayout,
    QIntValidator,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QRegularExpression,
    QRegularExpressionValidator,
    Qt,
    QToolButton,
    QWidget,
    QWidgetAction,
    Signal,
)
from forms.codelists import code_label
from forms.model import Choice, Field, FieldType

#: Field names whose values are personal identifiers: masked until the worker reveals them.
SENSITIVE_NAME = re.compile(r"(^|_)(id_number|phone|mobile|cert|permit_no)$")


def is_sensitive(field: Field) -> bool:
    return bool(SENSITIVE_NAME.search(field.name)) or "masked" in field.appearance.split()


def display_text(value: object) -> str:
    """The text an editor shows for a stored value (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return " ".join(display_text(v) for v in value)
    return str(value)


def computed_text(name: str, value: str, language: str) -> str:
    """A calculated value as a worker reads it: a code of the national code list of the same name
    (人户状态 1, 残疾等级 2) shown with its label, e.g. 人在户在（1）."""
    if not value:
        return ""
    label = code_label(name, value, language)
    return f"{label}（{value}）" if label != value else value


def choice_text(choice: Choice, language: str) -> str:
    """A choice as listed: its label, and its code where the code means something to a worker (the
    national code lists' digits, e.g. 汉族（01）); word names such as yes/no stay out of sight."""
    label = choice.label(language)
    if choice.name.isdigit() and choice.name != label:
        return f"{label}（{choice.name}）"
    return label or choice.name


class FieldEditor(QWidget):
    """Base of every input: a value in the template's stored form and a ``changed`` signal.

    One path from the widget to the engine: each editor's handler of its widget's own signal first
    takes the new value into the editor, then emits ``changed`` (through :meth:`_emit`), so whoever
    listens reads the value on screen, never the one a keystroke before.
    """

    changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setObjectName(f"field_{field.name}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._layout = layout

    def value(self) -> str:  # every editor below overrides both
        return ""

    def _emit(self) -> None:
        """Tell the form the value changed: called only after the editor holds the new value."""
        self.changed.emit()

    def set_value(self, value: object) -> None:
        del value

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)

    def focus_widget(self) -> QWidget:
        return self


class TextEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.line = QLineEdit(self)
        self.line.setObjectName(f"input_{field.name}")
        self._layout.addWidget(self.line)
        self.line.textEdited.connect(self._edited)
        if field.type is FieldType.INTEGER:
            self.line.setValidator(QIntValidator(self.line))
            self.line.setMaximumWidth(160)
        elif field.type is FieldType.DECIMAL:
            validator = QDoubleValidator(self.line)
            validator.setNotation(QDoubleValidator.Notation.StandardNotation)
            self.line.setValidator(validator)
            self.line.setMaximumWidth(160)
        elif field.type is FieldType.TIME:
            self.line.setPlaceholderText("HH:MM")
            self.line.setMaximumWidth(120)
        elif field.type is FieldType.DATETIME:
            self.line.setPlaceholderText("YYYY-MM-DDTHH:MM")
            self.line.setMaximumWidth(200)

    def _edited(self, text: str) -> None:
        self._take(text)
        self._emit()

    def _take(self, text: str) -> None:
        """Hold what the worker typed (the plain editor reads it back from the line)."""
        del text

    def value(self) -> str:
        return self.line.text().strip()

    def set_value(self, value: object) -> None:
        self.line.setText(display_text(value))

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)

    def focus_widget(self) -> QWidget:
        return self.line


class MaskedEditor(TextEditor):
    """An identifier (ID number, phone): shown masked until revealed through ``reveal_requested``.

    The owner asks for a reason, writes it to the audit log, then calls :meth:`reveal`.
    Typing a new value over a masked one is allowed (it reveals nothing).
    """

    reveal_requested = Signal(str)

    def __init__(self, field: Field, mask: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self._mask = mask
        self._value = ""
        self.revealed = False
        self.button = QToolButton(self)
        self.button.setText(tr("显示"))
        self.button.setObjectName(f"reveal_{field.name}")
        self.button.setToolTip(tr("显示完整号码（需填写原因，记入审计日志）"))
        self.button.clicked.connect(lambda: self.reveal_requested.emit(self.field.name))
        self._layout.addWidget(self.button)

    def _take(self, text: str) -> None:
        self._value = text.strip()
        if not self.revealed:
            self.revealed = True  # the worker is typing a new number: it is theirs to see
            self.button.hide()

    def value(self) -> str:
        return self._value

    def set_value(self, value: object) -> None:
        """Show another record's value: masked again, whatever was revealed before."""
        self._value = display_text(value)
        self.revealed = False
        self._show()

    def reveal(self) -> None:
        self.revealed = True
        self.button.hide()
        self._show()

    def _show(self) -> None:
        if self.revealed or not self._value:
            self.line.setText(self._value)
            self.button.setVisible(not self.revealed and bool(self._value))
        else:
            self.line.setText(self._mask(self._value))
            self.button.setVisible(True)


class DateEditor(FieldEditor):
    """A date typed as YYYY-MM-DD (or YYYYMMDD) or picked from a calendar; empty is allowed."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.line = QLineEdit(self)
        self.line.setObjectName(f"input_{field.name}")
        self.line.setPlaceholderText("YYYY-MM-DD")
        self.line.setMaximumWidth(130)
        self.line.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,4}-?\d{0,2}-?\d{0,2}"), self.line)
        )
        self.line.textEdited.connect(lambda _t: self._emit())
        self.line.editingFinished.connect(self._normalise)
        self.pick = QToolButton(self)
        self.pick.setText("…")
        self.pick.setToolTip(tr("从日历选择"))
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.clicked.connect(self._picked)
        menu = QMenu(self.pick)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        self.pick.setMenu(menu)
        self._layout.addWidget(self.line)
        self._layout.addWidget(self.pick)
        self._layout.addStretch(1)

    def _normalise(self) -> None:
        digits = self.line.text().replace("-", "")
        if len(digits) == 8 and digits.isdigit():
            text = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
            if text != self.line.text():
                self.line.setText(text)
                self._emit()

    def _sync_calendar(self) -> None:
        date = QDate.fromString(self.value(), "yyyy-MM-dd")
        if date.isValid():
            self.calendar.setSelectedDate(date)

    def _picked(self, date: QDate) -> None:
        self.line.setText(date.toString("yyyy-MM-dd"))
        menu = self.pick.menu()
        if menu is not None:
            menu.hide()
        self._emit()

    def value(self) -> str:
        return self.line.text().strip()

    def set_value(self, value: object) -> None:
        self.line.setText(display_text(value)[:10])

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)
        self.pick.setEnabled(not read_only)

    def focus_widget(self) -> QWidget:
        return self.line


class SelectOneEditor(FieldEditor):
    """A choice list with type-to-filter: typing any part of a label or code narrows the list."""

    def __init__(self, field: Field, choices: Sequence[Choice], language: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.language = language
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"input_{field.name}")
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMinimumWidth(200)
        completer = QCompleter(self.combo.model(), self.combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        self._layout.addWidget(self.combo)
        self._layout.addStretch(1)
        self.other = QLineEdit(self)
        self.other.setPlaceholderText(tr("请注明"))
        self.other.hide()
        self._layout.addWidget(self.other)
        self._loading = False
        self._current = ""
        self.set_choices(choices)
        self.combo.activated.connect(self._chosen)
        self.combo.lineEdit().editingFinished.connect(self._typed)

    def set_choices(self, choices: Iterable[Choice]) -> None:
        """Replace the offered choices (choice_filter), keeping the current value if still offered."""
        self._loading = True
        self.combo.clear()
        self.combo.addItem("", "")
        for choice in choices:
            self.combo.addItem(choice_text(choice, self.language), choice.name)
        if self.field.or_other:
            self.combo.addItem(tr("其他"), "other")
        self._loading = False
        self._select(self._current)

    def _select(self, name: str) -> None:
        index = self.combo.findData(name)
        self._loading = True
        if index >= 0:
            self.combo.setCurrentIndex(index)
        else:
            self.combo.setCurrentIndex(0)
            if name:
                self.combo.setEditText(name)  # a stored value no longer offered stays visible
        self._loading = False
        self.other.setVisible(name == "other")

    def _chosen(self, index: int) -> None:
        if self._loading:
            return
        self._current = str(self.combo.itemData(index) or "")
        self.other.setVisible(self._current == "other")
        self._emit()

    def _typed(self) -> None:
        text = self.combo.currentText().strip()
        index = self.combo.findText(text)
        if index < 0:  # a code typed directly
            index = self.combo.findData(text)
        if index < 0 and text:
            matches = [i for i in range(self.combo.count()) if text in self.combo.itemText(i)]
            index = matches[0] if len(matches) == 1 else -1
        if index >= 0:
            self.combo.setCurrentIndex(index)
            new = str(self.combo.itemData(index) or "")
        else:
            new = "" if not text else self._current
            self._select(new)
        if new != self._current:
            self._current = new
            self.other.setVisible(new == "other")
            self._emit()

    def value(self) -> str:
        return self._current

    def set_value(self, value: object) -> None:
        self._current = display_text(value)
        self._select(self._current)

    def set_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)

    def focus_widget(self) -> QWidget:
        return self.combo


class SelectMultipleEditor(FieldEditor):
    """Check boxes in a short list, stored as space-separated choice names."""

    def __init__(self, field: Field, choices: Sequence[Choice], language: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.language = language
        self.list = QListWidget(self)
        self.list.setObjectName(f"input_{field.name}")
        self.list.setMaximumHeight(110)
        self._layout.addWidget(self.list)
        self._loading = False
        self._selected: list[str] = []
        self.set_choices(choices)
        self.list.itemChanged.connect(self._toggled)

    def set_choices(self, choices: Iterable[Choice]) -> None:
        self._loading = True
        self.list.clear()
        for choice in choices:
            item = QListWidgetItem(choice_text(choice, self.language))
            item.setData(Qt.ItemDataRole.UserRole, choice.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = choice.name in self._selected
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self._loading = False

    def _toggled(self, item: QListWidgetItem) -> None:
        if self._loading:
            return
        name = str(item.data(Qt.ItemDataRole.UserRole))
        if item.checkState() == Qt.CheckState.Checked and name not in self._selected:
            self._selected.append(name)
        elif item.checkState() != Qt.CheckState.Checked and name in self._selected:
            self._selected.remove(name)
        self._emit()

    def value(self) -> str:
        return " ".join(self._selected)

    def set_value(self, value: object) -> None:
        self._selected = display_text(value).split()
        self._loading = True
        for row in range(self.list.count()):
            item = self.list.item(row)
            name = str(item.data(Qt.ItemDataRole.UserRole))
            item.setCheckState(Qt.CheckState.Checked if name in self._selected else Qt.CheckState.Unchecked)
        self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        self.list.setEnabled(not read_only)

    def focus_widget(self) -> QWidget:
        return self.list


class AcknowledgeEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.box = QCheckBox(tr("已确认"), self)
        self.box.setObjectName(f"input_{field.name}")
        self._layout.addWidget(self.box)
        self.box.toggled.connect(lambda _c: self._emit())

    def value(self) -> str:
        return "OK" if self.box.isChecked() else ""

    def set_value(self, value: object) -> None:
        self.box.setChecked(display_text(value) in {"OK", "1", "true", "yes"})

    def focus_widget(self) -> QWidget:
        return self.box


class ComputedEditor(FieldEditor):
    """A calculate field with a label: shown read-only, filled in by the engine."""

    def __init__(self, field: Field, language: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.language = language
        self.label = QLabel(self)
        self.label.setObjectName(f"input_{field.name}")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setToolTip(tr("自动计算，不可编辑"))
        self._layout.addWidget(self.label)
        self._layout.addStretch(1)
        self._value = ""

    def value(self) -> str:
        return self._value

    def set_value(self, value: object) -> None:
        self._value = display_text(value)
        self.label.setText(computed_text(self.field.name, self._value, self.language) or "—")


def make_editor(field: Field, choices: Sequence[Choice], language: str,
                mask: Callable[[str], str]) -> FieldEditor | None:
    """The editor for ``field``, or None for fields that are not shown (hidden, unlabeled calculate)."""
    t = field.type
    if t is FieldType.HIDDEN or (t is FieldType.CALCULATE and not field.labels):
        return None
    if t is FieldType.NOTE:
        return None  # notes are shown as text by the form view
    if t is FieldType.CALCULATE:
        return ComputedEditor(field, language)
    if t is FieldType.SELECT_ONE:
        return SelectOneEditor(field, choices, language)
    if t is FieldType.SELECT_MULTIPLE:
        return SelectMultipleEditor(field, choices, language)
    if t is FieldType.DATE:
        return DateEditor(field)
    if t is FieldType.ACKNOWLEDGE:
        return AcknowledgeEditor(field)
    if t is FieldType.TEXT and is_sensitive(field):
        return MaskedEditor(field, mask)
    return TextEditor(field)
