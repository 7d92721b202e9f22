"""Mutation test of the default catalogue against its table of cases (tests/forms/catalogue_cases.py).

Run by hand (not part of the test run; a few minutes)::

    PYTHONPATH=. python -m tests.mutate_catalogue [--only TARGET ...] [--json FILE] [--list]

For each tag condition, ``expires`` and rule expression of ``resources/templates/*/{tags,rules}.csv``
it applies one mutation at a time:

* a comparison flipped: ``<`` <-> ``<=``, ``>`` <-> ``>=``, ``=`` <-> ``!=``;
* a number changed by +1 and by -1, and a digit code in quotes likewise (``'02'`` -> ``'01'``, ``'03'``);
* one operand of an ``and`` / ``or`` chain dropped;
* the filter of an aggregate dropped (``count-residents(cond)`` -> ``count-residents()``,
  ``any-residents(cond)`` / ``all-residents(cond)`` -> ``...(true())``; the catalogue has no XPath
  ``[...]`` predicates, its filters are these);
* one code dropped from a list in quotes (``selected('10 11 12', ...)``);
* a ``not(x)`` replaced by ``x``; an ``if(c, a, b)`` replaced by ``a`` and by ``b``;

and for each tag one entry of ``requires``, ``excludes`` or ``required_fields`` dropped, its
``expires`` dropped, and the prerequisite (``condition``) of a manual or returned tag dropped.

Each mutant is written into a temporary copy of the CSV sources and built into a temporary
workbook (the repository's files are never touched); the whole table of cases runs against it.
A mutant is killed when some case's outcome changes. The survivors are printed (and written to
``--json``); each must be killed by a new case or explained in :data:`EQUIVALENT` (the exit status
is 1 while a survivor is unexplained or a listed one is killed).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from forms import build_templates
from forms.expr.ast import Binary, Call, Current, Literal, Node, Ref, Unary
from forms.expr.parser import parse
from resources import ROOT
from tests.forms.catalogue_cases import ENTITIES, failures, make_validator

FLIP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "=": "!=", "!=": "="}
AGGREGATES = ("count-residents", "count-members", "count-households", "any-residents", "any-members",
              "any-households", "all-residents", "all-members", "all-households")

_EMPTY = ("an empty answer compared with a number or a date is false either way round "
          "(test_an_empty_answer_compared_is_false), so the guard cannot change the outcome; the table's case "
          "with that answer empty gives the same result with and without it")
#: Survivors that cannot change behaviour: (target, mutation) -> why.
EQUIVALENT: dict[tuple[str, str], str] = {
    **{(f"tag:{t}", f"drop and operand (${{{f}}} != '')"): _EMPTY for t, f in (
        ("婴幼儿", "age"), ("未成年人", "age"), ("不满十四周岁", "age"), ("兵役登记适龄男性", "birth_date"),
        ("居住证持有人", "permit_expiry"), ("民主党派", "political_status"), ("残疾人", "disability_cert"),
        ("特困人员", "age"), ("孤儿", "age"), ("事实无人抚养儿童", "age"), ("困境儿童", "age"), ("留守儿童", "age"),
        ("孕产妇", "delivery_date"), ("社区矫正对象", "correction_end_date"), ("刑满释放人员", "release_date"),
        ("群租", "area_per_person"))},
    ("tag:空巢老人", "drop and operand not(is-self())"):
        "the record itself never passes these filters: it is 60 or over (has-tag('老年人') is ${age} >= 60, the "
        "same age as age(${birth_date})) and its own relation (02, 10-12 or 5x in the branch that looks) is never "
        "the one the filter looks for (under 60; 2x/3x; 02/10-12)",
    ("tag:重度残疾", "drop and operand has-tag('残疾人')"):
        "disability_grade is calculated by cn-disability-grade, which is '' unless the certificate is valid, i.e. "
        "exactly when 残疾人 holds; a stored grade is overwritten by the calculation (case: an invalid certificate "
        "ending in grade 1)",
}


def equivalent(m: Mutant) -> str | None:
    return EQUIVALENT.get((m.target, m.what))


# ---- expressions: unparse and mutate --------------------------------------------------------------


def unparse(n: Node) -> str:
    """Source text with every operation in parentheses (parses back to the same tree)."""
    if isinstance(n, Literal):
        v = n.value
        if isinstance(v, str):
            return f"'{v}'" if "'" not in v else f'"{v}"'
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return str(v) if v >= 0 else f"(-{-v})"
    if isinstance(n, Ref):
        return "${" + n.name + "}"
    if isinstance(n, Current):
        return "."
    if isinstance(n, Unary):
        return f"(-{unparse(n.operand)})"
    if isinstance(n, Binary):
        return f"({unparse(n.left)} {n.op} {unparse(n.right)})"
    if isinstance(n, Call):
        return f"{n.name}({', '.join(unparse(a) for a in n.args)})"
    raise TypeError(type(n).__name__)


def _children(n: Node) -> tuple[Node, ...]:
    if isinstance(n, Unary):
        return (n.operand,)
    if isinstance(n, Binary):
        return (n.left, n.right)
    if isinstance(n, Call):
        return n.args
    return ()


def _with_child(n: Node, i: int, child: Node) -> Node:
    if isinstance(n, Unary):
        return dataclasses.replace(n, operand=child)
    if isinstance(n, Binary):
        return dataclasses.replace(n, left=child) if i == 0 else dataclasses.replace(n, right=child)
    if isinstance(n, Call):
        args = list(n.args)
        args[i] = child
        return dataclasses.replace(n, args=tuple(args))
    raise TypeError(type(n).__name__)


def _chain(n: Node, op: str) -> list[Node]:
    if isinstance(n, Binary) and n.op == op:
        return _chain(n.left, op) + _chain(n.right, op)
    return [n]


def _fold(ops: list[Node], op: str, pos: int) -> Node:
    out = ops[0]
    for o in ops[1:]:
        out = Binary(pos, op, out, o)
    return out


def _local(n: Node, parent: Node | None) -> Iterator[tuple[str, Node]]:
    """The mutants of node ``n`` itself: (description, replacement)."""
    if isinstance(n, Binary) and n.op in FLIP:
        yield f"'{n.op}' -> '{FLIP[n.op]}'", dataclasses.replace(n, op=FLIP[n.op])
    if isinstance(n, Binary) and n.op in ("and", "or") and not (isinstance(parent, Binary) and parent.op == n.op):
        ops = _chain(n, n.op)
        for i, dropped in enumerate(ops):
            rest = ops[:i] + ops[i + 1:]
            yield f"drop {n.op} operand {unparse(dropped)}", _fold(rest, n.op, n.pos)
    if isinstance(n, Literal) and not isinstance(n.value, str):
        for d in (1, -1):
            yield f"{n.value} -> {n.value + d}", Literal(n.pos, n.value + d)
    if isinstance(n, Literal) and isinstance(n.value, str) and n.value.isdigit():
        for d in (1, -1):
            v = int(n.value) + d
            if v >= 0:
                new = str(v).zfill(len(n.value))
                yield f"'{n.value}' -> '{new}'", Literal(n.pos, new)
    if isinstance(n, Literal) and isinstance(n.value, str) and len(n.value.split()) > 1:
        items = n.value.split()
        for i, item in enumerate(items):
            yield f"drop '{item}' from the list '{n.value}'", Literal(n.pos, " ".join(items[:i] + items[i + 1:]))
    if isinstance(n, Call) and n.name in AGGREGATES and n.args:
        if n.name.startswith("count-"):
            yield f"drop the filter of {n.name}", Call(n.pos, n.name, ())
        else:
            yield f"drop the filter of {n.name}", Call(n.pos, n.name, (Call(n.pos, "true", ()),))
    if isinstance(n, Call) and n.name == "not" and len(n.args) == 1:
        yield f"not({unparse(n.args[0])}) -> its argument", n.args[0]
    if isinstance(n, Call) and n.name == "if" and len(n.args) == 3:
        yield f"if(...) -> its then-branch {unparse(n.args[1])}", n.args[1]
        yield f"if(...) -> its else-branch {unparse(n.args[2])}", n.args[2]


def mutants(text: str) -> Iterator[tuple[str, str]]:
    """(description, mutated source) for every single mutation of the expression ``text``."""
    root = parse(text)
    seen = {unparse(root)}

    def visit(n: Node, parent: Node | None, rebuild: list[tuple[Node, int]]) -> Iterator[tuple[str, str]]:
        for what, new in _local(n, parent):
            for anc, i in reversed(rebuild):
                new = _with_child(anc, i, new)
            out = unparse(new)
            if out not in seen:
                seen.add(out)
                yield what, out
        for i, child in enumerate(_children(n)):
            yield from visit(child, n, [*rebuild, (n, i)])

    yield from visit(root, None, [])


# ---- the catalogue: one mutant at a time ----------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    entity: str
    sheet: str  # "tags" or "rules"
    row: str  # tag or rule id
    column: str
    what: str
    value: str  # the mutated cell

    @property
    def target(self) -> str:
        return f"tag:{self.row}" if self.sheet == "tags" else f"rule:{self.entity}:{self.row}"

    def describe(self) -> str:
        return f"{self.target} [{self.column}] {self.what}"


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def all_mutants(source: Path) -> list[Mutant]:
    out: list[Mutant] = []
    for entity in ENTITIES:
        _, tags = read_rows(source / entity / "tags.csv")
        for row in tags:
            tag = row["tag"]
            for column in ("condition", "expires"):
                if row[column].strip():
                    out += [Mutant(entity, "tags", tag, column, w, v) for w, v in mutants(row[column])]
            if row["kind"] != "auto" and row["condition"].strip():
                out.append(Mutant(entity, "tags", tag, "condition", "drop the prerequisite", ""))
            if row["expires"].strip():
                out.append(Mutant(entity, "tags", tag, "expires", "drop the expiry", ""))
            for column in ("requires", "excludes", "required_fields"):
                items = row[column].split()
                for i, item in enumerate(items):
                    out.append(Mutant(entity, "tags", tag, column, f"drop {item}", " ".join(items[:i] + items[i + 1:])))
        _, rules = read_rows(source / entity / "rules.csv")
        for row in rules:
            out += [Mutant(entity, "rules", row["rule"], "expression", w, v) for w, v in mutants(row["expression"])]
    return out


class Workspace:
    """A temporary copy of the template sources and built workbooks."""

    def __init__(self, source: Path, folder: Path) -> None:
        self.source = source
        self.folder = folder
        for entity in ENTITIES:
            shutil.copytree(source / entity, folder / entity)
            shutil.copy2(source / f"{entity}.xlsx", folder / f"{entity}.xlsx")

    def apply(self, m: Mutant | None, roundtrip: bool = False) -> None:
        """Write ``m`` (None: the sources as they are, or with every expression unparsed) and build."""
        entities = ENTITIES if m is None else (m.entity,)
        for entity in entities:
            for sheet in ("tags", "rules"):
                header, rows = read_rows(self.source / entity / f"{sheet}.csv")
                key = "tag" if sheet == "tags" else "rule"
                for row in rows:
                    if roundtrip:
                        for column in ("condition", "expires", "expression"):
                            if row.get(column, "").strip():
                                row[column] = unparse(parse(row[column]))
                    if m is not None and m.sheet == sheet and row[key] == m.row:
                        row[m.column] = m.value
                write_rows(self.folder / entity / f"{sheet}.csv", header, rows)
            build_templates.build_to(self.folder / entity, self.folder / f"{entity}.xlsx")

    def restore(self, m: Mutant) -> None:
        for sheet in ("tags", "rules"):
            shutil.copy2(self.source / m.entity / f"{sheet}.csv", self.folder / m.entity / f"{sheet}.csv")
        shutil.copy2(self.source / f"{m.entity}.xlsx", self.folder / f"{m.entity}.xlsx")


def run(only: list[str], listing: bool, json_path: Path | None) -> int:
    source = ROOT / "templates"
    todo = [m for m in all_mutants(source) if not only or m.target in only or m.row in only]
    if listing:
        for m in todo:
            print(f"{m.describe()}: {m.value}")
        print(f"{len(todo)} mutants")
        return 0
    started = time.monotonic()
    killed = invalid = 0
    survivors: list[Mutant] = []
    with tempfile.TemporaryDirectory(prefix="ybt-mutants-") as tmp:
        ws = Workspace(source, Path(tmp))
        ws.apply(None, roundtrip=True)  # the unparsed catalogue must behave exactly as the original
        broken = failures(make_validator(Path(tmp)))
        if broken:
            for case, got in broken:
                print(f"unmutated (unparsed) catalogue fails {case.id}: {got}", file=sys.stderr)
            return 2
        for entity in ENTITIES:
            ws.restore(Mutant(entity, "tags", "", "", "", ""))
        for n, m in enumerate(todo, 1):
            try:
                ws.apply(m)
                validator = make_validator(Path(tmp))
            except Exception as e:  # the loader refuses the mutant: it cannot ship
                invalid += 1
                print(f"[{n}/{len(todo)}] invalid   {m.describe()}: {type(e).__name__}", flush=True)
                ws.restore(m)
                continue
            failed = failures(validator)
            ws.restore(m)
            if failed:
                killed += 1
            else:
                survivors.append(m)
                print(f"[{n}/{len(todo)}] SURVIVES  {m.describe()}: {m.value}", flush=True)
    took = time.monotonic() - started
    unexplained = [m for m in survivors if equivalent(m) is None]
    listed = {(m.target, m.what) for m in todo} & set(EQUIVALENT)
    no_longer = sorted(listed - {(m.target, m.what) for m in survivors})
    print(f"\n{len(todo)} mutants: {killed} killed, {len(survivors)} surviving "
          f"({len(survivors) - len(unexplained)} equivalent, {len(unexplained)} unexplained), "
          f"{invalid} refused by the loader ({took:.0f} s)")
    for m in survivors:
        print(f"  {m.describe()}\n      {m.value}\n      equivalent: {equivalent(m) or 'NO - add a case'}")
    for target, what in no_longer:
        print(f"  listed as equivalent but killed (drop it from EQUIVALENT): {target} {what}")
    if json_path is not None:
        json_path.write_text(json.dumps({
            "mutants": len(todo), "killed": killed, "invalid": invalid, "seconds": round(took),
            "survivors": [dataclasses.asdict(m) | {"target": m.target, "equivalent": equivalent(m)} for m in survivors],
        }, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if unexplained or no_longer else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutate_catalogue", description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", default=[], metavar="TARGET",
                        help="tag or rule ids (or tag:ID / rule:ENTITY:ID) to mutate; default all")
    parser.add_argument("--list", action="store_true", help="list the mutants without running them")
    parser.add_argument("--json", type=Path, help="write the counts and survivors to this file")
    args = parser.parse_args(argv)
    return run(args.only, args.list, args.json)


if __name__ == "__main__":
    sys.exit(main())
