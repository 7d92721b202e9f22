"""Search as you type: debounced, run on a worker thread, newest answer wins.

``SearchBox`` is the line edit (Ctrl+F focuses it; Esc clears it). ``SearchController`` watches its
text: the first keystroke after a pause searches at once (so a single key shows results without
delay); further keystrokes within ``DEBOUNCE_MS`` are folded into one search when typing pauses.
The query runs on the ``SerialWorker`` (its own store connection), which drops searches that a
newer one has replaced; only the newest answer reaches ``results(text, rows, total)``.
The text may be a name, pinyin initials (``zw`` for 张伟), the tail of an ID number or of a phone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from desktop.i18n import tr
from desktop.qt import QKeyEvent, QLineEdit, QObject, Qt, QTimer, QWidget, Signal
from desktop.workers import SerialWorker

DEBOUNCE_MS = 120
MIN_CHARS = 1

#: ``prepare(text)`` is called on the GUI thread when a search fires (so it can capture the current
#: filters) and returns the job ``job(context) -> (rows, total)`` run on the worker thread.
Job = Callable[[Any], tuple[Sequence[Any], int]]
Prepare = Callable[[str], Job]


class SearchBox(QLineEdit):
    """The search line. Enter opens the first hit (``enter_pressed``), Down moves into the list at
    the first hit (``down_pressed``), Escape clears."""

    enter_pressed = Signal()
    down_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(300)
        self.retranslate()

    def retranslate(self) -> None:
        self.setPlaceholderText(tr("搜索姓名、拼音首字母、证件或手机尾号"))
        self.setToolTip(tr("人口：按姓名、拼音首字母（如 zw）、身份证号或手机号尾号搜索；房屋：按地址或房屋编号搜索 (Ctrl+F)"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class SearchController(QObject):
    """Turns text changes into background searches; emits ``results`` and ``cleared``."""

    results = Signal(str, object, int)  # text, rows, total
    cleared = Signal()
    failed = Signal(str)
    started = Signal(str)

    def __init__(self, box: QLineEdit, worker: SerialWorker, prepare: Prepare,
                 debounce_ms: int = DEBOUNCE_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.box = box
        self.worker = worker
        self._prepare = prepare
        self.debounce_ms = debounce_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self._last_fire = 0.0
        self.current = ""
        self.searches_run = 0
        box.textChanged.connect(self._text_changed)

    def _text_changed(self, _text: str) -> None:
        now = time.monotonic()
        if not self._timer.isActive() and (now - self._last_fire) * 1000 >= self.debounce_ms:
            self._fire()  # leading edge: the first key after a pause searches at once
        else:
            self._timer.start(self.debounce_ms)  # trailing edge: once typing pauses

    def _fire(self) -> None:
        self._last_fire = time.monotonic()
        text = self.box.text().strip()
        if text == self.current:
            return
        self.current = text
        if len(text) < MIN_CHARS:
            self.worker.submit("search", lambda _ctx: None, lambda _r: self.cleared.emit())
            return
        job = self._prepare(text)
        self.started.emit(text)
        self.worker.submit("search", lambda ctx: (text, *job(ctx)), self._deliver, self._error)

    def _deliver(self, result: object) -> None:
        assert isinstance(result, tuple)
        text, rows, total = result
        self.searches_run += 1
        self.results.emit(text, rows, int(total))

    def _error(self, exc: BaseException) -> None:
        self.failed.emit(str(exc))

    def flush(self) -> None:
        """Run a pending search now (e.g. Enter pressed)."""
        if self._timer.isActive():
            self._timer.stop()
            self._fire()
