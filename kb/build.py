"""Build the fact base from an articles folder: clean, split, attribute, extract, store, swap."""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from kb import store
from kb.bylines import assign as assign_bylines
from kb.clean import paragraphs
from kb.facts import extract
from kb.places import Gazetteer, attribute, discover, english_name, infer_home, load_gazetteer
from kb.report import BuildReport
from kb.split import sentences

try:
    import fcntl
except ImportError:  # not POSIX: no cross-process lock, unique temp names still keep builds apart
    fcntl = None

log = logging.getLogger(__name__)
METADATA = "articles.yaml"
MAX_ARTICLE_BYTES = 5_000_000
BUILD_WAIT_SECONDS = 300.0  # how long a build waits for another build of the same file to finish


class _MetaLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as written, so one bad date ("2020-02-30") cannot void the whole file."""


_MetaLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class ArticleFile:
    file: str
    text: str
    meta: dict


def read_articles(folder: Path, warnings: list[str]) -> list[ArticleFile]:
    """Every *.txt in `folder` with its metadata; unreadable or empty files are skipped with a warning."""
    meta_path = folder / METADATA
    meta: dict = {}
    if meta_path.exists():
        try:
            meta = yaml.load(meta_path.read_text(encoding="utf-8"), Loader=_MetaLoader) or {}
            if not isinstance(meta, dict):
                raise ValueError("top level must be a mapping of file name to fields")
        except (OSError, yaml.YAMLError, ValueError, UnicodeDecodeError) as exc:
            warnings.append(f"{METADATA} ignored: {exc}")
            meta = {}
    out = []
    for path in sorted(folder.glob("*.txt")):
        try:
            if path.stat().st_size > MAX_ARTICLE_BYTES:
                raise ValueError(f"larger than {MAX_ARTICLE_BYTES} bytes")
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            warnings.append(f"{path.name} skipped: {exc}")
            continue
        text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
        if len(re.findall(r"[\u4e00-\u9fff]", text)) < 20:
            warnings.append(f"{path.name} skipped: no Chinese text to read")
            continue
        out.append(ArticleFile(path.name, text, _entry(path.name, meta.get(path.name), warnings)))
    return out


def _entry(name: str, info: object, warnings: list[str]) -> dict[str, str]:
    """One file's metadata as text fields; an entry or field that is not text is dropped with a warning."""
    if info is None:
        return {}
    if not isinstance(info, dict):
        warnings.append(f"{METADATA}: entry for {name} ignored: must be a mapping of fields")
        return {}
    out = {}
    for key, value in info.items():
        if isinstance(value, dict | list | set):
            warnings.append(f"{METADATA}: {name}: field {key} ignored: {value!r} is not plain text")
        elif value is not None:
            out[str(key)] = str(value)
    return out


def _year(meta: dict, paras: list[str]) -> int | None:
    date = str(meta.get("date") or "")
    m = re.match(r"(\d{4})", date) or re.search(r"((?:19|20)\d{2})年\d{1,2}月\d{1,2}日", " ".join(paras[:3]))
    return int(m.group(1)) if m else None


_BYLINE = re.compile(r"(?:本报|记者|通讯员|见习记者|特约|文/|图/|责任编辑|编辑)")


def _title(meta: dict, paras: list[str], file: str) -> str:
    if meta.get("title"):
        return str(meta["title"])
    for p in paras[:6]:  # the first short line that is no dateline and no byline
        if 6 <= len(p) <= 40 and not re.search(r"\d{4}年\d", p) and not _BYLINE.match(p):
            return p
    return file


def compile_rows(articles: list[ArticleFile]) -> dict[str, list[dict]]:
    """All rows of the fact base, computed in memory (pure: no files touched)."""
    places = load_gazetteer()
    texts = {a.file: paragraphs(a.text) for a in articles}
    places.update(discover([p for ps in texts.values() for p in ps], places))
    for a in articles:  # metadata may name a home place the gazetteer lacks
        for key, level in (("home_city", "city"), ("home_county", "county")):
            name = a.meta.get(key)
            if name and name not in places:
                from kb.places import Place, stem

                places[name] = Place(
                    name,
                    level,
                    None,
                    [stem(name)] if stem(name) != name else [],
                    [english_name(name)],
                    source="metadata",
                )
    gaz = Gazetteer(places)
    rows: dict[str, list[dict]] = {"articles": [], "sentences": [], "facts": [], "places": [], "terms": []}
    mentioned: dict[str, set[str]] = {}
    sid = fid = 0
    for aid, art in enumerate(articles, start=1):
        paras = texts[art.file]
        home_city = art.meta.get("home_city") or infer_home(paras, gaz, "city")
        home_county = art.meta.get("home_county")
        year = _year(art.meta, paras)
        title = _title(art.meta, paras, art.file)
        if not home_county and not art.meta.get("home_city"):  # no metadata: a county the title names
            counties = {n for _, _, n in gaz.mentions(title) if gaz.level(n) == "county"}
            home_county = counties.pop() if len(counties) == 1 else None
        rows["articles"].append(
            {
                "id": aid,
                "file": art.file,
                "title": title,
                "newspaper": art.meta.get("newspaper"),
                "date": str(art.meta.get("date") or ""),
                "year": year,
                "home_city": home_city,
                "home_county": home_county,
                "sha1": hashlib.sha1(art.text.encode()).hexdigest(),
            }
        )
        split = [sentences(p) for p in paras]
        attributions = attribute(split, gaz, home_city, home_county)
        seen: set[str] = set()
        stories = assign_bylines(paras)
        for pno, (sents, places_per) in enumerate(zip(split, attributions, strict=True)):
            for sno, (sent, where) in enumerate(zip(sents, places_per, strict=True)):
                if sent in seen:  # pages repeat paragraphs; keep the first
                    continue
                seen.add(sent)
                sid += 1
                for name in where:
                    mentioned.setdefault(name, set()).add(art.file)
                rows["sentences"].append(
                    {
                        "id": sid,
                        "article_id": aid,
                        "para": pno,
                        "idx": sno,
                        "text": sent,
                        "places": "|".join(where),
                        "place": where[0] if where else None,
                        "byline": stories[pno],
                    }
                )
                for fact in extract(sent, year):
                    fid += 1
                    rows["facts"].append(
                        {
                            "id": fid,
                            "sentence_id": sid,
                            "article_id": aid,
                            "place": where[0] if where else None,
                            **fact,
                        }
                    )
    rows["terms"] = _terms(rows["sentences"], places)
    for p in places.values():
        rows["places"].append(
            {
                "name": p.name,
                "level": p.level,
                "parent": p.parent,
                "aliases": "|".join(p.aliases),
                "english": "|".join(p.english or [english_name(p.name)]),
                "source": p.source,
                "articles": len(mentioned.get(p.name, ())),
            }
        )
    return rows


def _terms(sentence_rows: list[dict], places: dict) -> list[dict]:
    """Words of the articles with the number of sentences holding each (for typo repair and weights)."""
    import jieba

    df: Counter[str] = Counter()
    for row in sentence_rows:
        df.update(
            {w for w in jieba.lcut(row["text"]) if 2 <= len(w) <= 6 and re.fullmatch(r"[\u4e00-\u9fff]+", w)}
        )
    for p in places.values():
        for name in [p.name, *p.aliases]:
            df[name] += 1
    return [{"term": t, "df": n} for t, n in df.items()]


def _fact_keys(rows: list[dict], files: dict[int, str]) -> set[tuple]:
    return {(files[r["article_id"]], r["place"], r["clause"], r["value"]) for r in rows}


def _diff(old_path: Path, new_rows: dict[str, list[dict]], report: dict, warnings: list[str]) -> None:
    try:
        old = store.read_all(old_path)
    except Exception as exc:  # noqa: BLE001 - no old base, or an unreadable one: everything is new
        if old_path.exists():
            warnings.append(f"could not compare with the previous fact base ({exc}); all counted as new")
        old = {"articles": [], "facts": []}
    old_files = {a["id"]: a["file"] for a in old["articles"]}
    new_files = {a["id"]: a["file"] for a in new_rows["articles"]}
    old_sha = {a["file"]: a["sha1"] for a in old["articles"]}
    new_sha = {a["file"]: a["sha1"] for a in new_rows["articles"]}
    report["added_articles"] = sorted(set(new_sha) - set(old_sha))
    report["removed_articles"] = sorted(set(old_sha) - set(new_sha))
    report["changed_articles"] = sorted(f for f in new_sha if f in old_sha and new_sha[f] != old_sha[f])
    old_keys, new_keys = _fact_keys(old["facts"], old_files), _fact_keys(new_rows["facts"], new_files)
    report["added_facts"], report["removed_facts"] = len(new_keys - old_keys), len(old_keys - new_keys)


@contextmanager
def _exclusive(db_path: Path, wait: float) -> Iterator[None]:
    """One build of `db_path` at a time, across threads and processes (flock on `<db>-build.lock`)."""
    if fcntl is None:
        yield
        return
    deadline = time.monotonic() + wait
    with open(db_path.with_name(f"{db_path.name}-build.lock"), "a") as fh:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    message = f"another build of {db_path} is still running after {wait:.0f}s"
                    raise TimeoutError(message) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_stale(db_path: Path, warnings: list[str]) -> None:
    """Delete temp files left by builds that died mid-way; call only while holding the build lock."""
    if fcntl is None:
        return  # without the lock a temp file may belong to a build still running
    for old in db_path.parent.glob(f".{glob.escape(db_path.name)}.building-*"):
        old.unlink(missing_ok=True)
        warnings.append(f"removed {old.name}, left by an interrupted build")


def build_kb(
    articles_dir: str | Path, db_path: str | Path, validate: Callable[[Path], list[str]] | None = None
) -> BuildReport:
    """Build into a new file next to `db_path`, check it, validate it, then swap it in.

    `validate` gets the new file and returns problems; any problem (or exception) keeps the old
    fact base in place and the report says why.
    """
    started = time.perf_counter()
    articles_dir, db_path = Path(articles_dir), Path(db_path)
    # unique per build (threads share a pid); a killed build's file is removed by the next build
    tmp = db_path.with_name(f".{db_path.name}.building-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    warnings: list[str] = []
    try:
        if not articles_dir.is_dir():
            raise ValueError(f"articles folder {articles_dir} does not exist")
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive(db_path, BUILD_WAIT_SECONDS):  # all of it: the last build run reads the newest files
            _remove_stale(db_path, warnings)
            articles = read_articles(articles_dir, warnings)
            if not articles:
                raise ValueError(f"no readable articles in {articles_dir}")
            rows = compile_rows(articles)
            if not rows["facts"]:
                raise ValueError("the articles gave no facts")
            store.write(tmp, rows)
            counts = store.check(tmp)
            problems = validate(tmp) if validate else []
            if problems:
                raise ValueError("validation failed: " + "; ".join(problems))
            diff: dict = {}
            _diff(db_path, rows, diff, warnings)
            store.swap(tmp, db_path)
    except Exception as exc:  # noqa: BLE001 - any failure keeps the old base; the report says why
        log.warning("fact base build failed: %s", exc)
        tmp.unlink(missing_ok=True)
        error = str(exc) or type(exc).__name__
        if warnings:  # e.g. skipped articles are often why validation failed: say so in the one line shown
            error += " (warnings: " + "; ".join(warnings) + ")"
        return BuildReport(
            ok=False,
            db_path=str(db_path),
            warnings=warnings,
            error=error,
            seconds=time.perf_counter() - started,
        )
    return BuildReport(
        ok=True,
        db_path=str(db_path),
        articles=counts["articles"],
        sentences=counts["sentences"],
        facts=counts["facts"],
        places=counts["places"],
        seconds=time.perf_counter() - started,
        warnings=warnings,
        **diff,
    )
