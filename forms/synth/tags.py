"""Manual and returned tags (and the fields they need) for synthetic records (:mod:`forms.synth`).

Every tag is set only where its prerequisites in the default catalogue hold, so the demo data
validates cleanly: 老年人-only tags on people aged 60+, 特困人员 never with 低保对象, and so on.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

Record = dict[str, Any]


def _age(birth: str, today: date) -> int:
    b = date.fromisoformat(birth)
    return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


def assign_tags(
    houses: Sequence[Record], households: Sequence[Record], persons: Sequence[Record], rng: random.Random, today: date
) -> None:
    """Set manual/returned tags on persons and houses, in place (deterministic for one ``rng``)."""
    residents: dict[str, int] = {}
    for p in persons:
        if p["data"].get("living_here") == "yes" and p["house_id"]:
            residents[p["house_id"]] = residents.get(p["house_id"], 0) + 1
    for p in persons:
        _person_tags(p, rng, today, residents.get(p["house_id"] or "", 0))
    for h in houses:
        d = h["data"]
        r = rng.random()
        if d.get("occupancy") in ("1", "4") and r < 0.01:
            d["danger_grade"] = rng.choice(["C", "D"])
            d["hazards"] = "07"
            d["safety_note"] = "墙体开裂，待鉴定加固"
            h["tags"].append("危房")
        elif r < 0.06:
            d["hazards"] = rng.choice(["02", "03", "01 02", "04", "06"])
            d["safety_note"] = "已当场告知整改"
        if d.get("occupancy") == "2" and d.get("rental_use") == "1" and rng.random() < 0.04:
            h["tags"].append("民宿/短租")


def _person_tags(p: Record, rng: random.Random, today: date, living_with: int) -> None:
    d = p["data"]
    tags: list[str] = p["tags"]
    age = _age(d["birth_date"], today)
    sex = d["sex"]
    pop = d["population_type"]
    citizen = d.get("id_type") == "01"
    if pop == "2" and rng.random() < 0.6:
        d["residence_permit_no"] = f"{d['id_number'][:6]}{rng.randrange(10**9, 10**10)}"
        d["permit_expiry"] = (today + timedelta(days=rng.randrange(30, 1500))).isoformat()
        tags.append("居住证持有人")
    if citizen and rng.random() < 0.025 and age >= 1:
        d["disability_cert"] = f"{d['id_number']}{rng.randrange(1, 8)}{rng.choice('12334444')}"
    if age >= 60:
        if living_with == 1 and rng.random() < 0.3:
            tags.append("留守老人")
        if age >= 75 and rng.random() < 0.08:
            d["care_level"] = rng.choice(["1", "2"])
            tags.append("失能/半失能老人")
        if rng.random() < 0.7:
            tags.append("离退休人员")
    elif sex == "2" and age >= 55 and rng.random() < 0.5:
        tags.append("离退休人员")
    if 6 <= age <= 22 and rng.random() < 0.9 and pop != "4":
        tags.append("在校学生")
    if citizen and pop == "1":
        r = rng.random()
        poor_ok = age >= 60 or age < 16 or bool(d.get("disability_cert"))
        if r < 0.015:
            tags.append("低保对象")
        elif r < 0.02 and poor_ok:
            tags.append("特困人员")
        elif r < 0.03:
            tags.append("低保边缘")
        if sex == "1" and age >= 22 and rng.random() < 0.04:
            tags.append("退役军人")
        if age >= 50 and rng.random() < 0.06:
            tags.append("慢病管理对象")
        if 18 <= age < 60 and rng.random() < 0.01:
            tags.append("失业人员")
        if 25 <= age < 70 and rng.random() < 0.002:
            d["correction_start_date"] = (today - timedelta(days=rng.randrange(30, 300))).isoformat()
            d["correction_end_date"] = (today + timedelta(days=rng.randrange(30, 500))).isoformat()
            tags.append("社区矫正对象")
    if 18 <= age <= 70 and rng.random() < 0.03:
        tags.append("志愿者")
    if age >= 45 and pop == "1" and rng.random() < 0.006:
        tags.append("楼道长")
    if pop == "2" and 18 <= age < 50 and d.get("occupation") in ("快递员", "外卖骑手") and rng.random() < 0.8:
        tags.append("新就业形态劳动者")
    if sex == "2" and 22 <= age <= 40 and d.get("marital_status") == "20" and rng.random() < 0.03:
        d["due_date"] = (today + timedelta(days=rng.randrange(20, 250))).isoformat()
        tags.append("孕产妇")
