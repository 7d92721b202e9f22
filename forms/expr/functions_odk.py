"""ODK Collect's remaining functions: ``uuid``, ``once``, ``digest``, ``checklist``, ``weighted-checklist``.

Semantics from ODK's documented function list (the XLSForm "Form operators and functions" page) and
JavaRosa: ``checklist(min, max, v…)`` is true when the number of true values lies in [min, max]
(−1: no bound); ``weighted-checklist(min, max, v1, w1, …)`` the same over the weights of true values;
``digest(data, algorithm[, 'base64'|'hex'])`` with MD5, SHA-1, SHA-256, SHA-384, SHA-512;
``uuid()`` a random version-4 UUID, ``uuid(n)`` n random letters and digits; ``once(expr)`` the
field's own value when it has one, else ``expr`` (so it is computed once).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import string
import uuid
from typing import Any

from forms.errors import ExprError
from forms.expr.ast import Call, Literal
from forms.expr.code import Code
from forms.expr.registry import Compiler, register, strict
from forms.expr.values import NAN, to_bool, to_number, to_string

_ALPHANUMERIC = string.ascii_letters + string.digits
_DIGESTS = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}
_ENCODINGS = ("BASE64", "HEX")


def _uuid(length: Any = None) -> str:
    if length is None:
        return str(uuid.uuid4())
    n = to_number(length)
    if n != n or n < 0 or n > 10_000:
        return ""
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(int(n)))


def _flatten(values: tuple[Any, ...]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        out.extend(v if type(v) is list else [v])
    return out


def _within(count: float, low: Any, high: Any) -> bool:
    lo, hi = to_number(low), to_number(high)
    return (lo == -1 or count >= lo) and (hi == -1 or count <= hi)


def _checklist(low: Any, high: Any, *values: Any) -> bool:
    return _within(sum(1 for v in _flatten(values) if to_bool(v)), low, high)


def _weighted_checklist(low: Any, high: Any, *pairs: Any) -> Any:
    items = _flatten(pairs)
    if len(items) % 2:
        return NAN
    total = 0.0
    for value, weight in zip(items[0::2], items[1::2], strict=True):
        if to_bool(value):
            total += to_number(weight)
    return _within(total, low, high)


def _digest(data: Any, algorithm: Any, encoding: Any = "base64") -> str:
    name = _DIGESTS.get(to_string(algorithm).upper())
    kind = to_string(encoding).upper()
    if name is None or kind not in _ENCODINGS:
        raise ValueError("digest: unknown algorithm or encoding")
    raw = hashlib.new(name, to_string(data).encode("utf-8")).digest()
    return raw.hex() if kind == "HEX" else base64.b64encode(raw).decode("ascii")


def _build_digest(comp: Compiler, node: Call) -> Code:
    """A quoted algorithm or encoding is checked where the template loads."""
    for arg, known in zip(node.args[1:], (_DIGESTS, _ENCODINGS), strict=False):
        if isinstance(arg, Literal) and isinstance(arg.value, str) and arg.value.upper() not in known:
            raise ExprError(f"digest() knows {', '.join(known)}; not {arg.value!r}", arg.pos, "type")
    fns = [comp.compile(a).fn for a in node.args]

    def run(c: Any) -> str:
        try:
            return _digest(*[f(c) for f in fns])
        except ValueError:
            return ""

    return Code(run, "str", cost=5, share=True)


def _build_once(comp: Compiler, node: Call) -> Code:
    inner = comp.compile(node.args[0])
    f = inner.fn

    def run(c: Any) -> Any:
        mine = c.current
        return mine if mine is not None and to_string(mine) != "" else f(c)

    return Code(run, "any", volatile=True, cost=inner.cost + 1)


strict("uuid", 0, 1, _uuid, "str", foldable=False, volatile=True)
strict("checklist", 2, None, _checklist, "bool", cost=2)
strict("weighted-checklist", 2, None, _weighted_checklist, "any", cost=2)
register("digest", 2, 3, _build_digest)
register("once", 1, 1, _build_once)
