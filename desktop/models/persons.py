"""The person list: one row per person, columns the worker scans when walking a building.

Rows are the store's list rows (mappings with ``id``, ``name``, ``sex``, ``birth_date``, ``id_number``,
``phone``, ``address``, ``tags``, ``status``, ...). ID numbers and phones pass through the
:class:`~desktop.masking.Masker`; tags through the role's visibility filter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from desktop.i18n import tr
from desktop.masking import Masker
from desktop.models.paged import Column, Fetch, PagedTableModel, Row
from sync.store import VISIT_RESULTS as STORE_VISIT_RESULTS

SEX = {"1": "男", "2": "女", "0": "未知", "9": "未说明"}
POPULATION_TYPE = {"1": "户籍", "2": "流动", "3": "境外", "4": "未落户"}
STATE = {"active": "在住", "moved_out": "已迁出", "deceased": "已死亡"}
STATUS = {"synced": "已同步", "draft": "草稿", "submitted": "已提交", "returned": "已退回",
          "approved": "已通过", "conflict": "有冲突", "rejected": "被拒收", "local": "本机新增"}
#: Visit results as the store records them (Chinese codes), translated when shown.
VISIT_RESULTS: tuple[str, ...] = tuple(STORE_VISIT_RESULTS)


def validation_text(r: Row) -> str:
    """``2 个错误`` / ``1 个提醒`` / ``无问题``; empty when the record was never checked."""
    state = r.get("vstate")
    if state == "error":
        return tr("{n} 个错误", n=int(r.get("errors") or 0))
    if state == "warning":
        return tr("{n} 个提醒", n=int(r.get("warnings") or 0))
    if state == "ok":
        return tr("无问题")
    return ""


def visit_text(r: Row) -> str:
    result = str(r.get("visit_result") or "")
    if not result:
        return ""
    return f"{str(r.get('visit_date') or '')[:10]} {tr(result)}".strip()


def age_of(birth: str, today: date | None = None) -> str:
    try:
        born = date.fromisoformat(birth[:10])
    except ValueError:
        return ""
    t = today or date.today()
    years = t.year - born.year - ((t.month, t.day) < (born.month, born.day))
    return str(years) if years >= 0 else ""


def code_text(table: dict[str, str], value: object) -> str:
    text = str(value or "")
    return tr(table[text]) if text in table else text


def tags_text(tags: object, visible: Callable[[str], bool], label: Callable[[str], str]) -> str:
    if isinstance(tags, str):
        items: Iterable[str] = [t for t in tags.replace(",", " ").split() if t]
    elif isinstance(tags, Iterable):
        items = [str(t) for t in tags]
    else:
        items = []
    return "、".join(label(t) for t in items if visible(t))


class PersonListModel(PagedTableModel):
    def __init__(self, fetch: Fetch, masker: Masker, tag_visible: Callable[[str], bool],
                 tag_label: Callable[[str], str]) -> None:
        self.masker = masker
        self.tag_visible = tag_visible
        self.tag_label = tag_label

        def masked(field: str) -> Callable[[Row], str]:
            return lambda r: self.masker.show(str(r.get("id", "")), field, str(r.get(field) or ""))

        columns = [
            Column("name", "姓名", lambda r: str(r.get("name") or ""), sort="name", width=84),
            Column("sex", "性别", lambda r: code_text(SEX, r.get("sex")), width=56),
            Column("age", "年龄", lambda r: age_of(str(r.get("birth_date") or "")), sort="birth_date",
                   width=44, align_right=True, reversed_sort=True),
            Column("id_number", "身份证号", masked("id_number"), sort="id_number", width=156),
            Column("phone", "电话", masked("phone"), width=104),
            Column("address", "现住地址", lambda r: str(r.get("address") or ""), sort="address", width=200),
            Column("tags", "标签", lambda r: tags_text(r.get("tags"), self.tag_visible, self.tag_label),
                   width=170),
            Column("validation", "校验", validation_text, sort="errors", width=76),
            Column("state", "状态", lambda r: code_text(STATE, r.get("state")), width=64),
            Column("status", "同步", lambda r: code_text(STATUS, r.get("status")), sort="status", width=64),
        ]
        super().__init__(fetch, columns)
        masker.changed.connect(self.repaint_all)
