"""The import direction of DEVELOPERS.md: desktop -> sync -> forms, never back; Qt only in desktop/qt.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "forms": {"sync", "desktop", "PySide6", "shiboken6", "sqlite3", "sqlite_utils", "sqlcipher3",
              "sqlalchemy", "requests", "fastapi", "uvicorn", "httpx", "socket", "keyring"},
    "sync": {"desktop", "PySide6", "shiboken6"},
}
SERVER_CLIENT = {("sync/server", "sync.client"), ("sync/client", "sync.server")}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_lower_layers_do_not_import_upper_ones(package: str) -> None:
    bad = []
    for path in python_files(package):
        for line, module in imported_modules(path):
            top = module.split(".")[0]
            if top in FORBIDDEN[package]:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not bad, "imports against the layering:\n" + "\n".join(bad)


def test_server_and_client_stay_apart() -> None:
    bad = []
    for folder, forbidden in SERVER_CLIENT:
        if not (ROOT / folder).exists():
            continue
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, module in imported_modules(path):
                if module == forbidden or module.startswith(forbidden + "."):
                    bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not bad, "\n".join(bad)


def test_qt_is_imported_only_through_desktop_qt() -> None:
    bad = []
    for path in python_files("desktop"):
        if path.name == "qt.py" and path.parent.name == "desktop":
            continue
        for line, module in imported_modules(path):
            if module.split(".")[0] in {"PySide6", "shiboken6"}:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not bad, "Qt imported outside desktop/qt.py:\n" + "\n".join(bad)


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("import os\nfrom sync.store import Store\n", encoding="utf-8")
    assert (2, "sync.store") in imported_modules(sample)
