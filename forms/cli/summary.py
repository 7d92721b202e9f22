"""A short account of a loaded template: what ``ybt template check`` prints on success."""

from __future__ import annotations

from collections import Counter
from typing import Any

from forms.model import FieldType, Severity, TagKind, Template


def summarize(template: Template) -> dict[str, Any]:
    """The template's identity and counts, as plain JSON-ready data."""
    s = template.settings
    by_type = Counter(f.type.value for f in template.fields.values())
    tags = Counter(t.kind.value for t in template.tags.values())
    rules = Counter(r.severity.value for r in template.rules)
    repeats = [g.name for g in template.repeats()]
    return {
        "form_id": s.form_id,
        "title": s.form_title,
        "version": s.version,
        "entity": s.entity.value,
        "approval_required": s.approval_required,
        "default_language": s.default_language,
        "languages": list(template.languages),
        "fields": len(template.fields),
        "fields_by_type": {t.value: by_type[t.value] for t in FieldType if by_type[t.value]},
        "groups": sum(1 for g in template.groups.values() if not g.is_repeat),
        "repeats": repeats,
        "choice_lists": len(template.choices),
        "choices": sum(len(c) for c in template.choices.values()),
        "tags": len(template.tags),
        "tags_by_kind": {k.value: tags[k.value] for k in TagKind},
        "rules": len(template.rules),
        "rules_by_severity": {k.value: rules[k.value] for k in Severity},
        "calculations": len(template.calculation_order),
        "warnings": len(template.warnings),
        "source": template.source_name,
    }


def format_summary(info: dict[str, Any]) -> str:
    """The summary as lines of text, Chinese first with English."""
    types = ", ".join(f"{k} {v}" for k, v in info["fields_by_type"].items()) or "-"
    tags = ", ".join(f"{k} {v}" for k, v in info["tags_by_kind"].items())
    rules = ", ".join(f"{k} {v}" for k, v in info["rules_by_severity"].items())
    repeats = ", ".join(info["repeats"]) or "-"
    lines = [
        f"模板 / template: {info['form_id']}  {info['title']}",
        f"版本 / version: {info['version'] or '-'}",
        f"实体 / entity: {info['entity']}   审核 / approval required: {'yes' if info['approval_required'] else 'no'}",
        f"语言 / languages: {', '.join(info['languages']) or '-'} (默认 / default {info['default_language']})",
        f"字段 / fields: {info['fields']} ({types})",
        f"分组 / groups: {info['groups']}   重复组 / repeats: {len(info['repeats'])} ({repeats})",
        f"选项列表 / choice lists: {info['choice_lists']} ({info['choices']} choices)",
        f"标签 / tags: {info['tags']} ({tags})",
        f"规则 / rules: {info['rules']} ({rules})",
        f"计算字段 / calculations: {info['calculations']}",
    ]
    if info["warnings"]:
        lines.append(f"警告 / warnings: {info['warnings']}")
    return "\n".join(lines)
