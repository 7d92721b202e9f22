"""``ybt expr``: evaluate an expression from the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from forms.cli.expr import main, run


def call(*argv: str) -> tuple[int, str, str]:
    import argparse

    from forms.cli.expr import register

    parser = argparse.ArgumentParser(prog="ybt")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["expr", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = run(args, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["1 + 1"], 2),
        (["7 div 2"], 3.5),
        (["6 div 2"], 3),
        (["'张' = '张'"], True),
        (["concat('a', 1)"], "a1"),
        (["date('2024-02-29') + 1", "--today", "2026-01-01"], 19783),
        (["date(date('2024-02-29') + 1)"], "2024-03-01"),
        (["today()", "--today", "2026-11-21"], "2026-11-21"),
        (["age(${birth_date})", "--data", '{"birth_date": "1950-03-01"}', "--today", "2026-11-21"], 76),
        (["${birth_date} < '2000-01-01'", "--data", '{"birth_date": "1950-03-01"}'], True),
        (["${n} * 2", "--data", '{"n": 21}'], 42),
        (["number('x')"], None),
        (["count(${rows}) + sum(${x})", "--data", '{"rows": [{"x": 1}, {"x": 2}]}'], 5),
        (["${undeclared}"], ""),
        (["cn-id-valid('11010519491231002X')"], True),
        (["selected(${t}, 'b') and count-selected(${t}) = 2", "--data", '{"t": ["a", "b"]}'], True),
        (["${flag}", "--data", '{"flag": true}'], "true"),
    ],
)
def test_json_output(argv: list[str], expected: object) -> None:
    code, out, err = call(*argv, "--json")
    assert code == 0, err
    assert out.count("\n") == 1
    value = json.loads(out)
    assert value == expected and type(value) is type(expected)


def test_integers_print_without_point() -> None:
    assert call("6 div 2", "--json")[1] == "3\n"
    assert call("6 div 2")[1] == "3\n"


def test_readable_output() -> None:
    assert call("date('2024-02-29')")[1] == "2024-02-29\n"
    assert call("1 = 1")[1] == "true\n"
    assert call("1 div 0")[1] == "Infinity\n"
    assert "empty" in call("''")[1]


def test_bad_expression_shows_position_and_caret() -> None:
    code, out, err = call("concat(${a}, 'x' +)")
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert "position 18" in lines[0]
    assert lines[1] == "  concat(${a}, 'x' +)"
    assert lines[2] == "  " + " " * 18 + "^"


def test_caret_counts_chinese_as_two_columns() -> None:
    code, _, err = call("concat('张三', )")
    assert code == 1
    lines = err.splitlines()
    assert lines[2].index("^") == 2 + len("concat('") + 4 + len("', ")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["1", "--data", "{bad"], "not valid JSON"),
        (["1", "--data", "[1, 2]"], "JSON object"),
        (["1", "--today", "2026-13-01"], "YYYY-MM-DD"),
        (["nope(1)"], "unknown_function"),
    ],
)
def test_bad_input_is_a_clear_error(argv: list[str], fragment: str) -> None:
    code, out, err = call(*argv)
    assert code == 1 and out == ""
    assert fragment in err
    assert "Traceback" not in err


def test_main_with_argv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["expr", "1 + 2", "--json"]) == 0
    assert capsys.readouterr().out == "3\n"


def test_as_a_process() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "forms.cli.expr",
            "expr",
            "age(${b}) >= 60",
            "--data",
            '{"b": "1950-01-01"}',
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "true\n"
    bad = subprocess.run(
        [sys.executable, "-m", "forms.cli.expr", "expr", "1 +"], capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 1
    assert "^" in bad.stderr and "Traceback" not in bad.stderr


def test_batch_gives_one_result_per_line_and_keeps_going_past_bad_lines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [
        {"expr": "age(${birth_date}) >= 60", "data": {"birth_date": "1950-03-01"}},
        {"expr": "1 +", "data": {}},
        "not json",
        {"expr": "concat(${a}, '!')", "data": {"a": "好"}},
        {"expr": "age(${birth_date}) >= 60", "data": {"birth_date": "2010-03-01"}},   # compiled once, reused
        {"expr": "${n} + 1", "data": {"n": 2}},
        {"expr": "${n} + 1", "data": {"n": "2"}},   # the same text over another shape: compiled again
        {"data": {}},
    ]
    path = tmp_path / "b.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
                    + "\n\n", encoding="utf-8")
    code, out, _err = call("--batch", str(path), "--json", "--today", "2026-11-21")
    assert code == 1
    results = [json.loads(r) for r in out.splitlines()]
    assert len(results) == len(lines)
    assert results[0] is True and results[3] == "好!" and results[4] is False and results[5] == 3 and results[6] == 3
    assert results[1]["line"] == 2 and results[1]["position"] == 3
    assert results[2]["line"] == 3 and results[7]["line"] == 8


def test_batch_needs_a_readable_file_and_no_expression(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert call("--batch", str(tmp_path / "missing.jsonl"))[0] == 1
    assert call("1", "--batch", str(tmp_path / "x.jsonl"))[0] == 1
    assert call()[0] == 1
