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

from kb import store, tokens
from kb.bylines import assign as assign_bylines
from kb.bylines import credits, masthead
from kb.clean import paragraphs
from kb.facts import extract
from kb.intake import MAX_ARTICLE_BYTES, SUFFIXES, Unreadable, clean_controls, not_an_article, read_text
from kb.places import (
    ENGINE_LEVEL,
    Gazetteer,
    attribute,
    discover,
    discover_local,
    english_name,
    infer_home,
    load_gazetteer,
    national_rows,
)
from kb.report import BuildReport
from kb.split import sentences

try:
    import fcntl
except ImportError:  # not POSIX: no cross-process lock, unique temp names still keep builds apart
    fcntl = None

log = logging.getLogger(__name__)
METADATA = "articles.yaml"
__all__ = ["MAX_ARTICLE_BYTES", "ArticleFile", "BuildRefused", "build_kb", "compile_rows", "read_articles"]
MAX_LOST_SHARE = 0.5  # an article already in the fact base may not lose more than this share of its facts
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


def article_paths(folder: Path) -> list[Path]:
    """The article files of a folder: *.txt and *.pdf, in name order."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith("."))


def read_articles(
    folder: Path, warnings: list[str], unreadable: dict[str, str] | None = None
) -> list[ArticleFile]:
    """Every article file in `folder` with its metadata. A file that cannot be read or is no article is
    left out: its reason goes into `unreadable` (file name -> reason) when given, else into `warnings`."""
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
    for path in article_paths(folder):
        try:
            text, note = read_text(path)
            problem = not_an_article(text)
            if problem:
                raise Unreadable(problem)
        except Unreadable as exc:
            if unreadable is None:
                warnings.append(f"{path.name} rejected: {exc}")
            else:
                unreadable[path.name] = str(exc)
            continue
        if note:
            warnings.append(f"{path.name}: {note}")
        out.append(
            ArticleFile(path.name, clean_controls(text), _entry(path.name, meta.get(path.name), warnings))
        )
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
    """All rows of the fact base, computed in memory (pure: no files touched), cut with a tokenizer of this
    build's own: two builds of the same articles give the same rows, whatever ran before in the process."""
    from kb.places import forget_cuts

    forget_cuts()
    try:
        with tokens.using(tokens.fresh()):
            return _compile_rows(articles)
    finally:
        forget_cuts()


def _compile_rows(articles: list[ArticleFile]) -> dict[str, list[dict]]:
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
    homes = {}
    named: set[str] = set()
    for art in articles:  # each article's home city and county, then the towns and villages it names
        paras = texts[art.file]
        scoped = gaz.scoped(paras)
        home_city = art.meta.get("home_city") or infer_home(paras, scoped, "city")
        home_county = art.meta.get("home_county")
        title = _title(art.meta, paras, art.file)
        if not home_county and not art.meta.get("home_city"):  # no metadata: a county the title names
            counties = {n for _, _, n in scoped.mentions(title) if scoped.level(n) == "county"}
            home_county = counties.pop() if len(counties) == 1 else None
        homes[art.file] = (home_city, home_county, title)
        named.update(scoped.named)
        for name, place in discover_local(paras, scoped, home_county, art.file).items():
            places.setdefault(name, place)
    shared = Gazetteer(places)
    _teach_jieba(places, named)
    rows: dict[str, list[dict]] = {
        "articles": [],
        "sentences": [],
        "facts": [],
        "places": [],
        "terms": [],
        "gazetteer": [],
    }
    mentioned: dict[str, set[str]] = {}
    sid = fid = 0
    for aid, art in enumerate(articles, start=1):
        paras = texts[art.file]
        gaz = shared.scoped(paras)
        home_city, home_county, title = homes[art.file]
        year = _year(art.meta, paras)
        captions, photos, staff = credits(art.text)
        paper, issue, head = masthead(art.text)
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
                "photos": photos,  # who took its photos, and its page's staff (kb/bylines.credits)
                "staff": staff,
                "paper": paper,  # the newspaper and issue date its page prints (kb/bylines.masthead)
                "issue": issue,
                "head": head,  # the page head's lines they are printed in
            }
        )
        split = [sentences(p) for p in paras]
        attributions = attribute(split, gaz, home_city, home_county)
        seen: set[str] = set()
        stories = assign_bylines(paras)
        carried: int | None = None
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
                        # the credit of the photo it is the caption of
                        "photo": next((n for c, n in captions if re.sub(r"\s", "", sent) in c), ""),
                    }
                )
                facts = extract(sent, year, carried)
                dated = {f["year"] for f in facts if f["year"]}
                carried = dated.pop() if len(dated) == 1 else None  # the year a 其中… sentence goes on in
                for fact in facts:
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
    # the engine's places: the curated ones, those the articles name, and their ancestors; the ~3,300 others
    # of the national gazetteer go to the `gazetteer` table only (hierarchy answers, "no articles about X")
    wanted = {n for n, p in places.items() if p.source != "national" or n in mentioned}
    for name in list(wanted):
        wanted.update(a for a in shared.ancestors(name) if a in places)
    engine_places = {n: p for n, p in places.items() if n in wanted}
    rows["terms"] = _terms(rows["sentences"], engine_places)
    for p in engine_places.values():
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
    rows["gazetteer"] = _gazetteer_rows(places, mentioned)
    return rows


def _teach_jieba(places: dict, named: set[str]) -> None:
    """Make the engine's place names jieba words before names and terms are cut, as the engine does when it
    loads them (engine/query.py): a build then cuts the same whether or not an engine ran in its process
    before, and a village (张武村) is not taken for a person's name."""
    from kb.places import forget_cuts

    tok = tokens.current()
    for place in places.values():
        if place.source != "national" or place.name in named:
            for alias in (place.name, *place.aliases):
                if len(alias) >= 2:
                    tok.add_word(alias, freq=3000)
    forget_cuts()


def _gazetteer_rows(places: dict, mentioned: dict[str, set[str]]) -> list[dict]:
    """Every known place, with who says what its parent is: the merged places (curated, national, found in
    the articles) and the national places whose name is not unique (鼓楼区 of four cities)."""
    out = [
        {
            "code": p.code or None,
            "name": p.name,
            "level": p.level,
            "parent": p.parent,
            "aliases": "|".join(p.aliases),
            "english": "|".join(p.english),
            "source": p.source,
            "parent_source": p.parent_source if p.parent else None,
            "articles": len(mentioned.get(p.name, ())),
        }
        for p in places.values()
    ]
    codes = {p.code for p in places.values() if p.code}
    for row in national_rows():
        if row["code"] not in codes:
            out.append({**row, "level": ENGINE_LEVEL.get(row["level"], row["level"]), "articles": 0})
    return out


def _terms(sentence_rows: list[dict], places: dict) -> list[dict]:
    """Words of the articles with the number of sentences holding each (for typo repair and weights)."""
    df: Counter[str] = Counter()
    for row in sentence_rows:
        df.update(
            {
                w
                for w in tokens.current().lcut(row["text"])
                if 2 <= len(w) <= 6 and re.fullmatch(r"[\u4e00-\u9fff]+", w)
            }
        )
    for p in places.values():
        for name in [p.name, *p.aliases]:
            df[name] += 1
    return [{"term": t, "df": n} for t, n in df.items()]


class BuildRefused(ValueError):
    """The build would lose data that is in the fact base now; the message names each file and why."""


def _previous(db_path: Path, warnings: list[str]) -> dict | None:
    """What the fact base being replaced holds (store.read_summary), or None when there is none to read."""
    if not db_path.exists():
        return None
    try:
        return store.read_summary(db_path)
    except Exception as exc:  # noqa: BLE001 - a broken old base: nothing to compare with, all counted as new
        warnings.append(f"could not compare with the previous fact base ({exc}); all counted as new")
        return None


def _facts_per_file(rows: dict[str, list[dict]]) -> Counter[str]:
    files = {a["id"]: a["file"] for a in rows["articles"]}
    return Counter(files[f["article_id"]] for f in rows["facts"])


def _covered(rows: dict[str, list[dict]]) -> set[str]:
    return {p for s in rows["sentences"] for p in (s["places"] or "").split("|") if p}


def _diff(previous: dict | None, new_rows: dict[str, list[dict]], report: dict) -> None:
    """Articles and facts added, removed and changed against the previous fact base."""
    old_sha = previous["sha"] if previous else {}
    new_files = {a["id"]: a["file"] for a in new_rows["articles"]}
    new_sha = {a["file"]: a["sha1"] for a in new_rows["articles"]}
    report["added_articles"] = sorted(set(new_sha) - set(old_sha))
    report["removed_articles"] = sorted(set(old_sha) - set(new_sha))
    report["changed_articles"] = sorted(f for f in new_sha if f in old_sha and new_sha[f] != old_sha[f])
    old_keys = previous["keys"] if previous else set()
    new_keys = {(new_files[r["article_id"]], r["place"], r["clause"], r["value"]) for r in new_rows["facts"]}
    report["added_facts"], report["removed_facts"] = len(new_keys - old_keys), len(old_keys - new_keys)
    covered = _covered(new_rows)
    notes = []
    for name in report["removed_articles"]:
        gone = sorted(previous["places"][name] - covered)
        note = f"{name}: {previous['facts'][name]} facts"
        if gone:
            note += "; no article left about " + "、".join(gone)
        notes.append(note)
    report["removal_notes"] = notes


def _refuse(problems: list[str]) -> BuildRefused:
    return BuildRefused(
        "refused to lose data in the fact base: "
        + "; ".join(problems)
        + ". Fix the file, delete it to remove the article on purpose, or rebuild with --allow-removal."
    )


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
    articles_dir: str | Path,
    db_path: str | Path,
    validate: Callable[[Path, set[str]], list[str]] | None = None,
    allow_removal: bool = False,
) -> BuildReport:
    """Build into a new file next to `db_path`, check it, validate it, then swap it in.

    Data already in the fact base is never lost by accident: an article in it that has become unreadable
    (truncated, bad encoding, binary, random characters) or would lose more than half its facts fails the
    build, naming the file and why, unless `allow_removal` (then it is dropped or shrunk, with a warning).
    Deleting a file removes its article; the report says what went. A new file that is no article is
    rejected with its reason in `report.rejected`, and the others build.

    `validate` gets the new file and the places the golden questions must still find (those the previous
    base covered through articles still present) and returns problems; any problem (or exception) keeps
    the old fact base in place and the report says why.
    """
    started = time.perf_counter()
    articles_dir, db_path = Path(articles_dir), Path(db_path)
    # unique per build (threads share a pid); a killed build's file is removed by the next build
    tmp = db_path.with_name(f".{db_path.name}.building-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    warnings: list[str] = []
    rejected: dict[str, str] = {}
    try:
        if not articles_dir.is_dir():
            raise ValueError(f"articles folder {articles_dir} does not exist")
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive(db_path, BUILD_WAIT_SECONDS):  # all of it: the last build run reads the newest files
            _remove_stale(db_path, warnings)
            previous = _previous(db_path, warnings)
            known = set(previous["sha"]) if previous else set()
            unreadable: dict[str, str] = {}
            articles = read_articles(articles_dir, warnings, unreadable)
            refused = []
            for name, reason in unreadable.items():
                if name not in known:
                    rejected[name] = reason
                elif allow_removal:
                    warnings.append(f"{name} dropped from the fact base (allowed removal): {reason}")
                else:
                    refused.append(f"{name} is in the fact base but now unreadable: {reason}")
            if previous and not allow_removal:  # a damaged articles.yaml would drop every title, date, home
                refused += [w for w in warnings if w.startswith(f"{METADATA} ignored")]
            if refused:
                raise _refuse(refused)
            if not articles:
                raise ValueError(f"no readable articles in {articles_dir}")
            rows = compile_rows(articles)
            counts = _facts_per_file(rows)
            empty = [a.file for a in articles if not counts[a.file] and a.file not in known]
            if empty:  # a new file without one figure is no article to answer from
                rejected.update(dict.fromkeys(empty, "no sentence with a figure: nothing to answer from"))
                articles = [a for a in articles if a.file not in empty]
                if not articles:
                    raise ValueError(f"no readable articles in {articles_dir}")
                rows = compile_rows(articles)
                counts = _facts_per_file(rows)
            for art in articles:
                before = previous["facts"].get(art.file, 0) if previous else 0
                lost = before - counts[art.file]
                if before and lost > MAX_LOST_SHARE * before:
                    message = f"{art.file} would lose {lost} of its {before} facts ({counts[art.file]} left)"
                    if not allow_removal:
                        refused.append(message)
                    else:
                        warnings.append(message + " (allowed removal)")
            if refused:
                raise _refuse(refused)
            if not rows["facts"]:
                raise ValueError("the articles gave no facts")
            store.write(tmp, rows)
            counts_db = store.check(tmp)
            present = {a.file for a in articles}
            must_cover = set().union(*(previous["places"][f] for f in present & known)) if previous else set()
            problems = validate(tmp, must_cover) if validate else []
            if problems:
                raise ValueError("validation failed: " + "; ".join(problems))
            diff: dict = {}
            _diff(previous, rows, diff)
            store.swap(tmp, db_path)
    except Exception as exc:  # noqa: BLE001 - any failure keeps the old base; the report says why
        log.warning("fact base build failed: %s", exc)
        tmp.unlink(missing_ok=True)
        error = str(exc) or type(exc).__name__
        notes = warnings + [f"{name} rejected: {reason}" for name, reason in rejected.items()]
        if notes:  # e.g. skipped articles are often why validation failed: say so in the one line shown
            error += " (warnings: " + "; ".join(notes) + ")"
        return BuildReport(
            ok=False,
            db_path=str(db_path),
            warnings=warnings,
            rejected=[f"{name}: {reason}" for name, reason in sorted(rejected.items())],
            error=error,
            seconds=time.perf_counter() - started,
        )
    return BuildReport(
        ok=True,
        db_path=str(db_path),
        articles=counts_db["articles"],
        sentences=counts_db["sentences"],
        facts=counts_db["facts"],
        places=counts_db["places"],
        seconds=time.perf_counter() - started,
        warnings=warnings,
        rejected=[f"{name}: {reason}" for name, reason in sorted(rejected.items())],
        **diff,
    )
