"""The house list: one row per house (实有房屋), in address order.

Rows are the store's list rows (``id``, ``house_no``, ``address``, ``estate``, ``building``, ``unit``,
``room``, ``tags``, ``status`` and the house's data fields the store passes along). The owner's ID
number and phone are masked like a person's.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop.i18n import tr
from desktop.masking import Masker
from desktop.models.paged import Column, Fetch, PagedTableModel, Row
from desktop.models.persons import STATUS, code_text, tags_text

OCCUPANCY = {"1": "自住", "2": "出租", "3": "部分出租", "4": "空置", "5": "借住"}


def _field(r: Row, name: str) -> str:
    if r.get(name) not in (None, ""):
        return str(r[name])
    data = r.get("data")
    if isinstance(data, dict) and data.get(name) not in (None, ""):
        return str(data[name])
    return ""


class HouseListModel(PagedTableModel):
    def __init__(self, fetch: Fetch, masker: Masker, tag_visible: Callable[[str], bool],
                 tag_label: Callable[[str], str]) -> None:
        self.masker = masker
        self.tag_visible = tag_visible
        self.tag_label = tag_label

        def masked(field: str) -> Callable[[Row], str]:
            return lambda r: self.masker.show(str(r.get("id", "")), field, _field(r, field))

        columns = [
            Column("house_no", "房屋编号", lambda r: _field(r, "house_no"), sort="house_no", width=120),
            Column("address", "地址", lambda r: _field(r, "address"), sort="address", width=240),
            Column("occupancy", "居住状态", lambda r: code_text(OCCUPANCY, _field(r, "occupancy")), width=72),
            Column("residents", "人数", lambda r: _field(r, "residents"), sort="residents", width=48,
                   align_right=True),
            Column("owner_name", "房主", lambda r: _field(r, "owner_name"), width=80),
            Column("owner_phone", "房主电话", masked("owner_phone"), width=110),
            Column("tags", "标签", lambda r: tags_text(r.get("tags"), self.tag_visible, self.tag_label),
                   width=160),
            Column("status", "同步", lambda r: code_text(STATUS, r.get("status")), sort="status", width=64),
        ]
        super().__init__(fetch, columns)
        masker.changed.connect(self.repaint_all)

    def header_tip(self) -> str:
        return tr("双击打开房屋")
