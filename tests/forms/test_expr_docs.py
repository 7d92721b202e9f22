"""Every example in docs/expressions.md gives the result the page says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from forms.expr import EvalContext, Scope, compile_expression
from forms.expr.values import plain
from tests.forms.expr_fixtures import TODAY

DOC = Path(__file__).resolve().parents[2] / "docs" / "expressions.md"
TEXT = DOC.read_text(encoding="utf-8")
RECORD: dict[str, Any] = json.loads(re.search(r"```json\n(.*?)```", TEXT, re.S).group(1))  # type: ignore[union-attr]
ROW = re.compile(r"^\| `(?P<expr>[^`]+)` \| (?:`(?P<result>[^`]*)`|—) \|", re.M)
EXAMPLES = [(m["expr"], m["result"]) for m in ROW.finditer(TEXT)]
CONDITIONS = re.findall(r"^\| [^|`]+ \| `([^`]+)` \|$", TEXT[TEXT.index("Examples (") :], re.M)


def test_the_page_has_examples_for_every_function() -> None:
    from forms.expr import function_names

    documented = set(re.findall(r"([a-z][a-z0-9:-]*)\(", TEXT))
    missing = [f for f in function_names() if f not in documented]
    assert not missing, f"functions without documentation: {missing}"
    assert len(EXAMPLES) > 60


@pytest.mark.parametrize(("text", "result"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example(text: str, result: str | None) -> None:
    compiled = compile_expression(text, Scope.permissive_for(RECORD))
    ctx = EvalContext(RECORD, today=TODAY, choices={"sex": {"1": "男", "2": "女"}})
    value = compiled.evaluate(ctx)
    if result is not None:
        assert plain(value) == json.loads(result)


@pytest.mark.parametrize("text", CONDITIONS)
def test_catalogue_examples_compile(text: str) -> None:
    compile_expression(text, Scope(permissive=True))


def test_every_function_is_exercised_by_the_tests() -> None:
    from forms.expr import function_names

    sources = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_expr_*.py"))
    used = set(re.findall(r"([a-z][a-z0-9:-]*)\(", sources))
    missing = [f for f in function_names() if f not in used]
    assert not missing, f"functions no test evaluates: {missing}"
