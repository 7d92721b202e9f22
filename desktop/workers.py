"""Running work off the GUI thread and getting the answer back onto it.

Two tools:

- :func:`run_in_background` runs one callable on Qt's thread pool and calls ``on_done(result)`` or
  ``on_error(exception)`` back on the GUI thread. Use it for one-off slow work: logging in
  (network + key derivation), opening a store.
- :class:`SerialWorker` is one dedicated thread that runs jobs in order. Work that must stay on one
  thread (an SQLite connection may only be used by the thread that made it) goes there; only the
  *newest* job of a given ``key`` runs, so typing fast into a search box never queues stale searches.

Callbacks run on the GUI thread. Results never travel inside a cross-thread signal (PySide can
mishandle the reference count of Python objects, ``None`` in particular, passed through queued
signals): the worker puts them in a thread-safe queue and emits an argument-less signal, and the
GUI thread drains the queue.
"""

from __future__ import annotations

import itertools
import queue
import threading
import traceback
from collections.abc import Callable
from typing import Any

from desktop.qt import QObject, QRunnable, QThreadPool, Signal, is_valid_qt_object


class _Relay(QObject):
    """Lives on the GUI thread; the task stores its outcome here and then emits ``ready``."""

    ready = Signal()

    def __init__(self, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None] | None,
                 owner: QObject | None = None) -> None:
        super().__init__()
        self.on_done = on_done
        self.on_error = on_error
        #: the widget the answer is for: once it is deleted (its window closed), the answer is dropped
        self.owner = owner
        self.outcome: tuple[bool, Any] = (False, None)
        self.ready.connect(self.deliver)

    def deliver(self) -> None:
        _live.discard(self)
        ok, value = self.outcome
        self.outcome = (False, None)
        if self.owner is not None and not is_valid_qt_object(self.owner):
            return
        if ok:
            self.on_done(value)
        elif self.on_error is not None:
            self.on_error(value)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # delivered to the GUI thread, never lost
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.relay.outcome = (False, exc)
        else:
            self.relay.outcome = (True, result)
        self.relay.ready.emit()


#: Relays of tasks still running (kept alive here until they report).
_live: set[_Relay] = set()


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    pool: QThreadPool | None = None,
    owner: QObject | None = None,
) -> None:
    """Run ``fn()`` on the thread pool; report to ``on_done`` / ``on_error`` on the GUI thread — unless
    ``owner`` (the widget the answer is for) was deleted meanwhile (a window closed while it waited)."""
    relay = _Relay(on_done, on_error, owner)
    _live.add(relay)
    (pool or QThreadPool.globalInstance()).start(_Task(fn, relay))


class SerialWorker(QObject):
    """One background thread running jobs in order; a newer job with the same key replaces an old one.

    ``submit(key, fn, on_done)``: ``fn(context)`` runs on the worker thread with the object made by
    ``make_context()`` (called once, on that thread: e.g. a store connection of its own);
    ``on_done(result)`` then runs on the GUI thread unless a newer job of the same key was submitted
    meanwhile (its answer would be stale). ``background=True`` jobs (cache warm-up, read-ahead) run
    only when no ordinary job is waiting, so they never delay what the worker is waiting for.
    """

    _ready = Signal()  # outcomes are waiting in ``_outcomes``
    failed = Signal(str)  # an error no job handler took (its message)

    def __init__(self, make_context: Callable[[], Any], close_context: Callable[[Any], None] | None = None,
                 name: str = "ybt-worker") -> None:
        super().__init__()
        self._make_context = make_context
        self._close_context = close_context
        self._jobs: queue.PriorityQueue[tuple[int, int, tuple[str, int, Callable[[Any], Any]] | None]] = (
            queue.PriorityQueue())
        self._counter = itertools.count()
        self._generation: dict[str, int] = {}
        self._handlers: dict[tuple[str, int], tuple[Callable[[Any], None], Callable[[BaseException], None] | None]] = {}
        self._lock = threading.Lock()
        self._outcomes: queue.SimpleQueue[tuple[str, int, bool, Any]] = queue.SimpleQueue()
        self._ready.connect(self._drain)
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, key: str, fn: Callable[[Any], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None] | None = None, *, background: bool = False) -> None:
        with self._lock:
            generation = self._generation.get(key, 0) + 1
            self._generation[key] = generation
            self._handlers = {k: v for k, v in self._handlers.items() if k[0] != key}
            self._handlers[(key, generation)] = (on_done, on_error)
        self._jobs.put((1 if background else 0, next(self._counter), (key, generation, fn)))

    def is_current(self, key: str, generation: int) -> bool:
        with self._lock:
            return self._generation.get(key) == generation

    def stop(self, timeout: float = 5.0) -> None:
        self._jobs.put((-1, next(self._counter), None))
        self._thread.join(timeout)

    def _loop(self) -> None:
        try:
            context = self._make_context()
        except BaseException as exc:
            self._outcomes.put(("", 0, False, exc))
            self._ready.emit()
            return
        try:
            while True:
                _priority, _n, job = self._jobs.get()
                if job is None:
                    return
                key, generation, fn = job
                if not self.is_current(key, generation):
                    continue  # superseded before it started
                try:
                    outcome = (key, generation, True, fn(context))
                except BaseException as exc:
                    outcome = (key, generation, False, exc)
                self._outcomes.put(outcome)
                self._ready.emit()
        finally:
            if self._close_context is not None:
                self._close_context(context)

    def _drain(self) -> None:
        while True:
            try:
                key, generation, ok, value = self._outcomes.get_nowait()
            except queue.Empty:
                return
            with self._lock:
                handlers = self._handlers.pop((key, generation), None)
                current = self._generation.get(key) == generation
            if ok:
                if handlers is not None and current:
                    handlers[0](value)
            elif handlers is not None and handlers[1] is not None:
                handlers[1](value)
            else:
                self.failed.emit(str(value) or type(value).__name__)
