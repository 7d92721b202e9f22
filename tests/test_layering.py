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


# ---- the rooms: no import circles, and each package imports only what its docstring allows -------

ROOMS = ("forms", "sync", "desktop")
#: The packages whose docstring carries a "May import: ..." line, checked below.
DECLARED = ("forms.expr", "forms.xlsform", "forms.validate", "forms.visits", "forms.synth", "forms.cli",
            "sync.store", "sync.client", "sync.server")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for room in ROOMS for p in sorted((ROOT / room).rglob("*.py"))}


def _imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Our modules this one imports, anywhere in it (functions and TYPE_CHECKING blocks too), with the
    packages an import runs first (importing a.b.c runs a and a.b) unless this module is inside them."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = name.split(".") if is_package else name.split(".")[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if not target or target == name:
                continue
            found.add(target)
            parts = target.split(".")
            for i in range(1, len(parts)):
                parent = ".".join(parts[:i])
                if parent in known and not (name == parent or name.startswith(parent + ".")):
                    found.add(parent)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports_of(name, path, known) for name, path in modules.items()}


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    circles: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    return circles


def test_no_import_circles_anywhere() -> None:
    circles = import_circles(import_graph())
    assert not circles, "import circles:\n" + "\n".join(" <-> ".join(c) for c in circles)


def test_the_circle_finder_sees_a_circle() -> None:
    assert import_circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_circles({"a": {"b"}, "b": set()}) == []


def allowed_imports(package: str) -> list[str]:
    """The modules named on the package docstring's ``May import:`` line (up to its first full stop)."""
    path = ROOT / package.replace(".", "/") / "__init__.py"
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    marker = doc.find("May import:")
    assert marker >= 0, f"{package}'s docstring has no 'May import:' line"
    clause = doc[marker + len("May import:"):].replace("\n", " ").split(". ")[0]
    return [m.strip().rstrip(".") for m in clause.split(",") if m.strip()]


@pytest.mark.parametrize("package", DECLARED)
def test_each_package_imports_only_what_its_docstring_allows(package: str) -> None:
    allowed = allowed_imports(package)
    graph = import_graph()
    bad = []
    for module, targets in graph.items():
        if not (module == package or module.startswith(package + ".")):
            continue
        for target in sorted(targets):
            if target == package or target.startswith(package + "."):
                continue
            # a package an allowed module lives in runs first: allowed with it
            if not any(target == a or target.startswith(a + ".") or a.startswith(target + ".") for a in allowed):
                bad.append(f"{module} imports {target} (allowed: {', '.join(allowed)})")
    assert not bad, "\n".join(bad)


def test_the_allowance_is_read_from_the_docstring() -> None:
    assert allowed_imports("forms.xlsform") == ["forms.errors", "forms.model", "forms.expr"]


def test_ybt_help_imports_no_heavy_module() -> None:
    # issue 12: `ybt --help` answers at once; each command imports what it needs when it runs
    import subprocess
    import sys

    code = ("import sys; from desktop.cli import build_parser; build_parser().format_help(); "
            "heavy = ('pyxform', 'requests', 'fastapi', 'sqlalchemy', 'PySide6', 'openpyxl', 'numpy', "
            "'forms.expr', 'forms.xlsform', 'forms.validate', 'sync.client.http', 'sync.store'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith(heavy)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]", done.stdout
