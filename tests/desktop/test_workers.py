"""Background work reports back on the GUI thread; stale searches never overwrite newer answers."""

from __future__ import annotations

import threading
import time
from typing import Any

from desktop.qt import is_valid_qt_object
from desktop.workers import SerialWorker, run_in_background


def test_run_in_background_reports_result_and_error_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    gui = threading.get_ident()
    seen: list[tuple[str, object, int]] = []

    def work() -> int:
        assert threading.get_ident() != gui
        return 42

    run_in_background(work, lambda r: seen.append(("ok", r, threading.get_ident())))
    run_in_background(lambda: 1 / 0, lambda r: None, lambda e: seen.append(("err", type(e), threading.get_ident())))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=3000)
    assert ("ok", 42, gui) in seen
    assert ("err", ZeroDivisionError, gui) in seen


def test_serial_worker_drops_superseded_jobs(qtbot) -> None:  # type: ignore[no-untyped-def]
    made: list[int] = []
    def make() -> str:
        made.append(threading.get_ident())
        return "ctx"

    worker = SerialWorker(make, name="t")
    answers: list[str] = []
    gate = threading.Event()
    worker.submit("s", lambda ctx: gate.wait(2) and "first", answers.append)
    time.sleep(0.05)
    worker.submit("s", lambda ctx: "second", answers.append)
    worker.submit("s", lambda ctx: f"third:{ctx}", answers.append)
    gate.set()
    qtbot.waitUntil(lambda: "third:ctx" in answers, timeout=3000)
    qtbot.wait(50)
    assert answers == ["third:ctx"], "only the newest answer is delivered"
    assert len(made) == 1 and made[0] != threading.get_ident()
    worker.stop()


def test_serial_worker_reports_errors(qtbot) -> None:  # type: ignore[no-untyped-def]
    worker = SerialWorker(lambda: None)
    errors: list[BaseException] = []
    empty: dict[str, int] = {}
    worker.submit("k", lambda ctx: empty["missing"], lambda r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert isinstance(errors[0], KeyError)
    worker.stop()


def test_an_answer_for_a_widget_deleted_meanwhile_is_dropped(qtbot: Any) -> None:
    """A window closed while its platform call was on its way: the answer must not reach dead widgets."""
    from desktop.qt import QLabel

    label = QLabel()
    gate = threading.Event()
    got: list[object] = []
    run_in_background(lambda: gate.wait(5) and "answer", lambda r: (got.append(r), label.setText(str(r))),
                      owner=label)
    label.deleteLater()
    qtbot.waitUntil(lambda: not is_valid_qt_object(label), timeout=5000)
    gate.set()
    qtbot.wait(300)
    assert got == []
    alive = QLabel()
    run_in_background(lambda: "answer", lambda r: got.append(r), owner=alive)
    qtbot.waitUntil(lambda: got == ["answer"], timeout=5000)
