"""A district-sized tag catalogue built from the default one, for benchmarks and load tests.

One district runs 172 person tags (53 of them automatic) and 8 house tags (domain.md, section 4).
``scaled_catalogue`` copies the default person template's sources, appends realistic extra tags
(finer age bands and population groups computed from fields; tags returned by departments —
人社, 民政, 卫健, 退役军人事务, 教育, 残联, 统战 ...) until the counts match, and builds the workbooks::

    cat = scaled_catalogue(ROOT / "templates" / "person", out_dir=tmp_path)
    load_template(cat.person)   # 172 person tags, 53 auto
    load_template(cat.house)    # 8 house tags
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from forms.build_templates import build_to
from forms.codelists import read_csv_rows

#: (id, English label, condition) of extra automatic person tags, in the order they are added.
EXTRA_AUTO: tuple[tuple[str, str, str], ...] = (
    ("新生儿", "Newborn", "${age} != '' and ${age} < 1"),
    ("0-6岁儿童", "Child aged 0-6", "${age} != '' and ${age} <= 6"),
    ("学龄儿童", "School-age child", "${age} >= 6 and ${age} <= 12"),
    ("青少年", "Adolescent", "${age} >= 13 and ${age} <= 17"),
    ("青年", "Young adult", "${age} >= 18 and ${age} <= 35"),
    ("中年", "Middle-aged", "${age} >= 36 and ${age} <= 59"),
    ("65岁以上老人", "Aged 65 and over", "${age} >= 65"),
    ("75岁以上老人", "Aged 75 and over", "${age} >= 75"),
    ("女性老年人", "Older woman", "${sex} = '2' and ${age} >= 60"),
    ("适龄入学儿童", "Child due to start school", "${age} = 6"),
    ("适龄征兵男青年", "Man of conscription age", "${sex} = '1' and ${age} >= 18 and ${age} <= 22"),
    ("少数民族", "Ethnic minority", "${ethnicity} != '' and ${ethnicity} != '01'"),
    ("已婚育龄妇女", "Married woman of child-bearing age", "${sex} = '2' and ${age} >= 15 and ${age} <= 49 and ${marital_status} = '20'"),
    ("丧偶老人", "Widowed older person", "${age} >= 60 and ${marital_status} = '30'"),
    ("离异人员", "Divorced", "${marital_status} = '40'"),
    ("研究生学历", "Postgraduate education", "${education} != '' and number(${education}) < 20"),
    ("大专以上学历", "College education or higher", "${education} != '' and number(${education}) < 40"),
    ("持居住证流动人口", "Migrant with a residence permit", "${population_type} = '2' and ${residence_permit_no} != ''"),
    ("外省流入人口", "Migrant from another province", "${population_type} = '2' and ${hukou_division} != '' and not(starts-with(${hukou_division}, '33'))"),
    ("省内流动人口", "Migrant from this province", "${population_type} = '2' and starts-with(${hukou_division}, '33')"),
    ("视力残疾", "Visual disability", "${disability_category} = '1'"),
    ("肢体残疾", "Physical disability", "${disability_category} = '4'"),
    ("智力残疾", "Intellectual disability", "${disability_category} = '5'"),
    ("精神残疾", "Mental disability", "${disability_category} = '6'"),
    ("老年残疾人", "Older person with a disability", "${age} >= 60 and ${disability_cert} != ''"),
    ("未成年残疾人", "Minor with a disability", "${age} != '' and ${age} < 18 and ${disability_cert} != ''"),
)

#: (id, English label, department) of extra returned or manual person tags.
EXTRA_SET: tuple[tuple[str, str, str], ...] = (
    ("领取养老金人员", "Pension recipient", "人社"), ("灵活就业人员", "Flexibly employed", "人社"),
    ("城乡居民养老保险参保", "Insured: residents' pension", "人社"), ("职工养老保险参保", "Insured: employees' pension", "人社"),
    ("职工医保参保", "Insured: employees' medical", "医保"), ("城乡居民医保参保", "Insured: residents' medical", "医保"),
    ("医疗救助对象", "Medical assistance", "医保"), ("持证技能人员", "Certified skilled worker", "人社"),
    ("高校毕业生未就业", "Unemployed graduate", "人社"), ("零就业家庭成员", "Member of a zero-employment family", "人社"),
    ("公益性岗位人员", "Public-welfare job holder", "人社"), ("创业人员", "Entrepreneur", "人社"),
    ("临时救助对象", "Temporary assistance", "民政"), ("残疾人两项补贴对象", "Disability allowances", "民政"),
    ("高龄津贴对象", "Old-age allowance", "民政"), ("居家养老服务对象", "Home-care service user", "民政"),
    ("机构养老人员", "In a care home", "民政"), ("独生子女父母奖励对象", "Only-child parents' reward", "卫健"),
    ("计生扶助对象", "Family-planning support", "卫健"), ("家庭医生签约居民", "Family-doctor contract", "卫健"),
    ("高血压患者", "Hypertension patient", "卫健"), ("糖尿病患者", "Diabetes patient", "卫健"),
    ("结核病患者", "Tuberculosis patient", "卫健"), ("肿瘤患者", "Cancer patient", "卫健"),
    ("0-6岁儿童健康管理", "Child health management", "卫健"), ("预防接种对象", "Vaccination schedule", "卫健"),
    ("孕产期保健对象", "Maternal care", "卫健"), ("老年人健康管理", "Older people's health management", "卫健"),
    ("伤残军人", "Disabled veteran", "退役军人事务"), ("现役军人", "Serving soldier", "退役军人事务"),
    ("退役士兵", "Discharged soldier", "退役军人事务"), ("参战参试人员", "War or test veteran", "退役军人事务"),
    ("学前教育资助对象", "Pre-school aid", "教育"), ("义务教育资助对象", "Compulsory-school aid", "教育"),
    ("高中教育资助对象", "Upper-secondary aid", "教育"), ("大学生资助对象", "University aid", "教育"),
    ("随迁子女", "Migrant's child at school", "教育"), ("残疾儿童康复对象", "Disabled child in rehabilitation", "残联"),
    ("残疾人就业对象", "Disabled person in employment support", "残联"), ("辅具适配对象", "Assistive-device user", "残联"),
    ("归侨侨眷", "Returned overseas Chinese or relative", "统战"), ("港澳台属", "Relative in HK, Macao or Taiwan", "统战"),
    ("宗教教职人员", "Religious personnel", "统战"), ("少数民族流动人员", "Ethnic-minority migrant", "统战"),
    ("困难职工", "Worker in hardship", "工会"), ("单亲母亲", "Single mother", "妇联"),
    ("妇女之家骨干", "Women's home activist", "妇联"), ("关工委五老", "Elder mentor", "关工委"),
    ("安置帮教对象", "Under post-release support", "司法"), ("人民调解员", "People's mediator", "司法"),
    ("法律援助对象", "Legal-aid recipient", "司法"), ("应急救援志愿者", "Emergency volunteer", "应急"),
    ("消防志愿者", "Fire-safety volunteer", "消防"), ("平安志愿者", "Community-safety volunteer", "政法"),
    ("文明实践志愿者", "Civilisation volunteer", "宣传"), ("网格员", "Grid worker", "社区"),
    ("党员中心户", "Party-member contact household", "组织"), ("在职党员报到", "Registered working party member", "组织"),
    ("流动党员", "Migrant party member", "组织"), ("两代表一委员", "Deputy or CPPCC member", "组织"),
    ("物业工作人员", "Property-management staff", "社区"), ("业委会成员", "Owners' committee member", "社区"),
    ("房东", "Landlord", "社区"), ("外卖快递从业人员", "Delivery worker", "邮政"),
    ("网约车司机", "Ride-hailing driver", "交通"), ("个体工商户", "Self-employed business owner", "市场监管"),
    ("食品从业人员", "Food-industry worker", "市场监管"), ("出租房二房东", "Sub-landlord", "社区"),
    ("长期护理保险对象", "Long-term-care insurance", "医保"), ("空巢独居关爱对象", "Care visits for lone elders", "民政"),
    ("特殊困难老人", "Older person in special hardship", "民政"), ("重残无业人员", "Severely disabled and jobless", "残联"),
    ("低收入人口", "Low-income person", "民政"), ("因病致贫人员", "Impoverished by illness", "医保"),
    ("防返贫监测对象", "Relapse-into-poverty monitoring", "乡村振兴"), ("住房保障对象", "Housing-support recipient", "住建"),
    ("公租房承租人", "Public-rental tenant", "住建"), ("征迁安置人员", "Relocated by expropriation", "住建"),
    ("失独家庭成员", "Lost-only-child family member", "卫健"), ("精神障碍监护人", "Guardian of a mental patient", "卫健"),
    ("艾滋病感染者", "Living with HIV", "卫健"), ("肇事肇祸风险人员", "At risk of causing incidents", "政法"),
    ("涉邪教人员", "Cult-involved person", "政法"), ("信访积案当事人", "Party to a long petition", "信访"),
    ("重点关注青少年家长", "Parent of a youth needing attention", "政法"), ("校外培训从业人员", "Out-of-school tutor", "教育"),
    ("托育从业人员", "Childcare worker", "卫健"), ("养老护理员", "Elderly-care worker", "民政"),
    ("社会组织负责人", "Social-organisation leader", "民政"), ("非遗传承人", "Intangible-heritage bearer", "文旅"),
    ("文体骨干", "Culture and sports activist", "文旅"), ("科普志愿者", "Science volunteer", "科协"),
)
#: House tags a district keeps first when its catalogue is smaller than the default one: the
#: letting and safety tags that drive visits (自住/借住 are the unremarkable default).
HOUSE_PRIORITY = ("出租", "部分出租", "空置", "群租", "集中出租", "经营用房", "危房", "民宿/短租", "合租", "三合一场所")
#: Departments whose data is sensitive (criminal justice, health, religion): restricted roles.
SENSITIVE_DEPARTMENTS = {"政法", "司法", "卫健", "统战", "信访"}


@dataclass(frozen=True)
class ScaledCatalogue:
    person: Path
    house: Path
    person_tags: int
    auto_tags: int
    house_tags: int


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({h: r.get(h, "") for h in header})


def scaled_catalogue(
    person_tpl_source: Path,
    n_person_tags: int = 172,
    n_auto: int = 53,
    n_house_tags: int = 8,
    *,
    out_dir: Path | None = None,
) -> ScaledCatalogue:
    """Build ``person.xlsx`` with ``n_person_tags`` person tags (``n_auto`` automatic) and
    ``house.xlsx`` with ``n_house_tags`` house tags into ``out_dir`` (default: a new temp folder).

    ``person_tpl_source`` is a person template source folder (``resources/templates/person``);
    the house template is taken from the sibling ``house`` folder. Raises ValueError when the
    counts cannot be reached from the default catalogue and the extra tags available.
    """
    out = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="ybt-catalogue-"))
    src_root = Path(person_tpl_source).parent
    work = out / "sources"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(person_tpl_source, work / "person")
    shutil.copytree(src_root / "house", work / "house")

    header, tags = read_csv_rows(work / "person" / "tags.csv")
    have_auto = sum(1 for t in tags if t["kind"] == "auto")
    add_auto, add_set = n_auto - have_auto, (n_person_tags - n_auto) - (len(tags) - have_auto)
    if not (0 <= add_auto <= len(EXTRA_AUTO)) or not (0 <= add_set <= len(EXTRA_SET)):
        raise ValueError(
            f"cannot reach {n_person_tags} person tags ({n_auto} auto) from {len(tags)} ({have_auto} auto): "
            f"at most {len(EXTRA_AUTO)} auto and {len(EXTRA_SET)} other tags can be added"
        )
    for tag, en, cond in EXTRA_AUTO[:add_auto]:
        tags.append({"tag": tag, "label::zh": tag, "label::en": en, "scope": "person", "kind": "auto", "condition": cond})
    for i, (tag, en, dept) in enumerate(EXTRA_SET[:add_set]):
        tags.append({"tag": tag, "label::zh": tag, "label::en": f"{en} ({dept})", "scope": "person",
                     "kind": "manual" if dept in ("社区", "组织") or i % 7 == 0 else "returned",
                     "sensitive": "supervisor admin" if dept in SENSITIVE_DEPARTMENTS else ""})
    _write_csv(work / "person" / "tags.csv", header, tags)

    h_header, h_tags = read_csv_rows(work / "house" / "tags.csv")
    if n_house_tags > len(h_tags):
        raise ValueError(f"the default house catalogue has only {len(h_tags)} tags (asked for {n_house_tags})")
    rank = {t: i for i, t in enumerate(HOUSE_PRIORITY)}
    kept = sorted(h_tags, key=lambda t: rank.get(t["tag"], len(rank)))[:n_house_tags]
    kept.sort(key=h_tags.index)
    kept_ids = {t["tag"] for t in kept}
    for t in kept:  # drop references to tags that were cut
        for col in ("requires", "excludes"):
            t[col] = " ".join(x for x in t.get(col, "").split() if x in kept_ids)
    _write_csv(work / "house" / "tags.csv", h_header, kept)

    person = build_to(work / "person", out / "person.xlsx")
    house = build_to(work / "house", out / "house.xlsx")
    return ScaledCatalogue(person, house, len(tags), n_auto, len(kept))
