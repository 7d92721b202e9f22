"""First pass over the ``survey`` and ``choices`` sheets: structure, names, types and choice lists.

Expressions are kept as text here (with where they came from); :mod:`forms.xlsform` compiles them
once every name is known. Every fault becomes a :class:`Problem`; nothing here raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyxform import aliases
from pyxform.parsing.expression import is_xml_tag

from forms.errors import Problem
from forms.model import Choice, FieldType, Labels
from forms.xlsform.columns import Columns
from forms.xlsform.types import ParsedType, parse_type
from forms.xlsform.workbook import Row, plain_quotes

SURVEY = "survey"
_EXCEL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2} 00:00:00$")
CHOICES = "choices"
#: Expression columns of a question, in the order they are checked.
FIELD_EXPRS = ("required", "relevant", "constraint", "calculation", "choice_filter")


@dataclass(slots=True)
class Source:
    """Where a piece of text came from."""

    sheet: str
    row: int
    column: str


@dataclass(slots=True)
class PendingField:
    name: str
    type: FieldType
    row: int
    labels: Labels = field(default_factory=dict)
    hints: Labels = field(default_factory=dict)
    required_messages: Labels = field(default_factory=dict)
    constraint_messages: Labels = field(default_factory=dict)
    #: Expression column key -> (text, source).
    exprs: dict[str, tuple[str, Source]] = field(default_factory=dict)
    required_const: bool | None = None
    default: str | None = None
    read_only: bool = False
    choice_list: str | None = None
    or_other: bool = False
    appearance: str = ""
    path: tuple[str, ...] = ()
    repeat: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class PendingGroup:
    name: str
    row: int | None
    is_repeat: bool = False
    labels: Labels = field(default_factory=dict)
    exprs: dict[str, tuple[str, Source]] = field(default_factory=dict)
    appearance: str = ""
    path: tuple[str, ...] = ()
    children: list[PendingField | PendingGroup] = field(default_factory=list)
    control: str = "group"


@dataclass
class SurveyResult:
    root: PendingGroup
    fields: dict[str, PendingField]
    groups: dict[str, PendingGroup]
    #: Names of fields left out on request: name -> (row, repeat or None).
    skipped: dict[str, tuple[int, str | None]]
    settings_rows: dict[str, str]


#: Texts that may show a field's value with ``${name}``.
_TEXT_WITH_REFS = ("label", "hint", "required_message", "constraint_message")
_TEXT_REF = re.compile(r"\$\{([^}]*)\}")
_MEDIA_COLUMNS = frozenset({"image", "big-image", "audio", "video"})
#: Field types shown to nobody, which need no label (as pyxform: calculate and hidden).
_NO_LABEL_TYPES = frozenset({FieldType.CALCULATE, FieldType.HIDDEN})


def parse_choices(
    cols: Columns, problems: list[Problem], warnings: list[Problem], allow_duplicates: bool
) -> tuple[dict[str, list[Choice]], dict[str, int]]:
    lists: dict[str, list[Choice]] = {}
    first_row: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    sheet = cols.sheet.name
    for row in cols.sheet.rows:
        list_name = cols.get(row, "list_name")
        name = cols.get(row, "name")
        labels = cols.texts(row, "label")
        if list_name.startswith("#"):
            continue
        if not list_name:
            if name or labels:
                warnings.append(
                    Problem(
                        "选项没有列表名，已忽略 / choice without a list name is ignored",
                        sheet=sheet, row=row.number, column=cols.header("list_name"),
                        code="missing_list_name", severity="warning",
                    )
                )
            continue
        if not name:
            problems.append(
                Problem(
                    f"列表 '{list_name}' 的选项缺少 name / choice in list '{list_name}' has no name",
                    sheet=sheet, row=row.number, column=cols.header("name"), code="missing_name",
                )
            )
            continue
        key = (list_name, name)
        if key in seen and not allow_duplicates:
            problems.append(
                Problem(
                    f"列表 '{list_name}' 中选项 '{name}' 重复（第 {seen[key]} 行已有）/ "
                    f"duplicate choice '{name}' in list '{list_name}' (first at row {seen[key]})",
                    sheet=sheet, row=row.number, column=cols.header("name"), code="duplicate_choice",
                )
            )
            continue
        seen.setdefault(key, row.number)
        first_row.setdefault(list_name, row.number)
        lists.setdefault(list_name, []).append(Choice(name=name, labels=labels, extra=cols.extras(row), row=row.number))
    return lists, first_row


class SurveyParser:
    """Walks the survey rows once, keeping a stack of open groups and repeats."""

    def __init__(
        self,
        cols: Columns,
        choices: dict[str, list[Choice]],
        problems: list[Problem],
        warnings: list[Problem],
        skip_unsupported: bool,
        choices_where: tuple[str, str] = (CHOICES, "name"),
    ) -> None:
        self.cols = cols
        self.choices_where = choices_where
        self.sheet = cols.sheet.name
        self.choices = choices
        self.problems = problems
        self.warnings = warnings
        self.skip = skip_unsupported
        self.root = PendingGroup(name="", row=None)
        self.stack: list[PendingGroup] = [self.root]
        self.fields: dict[str, PendingField] = {}
        self.groups: dict[str, PendingGroup] = {}
        self.names: dict[str, int] = {}
        self.skipped: dict[str, tuple[int, str | None]] = {}
        self.settings_rows: dict[str, str] = {}
        #: Depth of unsupported containers being skipped (loops).
        self.skip_depth = 0
        #: Type cells already classified (``parse_type`` depends on the text only).
        self.types: dict[str, ParsedType] = {}
        self._where_top: PendingGroup | None = None
        self._where_cached: tuple[tuple[str, ...], str | None] = ((), None)
        self._disabled = cols.has("disabled")
        self._expr_columns: dict[tuple[str, ...], list[tuple[str, int, str]]] = {}

    # -- helpers -------------------------------------------------------------------------
    def problem(self, message: str, row: Row | int, column: str | None, code: str) -> None:
        number = row if isinstance(row, int) else row.number
        self.problems.append(Problem(message, sheet=self.sheet, row=number, column=column, code=code))

    def warn(self, message: str, row: Row, column: str | None, code: str) -> None:
        self.warnings.append(
            Problem(message, sheet=self.sheet, row=row.number, column=column, code=code, severity="warning")
        )

    def _has_media(self, row: Row) -> bool:
        """A picture, sound or video stands for the label (as pyxform: ``image``, ``media::audio``, …)."""
        for column in self.cols.sheet.columns:
            key = column.header.strip().lower()
            if (key.split("::")[0] in _MEDIA_COLUMNS or key.startswith("media::")) and row.get(column.index):
                return True
        return False

    def _where(self) -> tuple[tuple[str, ...], str | None]:
        """The path of the open groups and the innermost open repeat. Groups are opened and
        closed at the top of the stack only, so the group on top tells the whole stack: both are
        worked out once for each group, not once for each of its rows."""
        top = self.stack[-1]
        if top is not self._where_top:
            repeat = None
            for g in reversed(self.stack):
                if g.is_repeat:
                    repeat = g.name
                    break
            self._where_top, self._where_cached = top, (tuple(g.name for g in self.stack[1:]), repeat)
        return self._where_cached

    def _repeat(self) -> str | None:
        return self._where()[1]

    def _path(self) -> tuple[str, ...]:
        return self._where()[0]

    def _claim_name(self, name: str, row: Row) -> bool:
        col = self.cols.header("name")
        if not is_xml_tag(name):
            self.problem(
                f"名称 '{name}' 无效：须以字母或下划线开头，只含字母、数字、-、_、. / "
                f"invalid name '{name}': must start with a letter or underscore and contain only "
                "letters, digits, '-', '_' or '.'",
                row, col, "invalid_name",
            )
            return False
        if name in self.names:
            first = self.names[name]
            self.problem(
                f"名称 '{name}' 重复（第 {first} 行已使用）/ duplicate name '{name}' (first used at row {first})",
                row, col, "duplicate_name",
            )
            return False
        self.names[name] = row.number
        return True

    def _exprs(self, row: Row, keys: tuple[str, ...]) -> dict[str, tuple[str, Source]]:
        out: dict[str, tuple[str, Source]] = {}
        present = self._expr_columns.get(keys)
        if present is None:  # the sheet's columns among ``keys``: (key, index, header as written)
            cols = self.cols
            present = self._expr_columns[keys] = [(k, cols.single[k], cols.header(k)) for k in keys if k in cols.single]
        cells = row.cells
        for key, index, header in present:
            text = cells.get(index)
            if text:
                out[key] = (plain_quotes(text), Source(self.sheet, row.number, header))
        return out

    def _check_text_refs(self) -> None:
        """``${name}`` in a label, hint or message must name a field, as in an expression (pyxform
        refuses it too); the problem gives the column as written and the position in the text."""
        known = set(self.names) | set(self.skipped)  # an unsupported field is reported once, where it is
        columns = [idx for key in _TEXT_WITH_REFS for idx in self.cols.translated.get(key, {}).values()]
        for row in self.cols.sheet.rows:
            cells = row.cells
            for idx in columns:
                text = cells.get(idx)
                if text is None or "${" not in text:
                    continue
                for m in _TEXT_REF.finditer(text):
                    if m.group(1).strip() not in known:
                        self.problems.append(Problem(
                            f"“{m.group(0)}”不是本模板的字段 / {m.group(0)} names no field of this template",
                            sheet=self.sheet, row=row.number, column=self.cols.headers[idx],
                            position=m.start(), code="unknown_field"))

    # -- the walk ------------------------------------------------------------------------
    def run(self) -> SurveyResult:
        for row in self.cols.sheet.rows:
            self._row(row)
        self._check_text_refs()
        for g in self.stack[1:]:
            self.problem(
                f"'begin {g.control} {g.name}' 没有对应的 'end {g.control}' / "
                f"'begin {g.control}' '{g.name}' has no matching 'end {g.control}'",
                g.row or 1, self.cols.header("type"), "unmatched_begin",
            )
        return SurveyResult(self.root, self.fields, self.groups, self.skipped, self.settings_rows)

    def _row(self, row: Row) -> None:
        cols = self.cols
        type_text = cols.get(row, "type")
        name = cols.get(row, "name")
        labels = cols.texts(row, "label")
        if type_text.startswith("#"):
            return  # comment row
        if self._disabled and aliases.yes_no.get(cols.get(row, "disabled")):
            self.warn(
                "此行 disabled=yes，已跳过 / row skipped: disabled is yes", row, cols.header("disabled"), "disabled_row"
            )
            return
        if not type_text:
            if name or labels:
                self.problem("缺少题型 / question has no type", row, cols.header("type"), "missing_type")
            return  # rows without type, name and label are comments, as in pyxform
        pt = self.types.get(type_text)
        if pt is None:  # a form writes few distinct types, each many times
            pt = self.types[type_text] = parse_type(type_text)
        type_col = cols.header("type")
        if self.skip_depth:
            if pt.kind == "begin" or (pt.kind == "unsupported" and pt.control == "loop"):
                self.skip_depth += 1
            elif pt.kind == "end":
                self.skip_depth -= 1
                return
            self._skip_warning(row, name, pt.display, inside=True)
            return
        if pt.kind == "end":
            self._end(row, pt.control)
            return
        if pt.kind == "setting":
            self.settings_rows[pt.control] = name
            return
        if pt.kind == "unknown":
            self.problem(f"未知题型 '{pt.display}' / unknown question type '{pt.display}'", row, type_col, "unknown_type")
            if name:
                self.skipped.setdefault(name, (row.number, self._repeat()))
            return
        if pt.kind == "no_list":
            self.problem(
                f"'{pt.display}' 后须写选项列表名 / '{pt.display}' needs a choice list name",
                row, type_col, "missing_choice_list",
            )
            return
        if pt.kind == "unsupported":
            self._unsupported(row, name, pt.display, pt.control == "loop")
            return
        if not name:
            if pt.field_type == FieldType.NOTE:
                name = f"generated_note_name_{row.number}"  # as pyxform does
            else:
                self.problem("缺少名称 / question or group has no name", row, cols.header("name"), "missing_name")
                return
        ok = self._claim_name(name, row)
        if pt.kind == "begin":
            self._begin(row, name, pt.control, labels)
            if ok:
                self.groups[name] = self.stack[-1]
            return
        assert pt.field_type is not None
        f = self._field(row, name, pt.field_type, labels)
        if pt.kind == "select":
            self._select(row, f, pt.list_name, pt.or_other)
        if ok:
            self.fields[name] = f
        self.stack[-1].children.append(f)
        if ok and pt.kind == "select" and pt.or_other:
            self._other_field(row, f)

    def _skip_warning(self, row: Row, name: str, display: str, inside: bool) -> None:
        what = f"'{name}' ({display})" if name else f"({display})"
        where = "，位于不支持的结构内" if inside else ""
        where_en = " inside an unsupported block" if inside else ""
        self.warn(
            f"已跳过不支持的字段 {what}{where} / skipped unsupported field {what}{where_en}",
            row, self.cols.header("type"), "skipped_unsupported",
        )
        if name:
            self.skipped.setdefault(name, (row.number, self._repeat()))

    def _unsupported(self, row: Row, name: str, display: str, is_loop: bool) -> None:
        if self.skip:
            if name and name not in self.names:
                self.names[name] = row.number
            self._skip_warning(row, name, display, inside=False)
            if is_loop:
                self.skip_depth = 1
            return
        self.problem(
            f"不支持的题型 '{display}'" + (f"（字段 '{name}'）" if name else "")
            + f" / unsupported question type '{display}'" + (f" (field '{name}')" if name else ""),
            row, self.cols.header("type"), "unsupported_type",
        )
        if is_loop:
            self.skip_depth = 1  # the loop's body is not checked further
        if name:
            self.skipped.setdefault(name, (row.number, self._repeat()))

    def _end(self, row: Row, control: str) -> None:
        controls = [g.control for g in self.stack[1:]]
        if not controls or controls[-1] != control:
            self.problem(
                f"'end {control}' 没有对应的 'begin {control}' / unmatched 'end {control}'",
                row, self.cols.header("type"), "unmatched_end",
            )
            if control in controls:
                while self.stack[-1].control != control:
                    self.stack.pop()
                self.stack.pop()
            return
        self.stack.pop()

    def _begin(self, row: Row, name: str, control: str, labels: Labels) -> None:
        is_repeat = control == "repeat"
        keys = ("relevant", "repeat_count") if is_repeat else ("relevant",)
        g = PendingGroup(
            name=name,
            row=row.number,
            is_repeat=is_repeat,
            labels=labels,
            exprs=self._exprs(row, keys),
            appearance=self.cols.get(row, "appearance"),
            path=self._path(),
            control=control,
        )
        if not is_repeat and self.cols.get(row, "repeat_count"):
            self.problem(
                "repeat_count 只能用于 repeat / repeat_count applies only to a repeat",
                row, self.cols.header("repeat_count"), "invalid",
            )
        self.stack[-1].children.append(g)
        self.stack.append(g)

    def _field(self, row: Row, name: str, ftype: FieldType, labels: Labels) -> PendingField:
        cols = self.cols
        path, repeat = self._where()
        f = PendingField(
            name=name, type=ftype, row=row.number, labels=labels, hints=cols.texts(row, "hint"),
            required_messages=cols.texts(row, "required_message"),
            constraint_messages=cols.texts(row, "constraint_message"),
            exprs=self._exprs(row, FIELD_EXPRS), default=cols.get(row, "default") or None,
            appearance=cols.get(row, "appearance"), path=path, repeat=repeat,
            extra=cols.extras(row),
        )
        if ftype == FieldType.DATE and f.default and _EXCEL_DATE.match(f.default):
            f.default = f.default[:10]  # a date cell reads as "YYYY-MM-DD 00:00:00"
        req = f.exprs.get("required")
        if req is not None and req[0] in aliases.yes_no:
            f.required_const = bool(aliases.yes_no[req[0]])
            del f.exprs["required"]
        ro = cols.get(row, "read_only")
        if ro:
            if ro in aliases.yes_no:
                f.read_only = bool(aliases.yes_no[ro])
            else:
                self.problem(
                    f"read_only 须为 yes 或 no，而不是 '{ro}' / read_only must be yes or no, not '{ro}'",
                    row, cols.header("read_only"), "invalid",
                )
        if ftype == FieldType.CALCULATE and "calculation" not in f.exprs:
            self.problem(
                "calculate 字段缺少 calculation / calculate field has no calculation",
                row, cols.header("calculation") if cols.has("calculation") else cols.header("type"),
                "missing_calculation",
            )
        if "choice_filter" in f.exprs and ftype not in (FieldType.SELECT_ONE, FieldType.SELECT_MULTIPLE):
            del f.exprs["choice_filter"]
        if not f.labels and not f.hints and ftype not in _NO_LABEL_TYPES and not self._has_media(row):
            self.problem(
                f"字段“{name}”没有标签或提示，填写人看不到它在问什么 / "
                f"the survey element named '{name}' has no label or hint",
                row, cols.header("label") if cols.has("label") else cols.header("type"), "missing_label",
            )
        return f

    def _select(self, row: Row, f: PendingField, list_name: str, or_other: bool) -> None:
        f.choice_list = list_name
        f.or_other = or_other
        type_col = self.cols.header("type")
        if list_name not in self.choices:
            self.problem(
                f"选项列表 '{list_name}' 不存在于 choices 表 / choice list '{list_name}' is not in the choices sheet",
                row, type_col, "missing_choice_list",
            )
            return
        if f.type == FieldType.SELECT_MULTIPLE:
            for c in self.choices[list_name]:
                if " " in c.name:
                    self.problems.append(
                        Problem(
                            f"多选题的选项名不能含空格：'{c.name}' / choice names of a select_multiple list "
                            f"cannot contain spaces: '{c.name}'",
                            sheet=self.choices_where[0], row=c.row, column=self.choices_where[1],
                            code="invalid_name",
                        )
                    )
        if or_other:
            if "choice_filter" in f.exprs:
                self.problem(
                    "or_other 不能与 choice_filter 同用 / choice_filter is not supported with or_other",
                    row, self.cols.header("choice_filter"), "invalid",
                )
            items = self.choices[list_name]
            if not any(c.name == "other" for c in items):
                langs = {lang for c in items for lang in c.labels} or {""}
                items.append(Choice(name="other", labels=dict.fromkeys(sorted(langs), "Other")))

    def _other_field(self, row: Row, select: PendingField) -> None:
        """``select_one list or_other``: pyxform adds a text field ``<name>_other``; so do we."""
        name = f"{select.name}_other"
        if not self._claim_name(name, row):
            return
        src = Source(self.sheet, row.number, self.cols.header("type"))
        f = PendingField(
            name=name, type=FieldType.TEXT, row=row.number, labels={"": "Specify other."},
            exprs={"relevant": (f"selected(${{{select.name}}}, 'other')", src)},
            path=select.path, repeat=select.repeat, extra={"generated": "or_other"},
        )
        self.fields[name] = f
        self.stack[-1].children.append(f)
