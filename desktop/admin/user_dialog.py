"""Create or edit a user: user name (new users only), name, role, areas picked from the area tree,
an end date and whether the person is third-party staff (第三方人员)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from desktop.admin.models.area_picker import AreaPickerModel
from desktop.admin.models.users import ROLE_NAMES
from desktop.i18n import tr
from desktop.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{3,64}$")


class UserDialog(QDialog):
    """``user`` None: a new user. ``values()`` is the body of ``POST /users`` or ``PATCH /users/{id}``."""

    def __init__(self, areas: list[dict[str, Any]], user: dict[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userDialog")
        self.user = user
        self.setWindowTitle(tr("新建用户") if user is None else tr("编辑用户 {name}", name=user["username"]))
        self.username = QLineEdit(user["username"] if user else "")
        self.username.setObjectName("userUsername")
        self.username.setEnabled(user is None)
        self.display_name = QLineEdit(user["display_name"] if user else "")
        self.display_name.setObjectName("userDisplayName")
        self.role = QComboBox()
        self.role.setObjectName("userRole")
        for key, title in ROLE_NAMES.items():
            self.role.addItem(tr(str(title)), key)
        self.role.setEnabled(user is None)
        self.end_date = QLineEdit(str(user.get("end_date") or "") if user else "")
        self.end_date.setObjectName("userEndDate")
        self.end_date.setPlaceholderText(tr("例如 2026-12-31（不填：长期有效）"))
        self.third_party = QCheckBox(tr("第三方人员（合同到期后自动停用）"))
        self.third_party.setChecked(bool(user and user.get("third_party")))
        self.areas = AreaPickerModel(areas)
        self.tree = QTreeView()
        self.tree.setObjectName("userAreas")
        self.tree.setHeaderHidden(True)
        self.tree.setModel(self.areas)
        self.tree.expandAll()
        self.role.currentIndexChanged.connect(self._role_changed)
        if user is not None:
            self.role.setCurrentIndex(max(0, self.role.findData(user["role"])))
        self._role_changed()
        if user is not None:
            self.areas.set_checked(list(user.get("areas") or []))
        self.error = QLabel()
        self.error.setObjectName("userDialogError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("用户名"), self.username)
        form.addRow(tr("姓名"), self.display_name)
        form.addRow(tr("角色"), self.role)
        form.addRow(tr("结束日期"), self.end_date)
        form.addRow("", self.third_party)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(tr("区划（网格员选网格，审核员选社区，管理员选街道或区）")))
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, 560)

    def _role_changed(self, _index: int = 0) -> None:
        self.areas.set_role(str(self.role.currentData()))

    def problem(self) -> str:
        if self.user is None and not USERNAME.match(self.username.text().strip()):
            return tr("用户名只能用 3–64 个字母、数字、_ . -")
        if not self.display_name.text().strip():
            return tr("请填写姓名")
        if not self.areas.checked():
            return tr("请至少选择一个区划")
        end = self.end_date.text().strip()
        if end:
            try:
                date.fromisoformat(end)
            except ValueError:
                return tr("结束日期应写成 2026-12-31 这样")
        return ""

    def _check(self) -> None:
        problem = self.problem()
        self.error.setText(problem)
        if not problem:
            self.accept()

    def values(self) -> dict[str, Any]:
        body: dict[str, Any] = {"display_name": self.display_name.text().strip(), "areas": self.areas.checked(),
                                "third_party": self.third_party.isChecked()}
        end = self.end_date.text().strip()
        if self.user is None:
            body.update(username=self.username.text().strip(), role=str(self.role.currentData()))
            if end:
                body["end_date"] = end
        else:
            body["end_date"] = end
        return body
