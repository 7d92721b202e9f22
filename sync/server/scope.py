"""Who is asking and what they may see: role and area scope, checked on every endpoint.

Area codes are hierarchical by prefix (docs/protocol.md), so "in scope" is a prefix test: a user's
scope is the areas assigned to it and everything below them; the ancestors of those areas are visible
as names (area records, templates published above) but their other content is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from sync.server.errors import forbidden

ROLE_RANK = {"worker": 1, "supervisor": 2, "admin": 3}


@dataclass(frozen=True)
class Principal:
    user_id: str
    username: str
    display_name: str
    role: str
    #: Assigned area codes (grids for a worker, a community for a supervisor, a street/district for an admin).
    roots: tuple[str, ...]
    session_id: str = ""
    #: Every ancestor code of the roots (for area names and templates published above).
    ancestors: frozenset[str] = field(default_factory=frozenset)
    #: An admin reset the password: only changing it (and /me, logout) is allowed until then.
    must_change_password: bool = False
    #: The last day the account may work (ISO date; contractors, 第三方人员), or None.
    end_date: str | None = None

    def covers(self, code: str | None) -> bool:
        """True when ``code`` is one of the roots or below one."""
        return bool(code) and any(code.startswith(r) for r in self.roots)  # type: ignore[union-attr]

    def sees_area(self, code: str) -> bool:
        return self.covers(code) or code in self.ancestors or code == ""

    def require_role(self, *roles: str) -> None:
        if self.role not in roles:
            raise forbidden(f"role {self.role} may not do this")

    def require_covers(self, code: str | None) -> None:
        if not self.covers(code):
            raise forbidden("area outside your scope")

    def fingerprint(self) -> str:
        import hashlib

        text = self.role + "|" + ",".join(sorted(self.roots))
        return hashlib.sha256(text.encode()).hexdigest()[:8]


def ancestor_codes(roots: Iterable[str], parents: dict[str, str | None]) -> frozenset[str]:
    found: set[str] = set()
    for root in roots:
        code = parents.get(root)
        while code and code not in found:
            found.add(code)
            code = parents.get(code)
    return frozenset(found)


def covers_clause(column: sa.ColumnElement[str], roots: Iterable[str]) -> ColumnElement[bool]:
    """SQL: ``column`` lies in one of ``roots`` (prefix range; ':' sorts right after '9')."""
    parts = [sa.and_(column >= r, column < r + ":") for r in roots]
    return sa.or_(*parts) if parts else sa.false()


def visible_clause(column: sa.ColumnElement[str], principal: Principal) -> ColumnElement[bool]:
    """SQL: an object scoped to area ``column`` is visible (in scope, an ancestor, or global)."""
    extra = [*principal.ancestors, ""]
    return sa.or_(covers_clause(column, principal.roots), column.in_(extra))
