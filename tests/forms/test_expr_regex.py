"""``regex()`` cannot backtrack (issue 13, finding 4): RE2 matches in linear time, what it cannot do in
linear time is refused where the template is loaded, and the syntax forms use keeps working."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from forms.errors import ExprError, TemplateError
from forms.xlsform import load_template
from tests.forms.expr_fixtures import evaluate
from tests.forms.xlsform_builder import minimal_sheets, workbook

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|a)*b", "(a|aa)+$", "^(\\\\w+\\\\s?)*$", "(.*a){12}"])
def test_catastrophic_patterns_answer_at_once(pattern: str) -> None:
    # in a child with a time limit: a backtracking engine needs longer than the universe's age here
    code = textwrap.dedent(f"""
        from tests.forms.expr_fixtures import evaluate
        print(evaluate("regex('{"a" * 5000}!', '{pattern}')"))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("text,expected", [
    ("regex('张三', '^[\\u4e00-\\u9fa5]{2,4}$')", True),          # \uXXXX escapes, as Java and forms write them
    ("regex('zs', '^[\\u4e00-\\u9fa5]{2,4}$')", False),
    ("regex('0571-88888888', '^0[0-9]{2,3}-?[0-9]{7,8}$')", True),
    ("regex('310000', '^[1-9][0-9]{5}$')", True),
    ("regex('010000', '^[1-9][0-9]{5}$')", False),
    ("regex('١٢٣', '\\d+')", False),                             # \d is ASCII digits, as in Java
    ("regex('123', '\\d+')", True),
    ("regex('aaa', '(a+)+$')", True),
    ("regex('a\\b', 'a\\\\b')", True),
])
def test_the_syntax_forms_use(text: str, expected: bool) -> None:
    assert evaluate(text) is expected


@pytest.mark.parametrize("pattern,why", [
    ("(a)\\1", "linear time"),          # a backreference
    ("(?=a)a", "linear time"),          # lookahead
    ("[z-a]", "range"),
])
def test_what_cannot_run_in_linear_time_is_refused_with_its_position(pattern: str, why: str) -> None:
    with pytest.raises(ExprError) as caught:
        evaluate(f"regex('x', '{pattern}')")
    assert caught.value.position == len("regex('x', ")
    assert why in str(caught.value)


def test_a_template_with_such_a_constraint_is_refused_at_load() -> None:
    sheets = minimal_sheets()
    survey = sheets["survey"]
    survey[6][5] = "regex(., '(\\d)\\1')"  # the phone's constraint
    with pytest.raises(TemplateError) as caught:
        load_template(workbook(sheets), filename="t.xlsx")
    [problem] = caught.value.problems
    assert problem.sheet == "survey" and problem.column == "constraint" and "linear time" in str(problem)
