"""``diff(old, new)``: the changes between two versions of a template, each as a readable sentence.

Fields are matched by name. A field of the old version whose name is gone is *renamed* when exactly
one new field (also new by name) has the same label: the diff says so, and when the type and the
enclosing repeat are also the same the rename is *certain* and :func:`forms.versions.migrate` carries
its value over to the new name. Any other gone field is *removed*.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.model import Field, Template

#: The kinds of change, in the order a reader meets them (the desktop groups by kind in this order).
KINDS = (
    "field_added", "field_removed", "field_renamed", "type_changed", "choices_changed",
    "required_changed", "relevant_changed", "constraint_changed", "calculation_changed",
    "repeat_changed", "label_changed",
    "tag_added", "tag_removed", "tag_changed", "rule_added", "rule_removed", "rule_changed",
)


@dataclass(frozen=True)
class Change:
    """One change: ``kind`` (see :data:`KINDS`), the ``name`` it is about (the new name of a renamed
    field), ``old``/``new`` what it was and is (text, None when absent), and the sentence."""

    kind: str
    name: str
    zh: str
    en: str
    old: str | None = None
    new: str | None = None

    def text(self, language: str = "zh") -> str:
        return self.en if language == "en" else self.zh

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "old": self.old, "new": self.new,
                "zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class TemplateDiff:
    form_id: str
    old_version: str
    new_version: str
    changes: tuple[Change, ...]
    #: Certain renames, old field name -> new field name (values carry over).
    renames: Mapping[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.changes

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.changes:
            out[c.kind] = out.get(c.kind, 0) + 1
        return out

    def summary(self, language: str = "zh") -> str:
        """One line: how many of each kind (e.g. "新增字段 2，删除字段 1")."""
        counts = self.counts()
        if not counts:
            return "两个版本没有差异" if language != "en" else "the two versions do not differ"
        names = KIND_NAMES_EN if language == "en" else KIND_NAMES_ZH
        sep = ", " if language == "en" else "，"
        return sep.join(f"{names[k]} {counts[k]}" for k in KINDS if k in counts)

    def to_json(self) -> dict[str, Any]:
        return {"form_id": self.form_id, "old_version": self.old_version, "new_version": self.new_version,
                "renames": dict(self.renames), "counts": self.counts(),
                "changes": [c.to_json() for c in self.changes]}


KIND_NAMES_ZH = {
    "field_added": "新增字段", "field_removed": "删除字段", "field_renamed": "字段改名", "type_changed": "类型变化",
    "choices_changed": "选项变化", "required_changed": "必填变化", "relevant_changed": "显示条件变化",
    "constraint_changed": "约束变化", "calculation_changed": "计算变化", "repeat_changed": "重复组变化",
    "label_changed": "标题变化", "tag_added": "新增标签", "tag_removed": "删除标签", "tag_changed": "标签变化",
    "rule_added": "新增规则", "rule_removed": "删除规则", "rule_changed": "规则变化",
}
KIND_NAMES_EN = {
    "field_added": "fields added", "field_removed": "fields removed", "field_renamed": "fields renamed",
    "type_changed": "types changed", "choices_changed": "choice lists changed",
    "required_changed": "required changed", "relevant_changed": "relevance changed",
    "constraint_changed": "constraints changed", "calculation_changed": "calculations changed",
    "repeat_changed": "repeats changed", "label_changed": "labels changed", "tag_added": "tags added",
    "tag_removed": "tags removed", "tag_changed": "tags changed", "rule_added": "rules added",
    "rule_removed": "rules removed", "rule_changed": "rules changed",
}


def _src(compiled: Any) -> str | None:
    return None if compiled is None else str(compiled.source)


def _label(f: Field) -> str:
    return f.label("zh")


def _where(f: Field) -> tuple[str, str]:
    """(zh, en) of where a field sits: "" at the top level, "（重复组 x 内）" inside a repeat."""
    if f.repeat is None:
        return "", ""
    return f"（重复组 {f.repeat} 内）", f" (in repeat {f.repeat})"


def _type_text(f: Field) -> str:
    return f"{f.type.value} {f.choice_list}" if f.choice_list else f.type.value


def diff(old: Template, new: Template) -> TemplateDiff:
    changes: list[Change] = []
    old_f, new_f = old.fields, new.fields
    gone = [n for n in old_f if n not in new_f]
    added = [n for n in new_f if n not in old_f]
    renames = _renames(old_f, new_f, gone, added)
    reported: dict[str, str] = {}  # every rename reported (certain or not), old -> new
    for o in gone:
        label = _label(old_f[o])
        matches = [n for n in added if _label(new_f[n]) == label]
        if len(matches) == 1 and [g for g in gone if _label(old_f[g]) == label] == [o]:
            reported[o] = matches[0]
    for n in added:
        if n in reported.values():
            continue
        f = new_f[n]
        zw, ew = _where(f)
        req = _src(f.required)
        rz, re_ = (f"，必填（{req}）", f", required ({req})") if req else ("", "")
        changes.append(Change("field_added", n, f"新增字段 {n}「{_label(f)}」{zw}（{_type_text(f)}）{rz}",
                              f"field {n} \"{f.label('en')}\" added{ew} ({_type_text(f)}){re_}", None,
                              _type_text(f)))
    for o in gone:
        f = old_f[o]
        if o in reported:
            n = reported[o]
            if o in renames:
                zh = f"字段「{_label(f)}」改名：{o} → {n}（同一标题，旧名已不存在），原值将随之迁移"
                en = f"field \"{f.label('en')}\" renamed: {o} -> {n} (same label, old name gone); values carry over"
            else:
                zh = (f"字段「{_label(f)}」改名：{o} → {n}，但类型或所在重复组也变了，原值不迁移，"
                      "保留在记录旁")
                en = (f"field \"{f.label('en')}\" renamed: {o} -> {n}, but its type or repeat changed too; "
                      "values are kept beside the record, not carried")
            changes.append(Change("field_renamed", n, zh, en, o, n))
            continue
        zw, ew = _where(f)
        changes.append(Change("field_removed", o, f"删除字段 {o}「{_label(f)}」{zw}，已填的值将保留在记录旁",
                              f"field {o} \"{f.label('en')}\" removed{ew}; values entered are kept beside the "
                              "record", _type_text(f), None))
    pairs = [(n, n) for n in old_f if n in new_f] + sorted(renames.items())
    for o, n in pairs:
        changes.extend(_field_changes(old, new, old_f[o], new_f[n]))
    changes.extend(_repeat_changes(old, new))
    changes.extend(_tag_changes(old, new))
    changes.extend(_rule_changes(old, new))
    order = {k: i for i, k in enumerate(KINDS)}
    changes.sort(key=lambda c: order[c.kind])
    return TemplateDiff(new.form_id or old.form_id, old.version, new.version, tuple(changes), renames)


def _renames(old_f: Mapping[str, Field], new_f: Mapping[str, Field], gone: list[str],
             added: list[str]) -> dict[str, str]:
    """Certain renames: one gone and one added field with the same label, type and repeat."""
    out: dict[str, str] = {}
    for o in gone:
        f = old_f[o]
        label = _label(f)
        if not label or label == o:
            continue
        same_old = [g for g in gone if _label(old_f[g]) == label]
        matches = [n for n in added if _label(new_f[n]) == label]
        if len(same_old) != 1 or len(matches) != 1:
            continue
        g = new_f[matches[0]]
        if g.type is f.type and g.choice_list == f.choice_list and g.repeat == f.repeat:
            out[o] = matches[0]
    return out


def _expr_change(kind: str, what_zh: str, what_en: str, name: str, label: str, old: str | None,
                 new: str | None) -> Change | None:
    if (old or "") == (new or ""):
        return None
    if not old:
        zh, en = f"字段 {name}「{label}」新增{what_zh}：{new}", f"field {name}: {what_en} added: {new}"
    elif not new:
        zh, en = f"字段 {name}「{label}」取消{what_zh}（原为 {old}）", f"field {name}: {what_en} removed (was {old})"
    else:
        zh, en = (f"字段 {name}「{label}」{what_zh}由 {old} 改为 {new}",
                  f"field {name}: {what_en} changed from {old} to {new}")
    return Change(kind, name, zh, en, old, new)


def _field_changes(old: Template, new: Template, a: Field, b: Field) -> Iterable[Change]:
    name, label = b.name, _label(b)
    if a.type is not b.type or (a.choice_list != b.choice_list and not (a.choice_list and b.choice_list)):
        yield Change("type_changed", name, f"字段 {name}「{label}」类型由 {_type_text(a)} 改为 {_type_text(b)}",
                     f"field {name}: type changed from {_type_text(a)} to {_type_text(b)}",
                     _type_text(a), _type_text(b))
    elif a.choice_list and b.choice_list:
        yield from _choice_changes(old, new, a, b)
    if (a.repeat or "") != (b.repeat or ""):
        was = f"重复组 {a.repeat}" if a.repeat else "表单顶层"
        now = f"重复组 {b.repeat}" if b.repeat else "表单顶层"
        yield Change("repeat_changed", name, f"字段 {name}「{label}」由{was}移到{now}",
                     f"field {name} moved from {a.repeat or 'the top level'} to {b.repeat or 'the top level'}",
                     a.repeat, b.repeat)
    if a.label("zh") != b.label("zh"):
        yield Change("label_changed", name, f"字段 {name} 标题由「{a.label('zh')}」改为「{b.label('zh')}」",
                     f"field {name}: label changed from \"{a.label('en')}\" to \"{b.label('en')}\"",
                     a.label("zh"), b.label("zh"))
    for kind, zh, en, x, y in (
        ("required_changed", "必填条件", "required", _src(a.required), _src(b.required)),
        ("relevant_changed", "显示条件", "relevance", _src(a.relevant), _src(b.relevant)),
        ("constraint_changed", "约束", "constraint", _src(a.constraint), _src(b.constraint)),
        ("calculation_changed", "计算", "calculation", _src(a.calculation), _src(b.calculation)),
    ):
        c = _expr_change(kind, zh, en, name, label, x, y)
        if c is not None:
            yield c


def _choice_changes(old: Template, new: Template, a: Field, b: Field) -> Iterable[Change]:
    la, lb = old.choices.get(a.choice_list or ""), new.choices.get(b.choice_list or "")
    if la is None or lb is None:
        return
    name, label = b.name, _label(b)
    gone = [c for c in la if c.name not in lb.by_name]
    came = [c for c in lb if c.name not in la.by_name]
    relabelled = [(c, lb.by_name[c.name]) for c in la if c.name in lb.by_name
                  and c.label("zh") != lb.by_name[c.name].label("zh")]
    if came:
        codes = "、".join(f"{c.name}「{c.label('zh')}」" for c in came)
        yield Change("choices_changed", name, f"字段 {name}「{label}」新增选项 {codes}",
                     f"field {name}: choices added: " + ", ".join(f"{c.name} \"{c.label('en')}\"" for c in came),
                     None, " ".join(c.name for c in came))
    if gone:
        codes = "、".join(f"{c.name}「{c.label('zh')}」" for c in gone)
        yield Change("choices_changed", name, f"字段 {name}「{label}」删除选项 {codes}，已选的值将保留在记录旁",
                     f"field {name}: choices removed: " + ", ".join(f"{c.name} \"{c.label('en')}\"" for c in gone)
                     + "; values chosen are kept beside the record", " ".join(c.name for c in gone), None)
    for x, y in relabelled:
        yield Change("choices_changed", name,
                     f"字段 {name}「{label}」选项 {x.name} 由「{x.label('zh')}」改为「{y.label('zh')}」",
                     f"field {name}: choice {x.name} relabelled from \"{x.label('en')}\" to \"{y.label('en')}\"",
                     x.label("zh"), y.label("zh"))


def _repeat_changes(old: Template, new: Template) -> Iterable[Change]:
    ro = {g.name: g for g in old.repeats()}
    rn = {g.name: g for g in new.repeats()}
    for name in rn:
        if name not in ro:
            yield Change("repeat_changed", name, f"新增重复组 {name}「{rn[name].label('zh')}」",
                         f"repeat {name} \"{rn[name].label('en')}\" added", None, name)
    for name, g in ro.items():
        if name not in rn:
            yield Change("repeat_changed", name, f"删除重复组 {name}「{g.label('zh')}」，已填的行将保留在记录旁",
                         f"repeat {name} \"{g.label('en')}\" removed; rows entered are kept beside the record",
                         name, None)
        else:
            a, b = _src(g.repeat_count), _src(rn[name].repeat_count)
            if (a or "") != (b or ""):
                yield Change("repeat_changed", name, f"重复组 {name} 的行数由 {a or '不限'} 改为 {b or '不限'}",
                             f"repeat {name}: row count changed from {a or 'free'} to {b or 'free'}", a, b)


def _tag_text(tag: Any) -> dict[str, str]:
    return {"标题": tag.label("zh"), "范围": tag.scope.value, "类别": tag.kind.value,
            "条件": _src(tag.condition) or "", "前提标签": " ".join(tag.requires),
            "互斥标签": " ".join(tag.excludes), "必填字段": " ".join(tag.required_fields),
            "可见角色": " ".join(tag.sensitive), "有效期": _src(tag.expires) or "",
            "走访周期": "" if tag.visit_every is None else str(tag.visit_every)}


_TAG_EN = {"标题": "label", "范围": "scope", "类别": "kind", "条件": "condition", "前提标签": "requires",
           "互斥标签": "excludes", "必填字段": "required fields", "可见角色": "sensitive", "有效期": "expiry",
           "走访周期": "visit every"}


def _tag_changes(old: Template, new: Template) -> Iterable[Change]:
    for tid, tag in new.tags.items():
        if tid not in old.tags:
            yield Change("tag_added", tid, f"新增标签 {tid}「{tag.label('zh')}」（{tag.kind.value}）",
                         f"tag {tid} \"{tag.label('en')}\" added ({tag.kind.value})", None, tag.kind.value)
    for tid, tag in old.tags.items():
        if tid not in new.tags:
            yield Change("tag_removed", tid, f"删除标签 {tid}「{tag.label('zh')}」",
                         f"tag {tid} \"{tag.label('en')}\" removed", tag.kind.value, None)
            continue
        a, b = _tag_text(tag), _tag_text(new.tags[tid])
        for key in a:
            if a[key] != b[key]:
                yield Change("tag_changed", tid,
                             f"标签 {tid}「{tag.label('zh')}」{key}由 {a[key] or '（空）'} 改为 {b[key] or '（空）'}",
                             f"tag {tid}: {_TAG_EN[key]} changed from {a[key] or '(empty)'} to {b[key] or '(empty)'}",
                             a[key], b[key])


def _rule_changes(old: Template, new: Template) -> Iterable[Change]:
    ro = {r.id: r for r in old.rules}
    rn = {r.id: r for r in new.rules}
    for rid, r in rn.items():
        if rid not in ro:
            yield Change("rule_added", rid, f"新增规则 {rid}：{r.expression.source}（{r.severity.value}）",
                         f"rule {rid} added: {r.expression.source} ({r.severity.value})", None,
                         str(r.expression.source))
    for rid, r in ro.items():
        if rid not in rn:
            yield Change("rule_removed", rid, f"删除规则 {rid}：{r.expression.source}",
                         f"rule {rid} removed: {r.expression.source}", str(r.expression.source), None)
            continue
        s = rn[rid]
        for zh, en, a, b in (("表达式", "expression", str(r.expression.source), str(s.expression.source)),
                             ("级别", "severity", r.severity.value, s.severity.value),
                             ("范围", "scope", r.scope.value, s.scope.value),
                             ("字段", "field", r.field, s.field),
                             ("提示", "message", r.message("zh"), s.message("zh"))):
            if a != b:
                yield Change("rule_changed", rid, f"规则 {rid} 的{zh}由 {a or '（空）'} 改为 {b or '（空）'}",
                             f"rule {rid}: {en} changed from {a or '(empty)'} to {b or '(empty)'}", a, b)
