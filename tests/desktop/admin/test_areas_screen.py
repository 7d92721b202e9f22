"""区划与网格: the admin sees the tree with counts and workers, renames a grid with F2, retires a grid with
Delete moving its houses and persons to another grid, and adds a child with Insert — each act on the
real platform. The grids acted on are made for the test (the shared demo grids stay as they are)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from forms.synth import generate
from sync.server import repo_entities
from sync.server.db import Database
from tests.desktop.admin.conftest import WAIT
from tests.desktop.helpers import click_ok, commit_text, when_modal
from tests.desktop.platform import Platform


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """A platform of this module's own: the areas and accounts made here would change what the shared
    platform's other tests count."""
    server = Platform(tmp_path_factory.mktemp("areas-screen"), persons=120)
    server.start()
    yield server
    server.stop()

#: communities of these tests' own under 清波街道 (the demo communities stay as other tests expect them)
COMMUNITY, OTHER = "330102001070", "330102001071"
_codes = itertools.count(600)


def own_communities(api: Any) -> set[str]:
    used = {a["code"] for a in api.items("/areas", {"retired": "true"})}
    for code, name in ((COMMUNITY, "界面测试社区"), (OTHER, "界面测试二社区")):
        if code not in used:
            api.post("/areas", {"code": code, "name": name, "level": "community", "parent": "330102001"})
            used.add(code)
    return used


def make_grid(platform: Any, api: Any, name: str, persons: int = 0) -> str:
    used = own_communities(api)
    code = next(c for c in (f"{COMMUNITY}{n:03d}" for n in _codes) if c not in used)
    api.post("/areas", {"code": code, "name": name, "level": "grid", "parent": COMMUNITY})
    if persons:
        records = generate(persons, seed=int(code[-3:]), grids=[code])
        for rec in records:
            rec.setdefault("template", rec["kind"])
            rec.setdefault("template_version", "2026.1")
        with Database(platform.engine).write() as w:
            repo_entities.insert_new(w, records, {})
    return code


def open_screen(qtbot: Any, admin_window: Any) -> Any:
    screen = admin_window.show_screen("areas")
    qtbot.waitUntil(lambda: screen.items is not None and screen.busy == 0, timeout=WAIT)
    return screen


def row_texts(screen: Any, code: str) -> list[str]:
    index = screen.model.index_of(code)
    assert index is not None, f"{code} not in the tree"
    return [str(index.sibling(index.row(), c).data()) for c in range(screen.model.columnCount())]


def reload(qtbot: Any, screen: Any) -> None:
    screen.refresh()
    qtbot.waitUntil(lambda: screen.busy == 0, timeout=WAIT)


def test_the_tree_shows_counts_and_workers_and_f2_renames(qtbot: Any, admin_window: Any, platform: Any) -> None:
    from desktop.qt import Qt

    screen = open_screen(qtbot, admin_window)
    assert row_texts(screen, "330102001001")[0] == "清波门社区"
    grid = row_texts(screen, "330102001001001")
    assert "王芳" in grid[4] and int(grid[3]) > 0            # the demo grid: its worker and persons
    screen.select("330102")                                   # the district: seen by name, not the admin's
    assert not screen.add_action.isEnabled() and not screen.rename_action.isEnabled()
    screen.select("330102001")
    assert screen.add_action.isEnabled() and not screen.move_action.isEnabled()
    code = make_grid(platform, admin_window.ctx.api, "待改名网格", persons=4)
    reload(qtbot, screen)
    screen.select(code)
    screen.tree.setFocus()

    def rename(dialog: Any) -> None:
        dialog.name.clear()
        commit_text(dialog.name, "桥西网格")
        click_ok(qtbot, dialog)

    when_modal(rename)
    qtbot.keyClick(screen.tree, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: screen.model.index_of(code) is not None and row_texts(screen, code)[0] == "桥西网格",
                    timeout=WAIT)
    assert {a["code"]: a["name"] for a in admin_window.ctx.api.items("/areas")}[code] == "桥西网格"


def test_delete_retires_a_grid_moving_its_contents_to_another(qtbot: Any, admin_window: Any, platform: Any) -> None:
    from desktop.qt import Qt

    api = admin_window.ctx.api
    src = make_grid(platform, api, "并入网格", persons=6)
    dst = make_grid(platform, api, "接收网格", persons=3)
    screen = open_screen(qtbot, admin_window)
    reload(qtbot, screen)
    before = {c: int(row_texts(screen, c)[3]) for c in (src, dst)}
    assert before[src] > 0
    screen.select(src)
    screen.tree.setFocus()
    seen: dict[str, Any] = {}

    def retire(dialog: Any) -> None:
        seen["intro"] = dialog.intro.text()
        seen["choices"] = [dialog.target.itemData(i) for i in range(dialog.target.count())]
        dialog.target.setCurrentIndex(dialog.target.findData(dst))
        click_ok(qtbot, dialog)

    when_modal(retire)
    qtbot.keyClick(screen.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: screen.busy == 0 and screen.model.index_of(src) is None, timeout=WAIT)
    assert "须移到另一个网格" in seen["intro"]
    assert None not in seen["choices"] and src not in seen["choices"]  # a grid that holds persons must move them
    assert int(row_texts(screen, dst)[3]) == before[src] + before[dst]
    screen.show_retired.setChecked(True)
    assert "已撤销" in row_texts(screen, src)[0] and row_texts(screen, src)[3] == "0"
    screen.show_retired.setChecked(False)


def test_insert_adds_a_grid_under_the_selected_community(qtbot: Any, admin_window: Any) -> None:
    from desktop.qt import Qt

    own_communities(admin_window.ctx.api)
    screen = open_screen(qtbot, admin_window)
    screen.select(COMMUNITY)
    screen.tree.setFocus()
    seen: dict[str, str] = {}

    def add(dialog: Any) -> None:
        seen["code"] = dialog.code.text()
        commit_text(dialog.name, "新建网格")
        click_ok(qtbot, dialog)

    when_modal(add)
    qtbot.keyClick(screen.tree, Qt.Key.Key_Insert)
    qtbot.waitUntil(lambda: bool(seen) and screen.model.index_of(seen["code"]) is not None, timeout=WAIT)
    assert seen["code"].startswith(COMMUNITY) and len(seen["code"]) == 15
    assert row_texts(screen, seen["code"])[0] == "新建网格"
    assert screen.current_code() == seen["code"]


def test_a_grid_is_handed_to_another_worker_and_moved_to_another_community(qtbot: Any, admin_window: Any,
                                                                          platform: Any) -> None:
    api = admin_window.ctx.api
    code, other = make_grid(platform, api, "移交网格甲", persons=2), make_grid(platform, api, "移交网格乙")
    for username, name, grid in (("wg_area_old", "赵一", code), ("wg_area_new", "钱二", other)):
        api.post("/users", {"username": username, "display_name": name, "role": "worker", "password": "demo1234",
                            "areas": [grid]})
    screen = open_screen(qtbot, admin_window)
    reload(qtbot, screen)
    assert "赵一" in row_texts(screen, code)[4]
    screen.select(code)
    seen: dict[str, Any] = {}

    def assign(dialog: Any) -> None:
        seen["workers"] = [dialog.worker.itemData(i) for i in range(dialog.worker.count())]
        dialog.worker.setCurrentIndex(dialog.worker.findData("wg_area_new"))
        click_ok(qtbot, dialog)

    when_modal(assign)
    screen.assign_action.trigger()
    qtbot.waitUntil(lambda: "钱二" in row_texts(screen, code)[4], timeout=WAIT)
    assert "赵一" not in row_texts(screen, code)[4]
    assert "wg_area_old" not in seen["workers"] and "wg_qbm_1" in seen["workers"]

    def move(dialog: Any) -> None:
        dialog.target.setCurrentIndex(dialog.target.findData(OTHER))
        click_ok(qtbot, dialog)

    when_modal(move)
    screen.move_action.trigger()
    qtbot.waitUntil(lambda: screen.busy == 0 and screen.model.index_of(code) is None, timeout=WAIT)
    new_code = screen.current_code()
    assert new_code is not None and new_code.startswith(OTHER) and len(new_code) == 15
    texts = row_texts(screen, new_code)
    assert texts[0] == "移交网格甲" and "钱二" in texts[4] and int(texts[3]) > 0
    assert screen.model.index_of(new_code).parent().data() == "界面测试二社区"
