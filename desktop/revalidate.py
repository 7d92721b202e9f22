"""Keeps the store's validation cache current in the background (after login and after each sync),
so lists can filter by validation state and by every tag in force, auto tags included."""

from __future__ import annotations

import threading
from typing import Any

from desktop.qt import QObject, Signal
from sync.validation import revalidate, validator_for


class Revalidator(QObject):
    """One background pass at a time over the entities whose validation is out of date."""

    finished = Signal(int)  # how many entities were validated

    def __init__(self, reopen: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reopen = reopen
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._again = False

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            self._again = True  # changes arrived during this pass: run once more after it
            return
        self._again = False
        self._thread = threading.Thread(target=self._run, name="ybt-revalidate", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._cancel.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        store = self._reopen()
        try:
            done = revalidate(store, validator_for(store), cancel=self._cancel)
        finally:
            store.close()
        self.finished.emit(done)
        if self._again and not self._cancel.is_set():
            self._again = False
            self._run()
