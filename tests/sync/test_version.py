"""Comparing app versions: by numbers, not as text; missing parts count as 0; anything else refused."""

from __future__ import annotations

import pytest

from sync.version import APP_VERSION, at_least, is_version, parse_version


@pytest.mark.parametrize(("version", "minimum", "ok"), [
    ("0.10.0", "0.9.0", True), ("0.9.9", "0.10", False), ("1.2", "1.2.0", True), ("1.2.0.1", "1.2", True),
    ("2", "10", False), ("0.1.0", "0.1.0", True), ("0.1.0", "0.1.1", False),
])
def test_versions_compare_by_their_numbers(version: str, minimum: str, ok: bool) -> None:
    assert at_least(version, minimum) is ok


@pytest.mark.parametrize("text", ["", "v1.0", "1.0-beta", "1..0", "1.0.", "1.2.3.4.5", "１.０", " "])
def test_anything_but_dotted_numbers_is_not_a_version(text: str) -> None:
    assert not is_version(text)
    with pytest.raises(ValueError):
        parse_version(text)


def test_the_app_version_is_the_packages() -> None:
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["version"] == APP_VERSION
