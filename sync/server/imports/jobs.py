"""Imports as background jobs: the upload is saved to a file and answered at once with the job's id;
one worker thread of the server checks (dry run) and applies, reporting progress. No request waits on
a file; a job's state is kept in memory (a restarted server forgets its jobs, never half an import:
an apply is one transaction).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sync.protocol import format_ts, utc_now
from sync.server.imports.apply import Aborted, apply_file
from sync.server.imports.check import Checked, FileProblem, check_file
from sync.server.imports.options import ImportOptions
from sync.server.scope import Principal
from sync.server.state import ServerState

#: Jobs kept (the oldest finished ones are forgotten past this), and how long a finished one is kept.
MAX_JOBS = 50
KEEP_SECONDS = 24 * 3600


@dataclass
class Job:
    id: str
    principal: Principal
    options: ImportOptions
    file: str
    path: Path
    status: str = "queued"  # queued | checking | checked | applying | applied | failed | cancelled
    phase: str = ""
    done: int = 0
    created_at: str = field(default_factory=lambda: format_ts(utc_now()))
    finished: float = 0.0
    checked: Checked | None = None
    error: dict[str, str] | None = None
    applied: bool = False
    cancel: threading.Event = field(default_factory=threading.Event)

    def view(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "status": self.status, "file": self.file, "applied": self.applied,
                               "options": self.options.to_json(), "created_at": self.created_at,
                               "progress": {"phase": self.phase, "rows": self.done}, "error": self.error}
        if self.checked is not None:
            out.update(self.checked.summary())
            out["progress"]["total"] = self.checked.rows
        return out


class Jobs:
    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ybt-import")
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.dir = Path(tempfile.mkdtemp(prefix="ybt-imports-"))

    def submit(self, principal: Principal, name: str, data: bytes, options: ImportOptions) -> Job:
        job_id = str(uuid.uuid4())
        suffix = Path(name).suffix.lower() or ".xlsx"
        path = self.dir / f"{job_id}{suffix}"
        path.write_bytes(data)
        job = Job(job_id, principal, options, name, path)
        with self.lock:
            self._forget_old()
            self.jobs[job_id] = job
        self.pool.submit(self._check, job)
        return job

    def get(self, job_id: str, principal: Principal) -> Job | None:
        job = self.jobs.get(job_id)
        if job is None or job.principal.user_id != principal.user_id:
            return None
        return job

    def apply(self, job: Job) -> None:
        job.status = "applying"
        job.phase, job.done = "checking", 0
        self.pool.submit(self._apply, job)

    def _progress(self, job: Job) -> Any:
        def report(phase: str, n: int) -> None:
            job.phase, job.done = phase, n
        return report

    def _check(self, job: Job) -> None:
        job.status, job.phase = "checking", "checking"
        try:
            with self.state.db.read() as conn:
                job.checked = check_file(self.state, conn, job.principal, job.path, job.file, job.options, job.id,
                                         progress=lambda n: self._progress(job)("checking", n),
                                         cancelled=job.cancel.is_set)
            job.status = "checked"
        except FileProblem as exc:
            self._failed(job, exc.code, exc.zh, exc.en)
        except Exception as exc:  # a bug must not leave the job "checking" forever
            self._failed(job, "internal", "检查文件时出错", f"checking the file failed ({type(exc).__name__})")
        job.finished = time.monotonic()

    def _apply(self, job: Job) -> None:
        try:
            job.checked = apply_file(self.state, job.principal, job.path, job.file, job.options, job.id,
                                     progress=self._progress(job), cancelled=job.cancel.is_set)
            job.status, job.applied, job.phase = "applied", True, "done"
        except Aborted as exc:
            job.checked = exc.checked
            self._failed(job, "errors_found", "文件有错误，按设置整批未导入（平台未作任何修改）",
                         "the file has errors and the import is set to abort: nothing was changed")
        except FileProblem as exc:
            self._failed(job, exc.code, exc.zh, exc.en)
            if exc.code == "cancelled":
                job.status = "cancelled"
        except Exception as exc:
            self._failed(job, "internal", "导入时出错，平台未作任何修改",
                         f"the import failed and changed nothing ({type(exc).__name__})")
        job.finished = time.monotonic()

    @staticmethod
    def _failed(job: Job, code: str, zh: str, en: str) -> None:
        job.status = "failed"
        job.error = {"code": code, "message": zh, "message_en": en}

    def _forget_old(self) -> None:
        now = time.monotonic()
        done = sorted((j for j in self.jobs.values() if j.finished), key=lambda j: j.finished)
        for j in done:
            if len(self.jobs) < MAX_JOBS and now - j.finished < KEEP_SECONDS:
                break
            self.jobs.pop(j.id, None)
            j.path.unlink(missing_ok=True)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.dir, ignore_errors=True)


_REGISTRY_LOCK = threading.Lock()
_ATTRIBUTE = "_import_jobs"


def jobs_of(state: ServerState) -> Jobs:
    """The import jobs of this server (made at the first import)."""
    with _REGISTRY_LOCK:
        found: Jobs | None = getattr(state, _ATTRIBUTE, None)
        if found is None:
            found = Jobs(state)
            setattr(state, _ATTRIBUTE, found)
        return found
