"""Benchmarks. Run one with ``python -m tests.bench NAME [--n N] [--json]``.

Each benchmark is a module ``tests.bench.NAME`` with ``run(n: int | None) -> dict`` returning
figures (name -> number or text). Benchmarks are never run by the test suite's timing assertions;
they print what they measure.
"""
