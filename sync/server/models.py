"""Request bodies (pydantic, unknown fields refused). Responses are plain dicts shaped as in sync.protocol."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sync import protocol

Str200 = Field(min_length=1, max_length=200)


class Strict(BaseModel):
    """Unknown fields refused, and no coercion: ``"1"`` or ``true`` is not an integer, ``5`` not a string."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorOut(BaseModel):
    """Every error answer, for every status (docs/protocol.md, "Errors")."""

    code: str
    message: str
    details: dict[str, Any]


#: The error answers every route may give, documented in /openapi.json.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text} for status, text in (
        (400, "malformed request, or a body the input boundary refuses"),
        (401, "not authenticated, token expired or revoked"),
        (403, "role or area scope does not allow this"),
        (404, "no such object (or outside your scope)"),
        (409, "already exists, or a conflicting master record"),
        (413, "request body too large"),
        (415, "unsupported media type"),
        (422, "fields missing, of the wrong type, unknown or past a bound; a template that does not load"),
        (429, "too many requests; see Retry-After"),
    )
}


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    device_id: str = Field(min_length=1, max_length=200)


class RefreshIn(Strict):
    refresh_token: str = Field(min_length=1, max_length=512)


class LogoutIn(Strict):
    refresh_token: str | None = Field(default=None, max_length=512)


#: What one patch's ``set`` may hold (stated in docs/protocol.md): answers are text, numbers, booleans
#: or null, and a repeat is a list of rows of those.
MAX_SET_KEYS = 1000
MAX_KEY_CHARS = 100
MAX_TEXT_CHARS = 10_000
MAX_REPEAT_ROWS = 500


def _check_answer(value: Any, where: str) -> None:
    if value is None or isinstance(value, bool | int | float):
        return
    if isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            raise ValueError(f"{where}: text longer than {MAX_TEXT_CHARS} characters ({len(value)})")
        return
    raise ValueError(f"{where}: an answer is text, a number, true/false or null, not {type(value).__name__}")


def _check_key(key: str, where: str) -> None:
    if not key or len(key) > MAX_KEY_CHARS:
        raise ValueError(f"{where}: a field name has 1 to {MAX_KEY_CHARS} characters")


def check_set(values: dict[str, Any]) -> dict[str, Any]:
    if len(values) > MAX_SET_KEYS:
        raise ValueError(f"at most {MAX_SET_KEYS} fields in one patch ({len(values)})")
    for key, value in values.items():
        _check_key(key, key[:MAX_KEY_CHARS])
        if isinstance(value, list):  # a repeat: rows of answers
            if len(value) > MAX_REPEAT_ROWS:
                raise ValueError(f"{key}: at most {MAX_REPEAT_ROWS} rows ({len(value)})")
            for i, row in enumerate(value):
                if not isinstance(row, dict):
                    raise ValueError(f"{key}[{i}]: a repeat row is an object of answers")
                if len(row) > MAX_SET_KEYS:
                    raise ValueError(f"{key}[{i}]: at most {MAX_SET_KEYS} fields in a row")
                for name, answer in row.items():
                    _check_key(name, f"{key}[{i}]")
                    _check_answer(answer, f"{key}[{i}].{name}")
        else:
            _check_answer(value, key)
    return values


class PatchIn(Strict):
    entity_id: str = Field(min_length=1, max_length=36)
    kind: Literal["person", "house", "household"]
    op: Literal["create", "update"]
    base_rev: int | None = Field(default=None, ge=0, le=2**31 - 1)
    set: dict[str, Any] = Field(default_factory=dict)
    template: str | None = Field(default=None, max_length=100)
    template_version: str | None = Field(default=None, max_length=64)
    grid: str | None = Field(default=None, max_length=32)
    house_id: str | None = Field(default=None, max_length=36)
    household_id: str | None = Field(default=None, max_length=36)
    tags_add: list[str] = Field(default_factory=list, max_length=500)
    tags_remove: list[str] = Field(default_factory=list, max_length=500)
    state: Literal["active", "moved_out", "deceased"] | None = None

    @field_validator("set")
    @classmethod
    def _bounded(cls, values: dict[str, Any]) -> dict[str, Any]:
        return check_set(values)


class SubmissionIn(Strict):
    id: str = Field(min_length=1, max_length=36)
    patches: list[PatchIn] = Field(min_length=1, max_length=2000)
    device_id: str | None = Field(default=None, max_length=200)
    created_at: str | None = Field(default=None, max_length=40)
    resubmits: str | None = Field(default=None, max_length=36)
    note: str | None = Field(default=None, max_length=4000)
    client_validation: dict[str, Any] | None = None


class BatchIn(Strict):
    submissions: list[SubmissionIn] = Field(min_length=1, max_length=protocol.MAX_BATCH)


#: A visit dated up to this many days after the server's UTC day is accepted (the device's day may be
#: ahead: China is UTC+8); later is a future date, refused.
VISIT_DATE_SLACK_DAYS = 1
_ID = Field(min_length=1, max_length=36, pattern=r"^[A-Za-z0-9-]+$")


class VisitIn(Strict):
    """One visit (走访), pushed on its own: the client's UUID is the idempotency key."""

    id: str = _ID
    house_id: str = _ID
    date: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    result: Literal["已核实", "有变更", "无人在家", "拒访"]
    note: str = Field(default="", max_length=4000)
    #: The persons seen; omitted (null): the house's active residents when the platform receives it.
    person_ids: list[str] | None = Field(default=None, max_length=protocol.MAX_VISIT_PERSONS)
    device_id: str | None = Field(default=None, max_length=200)
    created_at: str | None = Field(default=None, max_length=40)
    #: The submission that carries the visit's changes (a 有变更 visit), if any.
    submission_id: str | None = Field(default=None, max_length=36)

    @field_validator("date")
    @classmethod
    def _real_past_day(cls, value: str) -> str:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value} is not a calendar day (YYYY-MM-DD)") from None
        latest = datetime.now(UTC).date() + timedelta(days=VISIT_DATE_SLACK_DAYS)
        if day > latest:
            raise ValueError(f"visit date {value} lies in the future (latest accepted {latest.isoformat()})")
        if day.year < 2000:
            raise ValueError(f"visit date {value} is before 2000")
        return value

    @field_validator("person_ids")
    @classmethod
    def _person_ids(cls, values: list[str] | None) -> list[str] | None:
        if values is None:
            return None
        for i, value in enumerate(values):
            if not 1 <= len(value) <= 36:
                raise ValueError(f"person_ids[{i}]: an id has 1 to 36 characters")
        if len(set(values)) != len(values):
            raise ValueError("person_ids names a person twice")
        return values


class VisitBatchIn(Strict):
    visits: list[VisitIn] = Field(min_length=1, max_length=protocol.MAX_BATCH)


class FieldComment(Strict):
    entity_id: str = Field(min_length=1, max_length=36)
    field: str = Field(default="", max_length=200)
    comment: str = Field(min_length=1, max_length=4000)


class DecisionIn(Strict):
    decision: Literal["approve", "return"]
    comment: str = Field(default="", max_length=4000)
    comments: list[FieldComment] = Field(default_factory=list, max_length=1000)


class AreaIn(Strict):
    code: str = Field(pattern=r"^[0-9]{6,15}$")
    name: str = Str200
    level: Literal["district", "street", "community", "grid"]
    parent: str | None = Field(default=None, pattern=r"^[0-9]{6,15}$")


class UserIn(Strict):
    username: str = Field(pattern=r"^[A-Za-z0-9_.\-]{3,64}$")
    display_name: str = Str200
    role: Literal["worker", "supervisor", "admin"]
    #: none: the platform generates one, returns it once and the user must change it at first login
    password: str | None = Field(default=None, min_length=8, max_length=1024)
    areas: list[str] = Field(min_length=1, max_length=100)
    end_date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    third_party: bool = False


class UserPatchIn(Strict):
    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    password: str | None = Field(default=None, min_length=8, max_length=1024)
    active: bool | None = None
    areas: list[str] | None = Field(default=None, min_length=1, max_length=100)
    #: "" clears the end date
    end_date: str | None = Field(default=None, pattern=r"^(\d{4}-\d{2}-\d{2})?$")
    third_party: bool | None = None
