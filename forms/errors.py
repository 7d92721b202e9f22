"""The error types of the domain layer.

Every fault found while loading a template is a :class:`Problem` that names the sheet, the row
(1-based, as Excel shows it), the column and, for expressions, the 0-based character position.
The loader collects them all and raises one :class:`TemplateError`; it never raises anything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One fault (or warning) in a template."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    position: int | None = None
    code: str = "invalid"
    severity: str = "error"  # "error" | "warning"

    def where(self) -> str:
        parts: list[str] = []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        if self.position is not None:
            parts.append(f"position {self.position}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message

    def to_json(self) -> dict[str, object]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "position": self.position,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


class FormsError(Exception):
    """Base class of every error this package raises on purpose."""


@dataclass
class TemplateError(FormsError):
    """A template could not be loaded. ``problems`` holds every fault found, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems) or "invalid template"


class ExprError(FormsError):
    """An expression could not be parsed or compiled.

    ``position`` is the 0-based offset in the expression text where the fault was found.
    ``code`` is stable: syntax, unknown_field, unknown_function, arity, type, cycle.
    """

    def __init__(self, message: str, position: int | None = None, code: str = "syntax") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.code = code

    def __str__(self) -> str:
        if self.position is None:
            return self.message
        return f"{self.message} (at position {self.position})"


class EvalError(FormsError):
    """Raised by evaluation only for faults that cannot yield a value (e.g. a bad regex at run time)."""
