"""Test districts in the wire format of docs/protocol.md: our areas plus ``forms.synth`` records.

``district_items(persons=N)`` gives pull items: one district, one street, two communities with two
grids each, then the synthetic houses, households and persons spread over the four grids.
``fill_store(store, persons=N)`` stores them through ``store.apply_changes`` like a real pull.
"""

from __future__ import annotations

from typing import Any

from forms.synth import generate

DISTRICT = ("330102", "上城区")
STREET = ("330102001", "清波街道")
COMMUNITIES = (("330102001001", "清波门社区"), ("330102001002", "柳翠井巷社区"))
GRIDS = {"330102001001": (("330102001001001", "第一网格"), ("330102001001002", "第二网格")),
         "330102001002": (("330102001002001", "第一网格"), ("330102001002002", "第二网格"))}


def grids() -> list[str]:
    return [g for c, _n in COMMUNITIES for g, _gn in GRIDS[c]]


def area_records() -> list[dict[str, Any]]:
    areas: list[dict[str, Any]] = [{"code": DISTRICT[0], "name": DISTRICT[1], "level": "district", "parent": None},
             {"code": STREET[0], "name": STREET[1], "level": "street", "parent": DISTRICT[0]}]
    for code, name in COMMUNITIES:
        areas.append({"code": code, "name": name, "level": "community", "parent": STREET[0]})
        for g, gname in GRIDS[code]:
            areas.append({"code": g, "name": gname, "level": "grid", "parent": code})
    return areas


def district_items(persons: int = 200, seed: int = 7) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [{"type": "area", "id": a["code"], "deleted": False, "data": a}
                                   for a in area_records()]
    items += [{"type": "entity", "id": r["id"], "deleted": False, "data": r}
              for r in generate(persons, seed=seed, grids=grids())]
    for seq, item in enumerate(items, start=1):
        item["seq"] = seq
    return items


def fill_store(store: Any, persons: int = 200, batch: int = 5000, seed: int = 7) -> list[dict[str, Any]]:
    """Put a district into ``store`` through its pull API; returns the entity records stored."""
    items = district_items(persons, seed)
    for start in range(0, len(items), batch):
        chunk = items[start:start + batch]
        more = start + batch < len(items)
        store.pull.apply_changes(chunk, f"{chunk[-1]['seq']}.test", has_more=more)
    return [i["data"] for i in items if i["type"] == "entity"]
