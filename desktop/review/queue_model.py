"""The review queue as a Qt table model: one row per submission of the page the platform sent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from desktop.i18n import tr
from desktop.qt import QAbstractTableModel, QColor, QModelIndex, QPersistentModelIndex, Qt
from desktop.review.values import STATUS_NAMES, change_name

#: (key, Chinese header) in display order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("submitted_at", "提交时间"), ("author", "提交人"), ("grid", "网格"), ("entities", "记录"),
    ("note", "说明"), ("check", "检查结果"), ("status", "状态"),
)
ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1

AnyIndex = QModelIndex | QPersistentModelIndex


def local_time(value: Any) -> str:
    """``2026-11-21T10:00:00Z`` -> the local ``2026-11-21 18:00``; unreadable values as they are."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def check_text(validation: Any) -> str:
    """The worker's own check before submitting (``client_validation``) in a few words."""
    if not isinstance(validation, Mapping):
        return tr("未检查")
    errors = int(validation.get("errors") or 0)
    warnings = int(validation.get("warnings") or 0)
    if not errors and not warnings:
        return tr("检查通过")
    parts = []
    if errors:
        parts.append(tr("{n} 个错误", n=errors))
    if warnings:
        parts.append(tr("{n} 个提醒", n=warnings))
    return "，".join(parts)


def entities_text(entities: Any) -> str:
    if not isinstance(entities, list):
        return ""
    parts = []
    for e in entities:
        if not isinstance(e, Mapping):
            continue
        parts.append(f"{change_name(e.get('op'), e.get('kind'))} {e.get('label') or ''}".strip())
    return "；".join(parts)


class ReviewQueueModel(QAbstractTableModel):
    def __init__(self, area_names: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.items: list[dict[str, Any]] = []
        self.total = 0
        self.offset = 0
        self.area_names = dict(area_names or {})

    def set_page(self, items: Sequence[Mapping[str, Any]], total: int, offset: int) -> None:
        self.beginResetModel()
        self.items = [dict(i) for i in items if isinstance(i, Mapping)]
        self.total = int(total)
        self.offset = int(offset)
        self.endResetModel()

    def clear(self) -> None:
        self.set_page([], 0, 0)

    def submission_id(self, row: int) -> str:
        return str(self.items[row].get("submission_id") or "") if 0 <= row < len(self.items) else ""

    def row_of(self, submission_id: str) -> int:
        return next((r for r, i in enumerate(self.items) if i.get("submission_id") == submission_id), -1)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.items) - 1, len(COLUMNS) - 1))

    # -- Qt -------------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return tr(COLUMNS[section][1])
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(self.offset + section + 1)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.items):
            return None
        item = self.items[index.row()]
        key = COLUMNS[index.column()][0]
        if role == ID_ROLE:
            return item.get("submission_id")
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, key)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("entities", "note"):
            return self._text(item, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "check":
            validation = item.get("client_validation")
            if isinstance(validation, Mapping) and int(validation.get("errors") or 0):
                return QColor("#b3261e")
        return None

    def _text(self, item: Mapping[str, Any], key: str) -> str:
        if key == "submitted_at":
            return local_time(item.get("submitted_at") or item.get("received_at"))
        if key == "author":
            author = item.get("author")
            if isinstance(author, Mapping):
                return str(author.get("display_name") or author.get("username") or "")
            return ""
        if key == "grid":
            code = str(item.get("grid") or "")
            return self.area_names.get(code, code)
        if key == "entities":
            return entities_text(item.get("entities"))
        if key == "note":
            return str(item.get("note") or "")
        if key == "check":
            return check_text(item.get("client_validation"))
        status = str(item.get("status") or "")
        text = tr(STATUS_NAMES.get(status, status))
        return text + (tr("（重新提交）") if item.get("resubmits") else "")
