"""Tokenizer and parser for XLSForm expressions.

Grammar (XPath 1.0 operator precedence, loosest first)::

    expr    := or
    or      := and ("or" and)*
    and     := eq ("and" eq)*
    eq      := cmp (("=" | "!=") cmp)*
    cmp     := add (("<" | "<=" | ">" | ">=") add)*
    add     := mul (("+" | "-") mul)*
    mul     := unary (("*" | "div" | "mod") unary)*
    unary   := "-" unary | primary
    primary := NUMBER | STRING | "${" name "}" | "." | "(" expr ")" | fname "(" [expr ("," expr)*] ")"

The binary levels are parsed by precedence climbing (one loop, not one function per level) over
tokens that one compiled regular expression scans from the whole text. Every fault raises
:class:`forms.errors.ExprError` with the 0-based position where it was found: a text the fast
scanner does not accept is scanned again character by character, which says what is wrong and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forms.errors import ExprError
from forms.expr.ast import Binary, Call, Current, Literal, Node, Ref, Unary

MAX_NESTING = 50  # parentheses, unary minus and calls (the parser recurses on these)
MAX_DEPTH = 150  # depth of the finished tree (long operator chains)
MAX_LENGTH = 20_000

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z_][A-Za-z0-9_\-]*)?")
_FIELD = re.compile(r"[^\W\d][\w.\-]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_DIGITS = frozenset("0123456789")
_SPACE = " \t\r\n\u3000"
_WORD_OPS = {"and", "or", "div", "mod"}

#: Spaces, then one token: ``findall`` gives (spaces, token) pairs, which is several times as fast
#: as a match object for each token; a token's first character tells its kind (:data:`_KINDS`).
#: The last alternatives take what the character-by-character scanner (:func:`_scan_slowly`) must
#: look at to report (a lone ``$``, ``!`` or quote, ``..``, any other character).
_SCAN = re.compile(
    r"([ \t\r\n\u3000]*)("
    r"\$\{[^}]*\}"
    r"|'[^']*'|\"[^\"]*\""
    r"|[0-9]+(?:\.[0-9]*)?|\.[0-9]+"
    r"|[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z_][A-Za-z0-9_\-]*)?"
    r"|!=|<=|>=|\.\.|[=<>+\-*(),.]"
    r"|[^ \t\r\n\u3000]"
    r")"
)
#: A token's kind by its first character (absent: a character no token starts with).
_KINDS: dict[str, str] = {
    **dict.fromkeys("0123456789", "num"),
    **dict.fromkeys("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_", "name"),
    **dict.fromkeys("=<>+-*", "op"),
    **dict.fromkeys("(),", "punct"),
    "$": "ref", "'": "str", '"': "str", ".": "dot", "!": "bang",
}

#: Binding power of each binary operator (a token whose text is one of these, in operator position).
_PREC = {
    "or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
    "+": 5, "-": 5, "*": 6, "div": 6, "mod": 6,
}

#: A scanned token: (kind, text, position, value).
_Tok = tuple[str, str, int, object]


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # num str ref name op ( ) , . eof
    text: str
    pos: int
    value: object = None


def _scan(text: str) -> list[_Tok]:
    """The tokens of ``text`` (the last one ``eof``); raises :class:`ExprError` at the first fault."""
    out: list[_Tok] = []
    append = out.append
    kinds = _KINDS
    pos = 0
    for spaces, s in _SCAN.findall(text):
        pos += len(spaces)
        kind = kinds.get(s[0])
        if kind == "name" or kind == "op":
            append((kind, s, pos, None))
        elif kind == "ref":
            name = s[2:-1].strip()
            if len(s) < 3 or not name or not _FIELD.fullmatch(name):
                break  # a lone "$", or not a field name
            append(("ref", s, pos, name))
        elif kind == "str":
            if len(s) < 2:
                break  # a quote not closed
            append(("str", s, pos, s[1:-1]))
        elif kind == "num":
            append(("num", s, pos, float(s) if "." in s else int(s)))
        elif kind == "punct":
            append((s, s, pos, None))
        elif kind == "dot":
            if s == "..":
                break
            append((".", ".", pos, None) if len(s) == 1 else ("num", s, pos, float(s)))
        elif kind == "bang" and len(s) == 2:
            append(("op", s, pos, None))
        else:
            break
        pos += len(s)
    else:
        out.append(("eof", "", len(text), None))
        return out
    _scan_slowly(text)  # raises the located error
    raise ExprError("unexpected text", pos)  # pragma: no cover - the slow scan raised


def _scan_slowly(text: str) -> list[_Tok]:
    """Character by character: what says exactly what is wrong, and where."""
    tokens: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _SPACE:
            i += 1
            continue
        if c == "$":
            if i + 1 >= n or text[i + 1] != "{":
                raise ExprError("'$' must start a field reference like ${name}", i)
            close = text.find("}", i + 2)
            if close < 0:
                raise ExprError("field reference '${' is not closed with '}'", i)
            name = text[i + 2 : close].strip()
            if not name or not _FIELD.fullmatch(name):
                raise ExprError(f"'{text[i : close + 1]}' is not a valid field name", i)
            tokens.append(("ref", text[i : close + 1], i, name))
            i = close + 1
            continue
        if c in "'\"":
            close = text.find(c, i + 1)
            if close < 0:
                raise ExprError(f"text starting with {c} is not closed", i)
            tokens.append(("str", text[i : close + 1], i, text[i + 1 : close]))
            i = close + 1
            continue
        if c in _DIGITS or (c == "." and i + 1 < n and text[i + 1] in _DIGITS):
            m = _NUMBER.match(text, i)
            if m is None:  # pragma: no cover - the checks above guarantee a match
                raise ExprError("bad number", i)
            s = m.group(0)
            value: float | int = float(s) if "." in s else int(s)
            tokens.append(("num", s, i, value))
            i = m.end()
            continue
        if c == ".":
            if text.startswith("..", i):
                raise ExprError("'..' (parent) is not supported; refer to fields with ${name}", i)
            tokens.append((".", ".", i, None))
            i += 1
            continue
        if c in "(),":
            tokens.append((c, c, i, None))
            i += 1
            continue
        two = text[i : i + 2]
        if two in ("!=", "<=", ">="):
            tokens.append(("op", two, i, None))
            i += 2
            continue
        if c in "=<>+-*":
            tokens.append(("op", c, i, None))
            i += 1
            continue
        if c == "!":
            raise ExprError("'!' must be followed by '=' (use not(...) for negation)", i)
        if c.isascii() and (c.isalpha() or c == "_"):
            m = _NAME.match(text, i)
            if m is None:  # pragma: no cover
                raise ExprError("bad name", i)
            tokens.append(("name", m.group(0), i, None))
            i = m.end()
            continue
        raise ExprError(f"unexpected character {c!r}", i)
    tokens.append(("eof", "", n, None))
    return tokens


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, the last one ``eof``; raises :class:`ExprError` at the first fault."""
    return [Token(kind, s, pos, value) for kind, s, pos, value in _scan(text)]


def _describe(tok: _Tok) -> str:
    if tok[0] == "eof":
        return "end of expression"
    return f"'{tok[1]}'"


class _Parser:
    __slots__ = ("depth", "i", "tokens")

    def __init__(self, tokens: list[_Tok]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def parse(self) -> Node:
        if self.tokens[0][0] == "eof":
            raise ExprError("the expression is empty", 0)
        node = self.expr()
        tok = self.tokens[self.i]
        if tok[0] != "eof":
            raise ExprError(f"unexpected {_describe(tok)}; an operator or the end was expected", tok[2])
        return node

    def expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExprError("the expression is nested too deeply", self.tokens[self.i][2])
        node = self.binary(1)
        self.depth -= 1
        return node

    def binary(self, min_prec: int) -> Node:
        """Operands joined by operators binding at least ``min_prec``, left-associative."""
        tokens = self.tokens
        # only the operator "-" has the text "-" (a string's has its quotes): then a unary minus
        left = self.unary() if tokens[self.i][1] == "-" else self.primary()
        prec = _PREC
        while True:
            tok = tokens[self.i]
            p = prec.get(tok[1], 0)  # only an operator's text is a key
            if p < min_prec:
                return left
            self.i += 1
            if p < 6:
                right = self.binary(p + 1)
            else:
                right = self.unary() if tokens[self.i][1] == "-" else self.primary()
            left = Binary(left.pos, tok[1], left, right, tok[2])

    def unary(self) -> Node:
        tok = self.tokens[self.i]
        if tok[1] == "-" and tok[0] == "op":
            self.i += 1
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise ExprError("the expression is nested too deeply", tok[2])
            operand = self.unary()
            self.depth -= 1
            return Unary(tok[2], "-", operand)
        return self.primary()

    def primary(self) -> Node:
        tokens = self.tokens
        tok = tokens[self.i]
        self.i += 1
        kind = tok[0]
        if kind == "ref":
            return Ref(tok[2], tok[3])  # type: ignore[arg-type]
        if kind == "num" or kind == "str":
            return Literal(tok[2], tok[3])
        if kind == ".":
            return Current(tok[2])
        if kind == "(":
            inner = self.expr()
            close = tokens[self.i]
            self.i += 1
            if close[0] != ")":
                raise ExprError(
                    f"')' expected to close the '(' at position {tok[2]}, found {_describe(close)}",
                    close[2],
                )
            return inner
        if kind == "name":
            name = tok[1]
            if tokens[self.i][0] != "(":
                if name in _WORD_OPS:
                    raise ExprError(f"'{name}' needs a value before it", tok[2])
                raise ExprError(
                    f"'{name}' is not a value: refer to fields as ${{{name}}}, call functions as {name}(...)",
                    tok[2],
                )
            self.i += 1
            if tokens[self.i][0] == ")":
                self.i += 1
                return Call(tok[2], name, ())
            args: list[Node] = []
            while True:
                args.append(self.expr())
                sep = tokens[self.i]
                self.i += 1
                if sep[0] == ")":
                    break
                if sep[0] != ",":
                    raise ExprError(
                        f"',' or ')' expected in the arguments of {name}(), found {_describe(sep)}",
                        sep[2],
                    )
            return Call(tok[2], name, tuple(args))
        if kind == "eof":
            raise ExprError("the expression ends where a value was expected", tok[2])
        raise ExprError(f"unexpected {_describe(tok)}; a value was expected", tok[2])


def parse(text: str) -> Node:
    """Parse an expression; raises :class:`ExprError` (code ``syntax``) with the position of the fault."""
    if not isinstance(text, str):
        raise ExprError("the expression must be text", 0)
    if len(text) > MAX_LENGTH:
        raise ExprError(f"the expression is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    tokens = _scan(text)
    node = _Parser(tokens).parse()
    if len(tokens) > MAX_DEPTH:  # each node has a token of its own: fewer tokens, a shallower tree
        _check_depth(node)
    return node


def _check_depth(root: Node) -> None:
    """Long operator chains build deep trees without recursion in the parser; bound them here."""
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, d = stack.pop()
        if d > MAX_DEPTH:
            raise ExprError("the expression is nested too deeply", node.pos)
        if isinstance(node, Binary):
            stack.append((node.left, d + 1))
            stack.append((node.right, d + 1))
        elif isinstance(node, Unary):
            stack.append((node.operand, d + 1))
        elif isinstance(node, Call):
            stack.extend((a, d + 1) for a in node.args)
