"""Returned work and conflicts announced: a badge on the outbox, a notice after the sync that brought
them (and once at start for what was already waiting).

What needs the worker: submissions the supervisor returned, ones the platform rejected, records in
conflict. Each is announced once; the badge counts what is still open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.i18n import tr
from desktop.qt import QMessageBox, QObject, QWidget, Signal


@dataclass
class Attention:
    """What waits for the worker, by id."""

    returned: set[str] = field(default_factory=set)     # submission ids
    rejected: set[str] = field(default_factory=set)     # submission ids
    conflicts: set[str] = field(default_factory=set)    # entity ids

    @property
    def count(self) -> int:
        return len(self.returned) + len(self.rejected) + len(self.conflicts)

    def minus(self, seen: Attention) -> Attention:
        return Attention(self.returned - seen.returned, self.rejected - seen.rejected,
                         self.conflicts - seen.conflicts)


def attention(store: Any) -> Attention:
    found = Attention()
    found.returned = {str(s["id"]) for s in store.outbox.returned()}
    found.rejected = set(store.outbox.rejected_ids())
    found.conflicts = {str(c["entity_id"]) for c in store.outbox.conflicts()}
    return found


def notice_text(new: Attention) -> str:
    lines = []
    if new.returned:
        lines.append(tr("{n} 份提交被审核员退回，请在发件箱「退回待改」中查看意见并修改。", n=len(new.returned)))
    if new.rejected:
        lines.append(tr("{n} 份提交被平台拒绝，请在发件箱中查看原因。", n=len(new.rejected)))
    if new.conflicts:
        lines.append(tr("{n} 条记录与平台上的修改冲突，请在发件箱「冲突」中逐项选择。", n=len(new.conflicts)))
    return "\n".join(lines)


class Notices(QObject):
    """``open_outbox(tab)`` is asked for when the worker chooses 「打开发件箱」 in a notice."""

    open_outbox = Signal(int)
    badge_changed = Signal(int)

    def __init__(self, store: Any, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.store = store
        self.parent_widget = parent_widget
        self.seen = Attention()
        self.box: QMessageBox | None = None
        self.last_text = ""

    def check(self) -> Attention:
        """Re-read what waits; announce what is new since the last check; update the badge. Nothing when
        the window was shut meanwhile (its store is closed: a window closed before its first event loop)."""
        shut = getattr(self.parent_widget, "is_shut", None)
        if callable(shut) and shut():
            return Attention()
        now = attention(self.store)
        new = now.minus(self.seen)
        self.seen = now
        self.badge_changed.emit(now.count)
        if new.count:
            self._announce(new)
        return new

    def _announce(self, new: Attention) -> None:
        self.last_text = notice_text(new)
        if self.box is not None:
            self.box.close()
        box = QMessageBox(QMessageBox.Icon.Information, tr("需要处理"), self.last_text,
                          QMessageBox.StandardButton.NoButton, self.parent_widget)
        box.setObjectName("work_notice")
        open_button = box.addButton(tr("打开发件箱"), QMessageBox.ButtonRole.AcceptRole)
        open_button.setObjectName("work_notice_open")
        box.addButton(tr("稍后"), QMessageBox.ButtonRole.RejectRole)
        tab = 2 if new.conflicts and not new.returned else (1 if new.returned else 0)
        box.buttonClicked.connect(lambda b: self.open_outbox.emit(tab) if b is open_button else None)
        box.setModal(False)
        box.show()
        self.box = box
