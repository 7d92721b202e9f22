"""Run a benchmark: ``python -m tests.bench NAME [--n N] [--json]``."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from collections.abc import Callable, Sequence
from typing import cast

Figures = dict[str, float | int | str]


def available() -> list[str]:
    import tests.bench as package

    return sorted(m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_"))


def _format(value: float | int | str) -> str:
    if isinstance(value, (bool, str)):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.4g}"


def render_table(name: str, figures: Figures) -> str:
    width = max((len(k) for k in figures), default=0)
    lines = [f"benchmark {name}"]
    lines += [f"  {key.ljust(width)}  {_format(value)}" for key, value in figures.items()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("name", help="benchmark module in tests/bench/ (" + ", ".join(available()) + ")")
    parser.add_argument(
        "--n", type=int, default=None, help="problem size (the benchmark's default if omitted)"
    )
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object")
    args = parser.parse_args(argv)
    if args.name not in available():
        parser.error(f"no benchmark named {args.name!r}; available: {', '.join(available()) or 'none'}")
    if args.n is not None and args.n <= 0:
        parser.error("--n must be a positive integer")
    module = importlib.import_module(f"tests.bench.{args.name}")
    run = cast(Callable[[int | None], Figures], module.run)
    figures = run(args.n)
    if args.json:
        sys.stdout.write(json.dumps(figures, ensure_ascii=False) + "\n")
    else:
        print(render_table(args.name, figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
