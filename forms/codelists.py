"""National and local code lists shipped with 一表通 (``resources/codelists/*.csv``).

Each CSV has the columns ``name,label::zh,label::en`` and optional extra (filter) columns such as
``group`` or ``legacy``; the file stem is the list name (``sex``, ``ethnicity``, ...). The lists are
read with the standard ``csv`` module only and exposed as :class:`forms.model.ChoiceList` objects::

    from forms.codelists import CODE_LISTS, code_label, normalise_code
    CODE_LISTS["ethnicity"]["36"].label("zh")     # 毛南族
    code_label("sex", "2", "en")                   # Female
    normalise_code("ethnicity", "毛难族")          # "36" (old name, see mappings/aliases.csv)
    legacy_education("90")                         # "90" (文盲或半文盲 -> 其他)

``mappings/aliases.csv`` holds old names and short forms seen in returned data;
``mappings/legacy_education.csv`` maps the older public-security 文化程度 codes to GB/T 4658.
"""

from __future__ import annotations

import csv
import importlib.resources
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from forms.errors import FormsError
from forms.model import Choice, ChoiceList

LABEL_PREFIX = "label::"


class CodeListError(FormsError):
    """A code-list file is missing or malformed; the message names the file and row."""


@dataclass(frozen=True)
class CodeListFile:
    """One code list as read from its CSV, keeping the column order for re-export."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    path: Path

    def to_choice_list(self) -> ChoiceList:
        choices: list[Choice] = []
        for i, row in enumerate(self.rows):
            labels = {c[len(LABEL_PREFIX):]: row[c] for c in self.columns if c.startswith(LABEL_PREFIX)}
            extra = {c: row[c] for c in self.columns if c != "name" and not c.startswith(LABEL_PREFIX)}
            choices.append(Choice(name=row["name"], labels=labels, extra=extra, row=i + 2))
        return ChoiceList(self.name, tuple(choices), {c.name: c for c in choices})


def default_directory() -> Path:
    """``resources/codelists`` of the installed package."""
    return Path(str(importlib.resources.files("resources") / "codelists"))


def read_csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a UTF-8 CSV (BOM tolerated); every row padded to the header's width."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None:
                raise CodeListError(f"{path}: the file is empty (a header row is required)")
            header = [h.strip() for h in header]
            rows: list[dict[str, str]] = []
            for line_no, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                if len(values) > len(header):
                    raise CodeListError(
                        f"{path}: row {line_no} has {len(values)} cells but the header has {len(header)}"
                    )
                values = values + [""] * (len(header) - len(values))
                rows.append({h: v.strip() for h, v in zip(header, values, strict=True)})
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CodeListError(f"{path}: cannot read: {exc}") from exc
    return header, rows


def read_code_list(path: Path) -> CodeListFile:
    header, rows = read_csv_rows(path)
    if not header or header[0] != "name":
        raise CodeListError(f"{path}: the first column must be 'name' (found {header[:1]})")
    if not any(h.startswith(LABEL_PREFIX) for h in header):
        raise CodeListError(f"{path}: no label column (expected 'label::zh')")
    seen: set[str] = set()
    for line_no, row in enumerate(rows, start=2):
        code = row["name"]
        if not code:
            raise CodeListError(f"{path}: row {line_no}: empty code in column 'name'")
        if " " in code:
            raise CodeListError(f"{path}: row {line_no}: code {code!r} contains a space")
        if code in seen:
            raise CodeListError(f"{path}: row {line_no}: duplicate code {code!r}")
        seen.add(code)
    return CodeListFile(path.stem, tuple(header), tuple(rows), path)


@cache
def load_code_list_files(directory: str | None = None) -> dict[str, CodeListFile]:
    """Every ``*.csv`` directly in ``directory`` (default: the shipped lists), by list name."""
    root = Path(directory) if directory else default_directory()
    if not root.is_dir():
        raise CodeListError(f"{root}: code-list directory not found")
    return {p.stem: read_code_list(p) for p in sorted(root.glob("*.csv"))}


def load_code_lists(directory: str | None = None) -> dict[str, ChoiceList]:
    return {name: f.to_choice_list() for name, f in load_code_list_files(directory).items()}


class _LazyCodeLists(Mapping[str, ChoiceList]):
    """The shipped code lists, read on first access."""

    def _data(self) -> dict[str, ChoiceList]:
        return _shipped()

    def __getitem__(self, key: str) -> ChoiceList:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


@cache
def _shipped() -> dict[str, ChoiceList]:
    return load_code_lists()


CODE_LISTS: Mapping[str, ChoiceList] = _LazyCodeLists()


def code_label(list_name: str, code: str, language: str = "zh") -> str:
    """The label of ``code`` in the list, or the code itself when unknown."""
    cl = CODE_LISTS.get(list_name)
    if cl is None:
        return code
    choice = cl.by_name.get(code)
    return choice.label(language) if choice else code


@cache
def _aliases() -> dict[tuple[str, str], str]:
    _, rows = read_csv_rows(default_directory() / "mappings" / "aliases.csv")
    return {(r["list"], r["alias"]): r["name"] for r in rows}


@cache
def _label_index(list_name: str) -> dict[str, str]:
    index: dict[str, str] = {}
    cl = CODE_LISTS.get(list_name)
    if cl is not None:
        for choice in cl:
            for label in choice.labels.values():
                index.setdefault(label.strip().casefold(), choice.name)
    return index


def aliases() -> dict[tuple[str, str], str]:
    """(list name, old name or short form) -> code."""
    return dict(_aliases())


def normalise_code(list_name: str, value: str) -> str | None:
    """The code for ``value``: a code as is, a label in any language, or a known alias; else None."""
    text = value.strip()
    cl = CODE_LISTS.get(list_name)
    if cl is None:
        return None
    if text in cl.by_name:
        return text
    alias = _aliases().get((list_name, text))
    if alias is not None:
        return alias
    return _label_index(list_name).get(text.casefold())


@cache
def _legacy_education() -> dict[str, str]:
    _, rows = read_csv_rows(default_directory() / "mappings" / "legacy_education.csv")
    return {r["legacy_code"]: r["name"] for r in rows}


def legacy_education_map() -> dict[str, str]:
    """Old public-security 文化程度 code -> GB/T 4658 学历 code."""
    return dict(_legacy_education())


def legacy_education(code: str) -> str | None:
    """The GB/T 4658 code for an old 文化程度 code, or None when it has no mapping."""
    return _legacy_education().get(code.strip())
