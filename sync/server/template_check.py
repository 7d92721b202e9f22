"""Uploaded workbooks are first read in a separate process with a memory and a time limit.

Reading an XLSForm is bounded before it starts (``forms.xlsform.workbook.check_limits``), but a
workbook is the most complex input the platform takes, and the reader is native code: if a file still
finds a way to exhaust memory or time, it takes down a child process, not the server. The request
waits for the answer in a thread, never in the event loop, so other users are served meanwhile.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any


def _limit_memory(memory_bytes: int) -> None:
    import os
    import resource

    os.environ["OPENBLAS_NUM_THREADS"] = "1"  # numpy (via openpyxl) would start threads it does not need
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _out_of_memory(exc: BaseException) -> bool:
    """Whether running out of memory caused ``exc`` (an import that failed for want of memory, …)."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, MemoryError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _check(data: bytes, filename: str) -> list[dict[str, Any]] | None:
    """In the child: the template's problems as JSON, or None when it loads."""
    try:
        from forms.errors import TemplateError
        from forms.xlsform import load_template

        try:
            load_template(data, filename=filename)
        except TemplateError as exc:
            return [p.to_json() for p in exc.problems]
    except Exception as exc:
        if _out_of_memory(exc):
            return [_out_of_memory_problem()]
        raise
    return None


def _out_of_memory_problem() -> dict[str, Any]:
    return _problem("too_large", "读取该工作簿所需内存超过上限",
                    "reading this workbook needs more memory than the platform allows")


def _problem(code: str, zh: str, en: str) -> dict[str, Any]:
    return {"sheet": None, "row": None, "column": None, "position": None, "code": code, "severity": "error",
            "message": f"{zh} / {en}"}


class TemplateChecker:
    """``check(data, filename)`` -> the problems (``Problem.to_json()`` dicts) or None if it loads."""

    def __init__(self, memory_bytes: int, seconds: float) -> None:
        self.memory_bytes = memory_bytes
        self.seconds = seconds
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        #: Checks running now (tests watch it).
        self.busy = 0

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_limit_memory, initargs=(self.memory_bytes,))
        return self._pool

    def _discard(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for process in list(getattr(pool, "_processes", {}).values()):  # a stuck child: end it
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def check(self, data: bytes, filename: str) -> list[dict[str, Any]] | None:
        with self._lock:  # one workbook at a time: each may use the whole memory allowance
            self.busy += 1
            future: Future[list[dict[str, Any]] | None] | None = None
            try:
                future = self._executor().submit(_check, data, filename)
                return future.result(timeout=self.seconds)
            except FutureTimeout:
                self._discard()
                return [_problem("too_slow", f"读取该工作簿超过 {self.seconds:g} 秒，已停止",
                                 f"reading this workbook took longer than {self.seconds:g} s; stopped")]
            except (BrokenProcessPool, MemoryError):  # the child died or ran out of memory
                self._discard()
                return [_out_of_memory_problem()]
            except BaseException as exc:  # anything the child raised: a damaged file, not a server fault
                if future is None or not future.done():
                    raise  # not the child's: this thread itself is being stopped
                self._discard()
                if _out_of_memory(exc):
                    return [_out_of_memory_problem()]
                return [_problem("unreadable", "无法读取该工作簿", f"cannot read this workbook: {exc}")]
            finally:
                self.busy -= 1

    def close(self) -> None:
        with self._lock:
            self._discard()
