"""``regex()`` in linear time: patterns compiled by RE2 (google-re2), never by a backtracking engine.

A backtracking engine (Python's ``re``, Java's, JavaScript's) takes exponential time on patterns such as
``(a+)+$``: 34 characters held the platform's write lock for about 14 minutes. RE2 matches in time
linear in the input, whatever the pattern, and refuses what it cannot do in linear time
(backreferences, lookaround) when the template loads. The syntax is what forms use (Java's, which
JavaRosa runs): classes, ``{m,n}``, groups, alternation, ``^``/``$``, ``\\d`` (ASCII digits, as in
Java), and ``\\uXXXX`` escapes, which are rewritten to RE2's ``\\x{XXXX}``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import re2
from re2 import _re2

_OPTIONS = re2.Options()
_OPTIONS.never_capture = True  # only "does it match": no groups to record
_OPTIONS.log_errors = False  # an invalid pattern is reported to the template's author, not to stderr
_BOTH = _re2.RE2.Anchor.ANCHOR_BOTH
#: ``\uXXXX`` not preceded by an odd number of backslashes (Java and Python syntax; RE2 writes \x{XXXX}).
_UNICODE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9a-fA-F]{4})")


class Pattern:
    """A compiled pattern; ``fullmatch(text)`` is true when it matches the whole text."""

    __slots__ = ("_re", "source")

    def __init__(self, source: str, compiled: Any) -> None:
        self.source = source
        self._re = compiled

    def fullmatch(self, text: str) -> bool:
        data = text.encode("utf-8", "surrogatepass")
        return bool(self._re.Match(_BOTH, data, 0, len(data))[0][0] >= 0)  # (-1, -1): no match


class PatternError(ValueError):
    """The pattern is not valid, or needs what RE2 cannot do in linear time."""


def translate(source: str) -> str:
    return _UNICODE_ESCAPE.sub(lambda m: f"{m.group(1)}\\x{{{m.group(2)}}}", source)


@functools.lru_cache(maxsize=512)
def compile_pattern(source: str) -> Pattern:
    """Compile ``source`` (cached); :class:`PatternError` says why it cannot be used."""
    compiled = _re2.RE2(translate(source).encode("utf-8", "surrogatepass"), _OPTIONS)
    if not compiled.ok():
        reason = compiled.error()
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        hint = ""
        if re.search(r"\\[1-9]|\(\?[=!<]", source):
            hint = " (backreferences and lookaround cannot be matched in linear time)"
        raise PatternError(f"{reason}{hint}")
    return Pattern(source, compiled)


__all__ = ["Pattern", "PatternError", "compile_pattern", "translate"]
