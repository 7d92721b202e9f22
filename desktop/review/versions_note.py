"""What the review panel says of template versions: the version each record was edited under
("按模板 person 2026.1 提交") and the values the version in force has no field for (kept with the
submission, never dropped)."""

from __future__ import annotations

from html import escape
from typing import Any

from desktop import i18n
from desktop.i18n import tr


def version_lines(detail: dict[str, Any]) -> list[str]:
    """Rich-text lines (escaped) for the panel's header."""
    made: list[str] = []
    left: list[str] = []
    en = i18n.language() == "en"
    for change in detail.get("changes") or []:
        if not isinstance(change, dict):
            continue
        form, version = change.get("template"), change.get("template_version")
        if form and version:
            text = tr("按模板 {form} {version} 提交", form=form, version=version)
            if text not in made:
                made.append(text)
        for x in change.get("leftovers") or []:
            if isinstance(x, dict):
                label = (x.get("label_en") if en else None) or x.get("label") or x.get("path")
                left.append(f"{label}：{x.get('shown') or x.get('value')}")
    lines = [escape("；".join(made))] if made else []
    if left:
        lines.append(escape(tr("这些值在新版模板中已没有对应字段：") + "；".join(left)))
    return lines
