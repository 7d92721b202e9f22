"""``python -m desktop.i18n_catalogue update|check``: the app's translations, kept the Qt way.

The sources are the Chinese texts themselves: every ``tr("…")`` in ``desktop/`` (``pyside6-lupdate``
reads them) and the texts kept in tables and translated when shown (``desktop/i18n_marks.py``, marked
with ``QT_TR_NOOP``). The translations live in ``resources/i18n/yibiaotong_<lang>.ts``: a translator
edits that file in Qt Linguist (``pyside6-linguist resources/i18n/yibiaotong_en.ts``), and the app loads
the compiled ``yibiaotong_<lang>.qm`` through a ``QTranslator``.

- ``update``: extract the sources again (keeping every translation already made, dropping texts the code
  no longer has) and compile the ``.qm``;
- ``check``: exit 1 when a source has no finished translation, when the ``.ts`` lacks a text the code
  has, or when the ``.qm`` is not the compilation of the ``.ts`` (what the tests run).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE_DIR = ROOT / "resources" / "i18n"
TARGETS = ("en",)
SOURCE_LANGUAGE = "zh_CN"


def ts_path(lang: str) -> Path:
    return CATALOGUE_DIR / f"yibiaotong_{lang}.ts"


def qm_path(lang: str) -> Path:
    return CATALOGUE_DIR / f"yibiaotong_{lang}.qm"


def _tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (it comes with pyside6-essentials)")
    return found


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "desktop").rglob("*.py"))


def lupdate(ts: Path) -> None:
    subprocess.run([_tool("pyside6-lupdate"), *sources(), "-source-language", SOURCE_LANGUAGE, "-target-language",
                    ts.stem.split("_")[-1], "-locations", "none", "-no-obsolete", "-silent", "-ts", str(ts)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True,
                   stdout=subprocess.DEVNULL)


def read_ts(ts: Path) -> dict[str, str | None]:
    """source -> translation (None while unfinished), over every context."""
    out: dict[str, str | None] = {}
    if not ts.exists():
        return out
    for message in ET.parse(ts).getroot().iter("message"):
        source = message.findtext("source") or ""
        node = message.find("translation")
        done = node is not None and node.get("type") not in ("unfinished", "vanished", "obsolete")
        out[source] = (node.text or "") if done and node is not None else None
    return out


def problems(lang: str) -> list[str]:
    """What ``check`` reports for ``lang`` (empty when the catalogue is complete and compiled)."""
    found: list[str] = []
    committed = read_ts(ts_path(lang))
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / ts_path(lang).name
        if ts_path(lang).exists():
            shutil.copy(ts_path(lang), fresh)
        lupdate(fresh)
        extracted = read_ts(fresh)
        missing = sorted(s for s in extracted if s not in committed)
        if missing:
            found.append(f"{ts_path(lang).name}: texts in the code but not in the catalogue (run update): {missing}")
        unfinished = sorted(s for s, t in committed.items() if not t)
        if unfinished:
            found.append(f"{ts_path(lang).name}: texts without a finished translation: {unfinished}")
        compiled = Path(tmp) / "check.qm"
        lrelease(ts_path(lang), compiled)
        if not qm_path(lang).exists() or compiled.read_bytes() != qm_path(lang).read_bytes():
            found.append(f"{qm_path(lang).name} is not the compilation of {ts_path(lang).name} (run update)")
    return found


def fill(lang: str, translations: dict[str, str]) -> list[str]:
    """Set the translation of each source text given (after ``update`` put it in the catalogue), compile;
    returns the sources given that the catalogue does not hold."""
    update(lang)
    tree = ET.parse(ts_path(lang))
    seen: set[str] = set()
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        if source not in translations:
            continue
        seen.add(source)
        node = message.find("translation")
        if node is None:
            node = ET.SubElement(message, "translation")
        node.text = translations[source]
        node.attrib.pop("type", None)
    ET.indent(tree, space="    ")
    with ts_path(lang).open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
    update(lang)  # lupdate writes the file in its own layout again
    return sorted(set(translations) - seen)


def update(lang: str) -> None:
    lupdate(ts_path(lang))
    lrelease(ts_path(lang), qm_path(lang))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.i18n_catalogue", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("update", "check", "fill"))
    parser.add_argument("files", nargs="*", type=Path,
                        help="fill: JSON files of {Chinese source: English translation}")
    args = parser.parse_args(argv)
    if args.action == "fill":
        import json

        given: dict[str, str] = {}
        for file in args.files:
            given.update(json.loads(file.read_text(encoding="utf-8")))
        unknown = fill("en", given)
        for source in unknown:
            print(f"not in the code (no tr() for it): {source}", file=sys.stderr)
        print(f"filled {len(given) - len(unknown)} translations")
        return 1 if unknown else 0
    if args.action == "update":
        for lang in TARGETS:
            update(lang)
            print(f"updated {ts_path(lang).relative_to(ROOT)} and {qm_path(lang).relative_to(ROOT)}")
        return 0
    found = [p for lang in TARGETS for p in problems(lang)]
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
