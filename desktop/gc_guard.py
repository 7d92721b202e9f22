"""Python's cyclic garbage collector runs on the GUI thread only.

With automatic collection, a collection can start on whichever thread happens to allocate — a sync,
search or revalidation thread — and free Qt objects caught in reference cycles there. Destroying a
QObject off the thread that owns it crashes Qt (seen as a segmentation fault inside "Garbage-
collecting" on a worker thread). So automatic collection is switched off and a timer on the GUI
thread collects, generation by generation, with the interpreter's usual thresholds.
"""

from __future__ import annotations

import gc

from desktop.qt import QObject, QTimer

INTERVAL_MS = 500

_guard: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)

    def check(self) -> None:
        """Collect the generations whose allocation counts passed their thresholds."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return


def install(app: QObject) -> GuiThreadCollector:
    """Install the collector once for the application (idempotent)."""
    global _guard
    if _guard is None:
        _guard = GuiThreadCollector(app)
    return _guard


def uninstall() -> None:
    """Back to automatic collection (tests that leave the Qt part of the suite)."""
    global _guard
    if _guard is not None:
        _guard.timer.stop()
        _guard.deleteLater()
        _guard = None
    gc.enable()
