"""Natural sort keys for place values (楼栋 / 单元 / 室): numbers inside compare as numbers.

``natural_key("101") < natural_key("201") < natural_key("1001")``, ``natural_key("2幢") <
natural_key("10幢")``. The key is a plain string, so SQLite compares it with its BINARY collation and
an index serves it (the ``place_key`` column of entities; see ``place_key``).

Each run of ASCII digits (full-width digits count as digits) becomes its length without leading
zeros followed by those digits, so a longer number sorts after a shorter one and numbers of one length
by their digits. The length is one digit for 0–8 significant digits, else ``9``, the number of digits
of the length, and the length (9 → ``919``, 10 → ``9210``): every key is a string of digits, ordered
as the numbers are. Other text is kept as it is (case-sensitive, by code point), so a value that
starts with a number sorts before one that starts with a letter or a CJK character ("101" < "B101"
< "商铺1"). Leading zeros do not count ("01" and "1" tie; the list's own tie-break decides).

Stores keep these keys: a change to them needs a store migration that recomputes ``place_key``
(see ``v8_place_key`` in schema.py), since a row whose place columns are unchanged keeps its key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Ends each part of a place key: below every character a part's key holds, so "1" < "1A" and the
#: next part only counts when the earlier parts are equal.
PART_END = "\u0001"
_DIGITS = re.compile(r"[0-9]+")
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "\u0000": None, "\u0001": None})


def _number(run: str) -> str:
    digits = run.lstrip("0")
    n = len(digits)
    if n <= 8:
        return f"{n}{digits}"
    length = str(n)
    return f"9{len(length)}{length}{digits}"


def natural_key(value: str) -> str:
    """The sort key of one value: digit runs replaced by order-preserving number codes."""
    value = value.translate(_FULL_WIDTH)
    return _DIGITS.sub(lambda m: _number(m.group()), value)


def place_key(parts: Iterable[str]) -> str:
    """The sort key of a place (estate, building, unit, room): the parts' keys, each ended by PART_END."""
    return "".join(natural_key(p) + PART_END for p in parts)
