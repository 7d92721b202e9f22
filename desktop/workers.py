"""Running work off the GUI thread and getting the answer back onto it.

Two tools:

- :func:`run_in_background` runs one callable on Qt's thread pool and calls ``on_done(result)`` or
  ``on_error(exception)`` back on the GUI thread. Use it for one-off slow work: logging in
  (network + key derivation), opening a store.
- :class:`SerialWorker` is one dedicated thread that runs jobs in order. Work that must stay on one
  thread (an SQLite connection may only be used by the thread that made it) goes there; only the
  *newest* job of a given ``key`` runs, so typing fast into a search box never queues stale searches.

Callbacks are delivered through queued signals, so they run on the GUI thread. Connect them to
methods of QObjects (widgets): Qt drops the call if the receiver has been destroyed meanwhile.
"""

from __future__ import annotations

import queue
import threading
import traceback
from collections.abc import Callable
from typing import Any

from desktop.qt import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


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
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


#: Relays of tasks still running (kept alive here until they report).
_live: set[_Relay] = set()


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    pool: QThreadPool | None = None,
) -> None:
    """Run ``fn()`` on the thread pool; report to ``on_done`` / ``on_error`` on the GUI thread."""
    relay = _Relay()
    _live.add(relay)

    def finish_ok(result: object) -> None:
        _live.discard(relay)
        on_done(result)

    def finish_error(exc: object) -> None:
        _live.discard(relay)
        if on_error is not None and isinstance(exc, BaseException):
            on_error(exc)

    relay.done.connect(finish_ok)
    relay.failed.connect(finish_error)
    (pool or QThreadPool.globalInstance()).start(_Task(fn, relay))


class SerialWorker(QObject):
    """One background thread running jobs in order; a newer job with the same key replaces an old one.

    ``submit(key, fn, on_done)``: ``fn(context)`` runs on the worker thread with the object made by
    ``make_context()`` (called once, on that thread: e.g. a store connection of its own);
    ``on_done(result)`` then runs on the GUI thread unless a newer job of the same key was submitted
    meanwhile (its answer would be stale).
    """

    _result = Signal(object, object, object)  # (key, generation, result)
    _error = Signal(object, object, object)
    failed = Signal(object)  # an exception no job handler took

    def __init__(self, make_context: Callable[[], Any], close_context: Callable[[Any], None] | None = None,
                 name: str = "ybt-worker") -> None:
        super().__init__()
        self._make_context = make_context
        self._close_context = close_context
        self._jobs: queue.Queue[tuple[str, int, Callable[[Any], Any]] | None] = queue.Queue()
        self._generation: dict[str, int] = {}
        self._handlers: dict[tuple[str, int], tuple[Callable[[Any], None], Callable[[BaseException], None] | None]] = {}
        self._lock = threading.Lock()
        self._result.connect(self._deliver)
        self._error.connect(self._deliver_error)
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, key: str, fn: Callable[[Any], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None] | None = None) -> None:
        with self._lock:
            generation = self._generation.get(key, 0) + 1
            self._generation[key] = generation
            self._handlers = {k: v for k, v in self._handlers.items() if k[0] != key}
            self._handlers[(key, generation)] = (on_done, on_error)
        self._jobs.put((key, generation, fn))

    def is_current(self, key: str, generation: int) -> bool:
        with self._lock:
            return self._generation.get(key) == generation

    def stop(self, timeout: float = 5.0) -> None:
        self._jobs.put(None)
        self._thread.join(timeout)

    def _loop(self) -> None:
        try:
            context = self._make_context()
        except BaseException as exc:
            self.failed.emit(exc)
            return
        try:
            while True:
                job = self._jobs.get()
                if job is None:
                    return
                key, generation, fn = job
                if not self.is_current(key, generation):
                    continue  # superseded before it started
                try:
                    result = fn(context)
                except BaseException as exc:
                    self._error.emit(key, generation, exc)
                else:
                    self._result.emit(key, generation, result)
        finally:
            if self._close_context is not None:
                self._close_context(context)

    def _deliver(self, key: object, generation: object, result: object) -> None:
        with self._lock:
            handlers = self._handlers.get((str(key), int(generation)))  # type: ignore[call-overload]
            if handlers is None or self._generation.get(str(key)) != generation:
                return
            del self._handlers[(str(key), int(generation))]  # type: ignore[call-overload]
        handlers[0](result)

    def _deliver_error(self, key: object, generation: object, exc: object) -> None:
        with self._lock:
            handlers = self._handlers.pop((str(key), int(generation)), None)  # type: ignore[call-overload]
        if handlers is None:
            return
        if handlers[1] is not None and isinstance(exc, BaseException):
            handlers[1](exc)
        else:
            self.failed.emit(exc)
