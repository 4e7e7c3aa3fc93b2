#!/usr/bin/env python3
"""Load test of the Telegram bot against the fake Bot API (tests/fake_bot_api.py) on 127.0.0.1.

  python scripts/bench_load.py                           500 messages from 100 chats, both runs
  python scripts/bench_load.py --messages 40 --chats 8 --json out.json
  python scripts/bench_load.py --mode reload             steady load, without and with a /reload
  python scripts/bench_load.py --mode reload --articles 100   the same on a 100-article synthetic corpus
  python scripts/bench_load.py --mode reload --edit      an article about a new county added before the /reload

The real bot (bot.app.build_app, long polling) answers M messages pushed at once from C private chats,
once without a rate limiter (raw capacity) and once with AIORateLimiter (Telegram's limits: about 30
messages per second overall). Figures: messages per second from the first push to the last reply,
latency p50/p99 from push to the bot's sendMessage reaching the fake server (under the burst that is
mostly time spent queueing), and the latency of single messages sent one at a time (idle). The engine
alone answers the same questions first, to show whether it is the bottleneck. The fake server runs
in this process (threads), so it competes with the bot for the CPU and the GIL: the raw figures are
a lower bound. Everything is bounded in count and time and stops by itself.

--mode reload: a steady load instead of a burst (--rate messages per second from --chats chats for
--seconds), run twice on the same bot: once as it is, once with an admin's /reload (the real
rebuild: scripts/build_kb.py in a child process, then the load of the new fact base) pushed when a
third of the messages have gone out, the load going on until 2 s after the new fact base serves
(that run first, after an unmeasured 5 s warm-up run; the run without a reload then lasts as long).
Figures: latency p50/p99/max of each run, the ratio of the two p99s (the target: at most 1.5), how
long the rebuild took meanwhile, and the event loop's lag (how late a 10 ms sleep wakes up: a
blocked loop shows here). The fact base is loaded after bot.app.freeze_libraries(), as python -m
bot does. On a shared machine the figures vary from run to run; run it a few times.

Without --edit the /reload rebuilds the same articles (a new file with the same content, which the bot
loads all the same); with --edit a short article about 兰考县, a county no other article names, is
added just before it, so the new fact base has a place, words and gazetteer rows the old one lacks.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts._bootstrap import ensure_environment  # noqa: E402

ensure_environment()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

from scripts.bench import percentile  # noqa: E402
from tests.fake_bot_api import FakeBotApi  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
FALLBACK = ROOT / "tests" / "data" / "bench_questions.txt"
EDIT_NAME = "lankao-2020-bench-edit.txt"  # --edit: an article about a county no shipped article names
EDIT_TEXT = (
    "兰考县脱贫攻坚综述\n\n兰考县总面积1116平方公里。兰考县共有贫困村115个，兰考县驻村第一书记345名。"
    "兰考县贫困发生率降至1.27%。\n"
)


class TimedBotApi(FakeBotApi):
    """The fake Bot API, also noting when each sendMessage arrives and for which chat."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: list[tuple[float, int]] = []
        self._replies_lock = threading.Lock()

    def handle(self, method: str, params: dict):
        arrived = time.perf_counter()
        result = super().handle(method, params)
        if method == "sendMessage":
            with self._replies_lock:
                self.replies.append((arrived, int(params["chat_id"])))
        return result

    def forget(self) -> None:
        """Drop the replies noted so far (the warm-up)."""
        with self._replies_lock:
            self.replies.clear()

    def reply_count(self, chats: set[int]) -> int:
        with self._replies_lock:
            return sum(1 for _, c in self.replies if c in chats)

    def replies_for(self, chats: set[int]) -> list[tuple[float, int]]:
        with self._replies_lock:
            return [r for r in self.replies if r[1] in chats]


def read_questions(path: str | Path | None = None) -> list[str]:
    """Question texts: the given file, else ../shared/eval/dev.jsonl, else tests/data/bench_questions.txt."""
    path = Path(path) if path else (DEV if DEV.exists() else FALLBACK)
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        out.append(json.loads(line)["q"] if line.startswith("{") else line.split("\t")[-1])
    return out


def plan(questions: list[str], messages: int, chats: int, first_chat: int) -> list[tuple[int, str]]:
    """(chat id, question) for each message: chats take turns, each walking the questions."""
    return [
        (first_chat + k % chats, questions[(k * 7 + k // chats) % len(questions)]) for k in range(messages)
    ]


def engine_throughput(engine, messages: list[tuple[int, str]]) -> dict:
    """The engine alone on the same questions (same sessions): questions per second and mean ms."""
    for chat, q in messages[:20]:  # warm
        engine.ask(q, session=f"warm{chat}")
    started = time.perf_counter()
    for chat, q in messages:
        engine.ask(q, session=f"engine{chat}")
    seconds = time.perf_counter() - started
    return {
        "questions": len(messages),
        "seconds": round(seconds, 4),
        "questions_per_s": round(len(messages) / seconds, 1),
        "mean_ms": round(seconds / len(messages) * 1000, 3),
    }


async def _wait(api: TimedBotApi, chats: set[int], count: int, deadline: float) -> bool:
    while time.perf_counter() < deadline:
        if api.reply_count(chats) >= count:
            return True
        await asyncio.sleep(0.005)
    return False


@contextlib.asynccontextmanager
async def _serving(
    engine, api: TimedBotApi, workdir: Path, label: str, *, rate_limit: bool, admin_ids=frozenset()
):
    """The real bot (bot.app.build_app, long polling) serving `api`, with its own question log and inbox
    (each run a fresh inbox: the fake's update ids restart), stopped on the way out."""
    from bot.app import build_app
    from bot.config import Settings

    settings = Settings(
        token="123:TEST",
        base_url=api.base_url,
        admin_ids=frozenset(admin_ids),
        question_log=str(workdir / f"questions-{label}.db"),
        state_db=str(workdir / f"bot-{label}.db"),
        reload_seconds=3600,
    )
    app = build_app(settings, engine, rate_limit=rate_limit)
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


async def bot_run(
    engine, messages: list[tuple[int, str]], *, rate_limit: bool, idle: int, workdir: Path, timeout: float
) -> dict:
    """One run of the bot against a fresh fake Bot API: idle round trips, then the burst."""
    label = "rate_limited" if rate_limit else "raw"
    with TimedBotApi() as api:
        async with _serving(engine, api, workdir, label, rate_limit=rate_limit):
            return await _measure(api, messages, idle=idle, timeout=timeout, label=label)


async def _measure(
    api: TimedBotApi, messages: list[tuple[int, str]], *, idle: int, timeout: float, label: str
) -> dict:
    idle_ms = []
    idle_chat = {1}
    for k in range(idle):  # one message at a time: the bot's own round trip (also warms the connections)
        pushed = time.perf_counter()
        api.message(1, messages[k % len(messages)][1])
        if not await _wait(api, idle_chat, k + 1, pushed + 10):
            break
        idle_ms.append((api.replies_for(idle_chat)[k][0] - pushed) * 1000)
    chats = {c for c, _ in messages}
    pushes: dict[int, list[float]] = {}
    started = time.perf_counter()
    for chat, question in messages:
        pushes.setdefault(chat, []).append(time.perf_counter())
        api.message(chat, question)
    complete = await _wait(api, chats, len(messages), started + timeout)
    replies = api.replies_for(chats)
    latencies = []
    seen: dict[int, int] = {}
    for arrived, chat in replies:  # a chat's replies come in the order of its messages
        n = seen.get(chat, 0)
        seen[chat] = n + 1
        if n < len(pushes.get(chat, ())):
            latencies.append((arrived - pushes[chat][n]) * 1000)
    last = max((t for t, _ in replies), default=started)
    seconds = max(last - started, 1e-9)
    print(f"[load] {label}: {len(replies)}/{len(messages)} replies in {seconds:.2f}s", file=sys.stderr)
    out = {
        "messages": len(messages),
        "chats": len(chats),
        "replied": len(replies),
        "complete": complete,
        "seconds": round(seconds, 3),
        "messages_per_s": round(len(replies) / seconds, 1),
    }
    if latencies:
        out.update(
            p50_ms=round(percentile(latencies, 50), 1),
            p99_ms=round(percentile(latencies, 99), 1),
            max_ms=round(max(latencies), 1),
        )
    if idle_ms:
        out["idle_p50_ms"] = round(percentile(idle_ms, 50), 1)
        out["idle_messages"] = len(idle_ms)
    return out


MAX_STEADY_MESSAGES = 20_000


def _reloaded(api: TimedBotApi, admin: int, rate: float, k: int) -> bool:
    """The /reload has been answered at least 2 s (of messages at `rate`) ago."""
    if not api.replies_for({admin}):
        return False
    _reloaded_at.setdefault(id(api), k)
    return k - _reloaded_at[id(api)] >= 2 * rate


_reloaded_at: dict[int, int] = {}


async def _loop_lag(out: list[tuple[float, float]], every: float = 0.01) -> None:
    """How late the event loop wakes a task that sleeps `every` seconds: (when, ms late) per wake."""
    while True:
        due = time.perf_counter() + every
        await asyncio.sleep(every)
        now = time.perf_counter()
        out.append((now, (now - due) * 1000))


async def steady_run(
    engine,
    questions: list[str],
    *,
    rate: float,
    seconds: float,
    chats: int,
    reload: bool,
    workdir: Path,
    label: str,
    edit: bool = False,
) -> dict:
    """A steady load (`rate` messages/s from `chats` chats for `seconds`), with or without an admin's
    /reload after a third of it (`edit`: an article added just before); latency of each reply from its
    push (per chat, in order)."""
    admin = 7
    with TimedBotApi() as api:
        async with _serving(engine, api, workdir, label, rate_limit=False, admin_ids={admin}) as app:
            # warm up, unmeasured: every chat once (its first message sets things up), then a
            # second of the load itself, so that both runs measure a bot already serving
            warm = [(1, questions[k % len(questions)]) for k in range(10)]
            warm += [(5000 + c, questions[c % len(questions)]) for c in range(chats)]
            for chat, question in warm:
                api.message(chat, question)
            await _wait(api, {c for c, _ in warm}, len(warm), time.perf_counter() + 60)
            for k in range(int(rate)):
                await asyncio.sleep(1 / rate)
                api.message(5000 + k % chats, questions[k % len(questions)])
            await _wait(api, {c for c, _ in warm}, len(warm) + int(rate), time.perf_counter() + 60)
            api.forget()
            lags: list[tuple[float, float]] = []
            lag_task = asyncio.create_task(_loop_lag(lags))
            planned = int(rate * seconds)
            chat_ids: set[int] = set()
            pushes: dict[int, list[float]] = {}
            reload_at = planned // 3 if reload else -1
            reload_pushed = None
            started = time.perf_counter()
            k = 0
            # the load goes on until the planned count is out and, with a reload, until 2 s after the
            # new fact base serves (so the in-process load of the new base is measured too)
            while k < planned or (reload and k < MAX_STEADY_MESSAGES and not _reloaded(api, admin, rate, k)):
                chat, question = 5000 + k % chats, questions[(k * 7 + k // chats) % len(questions)]
                delay = started + k / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                if k == reload_at:
                    if edit:
                        (engine.articles_dir / EDIT_NAME).write_text(EDIT_TEXT, encoding="utf-8")
                    reload_pushed = time.perf_counter()
                    api.message(admin, "/reload", user_id=admin)
                chat_ids.add(chat)
                pushes.setdefault(chat, []).append(time.perf_counter())
                api.message(chat, question)
                k += 1
            total = k
            lag_task.cancel()
            complete = await _wait(api, chat_ids, total, time.perf_counter() + 60)
            reload_s = text = None
            if reload_pushed is not None and await _wait(api, {admin}, 1, time.perf_counter() + 120):
                reload_s = api.replies_for({admin})[0][0] - reload_pushed
                text = next(p["text"] for p in api.sent() if int(p["chat_id"]) == admin)
                if "Fact base built" not in text:
                    raise RuntimeError(f"/reload failed: {text}")
        app.bot_data["store"].close()
    latencies, during, series = [], [], []
    seen: dict[int, int] = {}
    for arrived, chat in api.replies_for(chat_ids):
        n = seen.get(chat, 0)
        seen[chat] = n + 1
        if n < len(pushes.get(chat, ())):
            pushed = pushes[chat][n]
            latencies.append((arrived - pushed) * 1000)
            series.append((round(pushed - started, 3), round(latencies[-1], 1)))
            if (
                reload_pushed is not None
                and reload_s is not None
                and reload_pushed <= pushed <= reload_pushed + reload_s + 1
            ):
                during.append(latencies[-1])
    out = {
        "messages": total,
        "seconds": round(total / rate, 1),
        "replied": len(latencies),
        "complete": complete,
        "rate": rate,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(max(latencies), 1),
    }
    if lags:
        out["loop_lag_p99_ms"] = round(percentile([ms for _, ms in lags], 99), 1)
        out["loop_lag_max_ms"] = round(max(ms for _, ms in lags), 1)
        out["loop_lag_series"] = [(round(t - started, 2), round(ms, 1)) for t, ms in lags if ms > 20]
    out["series"] = sorted(series)  # (seconds from the start, latency ms) per message, for plots
    if reload:
        out["reload_pushed_s"] = round(reload_pushed - started, 3) if reload_pushed is not None else None
        out["reload_s"] = round(reload_s, 2) if reload_s is not None else None
        out["reload_report"] = text  # what the admin was told
        out["during_reload"] = len(during)
        if during:
            out["during_reload_p99_ms"] = round(percentile(during, 99), 1)
    shown = {k: v for k, v in out.items() if not k.endswith(("series", "report"))}
    print(f"[load] {label}: {shown}", file=sys.stderr)
    return out


def run_reload(
    db: str | Path | None = None,
    *,
    rate: float = 20.0,
    seconds: float = 15.0,
    chats: int = 50,
    articles: int = 0,
    questions_file: str | Path | None = None,
    edit: bool = False,
) -> dict:
    """The reload test: the same steady load without and with a /reload (see the module docstring)."""
    import shutil

    from engine import Engine
    from engine.core import build

    logging.getLogger("httpx").setLevel(logging.WARNING)
    questions = read_questions(questions_file)
    with tempfile.TemporaryDirectory(prefix="bench-reload-") as tmp:
        workdir = Path(tmp)
        folder = workdir / "articles"
        if articles:
            from scripts.synth_corpus import write_corpus

            write_corpus(folder, articles)
        else:
            shutil.copytree(ROOT / "kb" / "articles", folder)
        served = workdir / "facts.db"
        if db is not None and not articles:
            shutil.copy(db, served)
        else:
            report = build(folder, served)
            if not report.ok:
                raise RuntimeError(report.summary())
        from bot.app import freeze_libraries

        freeze_libraries()  # as python -m bot does before it loads the fact base
        engine = Engine(served, articles_dir=folder)
        result: dict = {
            "rate": rate,
            "seconds": seconds,
            "chats": chats,
            "articles": articles or 5,
            "edit": edit,
        }
        asyncio.run(  # a short run first, unmeasured: the first run in a process is slower
            steady_run(
                engine,
                questions,
                rate=rate,
                seconds=5,
                chats=chats,
                reload=False,
                workdir=workdir,
                label="warm-up",
            )
        )
        result["with_reload"] = asyncio.run(
            steady_run(
                engine,
                questions,
                rate=rate,
                seconds=seconds,
                chats=chats,
                reload=True,
                workdir=workdir,
                label="reload",
                edit=edit,
            )
        )
        result["steady"] = asyncio.run(  # as long as the reload run went on, for a like-for-like p99
            steady_run(
                engine,
                questions,
                rate=rate,
                seconds=result["with_reload"]["seconds"],
                chats=chats,
                reload=False,
                workdir=workdir,
                label="steady",
            )
        )
    base, loaded = result["steady"]["p99_ms"], result["with_reload"]["p99_ms"]
    result["p99_ratio"] = round(loaded / base, 2) if base else None
    result["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def describe_reload(result: dict) -> str:
    a, b = result["steady"], result["with_reload"]
    lines = [
        f"Reload under load: {result['rate']:.0f} messages/s from {result['chats']} chats, "
        f"{result['articles']} articles"
        + (" (one about a new county added before the /reload)" if result.get("edit") else "")
        + ", fake Bot API on 127.0.0.1, no rate limiter",
        f"  without /reload ({a['seconds']:.0f} s): p50 {a['p50_ms']:.1f} ms, p99 {a['p99_ms']:.1f} ms, max {a['max_ms']:.1f} ms "
        f"({a['replied']}/{a['messages']} replies)",
        f"  with /reload after a third, until 2 s after it ({b['seconds']:.0f} s): p50 {b['p50_ms']:.1f} ms, p99 {b['p99_ms']:.1f} ms, max {b['max_ms']:.1f} ms "
        f"({b['replied']}/{b['messages']} replies); the rebuild took {b.get('reload_s') or 0:.2f} s, "
        f"{b.get('during_reload', 0)} messages were pushed meanwhile or within 1 s after"
        + (f" (their p99 {b['during_reload_p99_ms']:.1f} ms)" if b.get("during_reload_p99_ms") else ""),
        f"  event loop lag, max: {a.get('loop_lag_max_ms', 0):.0f} ms without, "
        f"{b.get('loop_lag_max_ms', 0):.0f} ms with the reload",
        f"  p99 with / without: {result['p99_ratio']}x (target at most 1.5x)",
    ]
    return "\n".join(lines)


def run(
    db: str | Path | None = None,
    messages: int = 500,
    chats: int = 100,
    idle: int = 20,
    questions_file: str | Path | None = None,
    modes: tuple[str, ...] = ("raw", "rate_limited"),
    timeout: float | None = None,
) -> dict:
    """The whole load test; returns the figures (see the module docstring)."""
    from engine import Engine
    from engine.core import build

    logging.getLogger("httpx").setLevel(logging.WARNING)
    questions = read_questions(questions_file)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        workdir = Path(tmp)
        if db is None:
            db = workdir / "facts.db"
            report = build(ROOT / "kb" / "articles", db)
            if not report.ok:
                raise RuntimeError(report.summary())
        engine = Engine(db)
        burst = plan(questions, messages, chats, first_chat=1000)
        result: dict = {"messages": messages, "chats": chats, "engine": engine_throughput(engine, burst)}
        for mode in modes:
            limit = timeout or (20 + messages / (25 if mode == "rate_limited" else 50))
            result[mode] = asyncio.run(
                bot_run(
                    engine,
                    burst,
                    rate_limit=mode == "rate_limited",
                    idle=idle,
                    workdir=workdir,
                    timeout=limit,
                )
            )
    result["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def describe(result: dict) -> str:
    """The figures as lines of text."""
    eng = result["engine"]
    lines = [
        f"Telegram load test: {result['messages']} messages from {result['chats']} chats pushed at once to the "
        "fake Bot API on 127.0.0.1",
        f"  engine alone, same questions: {eng['questions_per_s']:.0f} questions/s ({eng['mean_ms']:.2f} ms each)",
    ]
    names = {
        "raw": "bot, no rate limiter (raw capacity)",
        "rate_limited": "bot with AIORateLimiter (30 msg/s once its first 30 have gone out at once)",
    }
    for mode, name in names.items():
        r = result.get(mode)
        if not r:
            continue
        done = (
            ""
            if r["complete"]
            else f"  INCOMPLETE: {r['replied']}/{r['messages']} replies before the time limit"
        )
        lines.append(
            f"  {name}: {r['messages_per_s']:.1f} messages/s, latency p50 {r.get('p50_ms', 0):.0f} ms, "
            f"p99 {r.get('p99_ms', 0):.0f} ms under the burst; one message at a time "
            f"{r.get('idle_p50_ms', 0):.0f} ms{done}"
        )
    if result.get("raw") and eng["questions_per_s"] > 3 * result["raw"]["messages_per_s"]:
        share = result["raw"]["messages_per_s"] / eng["questions_per_s"] * 100
        lines.append(
            f"  the engine is not the bottleneck: it needs ~{share:.0f}% of the time the bot spends per "
            "message (the rest is Telegram plumbing: polling, handlers, HTTP, question log)"
        )
    lines.append(f"  peak RSS of this bot process: {result['rss_mb']:.0f} MB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=500, help="messages in the burst (default 500)")
    ap.add_argument(
        "--chats", type=int, default=100, help="distinct private chats sending them (default 100)"
    )
    ap.add_argument(
        "--idle", type=int, default=20, help="single messages sent one at a time first (default 20)"
    )
    ap.add_argument("--db", help="fact base to serve (default: build the shipped articles into a temp dir)")
    ap.add_argument(
        "--questions",
        help="questions file (default ../shared/eval/dev.jsonl or tests/data/bench_questions.txt)",
    )
    ap.add_argument(
        "--mode",
        choices=("both", "raw", "rate_limited", "reload"),
        default="both",
        help="which runs (default both; reload: steady load without and with a /reload)",
    )
    ap.add_argument("--rate", type=float, default=20.0, help="reload mode: messages per second (default 20)")
    ap.add_argument("--seconds", type=float, default=15.0, help="reload mode: seconds of load (default 15)")
    ap.add_argument(
        "--articles", type=int, default=0, help="reload mode: a synthetic corpus of this many articles"
    )
    ap.add_argument(
        "--edit",
        action="store_true",
        help="reload mode: add an article about a new county just before the /reload",
    )
    ap.add_argument(
        "--timeout", type=float, help="seconds each run may take (default from the message count)"
    )
    ap.add_argument("--json", help="also write the figures as JSON to this file")
    args = ap.parse_args(argv)
    if args.messages < 1 or args.chats < 1 or args.messages > 100_000:
        ap.error("--messages must be 1..100000 and --chats at least 1")
    if args.mode == "reload":
        chats = args.chats if args.chats != 100 else 50
        result = run_reload(
            args.db,
            rate=args.rate,
            seconds=args.seconds,
            chats=chats,
            articles=args.articles,
            questions_file=args.questions,
            edit=args.edit,
        )
        print(describe_reload(result))
        if args.json:
            Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        return 0
    modes = ("raw", "rate_limited") if args.mode == "both" else (args.mode,)
    result = run(
        args.db, min(args.messages, 100_000), args.chats, args.idle, args.questions, modes, args.timeout
    )
    print(describe(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
