"""Which font family the app asks for, per operating system (no Qt here: a pure choice).

Chinese text must use Simplified Chinese glyph forms, so a family is set explicitly rather than left
to Qt's fallback. On Windows the system's own 微软雅黑 (Microsoft YaHei) and 等线 (DengXian) come
first, then Noto if a data office installed it; on Linux (统信UOS, 麒麟, Debian: the .deb depends on
fonts-noto-cjk) Noto Sans CJK SC first, then the families those systems ship.
"""

from __future__ import annotations

from collections.abc import Iterable

NOTO = "Noto Sans CJK SC"
WINDOWS_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "DengXian", NOTO, "SimHei", "SimSun")
LINUX_FAMILIES = (NOTO, "Source Han Sans SC", "WenQuanYi Micro Hei", "Droid Sans Fallback", "Microsoft YaHei")
MAC_FAMILIES = ("PingFang SC", NOTO, "Heiti SC")


def preferred_families(platform: str) -> tuple[str, ...]:
    """The families to try, best first, for ``sys.platform`` value ``platform``."""
    if platform == "win32":
        return WINDOWS_FAMILIES
    if platform == "darwin":
        return MAC_FAMILIES
    return LINUX_FAMILIES


def pick_family(installed: Iterable[str], platform: str) -> str | None:
    """The first preferred family that is installed, or None (no Simplified Chinese font found)."""
    present = set(installed)
    for family in preferred_families(platform):
        if family in present:
            return family
    return None
