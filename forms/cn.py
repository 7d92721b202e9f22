"""Chinese identity numbers, mobile numbers, organisation codes, disability certificates, masking.

Pure functions shared by the expression language, the store, the importer and the server.

公民身份号码 (GB 11643-1999): 6-digit address code + YYYYMMDD + 3-digit sequence + ISO 7064
MOD 11-2 check character (``X`` for 10; a lowercase ``x`` is accepted). The birth date must
exist and must not lie after ``today``. Only the province part of the address code is checked
(abolished districts stay valid); 81/82/83 are the 港澳台居民居住证 prefixes. Old 15-digit numbers
(address + YYMMDD + sequence, no check character) are valid when their 19YY date exists.

python-stdnum's ``stdnum.cn.ric`` was not used for IDs: it rejects 15-digit numbers and the
81/82/83 residence-permit prefixes (its place lookup does not know them) and does not reject
future birth dates. It is used for the 统一社会信用代码.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}
    | {"71", "81", "82", "83"}
)
#: 港澳台居民居住证 address codes.
PERMIT_PREFIXES = {"81": "香港", "82": "澳门", "83": "台湾"}
_EARLIEST = date(1880, 1, 1)
_MOBILE = re.compile(r"1[3-9][0-9]{9}")

DISABILITY_CATEGORIES = {
    "1": "视力",
    "2": "听力",
    "3": "言语",
    "4": "肢体",
    "5": "智力",
    "6": "精神",
    "7": "多重",
}
DISABILITY_GRADES = {"1": "一级", "2": "二级", "3": "三级", "4": "四级"}


def normalize_id(s: str) -> str:
    """Strip surrounding space and upper-case the check character (store IDs this way)."""
    return s.strip().upper()


def check_char(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits (17 ASCII digits expected).

    The weight of position i (1-based) is 2**(18-i) mod 11. Reading the digits as a base-13
    number gives the same residues mod 11, since 13 = 2 (mod 11): one C-level ``int()`` instead of
    a 17-step loop."""
    return _CHECK[(2 * int(first17, 13)) % 11]


def _date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


_PARSED: dict[str, date | None] = {}
_PARSED_LIMIT = 100_000


def _parse_id(s: str) -> date | None:
    """The birth date of a well-formed ID number (any date), else None. Memoized: the same
    numbers are checked again and again (constraints, tags, aggregates, duplicates)."""
    try:
        return _PARSED[s]
    except KeyError:
        pass
    n = s.strip().upper()
    born: date | None = None
    if len(n) == 18:
        body, last = n[:17], n[17]
        if (
            body.isascii()
            and body.isdigit()
            and last in _CHECK
            and n[:2] in PROVINCES
            and check_char(body) == last
        ):
            born = _date(n[6:10], n[10:12], n[12:14])
    elif len(n) == 15 and n.isascii() and n.isdigit() and n[:2] in PROVINCES:
        born = _date("19" + n[6:8], n[8:10], n[10:12])
    if born is not None and born < _EARLIEST:
        born = None
    if len(_PARSED) >= _PARSED_LIMIT:
        _PARSED.clear()
    _PARSED[s] = born
    return born


def id_birthdate(s: str, today: date | None = None) -> date | None:
    """The birth date of a valid ID number (18 or 15 digits), else None.

    With ``today`` a birth date after it makes the number invalid."""
    if not isinstance(s, str):
        return None
    born = _parse_id(s)
    if born is None or (today is not None and born > today):
        return None
    return born


def id_valid(s: str, today: date | None = None) -> bool:
    """True for a valid 18- or 15-digit ID number (see the module doc). ``today`` defaults to now."""
    return id_birthdate(s, today if today is not None else date.today()) is not None


def id_sex(s: str) -> str:
    """'1' (male) or '2' (female) from the sequence digit of a well-formed ID number, else ''."""
    if id_birthdate(s) is None:
        return ""
    n = normalize_id(s)
    digit = int(n[16] if len(n) == 18 else n[14])
    return "1" if digit % 2 else "2"


def id_is_permit(s: str) -> bool:
    """True for a 港澳台居民居住证 number (valid, prefix 81/82/83)."""
    n = normalize_id(s) if isinstance(s, str) else ""
    return len(n) == 18 and n[:2] in PERMIT_PREFIXES and id_birthdate(n) is not None


def id_upgrade_15_to_18(s: str) -> str | None:
    """The 18-digit form of a valid 15-digit number ("19" before the year, check appended)."""
    n = normalize_id(s) if isinstance(s, str) else ""
    if len(n) != 15 or id_birthdate(n) is None:
        return None
    body = n[:6] + "19" + n[6:]
    return body + check_char(body)


def id_canonical(s: str) -> str | None:
    """The number as stored and compared: 18 characters, upper-case X; 15-digit upgraded."""
    n = normalize_id(s) if isinstance(s, str) else ""
    if len(n) == 15:
        return id_upgrade_15_to_18(n)
    return n if id_birthdate(n) is not None else None


def mobile_valid(s: str) -> bool:
    """A mainland mobile number: 11 digits starting 13-19 (spaces and hyphens ignored)."""
    if not isinstance(s, str):
        return False
    n = re.sub(r"[\s\-]", "", s)
    if n.startswith("+86"):
        n = n[3:]
    return _MOBILE.fullmatch(n) is not None


def uscc_valid(s: str) -> bool:
    """统一社会信用代码 (GB 32100-2015), checked with python-stdnum."""
    from stdnum.cn import uscc

    if not isinstance(s, str) or not s.strip():
        return False
    try:
        return bool(uscc.is_valid(s.strip().upper()))
    except Exception:  # stdnum raises only ValidationError subclasses, but never let it escape
        return False


@dataclass(frozen=True)
class Disability:
    id_number: str
    category: str  # "1".."7"
    grade: str  # "1".."4"

    @property
    def category_label(self) -> str:
        return DISABILITY_CATEGORIES[self.category]

    @property
    def grade_label(self) -> str:
        return DISABILITY_GRADES[self.grade]


def disability_parse(s: str, today: date | None = None) -> Disability | None:
    """A 残疾人证号 (18-character ID + category 1-7 + grade 1-4), or None when invalid."""
    if not isinstance(s, str):
        return None
    n = normalize_id(s)
    if len(n) != 20:
        return None
    id_part, category, grade = n[:18], n[18], n[19]
    if category not in DISABILITY_CATEGORIES or grade not in DISABILITY_GRADES:
        return None
    if id_birthdate(id_part, today) is None:
        return None
    return Disability(id_part, category, grade)


def mask_id(s: str) -> str:
    """Keep the first 6 and last 4 characters: ``330102********1234``."""
    n = s.strip() if isinstance(s, str) else ""
    if len(n) <= 10:
        return n[:2] + "*" * max(0, len(n) - 4) + n[-2:] if len(n) > 4 else "*" * len(n)
    return n[:6] + "*" * (len(n) - 10) + n[-4:]


def mask_phone(s: str) -> str:
    """Keep the first 3 and last 4 digits: ``138****5678``."""
    n = s.strip() if isinstance(s, str) else ""
    if len(n) <= 7:
        return n[:1] + "*" * max(0, len(n) - 2) + n[-1:] if len(n) > 2 else "*" * len(n)
    return n[:3] + "*" * (len(n) - 7) + n[-4:]


def mask_name(s: str) -> str:
    """Keep the first character: ``张*`` (``欧阳**`` keeps one character too)."""
    n = s.strip() if isinstance(s, str) else ""
    if len(n) <= 1:
        return n
    return n[0] + "*" * (len(n) - 1)
