"""Addresses as ledgers write them find their parts (forms.ingest.address)."""

from __future__ import annotations

import pytest

from forms.ingest.address import AddressParts, chinese_number, matches, parse_address


@pytest.mark.parametrize(("text", "want"), [
    ("清波苑3幢2单元301室", ("清波苑", "3", "2", "301")),
    ("清波苑3号楼2单元301", ("清波苑", "3", "2", "301")),
    ("清波苑三栋二单元301室", ("清波苑", "3", "2", "301")),
    ("清波苑 3-2-301", ("清波苑", "3", "2", "301")),
    ("上城区清波街道清波门社区清波苑3幢301室", ("上城区清波街道清波门社区清波苑", "3", "", "301")),
    ("清波苑１２幢１单元１１０２室", ("清波苑", "12", "1", "1102")),
    ("劳动路小区十二幢 1单元 502室", ("劳动路小区", "12", "1", "502")),
])
def test_addresses_are_split_into_estate_building_unit_room(text: str, want: tuple[str, ...]) -> None:
    parts = parse_address(text)
    assert parts is not None and (parts.estate, parts.building, parts.unit, parts.room) == want


@pytest.mark.parametrize("text", ["清波门社区", "", "3幢", "不详"])
def test_a_text_without_building_and_room_is_not_an_address(text: str) -> None:
    assert parse_address(text) is None


def test_chinese_numbers() -> None:
    assert [chinese_number(t) for t in ("一", "十", "十二", "二十", "二十三", "一百零五", "3", "A")] == \
        ["1", "10", "12", "20", "23", "105", "3", "A"]


def test_a_house_matches_its_address_even_with_area_names_before_the_estate() -> None:
    house = {"estate": "清波苑", "building": "3", "unit": "2", "room": "301"}
    assert matches(AddressParts("清波门社区清波苑", "3", "2", "301"), house)
    assert matches(AddressParts("清波苑", "3", "", "301"), house)  # the file left the unit out
    assert not matches(AddressParts("清波苑", "3", "1", "301"), house)
    assert not matches(AddressParts("劳动路小区", "3", "2", "301"), house)
    assert not matches(AddressParts("清波苑", "3", "2", "302"), house)
