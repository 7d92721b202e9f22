"""Cyclic garbage is collected on the GUI thread, never by whichever worker thread allocates."""

from __future__ import annotations

import gc
import threading
from typing import Any

from desktop import gc_guard


def test_collection_happens_on_the_gui_thread_only(qtbot: Any, qapp: Any) -> None:
    guard = gc_guard.install(qapp)
    assert not gc.isenabled()
    threads: list[str] = []

    def note(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            threads.append(threading.current_thread().name)

    def make_garbage() -> None:
        for _ in range(50_000):
            cycle: list[Any] = []
            cycle.append(cycle)

    gc.callbacks.append(note)
    try:
        worker = threading.Thread(target=make_garbage, name="worker")
        worker.start()
        worker.join()
        assert threads == []  # the worker allocated past every threshold and collected nothing
        qtbot.waitUntil(lambda: bool(threads), timeout=3000)
        assert set(threads) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(note)
    assert guard.timer.isActive()
