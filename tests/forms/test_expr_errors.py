"""Every fault is an ExprError with a stable code and the 0-based position of the fault."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.errors import ExprError
from forms.expr import EvalContext, Scope, compile_expression, function_names, parse
from forms.expr.table import FUNCTIONS
from tests.forms.expr_fixtures import context, scope

ERRORS: list[tuple[str, str, int]] = [
    ("", "syntax", 0),
    ("   ", "syntax", 0),
    ("${age} >=", "syntax", 9),
    ("1 +* 2", "syntax", 3),
    ("(1", "syntax", 2),
    ("1)", "syntax", 1),
    ("'abc", "syntax", 0),
    ('concat("a, "b")', "syntax", 13),
    ("${name", "syntax", 0),
    ("${}", "syntax", 0),
    ("${1abc}", "syntax", 0),
    ("$name", "syntax", 0),
    ("1 2", "syntax", 2),
    ("name = 1", "syntax", 0),
    ("true", "syntax", 0),
    ("and 1", "syntax", 0),
    ("1 and", "syntax", 5),
    ("concat(1,)", "syntax", 9),
    ("concat(1 2)", "syntax", 9),
    ("f(", "syntax", 2),
    ("1 ! 2", "syntax", 2),
    ("1 # 2", "syntax", 2),
    ("..", "syntax", 0),
    ("1 == 2", "syntax", 3),
    ("${name} = '张' ，1", "syntax", 14),
    ("${nope} = 1", "unknown_field", 0),
    ("1 + ${nope}", "unknown_field", 4),
    ("concat(${name}, ${nope})", "unknown_field", 16),
    ("foo(1)", "unknown_function", 0),
    ("1 + bar-baz()", "unknown_function", 4),
    ("jr:nope(1)", "unknown_function", 0),
    ("if(1, 2)", "arity", 0),
    ("1 + if(1, 2, 3, 4)", "arity", 4),
    ("today(1)", "arity", 0),
    ("selected(${tags})", "arity", 0),
    ("substr('a')", "arity", 0),
    ("round(1, 2, 3)", "arity", 0),
    ("not()", "arity", 0),
    ("age()", "arity", 0),
    ("all-members()", "arity", 0),
    ("count-residents(1, 2)", "arity", 0),
    ("regex(${name}, '[')", "type", 15),
    ("jr:choice-name(${rel}, ${rel})", "type", 23),
    ("jr:choice-name(${rel}, '${nope}')", "unknown_field", 24),
    ("household-field(1)", "type", 16),
    ("indexed-repeat('x', ${kids}, 1)", "type", 15),
    ("indexed-repeat(${kid_name}, ${name}, 1)", "unknown_field", 28),
    ("indexed-repeat(${name}, ${kids}, 1)", "type", 15),
]


@pytest.mark.parametrize(("text", "code", "position"), ERRORS, ids=[e[0] or "<empty>" for e in ERRORS])
def test_error_code_and_position(text: str, code: str, position: int) -> None:
    with pytest.raises(ExprError) as err:
        compile_expression(text, scope())
    assert (err.value.code, err.value.position) == (code, position), str(err.value)
    assert err.value.message
    assert not err.value.message.startswith("internal error")


def test_messages_say_what() -> None:
    with pytest.raises(ExprError, match=r"unknown field \$\{nope\}"):
        compile_expression("${nope}", scope())
    with pytest.raises(ExprError, match=r"if\(\) takes 3 arguments, got 2"):
        compile_expression("if(1, 2)", scope())
    with pytest.raises(ExprError, match=r"unknown function foo\(\)"):
        compile_expression("foo()", scope())
    with pytest.raises(ExprError, match=r"refer to fields as \$\{age\}"):
        compile_expression("age > 3", scope())


def test_parse_alone_does_not_check_names() -> None:
    node = parse("foo(${whatever}) + 1")
    assert node.pos == 0
    with pytest.raises(ExprError):
        parse("foo(")


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(ExprError) as err:
        compile_expression("(" * 5000 + "1" + ")" * 5000, scope())
    assert err.value.code == "syntax"
    with pytest.raises(ExprError):
        compile_expression(" + ".join(["1"] * 5000), scope())
    with pytest.raises(ExprError):
        compile_expression("-" * 5000 + "1", scope())
    assert compile_expression(" + ".join(["1"] * 100), scope()).evaluate(EvalContext()) == 100


def test_every_function_is_known_and_rejects_wrong_arity() -> None:
    names = function_names()
    for expected in ("if", "coalesce", "jr:choice-name", "cn-id-valid", "count-residents", "house-field"):
        assert expected in names
    for name in names:
        spec = FUNCTIONS[name]
        if spec.max_args is None:
            continue
        with pytest.raises(ExprError) as err:
            compile_expression(name + "(" + ", ".join(["1"] * 12) + ")", scope())
        assert err.value.code in ("arity", "type"), name


ALPHABET = st.sampled_from(
    [
        *list("${}()'\",.=!<>+-*/ 0123456789abcdxyz_:-\t\n张三"),
        "and",
        "or",
        "div",
        "mod",
        "not(",
        "${name}",
        "${n}",
        "${kids}",
        "${kid_age}",
        "if(",
        "concat(",
        "count-residents(",
        "all-members(",
        "jr:choice-name(",
        "regex(",
        "age(",
        "today()",
        "'2020-01-01'",
        "has-tag(",
        "household-field(",
        "selected(",
        "substr(",
        "round(",
        "date(",
        "format-date(",
        ".",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=30).map("".join))
def test_fuzz_only_expr_errors_escape(text: str) -> None:
    try:
        compiled = compile_expression(text, scope())
    except ExprError as err:
        assert err.position is not None and 0 <= err.position <= len(text)
        assert not err.message.startswith("internal error"), err.message
        return
    # what compiles also evaluates without raising
    compiled.evaluate(context())
    compiled.truthy(context())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_fuzz_random_text(text: str) -> None:
    try:
        compile_expression(text, Scope(permissive=True))
    except ExprError as err:
        assert err.position is not None and 0 <= err.position <= len(text)
        assert not err.message.startswith("internal error"), err.message


def _expressions() -> st.SearchStrategy[str]:
    from forms.expr.table import FUNCTIONS, lookup

    lookup("if")
    specs = sorted(FUNCTIONS.values(), key=lambda s: s.name)
    atoms = st.one_of(
        st.integers(-(10**6), 10**6).map(str),
        st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda f: repr(abs(f))),
        st.sampled_from(
            [
                "'a b c'",
                "''",
                "'2020-02-29'",
                "'11010519491231002X'",
                "'02'",
                "'%Y %b %e'",
                "'1e3'",
                "'-1.5'",
                "'[0-9]+'",
                "'${rel}'",
                "'name'",
            ]
        ),
        st.sampled_from(
            [
                "${name}",
                "${n}",
                "${dec}",
                "${birth_date}",
                "${dt}",
                "${tags}",
                "${rel}",
                "${kids}",
                "${kid_age}",
                "${kid_name}",
                "${calc}",
                "${empty_date}",
                ".",
                "today()",
                "now()",
            ]
        ),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(
            inner,
            st.sampled_from(["+", "-", "*", "div", "mod", "=", "!=", "<", "<=", ">", ">=", "and", "or"]),
            inner,
        ).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
        unary = inner.map(lambda x: f"-{x}")

        def calls(spec: Any) -> st.SearchStrategy[str]:
            def render(args: list[str]) -> str:
                return f"{spec.name}({', '.join(args)})"

            top = spec.max_args if spec.max_args is not None else spec.min_args + 3
            return st.lists(inner, min_size=spec.min_args, max_size=top).map(render)

        call = st.sampled_from(specs).flatmap(calls)
        return st.one_of(binary, unary, call)

    return st.recursive(atoms, extend, max_leaves=12)


RANDOM_VALUES = st.one_of(
    st.text(max_size=8),
    st.integers(-(10**12), 10**12),
    st.floats(),
    st.none(),
    st.booleans(),
    st.sampled_from(["", "2020-02-29", "1999-02-30", "2020-01-01T10:00:00Z", "42", "-0.5", "a b", "NaN"]),
)


@settings(max_examples=300, deadline=None)
@given(
    _expressions(),
    st.dictionaries(
        st.sampled_from(["name", "n", "dec", "birth_date", "dt", "tags", "rel", "calc", "empty_date"]),
        RANDOM_VALUES,
    ),
    st.lists(
        st.dictionaries(st.sampled_from(["kid_name", "kid_age", "kid_birth"]), RANDOM_VALUES), max_size=3
    ),
    RANDOM_VALUES,
)
def test_fuzz_well_formed_expressions_evaluate_on_any_data(
    text: str, data: dict[str, object], kids: list[dict[str, object]], current: object
) -> None:
    try:
        compiled = compile_expression(text, scope())
    except ExprError as err:  # e.g. jr:choice-name() without a quoted field name, a bad regex
        assert err.code in ("type", "unknown_field", "syntax"), (text, err)
        assert not err.message.startswith("internal error"), err.message
        return
    ctx = context(dict(data, kids=kids), current=current)
    compiled.evaluate(ctx)
    compiled.truthy(ctx)
