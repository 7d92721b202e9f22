"""Desktop UI benchmark: ``python -m tests.bench ui [--n PERSONS]`` (default 100,000 persons).

Builds an encrypted store holding ``n`` synthetic persons (with their houses and households, through
the store's pull API), then measures on real widgets (offscreen):

- ``start_to_window_s``: unlocking the store with the password (real Argon2id parameters), building the
  main window and painting the first screen of the person list (Python and Qt imports excluded;
  ``import_s`` reports them separately, measured in a fresh interpreter);
- ``search_*_ms``: one keystroke in the search box (committed like an input method) until the result
  rows are in the list and the list has painted them (the paint the window schedules itself; the
  previous list's paint is done before the key); over several queries (name, pinyin initials, ID
  tail, phone tail);
- ``scroll_*``: scrolling the person list from the first row to the last, one screen at a time,
  each step painted synchronously: frame count, mean, 99th percentile and maximum frame time
  (wall clock), and the GUI thread's CPU time per frame (``scroll_cpu_*``: what the frame costs
  the app itself, apart from other processes competing for the machine);
- ``jump_end_ms``: Ctrl+End from the top (the last rows fetched and painted);
- ``editor_open_*``: opening the record editor on a household of 6 and on one of its members (the
  form built from the template, the record validated with its house and household, painted).

Targets: start ≤ 2 s, keystroke ≤ 50 ms, editor on a household of 6 ≤ 150 ms, no frame over 50 ms.

Building the store takes minutes at 100,000 persons; set ``YBT_BENCH_UI_CACHE=DIR`` to build it once
into ``DIR/<n>`` and reuse it on later runs.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_N = 100_000
PASSWORD = "bench-password-1"


def build_store(folder: Path, n: int) -> tuple[Path, dict[str, Any], float]:
    from forms.synth import generate
    from sync.store import Store
    from tests.desktop.factory import area_records, grids

    profile = folder / "profile"
    user = {"username": "bench", "display_name": "王芳", "role": "worker", "areas": []}
    started = time.perf_counter()
    store = Store.create(profile, PASSWORD, user)
    items: list[dict[str, Any]] = [{"type": "area", "id": a["code"], "deleted": False, "data": a}
                                   for a in area_records()]
    records = generate(n, seed=11, grids=grids())
    items += [{"type": "entity", "id": r["id"], "deleted": False, "data": r} for r in records]
    for seq, item in enumerate(items, start=1):
        item["seq"] = seq
    batch = 5000
    for start in range(0, len(items), batch):
        chunk = items[start:start + batch]
        store.pull.apply_changes(chunk, f"{chunk[-1]['seq']}.bench", has_more=start + batch < len(items))
    sample = next(r for r in reversed(records) if r["kind"] == "person" and r["data"].get("phone"))
    store.close()
    return profile, sample, time.perf_counter() - started


def cached_store(folder: Path, n: int) -> tuple[Path, dict[str, Any], float]:
    """The store of a previous run in ``folder`` (with its sample person), else a new one kept there."""
    import json

    marker = folder / "sample.json"
    if marker.exists():
        return folder / "profile", json.loads(marker.read_text(encoding="utf-8")), 0.0
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    profile, sample, seconds = build_store(folder, n)
    marker.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    return profile, sample, seconds


def import_seconds() -> float:
    code = ("import time; t = time.perf_counter(); import desktop.main_window, desktop.app; "
            "print(time.perf_counter() - t)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    return float(done.stdout.strip().splitlines()[-1])


def process_until(condition: Any, timeout: float = 30.0) -> None:
    from desktop.qt import QApplication

    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark step did not finish")
        QApplication.processEvents()


def paint_counter() -> Any:
    from desktop.qt import QEvent, QObject

    class Counter(QObject):
        """Counts the paint events of the widget it filters."""

        def __init__(self) -> None:
            super().__init__()
            self.count = 0

        def eventFilter(self, _watched: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    return Counter()


def run(n: int | None = None) -> dict[str, float | int | str]:
    n = n or DEFAULT_N
    from desktop.app import create_application

    app = create_application(language="zh")
    from desktop.main_window import MainWindow
    from desktop.qt import QApplication, QEvent, QInputMethodEvent, QKeyEvent, Qt
    from desktop.session import Session
    from desktop.settings import AppSettings
    from sync.store import Store
    from sync.store.textindex import name_pinyin

    figures: dict[str, float | int | str] = {"persons": n}
    cache = os.environ.get("YBT_BENCH_UI_CACHE")
    with tempfile.TemporaryDirectory(prefix="ybt-bench-ui-") as tmp:
        os.environ["YBT_HOME"] = tmp
        if cache:
            profile, sample, build_s = cached_store(Path(cache) / str(n), n)
        else:
            profile, sample, build_s = build_store(Path(tmp), n)
        figures["build_store_s"] = round(build_s, 1)
        figures["import_s"] = round(import_seconds(), 3)

        # -- start: unlock + main window + first paint ---------------------------------------------
        t0 = time.perf_counter()
        store = Store.open(profile, PASSWORD)
        t_unlock = time.perf_counter()
        session = Session(Path(tmp), profile, "bench", store.settings.user(), "", "bench-device", store)
        session.reopen = store.sibling
        session.verify = lambda p: p == PASSWORD
        window = MainWindow(session, AppSettings(idle_lock_minutes=0))
        window.resize(1366, 768)
        window.show()
        table = window.person_pane.table
        viewport = table.viewport()
        assert viewport is not None
        viewport.repaint()
        QApplication.processEvents()
        t_shown = time.perf_counter()
        figures["unlock_s"] = round(t_unlock - t0, 3)
        figures["start_to_window_s"] = round(t_shown - t0, 3)
        assert window.persons.total() == n, (window.persons.total(), n)

        # -- search keystrokes -----------------------------------------------------------------------
        # typed into an idle window: the search thread has finished warming its connection (a user
        # takes longer than that to reach the box; the time is reported apart)
        warm_start = time.perf_counter()
        process_until(lambda: window.search_warmed)
        figures["search_warm_wait_s"] = round(time.perf_counter() - warm_start, 3)
        syllables, _ = name_pinyin(sample["data"]["name"])
        queries = [sample["data"]["name"][0], "".join(s[0] for s in syllables),
                   sample["data"]["id_number"][-4:], sample["data"]["phone"][-4:], sample["data"]["name"]]
        times: list[float] = []
        hits: list[int] = []
        paints = paint_counter()
        viewport.installEventFilter(paints)
        reset_at = [0]
        window.persons.modelReset.connect(lambda: reset_at.__setitem__(0, paints.count))
        for text in queries:
            window.search_box.clear()
            process_until(lambda: window.persons.query.text == "")
            viewport.repaint()  # the full list back on screen: its paint is not part of the next key
            QApplication.processEvents()
            time.sleep(0.2)  # a pause: the next key is the first of a new burst
            QApplication.processEvents()
            before = window.search.searches_run
            event = QInputMethodEvent("", [])
            event.setCommitString(text)
            window.search_box.setFocus()
            start = time.perf_counter()
            QApplication.sendEvent(window.search_box, event)
            # done when the answer is in the list and the list has been painted since (the paint
            # the window does by itself, as it would on screen)
            process_until(lambda b=before: window.search.searches_run > b and paints.count > reset_at[0])
            times.append((time.perf_counter() - start) * 1000)
            hits.append(window.persons.total())
        figures["search_queries"] = " | ".join(f"{q}:{h}" for q, h in zip(queries, hits, strict=True))
        figures["search_median_ms"] = round(statistics.median(times), 1)
        figures["search_max_ms"] = round(max(times), 1)
        # The store query alone, on a fresh connection, in CPU time of the thread running it: what a
        # keystroke costs without other processes competing for the two cores.
        fresh = store.sibling()
        cpu_costs: list[float] = []
        for text in queries:
            started = time.thread_time()
            fresh.lists.persons(query=text, sort=("name", "asc"), limit=window.persons.page_size)
            cpu_costs.append((time.thread_time() - started) * 1000)
        fresh.close()
        figures["search_query_cpu_median_ms"] = round(statistics.median(cpu_costs), 1)
        figures["search_query_cpu_max_ms"] = round(max(cpu_costs), 1)
        window.search_box.clear()
        process_until(lambda: window.persons.query.text == "" and window.persons.total() == n)

        # -- scrolling end to end -------------------------------------------------------------------
        bar = table.verticalScrollBar()
        assert bar is not None
        bar.setValue(0)
        QApplication.processEvents()
        step = max(1, bar.pageStep())
        frames: list[float] = []
        cpu: list[float] = []
        value = 0
        fetched_before = window.persons.pages_fetched
        while value < bar.maximum():
            value = min(bar.maximum(), value + step)
            start, start_cpu = time.perf_counter(), time.thread_time()
            bar.setValue(value)
            viewport.repaint()
            QApplication.processEvents()
            frames.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
        figures["scroll_frames"] = len(frames)
        figures["scroll_pages_fetched"] = window.persons.pages_fetched - fetched_before
        figures["scroll_mean_ms"] = round(statistics.fmean(frames), 2)
        figures["scroll_p99_ms"] = round(sorted(frames)[int(len(frames) * 0.99) - 1], 2)
        figures["scroll_max_ms"] = round(max(frames), 2)
        figures["scroll_frames_over_50ms"] = sum(1 for f in frames if f > 50)
        figures["scroll_cpu_mean_ms"] = round(statistics.fmean(cpu), 2)
        figures["scroll_cpu_max_ms"] = round(max(cpu), 2)
        figures["load_average_1min"] = round(os.getloadavg()[0], 2)

        # -- jump to the end ----------------------------------------------------------------------
        window.persons.refresh()
        table.scrollToTop()
        table.setFocus()
        table.setCurrentIndex(window.persons.index(0, 0))
        QApplication.processEvents()
        start = time.perf_counter()
        QApplication.sendEvent(table, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_End,
                                                Qt.KeyboardModifier.ControlModifier))
        viewport.repaint()
        QApplication.processEvents()
        figures["jump_end_ms"] = round((time.perf_counter() - start) * 1000, 1)

        figures.update(editor_figures(store))

        window.shutdown()
        window.close()
        store.close()
    app.processEvents()
    return figures


def household_of(store: Any, size: int) -> str | None:
    """A household with ``size`` members (the largest found if none has exactly that many)."""
    best: tuple[int, str | None] = (0, None)
    for offset in range(0, 20_000, 500):
        rows = store.lists.households(offset=offset, limit=500).rows
        if not rows:
            break
        for row in rows:
            count = len(store.entities.members(row["id"]))
            if count == size:
                return str(row["id"])
            best = max(best, (count, str(row["id"])))
    return best[1]


def editor_figures(store: Any) -> dict[str, float | int | str]:
    """Opening the record editor (form built from the template, validated with its links, painted)
    on a household of 6 and on one of its members; the median of several openings."""
    from desktop.editor.record_editor import RecordEditor
    from desktop.editor.session import FormSession
    from desktop.qt import QApplication

    household_id = household_of(store, 6)
    if household_id is None:
        return {"editor_open": "no household found"}
    session = FormSession.for_store(store)
    editor = RecordEditor(store, session, "worker")
    editor.resize(1200, 760)
    editor.show()
    member = store.entities.members(household_id)[0]["id"]
    figures: dict[str, float | int | str] = {"editor_household_members": len(store.entities.members(household_id))}
    for name, entity_id in (("editor_open_household_ms", household_id), ("editor_open_member_ms", member)):
        times = []
        for _ in range(7):
            start = time.perf_counter()
            editor.open(entity_id)
            editor.repaint()
            QApplication.processEvents()
            times.append((time.perf_counter() - start) * 1000)
        figures[name] = round(statistics.median(times), 1)
        figures[name.replace("_ms", "_max_ms")] = round(max(times), 1)
    editor.close()
    return figures
