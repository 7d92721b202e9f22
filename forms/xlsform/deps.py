"""Dependency graphs of a template: calculation order and cycle detection.

Used for calculations (``${x}`` references between calculated fields), tag prerequisites
(``requires``) and auto tags that test other auto tags with ``has-tag``.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence


def find_cycles(order: Sequence[str], edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Every elementary cycle found by a depth-first walk, each as a path ``[a, b, ..., a]``.

    Nodes are visited in ``order`` (e.g. sheet order) so results are stable; each cycle is
    reported once, starting at its earliest node in ``order``. Iterative: no recursion limit.
    """
    rank = {n: i for i, n in enumerate(order)}
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(order, white)
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    for start in order:
        if colour[start] != white:
            continue
        path: list[str] = [start]
        on_path = {start: 0}
        colour[start] = grey
        iters = [iter(sorted((e for e in edges.get(start, ()) if e in rank), key=rank.__getitem__))]
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                node = path.pop()
                del on_path[node]
                colour[node] = black
                iters.pop()
                continue
            if colour[nxt] == grey and nxt in on_path:
                cyc = path[on_path[nxt] :]
                key = frozenset(cyc)
                if key not in seen:
                    seen.add(key)
                    first = min(range(len(cyc)), key=lambda i: rank[cyc[i]])
                    rotated = cyc[first:] + cyc[:first]
                    cycles.append([*rotated, rotated[0]])
            elif colour[nxt] == white:
                colour[nxt] = grey
                on_path[nxt] = len(path)
                path.append(nxt)
                iters.append(iter(sorted((e for e in edges.get(nxt, ()) if e in rank), key=rank.__getitem__)))
    return cycles


def topological_order(order: Sequence[str], edges: Mapping[str, Iterable[str]]) -> list[str]:
    """Nodes so that each comes after the nodes it depends on (``edges[n]`` = dependencies).

    Ties keep ``order``. Nodes on a cycle are appended at the end in ``order`` (the caller reports
    the cycle as an error; the order is then only informative).
    """
    rank = {n: i for i, n in enumerate(order)}
    deps = {n: {d for d in edges.get(n, ()) if d in rank and d != n} for n in order}
    users: dict[str, list[str]] = {n: [] for n in order}
    for n, ds in deps.items():
        for d in ds:
            users[d].append(n)
    remaining = {n: len(ds) for n, ds in deps.items()}
    ready = [rank[n] for n in order if remaining[n] == 0]
    heapq.heapify(ready)
    out: list[str] = []
    while ready:
        n = order[heapq.heappop(ready)]
        out.append(n)
        for u in users[n]:
            remaining[u] -= 1
            if remaining[u] == 0:
                heapq.heappush(ready, rank[u])
    done = set(out)
    out.extend(n for n in order if n not in done)
    return out
