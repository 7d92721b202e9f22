"""The XLSForm compatibility corpus (pyxform's own example workbooks), compared with pyxform itself.

For each file of ``../shared/corpus/xlsform`` (skipped when absent):
- pyxform rejects it -> we reject it, every problem naming its sheet and row or column;
- pyxform accepts it and every type is supported -> we load the same fields (names, types, order,
  enclosing groups), groups, repeats and choice lists as pyxform's own parse;
- pyxform accepts it with unsupported types -> we reject it with one problem per unsupported
  type and row, and with ``skip_unsupported`` load the rest as pyxform sees it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from forms.errors import TemplateError
from forms.model import FieldType, Template
from forms.xlsform import load_template
from forms.xlsform.types import parse_type

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "xlsform"
MANIFEST = CORPUS / "MANIFEST.json"

#: pyxform does not parse expressions; these files hold expressions that are not valid XPath
#: (``because pyxform doesn't know what to do`` as a calculation; ``label::English != ''`` as a
#: choice_filter). ODK Collect would fail on them too. We reject them with a located expression error.
INVALID_EXPRESSIONS = {
    "bug_example_xls__bad_calc.xlsx",
    "example_xls__bad_calc.xlsx",
    "bug_example_xls__xl_date_ambiguous.xlsx",
}
#: Files using functions 一表通 does not offer (``pulldata`` reads a CSV media file attached to
#: the form, which 一表通 templates do not have): rejected with a located unknown-function error.
UNSUPPORTED_FUNCTIONS = {"example_xls__pull_data.xlsx"}
#: Names pyxform generates for its own XForm plumbing, not for the form's author.
GENERATED_PREFIXES = ("generated_table_list_label_", "reserved_name_for_field_list_labels_")
_SELECTS = {"select one": FieldType.SELECT_ONE, "select all that apply": FieldType.SELECT_MULTIPLE}


def _manifest() -> dict[str, dict[str, Any]]:
    if not MANIFEST.exists():
        return {}
    data: dict[str, dict[str, Any]] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


FILES = sorted(_manifest())
pytestmark = [
    pytest.mark.skipif(not FILES, reason="corpus ../shared/corpus/xlsform not present"),
    # openpyxl (inside pyxform) warns about Excel extensions it drops; irrelevant here.
    pytest.mark.filterwarnings("ignore:Unknown extension:UserWarning"),
]


def _pyxform(path: Path) -> dict[str, Any]:
    from pyxform.xls2json import parse_file_to_json

    result: dict[str, Any] = parse_file_to_json(str(path))
    return result


def _type_of(element: dict[str, Any]) -> FieldType | None:
    t = element["type"]
    if t in _SELECTS:
        return _SELECTS[t]
    parsed = parse_type(t)
    return parsed.field_type if parsed.kind == "field" else None


class Expected:
    """What pyxform found: fields (name, type, path), groups (name, is_repeat, path), unsupported elements."""

    def __init__(self, tree: dict[str, Any]) -> None:
        self.fields: list[tuple[str, FieldType, tuple[str, ...]]] = []
        self.groups: list[tuple[str, bool, tuple[str, ...]]] = []
        self.unsupported: list[str] = []
        self._walk(tree.get("children", []), ())
        self.choices: dict[str, list[str]] = {
            name: [c["name"] for c in items] for name, items in (tree.get("choices") or {}).items()
        }

    def _walk(self, children: list[dict[str, Any]], path: tuple[str, ...]) -> None:
        repeats = {el["name"] for el in children if el["type"] == "repeat"}
        for el in children:
            name, t = el["name"], el["type"]
            if name == "meta" and t == "group" and not path:
                continue  # pyxform's instanceID block
            if name.startswith(GENERATED_PREFIXES):
                continue
            if t == "calculate" and name.endswith("_count") and name[: -len("_count")] in repeats:
                continue  # pyxform's node holding a repeat_count expression
            if t in ("group", "repeat"):
                self.groups.append((name, t == "repeat", path))
                self._walk(el.get("children", []), (*path, name))
                continue
            ft = _type_of(el)
            if ft is None:
                self.unsupported.append(name)
            else:
                self.fields.append((name, ft, path))


def _ours(t: Template) -> tuple[list[tuple[str, FieldType, tuple[str, ...]]], list[tuple[str, bool, tuple[str, ...]]]]:
    fields = [(f.name, f.type, f.path) for f in t.fields.values()]
    groups = [(g.name, g.is_repeat, g.path) for g in t.groups.values()]
    return fields, groups


@pytest.mark.parametrize("name", FILES)
def test_corpus_file_matches_pyxform(name: str) -> None:
    info = _manifest()[name]
    path = CORPUS / name
    if info["pyxform"] == "error":
        with pytest.raises(TemplateError) as exc:
            load_template(path)
        problems = exc.value.problems
        assert problems
        for p in problems:
            assert p.sheet and (p.row is not None or p.column), str(p)
        return

    expected = Expected(_pyxform(path))
    if name in INVALID_EXPRESSIONS or name in UNSUPPORTED_FUNCTIONS:
        codes = {"unknown_function"} if name in UNSUPPORTED_FUNCTIONS else {"syntax", "unknown_field", "arity"}
        with pytest.raises(TemplateError) as exc:
            load_template(path)
        for p in exc.value.problems:
            assert p.code in codes, str(p)
            assert p.sheet and p.row and p.column and p.position is not None, str(p)
        return

    if expected.unsupported:
        with pytest.raises(TemplateError) as exc:
            load_template(path)
        problems = exc.value.problems
        assert [p.code for p in problems] == ["unsupported_type"] * len(expected.unsupported), [str(p) for p in problems]
        assert all(p.sheet and p.row and p.column for p in problems)
        assert len({p.row for p in problems}) == len(problems)
        t = load_template(path, skip_unsupported=True)
        skipped = [w for w in t.warnings if getattr(w, "code", "") == "skipped_unsupported"]
        assert len(skipped) >= len(expected.unsupported)
    else:
        t = load_template(path)

    fields, groups = _ours(t)
    assert fields == expected.fields
    assert groups == expected.groups
    assert {n: [c.name for c in cl] for n, cl in t.choices.items()} == expected.choices


def test_xls_and_xlsx_of_the_same_form_load_the_same() -> None:
    pairs = [
        ("example_xls__text_and_integer.xls", "example_xls__text_and_integer.xlsx"),
        ("example_xls__yes_or_no_question.xls", "example_xls__yes_or_no_question.xlsx"),
        ("example_xls__group.xls", "example_xls__group.xlsx"),
    ]
    for xls, xlsx in pairs:
        a = load_template(CORPUS / xls, skip_unsupported=True)
        b = load_template(CORPUS / xlsx, skip_unsupported=True)
        assert _ours(a) == _ours(b)
        assert {n: [c.name for c in cl] for n, cl in a.choices.items()} == {
            n: [c.name for c in cl] for n, cl in b.choices.items()
        }
        assert [f.labels for f in a.fields.values()] == [f.labels for f in b.fields.values()]
