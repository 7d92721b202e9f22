"""The pure three-way merge."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sync.server.merge import FieldConflict, changed_fields, merge_fields, merge_tags, same


def test_field_changed_only_by_client_applies() -> None:
    r = merge_fields({"a": "1", "b": "x"}, {"a": "1", "b": "y"}, {"a": "2"})
    assert r.apply == {"a": "2"} and r.ok


def test_field_changed_only_by_server_is_kept() -> None:
    r = merge_fields({"a": "1"}, {"a": "2"}, {"a": "1"})
    assert r.apply == {} and r.ok


def test_same_change_on_both_sides_is_no_conflict() -> None:
    r = merge_fields({"a": "1"}, {"a": "2"}, {"a": "2"})
    assert r.apply == {} and r.ok


def test_different_changes_on_both_sides_conflict() -> None:
    r = merge_fields({"a": "1", "b": "1"}, {"a": "2", "b": "1"}, {"a": "3", "b": "5"})
    assert r.conflicts == [FieldConflict("a", "1", "3", "2")]
    assert r.apply == {"b": "5"}  # the caller decides whether a conflicting submission applies at all


def test_empty_values_compare_equal() -> None:
    assert same(None, "") and same("", []) and same(3, 3.0)
    r = merge_fields({}, {"a": ""}, {"a": None})
    assert r.ok and r.apply == {}


def test_clearing_a_field_applies() -> None:
    r = merge_fields({"a": "1"}, {"a": "1"}, {"a": None})
    assert r.apply == {"a": None}


def test_tags_merge_as_sets() -> None:
    assert merge_tags(["a", "b"], ["c", "a"], ["b"]) == ["a", "c"]
    assert merge_tags([], ["x"], ["x"]) == []


def test_changed_fields_lists_old_and_new() -> None:
    assert changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == [("b", 2, 3), ("c", None, 4)]


values = st.one_of(st.none(), st.sampled_from(["", "1", "2", "3"]))


@given(base=values, theirs=values, mine=values)
def test_merge_never_overwrites_a_server_change_silently(base: str | None, theirs: str | None, mine: str | None) -> None:
    r = merge_fields({"f": base}, {"f": theirs}, {"f": mine})
    if "f" in r.apply:
        assert same(base, theirs)  # only when the server did not change it
        assert same(r.apply["f"], mine)
    if r.conflicts:
        assert not same(base, theirs) and not same(mine, theirs) and not same(mine, base)
    if not same(mine, base) and not same(mine, theirs):
        assert "f" in r.apply or r.conflicts  # a real client change is never dropped
