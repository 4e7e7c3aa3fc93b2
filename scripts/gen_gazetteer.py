#!/usr/bin/env python3
"""Generate kb/china_places.tsv, the national gazetteer, from jionlp's china_location data.

  python scripts/gen_gazetteer.py              a throwaway venv in a temp folder: pip install jionlp pypinyin
  python scripts/gen_gazetteer.py --venv DIR   the same venv kept in DIR (faster the second time)

jionlp (Apache-2.0) is never a dependency of the project: it is installed only in that throwaway venv,
where this script runs itself again (--inside) to read every province, city and county or district with
its parent, short form (汝阳 of 汝阳县) and former names (淮阳县 of 淮阳区, from jionlp's list of changes), and
English names from pypinyin with its phrase dictionary (长治 -> Changzhi). The generated file is shipped in
kb/ with jionlp's licence beside it (kb/china_places.LICENSE); kb/places.py merges it with the curated
kb/gazetteer.yaml at build time (curated entries win) and decides which short forms are safe to match.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "kb" / "china_places.tsv"
LICENSE_OUT = ROOT / "kb" / "china_places.LICENSE"
PACKAGES = ["jionlp", "pypinyin", "jieba"]
COLUMNS = ("code", "name", "level", "parent", "short", "former", "english")
# county-level suffixes, longest first, for the stem an English name is made from
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "林区",
    "特区",
    "地区",
    "省",
    "市",
    "县",
    "区",
    "盟",
    "旗",
)
_LEVEL_WORD = {"县": "County", "区": "District", "市": "City", "旗": "Banner"}
# Short forms kept only when they cannot be mistaken: never one character (沁 of 沁县), never shared by two
# places (朝阳, 城关), never another place's full name, and not an everyday word in jieba's dictionary
# (合作 of 合作市, 公安 of 公安县, 新兴 of 新兴县, 富民 of 富民县): a word tagged as a place name (ns) is kept
# unless it is a common noun as well (平原, 中原); other tags only when rare, and never verbs, adjectives...
_EVERYDAY_TAGS = {
    "a",
    "ad",
    "an",
    "b",
    "c",
    "d",
    "f",
    "i",
    "l",
    "m",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "v",
    "vd",
    "vn",
    "z",
}
_GENERIC = {"平原", "中原", "城区", "郊区", "矿区", "新区", "市区", "城中", "城东", "城西", "城南", "城北"}
_RARE = {"city": 1000, "province": 100000, "municipality": 100000}  # dictionary frequency kept below
# readings pypinyin's phrase dictionary gets wrong in place names (长治 is Changzhi, not Zhangzhi)
_READINGS = {"长治": ["chang", "zhi"], "朝阳": ["chao", "yang"], "单": ["shan"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--venv", type=Path, help="keep the throwaway venv in this folder")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.inside:
        return generate(args.out)
    with tempfile.TemporaryDirectory(prefix="gazetteer-venv-") as tmp:
        venv = args.venv or Path(tmp) / "venv"
        python = venv / "bin" / "python"
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PACKAGES], check=True)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYPINYIN_NO_PHRASES")}
        subprocess.run([str(python), __file__, "--inside", "--out", str(args.out)], check=True, env=env)
    return 0


def _stem(name: str, short: str) -> str:
    if short and short != name:
        return short
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _english(name: str, short: str, pinyin) -> str:
    """Wuxiang for 武乡县; "Qin County|Qinxian" for 沁县 (a one-character stem keeps its level word)."""
    stem = _stem(name, short)
    if not all("\u4e00" <= ch <= "\u9fff" for ch in stem):
        return ""
    syllables = _READINGS.get(stem) or [s[0] for s in pinyin(stem, style=0)]  # style 0: no tone marks
    if stem[0] == "长" and stem != "长子":  # 长阳, 长丰, 长寿: chang; only 长子县 is Zhangzi
        syllables[0] = "chang"
    word = "".join(syllables).capitalize()
    if len(stem) == 1:
        level = _LEVEL_WORD.get(name[-1], "")
        full = (word + "".join(s[0] for s in pinyin(name[1:], style=0))).capitalize()
        return f"{word} {level}|{full}" if level else full
    return word


def _level(name: str, depth: int) -> str:
    if depth == 0:
        return "province"
    if depth == 1:
        return "city"
    return "district" if name.endswith("区") and not name.endswith(("林区", "特区")) else "county"


def generate(out: Path) -> int:
    """Read jionlp's data (run under the throwaway venv) and write `out`."""
    from importlib.metadata import version

    from jionlp.dictionary.dictionary_loader import china_location_change_loader, china_location_loader
    from pypinyin import pinyin

    rows: dict[str, dict] = {}  # by administrative code
    by_path: dict[tuple[str, ...], str] = {}

    def add(code: str, name: str, level: str, parent: str, short: str, path: tuple[str, ...]) -> None:
        short = short if isinstance(short, str) else "|".join(s for s in short if s)
        shorts = [s for s in short.split("|") if s and s != name and len(s) >= 2]
        for suffix, kept in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):  # 阿坝州, 长阳县
            if name.endswith(suffix) and shorts and shorts[0] + kept not in shorts:
                shorts.append(shorts[0] + kept)
        rows[code] = {
            "code": code,
            "name": name,
            "level": level,
            "parent": parent,
            "short": "|".join(shorts),
            "former": [],
            "english": _english(name, shorts[0] if shorts else "", pinyin),
        }
        by_path[path] = code

    for province, pv in china_location_loader().items():
        pcode = pv["_admin_code"]
        cities = {k: v for k, v in pv.items() if not k.startswith("_")}
        municipality = any(c["_admin_code"] == pcode for c in cities.values())  # 北京市, 香港特别行政区
        level = "municipality" if municipality and province.endswith("市") else "province"
        add(pcode, province, level, "", pv["_alias"], (province,))
        for city, cv in cities.items():
            ccode = cv["_admin_code"]
            attach = pcode if (ccode == pcode or "直辖" in city) else ccode  # 省直辖行政区划: no city between
            if attach != pcode:
                add(ccode, city, "city", pcode, cv["_alias"], (province, city))
            by_path[(province, city)] = attach
            for county, kv in cv.items():
                if county.startswith("_") or "直辖" in county or county == "市辖区":
                    continue
                add(
                    kv["_admin_code"],
                    county,
                    _level(county, 2),
                    attach,
                    kv["_alias"],
                    (province, city, county),
                )
    _keep_safe_shorts(rows)
    changes = 0
    for change in china_location_change_loader():
        (old_province, _), (old_city, old_city_short), (old_county, old_county_short) = change["old_loc"]
        new = tuple(n for n in change["new_loc"] if n)
        code = by_path.get(new)
        old = old_county or old_city
        if not code or not old or old == rows[code]["name"]:
            continue  # renamed into a place no longer listed, or only moved to another parent (公主岭市)
        rows[code]["former"].append(f"{old}@{change['date']}")
        changes += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(
            "# China's administrative divisions (provinces, cities, counties and districts) with parents,\n"
            "# short forms and former names. GENERATED by scripts/gen_gazetteer.py: do not edit by hand; curated\n"
            "# entries in kb/gazetteer.yaml win over these rows at build time (kb/places.py).\n"
            f"# Source: jionlp {version('jionlp')} (github.com/dongrixinyu/JioNLP), dictionary/china_location.zip\n"
            "# and dictionary/china_location_change.txt; Copyright jionlp's authors, Apache License 2.0\n"
            "# (full text in kb/china_places.LICENSE). English names: pypinyin "
            f"{version('pypinyin')} (MIT).\n"
            "# Columns: administrative code; name; level (province, municipality, city, county, district); parent\n"
            "# code; short forms; former names with the date of the change; English names (| between several).\n"
        )
        fh.write("\t".join(COLUMNS) + "\n")
        for code in sorted(rows):
            row = rows[code]
            row = {**row, "former": "|".join(row["former"])}
            fh.write("\t".join(row[c] for c in COLUMNS) + "\n")
    licence = _licence_file()
    if licence:
        shutil.copyfile(licence, LICENSE_OUT if out == OUT else out.with_suffix(".LICENSE"))
    print(f"{out}: {len(rows)} places, {changes} former names")
    return 0


def _keep_safe_shorts(rows: dict[str, dict]) -> None:
    """Drop the short forms that could be mistaken (see _EVERYDAY_TAGS); keep the rest in place."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    jieba.initialize()
    tags, freq = jieba.posseg.dt.word_tag_tab, jieba.dt.FREQ
    names = {r["name"] for r in rows.values()}
    uses: dict[str, int] = {}
    for r in rows.values():
        for short in r["short"].split("|"):
            if short:
                uses[short] = uses.get(short, 0) + 1

    def safe(short: str, level: str) -> bool:
        if len(short) < 2 or uses[short] > 1 or short in names or short in _GENERIC:
            return False
        tag, n = tags.get(short), freq.get(short, 0)
        if not n or tag is None:
            return True
        if tag in _EVERYDAY_TAGS:
            return False
        return tag == "ns" or n < _RARE.get(level, 500)

    for r in rows.values():
        r["short"] = "|".join(s for s in r["short"].split("|") if s and safe(s, r["level"]))


def _licence_file() -> Path | None:
    from importlib.metadata import files

    for f in files("jionlp") or []:
        if f.name in ("LICENSE", "LICENSE.txt") or (f.parent.name == "licenses" and "LICENSE" in f.name):
            return Path(f.locate())
    return None


if __name__ == "__main__":
    sys.exit(main())
