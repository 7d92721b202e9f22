"""First pass over the extension sheets ``tags`` (the tag catalogue) and ``rules``.

Values are checked here (ids, scope, kind, severity, roles); expressions are kept as text with
their source and compiled by :mod:`forms.xlsform`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from forms.errors import Problem
from forms.model import EntityKind, Labels, RuleScope, Severity, TagKind
from forms.xlsform.columns import Columns
from forms.xlsform.survey import Source
from forms.xlsform.workbook import plain_quotes

TAGS = "tags"
RULES = "rules"
#: Roles of the platform (see docs/architecture.md); ``sensitive`` names some of them.
ROLES = frozenset({"worker", "supervisor", "admin"})
_BAD_ID = re.compile(r"[\s'\",()]")


@dataclass(slots=True)
class PendingTag:
    id: str
    row: int
    labels: Labels
    scope: EntityKind
    kind: TagKind
    exprs: dict[str, tuple[str, Source]] = field(default_factory=dict)
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    required_fields: tuple[str, ...] = ()
    sensitive: tuple[str, ...] = ()
    visit_every: int | None = None


#: The longest visit interval a tag may ask for (days): ten years.
MAX_VISIT_EVERY = 3660


def _visit_every(value: str, sheet: str, row: int, column: str, problems: list[Problem]) -> int | None:
    """The ``visit_every`` cell: empty, or a whole number of days from 1 to MAX_VISIT_EVERY."""
    text = value.strip()
    if not text:
        return None
    if text.endswith(".0"):  # a number cell read back as a float
        text = text[:-2]
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_VISIT_EVERY:
        problems.append(
            Problem(
                f"visit_every 应为 1 到 {MAX_VISIT_EVERY} 的整数天数，收到 '{value}' / visit_every must be a whole "
                f"number of days from 1 to {MAX_VISIT_EVERY}, not '{value}'",
                sheet=sheet, row=row, column=column, code="invalid_value",
            )
        )
        return None
    return int(text)


@dataclass(slots=True)
class PendingRule:
    id: str
    row: int
    scope: RuleScope
    severity: Severity
    messages: Labels
    expression: tuple[str, Source] | None
    #: The ``field`` cell (the field the rule reports on) and its column header, checked by the loader.
    field: str = ""
    field_column: str = "field"


def _check_id(value: str, what: str, seen: dict[str, int], sheet: str, row: int, column: str,
              problems: list[Problem]) -> bool:
    """A tag or rule id is present, well formed and not defined before (``seen``: id -> row)."""
    if not value:
        problems.append(Problem(f"缺少{what} id / missing {what} id", sheet=sheet, row=row, column=column, code="missing_name"))
        return False
    if _BAD_ID.search(value):
        problems.append(
            Problem(
                f"{what} id '{value}' 无效：不能含空白、引号、逗号或括号 / invalid {what} id '{value}': "
                "no spaces, quotes, commas or parentheses",
                sheet=sheet, row=row, column=column, code="invalid_name",
            )
        )
        return False
    if value in seen:
        zh, en = what.split(" / ")
        problems.append(
            Problem(
                f"{zh} '{value}' 重复（第 {seen[value]} 行已定义）/ duplicate {en} '{value}' (first at row {seen[value]})",
                sheet=sheet, row=row, column=column, code="duplicate_name",
            )
        )
        return False
    seen[value] = row
    return True


#: The values each enumerated column allows, in their order (listed once, not per row).
_ENTITY_KINDS = [k.value for k in EntityKind]
_TAG_KINDS = [k.value for k in TagKind]
_RULE_SCOPES = [s.value for s in RuleScope]
_SEVERITIES = [s.value for s in Severity]


def _enum(value: str, allowed: list[str], default: str, sheet: str, row: int, column: str, problems: list[Problem]) -> str | None:
    v = value.strip().lower()
    if not v:
        return default
    if v not in allowed:
        problems.append(
            Problem(
                f"'{value}' 不是有效值，应为 {' | '.join(allowed)} / '{value}' is not one of {' | '.join(allowed)}",
                sheet=sheet, row=row, column=column, code="invalid_value",
            )
        )
        return None
    return v


def parse_tags(cols: Columns, entity: EntityKind, problems: list[Problem]) -> list[PendingTag]:
    sheet = cols.sheet.name
    out: list[PendingTag] = []
    seen: dict[str, int] = {}
    for row in cols.sheet.rows:
        tag_id = cols.get(row, "tag")
        if tag_id.startswith("#"):
            continue
        n = row.number
        if not tag_id and not any(cols.get(row, k) for k in ("scope", "kind", "condition")) and not cols.texts(row, "label"):
            continue  # a row of notes only
        if not _check_id(tag_id, "标签 / tag", seen, sheet, n, cols.header("tag"), problems):
            continue
        scope = _enum(cols.get(row, "scope"), _ENTITY_KINDS, entity.value, sheet, n, cols.header("scope"), problems)
        kind = _enum(cols.get(row, "kind"), _TAG_KINDS, "", sheet, n, cols.header("kind"), problems)
        if kind == "":
            problems.append(
                Problem(
                    "缺少标签类型（auto | manual | returned）/ missing tag kind (auto | manual | returned)",
                    sheet=sheet, row=n, column=cols.header("kind"), code="missing_value",
                )
            )
            kind = None
        exprs: dict[str, tuple[str, Source]] = {}
        for key in ("condition", "expires"):
            text = plain_quotes(cols.get(row, key))
            if text:
                exprs[key] = (text, Source(sheet, n, cols.header(key)))
        if kind == TagKind.AUTO and "condition" not in exprs:
            problems.append(
                Problem(
                    "自动标签必须有 condition / an auto tag needs a condition",
                    sheet=sheet, row=n, column=cols.header("condition"), code="missing_condition",
                )
            )
        sensitive = tuple(cols.get(row, "sensitive").split())
        for role in sensitive:
            if role not in ROLES:
                problems.append(
                    Problem(
                        f"未知角色 '{role}'，应为 {' | '.join(sorted(ROLES))} / unknown role '{role}'",
                        sheet=sheet, row=n, column=cols.header("sensitive"), code="invalid_value",
                    )
                )
        requires = tuple(cols.get(row, "requires").split())
        excludes = tuple(cols.get(row, "excludes").split())
        both = sorted(set(requires) & set(excludes))
        if both:
            problems.append(
                Problem(
                    f"标签 {', '.join(both)} 同时出现在 requires 和 excludes / tags both required and excluded: {', '.join(both)}",
                    sheet=sheet, row=n, column=cols.header("excludes"), code="invalid_value",
                )
            )
        if tag_id in excludes:
            problems.append(
                Problem(
                    f"标签 '{tag_id}' 不能排斥自身 / tag '{tag_id}' excludes itself",
                    sheet=sheet, row=n, column=cols.header("excludes"), code="invalid_value",
                )
            )
        visit_every = _visit_every(cols.get(row, "visit_every"), sheet, n, cols.header("visit_every"), problems)
        if scope is None or kind is None:
            continue
        out.append(
            PendingTag(
                id=tag_id, row=n, labels=cols.texts(row, "label"), scope=EntityKind(scope), kind=TagKind(kind),
                exprs=exprs, requires=requires, excludes=excludes,
                required_fields=tuple(cols.get(row, "required_fields").split()), sensitive=sensitive,
                visit_every=visit_every,
            )
        )
    return out


def parse_rules(cols: Columns, problems: list[Problem]) -> list[PendingRule]:
    sheet = cols.sheet.name
    out: list[PendingRule] = []
    seen: dict[str, int] = {}
    for row in cols.sheet.rows:
        rule_id = cols.get(row, "rule")
        if rule_id.startswith("#"):
            continue
        n = row.number
        text = plain_quotes(cols.get(row, "expression"))
        if not rule_id and not text and not cols.texts(row, "message"):
            continue
        if not _check_id(rule_id, "规则 / rule", seen, sheet, n, cols.header("rule"), problems):
            continue
        scope = _enum(cols.get(row, "scope"), _RULE_SCOPES, "record", sheet, n, cols.header("scope"), problems)
        severity = _enum(cols.get(row, "severity"), _SEVERITIES, "error", sheet, n, cols.header("severity"), problems)
        if not text:
            problems.append(
                Problem("规则缺少 expression / rule has no expression", sheet=sheet, row=n, column=cols.header("expression"), code="missing_value")
            )
        if scope is None or severity is None:
            continue
        out.append(
            PendingRule(
                id=rule_id, row=n, scope=RuleScope(scope), severity=Severity(severity),
                messages=cols.texts(row, "message"),
                expression=(text, Source(sheet, n, cols.header("expression"))) if text else None,
                field=cols.get(row, "field").strip(), field_column=cols.header("field"),
            )
        )
    return out
