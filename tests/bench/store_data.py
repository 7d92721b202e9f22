"""Synthetic pulled pages for store tests and the store benchmark (not a benchmark itself)."""

from __future__ import annotations

import random
import uuid
from typing import Any

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文斌鹏辉宇浩然子轩梓涵"
ESTATES = ["清波门小区", "柳浪闻莺苑", "南山公寓", "河坊新村", "紫阳花园", "望江家园"]
CHECK = "10X98765432"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng: random.Random, birth: str, sex: str) -> str:
    seq = rng.randrange(0, 500) * 2 + (1 if sex == "1" else 0)
    body = "330102" + birth.replace("-", "") + f"{seq:03d}"
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def entity(kind: str, grid: str, data: dict[str, Any], *, house_id: str | None = None,
           household_id: str | None = None, rev: int = 1, eid: str | None = None,
           tags: list[str] | None = None) -> dict[str, Any]:
    return {"id": eid or str(uuid.uuid4()), "kind": kind, "template": kind, "template_version": "2026.1",
            "grid": grid, "house_id": house_id, "household_id": household_id, "data": data,
            "tags": tags or [], "rev": rev, "state": "active", "updated_at": "2026-11-21T10:00:00Z"}


def item(ent: dict[str, Any], seq: int = 0) -> dict[str, Any]:
    return {"seq": seq, "type": "entity", "id": ent["id"], "deleted": False, "data": ent}


def population(n_persons: int, seed: int = 7, grids: int = 4) -> list[dict[str, Any]]:
    """Houses, households and ``n_persons`` persons (about 2.5 a house), houses first per house."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    made = 0
    h = 0
    while made < n_persons:
        h += 1
        grid = f"330102001001{(h % grids) + 1:03d}"
        estate = ESTATES[h % len(ESTATES)]
        building, unit, room = f"{h // 40 % 30 + 1}幢", f"{h // 10 % 4 + 1}单元", f"{h % 10 + 1}0{h % 4 + 1}"
        house = entity("house", grid, {"house_no": f"H{h:06d}", "estate": estate, "building": building,
                                       "unit": unit, "room": room, "occupancy": "1",
                                       "address": f"杭州市上城区清波街道{estate}{building}{unit}{room}室"})
        hh = entity("household", grid, {"household_no": f"HH{h:06d}", "household_type": "1"},
                    house_id=house["id"])
        out += [house, hh]
        for _ in range(min(rng.choice((1, 2, 2, 3, 3, 4)), n_persons - made)):
            made += 1
            sex = rng.choice("12")
            birth = f"{rng.randrange(1930, 2024)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            out.append(entity("person", grid, {
                "name": name, "sex": sex, "birth_date": birth, "id_number": id_number(rng, birth, sex),
                "id_type": "1", "population_type": "1", "ethnicity": "01",
                "phone": f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}", "relation_to_head": "02",
                "hukou_address": "浙江省杭州市上城区清波街道", "native_place": "浙江杭州",
                "marital_status": "20", "education": "21", "political_status": "13",
            }, house_id=house["id"], household_id=hh["id"]))
    return out
