"""Templates act in their own area (issue 13, finding 9): a tag one street's catalogue marks sensitive
is hidden on that street's records only, and the catalogues are not walked again on every read."""

from __future__ import annotations

from sync.server.changes import Sensitivity, sensitivity
from sync.server.db import make_engine
from sync.server.templates_cache import TemplateCache
from tests.server.conftest import GRIDS, OTHER_GRID, Api


def test_a_streets_sensitive_tag_is_hidden_in_that_street_only() -> None:
    s = Sensitivity({"330102002": frozenset({"志愿者"}), "330102": frozenset({"计划生育特殊家庭"})})
    assert s.for_grid(OTHER_GRID) == {"志愿者", "计划生育特殊家庭"}     # street 2: its own and the district's
    assert s.for_grid(GRIDS[0]) == {"计划生育特殊家庭"}               # street 1: the district's only
    entity = {"grid": GRIDS[0], "tags": ["志愿者", "计划生育特殊家庭", "老年人"]}
    assert s.strip(entity)["tags"] == ["志愿者", "老年人"]
    assert s.under([GRIDS[0]]) == {"计划生育特殊家庭"}
    assert s.under(["330102"]) == {"志愿者", "计划生育特殊家庭"}       # counts over both streets hide both


def test_the_catalogues_are_read_once_per_set_of_published_templates(api: Api) -> None:
    engine = make_engine(api.live.db_url)
    cache = TemplateCache()
    try:
        with engine.connect() as conn:
            first = sensitivity(conn, cache, "worker")
            assert sensitivity(conn, cache, "worker") is first
            assert sensitivity(conn, cache, "supervisor") is not first
            assert "计划生育特殊家庭" in first.for_grid(GRIDS[3])
    finally:
        engine.dispose()
    # (through the API, test_feed.py's sensitive-tag test covers the same catalogue)
