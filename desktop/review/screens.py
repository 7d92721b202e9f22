"""PNGs of the supervisor's screens: the review queue with a submission open, and the dashboard.

``render_review_screens(outdir, session)`` renders them for a logged-in supervisor session (online);
``python -m desktop.review.screens OUTDIR`` does it all against the demo platform: it starts it in a
temporary directory, has the demo worker submit a few changes, logs in as the demo supervisor and
writes ``review.png`` and ``dashboard.png``. Runs without a display (offscreen platform).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SUPERVISOR = "sup_qbm"
WORKER = "wg_qbm_1"


def _wait(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    from desktop.qt import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the review screen did not become ready in time")
        QApplication.processEvents()
        time.sleep(0.01)


def _settle(ms: int = 200) -> None:
    from desktop.qt import QApplication

    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def render_review_screens(outdir: Path, session: Any, size: tuple[int, int] = (1366, 768)) -> list[Path]:
    """Render the review screen (first pending submission open) and the dashboard to PNGs in ``outdir``."""
    from desktop import i18n
    from desktop.editor.session import FormSession
    from desktop.masking import Masker
    from desktop.review.api import ReviewApi
    from desktop.review.dashboard import Dashboard
    from desktop.review.review_screen import ReviewScreen
    from desktop.review.tools import area_names, root_name
    from desktop.review.values import tag_namer

    outdir.mkdir(parents=True, exist_ok=True)
    api = ReviewApi.for_session(session)
    names = area_names(session.store)
    screen = ReviewScreen(api, FormSession.for_store(session.store), Masker(lambda *_a: None), names)
    screen.resize(*size)
    screen.show()
    screen.queue.refresh()
    _wait(lambda: screen.queue.refresh_button.isEnabled())
    if screen.queue.model.items:
        _wait(lambda: screen.panel.detail is not None)
    screen.splitter.setSizes([size[1] * 2 // 5, size[1] * 3 // 5])
    _settle()
    shots = []
    path = outdir / "review.png"
    screen.grab().save(str(path))
    shots.append(path)
    screen.close()

    forms = FormSession.for_store(session.store)
    dashboard = Dashboard(api, root_name(session, names), tag_namer(forms.templates, i18n.language))
    dashboard.resize(*size)
    dashboard.show()
    dashboard.refresh()
    _wait(lambda: dashboard.refresh_button.isEnabled())
    _settle(400)
    path = outdir / "dashboard.png"
    dashboard.grab().save(str(path))
    shots.append(path)
    dashboard.close()
    screen.deleteLater()
    dashboard.deleteLater()
    return shots


def demo_submissions(url: str, password: str) -> None:
    """The demo worker sends a few changes that wait for review (two fields and a tag in one)."""
    from sync.client.http import ApiClient

    worker = ApiClient(url, device_id="demo-worker")
    worker.login(WORKER, password)
    page = worker.changes(None, 5000)
    persons = [i["data"] for i in page["items"]
               if i["type"] == "entity" and i["data"] and i["data"].get("kind") == "person"
               and i["data"].get("state") == "active" and i["data"]["data"].get("phone")]
    changes: list[tuple[dict[str, Any], str, dict[str, Any]]] = [
        (persons[0], "走访 3 幢 2 单元，电话和工作单位有变化", {"phone": "13957101234", "employer": "杭州市上城区图书馆"}),
        (persons[1], "住户反映手机号已更换", {"phone": "13811112222"}),
        (persons[2], "核实户籍信息", {"marital_status": "20"}),
    ]
    for person, note, values in changes:
        worker.push([{
            "id": str(uuid.uuid4()), "device_id": "demo-worker", "created_at": datetime.now(UTC).isoformat(),
            "note": note,
            "patches": [{"entity_id": person["id"], "kind": "person", "op": "update", "base_rev": person["rev"],
                         "set": values, "tags_add": [], "tags_remove": [], "state": None}],
            "client_validation": {"ok": True, "errors": 0, "warnings": len(values) - 1}}])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.review.screens")
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.app import create_application
    from desktop.demo_server import DEMO_PASSWORD, DemoServer
    from desktop.session import authenticate
    from desktop.sync_bootstrap import initial_sync

    app = create_application([sys.argv[0]])
    with tempfile.TemporaryDirectory(prefix="ybt-review-shots-") as tmp:
        server = DemoServer(Path(tmp) / "platform")
        server.prepare()
        server.start()
        try:
            demo_submissions(server.url, DEMO_PASSWORD)
            session = authenticate(Path(tmp) / "profile", server.url, SUPERVISOR, DEMO_PASSWORD,
                                   initial_sync=initial_sync)
            try:
                for path in render_review_screens(args.outdir, session):
                    print(path)
            finally:
                session.close()
        finally:
            server.stop()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
