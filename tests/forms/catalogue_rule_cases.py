"""The default rules, case by case (one ``R`` row per case; see ``tests/forms/catalogue_cases.py``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.forms.catalogue_table import (
    D,
    R,
    away,
    bd,
    cert,
    hh,
    home,
    house,
    let,
    one,
    p,
    part,
    spouse,
    tenant,
)
from tests.forms.test_default_tags import World, id_for

# ---- rules ----------------------------------------------------------------------------------------

def wrong_birth(n: int = 40, **over: Any) -> dict[str, Any]:
    """The ID number says one birth date, the birth date field the day before."""
    d = p(n, **over)
    d["birth_date"] = (date.fromisoformat(d["birth_date"]) - timedelta(days=1)).isoformat()
    return d


def bad_check(d: dict[str, Any]) -> dict[str, Any]:
    last = d["id_number"][-1]
    return d | {"id_number": d["id_number"][:-1] + ("0" if last != "0" else "1")}


def _own_cert() -> dict[str, Any]:
    d = p()
    return d | {"disability_cert": d["id_number"] + "43"}


HK = {"id_type": "02", "population_type": "3", "nationality": "CHN", "ethnicity": None, "hukou_division": None,
      "hukou_address": None, "hukou_here": None, "foreign_surname": "CHAN", "foreign_given_name": "TAI MAN",
      "doc_expiry": "2030-01-01", "visit_purpose": "01", "arrival_date": "2025-09-01"}


def hk(sex: str = "1", **over: Any) -> dict[str, Any]:
    return p(40, sex=sex, **(HK | {"id_number": id_for(bd(40), sex, "810000")} | over))


R("person", "id_birth_date", "ID card, birth date matches", lambda: one(p()), "quiet")
R("person", "id_birth_date", "ID card, birth date differs", lambda: one(wrong_birth()), "fires")
R("person", "id_birth_date", "residence permit (02), birth date differs", lambda: one(hk(birth_date=bd(40, 1).isoformat())),
  "fires")
R("person", "id_birth_date", "residence permit (02), birth date matches", lambda: one(hk()), "quiet")
R("person", "id_birth_date", "passport (06) with a citizen number, birth date differs",
  lambda: one(wrong_birth(id_type="06")), "quiet")
R("person", "id_birth_date", "ID card with a bad check character, birth date differs",
  lambda: one(bad_check(wrong_birth())), "quiet")
R("person", "id_birth_date", "ID card, no birth date", lambda: one(p(None)), "quiet")
R("person", "id_sex", "ID card, sex matches", lambda: one(p(sex="2")), "quiet")
R("person", "id_sex", "ID card, sex differs", lambda: one(p(sex="2") | {"sex": "1"}), "fires")
R("person", "id_sex", "residence permit (02), sex differs", lambda: one(hk("2") | {"sex": "1"}), "fires")
R("person", "id_sex", "passport (06) with a citizen number, sex differs", lambda: one(p(id_type="06") | {"sex": "2"}),
  "quiet")
R("person", "id_sex", "ID card with a bad check character, sex differs", lambda: one(bad_check(p()) | {"sex": "2"}),
  "quiet")
R("person", "id_sex", "ID card, no sex", lambda: one(p(sex="2") | {"sex": ""}), "quiet")
R("person", "disability_cert_id", "own ID number", lambda: one(_own_cert()), "quiet")
R("person", "disability_cert_id", "someone else's ID number", lambda: one(p(disability_cert=cert("3", n=55))), "fires")
R("person", "disability_cert_id", "no certificate", lambda: one(p()), "quiet")
R("person", "disability_cert_id", "passport (06), someone else's number",
  lambda: one(p(id_type="06", disability_cert=cert("3", n=55))), "quiet")
R("person", "relation_legacy_03", "relation 03", lambda: one(p(relation_to_head="03")), "fires")
for rel in ("02", "04"):
    R("person", "relation_legacy_03", f"relation {rel}", lambda rel=rel: one(p(relation_to_head=rel)), "quiet")
R("person", "cyl_over_28", "CYL member 29 today", lambda: one(p(29, political_status="03")), "fires")
R("person", "cyl_over_28", "CYL member 29 tomorrow", lambda: one(p(29, 1, political_status="03")), "quiet")
R("person", "cyl_over_28", "party member of 40", lambda: one(p(40, political_status="01")), "quiet")
R("person", "cyl_over_28", "masses (13) of 40", lambda: one(p(40, political_status="13")), "quiet")
R("person", "one_head", "the only head", lambda: home(p(), spouse(38)), "quiet")
R("person", "one_head", "head with a second head", lambda: home(p(), p(38)), "fires")
R("person", "one_head", "head alone", lambda: one(p()), "quiet")
R("person", "one_head", "spouse beside two heads", lambda: home(spouse(38), p(40), p(42)), "quiet")
R("person", "one_head", "head with a second head who moved out", lambda: home(p(), p(38), states={1: "moved_out"}), "quiet")
R("person", "one_head", "head with a head of another household in the house",
  lambda: home(p(), p(38), links={1: ("house-1", "household-x0")}, extra_households=1), "quiet")
R("person", "moved_out_living_here", "moved out, still living here", lambda: one(p(moved_out_date=D(10))), "fires")
R("person", "moved_out_living_here", "moved out, not living here",
  lambda: one(p(moved_out_date=D(10), living_here="no", residence_type=None)), "quiet")
R("person", "moved_out_living_here", "not moved out", lambda: one(p()), "quiet")


# house rules
R("house", "vacant_with_residents", "vacant, one resident living here", lambda: house(residents=[p()], occupancy="4"),
  "fires")
R("house", "vacant_with_residents", "vacant, resident not living here",
  lambda: house(residents=[p(living_here="no", residence_type=None)], occupancy="4"), "quiet")
R("house", "vacant_with_residents", "vacant, nobody", lambda: house(occupancy="4"), "quiet")
R("house", "vacant_with_residents", "vacant, a resident who moved out",
  lambda: World(subject="house", house={"occupancy": "4"}, persons=[p()], person_tags=[[]], states={0: "moved_out"}),
  "quiet")
R("house", "vacant_with_residents", "owner-occupied, one resident", lambda: house(residents=[p()]), "quiet")
R("house", "vacant_with_residents", "lent (5), one resident", lambda: house(residents=[p()], occupancy="5"), "quiet")
R("house", "vacant_with_residents", "occupancy 3, one resident", lambda: house(residents=[p(), tenant()], **part(occupant_count=2)), "quiet")

R("house", "occupants_match", "1 counted, 1 living here", lambda: house(residents=[p()], occupant_count=1), "quiet")
R("house", "occupants_match", "3 counted, 1 living here", lambda: house(residents=[p()], occupant_count=3), "fires")
R("house", "occupants_match", "0 counted, 1 living here", lambda: house(residents=[p()], occupant_count=0), "fires")
R("house", "occupants_match", "2 counted, 1 of 2 residents living here",
  lambda: house(residents=[p(), away(tenant())], occupant_count=2), "fires")
R("house", "occupants_match", "1 counted, 1 of 2 residents living here",
  lambda: house(residents=[p(), away(tenant())], occupant_count=1), "quiet")
R("house", "occupants_match", "3 counted, nobody recorded", lambda: house(occupant_count=3), "quiet")
R("house", "occupants_match", "not counted, 1 living here", lambda: house(residents=[p()], occupant_count=None), "quiet")
R("house", "occupants_match", "vacant, 1 living here", lambda: house(residents=[p()], occupancy="4"), "quiet")
R("house", "occupants_match", "vacant, 3 counted, 1 living here",
  lambda: house(residents=[p()], occupancy="4", occupant_count=3), "quiet")
R("house", "occupants_match", "lent (5), 3 counted, 1 living here",
  lambda: house(residents=[p()], occupancy="5", occupant_count=3), "fires")

R("house", "let_tenants_rent", "let, the resident rents", lambda: house(residents=[tenant()], **let()), "quiet")
R("house", "let_tenants_rent", "let, the resident owns", lambda: house(residents=[p()], **let()), "fires")
R("house", "let_tenants_rent", "let, one renter and one owner", lambda: house(residents=[tenant(), p()],
                                                                         **let(occupant_count=2)), "fires")
R("house", "let_tenants_rent", "let, the owner registered but not living here",
  lambda: house(residents=[tenant(), p(living_here="no", residence_type=None)], **let()), "quiet")
R("house", "let_tenants_rent", "owner-occupied, the resident owns", lambda: house(residents=[p()]), "quiet")
R("house", "let_tenants_rent", "occupancy 1, the resident rents", lambda: house(residents=[tenant()]), "quiet")
R("house", "let_tenants_rent", "partly let (3), the resident owns",
  lambda: house(residents=[p()], **part()), "quiet")

R("house", "partly_let_mix", "partly let, an owner and a renter", lambda: house(residents=[p(), tenant()],
                                                                           **part(occupant_count=2)), "quiet")
R("house", "partly_let_mix", "partly let, renters only", lambda: house(residents=[tenant(), tenant()],
                                                                  **part(occupant_count=2)), "fires")
R("house", "partly_let_mix", "partly let, owners only", lambda: house(residents=[p(), spouse()],
                                                                 **part(occupant_count=2)), "fires")
R("house", "partly_let_mix", "partly let, nobody recorded", lambda: house(**part()), "quiet")
R("house", "partly_let_mix", "partly let, a renter and an owner registered here who lives elsewhere (stale 自住)",
  lambda: house(residents=[tenant(), p(living_here="no", hukou_here="yes")], **part()), "fires")
R("house", "partly_let_mix", "partly let, an owner and a renter registered here who lives elsewhere (stale 租住)",
  lambda: house(residents=[p(), tenant(living_here="no")], **part()), "fires")
R("house", "partly_let_mix", "let (2), owners only", lambda: house(residents=[p()], **let()), "quiet")
R("house", "partly_let_mix", "occupancy 4, owners only", lambda: house(residents=[p()], occupancy="4"), "quiet")

R("house", "occupied_without_residents", "owner-occupied, nobody living here",
  lambda: house(residents=[p(living_here="no", residence_type=None)]), "fires")
R("house", "occupied_without_residents", "owner-occupied, one living here", lambda: house(residents=[p()]), "quiet")
R("house", "occupied_without_residents", "owner-occupied, nobody recorded", lambda: house(), "quiet")
R("house", "occupied_without_residents", "vacant, nobody living here",
  lambda: house(residents=[p(living_here="no", residence_type=None)], occupancy="4"), "quiet")
R("house", "occupied_without_residents", "occupancy 5, nobody living here",
  lambda: house(residents=[p(living_here="no", residence_type=None)], occupancy="5"), "fires")
R("house", "occupied_without_residents", "occupancy 3, nobody living here",
  lambda: house(residents=[p(living_here="no", residence_type=None)], **part()), "fires")
R("house", "occupied_without_residents", "no occupancy, nobody living here",
  lambda: house(residents=[p(living_here="no", residence_type=None)], occupancy=None), "quiet")

# household rules
R("household", "one_head", "no members", lambda: hh(), "quiet")
R("household", "one_head", "one head", lambda: hh(p(40)), "quiet")
R("household", "one_head", "one head and a spouse", lambda: hh(p(40), spouse(38)), "quiet")
R("household", "one_head", "no head (two spouses' codes)", lambda: hh(p(40, relation_to_head="10"), spouse(38)), "fires")
R("household", "one_head", "no head (one member)", lambda: hh(spouse(38)), "fires")
R("household", "one_head", "two heads", lambda: hh(p(40), p(38)), "fires")
R("household", "one_head", "a head and a second head who moved out", lambda: hh(p(40), p(38), states={1: "moved_out"}),
  "quiet")
R("household", "one_head", "a head and the head of another household in the house",
  lambda: hh(p(40), p(38), links={1: ("house-1", "household-x0")}, extra_households=1), "quiet")


def listed(n_rows: int, *members: dict[str, Any]) -> World:
    rows = [{"member_person": f"person-{i}", "member_name": "张伟", "member_relation": "02" if i == 0 else "20"}
            for i in range(n_rows)]
    return hh(*members, household={"members": rows})


R("household", "members_listed", "1 listed, 1 recorded", lambda: listed(1, p()), "quiet")
R("household", "members_listed", "0 listed, 1 recorded", lambda: listed(0, p()), "fires")
R("household", "members_listed", "2 listed, 1 recorded", lambda: listed(2, p()), "fires")
R("household", "members_listed", "1 listed, 2 recorded", lambda: listed(1, p(), spouse(38)), "fires")
R("household", "members_listed", "2 listed, 2 recorded", lambda: listed(2, p(), spouse(38)), "quiet")
R("household", "members_listed", "0 listed, nobody recorded", lambda: listed(0), "quiet")
R("household", "members_listed", "1 listed, nobody recorded", lambda: listed(1), "quiet")


