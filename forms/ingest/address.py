"""A standard address written as one text (住址 / 现住址 in a ledger) split into what a house record
holds: 小区 (estate, and whatever area names precede it), 楼栋, 单元, 室 — as the house template stores
them (``building`` "3", ``unit`` "2", ``room`` "301"; the template's ``address`` is
``清波苑3幢2单元301室``).

Offices write it many ways: 清波苑3幢2单元301室, 清波苑3号楼2单元301, 清波苑三栋二单元301室,
清波苑 3-2-301, 上城区清波街道清波门社区清波苑3幢301室 (no unit). ``matches`` tells whether a house's
fields fit the parts (the estate may be preceded by area names the file adds).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"[0-9A-Za-z零〇一二两三四五六七八九十百]+"
_WORDY = re.compile(
    rf"(?P<estate>.*?)(?P<building>{_NUM})\s*(?:号楼|幢|栋|号|座)\s*(?:(?P<unit>{_NUM})\s*单元)?\s*"
    rf"(?:(?P<room>[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)\s*(?:室|号|户)?)?")
_DASHED = re.compile(r"(?P<estate>.*?)\s*(?P<building>\d+)-(?P<unit>\d+)-(?P<room>\d+)")
_SPACES = re.compile(r"[\s\u3000]+")


def chinese_number(text: str) -> str:
    """一 -> 1, 十二 -> 12, 二十 -> 20; digits and letters as they are."""
    if not text or not any(c in _NUMERALS or c in "十百" for c in text):
        return text
    total, current = 0, 0
    for ch in text:
        if ch in _NUMERALS:
            current = _NUMERALS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return text
    return str(total + current)


@dataclass(frozen=True)
class AddressParts:
    #: the text before the building: area names and the estate (小区)
    estate: str
    building: str
    unit: str
    room: str

    def key(self) -> tuple[str, str, str]:
        return self.building, self.unit, self.room


def parse_address(text: str) -> AddressParts | None:
    """The parts of a standard address, or None when it names no building and room."""
    value = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    match = _DASHED.fullmatch(value) or _WORDY.fullmatch(value)
    if match is None or not match.group("building"):
        return None
    room = match.group("room") or ""
    if not room:
        return None
    unit = match.group("unit") or ""
    return AddressParts(match.group("estate").strip(), chinese_number(match.group("building")),
                        chinese_number(unit), room)


def matches(parts: AddressParts, house: Mapping[str, Any]) -> bool:
    """True when the house's 楼栋/单元/室 are the parts' and its 小区 ends the parts' estate text (which
    may carry the street and community names before it)."""
    building = chinese_number(str(house.get("building") or "").strip())
    unit = chinese_number(str(house.get("unit") or "").strip())
    room = str(house.get("room") or "").strip()
    if (building, room) != (parts.building, parts.room):
        return False
    if parts.unit and unit and parts.unit != unit:
        return False
    estate = _SPACES.sub("", str(house.get("estate") or ""))
    return not estate or _SPACES.sub("", parts.estate).endswith(estate)
