"""The sync engine: push the outbox, then pull changes, between the local store and the platform.

``SyncEngine(store, client).run(progress=None, cancel=None) -> SyncSummary``

1. Push: ``store.outbox.pending(batch)`` → ``store.outbox.mark_sending`` → ``client.push`` →
   ``store.outbox.record_results``, batch after batch until the outbox is empty; the next batch is sent
   (``pending_submissions(batch, exclude=travelling ids)``) while the answers to the previous one are
   stored. Each submission carries its client UUID, so a batch resent after any interruption
   (response lost, process killed, server restarted) is answered ``duplicate`` with the first
   outcome: never a second copy.
   Then visits: ``store.visits.pending(batch)`` → ``mark_sending`` → ``client.push_visits`` →
   ``store.visits.record_results``, after the submissions (a 有变更 visit's changes land first); a
   visit id is the idempotency key as well.
   Then the store's own audit entries (``sync.client.audit_upload``): marked sent only on the
   platform's answer, keyed by device + log id + local id, so a cut sync sends them again, never twice.
2. Pull: ``client.changes(cursor, page)`` → ``store.pull.apply_changes(items, next_cursor, ...)`` page after
   page until ``has_more`` is false. The store writes a page and its cursor in one transaction, so
   the cursor only moves past what is stored; a killed sync re-reads at most one page (upserts).

``cancel`` (a ``threading.Event``) is checked between batches and pages and ends backoff waits; a
cancelled run returns its summary with ``cancelled=True``. ``progress`` is called with a
:class:`SyncProgress` after each step (phase, counts) so the GUI can show a bar. Failures do not
raise: they end the run and are listed in ``summary.errors`` (user-facing, Chinese and English), with
the exception itself in ``summary.failure`` (e.g. :class:`LoginRequired` → ask for the password).
No Qt here; the desktop runs this in a worker thread.

The platform's refusals the engine handles itself:

- 426 ``client_too_old`` (:class:`ClientTooOld`): nothing is pushed (the outbox and the visits stay
  queued, unchanged), the pull goes on; ``summary.too_old`` is the version the platform wants.
- 403 ``device_revoked`` (:class:`DeviceRevoked`): an admin revoked this device. With "push first" the
  engine pushes the outbox and the visits (the platform still takes them) and, when everything went,
  sets ``summary.wipe``; without it ``summary.wipe`` is set at once. The caller, who owns the store's
  connections, then closes them and wipes (``sync.client.revocation.wipe_local``). A push-first run
  that could not send everything (offline again) leaves the store for the next contact.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from sync.client import min_version
from sync.client.audit_upload import AuditUpload, UploadAudit
from sync.client.errors import ClientTooOld, DeviceRevoked, ProtocolError, SyncError
from sync.client.http import Cancelled
from sync.protocol import MAX_BATCH, MAX_PAGE
from sync.store.errors import StoreError

PUSH_BATCH = MAX_BATCH
PULL_PAGE = 1000


class SyncOutbox(Protocol):
    """The part of ``sync.store.Store.outbox`` the engine uses."""

    def pending(self, limit: int = 50, exclude: Any = ()) -> list[dict[str, Any]]: ...

    def open_count(self) -> int: ...

    def mark_sending(self, ids: Any) -> None: ...

    def record_results(self, results: Any) -> dict[str, int]: ...


class SyncPull(Protocol):
    """The part of ``sync.store.Store.pull`` the engine uses."""

    def cursor(self, name: str = "changes") -> str | None: ...

    def apply_changes(self, items: Any, next_cursor: str, *, cursor: str = "changes", reset: bool = False,
                      has_more: bool = False) -> dict[str, int]: ...


class SyncVisits(Protocol):
    """The part of ``sync.store.Store.visits`` the engine uses."""

    def pending(self, limit: int = 200, exclude: Any = ()) -> list[dict[str, Any]]: ...

    def mark_sending(self, ids: Any) -> None: ...

    def record_results(self, results: Any) -> dict[str, int]: ...

    def set_cycle(self, kind: str) -> None: ...


class SyncStore(Protocol):
    """The part of ``sync.store.Store`` the engine uses: its outbox, its visits and its pull."""

    @property
    def outbox(self) -> SyncOutbox: ...

    @property
    def visits(self) -> SyncVisits: ...

    @property
    def pull(self) -> SyncPull: ...

    @property
    def audit(self) -> UploadAudit: ...

    @property
    def settings(self) -> min_version.SettingsStore: ...


class SyncApi(Protocol):
    """The part of :class:`sync.client.http.ApiClient` the engine uses."""

    cancel: threading.Event | None
    #: this app's version (sent in ``X-YBT-Client``; compared with the platform's minimum)
    app_version: str

    def push(self, submissions: list[dict[str, Any]]) -> list[dict[str, Any]]: ...

    def push_visits(self, visits: list[dict[str, Any]]) -> list[dict[str, Any]]: ...

    def changes(self, since: str | None, limit: int) -> dict[str, Any]: ...

    def post(self, path: str, body: Any) -> Any: ...


@dataclass(frozen=True)
class SyncProgress:
    """A step of a run: ``phase`` is push | pull | done; ``done``/``total`` drive a progress bar
    (``total`` is None while unknown, e.g. during a pull)."""

    phase: str
    done: int
    total: int | None
    sent: int
    received: int
    message_zh: str
    message_en: str


@dataclass
class SyncSummary:
    """What a run did. ``sent`` submissions pushed (each answered: accepted, duplicate, conflict or
    rejected), ``visits_sent`` visits pushed (``visits_accepted`` of them new or already there,
    ``visits_duplicates`` already there, ``visits_rejected`` refused), ``received`` changes pulled,
    ``errors`` user-facing messages of what stopped the run."""

    sent: int = 0
    received: int = 0
    accepted: int = 0
    conflicts: int = 0
    rejected: int = 0
    duplicates: int = 0
    visits_sent: int = 0
    visits_accepted: int = 0
    visits_duplicates: int = 0
    visits_rejected: int = 0
    #: the store's own audit entries uploaded (``audit_rejected`` of them refused by the platform)
    audit_sent: int = 0
    audit_rejected: int = 0
    errors: list[str] = field(default_factory=list)
    cancelled: bool = False
    pages: int = 0
    batches: int = 0
    seconds: float = 0.0
    failure: SyncError | None = None
    #: the platform revoked this device (``failure`` is this too)
    revoked: DeviceRevoked | None = None
    #: the local store is to be wiped now (revoked, and with "push first" everything was sent)
    wipe: bool = False
    #: the platform refused the push: it wants this app version or newer
    too_old: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.cancelled

    def text(self, lang: str = "zh") -> str:
        if lang.startswith("en"):
            head = (f"sent {self.sent} (accepted {self.accepted}, duplicates {self.duplicates}, "
                    f"conflicts {self.conflicts}, rejected {self.rejected}), "
                    f"visits sent {self.visits_sent} (rejected {self.visits_rejected}), received {self.received}")
            tail = "; cancelled" if self.cancelled else ""
        else:
            head = (f"已上传 {self.sent} 份（接受 {self.accepted}，重复 {self.duplicates}，冲突 {self.conflicts}，"
                    f"退回 {self.rejected}），走访 {self.visits_sent} 次（未接受 {self.visits_rejected}），"
                    f"已下载 {self.received} 项")
            tail = "；已取消" if self.cancelled else ""
        errors = "".join(f"\n  {e}" for e in self.errors)
        return head + tail + errors


def _outcome(result: Mapping[str, Any]) -> str:
    return str(result.get("outcome") or "")


class SyncEngine:
    def __init__(self, store: SyncStore, client: SyncApi, *, push_batch: int = PUSH_BATCH,
                 pull_page: int = PULL_PAGE) -> None:
        if not 1 <= push_batch <= MAX_BATCH:
            raise ValueError(f"push_batch must be 1..{MAX_BATCH}")
        if not 1 <= pull_page <= MAX_PAGE:
            raise ValueError(f"pull_page must be 1..{MAX_PAGE}")
        self.store = store
        self.client = client
        self.push_batch = push_batch
        self.pull_page = pull_page

    def run(self, progress: Callable[[SyncProgress], None] | None = None,
            cancel: threading.Event | None = None) -> SyncSummary:
        summary = SyncSummary()
        started = time.perf_counter()
        self.client.cancel = cancel
        try:
            if self._push_all(summary, progress, cancel) and self._upload_audit(summary, progress, cancel) \
                    and self._pull(summary, progress, cancel):
                self._report(progress, summary, "done", summary.sent + summary.received, None,
                             "同步完成", "Sync finished")
        except DeviceRevoked as exc:
            self._revoked(exc, summary, progress, cancel)
        except Cancelled:
            summary.cancelled = True
        except SyncError as exc:
            summary.failure = exc
            summary.errors.append(str(exc))
        except StoreError as exc:  # a page the store refused (malformed item): nothing of it was stored
            failure = ProtocolError(str(exc))
            summary.failure = failure
            summary.errors.append(str(failure))
        finally:
            self.client.cancel = None
            summary.seconds = time.perf_counter() - started
        return summary

    def _push_all(self, summary: SyncSummary, progress: Callable[[SyncProgress], None] | None,
                  cancel: threading.Event | None) -> bool:
        """Submissions, then visits; an app the platform finds too old pushes nothing and pulls on."""
        try:
            return self._push(summary, progress, cancel) and self._push_visits(summary, progress, cancel)
        except ClientTooOld as exc:
            summary.too_old = exc.required
            summary.errors.append(str(exc))
            self.store.settings.set(min_version.KEY, exc.required or None)
            return True

    def _minimum(self, summary: SyncSummary, settings: Mapping[str, Any]) -> None:
        """The platform's minimum version from a page: an app older than it is told to update even
        when it had nothing to push (then the push never met the 426)."""
        required = min_version.note(self.store.settings, self.client.app_version, settings)
        if required is not None and summary.too_old is None:
            summary.too_old = required
            summary.errors.append(str(ClientTooOld(required, self.client.app_version)))

    def _revoked(self, exc: DeviceRevoked, summary: SyncSummary, progress: Callable[[SyncProgress], None] | None,
                 cancel: threading.Event | None) -> None:
        summary.revoked = exc
        summary.failure = exc
        summary.errors.append(str(exc))
        if not exc.push_first:
            summary.wipe = True
            return
        try:
            self._report(progress, summary, "push", summary.sent, None, "设备已被吊销：正在上传未发送的工作…",
                         "Device revoked: sending the unsent work…")
            summary.wipe = self._push(summary, progress, cancel) and self._push_visits(summary, progress, cancel) \
                and self._upload_audit(summary, progress, cancel)  # a reveal made offline is not lost with the laptop
        except DeviceRevoked as again:  # the platform takes no more: nothing left to wait for
            summary.revoked = summary.failure = again
            summary.wipe = True
        except SyncError as failed:  # offline again: keep the store until the next contact
            summary.errors.append(str(failed))

    @staticmethod
    def _report(progress: Callable[[SyncProgress], None] | None, summary: SyncSummary, phase: str,
                done: int, total: int | None, zh: str, en: str) -> None:
        if progress is not None:
            progress(SyncProgress(phase, done, total, summary.sent, summary.received, zh, en))

    @staticmethod
    def _cancelled(cancel: threading.Event | None, summary: SyncSummary) -> bool:
        if cancel is not None and cancel.is_set():
            summary.cancelled = True
            return True
        return False

    def _push(self, summary: SyncSummary, progress: Callable[[SyncProgress], None] | None,
              cancel: threading.Event | None) -> bool:
        """Batches are sent one ahead: batch k+1 travels while the answers to batch k are stored
        (the server has finished batch k when k+1 leaves). A batch whose answers are not stored
        stays 'sending' and is offered again by the next run (the server answers duplicate)."""
        answered: set[str] = set()
        to_send = self.store.outbox.open_count()
        if self._cancelled(cancel, summary):
            return False
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ybt-push") as pool:
            flight: tuple[list[str], Future[list[dict[str, Any]]]] | None = None
            done: tuple[list[str], list[dict[str, Any]]] | None = None
            try:
                batch = self.store.outbox.pending(self.push_batch)
                while True:
                    if batch:
                        ids = [str(sub["id"]) for sub in batch]
                        if all(i in answered for i in ids):
                            if done is not None:
                                self._record(progress, summary, *done, answered, to_send)
                            raise ProtocolError(f"submissions {ids[:3]} stay pending after the server answered them")
                        if done is None:
                            to_send = self._sending(progress, summary, to_send, len(batch))
                        self.store.outbox.mark_sending(ids)
                        flight = (ids, pool.submit(self.client.push, batch))
                    if done is not None:  # the previous batch's answers are stored while this one travels
                        self._record(progress, summary, *done, answered, to_send)
                        done = None
                        if flight is not None:
                            to_send = self._sending(progress, summary, to_send, len(flight[0]))
                    if flight is None:
                        return True
                    sent, results = flight[0], flight[1].result()
                    flight = None
                    done = (sent, results)
                    if self._cancelled(cancel, summary):
                        self._record(progress, summary, *done, answered, to_send)
                        return False
                    batch = self.store.outbox.pending(self.push_batch, exclude=sent)
            finally:
                if flight is not None and not flight[1].cancel():
                    with contextlib.suppress(Exception):   # answers nobody will store: resent next time
                        flight[1].result()

    def _sending(self, progress: Callable[[SyncProgress], None] | None, summary: SyncSummary, to_send: int,
                 size: int) -> int:
        to_send = max(to_send, summary.sent + size)
        self._report(progress, summary, "push", summary.sent, to_send,
                     f"正在上传 {size} 份提交…", f"Sending {size} submissions…")
        return to_send

    def _record(self, progress: Callable[[SyncProgress], None] | None, summary: SyncSummary, ids: list[str],
                results: list[dict[str, Any]], answered: set[str], to_send: int) -> None:
        self.store.outbox.record_results(results)
        answered.update(ids)
        summary.batches += 1
        summary.sent += len(ids)
        for result in results:
            outcome = _outcome(result)
            if outcome == "duplicate":
                summary.duplicates += 1
                original = result.get("original")
                outcome = _outcome(original) if isinstance(original, Mapping) else ""
            if outcome == "accepted":
                summary.accepted += 1
            elif outcome == "conflict":
                summary.conflicts += 1
            elif outcome == "rejected":
                summary.rejected += 1
        self._report(progress, summary, "push", summary.sent, max(to_send, summary.sent),
                     f"已上传 {summary.sent} 份", f"Sent {summary.sent}")

    def _push_visits(self, summary: SyncSummary, progress: Callable[[SyncProgress], None] | None,
                     cancel: threading.Event | None) -> bool:
        """Visits batch after batch (after the submissions). A batch whose answers are not stored
        stays 'sent' and is offered again, with the same bodies (answered duplicate)."""
        visits = self.store.visits
        answered: set[str] = set()
        while True:
            if self._cancelled(cancel, summary):
                return False
            batch = visits.pending(self.push_batch)
            if not batch:
                return True
            ids = [str(v["id"]) for v in batch]
            if all(i in answered for i in ids):
                raise ProtocolError(f"visits {ids[:3]} stay pending after the server answered them")
            self._report(progress, summary, "push", summary.sent + summary.visits_sent, None,
                         f"正在上传 {len(batch)} 次走访…", f"Sending {len(batch)} visits…")
            visits.mark_sending(ids)
            results = self.client.push_visits(batch)
            visits.record_results(results)
            answered.update(ids)
            summary.batches += 1
            summary.visits_sent += len(ids)
            for result in results:
                outcome = _outcome(result)
                if outcome == "duplicate":
                    summary.visits_duplicates += 1
                    summary.visits_accepted += 1
                elif outcome == "accepted":
                    summary.visits_accepted += 1
                elif outcome == "rejected":
                    summary.visits_rejected += 1

    def _upload_audit(self, summary: SyncSummary, progress: Callable[[SyncProgress], None] | None,
                      cancel: threading.Event | None) -> bool:
        """No progress step of its own: a few small requests between the push and the pull."""
        counts, finished = AuditUpload(self.store.audit, self.client).run(cancel)
        summary.audit_sent += counts.sent
        summary.audit_rejected += counts.rejected
        if not finished:
            summary.cancelled = True
        return finished

    def _pull(self, summary: SyncSummary, progress: Callable[[SyncProgress], None] | None,
              cancel: threading.Event | None) -> bool:
        """Pages are fetched one ahead: page k+1 travels while page k is being stored. The cursor
        still moves only with a stored page; a fetched page that is not stored is just dropped."""
        cursor = self.store.pull.cursor()
        if self._cancelled(cancel, summary):
            return False
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ybt-pull") as pool:
            ahead: Future[dict[str, Any]] | None = pool.submit(self.client.changes, cursor, self.pull_page)
            try:
                while ahead is not None:
                    page = ahead.result()
                    has_more = bool(page["has_more"])
                    ahead = None
                    if has_more and not (cancel is not None and cancel.is_set()):
                        ahead = pool.submit(self.client.changes, page["next_cursor"], self.pull_page)
                    items = page["items"]
                    settings = page.get("settings")
                    if isinstance(settings, Mapping) and isinstance(settings.get("visit_cycle"), str):
                        with contextlib.suppress(StoreError):  # a cycle this client does not know: keep its own
                            self.store.visits.set_cycle(settings["visit_cycle"])
                    if isinstance(settings, Mapping):
                        self._minimum(summary, settings)
                    self.store.pull.apply_changes(items, page["next_cursor"], reset=bool(page["reset"]),
                                             has_more=has_more)
                    summary.pages += 1
                    summary.received += len(items)
                    self._report(progress, summary, "pull", summary.received, None,
                                 f"已下载 {summary.received} 项", f"Received {summary.received} changes")
                    if not has_more:
                        return True
                    if self._cancelled(cancel, summary):
                        return False
            finally:
                if ahead is not None and not ahead.cancel():
                    with contextlib.suppress(Exception):   # a page nobody will store
                        ahead.result()
        return True
