"""Revoking a device: who and which device, the reason (required, shown to the device's user), and
「先推送再清除」 (let the app push its unsent work before it wipes). 「吊销」 is enabled once a reason is
given; the dialog says what will happen."""

from __future__ import annotations

from typing import Any

from desktop.i18n import tr
from desktop.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class RevokeDialog(QDialog):
    def __init__(self, device: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("revokeDialog")
        self.setWindowTitle(tr("吊销设备"))
        self.setModal(True)
        who = QLabel(tr("{name}（{user}）的设备 {device}", name=device.get("display_name") or "",
                        user=device.get("username") or "", device=device.get("device_id") or ""))
        who.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("revokeReason")
        self.reason.setPlaceholderText(tr("例如：笔记本丢失"))
        self.push_first = QCheckBox(tr("先推送再清除"))
        self.push_first.setObjectName("revokePushFirst")
        self.push_first.setToolTip(tr("设备下次联网时先上传尚未发送的提交和走访，然后清除本地数据"))
        self.consequence = QLabel()
        self.consequence.setObjectName("revokeConsequence")
        self.consequence.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("原因(&R)"), self.reason)
        form.addRow("", self.push_first)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("吊销"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(form)
        layout.addWidget(self.consequence)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update)
        self.push_first.toggled.connect(self._update)
        self._update()
        self.reason.setFocus()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.reason.text().strip()))
        if self.push_first.isChecked():
            text = tr("该设备的登录立即失效，只能再上传尚未发送的工作；上传后本地数据将被清除。")
        else:
            text = tr("该设备的登录立即失效；下次联网时本地数据将被清除，尚未上传的工作随之丢失。")
        self.consequence.setText(text)

    def values(self) -> dict[str, Any]:
        return {"push_first": self.push_first.isChecked(), "reason": self.reason.text().strip()}
