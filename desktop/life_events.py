"""Visits and life events: what happens at a door, each one a user action in the store.

- record a visit on a house (date, 已核实 / 有变更 / 无人在家 / 拒访, note);
- add a house; add a person (newborn, moved in, new tenant) to a house and household;
- move a person to another house or household;
- mark a person moved out or deceased (kept in history, never deleted).
Each becomes part of the next submission of that house's work.
"""

from __future__ import annotations

from typing import Any

from desktop.current_record import Target
from desktop.i18n import tr
from desktop.qt import (
    QButtonGroup,
    QComboBox,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from forms.life_events import household_title, newborn_values
from sync.store import VISIT_RESULTS, StoreError

ADD_REASONS = ("新生儿", "迁入", "新租户", "漏登补录")
STATE_REASONS = {"moved_out": ("迁往外地", "迁往本区其他地址", "出国（境）", "其他"), "deceased": ()}


def _date_edit(parent: QWidget) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate(), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMaximumDate(QDate.currentDate())
    return edit


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(tr("确定"))
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class _StoreDialog(QDialog):
    """A dialog whose OK runs one store action; a refused action shows why and keeps the dialog open."""

    def __init__(self, store: Any, title: str, target: Target | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.target = target
        self.setWindowTitle(title)
        self.result_id: str | None = None
        #: what this dialog will change, in words (and what it will not, when the list and the
        #: editor show different records)
        self.target_label = QLabel(target.headline() if target else "")
        self.target_label.setObjectName("dialog_target")
        self.target_label.setStyleSheet("font-weight:bold")
        self.caution = QLabel(target.caution() if target else "")
        self.caution.setObjectName("dialog_caution")
        self.caution.setStyleSheet("color:#b9770e")
        self.caution.setWordWrap(True)
        self.caution.setVisible(bool(self.caution.text()))
        self.form = QFormLayout()
        self.error = QLabel("")
        self.error.setObjectName("dialog_error")
        self.error.setStyleSheet("color:#c0392b")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        if target is not None:
            layout.addWidget(self.target_label)
            layout.addWidget(self.caution)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self))

    def act(self) -> str | None:  # each dialog below defines its action
        return None

    def accept(self) -> None:
        try:
            self.result_id = self.act()
        except (StoreError, ValueError) as exc:
            self.error.setText(str(exc))
            return
        super().accept()


class VisitDialog(_StoreDialog):
    def __init__(self, store: Any, house: Target, parent: QWidget | None = None) -> None:
        super().__init__(store, tr("记录走访"), house, parent)
        self.setObjectName("visit_dialog")
        self.house_id = house.id
        self.when = _date_edit(self)
        self.results = QButtonGroup(self)
        row = QHBoxLayout()
        for i, result in enumerate(VISIT_RESULTS):
            button = QRadioButton(tr(result), self)
            button.setObjectName(f"visit_result_{i}")
            self.results.addButton(button, i)
            row.addWidget(button)
        self.results.button(0).setChecked(True)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("visit_note")
        self.note.setMaximumHeight(80)
        self.form.addRow(tr("走访日期"), self.when)
        self.form.addRow(tr("走访结果"), row)
        self.form.addRow(tr("备注"), self.note)

    def act(self) -> str:
        result = VISIT_RESULTS[self.results.checkedId()]
        return str(self.store.visits.record(self.house_id, self.when.date().toString("yyyy-MM-dd"),
                                           result, self.note.toPlainText().strip()))


class AddHouseDialog(_StoreDialog):
    def __init__(self, store: Any, grids: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(store, tr("新增房屋"), None, parent)
        self.setObjectName("add_house_dialog")
        self.grid = QComboBox(self)
        for code, name in grids:
            self.grid.addItem(f"{name}（{code}）", code)
        self.parts: dict[str, QLineEdit] = {}
        for name, label in (("estate", "小区"), ("building", "楼栋"), ("unit", "单元"), ("floor", "楼层"),
                            ("room", "室")):
            edit = QLineEdit(self)
            edit.setObjectName(f"house_{name}")
            self.parts[name] = edit
            self.form.addRow(tr(label), edit)
        self.form.insertRow(0, tr("所属网格"), self.grid)

    def act(self) -> str:
        data = {k: e.text().strip() for k, e in self.parts.items() if e.text().strip()}
        if not data.get("estate") or not data.get("room"):
            raise ValueError(tr("请至少填写小区和室号"))
        data["address"] = "".join(data.get(k, "") + s for k, s in (("estate", ""), ("building", "幢"),
                                                                    ("unit", "单元"), ("room", "室"))
                                  if data.get(k))
        return str(self.store.edits.create("house", "house", str(self.grid.currentData()), data))


def household_items(store: Any, house_id: str) -> list[tuple[str, str]]:
    """The households of a house as a picker names them: 户号, the head's name, how many members."""
    items = []
    for hh in store.entities.households(house_id):
        members = store.entities.members(hh["id"])
        number, head, count = household_title(hh, members)
        text = tr("户号 {no}", no=number or hh["id"][:8])
        if head:
            text += tr(" · 户主 {name}", name=head)
        text += tr("（{n} 人）", n=count)
        items.append((text, str(hh["id"])))
    return items


class AddPersonDialog(_StoreDialog):
    """A newborn, a mover-in or a new tenant: name and reason here, the rest in the editor.

    A newborn takes what the household already knows (``forms.life_events.newborn_values``): the
    registration of the head, the ethnic group of the mother, the relation 子/女 from the sex, the
    birth date given here."""

    NEW_HOUSEHOLD = "__new__"

    def __init__(self, store: Any, house: Target, parent: QWidget | None = None) -> None:
        super().__init__(store, tr("新增人员"), house, parent)
        self.setObjectName("add_person_dialog")
        self.house = house.entity
        self.reason = QComboBox(self)
        self.reason.setObjectName("person_reason")
        for r in ADD_REASONS:
            self.reason.addItem(tr(r), r)
        self.name = QLineEdit(self)
        self.name.setObjectName("person_name")
        self.household = QComboBox(self)
        self.household.setObjectName("person_household")
        for text, hh_id in household_items(store, self.house["id"]):
            self.household.addItem(text, hh_id)
        self.household.addItem(tr("新建一户"), self.NEW_HOUSEHOLD)
        self.sex = QComboBox(self)
        self.sex.setObjectName("person_sex")
        for code, label in (("", ""), ("1", "男"), ("2", "女")):
            self.sex.addItem(tr(label), code)
        self.born = _date_edit(self)
        self.born.setObjectName("person_birth_date")
        self.mother = QComboBox(self)
        self.mother.setObjectName("person_mother")
        self.form.addRow(tr("原因"), self.reason)
        self.form.addRow(tr("姓名"), self.name)
        self.form.addRow(tr("所在户"), self.household)
        self.form.addRow(tr("性别"), self.sex)
        self.form.addRow(tr("出生日期"), self.born)
        self.form.addRow(tr("母亲"), self.mother)
        self.reason.currentIndexChanged.connect(lambda _i: self._reason_changed())
        self.household.currentIndexChanged.connect(lambda _i: self._fill_mothers())
        self._fill_mothers()
        self._reason_changed()

    def _newborn(self) -> bool:
        return str(self.reason.currentData()) == "新生儿"

    def _reason_changed(self) -> None:
        for widget in (self.sex, self.born, self.mother):
            widget.setVisible(self._newborn())
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(self._newborn())

    def _members(self) -> list[dict[str, Any]]:
        household_id = str(self.household.currentData())
        if household_id == self.NEW_HOUSEHOLD:
            return []
        return list(self.store.entities.members(household_id))

    def _fill_mothers(self) -> None:
        self.mother.clear()
        self.mother.addItem(tr("（不选）"), "")
        for member in self._members():
            data = member.get("data") or {}
            if str(data.get("sex") or "") == "2" and member.get("state", "active") == "active":
                self.mother.addItem(str(data.get("name") or member["id"][:8]), member["id"])

    def act(self) -> str:
        name = self.name.text().strip()
        if not name:
            raise ValueError(tr("请填写姓名"))
        household_id = str(self.household.currentData())
        grid = self.house.get("grid") or ""
        members = self._members()
        if household_id == self.NEW_HOUSEHOLD:
            household_id = self.store.edits.create("household", "household", grid, {"household_type": "1"},
                                                    house_id=self.house["id"])
        data: dict[str, Any] = {"name": name, "living_here": "yes"}
        reason = str(self.reason.currentData())
        if reason == "新租户":
            data["residence_type"] = "2"
        if reason == "新生儿":
            data.update(newborn_values(members, self.born.date().toString("yyyy-MM-dd"),
                                       str(self.sex.currentData() or ""), str(self.mother.currentData() or "")))
        return str(self.store.edits.create("person", "person", grid, data, house_id=self.house["id"],
                                            household_id=household_id))


class MoveDialog(_StoreDialog):
    """Move a person to another house (found by address) and household."""

    def __init__(self, store: Any, person: Target, parent: QWidget | None = None) -> None:
        super().__init__(store, tr("迁移到其他房屋或户"), person, parent)
        self.setObjectName("move_dialog")
        self.person = person.entity
        self.search = QLineEdit(self)
        self.search.setObjectName("move_search")
        self.search.setPlaceholderText(tr("输入地址查找房屋"))
        self.houses = QListWidget(self)
        self.houses.setObjectName("move_houses")
        self.household = QComboBox(self)
        self.household.setObjectName("move_household")
        self.search.textChanged.connect(self._find)
        self.houses.currentItemChanged.connect(self._house_chosen)
        self.form.addRow(tr("查找房屋"), self.search)
        self.form.addRow("", self.houses)
        self.form.addRow(tr("所在户"), self.household)
        self._find("")

    def _find(self, text: str) -> None:
        self.houses.clear()
        page = self.store.lists.houses(query=text.strip() or None, limit=50)
        for row in page.rows:
            item = QListWidgetItem(str(row.get("address") or row.get("house_no") or row["id"]))
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            self.houses.addItem(item)

    def _house_chosen(self, item: QListWidgetItem | None) -> None:
        self.household.clear()
        if item is None:
            return
        for text, hh_id in household_items(self.store, str(item.data(Qt.ItemDataRole.UserRole))):
            self.household.addItem(text, hh_id)
        self.household.addItem(tr("新建一户"), AddPersonDialog.NEW_HOUSEHOLD)

    def act(self) -> str:
        item = self.houses.currentItem()
        if item is None:
            raise ValueError(tr("请选择目标房屋"))
        house_id = str(item.data(Qt.ItemDataRole.UserRole))
        household_id = str(self.household.currentData())
        if household_id == AddPersonDialog.NEW_HOUSEHOLD:
            house = self.store.entities.get(house_id)
            household_id = self.store.edits.create("household", "household", house.get("grid") or "",
                                                    {"household_type": "1"}, house_id=house_id)
        self.store.edits.move_person(self.person["id"], house_id, household_id, reason=tr("迁移"))
        return str(self.person["id"])


class StateDialog(_StoreDialog):
    """Mark a person moved out or deceased: the record stays, with the date and the reason."""

    def __init__(self, store: Any, person: Target, state: str, parent: QWidget | None = None) -> None:
        title = tr("登记迁出") if state == "moved_out" else tr("登记死亡")
        super().__init__(store, title, person, parent)
        self.setObjectName(f"state_dialog_{state}")
        self.person = person.entity
        self.state = state
        self.when = _date_edit(self)
        self.when.setObjectName("state_date")
        self.reason = QComboBox(self)
        self.reason.setObjectName("state_reason")
        self.reason.setEditable(True)
        for r in STATE_REASONS.get(state, ()):
            self.reason.addItem(tr(r), r)
        self.form.addRow(tr("日期"), self.when)
        if state == "moved_out":
            self.form.addRow(tr("原因"), self.reason)

    def act(self) -> str:
        when = self.when.date().toString("yyyy-MM-dd")
        reason = self.reason.currentText().strip() or None if self.state == "moved_out" else None
        self.store.edits.set_state(self.person["id"], self.state, when, reason)
        return str(self.person["id"])
