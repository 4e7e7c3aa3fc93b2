"""Engine: the one object callers hold. Loads the fact base, answers, reloads."""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

import intents
from engine import answer as finder
from engine.hierarchy import answer_hierarchy
from engine.index import KnowledgeIndex
from engine.normalize import MAX_QUESTION, strip_invisible
from engine.query import QueryParser
from engine.question import Query, follow_up_concepts, title_for_place
from engine.reply import place_label, render_hit
from engine.types import Alternative, Answer, Source
from kb.build import build_kb
from kb.report import BuildReport

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
MAX_SESSIONS = 10_000
_PINNED = re.compile(r"^#s(\d{1,9})$")


def default_db_path() -> Path:
    """The fact base file: $KB_DB or kb/facts.db in the project."""
    return Path(os.environ.get("KB_DB") or ROOT / "kb" / "facts.db")


def default_articles_dir() -> Path:
    """The articles folder: $KB_ARTICLES or kb/articles in the project."""
    return Path(os.environ.get("KB_ARTICLES") or ROOT / "kb" / "articles")


class _Loaded:
    """One consistent generation: fact base index + parser, swapped as a whole on reload."""

    def __init__(self, path: Path, intent_set: intents.IntentSet):
        # stamp first: a file swapped in while we read must look changed to the next reload()
        st = path.stat()
        self.stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        self.index = KnowledgeIndex(path)
        self.parser = QueryParser(intent_set, self.index)


class Engine:
    """Answers questions from a fact base file; safe to share between threads and tasks.

    If the file is missing or unreadable it is built from the articles first (RuntimeError saying why
    when that fails too). `reload()` picks up a file rebuilt by scripts/build_kb.py; a file that cannot
    be read leaves the previous one serving, and `last_error` says what failed.
    """

    def __init__(
        self,
        db_path: str | Path | None = None,
        *,
        articles_dir: str | Path | None = None,
        intents_dir: str | Path | None = None,
    ):
        self.db_path = Path(db_path) if db_path else default_db_path()
        self.articles_dir = Path(articles_dir) if articles_dir else default_articles_dir()
        self.intents = intents.load(intents_dir) if intents_dir else intents.load()
        self._lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._sessions: OrderedDict[str, Query] = OrderedDict()
        self.last_error: str | None = None
        if not self.db_path.exists():
            self._first_build(f"fact base {self.db_path} is missing")
            return
        try:
            self._state = _Loaded(self.db_path, self.intents)
        except Exception as exc:  # noqa: BLE001 - truncated, garbage or locked: the articles are the source
            log.warning("fact base %s cannot be read (%s); building it from the articles", self.db_path, exc)
            self._first_build(f"fact base {self.db_path} cannot be read ({exc})")

    def _first_build(self, problem: str) -> None:
        """Build the fact base at start-up; raise RuntimeError naming the problem if that fails."""
        report = self.rebuild()
        if not report.ok:
            raise RuntimeError(f"{problem} and could not be built from {self.articles_dir}: {report.error}")

    # ---- answering ---------------------------------------------------------------------------
    def ask(self, question: str, session: str | None = None) -> Answer:
        """Answer one question; `session` keeps follow-up context ("那沁阳呢") per chat."""
        state = self._state  # one generation for the whole question, even if a reload swaps it
        text = strip_invisible(question) if isinstance(question, str) else ""
        zh = self.intents.replies["zh"]
        if not text:
            return Answer(False, zh["empty"], "empty")
        if len(text) > MAX_QUESTION:
            return Answer(False, zh["too_long"].format(limit=MAX_QUESTION), "too_long")
        if not re.search(r"[\w\u4e00-\u9fff]", text):
            return Answer(False, zh["unreadable"], "unreadable")
        pinned = _PINNED.match(text)
        if pinned:
            return self._pinned(state, int(pinned.group(1)))
        q = state.parser.parse(text)
        t = self.intents.replies[q.lang]
        if q.smalltalk:
            return Answer(False, t[q.smalltalk], q.smalltalk, lang=q.lang, confidence=1.0)
        gazetteer_answer = answer_hierarchy(text, state.index, q.lang)  # 沁县属于哪个省; 奉节县: no articles
        if gazetteer_answer is not None:
            return gazetteer_answer
        q = self._with_context(q, session)
        result = self._answer(state, q, t)
        if session is not None and not q.smalltalk and (q.concepts or q.title):
            self._remember(session, q)
        return result

    def _with_context(self, q: Query, session: str | None) -> Query:
        last = self._sessions.get(session) if session is not None else None
        if not last or not q.followup:
            return q
        merged = replace(
            last,
            text=q.text,
            lang=q.lang,
            places=q.places or last.places,
            unknown_place=q.unknown_place,
            year=q.year if q.year is not None else (None if q.places else last.year),
            title=q.title or last.title,
            concepts=follow_up_concepts(last.concepts, q.concepts),
            body=q.body if q.concepts else last.body,
            unit_class=q.unit_class or last.unit_class,
            qtype=q.qtype if q.typed else ("who" if q.title else last.qtype),
        )
        return merged

    def _remember(self, session: str, q: Query) -> None:
        with self._lock:
            self._sessions[session] = q
            self._sessions.move_to_end(session)
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)

    def _answer(self, state: _Loaded, q: Query, t: dict[str, str]) -> Answer:
        index = state.index
        covered = [place_label(p.name, q.lang, index) for p in index.covered_places()[:8]]
        if q.unknown_place or (q.place and q.place not in index.by_place):
            where = q.unknown_place or place_label(q.place, q.lang, index)
            return Answer(
                False,
                t["unknown_place"].format(place=where, places="、".join(covered)),
                "unknown_place",
                place=q.place,
                lang=q.lang,
            )
        if not q.concepts and not q.title:
            return self._not_found(state, q, t)
        q = replace(q, title=title_for_place(q.title, q.place))
        if q.qtype == "compare" and len(q.places) >= 2:
            return self._compare(state, q, t)
        hits = finder.find(q, index)
        if q.lang == "en" and len(q.extra.get("unmatched", ())) > len(q.concepts):
            hits = []  # more of the question not understood than understood: an honest "I don't know"
        if not hits:
            return self._not_found(state, q, t)
        best = hits[0]
        text = render_hit(q, best, index, t)
        place = q.place or (best.sentence.places[0] if best.sentence.places else None)
        alternatives = [
            Alternative(
                f"{h.sentence.places[0] if h.sentence.places else ''} {h.value}"[:40], f"#s{h.sentence.id}"
            )
            for h in hits[1:6]
            if h.value != best.value and h.sentence.id != best.sentence.id and best.score - h.score < 0.05
        ][:3]
        return Answer(
            True,
            text,
            q.qtype,
            place=place,
            confidence=round(min(1.0, best.score / 1.6), 3),
            sources=[Source(index.article_title(best.sentence.article_id), best.sentence.text)],
            alternatives=alternatives,
            lang=q.lang,
            year=best.year,
            value=best.value,
        )

    def _compare(self, state: _Loaded, q: Query, t: dict[str, str]) -> Answer:
        rows, missing = [], []
        for place in q.places[:2]:
            sub = replace(q, places=(place,), qtype="how_many")
            hits = finder.find(sub, state.index)
            if hits and hits[0].fact:
                rows.append((place, hits[0]))
            else:
                missing.append(place)

        def line(place: str, hit: finder.Hit) -> str:
            return t["compare_line"].format(
                place=place_label(place, q.lang, state.index), value=hit.value, quote=hit.quote
            )

        if len(rows) == 1:  # one figure only: give it, and say the other is missing (no comparison made up)
            (place, hit), label = rows[0], place_label(missing[0], q.lang, state.index)
            return Answer(
                True,
                t["compare_partial"].format(line=line(place, hit), missing=label),
                "compare",
                place=place,
                confidence=0.6,
                lang=q.lang,
                value=hit.value,
                sources=[Source(state.index.article_title(hit.sentence.article_id), hit.sentence.text)],
            )
        if not rows:
            return self._not_found(state, q, t)
        classes = {h.fact.unit_class for _, h in rows}
        if len(classes) != 1:
            return self._not_found(state, q, t)
        rows.sort(key=lambda ph: -ph[1].fact.amount)
        lines = "；".join(line(p, h) for p, h in rows)
        text = t["compare"].format(winner=place_label(rows[0][0], q.lang, state.index), lines=lines)
        return Answer(
            True,
            text,
            "compare",
            place=rows[0][0],
            confidence=0.8,
            lang=q.lang,
            sources=[
                Source(state.index.article_title(h.sentence.article_id), h.sentence.text) for _, h in rows
            ],
            value=rows[0][1].value,
        )

    def _not_found(self, state: _Loaded, q: Query, t: dict[str, str]) -> Answer:
        what = f"“{q.text}”"
        if q.year is not None:
            relaxed = finder.find(replace(q, year=None), state.index)
            if relaxed:
                return Answer(
                    False,
                    t["wrong_year"].format(
                        place=place_label(q.place, q.lang, state.index) or "", year=q.year
                    ),
                    "wrong_year",
                    place=q.place,
                    lang=q.lang,
                )
        topics = self.suggest(state, q)
        text = t["not_found"].format(what=what)
        if topics:
            text += "\n" + t["suggest"].format(topics="；".join(a.label for a in topics))
        return Answer(
            False, text, q.qtype if q.concepts else "unknown", place=q.place, lang=q.lang, alternatives=topics
        )

    def suggest(self, state: _Loaded, q: Query) -> list[Alternative]:
        """Close topics for a question with no answer: sentences holding some of its words."""
        scored = []
        pool = state.index.by_place.get(q.place, []) if q.place else []
        if not pool:  # only sentences holding one of the question's words can score (not all 50,000)
            pool = set().union(*(state.index.containing(m) for c in q.concepts for m in c.members))
        for sid in pool:
            s = state.index.sentences[sid]
            cov = finder.coverage(s, q.concepts)
            if cov > 0 and state.index.facts.get(sid):
                scored.append((cov, s))
        scored.sort(key=lambda cs: (-cs[0], cs[1].id))
        out = []
        for _, s in scored[:3]:
            f = state.index.facts[s.id][0]
            out.append(Alternative(f"{s.places[0] if s.places else ''}：{f.clause}"[:40], f"#s{s.id}"))
        return out

    def _pinned(self, state: _Loaded, sid: int) -> Answer:
        s = state.index.sentences.get(sid)
        zh = self.intents.replies["zh"]
        if not s:
            return Answer(False, zh["not_found"].format(what=f"#{sid}"), "unknown")
        title = state.index.article_title(s.article_id)
        place = s.places[0] if s.places else None
        return Answer(
            True,
            zh["text"].format(place=place or "", year="", quote=s.text, article=title),
            "pinned",
            place=place,
            confidence=1.0,
            sources=[Source(title, s.text)],
        )

    # ---- state -------------------------------------------------------------------------------
    def reset(self, session: str) -> None:
        """Forget the follow-up context of one session."""
        with self._lock:
            self._sessions.pop(session, None)

    def topics(self) -> dict[str, list[str]]:
        """Places and subjects the fact base covers: {"places": [...], "subjects": [...]}."""
        index = self._state.index
        return {
            "places": [p.name for p in index.covered_places() if p.level in ("city", "county", "district")],
            "subjects": [a["title"] for a in index.articles.values()],
        }

    def reload(self) -> bool:
        """Load the fact base file again if it changed on disk; keep the old one on any error."""
        with self._reload_lock:  # two reloads at once could otherwise leave the older file serving
            try:
                st = self.db_path.stat()
                if (st.st_ino, st.st_mtime_ns, st.st_size) == self._state.stamp:
                    return False
                fresh = _Loaded(self.db_path, self.intents)
            except Exception as exc:  # noqa: BLE001 - a bad file must never stop the old one serving
                self.last_error = f"reload failed, previous fact base still serving: {exc}"
                log.warning(self.last_error)
                return False
            self._state = fresh
            self.last_error = None
            return True

    def rebuild(self, articles_dir: str | Path | None = None) -> BuildReport:
        """Build the fact base from the articles (same code as scripts/build_kb.py), then reload."""
        report = build(articles_dir or self.articles_dir, self.db_path, self.intents)
        if not report.ok:
            if hasattr(self, "_state"):
                self.last_error = f"rebuild failed, previous fact base still serving: {report.error}"
            return report
        if not hasattr(self, "_state"):
            self._state = _Loaded(self.db_path, self.intents)
        elif not self.reload() and self.last_error:  # built and swapped in, but this engine could not load it
            report = replace(report, warnings=[*report.warnings, self.last_error])
        return report


GOLDEN = ROOT / "kb" / "golden.yaml"


def validate(path: Path, intent_set: intents.IntentSet, must_cover: set[str] | None = None) -> list[str]:
    """Problems with a freshly built fact base: golden questions it can no longer answer.

    A golden question whose place has no article is skipped only when that was expected: its articles were
    deleted (or dropped with --allow-removal), or it never had one. `must_cover` are the places the
    previous fact base covered through articles still present; one of them gone is a problem.
    """
    import yaml

    problems = []
    try:
        loaded = _Loaded(path, intent_set)
    except Exception as exc:  # noqa: BLE001
        return [f"cannot load: {exc}"]
    golden = yaml.safe_load(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else []
    for row in golden or []:
        place = row.get("place")
        if place and place not in loaded.index.by_place:
            if place in (must_cover or ()):
                problems.append(
                    f"golden question {row['q']} cannot be asked: no sentence is about {place} now"
                )
            continue  # that place's articles were removed on purpose
        q = loaded.parser.parse(row["q"])
        if not finder.find(q, loaded.index):
            problems.append(f"golden question no longer answered: {row['q']}")
    return problems


def build(
    articles_dir: str | Path,
    db_path: str | Path,
    intent_set: intents.IntentSet | None = None,
    *,
    allow_removal: bool = False,
) -> BuildReport:
    """The admin's rebuild: build, validate with the golden questions, swap in. Old base kept on failure.

    `allow_removal` lets articles already in the fact base shrink or be dropped (scripts/build_kb.py
    --allow-removal); without it such a loss fails the build."""
    intent_set = intent_set or intents.load()
    return build_kb(
        articles_dir,
        db_path,
        validate=lambda p, must_cover: validate(p, intent_set, must_cover),
        allow_removal=allow_removal,
    )
