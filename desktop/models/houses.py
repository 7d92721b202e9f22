"""The house list: one row per house (实有房屋), in address order.

Rows are the store's list rows (``id``, ``house_no``, ``address``, ``estate``, ``building``, ``unit``,
``room``, ``tags``, ``status``, ``residents``, validation and visit state). The owner's details live in
the record (opened in the editor), not in the list.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop.masking import Masker
from desktop.models.paged import Column, Fetch, PagedTableModel, Row
from desktop.models.persons import STATUS, code_text, tags_text, validation_text, visit_text


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

        columns = [
            Column("address", "地址", lambda r: _field(r, "address"), sort="address", width=260),
            Column("residents", "人数", lambda r: _field(r, "residents"), width=80, align_right=True),
            Column("tags", "标签", lambda r: tags_text(r.get("tags"), self.tag_visible, self.tag_label),
                   width=200),
            Column("validation", "校验", validation_text, sort="errors", width=80),
            Column("visit", "走访", visit_text, sort="visit_date", width=150),
            Column("status", "同步", lambda r: code_text(STATUS, r.get("status")), sort="status", width=72),
            Column("house_no", "房屋编号", lambda r: _field(r, "house_no"), sort="house_no", width=190),
        ]
        super().__init__(fetch, columns)
        masker.changed.connect(self.repaint_all)

