"""Templates act in their own area (issue 13, finding 9): a tag one street's catalogue marks sensitive
is hidden on that street's records only, and the catalogues are not walked again on every read."""

from __future__ import annotations

from sync.server.changes import Sensitivity, sensitivity
from sync.server.db import make_engine
from sync.server.templates_cache import TemplateCache
from tests.server.conftest import GRIDS, OTHER_GRID, Api, Pool, submission, update


def test_a_streets_sensitive_tag_is_hidden_in_that_street_only() -> None:
    s = Sensitivity({"330102002": frozenset({"志愿者"}), "330102": frozenset({"计划生育特殊家庭"})})
    assert s.for_grid(OTHER_GRID) == {"志愿者", "计划生育特殊家庭"}     # street 2: its own and the district's
    assert s.for_grid(GRIDS[0]) == {"计划生育特殊家庭"}               # street 1: the district's only
    entity = {"grid": GRIDS[0], "tags": ["志愿者", "计划生育特殊家庭", "老年人"]}
    assert s.strip(entity)["tags"] == ["志愿者", "老年人"]
    assert s.under([GRIDS[0]]) == {"计划生育特殊家庭"}
    assert s.under(["330102"]) == {"志愿者", "计划生育特殊家庭"}       # counts over both streets hide both


def test_the_catalogues_are_read_once_per_set_of_published_templates(api: Api, pool: Pool) -> None:
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
    # and through the API: the worker still does not see it, the supervisor does
    eid = pool.take(GRIDS[3])
    rev = api.get(f"/entities/{eid}", "admin").json()["rev"]
    [res] = api.submit("admin", submission({**update(eid, rev), "tags_add": ["计划生育特殊家庭"]}))
    assert res["outcome"] == "accepted", res
    assert "计划生育特殊家庭" in api.get(f"/entities/{eid}", "sup_ldl").json()["tags"]
    assert "计划生育特殊家庭" not in api.get(f"/entities/{eid}", "wg_ldl_2").json()["tags"]
