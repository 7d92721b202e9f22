"""The small dialogs of the area screen: add a child, rename, move a grid, retire, hand a grid over.

Each is a form with OK / Cancel; ``value()`` is what the admin chose (the screen sends it).
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import tr
from desktop.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

LEVEL_BELOW = {"district": "street", "street": "community", "community": "grid"}
LEVEL_NAMES = {"district": "区", "street": "街道", "community": "社区", "grid": "网格"}


class _Form(QDialog):
    def __init__(self, title: str, intro: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _ok_enabled(self, enabled: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(enabled)


class AddAreaDialog(_Form):
    def __init__(self, parent_area: dict[str, Any], code: str, parent: QWidget | None = None) -> None:
        self.level = LEVEL_BELOW[str(parent_area["level"])]
        super().__init__(tr("新增{level}", level=tr(LEVEL_NAMES[self.level])),
                         tr("在“{name}”下新增{level}。代码以上级代码开头，撤销过的代码不再使用。",
                            name=parent_area["name"], level=tr(LEVEL_NAMES[self.level])), parent)
        self.parent_code = str(parent_area["code"])
        self.code = QLineEdit(code)
        self.name = QLineEdit()
        self.form.addRow(tr("代码"), self.code)
        self.form.addRow(tr("名称"), self.name)
        self.name.textChanged.connect(self._check)
        self.code.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        code = self.code.text().strip()
        self._ok_enabled(bool(self.name.text().strip()) and code.isdigit() and code.startswith(self.parent_code)
                         and len(code) == len(self.parent_code) + 3)

    def value(self) -> dict[str, Any]:
        return {"code": self.code.text().strip(), "name": self.name.text().strip(), "level": self.level,
                "parent": self.parent_code}


class RenameDialog(_Form):
    def __init__(self, area: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(tr("区划改名"), tr("“{name}”（{code}）的新名称：", name=area["name"], code=area["code"]), parent)
        self.name = QLineEdit(str(area["name"]))
        self.form.addRow(tr("名称"), self.name)
        self.name.textChanged.connect(lambda text: self._ok_enabled(bool(text.strip())))

    def value(self) -> str:
        return self.name.text().strip()


def _choices(combo: QComboBox, areas: list[dict[str, Any]]) -> None:
    for a in areas:
        combo.addItem(f"{a['name']}（{a['code']}）", str(a["code"]))


class MoveDialog(_Form):
    """Choose the community a grid moves to."""

    def __init__(self, area: dict[str, Any], communities: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(tr("移动网格"), tr("把网格“{name}”移到另一个社区。网格将得到新社区下的新代码，房屋、户、人员、走访和网格员随之移动，原代码撤销。", name=area["name"]), parent)
        self.target = QComboBox()
        _choices(self.target, [c for c in communities if c["code"] != area.get("parent")])
        self.form.addRow(tr("移到社区"), self.target)
        self._ok_enabled(self.target.count() > 0)

    def value(self) -> str:
        return str(self.target.currentData())


class RetireDialog(_Form):
    """Retire an area; a grid that holds houses, households or persons names the grid they move to."""

    def __init__(self, area: dict[str, Any], grids: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        holds = int(area.get("houses") or 0) + int(area.get("households") or 0) + int(area.get("persons") or 0)
        intro = tr("撤销“{name}”（{code}）。撤销后代码保留但不再使用。", name=area["name"], code=area["code"])
        if area.get("level") == "grid" and holds:
            intro += "\n" + tr("该网格有 {houses} 处房屋、{persons} 人，须移到另一个网格。",
                               houses=area.get("houses", 0), persons=area.get("persons", 0))
        super().__init__(tr("撤销区划"), intro, parent)
        self.target = QComboBox()
        if area.get("level") == "grid":
            if not holds:
                self.target.addItem(tr("不移动（网格为空）"), None)
            _choices(self.target, [g for g in grids if g["code"] != area["code"]])
            self.form.addRow(tr("内容移到网格"), self.target)
            self._ok_enabled(self.target.count() > 0)

    def value(self) -> str | None:
        data = self.target.currentData()
        return None if data is None else str(data)


class AssignDialog(_Form):
    """Hand a grid to another worker (picked from the active workers in scope)."""

    def __init__(self, area: dict[str, Any], workers: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        now = "、".join(str(w.get("display_name")) for w in area.get("workers") or []) or tr("无")
        super().__init__(tr("移交网格"), tr("把网格“{name}”移交给另一位网格员（现为：{now}）。双方下次同步后，新网格员获得该网格的全部数据，原网格员的设备先上传未发送的工作再移除这些数据。",
                                          name=area["name"], now=now), parent)
        current = {w.get("id") for w in area.get("workers") or []}
        self.worker = QComboBox()
        for w in workers:
            if w.get("id") not in current:
                self.worker.addItem(f"{w.get('display_name')}（{w.get('username')}）", str(w.get("username")))
        self.form.addRow(tr("网格员"), self.worker)
        self._ok_enabled(self.worker.count() > 0)

    def value(self) -> str:
        return str(self.worker.currentData())
