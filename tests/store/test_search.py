"""Search-as-you-type: pinyin (surnames read as surnames), initials, ID/phone tails, addresses."""

from __future__ import annotations

import pytest

from sync.store import Store
from sync.store.textindex import match_expression, name_pinyin, name_tokens
from tests.store.conftest import house, person, pull


@pytest.mark.parametrize(("name", "full"), [
    ("单雄信", "shanxiongxin"), ("曾国藩", "zengguofan"), ("解缙", "xiejin"), ("仇英", "qiuying"),
    ("朴槿惠", "piaojinhui"), ("区永", "ouyong"), ("查良镛", "zhaliangyong"), ("盖聂", "genie"),
    ("尉迟恭", "yuchigong"), ("万俟卨", "moqixie"), ("种师道", "chongshidao"), ("乐毅", "yueyi"),
    ("任盈盈", "renyingying"), ("华佗", "huatuo"), ("纪晓岚", "jixiaolan"), ("缪斯", "miaosi"),
    ("覃明", "qinming"), ("翟欣", "zhaixin"),
])
def test_surnames_are_read_as_surnames(name: str, full: str) -> None:
    syllables, _ = name_pinyin(name)
    assert "".join(syllables) == full


def test_the_same_character_inside_a_given_name_keeps_its_ordinary_reading() -> None:
    assert name_pinyin("王曾")[0] == ["wang", "ceng"]


def test_tokens_of_a_name() -> None:
    tokens = name_tokens("张伟")
    assert {"zhangwei", "zw", "wei", "张伟", "伟"} <= set(tokens)


def test_user_text_never_reaches_fts_unquoted() -> None:
    expr = match_expression('zw" OR 1=1 NEAR(')
    assert expr is not None and '"zw"' in expr
    assert match_expression("   ,,, ") is None


@pytest.fixture
def people(store: Store) -> dict[str, str]:
    h1 = house("杭州市上城区清波街道清波门小区3幢2单元301室")
    h2 = house("杭州市上城区湖滨街道东坡路12号", estate="东坡路", building="12号", unit="", room="")
    ents = [h1, h2,
            person("张伟", h1["id"], id_number="330102198001011234", phone="13800005678"),
            person("张伟强", h1["id"], id_number="330102198503034321", phone="13900001234"),
            person("周文", h2["id"], id_number="11010519491231002X", phone="13700009999"),
            person("单雄信", h2["id"], id_number="330102197707070707", phone="13600000000"),
            person("曾小贤", h2["id"], phone="18612345678"),
            person("尉迟恭", h2["id"])]
    pull(store, ents)
    return {e["data"].get("name", e["data"].get("address")): e["id"] for e in ents}


def names(store: Store, query: str) -> list[str]:
    return sorted(r["name"] for r in store.lists.persons(query=query, limit=50).rows)


def test_search_by_initials_and_full_pinyin_prefix(store: Store, people: dict[str, str]) -> None:
    assert names(store, "zw") == ["周文", "张伟", "张伟强"]
    assert names(store, "zhangw") == ["张伟", "张伟强"]
    assert names(store, "zwq") == ["张伟强"]
    assert names(store, "ZhangWei") == ["张伟", "张伟强"]
    assert names(store, "sxx") == ["单雄信"]
    assert names(store, "shan") == ["单雄信"]
    assert names(store, "dan") == []  # 单 as a surname is Shan
    assert names(store, "zeng") == ["曾小贤"]
    assert names(store, "yuchi") == ["尉迟恭"]
    assert names(store, "gong") == ["尉迟恭"]  # given name alone


def test_search_by_chinese_name_and_part_of_it(store: Store, people: dict[str, str]) -> None:
    assert names(store, "张伟") == ["张伟", "张伟强"]
    assert names(store, "张") == ["张伟", "张伟强"]
    assert names(store, "伟强") == ["张伟强"]


def test_search_by_id_and_phone_tails(store: Store, people: dict[str, str]) -> None:
    assert names(store, "1234") == ["张伟", "张伟强"]  # ID tail of one, phone tail of the other
    assert names(store, "002x") == ["周文"]
    assert names(store, "002X") == ["周文"]
    assert names(store, "31002X") == ["周文"]
    assert names(store, "9999") == ["周文"]
    assert names(store, "0707") == ["单雄信"]
    assert names(store, "330102198001") == ["张伟"]  # whole-number prefix
    assert names(store, "138") == ["张伟"]


def test_search_by_address_substring(store: Store, people: dict[str, str]) -> None:
    assert names(store, "清波") == ["张伟", "张伟强"]
    assert names(store, "清波门") == ["张伟", "张伟强"]
    assert names(store, "东坡路") == ["单雄信", "周文", "尉迟恭", "曾小贤"]
    assert names(store, "湖滨") == ["单雄信", "周文", "尉迟恭", "曾小贤"]
    assert store.lists.houses(query="东坡").total == 1
    assert names(store, "西湖") == []


def test_several_terms_must_all_match(store: Store, people: dict[str, str]) -> None:
    assert names(store, "zw 清波") == ["张伟", "张伟强"]
    assert names(store, "zw 东坡") == ["周文"]
    assert names(store, "张 1234") == ["张伟", "张伟强"]


def test_index_follows_edits_in_the_same_transaction(store: Store, people: dict[str, str]) -> None:
    pid = people["周文"]
    ent = store.entities.get(pid)
    store.edits.save_draft(pid, {**ent["data"], "name": "翟文", "phone": "13711112222"})
    assert names(store, "zhouw") == []
    assert names(store, "zw") == ["张伟", "张伟强", "翟文"]  # zhai wen
    assert names(store, "zhaiw") == ["翟文"]
    assert names(store, "2222") == ["翟文"]
    assert names(store, "9999") == []


def test_index_follows_house_address_changes(store: Store, people: dict[str, str]) -> None:
    hid = store.lists.houses(query="东坡").rows[0]["id"]
    h = store.entities.get(hid)
    store.edits.save_draft(hid, {**h["data"], "address": "杭州市上城区小营街道马市街5号"})
    assert names(store, "东坡") == []
    assert names(store, "马市街") == ["单雄信", "周文", "尉迟恭", "曾小贤"]
    assert store.lists.persons(house_id=hid).rows[0]["address"] == "杭州市上城区小营街道马市街5号"


def test_new_local_person_is_searchable_at_once(store: Store, people: dict[str, str]) -> None:
    store.edits.create("person", "person", "g", {"name": "欧阳娜娜", "id_number": "330102200001015555"})
    assert names(store, "oyn") == ["欧阳娜娜"]
    assert names(store, "5555") == ["欧阳娜娜"]


def test_broad_searches_give_the_same_pages(store: Store, people: dict[str, str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from sync.store import lists as queries

    def pages(query: str) -> tuple[list[str], int]:
        store.lists._seq_cache.clear()
        store.lists._count_cache.clear()
        first = store.lists.persons(query=query, limit=2)
        rest = store.lists.persons(query=query, offset=2, limit=10)
        return [r["id"] for r in first.rows + rest.rows], first.total

    narrow = {q: pages(q) for q in ("东坡路", "zw", "1234", "张")}
    monkeypatch.setattr(queries, "BROAD_MATCHES", 1)
    for q, expected in narrow.items():
        assert pages(q) == expected
