"""A generated password, shown once (after a reset or a creation) with a copy button."""

from __future__ import annotations

from desktop.i18n import tr
from desktop.qt import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class SecretDialog(QDialog):
    def __init__(self, username: str, password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretDialog")
        self.setWindowTitle(tr("临时密码"))
        note = QLabel(tr("{user} 的临时密码只显示这一次。请交给本人；首次登录时须修改。", user=username))
        note.setWordWrap(True)
        self.password = QLineEdit(password)
        self.password.setObjectName("secretPassword")
        self.password.setReadOnly(True)
        self.copy = QPushButton(tr("复制"))
        self.copy.setObjectName("copyPassword")
        self.copy.clicked.connect(self._copy)
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def _copy(self) -> None:
        QApplication.clipboard().setText(self.password.text())
        self.copy.setText(tr("已复制"))
