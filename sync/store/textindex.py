"""Search tokens: pinyin with surname readings, CJK bigrams, ID/phone tails; FTS5 query building.

The FTS5 table ``search`` has four columns, each filled with space-separated tokens built here:

``names``  name and former name as CJK bigrams (plus the last character alone), full pinyin of the
           name ("zhangwei"), initials ("zw"), pinyin and initials of the given name ("wei", "w").
``nums``   whole ID number, phone, house number (prefix search as the user types from the start).
``tails``  last 4, 5 and 6 characters of the ID number and the last 4 digits of the phone (exact).
``addr``   address as CJK/alphanumeric bigrams; a typed substring of two or more characters
           matches when all its bigrams occur (the index keeps columns, not positions, to stay small).

``match_expression(query)`` turns what the user typed into an FTS5 expression (every term must
match, AND). Users never write FTS syntax; every term is quoted.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

#: Surname readings that differ from the common reading pypinyin picks (姓氏读音).
COMPOUND_SURNAMES: dict[str, list[str]] = {
    "尉迟": ["yu", "chi"], "万俟": ["mo", "qi"], "长孙": ["zhang", "sun"], "单于": ["chan", "yu"],
    "澹台": ["tan", "tai"], "皇甫": ["huang", "fu"], "欧阳": ["ou", "yang"], "司马": ["si", "ma"],
    "上官": ["shang", "guan"], "诸葛": ["zhu", "ge"], "令狐": ["ling", "hu"], "宇文": ["yu", "wen"],
    "夏侯": ["xia", "hou"], "东方": ["dong", "fang"], "慕容": ["mu", "rong"], "公孙": ["gong", "sun"],
    "司徒": ["si", "tu"], "西门": ["xi", "men"], "呼延": ["hu", "yan"], "轩辕": ["xuan", "yuan"],
    "仆固": ["pu", "gu"], "乐正": ["yue", "zheng"], "宰父": ["zai", "fu"], "亓官": ["qi", "guan"],
}
SURNAMES: dict[str, str] = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "区": "ou", "查": "zha",
    "盖": "ge", "种": "chong", "乐": "yue", "任": "ren", "华": "hua", "纪": "ji", "缪": "miao",
    "覃": "qin", "翟": "zhai", "宁": "ning", "员": "yun", "贲": "ben", "秘": "bi", "召": "shao",
    "繁": "po", "黑": "he", "牟": "mou", "蕃": "pi", "卜": "bu", "冼": "xian", "句": "gou",
    "长": "chang", "重": "chong", "沈": "shen", "曲": "qu", "尉": "yu", "阚": "kan", "隗": "wei",
    "訾": "zi", "郇": "huan", "洗": "xian", "折": "she", "薄": "bo", "柏": "bai", "费": "fei",
    "燕": "yan", "相": "xiang", "应": "ying", "过": "guo", "那": "na", "么": "yao", "和": "he",
    "藏": "zang", "谌": "chen", "塔": "ta", "莘": "shen", "都": "du", "参": "can", "睢": "sui",
    "能": "nai", "叶": "ye", "石": "shi", "易": "yi", "贾": "jia", "万": "wan", "戚": "qi",
    "阿": "a", "迮": "ze", "厍": "she", "适": "kuo", "炅": "gui", "眭": "sui", "佘": "she",
}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPLIT = re.compile(r"[^0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]+")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def normalize(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), lower case, trimmed."""
    if text.isascii():
        return text.strip().lower()
    return unicodedata.normalize("NFKC", text).strip().lower()


@lru_cache(maxsize=32768)
def _char_pinyin(char: str) -> str:
    """The common reading of one character ("" for anything without one)."""
    syllables = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
    return syllables[0] if syllables and syllables[0].isascii() and syllables[0].isalnum() else ""


def _given_pinyin(given: str) -> list[str]:
    if len(given) <= 2:  # names are rarely dictionary phrases: per-character readings, cached
        return [p for p in (_char_pinyin(c) for c in given) if p]
    return [s for s in lazy_pinyin(given, style=Style.NORMAL, errors="ignore") if s.isascii() and s.isalnum()]


@lru_cache(maxsize=65536)
def name_pinyin(name: str) -> tuple[list[str], int]:
    """Pinyin syllables of a Chinese name, the surname read as a surname; and the surname length."""
    name = normalize(name)
    if not name or not has_cjk(name):
        return ([w for w in _SPLIT.split(name) if w], 0)
    if name[:2] in COMPOUND_SURNAMES:
        head, size = list(COMPOUND_SURNAMES[name[:2]]), 2
    elif name[0] in SURNAMES:
        head, size = [SURNAMES[name[0]]], 1
    else:
        head, size = [p for p in (_char_pinyin(name[0]),) if p], 1
    return (head + _given_pinyin(name[size:]), size)


@lru_cache(maxsize=65536)
def sort_key(name: str) -> str:
    """Key for sorting names in pinyin order: "zhang wei\u0000张伟"."""
    syllables, _ = name_pinyin(name)
    return " ".join(syllables) + "\u0000" + normalize(name)


def bigrams(text: str) -> list[str]:
    """Bigrams of every CJK/alphanumeric run, plus each run's last character alone."""
    out: list[str] = []
    for run in _SPLIT.split(normalize(text)):
        if not run:
            continue
        if len(run) == 1:
            out.append(run)
            continue
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        out.append(run[-1])
    return out


def name_tokens(name: str) -> list[str]:
    name = normalize(name)
    if not name:
        return []
    syllables, surname = name_pinyin(name)
    if not has_cjk(name):
        return list(syllables)  # a copy: the cached list must not change
    tokens = bigrams(name)
    if syllables:
        tokens.append("".join(syllables))
        tokens.append("".join(s[0] for s in syllables))
        given = syllables[surname:]
        if given:
            tokens.append("".join(given))
            tokens.append("".join(s[0] for s in given))
    return tokens


@lru_cache(maxsize=65536)
def name_field(name: str) -> str:
    """``name_tokens`` as one column value (cached: names and their readings repeat)."""
    return " ".join(name_tokens(name))


@lru_cache(maxsize=65536)
def bigram_field(text: str) -> str:
    """``bigrams`` as one column value (cached: the residents of a house share its address)."""
    return " ".join(bigrams(text))


def join_fields(*values: str) -> str:
    """Column values joined as if their token lists had been joined."""
    return " ".join(v for v in values if v)


_NOT_ALNUM = re.compile(r"[^0-9a-z]")


def _compact(value: str) -> str:
    v = normalize(value)
    return v if v.isalnum() and v.isascii() else _NOT_ALNUM.sub("", v)


def number_tokens(*values: str) -> list[str]:
    return [v for v in (_compact(x) for x in values if x) if v]


def id_tails(id_number: str) -> list[str]:
    v = _compact(id_number)
    return [v[-n:] for n in (4, 5, 6) if len(v) >= n] if len(v) >= 4 else []


def phone_tails(phone: str) -> list[str]:
    v = re.sub(r"[^0-9]", "", normalize(phone))
    return [v[-4:]] if len(v) >= 4 else []


def document(names: list[str], nums: list[str], tails: list[str], addr: list[str]) -> tuple[str, str, str, str]:
    return (" ".join(names), " ".join(nums), " ".join(tails), " ".join(addr))


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _term(term: str) -> str | None:
    if not term:
        return None
    if has_cjk(term):
        if len(term) == 1:
            return "{names addr} : " + _quote(term) + "*"
        grams = [term[i : i + 2] for i in range(len(term) - 1)]
        return "{names addr} : (" + " AND ".join(_quote(g) for g in dict.fromkeys(grams)) + ")"
    if term.isdigit() or re.fullmatch(r"[0-9]+x", term):
        parts = [f"nums : {_quote(term)}*"]
        if len(term) >= 4:
            parts.append(f"tails : {_quote(term)}")
        if term.isdigit():
            if len(term) <= 2:
                parts.append(f"addr : {_quote(term)}*")
            else:
                digits = dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1))
                parts.append("addr : (" + " AND ".join(_quote(g) for g in digits) + ")")
        return "(" + " OR ".join(parts) + ")"
    if term.isalpha():
        return f"(names : {_quote(term)}* OR nums : {_quote(term)}*)"
    return f"(nums : {_quote(term)}* OR names : {_quote(term)}*)"


def match_expression(query: str) -> str | None:
    """FTS5 MATCH expression for what the user typed, or None if nothing searchable was typed."""
    terms = [t for t in _SPLIT.split(normalize(query)) if t]
    exprs = [e for e in (_term(t) for t in terms) if e]
    return " AND ".join(exprs) if exprs else None
