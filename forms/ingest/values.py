"""One cell as an office wrote it -> the value a record stores, with what was found on the way.

What offices write, and what comes out (see tests/forms/test_ingest_values.py for each case):

- dates: Excel serial numbers, 2023/1/5, 2023-01-05, 20230105, 2023年1月5日, 2023.1.5, with or
  without a time -> ``"2023-01-05"``;
- ID numbers: lowercase x, full-width digits, spaces -> ``"33010219800101123X"``; 15 digits -> upgraded
  to 18 (a warning says so); a number Excel made of it (3.30102E+17, or 330102198001011230 as a float
  that lost its last digits) -> an error that says so and how to fix the file;
- phones: spaces, dashes, brackets, +86 / 0086 -> ``"13800138000"``;
- choices: the code, a label in either language, a short or old name (男, 汉, 毛难族 -> 36), a code
  whose leading zero Excel dropped (1 -> 01), codes of an old code table given for the column (old
  public-security 文化程度); a legacy code the list still carries (与户主关系 03) is accepted and
  flagged;
- several choices: separated by , ， ; ； 、 / | or spaces;
- numbers: thousands separators, full-width digits, an area's unit (㎡, 平方米).

Pure: the code lists come in as arguments (the template's list, the code lists' aliases).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from forms import cn
from forms.codelists import aliases
from forms.ingest.issues import ERROR, CellIssue, error, warning
from forms.ingest.kinds import ValueKind
from forms.model import ChoiceList

#: Excel's day 0 (serial 60 is the 29 February 1900 that never was: serials below it start a day later).
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{1,7}(?:\.\d+)?")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")
_FLOAT_TEXT = re.compile(r"\d{15,}\.0+")
_SPACES = re.compile(r"[\s\u00a0\u200b\u3000]+")
_PHONE_NOISE = re.compile(r"[\s\-()（）.\u00a0\u3000]+")
_SEVERAL = re.compile(r"[,，;；、/|｜\s]+")
_PHONE_SPLIT = re.compile(r"[,，;；、/|｜]+")
_AREA_UNIT = re.compile(r"\s*(?:㎡|m²|m2|平方米|平米)\s*$", re.IGNORECASE)
#: Integers a float holds exactly: an ID number above this was rounded by Excel.
_EXACT = 10 ** 15


@dataclass(frozen=True)
class Normalised:
    """The stored value (None: empty) and the problems found (an error means the value is not usable)."""

    value: Any
    issues: tuple[CellIssue, ...] = ()

    @property
    def ok(self) -> bool:
        return all(i.severity != ERROR for i in self.issues)


EMPTY = Normalised(None)


def normalise(kind: ValueKind, raw: Any, choices: ChoiceList | None = None, *,
              code_table: Mapping[str, str] | None = None) -> Normalised:
    """The value for a field of ``kind`` from the cell ``raw`` (str, int, float, bool, date, datetime,
    time or None, as the readers give them). ``choices``: the field's list (choice kinds);
    ``code_table``: old code -> current code, for a column written in an old code list."""
    if raw is None or (isinstance(raw, str) and not _SPACES.sub("", raw)) or (isinstance(raw, float) and math.isnan(raw)):
        return EMPTY
    if kind is ValueKind.DATE:
        return _date(raw)
    if kind is ValueKind.ID_NUMBER:
        return _id_number(raw)
    if kind is ValueKind.PHONE:
        return _phone(raw)
    if kind is ValueKind.CHOICE:
        return _choice(raw, choices, code_table)
    if kind is ValueKind.CHOICES:
        return _choices(raw, choices, code_table)
    if kind is ValueKind.INTEGER:
        return _integer(raw)
    if kind is ValueKind.DECIMAL:
        return _decimal(raw)
    return Normalised(_text(raw))


# -- text -------------------------------------------------------------------------------------------


def _number_text(value: int | float) -> str:
    """A number written in a text column (a 户号, a room number): its digits, without a trailing .0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, int | float):
        return _number_text(raw)
    if isinstance(raw, datetime):
        return raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).replace("\u200b", "").replace("\u00a0", " ").strip()


def _shown(raw: Any) -> str:
    return _text(raw) if not isinstance(raw, float) else repr(raw)


# -- dates ------------------------------------------------------------------------------------------


def _bad_date(raw: Any) -> Normalised:
    text = _shown(raw)
    return Normalised(None, (error(
        "date_invalid",
        f"无法识别的日期“{text}”（可写作 2023-01-05、2023/1/5、2023.1.5、2023年1月5日 或 20230105）",
        f"unrecognised date '{text}' (write 2023-01-05, 2023/1/5, 2023.1.5, 2023年1月5日 or 20230105)"),))


def _from_serial(serial: float) -> date | None:
    if not 1 <= serial <= _EXCEL_MAX_SERIAL:
        return None
    days = int(serial)
    return (_EXCEL_EPOCH + timedelta(days=days)) if days >= 61 else (_EXCEL_EPOCH + timedelta(days=days + 1))


def _ymd(y: str | int, m: str | int, d: str | int) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def _date(raw: Any) -> Normalised:
    found: date | None = None
    if isinstance(raw, datetime):
        found = raw.date()
    elif isinstance(raw, date):
        found = raw
    elif isinstance(raw, time | bool):
        found = None
    elif isinstance(raw, int | float):
        if isinstance(raw, int) or raw.is_integer():
            n = int(raw)
            found = _ymd(n // 10000, n // 100 % 100, n % 100) if 10_000_101 <= n <= 99_991_231 else _from_serial(n)
        else:
            found = _from_serial(raw)
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        if (match := _DATE.fullmatch(text)) or (match := _COMPACT_DATE.fullmatch(text)):
            found = _ymd(*match.groups())
        elif _SERIAL.fullmatch(text):
            found = _from_serial(float(text))
    return Normalised(found.isoformat()) if found is not None else _bad_date(raw)


# -- ID numbers -------------------------------------------------------------------------------------


def _as_number(shown: str) -> Normalised:
    return Normalised(None, (error(
        "id_as_number",
        f"证件号码被 Excel 存成了数字（{shown}），超过 15 位的数字会丢失末几位，无法还原。"
        "请在原表中把这一列设为“文本”格式，重新填入或从源系统重新导出号码后再导入。",
        f"the document number was stored as a number by Excel ({shown}); numbers past 15 digits lose their "
        "last digits and cannot be recovered. Format the column as Text in the file, enter or export the "
        "numbers again, then import."),))


def _upgraded(old: str, new: str) -> Normalised:
    return Normalised(new, (warning(
        "id_upgraded", f"15 位身份证号 {old} 已升级为 18 位 {new}",
        f"the 15-digit ID number {old} was upgraded to 18 digits: {new}"),))


def _id_number(raw: Any) -> Normalised:
    if isinstance(raw, bool):
        return Normalised(None, (error("id_invalid", "证件号码不能是是/否", "a document number cannot be yes/no"),))
    if isinstance(raw, float | int):
        if isinstance(raw, float) and not raw.is_integer():
            return _as_number(repr(raw))
        n = int(raw)
        if abs(n) >= _EXACT:
            return _as_number(f"{raw:.5E}" if isinstance(raw, float) else str(n))
        text = str(n)
        if len(text) == 15:
            upgraded = cn.id_upgrade_15_to_18(text)
            if upgraded:
                return _upgraded(text, upgraded)
        return Normalised(text)
    original = str(raw)
    text = _SPACES.sub("", unicodedata.normalize("NFKC", original)).replace("-", "")
    if _SCIENTIFIC.fullmatch(text) or _FLOAT_TEXT.fullmatch(text):
        return _as_number(original.strip())
    text = text.upper()
    if len(text) == 15 and text.isdigit():
        upgraded = cn.id_upgrade_15_to_18(text)
        if upgraded:
            return _upgraded(text, upgraded)
    if len(text) == 18 and text[:17].isdigit() and text.endswith("000") and cn.check_char(text[:17]) != text[17]:
        return Normalised(None, (error(
            "id_lost_digits",
            f"证件号码 {text} 以 000 结尾且校验位不符：很可能被 Excel 当作数字丢失了末几位。"
            "请把该列设为“文本”格式后重新填入号码。",
            f"the document number {text} ends in 000 and its check character is wrong: Excel most likely "
            "stored it as a number and lost its last digits. Format the column as Text and enter the numbers again."),))
    return Normalised(text)


# -- phones -----------------------------------------------------------------------------------------


def _one_phone(text: str) -> str:
    cleaned = _PHONE_NOISE.sub("", text)
    for prefix in ("+86", "0086", "86"):
        rest = cleaned[len(prefix):]
        if cleaned.startswith(prefix) and len(rest) == 11 and rest.startswith("1"):
            return rest
    if len(cleaned) == 11 and cleaned.isdigit() and cleaned.startswith("1"):
        return cleaned
    return _SPACES.sub(" ", text).strip()  # a landline as written: 0571-87654321


def _phone(raw: Any) -> Normalised:
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        return Normalised(_number_text(raw))
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    parts = [p for p in _PHONE_SPLIT.split(text) if p.strip()]
    if not parts:
        return EMPTY
    first = _one_phone(parts[0])
    issues: tuple[CellIssue, ...] = ()
    if len(parts) > 1:
        rest = "、".join(p.strip() for p in parts[1:])
        issues += (warning("phone_several", f"填了多个号码，只保留第一个 {first}（其余：{rest}）",
                           f"several numbers given; kept the first, {first} (others: {rest})"),)
    digits = sum(c.isdigit() for c in first)
    if digits < 7 or digits > 20:
        issues += (warning("phone_unusual", f"电话号码“{first}”看起来不完整", f"the phone number '{first}' looks incomplete"),)
    return Normalised(first, issues)


# -- choices ----------------------------------------------------------------------------------------


def _unknown_choice(text: str, choices: ChoiceList | None) -> Normalised:
    examples = "、".join(f"{c.name} {c.label('zh')}" for c in (choices.choices[:3] if choices else ()))
    hint_zh = f"（可填代码或名称，如 {examples}）" if examples else ""
    hint_en = f" (write the code or the name, e.g. {examples})" if examples else ""
    return Normalised(None, (error("choice_unknown", f"“{text}”不在选项列表中{hint_zh}",
                                   f"'{text}' is not one of the choices{hint_en}"),))


def _choice_code(text: str, choices: ChoiceList) -> str | None:
    by_name = choices.by_name
    if text in by_name:
        return text
    if text.isdigit():
        widths = {len(n) for n in by_name if n.isdigit()}
        for width in widths:
            if len(text) < width and text.zfill(width) in by_name:  # Excel dropped the leading zero
                return text.zfill(width)
    alias = aliases().get((choices.name, text))
    if alias is not None and alias in by_name:
        return alias
    folded = text.casefold()
    for choice in choices.choices:
        if any(label.strip().casefold() == folded for label in choice.labels.values()):
            return choice.name
    return None


def _choice(raw: Any, choices: ChoiceList | None, code_table: Mapping[str, str] | None) -> Normalised:
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        text = _number_text(raw)
    else:
        text = _SPACES.sub(" ", unicodedata.normalize("NFKC", str(raw))).strip()
    if choices is None:
        return Normalised(text)
    issues: tuple[CellIssue, ...] = ()
    if code_table:
        mapped = code_table.get(text) or (code_table.get(text.zfill(2)) if text.isdigit() else None)
        if mapped is not None and mapped in choices.by_name:
            label = choices.by_name[mapped].label("zh")
            issues = (warning("code_mapped", f"旧代码 {text} 已按对照表转换为 {mapped} {label}",
                              f"old code {text} converted to {mapped} {choices.by_name[mapped].label('en')} by the mapping table"),)
            return Normalised(mapped, issues)
    code = _choice_code(text, choices)
    if code is None:
        return _unknown_choice(text, choices)
    choice = choices.by_name[code]
    if choice.extra.get("legacy", "").strip().lower() in ("yes", "true", "1"):
        issues += (warning("legacy_code", f"“{text}”是已停用的旧代码（{code} {choice.label('zh')}），已接受，请核实",
                           f"'{text}' is a legacy code ({code} {choice.label('en')}); accepted, please check"),)
    return Normalised(code, issues)


def _choices(raw: Any, choices: ChoiceList | None, code_table: Mapping[str, str] | None) -> Normalised:
    text = _text(raw) if isinstance(raw, float | int) else unicodedata.normalize("NFKC", str(raw))
    codes: list[str] = []
    issues: list[CellIssue] = []
    for part in (p for p in _SEVERAL.split(text) if p):
        one = _choice(part, choices, code_table)
        issues.extend(one.issues)
        if one.value is not None and one.value not in codes:
            codes.append(one.value)
    return Normalised(codes or None, tuple(issues))


# -- numbers ----------------------------------------------------------------------------------------


def _bad_number(raw: Any, integer: bool) -> Normalised:
    text = _shown(raw)
    return Normalised(None, (error(
        "number_invalid", f"“{text}”不是{'整数' if integer else '数字'}",
        f"'{text}' is not {'a whole number' if integer else 'a number'}"),))


def _number_of(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    text = _AREA_UNIT.sub("", unicodedata.normalize("NFKC", str(raw)).strip()).replace(",", "").replace(" ", "")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _integer(raw: Any) -> Normalised:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Normalised(raw)
    value = _number_of(raw)
    if value is None or not value.is_integer():
        return _bad_number(raw, integer=True)
    return Normalised(int(value))


def _decimal(raw: Any) -> Normalised:
    value = _number_of(raw)
    if value is None:
        return _bad_number(raw, integer=False)
    return Normalised(int(value) if value.is_integer() and isinstance(raw, int) else value)
