"""ID numbers and phone numbers are masked on screen; showing one in full is a deliberate, logged act.

:class:`Masker` decides what a list or form shows: ``330102********1234`` and ``138****5678``
(``forms.cn.mask_id`` / ``mask_phone``) unless the record was revealed. :func:`ask_reveal` asks the
worker for a reason (a short list of usual ones, or free text); :meth:`Masker.reveal` writes the
reveal to the store's audit log *before* anything is shown, and reveals only that one record until
the window is locked or closed (:meth:`Masker.forget_all`).
"""

from __future__ import annotations

from collections.abc import Callable

from desktop.i18n import tr
from desktop.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QObject,
    QVBoxLayout,
    QWidget,
    Signal,
)
from forms.cn import mask_id, mask_phone

#: Fields holding identity-document numbers or phone numbers, per entity kind.
ID_FIELDS = frozenset({"id_number", "owner_id_number", "tenant_id_number", "member_id_number",
                       "disability_cert", "residence_permit_no"})
PHONE_FIELDS = frozenset({"phone", "owner_phone", "tenant_phone"})

#: Usual reasons offered in the reveal dialog (Chinese source text; translated when shown).
REASONS = ("入户走访核实身份", "电话联系居民", "办理业务需要完整号码", "数据核对与纠错")


def mask_value(field: str, value: str) -> str:
    if not value:
        return value
    if field in PHONE_FIELDS:
        return mask_phone(value)
    if field in ID_FIELDS:
        return mask_id(value)
    return value


class Masker(QObject):
    """Which records are revealed in this session; ``changed`` when that set changes."""

    changed = Signal()

    def __init__(self, audit: Callable[[str, str, dict[str, str]], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._audit = audit
        self._revealed: set[str] = set()

    def is_revealed(self, entity_id: str) -> bool:
        return entity_id in self._revealed

    def show(self, entity_id: str, field: str, value: str) -> str:
        """The text to display for ``field`` of ``entity_id``: masked unless revealed."""
        if entity_id in self._revealed:
            return value
        return mask_value(field, value)

    def reveal(self, entity_id: str, reason: str, fields: tuple[str, ...] = ("id_number", "phone")) -> None:
        """Log the reveal (raises if it cannot be logged: then nothing is shown) and show the record."""
        reason = reason.strip()
        if not reason:
            raise ValueError("a reason is required to reveal")
        self._audit("reveal", entity_id, {"reason": reason, "fields": ",".join(fields)})
        self._revealed.add(entity_id)
        self.changed.emit()

    def hide(self, entity_id: str) -> None:
        if entity_id in self._revealed:
            self._revealed.discard(entity_id)
            self.changed.emit()

    def forget_all(self) -> None:
        if self._revealed:
            self._revealed.clear()
            self.changed.emit()


class RevealDialog(QDialog):
    """Asks why the full number is needed; OK only with a reason."""

    def __init__(self, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("revealDialog")
        self.setWindowTitle(tr("显示完整号码"))
        self.setMinimumWidth(420)
        explain = QLabel(tr("将显示 {who} 的完整证件号码和电话。此操作会记入审计日志。请说明原因：", who=who))
        explain.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.setObjectName("revealReason")
        self.reason.setEditable(True)
        self.reason.addItems([tr(r) for r in REASONS])
        self.reason.setCurrentIndex(-1)
        line = self.reason.lineEdit()
        assert line is not None
        line.setPlaceholderText(tr("选择或输入原因"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("显示"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("取消"))
        ok.setEnabled(False)
        self.reason.currentTextChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)

    def reason_text(self) -> str:
        return self.reason.currentText().strip()


def ask_reveal(who: str, parent: QWidget | None = None) -> str | None:
    """The reason the worker gave, or None if they cancelled."""
    dialog = RevealDialog(who, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.reason_text():
        return dialog.reason_text()
    return None

