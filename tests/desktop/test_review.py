"""The supervisor's screens against the real platform on loopback: the queue, the before/after panel,
approving and returning with field comments, the dashboard's counts and charts, offline and errors."""

from __future__ import annotations

import ast
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desktop.editor.session import FormSession
from desktop.main_window import MainWindow
from desktop.masking import Masker
from desktop.qt import Qt
from desktop.review import attach_review
from desktop.review.api import ReviewApi
from desktop.review.dashboard import Dashboard
from desktop.review.review_screen import ReviewScreen
from desktop.session import authenticate
from desktop.sync_bootstrap import initial_sync
from forms.model import EntityKind
from sync.client.http import ApiClient, RetryPolicy
from tests.desktop.conftest import make_session
from tests.desktop.helpers import when_modal
from tests.desktop.platform import PASSWORD, SUPERVISOR, WORKER
from tests.desktop.platform import api_as as login_as

pytestmark = pytest.mark.gui
WAIT = 30000


@pytest.fixture
def supervisor(platform: Any, tmp_path: Path) -> Iterator[Any]:
    session = authenticate(tmp_path / "sup", platform.url, SUPERVISOR, PASSWORD, initial_sync=initial_sync)
    yield session
    session.close()


def api_as(platform: Any, username: str) -> ApiClient:
    return login_as(platform.url, username)


def worker_person(worker: ApiClient) -> dict[str, Any]:
    """A person of the worker's grid that has a phone number (straight from the platform)."""
    page = worker.changes(None, 2000)
    for item in page["items"]:
        data = item.get("data") or {}
        if item["type"] == "entity" and data.get("kind") == "person" and data["data"].get("phone") \
                and data.get("state") == "active":
            return dict(data)
    raise AssertionError("no person with a phone in the worker's grid")


def submit_phone(worker: ApiClient, person: dict[str, Any], phone: str, note: str = "走访核实电话",
                 tags_add: tuple[str, ...] = ()) -> str:
    """The worker submits a new phone for ``person``; returns the pending submission's id."""
    sid = str(uuid.uuid4())
    results = worker.push([{
        "id": sid, "device_id": worker.device_id, "created_at": datetime.now(UTC).isoformat(), "note": note,
        "patches": [{"entity_id": person["id"], "kind": "person", "op": "update", "base_rev": person["rev"],
                     "set": {"phone": phone}, "tags_add": list(tags_add), "tags_remove": [], "state": None}],
        "client_validation": {"ok": True, "errors": 0, "warnings": 1}}])
    assert results[0]["outcome"] == "accepted" and results[0]["status"] == "pending_review", results
    return sid


def new_phone() -> str:
    return "139" + str(uuid.uuid4().int)[:8]


def screen_for(qtbot: Any, session: Any) -> Any:
    masker = Masker(lambda *_a: None)
    screen = ReviewScreen(ReviewApi.for_session(session), FormSession.for_store(session.store), masker)
    qtbot.addWidget(screen)
    screen.resize(1200, 800)
    return screen


def open_submission(qtbot: Any, screen: Any, sid: str) -> None:
    qtbot.waitUntil(lambda: screen.queue.refresh_button.isEnabled(), timeout=WAIT)
    with qtbot.waitSignal(screen.queue.loaded, timeout=WAIT):
        screen.queue.refresh(reset=True)
    row = screen.queue.model.row_of(sid)
    while row < 0 and screen.queue.next_button.isEnabled():
        with qtbot.waitSignal(screen.queue.loaded, timeout=WAIT):
            screen.queue.page(1)
        row = screen.queue.model.row_of(sid)
    assert row >= 0, "the submission is in the queue"
    screen.queue.table.selectRow(row)
    qtbot.waitUntil(lambda: screen.panel.detail is not None and screen.panel.detail["submission_id"] == sid,
                    timeout=WAIT)


def cells(screen: Any) -> list[list[str]]:
    view = screen.panel.views[0]
    return [[view.table.item(r, c).text() for c in range(3)] for r in range(view.table.rowCount())]


def test_queue_shows_the_submission_and_the_panel_its_change(qtbot: Any, platform: Any, supervisor: Any) -> None:
    worker = api_as(platform, WORKER)
    person = worker_person(worker)
    phone = new_phone()
    tag = next(t for t in ("在校学生", "离退休人员") if t not in person["tags"])
    sid = submit_phone(worker, person, phone, note="核对电话号码 <b>", tags_add=(tag,))
    screen = screen_for(qtbot, supervisor)
    open_submission(qtbot, screen, sid)
    model = screen.queue.model
    row = model.row_of(sid)
    texts = [model.index(row, c).data() for c in range(model.columnCount())]
    assert texts[1] == "王芳"
    assert person["data"]["name"] in texts[3] and "修改人员" in texts[3]
    assert texts[4] == "核对电话号码 <b>"
    assert texts[5] == "1 个提醒"
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "提交时间", "提交人", "网格", "记录", "说明", "检查结果"]

    template: Any = FormSession.for_store(supervisor.store).template("person")
    label = template.field_label("phone", "zh")
    rows = cells(screen)
    assert [r[0] for r in rows] == [label]
    before, after = rows[0][1], rows[0][2]
    assert after == phone[:3] + "****" + phone[-4:], "phones are masked until revealed"
    assert before.endswith(person["data"]["phone"][-4:]) and "****" in before
    assert "核对电话号码 &lt;b&gt;" in screen.panel.header.text(), "the worker's text is not markup"
    assert "按模板 person 2026.1 提交" in screen.panel.header.text(), "the version it was made under"
    assert f"新增标签：{tag}" in screen.panel.views[0].summary.text()
    assert screen.panel.approve_button.isEnabled() and screen.panel.return_button.isEnabled()

    # Revealing is a logged act; then the full numbers show.
    logged: list[tuple[str, str]] = []
    screen.panel.masker._audit = lambda action, eid, _d: logged.append((action, eid))
    screen.panel._ask_reason = lambda _who: "电话联系居民"
    screen.panel.views[0].reveal_button.click()
    assert logged == [("reveal", person["id"])]
    assert cells(screen)[0][2] == phone


def test_approve_applies_it_on_the_platform_and_it_leaves_the_queue(qtbot: Any, platform: Any,
                                                                   supervisor: Any) -> None:
    worker = api_as(platform, WORKER)
    person = worker_person(worker)
    phone = new_phone()
    sid = submit_phone(worker, person, phone)
    screen = screen_for(qtbot, supervisor)
    open_submission(qtbot, screen, sid)
    with qtbot.waitSignal(screen.panel.decided, timeout=WAIT) as got:
        screen.panel.approve_button.click()
    assert got.args == [sid, "approved"]
    qtbot.waitUntil(lambda: screen.queue.model.row_of(sid) < 0 and screen.queue.refresh_button.isEnabled(),
                    timeout=WAIT)
    qtbot.waitUntil(lambda: "已通过" in screen.panel.message.text(), timeout=WAIT)
    assert api_as(platform, SUPERVISOR).get(f"/entities/{person['id']}")["data"]["phone"] == phone

    # The history of the record is there on demand, with the approved change.
    screen.queue.set_status("approved")
    open_submission(qtbot, screen, sid)
    assert screen.panel.detail["status"] == "approved"
    assert not screen.panel.approve_button.isEnabled()
    with qtbot.waitSignal(screen.panel.history_shown, timeout=WAIT):
        screen.panel.views[0].history_button.click()
    table = screen.panel.history_dialog.table
    fields = [table.item(r, 2).text() for r in range(table.rowCount())]
    person_template: Any = FormSession.for_store(supervisor.store).template("person")
    assert person_template.field_label("phone") in fields
    screen.panel.history_dialog.close()


def test_approving_over_a_newer_master_record_says_conflict_and_suggests_returning(
        qtbot: Any, platform: Any, supervisor: Any) -> None:
    worker = api_as(platform, WORKER)
    person = worker_person(worker)
    sid = submit_phone(worker, person, new_phone())
    # The supervisor (applied at once) changes the same field meanwhile.
    sup = api_as(platform, SUPERVISOR)
    sup.push([{"id": str(uuid.uuid4()), "device_id": "sup", "created_at": datetime.now(UTC).isoformat(),
               "patches": [{"entity_id": person["id"], "kind": "person", "op": "update", "base_rev": person["rev"],
                            "set": {"phone": new_phone()}, "tags_add": [], "tags_remove": [], "state": None}]}])
    screen = screen_for(qtbot, supervisor)
    open_submission(qtbot, screen, sid)
    with qtbot.waitSignal(screen.panel.failed, timeout=WAIT) as got:
        screen.panel.approve_button.click()
    assert "冲突" in got.args[0] and "退回" in got.args[0]
    qtbot.waitUntil(lambda: "冲突" in screen.panel.views[0].table.item(0, 3).text(), timeout=WAIT)
    assert "退回" in screen.panel.message.text()
    assert "Traceback" not in screen.panel.message.text()
    assert screen.panel.return_button.isEnabled(), "it can still be returned"


def test_return_with_a_field_comment_reaches_the_worker(qtbot: Any, platform: Any, supervisor: Any,
                                                        tmp_path: Path) -> None:
    worker_session = authenticate(tmp_path / "wk", platform.url, WORKER, PASSWORD, initial_sync=initial_sync)
    try:
        from desktop.sync_ui import SyncPanel

        store = worker_session.store
        person = next(p for p in (store.entities.get(r["id"]) for r in store.lists.persons(limit=50).rows)
                      if p["status"] == "synced" and p["data"].get("phone"))
        store.edits.save_draft(person["id"], dict(person["data"], phone=new_phone()))
        sid = store.outbox.submit([person["id"]], note="电话变更")
        panel = SyncPanel(worker_session)
        qtbot.addWidget(panel)
        with qtbot.waitSignal(panel.synced, timeout=60000):
            panel.start()
        screen = screen_for(qtbot, supervisor)
        open_submission(qtbot, screen, sid)
        assert screen.panel.views[0].select_field("phone")
        fields = screen.panel.selected_fields()
        assert [(f[0], f[2]) for f in fields] == [(person["id"], "phone")]

        def comment_and_return(dialog: Any) -> None:
            assert dialog.objectName() == "returnDialog"
            assert [dialog.table.item(0, 1).text()] == [fields[0][3]]
            assert not dialog.ok.isEnabled(), "a return needs a reason"
            dialog.overall.setPlainText("请入户核实")
            dialog.set_field_comment(0, "号码少一位")
            assert dialog.ok.isEnabled()
            dialog.ok.click()

        when_modal(comment_and_return)
        with qtbot.waitSignal(screen.panel.decided, timeout=WAIT) as got:
            screen.panel.return_button.click()
        assert got.args == [sid, "returned"]
        with qtbot.waitSignal(panel.synced, timeout=60000):
            panel.start()
        returned = {r["id"]: r for r in worker_session.store.outbox.returned()}
        assert sid in returned
        assert returned[sid]["comment"] == "请入户核实"
        assert [(c["field"], c["comment"]) for c in returned[sid]["comments"]] == [("phone", "号码少一位")]
    finally:
        worker_session.close()


def test_dashboard_shows_the_community_counts_and_charts(qtbot: Any, platform: Any, supervisor: Any) -> None:
    dashboard: Any = Dashboard(ReviewApi.for_session(supervisor), "青波门社区")
    qtbot.addWidget(dashboard)
    with qtbot.waitSignal(dashboard.loaded, timeout=WAIT):
        dashboard.refresh()
    truth = api_as(platform, SUPERVISOR).get("/stats")
    assert truth["persons"] > 0
    assert dashboard.cards["persons"].value.text() == f"{truth['persons']:,}"
    assert dashboard.cards["review_queue"].value.text() == f"{truth['review_queue']:,}"
    bars = dashboard.area_view.chart().series()[0].barSets()[0]
    assert [int(bars.at(i)) for i in range(bars.count())] == [c["persons"] for c in truth["by_area"]]
    tags = dashboard.tag_view.chart().series()[0].barSets()[0]
    assert tags.count() == min(10, len(truth["by_tag"])) and tags.count() > 0
    assert int(tags.at(tags.count() - 1)) == max(truth["by_tag"].values()), "the largest on top"
    assert dashboard.state_view.chart().series()[0].barSets()[0].count() == len(truth["by_state"])
    assert dashboard.area_view.chart().title() == "各下级区域人口"

    # Picking a child area shows that area's counts.
    assert dashboard.area.count() == 1 + len(truth["by_area"])
    child = truth["by_area"][0]
    with qtbot.waitSignal(dashboard.loaded, timeout=WAIT):
        dashboard.area.setCurrentIndex(1)
    assert dashboard.stats["area"] == child["code"]
    assert dashboard.cards["persons"].value.text() == f"{child['persons']:,}"


def test_the_main_window_of_a_supervisor_gets_the_review_docks(qtbot: Any, supervisor: Any) -> None:
    from desktop.workbench import attach

    window: Any = MainWindow(supervisor)
    qtbot.addWidget(window)
    try:
        bench = attach(window)  # as the app wires it: the worker's tools, then the review
        tools: Any = attach_review(window)
        assert tools is not None and window.review_tools is tools
        assert tools.forms is bench.forms
        shortcuts = [a.shortcut().toString() for a in window.sync_toolbar.actions() if not a.shortcut().isEmpty()]
        assert len(shortcuts) == len(set(shortcuts)), "no shortcut is taken twice"
        assert {"action_review", "action_dashboard"} <= {a.objectName() for a in window.sync_toolbar.actions()}
        qtbot.waitUntil(lambda: tools.screen.queue.model.total >= 0 and tools.screen.queue.refresh_button.isEnabled()
                        and tools.screen.queue.page_label.text() != "", timeout=WAIT)
        with qtbot.waitSignal(tools.dashboard.loaded, timeout=WAIT):
            tools.actions["dashboard"].trigger()
        assert not tools.dashboard_dock.isHidden()
    finally:
        window.shutdown()


def test_a_worker_gets_no_review_ui(qtbot: Any, main_window: Any) -> None:
    assert main_window.session.role == "worker"
    assert attach_review(main_window) is None
    names = {a.objectName() for a in main_window.sync_toolbar.actions()}
    assert "action_review" not in names
    assert not any(d.objectName() in ("reviewDock", "dashboardDock")
                   for d in main_window.findChildren(type(main_window.editor_dock)))


def test_the_queue_pages_through_the_submissions(qtbot: Any, platform: Any, supervisor: Any) -> None:
    worker = api_as(platform, WORKER)
    person = worker_person(worker)
    for _ in range(2):
        submit_phone(worker, person, new_phone())
    screen = screen_for(qtbot, supervisor)
    screen.queue.page_size = 1
    with qtbot.waitSignal(screen.queue.loaded, timeout=WAIT):
        screen.queue.refresh(reset=True)
    total = screen.queue.model.total
    assert total >= 2 and screen.queue.model.rowCount() == 1
    assert screen.queue.page_label.text() == f"1–1 / 共 {total} 条"
    first = screen.queue.model.submission_id(0)
    assert not screen.queue.prev_button.isEnabled() and screen.queue.next_button.isEnabled()
    with qtbot.waitSignal(screen.queue.loaded, timeout=WAIT):
        screen.queue.next_button.click()
    assert screen.queue.page_label.text() == f"2–2 / 共 {total} 条"
    assert screen.queue.model.submission_id(0) not in ("", first)
    assert screen.queue.prev_button.isEnabled()


def test_a_supervisor_offline_is_told_the_review_needs_the_network(qtbot: Any, tmp_path: Path) -> None:
    session: Any = make_session(tmp_path / "profile", role="supervisor", persons=20)
    assert session.client is None
    window: Any = MainWindow(session)
    qtbot.addWidget(window)
    try:
        tools: Any = attach_review(window)
        qtbot.waitUntil(lambda: "离线" in tools.screen.queue.message.text(), timeout=WAIT)
        assert not tools.screen.queue.message.isHidden()
        with qtbot.waitSignal(tools.dashboard.failed, timeout=WAIT):
            tools.actions["dashboard"].trigger()
        assert "离线" in tools.dashboard.message.text()
    finally:
        window.shutdown()
        session.close()


def test_unreachable_and_offline_are_said_in_words(qtbot: Any, supervisor: Any) -> None:
    dead = ApiClient("http://127.0.0.1:9", device_id="x", retry=RetryPolicy(attempts=1),
                     timeout=(0.5, 0.5))
    dead.tokens_store.save(supervisor.client.tokens)
    dead._tokens = supervisor.client.tokens
    screen = ReviewScreen(ReviewApi(dead), FormSession.for_store(supervisor.store), Masker(lambda *_a: None))
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.queue.failed, timeout=WAIT) as got:
        screen.queue.refresh()
    assert "无法连接平台服务器" in got.args[0]
    assert got.args[0] in screen.queue.message.text() and not screen.queue.message.isHidden()
    assert "Traceback" not in got.args[0]

    offline = Dashboard(ReviewApi(None))
    qtbot.addWidget(offline)
    with qtbot.waitSignal(offline.failed, timeout=WAIT) as got:
        offline.refresh()
    assert "离线" in got.args[0] and got.args[0] == offline.message.text()

    denied = ReviewScreen(ReviewApi(api_as_worker(supervisor)), FormSession.for_store(supervisor.store),
                          Masker(lambda *_a: None))
    qtbot.addWidget(denied)
    with qtbot.waitSignal(denied.queue.failed, timeout=WAIT) as got:
        denied.queue.refresh()
    assert got.args[0].startswith("没有权限")


def api_as_worker(supervisor: Any) -> ApiClient:
    return login_as(supervisor.server_url, WORKER)


def test_every_review_text_has_an_english_translation() -> None:
    """Every Chinese string literal of desktop/review (docstrings and demo data aside) has its English in
    the catalogue (resources/i18n/yibiaotong_en.ts)."""
    from desktop import i18n

    root = Path(__file__).resolve().parents[2]
    catalogue = i18n.catalogue("en")
    literals: set[str] = set()
    for path in (root / "desktop/review").glob("*.py"):
        if path.name == "screens.py":  # demo data for the screenshots, not screen text
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        literals |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                     and id(n) not in docstrings and re.search("[\u4e00-\u9fff]", n.value)}
    assert len(literals) > 50
    missing = sorted(s for s in literals if s not in catalogue)
    assert not missing, missing


def test_values_are_shown_as_the_supervisor_reads_them() -> None:
    from desktop.review.values import field_label, show_value
    from sync.validation import default_templates

    person: Any = default_templates()[EntityKind.PERSON]
    assert show_value(person, "marital_status", "20", "zh", False) == "已婚"
    assert show_value(person, "marital_status", "20", "en", False) == "Married"
    assert show_value(person, "phone", "13912345678", "zh", False) == "139****5678"
    assert show_value(person, "phone", "13912345678", "zh", True) == "13912345678"
    assert show_value(person, "id_number", "330102198001011234", "zh", False) == "330102********1234"
    assert show_value(person, "$state", "moved_out", "zh", False) == "已迁出"
    assert show_value(person, "$house_id", "h-1", "zh", False, lambda _id: "清波街 3 幢") == "清波街 3 幢"
    assert show_value(person, "name", None, "zh", False) == "—"
    house: Any = default_templates()[EntityKind.HOUSE]
    assert show_value(house, "tenants", [{"tenant_name": "甲"}, {"tenant_name": "乙"}], "zh", False) == "2 行"
    assert show_value(house, "tenants[0].tenant_phone", "13912345678", "zh", False) == "139****5678"
    assert field_label(person, "phone", "zh") == person.field_label("phone", "zh")
    assert field_label(person, "$household_id", "zh") == "所属户"
