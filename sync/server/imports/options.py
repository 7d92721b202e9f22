"""What an import was asked to do."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("person",)
MODES = ("load", "return")
ON_ERROR = ("skip", "abort")


@dataclass(frozen=True)
class ImportOptions:
    kind: str = "person"
    #: ``load``: master data (creates and updates); ``return``: 数据回流 from ``source``
    mode: str = "load"
    source: str = ""
    #: return mode: the returned tag every row carries
    tag: str = ""
    sheet: str | None = None
    #: rows with errors are left out (``skip``) or stop the whole import (``abort``)
    on_error: str = "skip"
    #: return mode: only add tags, never remove those absent from this list
    incremental: bool = False
    #: header as written -> field ("" ignores the column), from a saved mapping or the admin's edits
    mapping: dict[str, str] = field(default_factory=dict)
    mapping_name: str = ""
    #: return mode: the day the source's list describes (ISO; default: the import's day)
    as_of: str = ""

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "mode": self.mode, "source": self.source, "tag": self.tag, "sheet": self.sheet,
                "on_error": self.on_error, "incremental": self.incremental, "mapping": self.mapping,
                "mapping_name": self.mapping_name, "as_of": self.as_of}
