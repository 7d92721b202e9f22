"""Problems found in one cell: a stable code (kept across versions: reports and the annotated
workbook name it), a severity, and the message in both languages."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class CellIssue:
    code: str
    severity: str
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "message_zh": self.message_zh,
                "message_en": self.message_en}


def error(code: str, zh: str, en: str) -> CellIssue:
    return CellIssue(code, ERROR, zh, en)


def warning(code: str, zh: str, en: str) -> CellIssue:
    return CellIssue(code, WARNING, zh, en)
