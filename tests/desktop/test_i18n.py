"""Chinese by default, English complete for the main screens, switchable while the app runs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from desktop import i18n

ROOT = Path(__file__).resolve().parents[2]
#: The modules of the main screens whose every tr() text must have an English entry.
MODULES = ["app.py", "commands.py", "i18n.py", "lock.py", "login.py", "main_parts.py", "main_window.py",
           "masking.py", "search.py", "session.py", "screenshots.py", "models/area_tree.py",
           "models/paged.py", "models/persons.py", "models/houses.py"]


def tr_literals(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add(node.args[0].value)
    return found


def table_texts() -> set[str]:
    """Chinese texts kept in tables and translated when shown (codes, levels, columns, reasons)."""
    from desktop import main_parts, main_window, masking
    from desktop.models import area_tree, persons

    texts: set[str] = set()
    for table in (persons.SEX, persons.POPULATION_TYPE, persons.STATE, persons.STATUS, area_tree.LEVELS,
                  main_window.ROLE_NAMES):
        texts.update(table.values())
    texts.update(persons.VISIT_RESULTS)
    texts.update(masking.REASONS)
    texts.update(label for _v, label in main_parts.VALIDATION_CHOICES + main_parts.VISIT_CHOICES)
    return texts


def test_every_main_screen_text_has_an_english_translation() -> None:
    english = i18n.catalogue("en")
    texts: set[str] = table_texts()
    for name in MODULES:
        path = ROOT / "desktop" / name
        if path.exists():
            texts |= tr_literals(path)
    assert texts, "no texts found: the scan is broken"
    missing = sorted(t for t in texts if t not in english)
    assert not missing, f"texts without an English entry in resources/i18n/yibiaotong_en.ts (edit it in Qt Linguist, then python -m desktop.i18n_catalogue update): {missing}"


def test_column_headers_are_translated() -> None:
    from desktop.models.houses import HouseListModel
    from desktop.models.persons import PersonListModel

    english = i18n.catalogue("en")
    for cls in (PersonListModel, HouseListModel):
        source = Path(__import__(cls.__module__, fromlist=["x"]).__file__ or "").read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Column":
                header = node.args[1]
                assert isinstance(header, ast.Constant)
                assert header.value in english, header.value


def test_default_is_chinese_and_switching_notifies(qtbot: object) -> None:
    assert i18n.language() == "zh"
    assert i18n.tr("登录") == "登录"
    seen: list[str] = []
    i18n.notifier().language_changed.connect(seen.append)
    i18n.set_language("en")
    assert i18n.tr("登录") == "Log in"
    assert i18n.tr("共 {n} 条", n=5) == "5 records"
    i18n.set_language("en")  # no change, no second signal
    i18n.set_language("zh_CN")
    assert seen == ["en", "zh"]
    assert i18n.tr("共 {n} 条", n=5) == "共 5 条"


@pytest.mark.parametrize(("given", "expected"), [("en_US", "en"), ("zh-Hans", "zh"), ("fr", "zh"), ("", "zh")])
def test_language_names_are_normalised(given: str, expected: str) -> None:
    assert i18n.normalise_language(given) == expected


def test_a_missing_entry_falls_back_to_chinese() -> None:
    i18n.set_language("en")
    assert i18n.tr("这句没有翻译") == "这句没有翻译"


def test_the_catalogue_is_what_lupdate_finds_finished_and_compiled() -> None:
    """Every tr() text of desktop/ and every marked table text is in yibiaotong_en.ts with a finished
    translation, and the .qm the app loads is lrelease's compilation of it."""
    from desktop.i18n_catalogue import problems

    assert problems("en") == []


def test_a_text_added_to_the_code_without_its_translation_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from desktop import i18n_catalogue

    root = tmp_path / "repo"
    shutil.copytree(ROOT / "desktop", root / "desktop")
    shutil.copytree(ROOT / "resources" / "i18n", root / "resources" / "i18n")
    (root / "desktop" / "new_screen.py").write_text('from desktop.i18n import tr\nX = tr("新的屏幕文字")\n',
                                                    encoding="utf-8")
    monkeypatch.setattr(i18n_catalogue, "ROOT", root)
    monkeypatch.setattr(i18n_catalogue, "CATALOGUE_DIR", root / "resources" / "i18n")
    found = i18n_catalogue.problems("en")
    assert any("新的屏幕文字" in p for p in found)


def test_qts_own_buttons_speak_the_apps_language(qapp: object) -> None:
    from desktop import i18n
    from desktop.qt import QDialogButtonBox

    i18n.apply_qt_texts("zh")
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        assert box.button(QDialogButtonBox.StandardButton.Ok).text().replace("&", "").startswith("确定")
        i18n.set_language("en")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        assert box.button(QDialogButtonBox.StandardButton.Ok).text().replace("&", "") == "OK"
    finally:
        i18n.set_language("zh")
