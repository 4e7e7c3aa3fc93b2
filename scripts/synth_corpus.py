#!/usr/bin/env python3
"""A synthetic corpus for the benchmark: the shipped articles rewritten with other place names and figures.

  python scripts/synth_corpus.py --articles 500 --out /tmp/corpus      writes 500 articles + articles.yaml

Article i is shipped article i mod 5 with every place name of the gazetteer it mentions (full names,
aliases and short forms, also when a PDF line break or space splits them: 汝/阳县) replaced by a
generated name (two characters from a fixed list + the same suffix, 汝阳县 -> 璟葳县, seeded, never a real
name or a jieba word, unique across the corpus, pinyin included; past ~1,200 articles also from
MORE_NAME_CHARS, past ~4,000 of three characters, 汝阳县 -> 璟葳桐县, none containing a two-character
one: 5,000 articles and more) and every figure with a unit
(2207 户, 1900余万元, 0.24%, 1320平方公里 ...) scaled by a random factor. The factor depends on the
article and the figure as written, so one figure quoted twice stays one figure, and a shipped answer
can be rewritten into the answer expected from a synthetic article (see Rewriter.text).
Provinces, years, dates and weekdays are kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts._bootstrap import ensure_environment  # noqa: E402

ensure_environment()

import argparse  # noqa: E402
import functools  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import yaml  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "kb" / "articles"
SEED = 20240601
# Characters the generated names are made of: simplified (OpenCC t2s leaves them), no place-word
# characters (新, 山, 城 ...). Characters of real place names are dropped at run time.
NAME_CHARS = (
    "桐柏梧枫桂榆杉柳桦松竹兰芷荷蒲苇菱莲荻茅芦蓝翠碧丹朱赤玄银铜锦绣雾霞霜雪露虹辰岚峦峰岭岗崖屿渚洲汀"
    "溪涧泉潭湖浦鹤鹭鸿雁燕莺鹊凤麟鹿骏琴笙箫磬禾稷黍粟麦稻棉麻桑茶梅杏桃李梨枣栗柿晖曦晗昕昊旻晏暄嘉"
    "祥瑞福禄庆吉敦淳朴弘毅恒谦璋琮瑾瑜珂琳琪瑛瑶璐珑玮璟珩琛岫崃嵋峄蔚蓉萱蕙茗菁芸茉苒芮莘葳蘅澄澈沐"
    "沛洵涓淇湄滢漪潆濯炜烨煜熠灿焕昭晟暻曜珈玥"
)
# More name characters, each of a syllable NAME_CHARS lacks: used once the names of NAME_CHARS run out
# (about 11,000 names, ~1,200 articles), so that corpora of up to ~4,000 articles still have names of two
# characters with a pinyin of their own. Names from given names and nature, no common word's characters.
MORE_NAME_CHARS = (
    "勇彬杰彪震壮邦绍磊哲超朗朋栋伦旭泽泰雄腾楠巧娜萍娥芬芳菊媛琼秋莎黛姣婉娴婵蓓梦冰飘柔霭凝菲妮烁"
    "雯忠宗曼蝶鼓琵琶鼎磐琨珏珀铎燧炅昶旷昂淼湛沧漾穑藕枸柑楷桉杜蛙鳌雕孔骆驼"
)
# Figures: a number, then (maybe after PDF spaces or a line break) 余/多, a magnitude and a unit.
UNITS = (
    "个百分点",
    "平方公里",
    "平方米",
    "万公斤",
    "公斤",
    "公顷",
    "千瓦",
    "兆瓦",
    "人次",
    "公里",
    "千米",
    "%",
    "％",
    "元",
    "亩",
    "名",
    "人",
    "位",
    "户",
    "个",
    "家",
    "所",
    "项",
    "条",
    "座",
    "处",
    "笔",
    "支",
    "批",
    "场",
    "套",
    "头",
    "间",
    "台",
    "辆",
    "件",
    "村",
    "吨",
    "米",
)
_FIGURE = re.compile(
    r"(?<![\d.A-Za-z第])(?P<num>\d+(?:\.\d+)?)(?P<approx1>\s*(?:余|多))?(?P<mag>\s*(?:万亿|千万|百万|万|亿))?"
    r"(?P<approx2>\s*(?:余|多))?(?P<unit>\s*(?:" + "|".join(map(re.escape, UNITS)) + r"))?"
)
_SPACE = re.compile(r"\s+")
PLACE_ENDS = set("市县区乡镇")


@dataclass(frozen=True)
class OriginalPlace:
    """A real place the shipped articles may name, with every way it is written."""

    name: str
    suffix: str  # 市, 县, 街道 ... ("" when none)
    forms: tuple[str, ...]  # name, aliases, short form (two characters or more)
    english: tuple[str, ...]


@dataclass
class SynthArticle:
    """One synthetic article: its file, the shipped file it rewrites and its rewriting rules."""

    index: int
    file: str
    source: str
    rewriter: Rewriter
    meta: dict = field(default_factory=dict)


def _suffix(name: str) -> str:
    from kb.places import SUFFIXES

    return next((s for s in SUFFIXES if name.endswith(s) and len(name) > len(s)), "")


def original_places() -> list[OriginalPlace]:
    """Every place of the gazetteer (provinces kept real) and every place the build discovers in the
    shipped articles, with its forms: 汝阳县/汝阳, 伊滨经开区/伊滨区/伊滨, 常平乡/常平, 沁县."""
    from kb.build import read_articles
    from kb.clean import paragraphs
    from kb.places import Gazetteer, discover, load_gazetteer, stem

    texts = [p for a in read_articles(SHIPPED, []) for p in paragraphs(a.text)]
    every = load_gazetteer()  # of the ~3,300 national places only those the shipped articles name
    named = {n for t in texts for _, _, n in Gazetteer(every).scoped(texts).mentions(t)}
    places = {n: p for n, p in every.items() if p.source != "national" or n in named}
    places.update(discover(texts, every))
    out = []
    for p in places.values():
        if p.level == "province":
            continue
        forms = {p.name, *p.aliases}
        if len(stem(p.name)) >= 2:
            forms.add(stem(p.name))  # towns too: 常 平 从此 ...
        out.append(
            OriginalPlace(
                p.name, _suffix(p.name), tuple(sorted(forms, key=lambda f: (-len(f), f))), tuple(p.english)
            )
        )
    return out


def original_names(places: list[OriginalPlace] | None = None) -> set[str]:
    """Every written form of a real place the synthetic corpus must not contain."""
    return {f for p in places or original_places() for f in p.forms}


def _spaced(form: str) -> str:
    """A pattern for `form` that also matches it split by a PDF line break or spaces."""
    return r"\s*".join(map(re.escape, form))


@functools.lru_cache(maxsize=1)
def _national_names() -> frozenset[str]:
    """Every name and two-character stem of the national gazetteer (kb/china_places.tsv)."""
    from kb.places import load_national, stem

    out = set()
    for row in load_national():
        out.update((row.name, stem(row.name), *row.short, *row.former))
    return frozenset(out)


class NameMaker:
    """Generated place names: two characters from NAME_CHARS; never a real name, a jieba word or a
    name (or pinyin) already handed out. About 11,000 such names (one per toneless pinyin) exist; when
    GIVE_UP draws in a row find none, the next phase starts: two characters from NAME_CHARS and
    MORE_NAME_CHARS (about 30,000 more), then three characters, none of them containing a two-character
    name handed out (so 璟葳 never matches inside 璟葳桐县). Each phase draws as before until it gives up,
    so corpora that the first phase can name (up to ~1,200 articles) are the same as they always were."""

    GIVE_UP = 300

    def __init__(self, rng: random.Random, real: set[str], text: str = ""):
        import jieba
        from pypinyin import lazy_pinyin

        jieba.initialize()
        self._freq = jieba.dt.FREQ
        self._pinyin = lazy_pinyin
        self.rng = rng
        self.real = real
        self.text = _SPACE.sub("", text)  # the shipped articles: a new name must not already be in them
        banned = set("".join(real))
        self.chars = [c for c in dict.fromkeys(NAME_CHARS) if c not in banned]
        more = self.chars + [
            c for c in dict.fromkeys(MORE_NAME_CHARS) if c not in banned and c not in self.chars
        ]
        # (characters, length, draws before the next phase)
        self.phases = [(self.chars, 2, self.GIVE_UP), (more, 2, self.GIVE_UP), (more, 3, 100_000)]
        self.phase = 0
        self.used: set[str] = set()
        self.used_sound: set[str] = set()

    def stem(self) -> str:
        while self.phase < len(self.phases):
            chars, length, draws = self.phases[self.phase]
            for _ in range(draws):
                s = "".join(self.rng.sample(chars, length))
                if self._fits(s):
                    return s
            self.phase += 1
        raise RuntimeError("ran out of generated place names; extend MORE_NAME_CHARS")

    def _fits(self, s: str) -> bool:
        """Hand out `s` if it is new (name and pinyin), no real name, no jieba word, not in the shipped
        text, and, with three characters, holds no two-character name handed out."""
        sound = "".join(self._pinyin(s))
        if (
            s in self.used
            or sound in self.used_sound
            or s in self.real
            or self._freq.get(s)
            or s in self.text
        ):
            return False
        if any(s in r or r in s for r in self.real if len(r) >= 2):
            return False
        national = _national_names()
        if s in national or any(s[-1] + suffix in national for suffix in "县市区"):
            return False  # nor a real place of the national gazetteer, nor one inside it (谦蒲县 holds 蒲县)
        if len(s) > 2 and any(s[i : i + 2] in self.used for i in range(len(s) - 1)):
            return False
        self.used.add(s)
        self.used_sound.add(sound)
        return True


class Rewriter:
    """The rewriting rules of one synthetic article: place forms -> new forms, figures -> scaled."""

    def __init__(
        self,
        names: dict[str, str],
        english: dict[str, str],
        seed: str,
        pattern: re.Pattern[str],
        place_of: dict[str, str],
    ):
        self.names = names  # original form (no spaces) -> new form
        self.english = english  # original English name -> new English name
        self.place_of = place_of  # original form or English name -> the original place's name
        self.seed = seed
        self._pattern = pattern  # every original form, longest first, split forms allowed

    def place_names(self, text: str) -> str:
        def swap(m: re.Match) -> str:
            form = _SPACE.sub("", m.group(0))
            return self.names.get(form, m.group(0))

        return self._pattern.sub(swap, text)

    def figures(self, text: str) -> str:
        return _FIGURE.sub(self._scale, text)

    def text(self, text: str) -> str:
        """`text` with this article's place names and figures."""
        return self.figures(self.place_names(text))

    def _scale(self, m: re.Match) -> str:
        unit = _SPACE.sub("", m.group("unit") or "")
        mag = _SPACE.sub("", m.group("mag") or "")
        if not unit and not mag:
            return m.group(0)  # a bare number: year, date, phone number ...
        num = m.group("num")
        value = float(num)
        factor = random.Random(f"{self.seed}|{num}|{mag}|{unit}").uniform(0.5, 2.0)
        new = value * factor
        if unit in ("%", "％", "个百分点"):
            if value == 100:
                new = value
            elif value < 100 <= new:
                new = value * 0.9
        decimals = len(num.split(".")[1]) if "." in num else 0
        text = f"{new:.{decimals}f}" if decimals else str(max(1, round(new)))
        return text + m.group(0)[len(num) :]


def _pattern(places: list[OriginalPlace]) -> re.Pattern[str]:
    forms = sorted({f for p in places for f in p.forms}, key=lambda f: (-len(f), f))
    return re.compile("|".join(_spaced(f) for f in forms))


def make_rewriters(
    n: int, seed: int = SEED, places: list[OriginalPlace] | None = None, shipped: Path = SHIPPED
) -> list[tuple[str, Rewriter]]:
    """(shipped file, rewriter) for synthetic articles 0..n-1; the first k of n are the same as of k."""
    from kb.places import english_name

    places = places or original_places()
    pattern = _pattern(places)
    files = sorted(p.name for p in shipped.glob("*.txt"))
    meta = _read_meta(shipped)
    mentioned: dict[str, list[OriginalPlace]] = {}
    texts = []
    for file in files:
        text = (
            (shipped / file).read_text(encoding="utf-8")
            + " "
            + " ".join(str(v) for v in (meta.get(file) or {}).values())
        )
        texts.append(text)
        seen = {_SPACE.sub("", m.group(0)) for m in pattern.finditer(text)}
        mentioned[file] = sorted((p for p in places if seen & set(p.forms)), key=lambda p: p.name)
    rng = random.Random(seed)
    maker = NameMaker(rng, original_names(places), " ".join(texts))
    out = []
    for i in range(n):
        source = files[i % len(files)]
        names: dict[str, str] = {}
        english: dict[str, str] = {}
        place_of: dict[str, str] = {}
        for p in mentioned[source]:
            new_stem = maker.stem()
            new_name = new_stem + p.suffix
            for form in p.forms:  # 汝阳县 -> 璟葳县, 汝阳 -> 璟葳, alias 伊滨区 -> 璟葳区
                names[form] = new_name if form == p.name else new_stem + _suffix(form)
                place_of[form] = p.name
            for e in p.english:
                english[e] = english_name(new_name)
                place_of[e] = p.name
        out.append((source, Rewriter(names, english, f"{seed}|{i}", pattern, place_of)))
    return out


def _read_meta(folder: Path) -> dict:
    path = folder / "articles.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    return data if isinstance(data, dict) else {}


def write_corpus(
    out_dir: str | Path, n: int, seed: int = SEED, shipped: Path = SHIPPED
) -> list[SynthArticle]:
    """Write `n` synthetic articles and their articles.yaml into `out_dir`; return what was written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = _read_meta(shipped)
    articles, metadata = [], {}
    for i, (source, rw) in enumerate(make_rewriters(n, seed, shipped=shipped)):
        file = f"synth-{i + 1:05d}.txt"
        (out_dir / file).write_text(rw.text((shipped / source).read_text(encoding="utf-8")), encoding="utf-8")
        info = dict(meta.get(source) or {})
        for key in ("title", "newspaper", "home_city", "home_county"):
            if info.get(key):
                info[key] = rw.text(str(info[key]))
        if "date" in info:
            info["date"] = str(info["date"])
        info["source_file"] = source
        metadata[file] = info
        articles.append(SynthArticle(i, file, source, rw, info))
    header = (
        f"# Synthetic corpus: {n} shipped articles rewritten with generated place names and scaled figures\n"
        f"# (scripts/synth_corpus.py, seed {seed}); source_file is the shipped article each one rewrites.\n"
    )
    (out_dir / "articles.yaml").write_text(
        header + yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return articles


# ---- questions --------------------------------------------------------------------------------------
def _typo_free(question: str, places: list[OriginalPlace]) -> str:
    """The question in simplified characters with homophone typos of place names mended (汝羊县 -> 汝阳县,
    焦做市 -> 焦作市), so that its places can be renamed. Only a place-like stretch counts (a name, or a
    short form before 市/县/区/乡/镇): 细化 sounds like 西华 but is a word."""
    from pypinyin import lazy_pinyin

    from engine.normalize import normalize

    text = normalize(question)
    for form in sorted({f for p in places for f in p.forms if len(f) >= 2}, key=lambda f: (-len(f), f)):
        sound = lazy_pinyin(form)
        named = bool(_suffix(form))
        i = 0
        while i + len(form) <= len(text):
            window = text[i : i + len(form)]
            place_like = named or text[i + len(form) : i + len(form) + 1] in PLACE_ENDS
            if (
                window != form
                and place_like
                and re.fullmatch(r"[\u4e00-\u9fff]+", window)
                and lazy_pinyin(window) == sound
            ):
                text = text[:i] + form + text[i + len(form) :]
                i += len(form)
            else:
                i += 1
    return text


def world_rewriter(
    world: list[SynthArticle], homes: dict[str, set[str]]
) -> tuple[dict[str, str], dict[str, str]]:
    """One set of names for questions about several articles (one synthetic article per shipped one):
    a place takes the name it has in the article it is the home place of (焦作市 of the Jiaozuo article,
    not of the Qinyang one), else in the first article naming it."""
    names: dict[str, str] = {}
    english: dict[str, str] = {}
    ordered = sorted(world, key=lambda a: a.index)
    for home_pass in (True, False):
        for art in ordered:
            rw = art.rewriter
            home = homes.get(art.source, set())
            for form, new in rw.names.items():
                if (rw.place_of[form] in home) == home_pass:
                    names.setdefault(form, new)
            for e, new in rw.english.items():
                if (rw.place_of[e] in home) == home_pass:
                    english.setdefault(e, new)
    return names, english


class QuestionRewriter:
    """Renames the places of shipped questions to those of one world (see world_rewriter)."""

    def __init__(self, names: dict[str, str], english: dict[str, str]):
        self.names = names
        self._zh = (
            re.compile("|".join(re.escape(f) for f in sorted(names, key=lambda f: (-len(f), f))))
            if names
            else None
        )
        self._lower = {e.lower(): v for e, v in english.items()}
        self._en = (
            re.compile(
                r"\b(" + "|".join(re.escape(e) for e in sorted(english, key=lambda e: (-len(e), e))) + r")\b",
                re.IGNORECASE,
            )
            if english
            else None
        )

    def __call__(self, mended: str) -> str:
        """`mended`: a question passed through _typo_free."""
        text = self._zh.sub(lambda m: self.names[m.group(0)], mended) if self._zh else mended
        return self._en.sub(lambda m: self._lower[m.group(0).lower()], text) if self._en else text


def rewrite_question(
    question: str, names: dict[str, str], english: dict[str, str], places: list[OriginalPlace]
) -> str:
    """A shipped question about the synthetic articles of one world."""
    return QuestionRewriter(names, english)(_typo_free(question, places))


def home_places(shipped: Path = SHIPPED) -> dict[str, set[str]]:
    """Shipped file -> the names of its home city and county (articles.yaml)."""
    return {
        f: {str(v) for k, v in (info or {}).items() if k in ("home_city", "home_county") and v}
        for f, info in _read_meta(shipped).items()
    }


def synthetic_questions(
    cases: list[dict],
    articles: list[SynthArticle],
    rounds: int,
    seed: int = SEED,
    places: list[OriginalPlace] | None = None,
) -> list[list[dict]]:
    """For each round, the cases rewritten to one world: one synthetic article per shipped one (random,
    and a different one each round while there are any left).
    Each case keeps its id and session and gains "world" (indexes of the synthetic articles)."""
    places = places or original_places()
    homes = home_places()
    by_source: dict[str, list[SynthArticle]] = {}
    for a in articles:
        by_source.setdefault(a.source, []).append(a)
    rng = random.Random(seed + 1)
    for group in by_source.values():
        rng.shuffle(group)  # round r takes the r-th article of each shuffled group: worlds differ
    mended = {c["q"]: _typo_free(c["q"], places) for c in cases}
    out = []
    for r in range(rounds):
        world = [group[r % len(group)] for _, group in sorted(by_source.items())]
        rewrite = QuestionRewriter(*world_rewriter(world, homes))
        out.append(
            [
                {**c, "q": rewrite(mended[c["q"]]), "original": c["q"], "world": [a.index for a in world]}
                for c in cases
            ]
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=500, help="how many synthetic articles (default 500)")
    ap.add_argument("--out", required=True, help="folder to write the articles and articles.yaml into")
    ap.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = ap.parse_args(argv)
    written = write_corpus(args.out, args.articles, args.seed)
    print(f"{len(written)} synthetic articles written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
