"""The wire format of the sync protocol (docs/protocol.md), shared by the client and the server.

Plain TypedDicts, constants and small pure helpers: no web framework, no database, no network.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal, NotRequired, TypedDict

API_PREFIX = "/api/v1"
PROTOCOL_VERSION = "1"

ROLES = ("worker", "supervisor", "admin")
AREA_LEVELS = ("district", "street", "community", "grid")
#: Length of an area code per level: codes are hierarchical by prefix.
AREA_CODE_LENGTH = {"district": 6, "street": 9, "community": 12, "grid": 15}
ENTITY_KINDS = ("person", "house", "household")
STATES = ("active", "moved_out", "deceased")

CHANGE_TYPES = ("entity", "template", "tag_catalogue", "codelist", "area", "assignment", "review", "visit")
OUTCOMES = ("accepted", "duplicate", "conflict", "rejected")
#: Results of a visit (走访): verified, changed, nobody at home, refused.
VISIT_RESULTS = ("已核实", "有变更", "无人在家", "拒访")
#: Outcomes of a pushed visit (``POST /visits``).
VISIT_OUTCOMES = ("accepted", "duplicate", "rejected")
#: Verification cycles (platform setting ``visit_cycle``).
VISIT_CYCLES = ("month", "quarter", "half-year", "year")
DEFAULT_VISIT_CYCLE = "quarter"
#: Persons named in one visit, at most.
MAX_VISIT_PERSONS = 500
ACCEPTED_STATUSES = ("applied", "pending_review")
REVIEW_STATUSES = ("pending", "approved", "returned")
#: Pseudo-field names used in conflicts and history for links, state, grid and tags.
META_FIELDS = ("$state", "$house_id", "$household_id", "$grid")
TAGS_FIELD = "$tags"

MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_BATCH = 200
DEFAULT_PAGE = 500
MAX_PAGE = 5000
ACCESS_TOKEN_SECONDS = 15 * 60
REFRESH_TOKEN_SECONDS = 30 * 24 * 3600

ERROR_CODES = (
    "bad_request", "unauthorized", "token_expired", "forbidden", "not_found", "method_not_allowed",
    "conflict", "payload_too_large", "unsupported_media_type", "validation_error", "template_invalid",
    "too_many_requests", "internal_error",
)

Role = Literal["worker", "supervisor", "admin"]
Outcome = Literal["accepted", "duplicate", "conflict", "rejected"]


class ErrorBody(TypedDict):
    code: str
    message: str
    details: dict[str, Any]


class AreaDict(TypedDict):
    code: str
    name: str
    level: str
    parent: str | None


class UserDict(TypedDict):
    id: str
    username: str
    display_name: str
    role: str
    areas: list[AreaDict]


class LoginRequest(TypedDict):
    username: str
    password: str
    device_id: str


class TokenResponse(TypedDict):
    access_token: str
    refresh_token: str
    expires_at: str
    refresh_expires_at: str
    user: UserDict


class EntityDict(TypedDict):
    id: str
    kind: str
    template: str
    template_version: str
    grid: str
    house_id: str | None
    household_id: str | None
    data: dict[str, Any]
    tags: list[str]
    rev: int
    state: str
    updated_at: str


class ChangeItem(TypedDict):
    seq: int
    type: str
    id: str
    deleted: bool
    data: dict[str, Any] | None


class ChangesResponse(TypedDict):
    items: list[ChangeItem]
    next_cursor: str
    has_more: bool
    reset: bool


class Patch(TypedDict):
    entity_id: str
    kind: str
    op: Literal["create", "update"]
    base_rev: int | None
    set: dict[str, Any]
    template: NotRequired[str | None]
    template_version: NotRequired[str | None]
    grid: NotRequired[str | None]
    house_id: NotRequired[str | None]
    household_id: NotRequired[str | None]
    tags_add: NotRequired[list[str]]
    tags_remove: NotRequired[list[str]]
    state: NotRequired[str | None]


class Submission(TypedDict):
    id: str
    patches: list[Patch]
    device_id: NotRequired[str | None]
    created_at: NotRequired[str | None]
    resubmits: NotRequired[str | None]
    note: NotRequired[str | None]
    client_validation: NotRequired[dict[str, Any] | None]


class Visit(TypedDict):
    """A pushed visit (``POST /visits``)."""

    id: str
    house_id: str
    date: str
    result: str
    note: NotRequired[str]
    person_ids: NotRequired[list[str] | None]
    device_id: NotRequired[str | None]
    created_at: NotRequired[str | None]
    submission_id: NotRequired[str | None]


class VisitResult(TypedDict):
    id: str
    outcome: str
    visit: NotRequired[dict[str, Any]]
    issues: NotRequired[list[dict[str, Any]]]
    original: NotRequired[dict[str, Any]]


class ConflictItem(TypedDict):
    entity_id: str
    field: str
    base: Any
    mine: Any
    theirs: Any
    theirs_rev: int


class Issue(TypedDict):
    entity_id: str
    field: str
    rule: str
    severity: str
    kind: str
    message: str
    message_en: str


class SubmissionResult(TypedDict):
    id: str
    outcome: str
    status: NotRequired[str]
    revisions: NotRequired[dict[str, int]]
    conflicts: NotRequired[list[ConflictItem]]
    issues: NotRequired[list[Issue]]
    original: NotRequired[dict[str, Any]]


def utc_now() -> datetime:
    return datetime.now(UTC)


def format_ts(moment: datetime) -> str:
    """ISO 8601 UTC with a ``Z`` suffix, second precision."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_ts(text: str) -> datetime:
    """Parse a protocol timestamp (``Z`` or an offset). Raises ValueError."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def area_level_for_code(code: str) -> str | None:
    """The level implied by the length of an area code, or None."""
    for level, length in AREA_CODE_LENGTH.items():
        if len(code) == length and code.isdigit():
            return level
    return None


def in_area(code: str, root: str) -> bool:
    """True when area ``code`` is ``root`` or below it (codes are hierarchical by prefix)."""
    return code.startswith(root)
