"""Which column of a template sheet means what.

Survey, choices and settings headers are resolved with pyxform's own alias tables and header parser
(``relevance`` -> relevant, ``label:English`` -> label in English, ``repeat_count`` / ``jr:count`` ...),
so 一表通 reads every header spelling pyxform reads. The extension sheets ``tags`` and ``rules`` use
plain snake_case headers with ``::language`` suffixes for translatable columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from pyxform import aliases, constants

from forms.errors import Problem
from forms.xlsform.workbook import Row, Sheet, language_code, split_header

#: pyxform header tokens -> our survey column key.
SURVEY_TOKENS: Mapping[tuple[str, ...], str] = {
    (constants.TYPE,): "type",
    (constants.NAME,): "name",
    (constants.LABEL,): "label",
    (constants.HINT,): "hint",
    ("bind", "required"): "required",
    ("bind", "jr:requiredMsg"): "required_message",
    ("bind", "relevant"): "relevant",
    ("bind", "constraint"): "constraint",
    ("bind", "jr:constraintMsg"): "constraint_message",
    ("bind", "calculate"): "calculation",
    ("default",): "default",
    ("bind", "readonly"): "read_only",
    (constants.CHOICE_FILTER,): "choice_filter",
    ("control", "appearance"): "appearance",
    ("control", "jr:count"): "repeat_count",
    ("disabled",): "disabled",
}
SURVEY_TRANSLATABLE = frozenset({"label", "hint", "required_message", "constraint_message"})

CHOICES_TOKENS: Mapping[tuple[str, ...], str] = {
    (constants.LIST_NAME_S,): "list_name",
    (constants.NAME,): "name",
    (constants.LABEL,): "label",
}
CHOICES_TRANSLATABLE = frozenset({"label"})

TAGS_KEYS = frozenset(
    {"tag", "label", "scope", "kind", "condition", "requires", "excludes", "required_fields", "sensitive", "expires",
     "visit_every"}
)
TAGS_TRANSLATABLE = frozenset({"label"})
RULES_KEYS = frozenset({"rule", "scope", "expression", "severity", "message", "field"})
RULES_TRANSLATABLE = frozenset({"message"})


@cache
def _survey_known() -> frozenset[str]:
    from pyxform.question import MultipleChoiceQuestion

    return frozenset(MultipleChoiceQuestion.get_slot_names())


@cache
def _option_known() -> frozenset[str]:
    from pyxform.question import Option

    return frozenset(Option.get_slot_names())


@dataclass
class Columns:
    """A sheet's columns resolved to keys; cells are fetched by key (and language)."""

    sheet: Sheet
    single: dict[str, int] = field(default_factory=dict)
    translated: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Unrecognised columns: header as written -> index.
    extra: dict[str, int] = field(default_factory=dict)
    headers: dict[int, str] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.single or key in self.translated

    def get(self, row: Row, key: str) -> str:
        index = self.single.get(key)
        return "" if index is None else row.cells.get(index, "")

    def header(self, key: str) -> str:
        """The column header as written, for messages (first language if translated)."""
        if key in self.single:
            return self.headers[self.single[key]]
        if self.translated.get(key):
            return self.headers[next(iter(self.translated[key].values()))]
        return key

    def texts(self, row: Row, key: str) -> dict[str, str]:
        """A translatable cell in every language: language code ('' for the plain column) -> text."""
        out: dict[str, str] = {}
        by_lang = self.translated.get(key)
        if by_lang:
            cells = row.cells
            for lang, idx in by_lang.items():
                text = cells.get(idx)
                if text:
                    out[lang] = text
        return out

    def languages(self) -> list[str]:
        seen: dict[str, None] = {}
        for by_lang in self.translated.values():
            for lang in by_lang:
                if lang:
                    seen.setdefault(lang, None)
        return list(seen)

    def extras(self, row: Row) -> dict[str, str]:
        if not self.extra:
            return {}
        return {h: row.get(i) for h, i in self.extra.items() if row.get(i)}


def _assign(
    cols: Columns,
    problems: list[Problem],
    index: int,
    header: str,
    key: str,
    language: str | None,
) -> None:
    if language is None:
        if key in cols.single:
            _dup(cols, problems, header, cols.headers[cols.single[key]])
            return
        cols.single[key] = index
    else:
        by_lang = cols.translated.setdefault(key, {})
        if language in by_lang:
            _dup(cols, problems, header, cols.headers[by_lang[language]])
            return
        by_lang[language] = index


def _dup(cols: Columns, problems: list[Problem], header: str, other: str) -> None:
    same = header == other
    msg = (
        f"列标题重复：'{header}' / duplicate column header '{header}'"
        if same
        else f"'{other}' 与 '{header}' 是同一列的不同写法，请删除其一 / "
        f"headers '{other}' and '{header}' name the same column; rename or remove one"
    )
    problems.append(Problem(msg, sheet=cols.sheet.name, row=1, column=header, code="duplicate_column"))


def survey_columns(sheet: Sheet, problems: list[Problem], warnings: list[Problem] | None = None) -> Columns:
    cols = _pyxform_columns(sheet, problems, aliases.survey_header, _survey_known(), SURVEY_TOKENS,
                            SURVEY_TRANSLATABLE, legacy_text=True)
    if warnings is not None:
        _legacy_and_media(cols, warnings)
    return cols


#: ``text:english``: the label column as the first XLSForms spelled it.
_LEGACY_TEXT = re.compile(r"text:(.+)", re.IGNORECASE)
_MEDIA = re.compile(r"(image|big-image|audio|video)(::.*)?|media::.*", re.IGNORECASE)


def _legacy_and_media(cols: Columns, warnings: list[Problem]) -> None:
    for index, header in cols.headers.items():
        if _LEGACY_TEXT.fullmatch(header) and index in cols.translated.get("label", {}).values():
            warnings.append(Problem(
                f"'{header}' 是旧写法，已按 label::{header.split(':', 1)[1]} 读取 / "
                f"'{header}' is the old spelling of label::{header.split(':', 1)[1]}; read as such",
                sheet=cols.sheet.name, row=1, column=header, code="legacy_label", severity="warning"))
        elif _MEDIA.fullmatch(header):
            warnings.append(Problem(
                f"一表通不显示图片、声音和视频，'{header}' 列已忽略 / "
                f"一表通 shows no pictures, sounds or videos: the column '{header}' is ignored",
                sheet=cols.sheet.name, row=1, column=header, code="ignored_media", severity="warning"))


def choices_columns(sheet: Sheet, problems: list[Problem]) -> Columns:
    return _pyxform_columns(sheet, problems, aliases.list_header, _option_known(), CHOICES_TOKENS, CHOICES_TRANSLATABLE)


def _pyxform_columns(
    sheet: Sheet,
    problems: list[Problem],
    header_aliases: Mapping[str, str | tuple[str, ...]],
    known: frozenset[str],
    token_map: Mapping[tuple[str, ...], str],
    translatable: frozenset[str],
    legacy_text: bool = False,
) -> Columns:
    cols = Columns(sheet)
    double = any("::" in c.header for c in sheet.columns)
    for col in sheet.columns:
        cols.headers[col.index] = col.header
        old = _LEGACY_TEXT.fullmatch(col.header) if legacy_text else None
        if old is not None:
            _assign(cols, problems, col.index, col.header, "label", language_code(old.group(1)))
            continue
        tokens = split_header(col.header, use_double_colon=double, aliases=header_aliases, known=known)
        key: str | None = None
        language: str | None = None
        for size in (2, 1):
            head = tuple(tokens[:size])
            if len(head) == size and head in token_map:
                key = token_map[head]
                rest = tokens[size:]
                if key in translatable:
                    language = language_code("::".join(rest)) if rest else ""
                elif rest:
                    key = None
                break
        if key is None:
            if col.header in cols.extra:
                _dup(cols, problems, col.header, col.header)
            else:
                cols.extra[col.header] = col.index
            continue
        _assign(cols, problems, col.index, col.header, key, language)
    return cols


def simple_columns(sheet: Sheet, problems: list[Problem], keys: frozenset[str], translatable: frozenset[str]) -> Columns:
    """Headers of the extension sheets (and settings): snake_case, ``key::Language (code)``."""
    cols = Columns(sheet)
    for col in sheet.columns:
        cols.headers[col.index] = col.header
        head, sep, rest = col.header.partition("::")
        key = "_".join(head.split()).lower()
        if key in translatable:
            _assign(cols, problems, col.index, col.header, key, language_code(rest) if sep else "")
        elif key in keys and not sep:
            _assign(cols, problems, col.index, col.header, key, None)
        elif col.header in cols.extra:
            _dup(cols, problems, col.header, col.header)
        else:
            cols.extra[col.header] = col.index
    return cols


def settings_columns(sheet: Sheet, problems: list[Problem]) -> Columns:
    """Settings headers: pyxform's aliases (``set_form_id`` ...) mapped to our names."""
    cols = Columns(sheet)
    back = {constants.TITLE: "form_title", constants.ID_STRING: "form_id"}
    for col in sheet.columns:
        cols.headers[col.index] = col.header
        snake = "_".join(col.header.split()).lower()
        alias = aliases.settings_header.get(snake, snake)
        key = back.get(alias, alias) if isinstance(alias, str) else snake
        _assign(cols, problems, col.index, col.header, key, None)
    return cols
