"""The default catalogue, case by case: for every tag and every rule, records where it holds and a
near miss on each of its conditions (each threshold on both sides of a birthday or a count, each
filter of an aggregate, each branch of an ``or``, each ``requires`` / ``excludes`` /
``required_fields`` entry, each ``expires``).

One row per case: ``(target, description, world, expected)``. The world is built afresh for every
run (see :class:`tests.forms.test_default_tags.World`); only behaviour is checked — which tags the
record gets, which tag findings and which rule findings it has — never a rule's text.

Expected values:

* a tag: ``"on"`` (in force, no finding about the tag) or ``"off"`` (not in force, no finding),
  followed by every finding about the tag as ``!condition``, ``!requires``, ``!excludes``,
  ``!expired`` or ``!required_fields:PATH`` (the field left empty), e.g. ``"on !excludes"``;
  the findings must be exactly those.
* a rule: ``"fires"`` (the record has a finding of that rule) or ``"quiet"``.

Used by ``tests/forms/test_catalogue_cases.py`` (the default run) and by
``tests/mutate_catalogue.py`` (by hand: mutates the catalogue and reruns this table). The machinery
(builders, ``T``/``R``, running a case) is in ``catalogue_table.py``; the rule cases in
``catalogue_rule_cases.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.forms.catalogue_table import (
    CASES,
    ELDER,
    ENTITIES,
    Case,
    D,
    F,
    T,
    ages,
    away,
    bd,
    catalogue_targets,
    cert,
    failures,
    hh,
    home,
    house,
    let,
    make_validator,
    mig,
    normalised,
    one,
    outcome,
    p,
    part,
    spouse,
    tenant,
)
from tests.forms.test_default_tags import RENTAL, World, foreigner, id_for

# -- age bands (auto)
ages("婴幼儿", None, 2)
ages("学龄前儿童", 3, 5)
ages("义务教育适龄", 6, 14)
ages("未成年人", None, 17)
ages("不满十四周岁", None, 13)
ages("劳动年龄人口", 16, 59)
ages("育龄妇女", 15, 49, sex="2")
T("育龄妇女", "a man of 30", lambda: one(p(30, sex="1")), "off")
ages("老年人", 60, None)
ages("60-69岁", 60, 69)
ages("70-79岁", 70, 79)
ages("80-89岁", 80, 89)
ages("90岁以上", 90, None)
ages("高龄老人", 80, None)
ages("百岁老人", 100, None)

# 兵役登记适龄男性: a man who turns 18 in the current calendar year
T("兵役登记适龄男性", "born 1 January 18 years back", lambda: one(p(sex="1", birth_date="2008-01-01",
                                                          id_number=id_for(date(2008, 1, 1), "1"))), "on")
T("兵役登记适龄男性", "born 31 December 18 years back (17 today)",
  lambda: one(p(sex="1", birth_date="2008-12-31", id_number=id_for(date(2008, 12, 31), "1"))), "on")
T("兵役登记适龄男性", "born 31 December 19 years back", lambda: one(p(sex="1", birth_date="2007-12-31",
                                                           id_number=id_for(date(2007, 12, 31), "1"))), "off")
T("兵役登记适龄男性", "born 1 January 17 years back", lambda: one(p(sex="1", birth_date="2009-01-01",
                                                          id_number=id_for(date(2009, 1, 1), "1"))), "off")
T("兵役登记适龄男性", "a woman born 18 years back", lambda: one(p(18, sex="2")), "off")
T("兵役登记适龄男性", "a man without a birth date", lambda: one(p(None, sex="1")), "off")

# -- 独居老人: an older person living here, the only resident who lives here
T("独居老人", "60 today, alone", lambda: one(p(60)), "on")
T("独居老人", "60 tomorrow, alone", lambda: one(p(60, 1)), "off")
T("独居老人", "older, alone, but not living here", lambda: one(p(70, living_here="no", residence_type=None)), "off")
T("独居老人", "not living here; one other person lives here",
  lambda: home(p(70, living_here="no", residence_type=None), p(68, sex="2", relation_to_head="12")), "off")
T("独居老人", "with a spouse who lives here", lambda: home(p(70), p(68, sex="2", relation_to_head="12")), "off")
T("独居老人", "with two others who live here",
  lambda: home(p(70), p(68, sex="2", relation_to_head="12"), p(40, relation_to_head="20")), "off")
T("独居老人", "co-resident registered here but 在本址居住 = 否",
  lambda: home(p(70), p(68, sex="2", relation_to_head="12", living_here="no", residence_type=None)), "on")
T("独居老人", "co-resident moved out", lambda: home(p(70), p(40, relation_to_head="20"), states={1: "moved_out"}), "on")
T("独居老人", "co-resident deceased", lambda: home(p(70), p(72, sex="2", relation_to_head="12"), states={1: "deceased"}),
  "on")
T("独居老人", "household member living in another house",
  lambda: home(p(70), p(40, relation_to_head="20"), links={1: ("house-2", "household-1")}), "on")

# -- 空巢老人: an older person living here with no co-resident under 60 (the head's spouse
# excepted for the head, the head excepted for the spouse) and no child of theirs living here


def nest(subject: dict[str, Any], *others: dict[str, Any], **world: Any) -> World:
    return home(subject, *others, **world)


T("空巢老人", "head 60 today, alone", lambda: nest(p(60)), "on")
T("空巢老人", "head 60 tomorrow, alone", lambda: nest(p(60, 1)), "off")
T("空巢老人", "head not living here", lambda: nest(p(ELDER, living_here="no", residence_type=None)), "off")
for rel in ("10", "11", "12"):
    T("空巢老人", f"head with a spouse ({rel}) of 55", lambda rel=rel: nest(p(ELDER), p(55, sex="2", relation_to_head=rel)),
      "on")
T("空巢老人", "head with a spouse of 68", lambda: nest(p(ELDER), p(68, sex="2", relation_to_head="12")), "on")
T("空巢老人", "head with a non-relative turning 60 today", lambda: nest(p(ELDER), p(60, relation_to_head="99")), "on")
T("空巢老人", "head with a non-relative turning 60 tomorrow", lambda: nest(p(ELDER), p(60, 1, relation_to_head="99")), "off")
T("空巢老人", "head with a young non-relative registered here, not living here",
  lambda: nest(p(ELDER), away(p(30, relation_to_head="99"))), "on")
T("空巢老人", "head with a young son living here", lambda: nest(p(ELDER), p(30, relation_to_head="22")), "off")
T("空巢老人", "head with a son of 62 living here", lambda: nest(p(ELDER), p(62, relation_to_head="20")), "off")
T("空巢老人", "head with a daughter of 62 living here", lambda: nest(p(ELDER), p(62, sex="2", relation_to_head="30")), "off")
T("空巢老人", "head with a son of 62 registered here, not living here",
  lambda: nest(p(ELDER), away(p(62, relation_to_head="20"))), "on")
T("空巢老人", "head with a young son who moved out", lambda: nest(p(ELDER), p(30, relation_to_head="22"),
                                                            states={1: "moved_out"}), "on")
T("空巢老人", "head with a deceased young son", lambda: nest(p(ELDER), p(30, relation_to_head="22"),
                                                      states={1: "deceased"}), "on")
# the spouse's view
T("空巢老人", "spouse with a head of 55", lambda: nest(spouse(), p(55)), "on")
T("空巢老人", "spouse (10) with a head of 55", lambda: nest(p(ELDER, sex="2", relation_to_head="10"), p(55)), "on")
T("空巢老人", "spouse (11) with a head of 55", lambda: nest(p(ELDER, sex="1", relation_to_head="11"), p(55, sex="2")), "on")
T("空巢老人", "spouse with a non-relative turning 60 today", lambda: nest(spouse(), p(65), p(60, relation_to_head="99")),
  "on")
T("空巢老人", "spouse with a non-relative turning 60 tomorrow",
  lambda: nest(spouse(), p(65), p(60, 1, relation_to_head="99")), "off")
T("空巢老人", "spouse with a young non-relative not living here",
  lambda: nest(spouse(), p(65), away(p(30, relation_to_head="99"))), "on")
T("空巢老人", "spouse with a son of 62 living here", lambda: nest(spouse(), p(65), p(62, relation_to_head="20")), "off")
T("空巢老人", "spouse (10) with a son of 62 living here",
  lambda: nest(p(ELDER, sex="2", relation_to_head="10"), p(65), p(62, relation_to_head="20")), "off")
T("空巢老人", "spouse (11) with a son of 62 living here",
  lambda: nest(p(ELDER, relation_to_head="11"), p(65, sex="2"), p(62, relation_to_head="20")), "off")
T("空巢老人", "spouse with a son of 62 not living here",
  lambda: nest(spouse(), p(65), away(p(62, relation_to_head="20"))), "on")
T("空巢老人", "spouse 60 tomorrow", lambda: nest(spouse(60, 1), p(65)), "off")
# a parent of the head
T("空巢老人", "head's father with a head of 62 living here", lambda: nest(p(88, relation_to_head="51"), p(62)), "off")
T("空巢老人", "head's mother with the head's wife of 62 living here",
  lambda: nest(p(88, sex="2", relation_to_head="52"), p(62, sex="2", relation_to_head="12")), "off")
for rel in ("10", "11"):
    T("空巢老人", f"head's mother with the head's spouse ({rel}) of 62 living here",
      lambda rel=rel: nest(p(88, sex="2", relation_to_head="52"), away(p(62)), p(62, relation_to_head=rel)), "off")
T("空巢老人", "head's father with a head of 62 not living here",
  lambda: nest(p(88, relation_to_head="51"), away(p(62))), "on")
T("空巢老人", "head's father with a non-relative of 65", lambda: nest(p(88, relation_to_head="51"),
                                                             p(65, relation_to_head="99")), "on")
T("空巢老人", "head's father with a head of 50 living here", lambda: nest(p(88, relation_to_head="51"), p(50)), "off")
# anybody else
T("空巢老人", "non-relative with a co-resident turning 60 today",
  lambda: nest(p(ELDER, relation_to_head="99"), p(60, relation_to_head="20")), "on")
T("空巢老人", "non-relative with a co-resident turning 60 tomorrow",
  lambda: nest(p(ELDER, relation_to_head="99"), p(60, 1, relation_to_head="99")), "off")
T("空巢老人", "non-relative with a young spouse of the head living here",
  lambda: nest(p(ELDER, relation_to_head="99"), p(50, sex="2", relation_to_head="12")), "off")
T("空巢老人", "non-relative with a young person not living here",
  lambda: nest(p(ELDER, relation_to_head="99"), away(p(30, relation_to_head="99"))), "on")
T("空巢老人", "head's brother with the head of 65", lambda: nest(p(ELDER, relation_to_head="71"), p(65)), "on")
T("空巢老人", "non-relative with a head of 50 living here", lambda: nest(p(ELDER, relation_to_head="99"), p(50)), "off")
T("空巢老人", "head's brother with a head of 50 living here", lambda: nest(p(ELDER, relation_to_head="71"), p(50)), "off")

# -- 人户状态 (from 在本址居住 and 户籍在本址)
T("人在户在", "lives here, registered here", lambda: one(p()), "on")
T("人在户在", "lives here, registered elsewhere", lambda: one(p(hukou_here="no")), "off")
T("人在户在", "lives elsewhere, registered here", lambda: one(p(living_here="no", residence_type=None)), "off")
T("人在户不在", "lives here, registered elsewhere", lambda: one(p(hukou_here="no")), "on")
T("人在户不在", "lives here, registered here", lambda: one(p()), "off")
T("人在户不在", "lives elsewhere, registered elsewhere",
  lambda: one(p(hukou_here="no", living_here="no", residence_type=None)), "off")
T("户在人不在", "lives elsewhere, registered here", lambda: one(p(living_here="no", residence_type=None)), "on")
T("户在人不在", "lives here, registered here", lambda: one(p()), "off")
T("户在人不在", "lives elsewhere, registered elsewhere",
  lambda: one(p(hukou_here="no", living_here="no", residence_type=None)), "off")

# -- 人口类型
UNREG = {"population_type": "4", "id_type": "07", "id_number": "Q123456789", "unregistered_reason": "01",
         "hukou_division": None, "hukou_address": None, "hukou_here": None}
T("户籍人口", "type 1", lambda: one(p()), "on")
T("户籍人口", "type 2", lambda: one(mig()), "off")
T("流动人口", "type 2 with reason and registration date", lambda: one(mig()), "on")
T("流动人口", "type 1", lambda: one(p()), "off")
T("流动人口", "type 3", lambda: one(foreigner()), "off")
T("流动人口", "no 居住事由", lambda: one(mig(residence_reason=None)), "on !required_fields:residence_reason")
T("流动人口", "no 居住登记日期", lambda: one(mig(residence_reg_date=None)), "on !required_fields:residence_reg_date")
T("境外人员", "type 3 with every detail", lambda: one(foreigner()), "on")
T("境外人员", "type 2", lambda: one(mig()), "off")
T("境外人员", "type 4", lambda: one(p(5, **UNREG)), "off")
for f in ("nationality", "id_type", "id_number", "doc_expiry", "arrival_date", "visit_purpose"):
    T("境外人员", f"no {f}", lambda f=f: one(foreigner(**{f: None})), f"on !required_fields:{f}")
T("未落户人员", "type 4 with a reason", lambda: one(p(5, **UNREG)), "on")
T("未落户人员", "type 3", lambda: one(foreigner()), "off")
T("未落户人员", "no reason", lambda: one(p(5, **(UNREG | {"unregistered_reason": None}))),
  "on !required_fields:unregistered_reason")

# -- documents and nationality
T("港澳台居民", "回乡证 (03)", lambda: one(foreigner(id_type="03", id_number="H12345678", nationality="CHN")), "on")
T("港澳台居民", "台胞证 (04)", lambda: one(foreigner(id_type="04", id_number="12345678", nationality="CHN")), "on")
for area in ("810000", "820000", "830000"):
    T("港澳台居民", f"residence permit (02) {area[:2]}", lambda area=area: one(
        foreigner(id_type="02", id_number=id_for(bd(35), "1", area), nationality="CHN")), "on")
T("港澳台居民", "residence permit (02) with a mainland number",
  lambda: one(foreigner(id_type="02", id_number=id_for(bd(35), "1", "330102"), nationality="CHN")), "off")
T("港澳台居民", "resident ID card (01) with a number starting 81",
  lambda: one(p(id_number=id_for(bd(40), "1", "810000"))), "off")
T("港澳台居民", "passport (06)", lambda: one(foreigner()), "off")
T("外籍人员", "KOR", lambda: one(foreigner()), "on")
T("外籍人员", "CHN", lambda: one(foreigner(nationality="CHN")), "off")
T("外籍人员", "no nationality", lambda: one(foreigner(nationality=None)), "off")

# -- 居住证持有人 (manual): requires 流动人口, permit number and expiry; lapses after the expiry
PERMIT = {"residence_permit_no": "3401041234567", "permit_expiry": F(300)}
T("居住证持有人", "migrant with a permit", lambda: one(mig(**PERMIT), ["居住证持有人"]), "on")
T("居住证持有人", "not set", lambda: one(mig(**PERMIT)), "off")
T("居住证持有人", "registered resident (not 流动人口)", lambda: one(p(**PERMIT), ["居住证持有人"]),
  "on !requires")
T("居住证持有人", "no permit number", lambda: one(mig(permit_expiry=F(300)), ["居住证持有人"]),
  "on !condition !required_fields:residence_permit_no")
T("居住证持有人", "no expiry date", lambda: one(mig(residence_permit_no="3401041234567"), ["居住证持有人"]),
  "on !required_fields:permit_expiry")
T("居住证持有人", "expires today", lambda: one(mig(**(PERMIT | {"permit_expiry": F(0)})), ["居住证持有人"]), "on")
T("居住证持有人", "expired yesterday", lambda: one(mig(**(PERMIT | {"permit_expiry": D(1)})), ["居住证持有人"]),
  "off !expired")

# -- family and household
for rel, exp in (("21", "on"), ("31", "on"), ("20", "off"), ("22", "off"), ("30", "off"), ("32", "off")):
    T("独生子女", f"relation {rel}", lambda rel=rel: one(p(10, relation_to_head=rel)), exp)
T("集体户人口", "household of type 2", lambda: one(p(), household={"household_type": "2"}), "on")
T("集体户人口", "household of type 1", lambda: one(p()), "off")
T("集体户人口", "household of type 3", lambda: one(p(), household={"household_type": "3"}), "off")
T("集体户人口", "no household", lambda: one(p(), links={0: ("house-1", None)}), "off")

# -- 政治面貌
for code, tag in (("01", "中共党员"), ("02", "中共预备党员"), ("03", "共青团员"), ("12", "无党派人士")):
    T(tag, f"code {code}", lambda code=code: one(p(20, political_status=code)), "on")
    for other in {"00", "01", "02", "03", "04", "11", "12", "13"} - {code}:
        if abs(int(other) - int(code)) <= 1 or other == "13":
            T(tag, f"code {other}", lambda other=other: one(p(20, political_status=other)), "off")
for code, exp in (("03", "off"), ("04", "on"), ("05", "on"), ("10", "on"), ("11", "on"), ("12", "off"), ("13", "off")):
    T("民主党派", f"code {code}", lambda code=code: one(p(political_status=code)), exp)
T("民主党派", "no political status", lambda: one(p(political_status=None)), "off")

# -- disability
T("残疾人", "valid certificate", lambda: one(p(disability_cert=cert("3"))), "on")
T("残疾人", "certificate with category 8", lambda: one(p(disability_cert=cert("3", "8"))), "off")
T("残疾人", "no certificate", lambda: one(p()), "off")
for grade, exp in (("1", "on"), ("2", "on"), ("3", "off"), ("4", "off")):
    T("重度残疾", f"grade {grade}", lambda grade=grade: one(p(disability_cert=cert(grade))), exp)
T("重度残疾", "invalid certificate ending in grade 1", lambda: one(p(disability_cert=cert("1", "8"))), "off")
T("重度残疾", "invalid certificate ending in grade 0", lambda: one(p(disability_cert=cert("0", "4"))), "off")


# -- manual and returned tags with an age prerequisite (set on the record)
def prereq(tag: str, lo: int | None, hi: int | None, blank: str, **fields: Any) -> None:
    T(tag, "not set", lambda: one(p(lo if lo is not None else 10, **fields)), "off")
    if lo is not None:
        T(tag, f"{lo} today", lambda: one(p(lo, **fields), [tag]), "on")
        T(tag, f"{lo} tomorrow", lambda: one(p(lo, 1, **fields), [tag]), "on !condition")
    if hi is not None:
        T(tag, f"{hi + 1} tomorrow", lambda: one(p(hi + 1, 1, **fields), [tag]), "on")
        T(tag, f"{hi + 1} today", lambda: one(p(hi + 1, 0, **fields), [tag]), "on !condition")
    T(tag, "no birth date", lambda: one(p(None, **fields), [tag]), blank)


prereq("离退休人员", 40, None, "on")
prereq("在校学生", 3, None, "on")
prereq("退役军人", 18, None, "on")
prereq("孤儿", None, 17, "on !condition")
prereq("事实无人抚养儿童", None, 17, "on !condition")
prereq("困境儿童", None, 17, "on !condition")
prereq("重点青少年", 6, 25, "on !condition")
prereq("失业人员", 16, None, "on !condition")
prereq("就业困难人员", 16, None, "on !condition")
prereq("楼道长", 18, None, "on")
prereq("新就业形态劳动者", 16, None, "on")
GUARDIAN = {"guardian_name": "王芳", "guardian_phone": "13912345678"}
prereq("留守儿童", None, 15, "on !condition", **GUARDIAN)
T("留守儿童", "no guardian's name", lambda: one(p(10, guardian_phone="13912345678"), ["留守儿童"]),
  "on !required_fields:guardian_name")
T("留守儿童", "no guardian's phone", lambda: one(p(10, guardian_name="王芳"), ["留守儿童"]),
  "on !required_fields:guardian_phone")
# 老年人 and nothing else: the prerequisite and the required tag fail together
T("留守老人", "not set", lambda: one(p(70)), "off")
T("留守老人", "60 today", lambda: one(p(60), ["留守老人"]), "on")
T("留守老人", "60 tomorrow", lambda: one(p(60, 1), ["留守老人"]), "on !condition !requires")
T("留守老人", "no birth date", lambda: one(p(None), ["留守老人"]), "on !condition !requires")
T("失能/半失能老人", "not set", lambda: one(p(82, care_level="2")), "off")
T("失能/半失能老人", "60 today with an assessment", lambda: one(p(60, care_level="1"), ["失能/半失能老人"]), "on")
T("失能/半失能老人", "60 tomorrow with an assessment", lambda: one(p(60, 1, care_level="1"), ["失能/半失能老人"]),
  "on !condition !requires")
T("失能/半失能老人", "no assessment", lambda: one(p(82), ["失能/半失能老人"]), "on !required_fields:care_level")

# 特困人员: 60 or over, or disabled, or under 16; excludes 低保对象
T("特困人员", "not set", lambda: one(p(70)), "off")
T("特困人员", "60 today", lambda: one(p(60), ["特困人员"]), "on")
T("特困人员", "60 tomorrow", lambda: one(p(60, 1), ["特困人员"]), "on !condition")
T("特困人员", "16 tomorrow", lambda: one(p(16, 1), ["特困人员"]), "on")
T("特困人员", "16 today", lambda: one(p(16), ["特困人员"]), "on !condition")
T("特困人员", "40 and disabled", lambda: one(p(40, disability_cert=cert("3")), ["特困人员"]), "on")
T("特困人员", "no birth date", lambda: one(p(None), ["特困人员"]), "on !condition")
T("特困人员", "also 低保对象", lambda: one(p(70), ["特困人员", "低保对象"]), "on !excludes")
T("低保边缘", "set alone", lambda: one(p(), ["低保边缘"]), "on")
T("低保边缘", "not set", lambda: one(p()), "off")
T("低保边缘", "also 低保对象", lambda: one(p(), ["低保边缘", "低保对象"]), "on !excludes")
T("低保边缘", "also 特困人员", lambda: one(p(70), ["低保边缘", "特困人员"]), "on !excludes")

# 孕产妇: a woman with a due date or a delivery date; lapses 42 days after delivery
T("孕产妇", "not set", lambda: one(p(30, sex="2", due_date=F(60))), "off")
T("孕产妇", "due date", lambda: one(p(30, sex="2", due_date=F(60)), ["孕产妇"]), "on")
T("孕产妇", "delivery 10 days ago, no due date", lambda: one(p(30, sex="2", delivery_date=D(10)), ["孕产妇"]), "on")
T("孕产妇", "delivered 42 days ago", lambda: one(p(30, sex="2", delivery_date=D(42)), ["孕产妇"]), "on")
T("孕产妇", "delivered 43 days ago", lambda: one(p(30, sex="2", delivery_date=D(43)), ["孕产妇"]), "off !expired")
T("孕产妇", "a woman with neither date", lambda: one(p(30, sex="2"), ["孕产妇"]), "on !condition")
T("孕产妇", "a man with a due date", lambda: one(p(30, sex="1", due_date=F(60)), ["孕产妇"]), "on !condition")

# 社区矫正对象 / 刑满释放人员: required dates, lapse
T("社区矫正对象", "not set", lambda: one(p(correction_start_date=D(100), correction_end_date=F(100))), "off")
T("社区矫正对象", "ends in 100 days", lambda: one(p(correction_start_date=D(100), correction_end_date=F(100)),
                                              ["社区矫正对象"]), "on")
T("社区矫正对象", "ends today", lambda: one(p(correction_start_date=D(100), correction_end_date=F(0)), ["社区矫正对象"]),
  "on")
T("社区矫正对象", "ended yesterday", lambda: one(p(correction_start_date=D(400), correction_end_date=D(1)),
                                             ["社区矫正对象"]), "off !expired")
T("社区矫正对象", "no start date", lambda: one(p(correction_end_date=F(100)), ["社区矫正对象"]),
  "on !required_fields:correction_start_date")
T("社区矫正对象", "no end date", lambda: one(p(correction_start_date=D(100)), ["社区矫正对象"]),
  "on !required_fields:correction_end_date")
T("刑满释放人员", "not set", lambda: one(p(release_date=D(365))), "off")
T("刑满释放人员", "released 5 x 365 days ago", lambda: one(p(release_date=D(5 * 365)), ["刑满释放人员"]), "on")
T("刑满释放人员", "released 5 x 365 + 1 days ago", lambda: one(p(release_date=D(5 * 365 + 1)), ["刑满释放人员"]),
  "off !expired")
T("刑满释放人员", "no release date", lambda: one(p(), ["刑满释放人员"]), "on !required_fields:release_date")

# tags with no prerequisite: in force exactly when set
for _t in ("军属", "烈属", "优抚对象", "低保对象", "计划生育特殊家庭", "慢病管理对象", "严重精神障碍患者", "吸毒人员",
           "社区戒毒康复", "重点上访", "矛盾纠纷当事人", "志愿者", "居民骨干"):
    T(_t, "set", lambda t=_t: one(p(), [t]), "on")
    T(_t, "not set", lambda: one(p()), "off")

# -- house: occupancy and tenure (auto)
for code, tag in (("1", "自住"), ("2", "出租"), ("3", "部分出租"), ("4", "空置"), ("5", "借住")):
    fields = let(occupancy=code) if code in ("2", "3") else {"occupancy": code}
    T(tag, f"occupancy {code}", lambda fields=fields: house(**fields), "on")
    for other in sorted({str(int(code) - 1), str(int(code) + 1)} & {"1", "2", "3", "4", "5"}):
        f2 = let(occupancy=other) if other in ("2", "3") else {"occupancy": other}
        T(tag, f"occupancy {other}", lambda f2=f2: house(**f2), "off")
for code, tag in (("2", "公房"), ("3", "保障房"), ("4", "安置房")):
    T(tag, f"nature {code}", lambda code=code: house(house_nature=code), "on")
    for other in (str(int(code) - 1), str(int(code) + 1)):
        T(tag, f"nature {other}", lambda other=other: house(house_nature=other), "off")
RENT_FIELDS = ("rental_use", "lease_start", "lease_end", "rental_room_count")
for tag, fields in (("出租", let), ("部分出租", part)):
    for f in RENT_FIELDS:
        T(tag, f"no {f}", lambda f=f, fields=fields: house(**fields(**{f: None})), f"on !required_fields:{f}")
    for f in ("tenant_name", "tenant_id_number", "tenant_phone"):
        T(tag, f"a tenant without {f}", lambda f=f, fields=fields: house(**fields(
            tenants=[{k: v for k, v in RENTAL["tenants"][0].items() if k != f}])),
          f"on !required_fields:tenants[0].{f}")
    T(tag, "no tenants", lambda fields=fields: house(**fields(tenants=[])),
      "on !required_fields:tenants !required_fields:tenants !required_fields:tenants")

# 合租: let with >= 2 households (partly let: >= 3), no partitions, not by the bed
T("合租", "let, 2 households", lambda: house(households=2, **let()), "on")
T("合租", "let, 1 household", lambda: house(**let()), "off")
T("合租", "let, 3 households", lambda: house(households=3, **let()), "on")
T("合租", "partly let, 3 households", lambda: house(households=3, **part()), "on")
T("合租", "partly let, 2 households", lambda: house(households=2, **part()), "off")
T("合租", "let, 2 households, partitioned", lambda: house(households=2, **let(partitioned="yes")), "off")
T("合租", "let, 2 households, by the bed", lambda: house(households=2, **let(bed_letting="yes")), "off")
T("合租", "partly let, 3 households, partitioned", lambda: house(households=3, **part(partitioned="yes")), "off")
T("合租", "owner-occupied, 3 households", lambda: house(households=3, occupancy="1"), "off")
T("合租", "lent, 2 households", lambda: house(households=2, occupancy="5"), "off")

# 群租: let (wholly or partly) and overcrowded
T("群租", "let, 5 people in 2 rooms, 2 households", lambda: house(households=2, **let(room_count=2, occupant_count=5)),
  "on")
T("群租", "let, 4 people in 2 rooms, 2 households", lambda: house(households=2, **let(room_count=2, occupant_count=4)),
  "off")
T("群租", "let, 7 people in 3 rooms, 2 households", lambda: house(households=2, **let(room_count=3, occupant_count=7)),
  "on")
T("群租", "let, 6 people in 3 rooms, 2 households", lambda: house(households=2, **let(room_count=3, occupant_count=6)),
  "off")
T("群租", "let, 5 people in 2 rooms, 1 household (a family)", lambda: house(**let(room_count=2, occupant_count=5)),
  "off")
T("群租", "partly let, 5 people in 2 rooms, 2 households",
  lambda: house(households=2, **part(room_count=2, occupant_count=5)), "on")
T("群租", "owner-occupied, 5 people in 2 rooms, 2 households",
  lambda: house(households=2, occupancy="1", room_count=2, occupant_count=5), "off")
T("群租", "let, 4.8 m² a person", lambda: house(**let(room_count=3, living_area=24, occupant_count=5)), "on")
T("群租", "let, 5.0 m² a person", lambda: house(**let(room_count=3, living_area=25, occupant_count=5)), "off")
T("群租", "owner-occupied, 4.8 m² a person", lambda: house(occupancy="1", room_count=3, living_area=24, occupant_count=5),
  "off")
T("群租", "let, no occupants counted", lambda: house(**let(room_count=3, occupant_count=0)), "off")
for f in ("partitioned", "bed_letting", "non_room_sleeping"):
    T("群租", f"let, {f}", lambda f=f: house(**let(**{f: "yes"})), "on")
    T("群租", f"partly let, {f}", lambda f=f: house(**part(**{f: "yes"})), "on")
    T("群租", f"lent, {f}", lambda f=f: house(occupancy="5", **{f: "yes"}), "off")
T("群租", "let, nothing overcrowded", lambda: house(**let()), "off")
for f in ("room_count", "occupant_count", "living_area"):
    T("群租", f"partitioned, no {f}", lambda f=f: house(**let(partitioned="yes", **{f: None})), f"on !required_fields:{f}")

# 集中出租: let (wholly or partly) with >= 10 rooms let or >= 15 tenants
T("集中出租", "let, 10 rooms let", lambda: house(**let(rental_room_count=10, room_count=10)), "on")
T("集中出租", "let, 9 rooms let", lambda: house(**let(rental_room_count=9, room_count=10)), "off")
T("集中出租", "partly let, 10 rooms let", lambda: house(**part(rental_room_count=10, room_count=12)), "on")
T("集中出租", "let, 15 occupants", lambda: house(**let(occupant_count=15, room_count=8)), "on")
T("集中出租", "let, 14 occupants", lambda: house(**let(occupant_count=14, room_count=8)), "off")
T("集中出租", "owner-occupied, 15 occupants", lambda: house(occupancy="1", occupant_count=15, room_count=8), "off")
T("集中出租", "let, 15 tenants recorded", lambda: house(residents=[tenant() for _ in range(15)],
                                                  **let(occupant_count=1, room_count=8)), "on")
T("集中出租", "let, 14 tenants recorded", lambda: house(residents=[tenant() for _ in range(14)],
                                                  **let(occupant_count=1, room_count=8)), "off")
T("集中出租", "let, 14 tenants and 1 owner-occupier recorded",
  lambda: house(residents=[tenant() for _ in range(14)] + [p()], **let(occupant_count=1, room_count=8)), "off")
# a tenant registered here who no longer lives here keeps a stale 居住类型 = 租住: not a tenant
T("集中出租", "let, 14 tenants and 1 registered tenant not living here (stale 租住)",
  lambda: house(residents=[tenant() for _ in range(14)] + [tenant(living_here="no")],
                **let(occupant_count=1, room_count=8)), "off")
T("集中出租", "owner-occupied, 15 tenants recorded",
  lambda: house(residents=[tenant() for _ in range(15)], occupancy="1", occupant_count=1, room_count=8), "off")

# 经营用房: a non-residential building, or let for business
T("经营用房", "building use 2", lambda: house(building_use="2"), "on")
T("经营用房", "building use 0", lambda: house(building_use="0"), "on")
T("经营用房", "building use 1", lambda: house(building_use="1"), "off")
T("经营用房", "no building use", lambda: house(building_use=None), "off")
T("经营用房", "residential, let for business", lambda: house(**let(rental_use="2")), "on")
T("经营用房", "residential, let for living", lambda: house(**let(rental_use="1")), "off")
T("经营用房", "residential, let for use 3", lambda: house(**let(rental_use="3")), "off")
T("经营用房", "residential, partly let for business", lambda: house(**part(rental_use="2")), "on")
# once the house is no longer let, the letting's answers are stale and do not count
T("经营用房", "residential, owner-occupied, stale 出租用途 = 经营", lambda: house(**let(occupancy="1", rental_use="2")), "off")
T("经营用房", "residential, vacant, stale 出租用途 = 经营", lambda: house(**let(occupancy="4", rental_use="2")), "off")

# manual house tags
T("三合一场所", "not set", lambda: house(), "off")
T("三合一场所", "set", lambda: house(["三合一场所"]), "on")
T("三合一场所", "set, occupancy only", lambda: house(["三合一场所"], building_use=None), "on")
T("三合一场所", "set, building use only", lambda: house(["三合一场所"], occupancy=None), "on")
T("三合一场所", "set, neither", lambda: house(["三合一场所"], occupancy=None, building_use=None), "on !condition")
T("危房", "not set", lambda: house(danger_grade="D"), "off")
T("危房", "grade C", lambda: house(["危房"], danger_grade="C"), "on")
T("危房", "grade D", lambda: house(["危房"], danger_grade="D"), "on")
T("危房", "grade B", lambda: house(["危房"], danger_grade="B"), "on !condition")
T("危房", "no grade", lambda: house(["危房"]), "on !condition !required_fields:danger_grade")
T("危房", "grade C, let", lambda: house(["危房"], danger_grade="C", **let()), "on !excludes")
T("危房", "grade D, partly let", lambda: house(["危房"], danger_grade="D", **part()), "on !excludes")
T("危房", "grade C, lent", lambda: house(["危房"], danger_grade="C", occupancy="5"), "on")
T("民宿/短租", "not set", lambda: house(**let()), "off")
T("民宿/短租", "let", lambda: house(["民宿/短租"], **let()), "on")
T("民宿/短租", "partly let", lambda: house(["民宿/短租"], **part()), "on")
T("民宿/短租", "owner-occupied", lambda: house(["民宿/短租"]), "on !condition")
T("民宿/短租", "vacant", lambda: house(["民宿/短租"], occupancy="4"), "on !condition")

# -- household: 纯老户
T("纯老户", "no members", lambda: hh(), "off")
T("纯老户", "one member 60 today", lambda: hh(p(60)), "on")
T("纯老户", "one member 60 tomorrow", lambda: hh(p(60, 1)), "off")
T("纯老户", "70 and 65", lambda: hh(p(70), spouse(65)), "on")
T("纯老户", "70 and 60 tomorrow", lambda: hh(p(70), spouse(60, 1)), "off")
T("纯老户", "70 and a member without a birth date", lambda: hh(p(70), p(None, relation_to_head="20")), "off")
T("纯老户", "70 and a young member who moved out", lambda: hh(p(70), p(30, relation_to_head="20"),
                                                        states={1: "moved_out"}), "on")
T("纯老户", "70 and a deceased young member", lambda: hh(p(70), p(30, relation_to_head="20"), states={1: "deceased"}),
  "on")
T("纯老户", "70 and a young person of another household in the house",
  lambda: hh(p(70), p(30, relation_to_head="02"), links={1: ("house-1", "household-x0")}, extra_households=1), "on")



import tests.forms.catalogue_rule_cases  # noqa: E402,F401  (the rules append their cases to CASES)

__all__ = ["CASES", "ENTITIES", "Case", "catalogue_targets", "failures", "make_validator", "normalised", "outcome"]
