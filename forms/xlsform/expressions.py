"""Compiling a template's expressions, turning every fault into a located :class:`Problem`.

This is the one place the loader touches :mod:`forms.expr`. Besides plain compilation it
handles ``choice_filter``: there, as in XLSForm, a bare name (``cf``, ``name``) means a column of
the choice being filtered. It is compiled as the reference ``${choice.<column>}``; whoever filters
choices puts the choice's columns into the evaluation data under those keys (``choice.name``,
``choice.label``, ``choice.<extra column>``). See :data:`CHOICE_PREFIX`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from forms.errors import ExprError, Problem
from forms.expr import Compiled, Scope, compile_expression
from forms.expr.ast import Node
from forms.expr.parser import tokenize
from forms.model import CHOICE_PREFIX, FieldType
from forms.xlsform.survey import Source

_WORD_OPS = frozenset({"and", "or", "div", "mod"})


class ExprCompiler:
    """Compiles expressions against scopes, appending a :class:`Problem` for each fault."""

    def __init__(self, problems: list[Problem], warnings: list[Problem]) -> None:
        self.problems = problems
        self.warnings = warnings
        #: Every compiled expression with its source, for later checks (tags used ...).
        self.compiled: list[tuple[Compiled, Source]] = []
        #: Syntax trees by text: a form repeats its constraints and relevances many times.
        self._parsed: dict[str, Node] = {}
        #: Compiled expressions by (text, scope, the scope's field count): a compiled expression
        #: is immutable and depends on nothing but its text and its scope, whose fields only grow
        #: while a template loads (a choice filter's columns), so the count tells when it changed.
        self._done: dict[tuple[str, int, int], Compiled] = {}

    def compile(
        self, text: str, src: Source, scope: Scope, position: Callable[[int], int] | None = None
    ) -> Compiled | None:
        key = (text, id(scope), len(scope.fields))
        done = self._done.get(key)
        if done is not None:  # it holds its scope, so that scope's id names no other meanwhile
            self.compiled.append((done, src))
            return done
        try:
            compiled = compile_expression(text, scope, parsed=self._parsed)
        except ExprError as exc:
            pos = exc.position
            if pos is not None and position is not None:
                pos = position(pos)
            self.problems.append(
                Problem(
                    f"表达式错误 / expression error: {exc.message}",
                    sheet=src.sheet, row=src.row, column=src.column, position=pos, code=exc.code,
                )
            )
            return None
        self._done[key] = compiled
        self.compiled.append((compiled, src))
        return compiled

    def compile_choice_filter(
        self, text: str, src: Source, scope: Scope, columns: Iterable[str], list_name: str
    ) -> Compiled | None:
        known = set(columns)
        rewritten, bare, position = rewrite_bare_names(text)
        for name, pos in bare:
            key = CHOICE_PREFIX + name
            if key not in scope.fields:
                scope.fields[key] = (FieldType.TEXT, None)
            if name not in known:
                self.warnings.append(
                    Problem(
                        f"choice_filter 中的 '{name}' 不是选项列表 '{list_name}' 的列，对每个选项都为空 / "
                        f"'{name}' in choice_filter is not a column of choice list '{list_name}'; "
                        "it is empty for every choice",
                        sheet=src.sheet, row=src.row, column=src.column, position=pos,
                        code="unknown_choice_column", severity="warning",
                    )
                )
        return self.compile(rewritten, src, scope, position)


def rewrite_bare_names(text: str) -> tuple[str, list[tuple[str, int]], Callable[[int], int]]:
    """``${state}=cf`` -> ``${state}=${choice.cf}``, the bare names with their positions, and a
    function mapping positions in the new text back to the original."""
    try:
        tokens = tokenize(text)
    except ExprError:
        return text, [], _identity
    bare: list[tuple[str, int]] = []
    for i, tok in enumerate(tokens):
        if tok.kind != "name" or tok.text in _WORD_OPS:
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is not None and following.kind == "(":
            continue
        if ":" in tok.text or not re.fullmatch(r"[^\W\d][\w.\-]*", tok.text):
            continue
        bare.append((tok.text, tok.pos))
    if not bare:
        return text, [], _identity
    parts: list[str] = []
    # (position in new text where a replacement starts, original start, original length, new length)
    spans: list[tuple[int, int, int, int]] = []
    last = 0
    out_len = 0
    for name, pos in bare:
        chunk = text[last:pos]
        parts.append(chunk)
        out_len += len(chunk)
        ref = "${" + CHOICE_PREFIX + name + "}"
        spans.append((out_len, pos, len(name), len(ref)))
        parts.append(ref)
        out_len += len(ref)
        last = pos + len(name)
    parts.append(text[last:])

    def position(p: int) -> int:
        shift = 0
        for new_start, old_start, old_len, new_len in spans:
            if p < new_start:
                break
            if p < new_start + new_len:
                return old_start
            shift += new_len - old_len
        return p - shift

    return "".join(parts), bare, position


def _identity(p: int) -> int:
    return p


def tag_positions(text: str, tag: str) -> int | None:
    """Where ``has-tag('tag')`` appears in ``text`` (the position of the quoted id)."""
    m = re.search(r"has-tag\s*\(\s*(['\"])" + re.escape(tag) + r"\1", text)
    return m.start(1) if m else None
