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

Every fault raises :class:`forms.errors.ExprError` with the 0-based position where it was found.
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


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # num str ref name op ( ) , . eof
    text: str
    pos: int
    value: object = None


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
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
            tokens.append(Token("ref", text[i : close + 1], i, name))
            i = close + 1
            continue
        if c in "'\"":
            close = text.find(c, i + 1)
            if close < 0:
                raise ExprError(f"text starting with {c} is not closed", i)
            tokens.append(Token("str", text[i : close + 1], i, text[i + 1 : close]))
            i = close + 1
            continue
        if c in _DIGITS or (c == "." and i + 1 < n and text[i + 1] in _DIGITS):
            m = _NUMBER.match(text, i)
            if m is None:  # pragma: no cover - the checks above guarantee a match
                raise ExprError("bad number", i)
            s = m.group(0)
            value: float | int = float(s) if "." in s else int(s)
            tokens.append(Token("num", s, i, value))
            i = m.end()
            continue
        if c == ".":
            if text.startswith("..", i):
                raise ExprError("'..' (parent) is not supported; refer to fields with ${name}", i)
            tokens.append(Token(".", ".", i))
            i += 1
            continue
        if c in "(),":
            tokens.append(Token(c, c, i))
            i += 1
            continue
        two = text[i : i + 2]
        if two in ("!=", "<=", ">="):
            tokens.append(Token("op", two, i))
            i += 2
            continue
        if c in "=<>+-*":
            tokens.append(Token("op", c, i))
            i += 1
            continue
        if c == "!":
            raise ExprError("'!' must be followed by '=' (use not(...) for negation)", i)
        if c.isascii() and (c.isalpha() or c == "_"):
            m = _NAME.match(text, i)
            if m is None:  # pragma: no cover
                raise ExprError("bad name", i)
            tokens.append(Token("name", m.group(0), i))
            i = m.end()
            continue
        raise ExprError(f"unexpected character {c!r}", i)
    tokens.append(Token("eof", "", n))
    return tokens


_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"or"}),
    frozenset({"and"}),
    frozenset({"=", "!="}),
    frozenset({"<", "<=", ">", ">="}),
    frozenset({"+", "-"}),
    frozenset({"*", "div", "mod"}),
)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def operator(self, tok: Token) -> str | None:
        if tok.kind == "op":
            return tok.text
        if tok.kind == "name" and tok.text in _WORD_OPS:
            return tok.text
        return None

    def parse(self) -> Node:
        if self.peek().kind == "eof":
            raise ExprError("the expression is empty", 0)
        node = self.expr()
        tok = self.peek()
        if tok.kind != "eof":
            raise ExprError(f"unexpected {self.describe(tok)}; an operator or the end was expected", tok.pos)
        return node

    def expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExprError("the expression is nested too deeply", self.peek().pos)
        node = self.level(0)
        self.depth -= 1
        return node

    def level(self, k: int) -> Node:
        if k == len(_LEVELS):
            return self.unary()
        left = self.level(k + 1)
        ops = _LEVELS[k]
        while True:
            tok = self.peek()
            op = self.operator(tok)
            if op is None or op not in ops:
                return left
            self.next()
            right = self.level(k + 1)
            left = Binary(left.pos, op, left, right, tok.pos)

    def unary(self) -> Node:
        tok = self.peek()
        if tok.kind == "op" and tok.text == "-":
            self.next()
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise ExprError("the expression is nested too deeply", tok.pos)
            operand = self.unary()
            self.depth -= 1
            return Unary(tok.pos, "-", operand)
        return self.primary()

    def describe(self, tok: Token) -> str:
        if tok.kind == "eof":
            return "end of expression"
        return f"'{tok.text}'"

    def primary(self) -> Node:
        tok = self.next()
        if tok.kind == "num" or tok.kind == "str":
            return Literal(tok.pos, tok.value)
        if tok.kind == "ref":
            return Ref(tok.pos, str(tok.value))
        if tok.kind == ".":
            return Current(tok.pos)
        if tok.kind == "(":
            inner = self.expr()
            close = self.next()
            if close.kind != ")":
                raise ExprError(
                    f"')' expected to close the '(' at position {tok.pos}, found {self.describe(close)}",
                    close.pos,
                )
            return inner
        if tok.kind == "name":
            if self.peek().kind != "(":
                if tok.text in _WORD_OPS:
                    raise ExprError(f"'{tok.text}' needs a value before it", tok.pos)
                raise ExprError(
                    f"'{tok.text}' is not a value: refer to fields as ${{{tok.text}}}, call functions as {tok.text}(...)",
                    tok.pos,
                )
            self.next()
            args: list[Node] = []
            if self.peek().kind == ")":
                self.next()
                return Call(tok.pos, tok.text, ())
            while True:
                args.append(self.expr())
                sep = self.next()
                if sep.kind == ")":
                    break
                if sep.kind != ",":
                    raise ExprError(
                        f"',' or ')' expected in the arguments of {tok.text}(), found {self.describe(sep)}",
                        sep.pos,
                    )
            return Call(tok.pos, tok.text, tuple(args))
        if tok.kind == "eof":
            raise ExprError("the expression ends where a value was expected", tok.pos)
        raise ExprError(f"unexpected {self.describe(tok)}; a value was expected", tok.pos)


def parse(text: str) -> Node:
    """Parse an expression; raises :class:`ExprError` (code ``syntax``) with the position of the fault."""
    if not isinstance(text, str):
        raise ExprError("the expression must be text", 0)
    if len(text) > MAX_LENGTH:
        raise ExprError(f"the expression is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    parser = _Parser(text)
    node = parser.parse()
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
