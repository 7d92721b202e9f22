"""Deterministic synthetic data for demos, tests and benchmarks.

``generate(n_persons, seed=..., grids=..., today=...)`` returns houses, then households, then persons
as dicts in the sync wire format (docs/architecture.md, "sync: entity wire format"), filled in with
the field names of the default templates. The same arguments always give the same records (ids are
uuid5 values derived from the seed). The data looks like a real community: weighted common
surnames, valid 18-character ID numbers consistent with birth date and sex, mobiles, families of 1-6
with one 户主 each, older people living alone or as couples, let houses with migrant tenants, a few
overcrowded (群租) lettings, vacant houses, foreigners, and manual/returned tags set only where their
prerequisites hold. About 2.4 persons per house.

``scaled_catalogue`` (in :mod:`forms.synth.catalogue`) builds the district-sized tag catalogue.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from forms.synth import names

TEMPLATE_VERSION = "2026.1"
NAMESPACE = uuid.UUID("2f8d3c8e-5b1a-4d0e-9a57-7b3c1e6a0f42")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
Record = dict[str, Any]
_SURNAMES = [s for s, _ in names.SURNAMES]
_SURNAME_CUM = list(itertools.accumulate(w for _, w in names.SURNAMES))


def id_check_char(first17: str) -> str:
    """The GB 11643 (ISO 7064 MOD 11-2) check character for 17 digits."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def _years_before(today: date, years: int, rng: random.Random) -> date:
    """A random date in the year of life that gives age ``years`` on ``today``."""
    latest = _shift_years(today, -years)
    return latest - timedelta(days=rng.randrange(0, 365))


def _shift_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@dataclass
class _House:
    record: Record
    households: list[Record] = field(default_factory=list)
    persons: list[Record] = field(default_factory=list)


@dataclass
class _Gen:
    rng: random.Random
    seed: int
    today: date
    used_ids: set[str] = field(default_factory=set)
    counters: dict[str, int] = field(default_factory=dict)
    relations: dict[str, str] = field(default_factory=dict)

    # --- identifiers --------------------------------------------------------------------------
    def uid(self, kind: str) -> str:
        n = self.counters.get(kind, 0)
        self.counters[kind] = n + 1
        return str(uuid.uuid5(NAMESPACE, f"{self.seed}:{kind}:{n}"))

    def id_number(self, area: str, birth: date, sex: str) -> str:
        for _ in range(1000):
            seq = self.rng.randrange(0, 1000)
            if (seq % 2 == 1) != (sex == "1"):
                seq = (seq + 1) % 1000
            first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
            number = first17 + id_check_char(first17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
        raise RuntimeError("ran out of ID sequence numbers")  # 1000 per area and day: unreachable

    def mobile(self) -> str:
        return self.rng.choice(names.MOBILE_PREFIXES) + f"{self.rng.randrange(0, 10**8):08d}"

    def name(self, sex: str, surname: str | None = None) -> str:
        rng = self.rng
        if surname is None:
            surname = rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM)[0]
        pool = names.GIVEN_MALE if sex == "1" else names.GIVEN_FEMALE
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.8 else "")
        return surname + given

    def past(self, max_days: int, min_days: int = 1) -> date:
        return self.today - timedelta(days=self.rng.randrange(min_days, max_days + 1))

    def future(self, max_days: int, min_days: int = 1) -> date:
        return self.today + timedelta(days=self.rng.randrange(min_days, max_days + 1))

    # --- persons ------------------------------------------------------------------------------
    def person(
        self,
        house: _House,
        household: Record,
        *,
        age: int,
        sex: str,
        relation: str,
        population_type: str = "1",
        surname: str | None = None,
        area: str = "330102",
        living_here: bool = True,
        residence_type: str = "1",
    ) -> Record:
        rng, today = self.rng, self.today
        birth = _years_before(today, age, rng)
        h = house.record["data"]
        data: dict[str, Any] = {"population_type": population_type, "sex": sex, "birth_date": birth.isoformat()}
        if population_type == "3":
            nat, zh, _, fam, given, prefix = rng.choice([f for f in names.FOREIGNERS if f[2] == sex])
            if area in names.HKMT_AREAS:  # 港澳台居民 with a residence permit: Chinese nationals from outside the mainland
                zh, (fam, given) = self.name(sex), names.HKMT_ROMANISED[rng.randrange(len(names.HKMT_ROMANISED))]
                nat, doc, number = "CHN", "02", self.id_number(area, birth, sex)
            else:
                doc, number = "06", prefix + f"{rng.randrange(10**7, 10**8)}"
            data.update(
                name=zh, id_type=doc, id_number=number, nationality=nat,
                foreign_surname=fam, foreign_given_name=given, doc_expiry=self.future(3000, 200).isoformat(),
                visit_purpose=rng.choice(["01", "01", "02", "05", "03"]),
                arrival_date=self.past(900, 30).isoformat(), planned_departure_date=self.future(700, 60).isoformat(),
            )
        else:
            data.update(name=self.name(sex, surname), nationality="CHN",
                        ethnicity="01" if rng.random() < 0.93 else rng.choice(names.MINORITIES))
            if population_type == "4":
                data.update(id_type="07", id_number=f"Q{rng.randrange(10**8, 10**9)}",
                            unregistered_reason=rng.choice(["01", "02", "06"]),
                            held_doc_type="出生医学证明", held_doc_no=f"Q{rng.randrange(10**8, 10**9)}")
            else:
                data.update(id_type="01", id_number=self.id_number(area, birth, sex))
        if age >= 16:
            data["phone"] = self.mobile()
            data["marital_status"] = ("10" if age < 24 else "20" if age < 70 else rng.choice(["20", "30"])) \
                if relation not in ("10", "11", "12") else "20"
            data["political_status"] = rng.choices(["13", "01", "03", "12", "05"], [80, 10, 8 if age <= 28 else 0, 1, 1])[0]
            data["education"] = rng.choice(["21", "31", "61", "71", "14", "41"] if age < 60 else ["71", "81", "61", "31"])
            if 18 <= age < 60 and rng.random() < 0.85:
                data["occupation"], data["employer"] = rng.choice(names.OCCUPATIONS)
        elif age >= 14 and rng.random() < 0.4:
            data["political_status"] = "03"
        data["relation_to_head"] = relation
        if population_type in ("1", "2"):
            data["native_place"] = rng.choice(names.NATIVE_PLACES) if population_type == "1" else area
            data["hukou_status"] = "1"
            if population_type == "1":
                data.update(hukou_division=area, hukou_address=h["address"] if living_here or area == "330102" else "",
                            hukou_no=household["data"]["household_no"], hukou_here="yes" if area == "330102" else "no")
                if not data["hukou_address"]:
                    data["hukou_address"] = dict(names.LOCAL_DIVISIONS).get(area, "") + "某路1号"
            else:
                place = dict(names.MIGRANT_ORIGINS)[area]
                data.update(native_place=place[:2], hukou_division=area, hukou_address=f"{place}某村{rng.randrange(1, 60)}号",
                            hukou_here="no", residence_reason=rng.choice(["01", "01", "01", "02", "05", "04"]),
                            residence_reg_date=self.past(1500, 10).isoformat())
        data["living_here"] = "yes" if living_here else "no"
        if living_here:
            data["residence_type"] = residence_type
            data["move_in_date"] = self.past(min(age * 365, 8000) or 1).isoformat()
        rec = self.record("person", house, household, data)
        self.relations[rec["id"]] = relation
        house.persons.append(rec)
        return rec

    def record(self, kind: str, house: _House | None, household: Record | None, data: dict[str, Any]) -> Record:
        return {
            "id": self.uid(kind), "kind": kind, "template": kind, "template_version": TEMPLATE_VERSION,
            "grid": house.record["grid"] if house else "", "house_id": house.record["id"] if house else None,
            "household_id": household["id"] if household else None, "data": data, "tags": [], "rev": 1,
            "state": "active",
        }


_SONS = ("21", "22", "23", "24", "25", "26")
_DAUGHTERS = ("31", "32", "33", "34", "35", "36")


def _addresses(grid: str, rng: random.Random, index: int) -> Iterator[tuple[str, str, str, int, str]]:
    """Endless (estate, building, unit, floor, room) of one grid, estate by estate."""
    estates = list(names.ESTATES)
    rng.shuffle(estates)
    for n, estate in enumerate(estates * 1000):
        label = estate if n < len(estates) else f"{estate}{n // len(estates) + 1}期"
        floors = rng.choice([6, 6, 7, 11, 18])
        for building in range(1, rng.randrange(4, 13)):
            for unit in range(1, rng.choice([2, 3, 4])):
                for floor in range(1, floors + 1):
                    for door in range(1, 3):
                        yield label, str(building), str(unit), floor, f"{floor}{door:02d}"


class _Builder:
    """Fills houses one scenario at a time until the wanted number of persons exists."""

    SCENARIOS = (
        ("family", 52), ("elder_alone", 7), ("elder_couple", 6), ("let_family", 10), ("partly_let", 4),
        ("group_let", 2), ("vacant", 9), ("lent", 3), ("foreign", 1), ("collective", 1), ("shop", 2),
    )

    def __init__(self, gen: _Gen, grids: Sequence[str]) -> None:
        self.gen = gen
        self.grids = list(grids)
        self.addresses = {g: _addresses(g, gen.rng, i) for i, g in enumerate(self.grids)}
        self.houses: list[_House] = []
        self.persons = 0

    # --- houses and households ----------------------------------------------------------------
    def house(self) -> _House:
        g = self.gen
        grid = self.grids[len(self.houses) % len(self.grids)]
        estate, building, unit, floor, room = next(self.addresses[grid])
        area = round(g.rng.uniform(38, 140), 1)
        rooms = 1 if area < 50 else 2 if area < 80 else 3 if area < 115 else 4
        data: dict[str, Any] = {
            "house_no": f"{grid}{len(self.houses) // len(self.grids) + 1:05d}", "estate": estate, "building": building,
            "unit": unit, "floor": floor, "room": room, "address": f"{estate}{building}幢{unit}单元{room}室",
            "building_use": "1", "house_nature": g.rng.choices(["1", "2", "3", "4", "5"], [70, 12, 5, 10, 3])[0],
            "building_structure": "1" if floor > 6 else g.rng.choice(["1", "2"]),
            "building_area": area, "living_area": round(area * 0.72, 1), "room_count": rooms,
        }
        rec: Record = {"id": g.uid("house"), "kind": "house", "template": "house", "template_version": TEMPLATE_VERSION,
               "grid": grid, "house_id": None, "household_id": None, "data": data, "tags": [], "rev": 1,
               "state": "active"}
        h = _House(rec)
        self.houses.append(h)
        return h

    def household(self, house: _House, head_name: str = "", head_id: str = "", collective: bool = False) -> Record:
        g = self.gen
        no = f"{house.record['grid'][-9:]}{g.counters.get('household', 0) + 1:05d}"
        rec = g.record("household", house, None, {"household_no": no, "household_type": "2" if collective else "1",
                                                   "head_name": head_name, "head_id_number": head_id})
        rec["household_id"] = None
        house.households.append(rec)
        return rec

    def set_head(self, household: Record, head: Record) -> None:
        household["data"]["head_person"] = head["id"]
        household["data"]["head_name"] = head["data"]["name"]
        if head["data"].get("id_type") == "01":
            household["data"]["head_id_number"] = head["data"]["id_number"]
        else:
            household["data"].pop("head_id_number", None)
        for key in ("head_name", "head_id_number"):
            if key in household["data"] and household["data"][key] == "":
                del household["data"][key]

    def add(self, house: _House, household: Record, **kw: Any) -> Record:
        self.persons += 1
        return self.gen.person(house, household, **kw)

    def owner(self, house: _House, resident: Record | None) -> None:
        d = house.record["data"]
        g = self.gen
        if resident is not None and resident["data"].get("id_type") == "01":
            d.update(owner_name=resident["data"]["name"], owner_id_type="01",
                     owner_id_number=resident["data"]["id_number"], owner_phone=resident["data"].get("phone", g.mobile()))
            return
        sex = g.rng.choice(["1", "2"])
        age = g.rng.randrange(35, 75)
        birth = _years_before(g.today, age, g.rng)
        d.update(owner_name=g.name(sex), owner_id_type="01",
                 owner_id_number=g.id_number(g.rng.choice(names.LOCAL_DIVISIONS)[0], birth, sex), owner_phone=g.mobile())

    # --- families -----------------------------------------------------------------------------
    def family(self, house: _House, size: int, *, area: str = "330102", population_type: str = "1",
               residence_type: str = "1", head_age: int | None = None) -> list[Record]:
        rng = self.gen.rng
        hh = self.household(house)
        head_age = head_age if head_age is not None else rng.choice(range(24, 82))
        head_sex = "1" if rng.random() < 0.62 else "2"
        common = {"area": area, "population_type": population_type, "residence_type": residence_type}
        head = self.add(house, hh, age=head_age, sex=head_sex, relation="02", **common)
        self.set_head(hh, head)
        surname = head["data"]["name"][: 2 if head["data"]["name"][:2] in ("欧阳", "司马", "诸葛", "上官") else 1]
        people = [head]
        left = size - 1
        if left and head_age >= 22:
            spouse_sex = "2" if head_sex == "1" else "1"
            spouse_age = max(20, min(100, head_age + rng.randrange(-5, 4)))
            people.append(self.add(house, hh, age=spouse_age, sex=spouse_sex, relation="12" if spouse_sex == "2" else "11", **common))
            left -= 1
        parents_room = head_age < 50 and left >= 3
        n_children = max(0, left - (1 if parents_room else 0))
        child_ages = sorted((max(0, head_age - rng.randrange(23, 36) - 2 * i) for i in range(n_children)), reverse=True)
        sons = daughters = 0
        for age in child_ages:
            sex = rng.choice(["1", "2"])
            if n_children == 1:
                rel = "21" if sex == "1" else "31"
            elif sex == "1":
                rel, sons = _SONS[min(sons + 1, 5)], sons + 1
            else:
                rel, daughters = _DAUGHTERS[min(daughters + 1, 5)], daughters + 1
            child_surname = surname if head_sex == "1" or rng.random() < 0.3 else None
            unregistered = population_type == "1" and age < 6 and rng.random() < 0.03
            people.append(self.add(house, hh, age=age, sex=sex, relation=rel, surname=child_surname,
                                   **{**common, "population_type": "4" if unregistered else population_type}))
        if parents_room:
            sex = rng.choice(["1", "2"])
            age = min(98, head_age + rng.randrange(24, 33))
            rel = ("51" if sex == "1" else "52") if head_sex == "1" else ("55" if sex == "1" else "56")
            people.append(self.add(house, hh, age=age, sex=sex, relation=rel, surname=surname if sex == "1" else None, **common))
        # Now and then an adult child works elsewhere: registered here, living elsewhere (户在人不在).
        if population_type == "1" and len(people) >= 3 and rng.random() < 0.12:
            p = people[-1]
            if p["data"].get("relation_to_head") in _SONS + _DAUGHTERS and p["data"]["birth_date"] < f"{self.gen.today.year - 20}":
                p["data"]["living_here"] = "no"
                p["data"].pop("residence_type", None)
                p["data"].pop("move_in_date", None)
        self.link_members(hh, people)
        return people

    def link_members(self, hh: Record, people: list[Record]) -> None:
        head = hh["data"]
        for p in people:
            p["household_id"] = hh["id"]
            if "relation_to_head" in p["data"] and p["data"]["population_type"] in ("1", "2"):
                p["data"]["head_name"] = head["head_name"]
                if head.get("head_id_number"):
                    p["data"]["head_id_number"] = head["head_id_number"]
        hh["data"]["members"] = [
            {"member_person": p["id"], "member_name": p["data"]["name"],
             "member_id_number": p["data"]["id_number"], "member_relation": self.gen.relations[p["id"]]}
            for p in people
        ]
        hh["data"]["member_count"] = len(people)

    # --- scenarios ----------------------------------------------------------------------------
    def fill(self, n_persons: int) -> None:
        rng = self.gen.rng
        kinds = [k for k, _ in self.SCENARIOS]
        weights = [w for _, w in self.SCENARIOS]
        while self.persons < n_persons:
            kind = rng.choices(kinds, weights)[0]
            house = self.house()
            getattr(self, f"_{kind}")(house, n_persons - self.persons)
            self.occupancy_counts(house)

    def occupancy_counts(self, house: _House) -> None:
        d = house.record["data"]
        living = sum(1 for p in house.persons if p["data"]["living_here"] == "yes")
        if d["occupancy"] != "4":
            d["occupant_count"] = living

    def _family(self, house: _House, budget: int) -> None:
        size = min(budget, self.gen.rng.choices([1, 2, 3, 4, 5, 6], [10, 26, 32, 18, 10, 4])[0])
        people = self.family(house, size)
        house.record["data"]["occupancy"] = "1"
        self.owner(house, people[0])

    def _elder_alone(self, house: _House, budget: int) -> None:
        people = self.family(house, 1, head_age=self.gen.rng.randrange(62, 97))
        house.record["data"]["occupancy"] = "1"
        self.owner(house, people[0])

    def _elder_couple(self, house: _House, budget: int) -> None:
        people = self.family(house, min(2, budget), head_age=self.gen.rng.randrange(63, 90))
        house.record["data"]["occupancy"] = "1"
        self.owner(house, people[0])

    def _lent(self, house: _House, budget: int) -> None:
        area = self.gen.rng.choice(names.LOCAL_DIVISIONS[1:])[0]
        self.family(house, min(budget, self.gen.rng.randrange(1, 4)), area=area, residence_type="3")
        house.record["data"]["occupancy"] = "5"
        self.owner(house, None)

    def _vacant(self, house: _House, budget: int) -> None:
        house.record["data"]["occupancy"] = "4"
        self.owner(house, None)

    def _let_family(self, house: _House, budget: int) -> None:
        area = self.gen.rng.choice(names.MIGRANT_ORIGINS)[0]
        people = self.family(house, min(budget, self.gen.rng.choices([1, 2, 3, 4], [30, 30, 30, 10])[0]),
                             area=area, population_type="2", residence_type="2", head_age=self.gen.rng.randrange(20, 55))
        self.let(house, [people[0]], occupancy="2")

    def _foreign(self, house: _House, budget: int) -> None:
        hh = self.household(house)
        rng = self.gen.rng
        area = rng.choice(names.HKMT_AREAS) if rng.random() < 0.3 else "330102"
        people = [self.add(house, hh, age=rng.randrange(23, 60), sex=rng.choice(["1", "2"]),
                           relation="02", population_type="3", residence_type="2", area=area)]
        self.set_head(hh, people[0])
        self.link_members(hh, people)
        self.let(house, people, occupancy="2")

    def _partly_let(self, house: _House, budget: int) -> None:
        owners = self.family(house, min(budget, self.gen.rng.randrange(1, 3)), head_age=self.gen.rng.randrange(45, 80))
        tenants: list[Record] = []
        if self.persons < self.budget_limit:
            area = self.gen.rng.choice(names.MIGRANT_ORIGINS)[0]
            tenants = self.family(house, 1, area=area, population_type="2", residence_type="2",
                                  head_age=self.gen.rng.randrange(20, 45))
        self.owner(house, owners[0])
        if tenants:
            self.let(house, tenants, occupancy="3", rooms=1)
        else:
            house.record["data"]["occupancy"] = "1"

    def _group_let(self, house: _House, budget: int) -> None:
        rng = self.gen.rng
        n = max(1, min(budget, rng.randrange(6, 10)))
        tenants = []
        for _ in range(n):
            area = rng.choice(names.MIGRANT_ORIGINS)[0]
            tenants.extend(self.family(house, 1, area=area, population_type="2", residence_type="2",
                                       head_age=rng.randrange(18, 40)))
        d = house.record["data"]
        d.update(building_area=round(rng.uniform(50, 75), 1), room_count=2)
        d["living_area"] = round(d["building_area"] * 0.72, 1)
        self.let(house, tenants, occupancy="2", rooms=2)
        d.update(partitioned="yes", bed_letting=rng.choice(["yes", "no"]))

    def _collective(self, house: _House, budget: int) -> None:
        rng = self.gen.rng
        hh = self.household(house, collective=True)
        people = []
        for i in range(max(1, min(budget, rng.randrange(3, 6)))):
            people.append(self.add(house, hh, age=rng.randrange(20, 58), sex=rng.choice(["1", "2"]),
                                   relation="02" if i == 0 else "99"))
        self.set_head(hh, people[0])
        self.link_members(hh, people)
        d = house.record["data"]
        d.update(occupancy="1", house_nature="2")
        self.owner(house, None)

    def _shop(self, house: _House, budget: int) -> None:
        d = house.record["data"]
        d["building_use"] = "2"
        people = self.family(house, min(budget, self.gen.rng.randrange(1, 3)), area=self.gen.rng.choice(names.MIGRANT_ORIGINS)[0],
                             population_type="2", residence_type="2", head_age=self.gen.rng.randrange(25, 55))
        self.let(house, people[:1], occupancy="2", use="2")

    budget_limit = 1 << 62

    def let(self, house: _House, tenants: list[Record], *, occupancy: str, rooms: int | None = None, use: str = "1") -> None:
        g = self.gen
        d = house.record["data"]
        if occupancy == "2":
            self.owner(house, None)
        start = g.past(700, 20)
        end = _shift_years(start, g.rng.choice([1, 2, 3]))
        while end <= g.today:
            end = _shift_years(end, 1)
        d.update(occupancy=occupancy, rental_use=use, lease_start=start.isoformat(), lease_end=end.isoformat(),
                 rental_room_count=rooms or d["room_count"], rental_registered=g.rng.choice(["yes", "yes", "no"]),
                 partitioned="no", bed_letting="no", non_room_sleeping="no",
                 tenants=[{"tenant_name": t["data"]["name"], "tenant_id_number": t["data"]["id_number"],
                           "tenant_phone": t["data"].get("phone") or g.mobile()} for t in tenants])


def generate(
    n_persons: int,
    *,
    seed: int = 1,
    grids: Sequence[str] = ("330102001001001",),
    today: date | None = None,
) -> list[Record]:
    """``n_persons`` persons with their houses and households: houses first, then households,
    then persons, each a wire-format dict (rev 1, state active). Deterministic for equal arguments."""
    from forms.synth.tags import assign_tags

    if n_persons < 0:
        raise ValueError("n_persons must be >= 0")
    if not grids:
        raise ValueError("at least one grid code is required")
    gen = _Gen(random.Random(seed), seed, today or date.today())
    builder = _Builder(gen, grids)
    builder.budget_limit = n_persons
    builder.fill(n_persons)
    houses = [h.record for h in builder.houses]
    households = [hh for h in builder.houses for hh in h.households]
    persons = [p for h in builder.houses for p in h.persons]
    assign_tags(houses, households, persons, gen.rng, gen.today)
    return houses + households + persons


def scaled_catalogue(person_tpl_source: Any, n_person_tags: int = 172, n_auto: int = 53, n_house_tags: int = 8,
                     *, out_dir: Any = None) -> Any:
    """The district-sized catalogue; see :func:`forms.synth_catalogue.scaled_catalogue`."""
    from forms.synth.catalogue import scaled_catalogue as build

    return build(person_tpl_source, n_person_tags, n_auto, n_house_tags, out_dir=out_dir)
