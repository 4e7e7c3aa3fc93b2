"""The console chat (python -m bot without a token): same engine, same follow-ups, /source and /topics."""

import io

from bot.console import chat


def _run(engine, lines: list[str]) -> str:
    out = io.StringIO()
    assert chat(engine, io.StringIO("\n".join(lines) + "\n"), out, session="console-test") == 0
    return out.getvalue()


def test_console_answers_follows_up_and_shows_the_source(engine):
    out = _run(
        engine,
        [
            "汝阳县贫困村有多少个",
            "那沁县呢",
            "沁阳有多少所大学",
            "/source",
            "/topics",
            "",
            "/quit",
            "汝阳县未脱贫人口有多少",
        ],
    )
    assert "汝阳县" in out and "78个" in out
    assert "沁县" in out and "179" in out  # the follow-up kept the question, changed the place
    assert "抱歉" in out  # an honest no for the university question
    assert "《打赢脱贫攻坚战" in out.split("抱歉")[1]  # /source still shows the last answer found (沁县)
    assert "地区 Places:" in out and "沁阳市" in out
    assert "5155" not in out  # nothing is read after /quit


def test_console_help_and_bad_input(engine):
    out = _run(engine, ["/help", "😀😀", "'; DROP TABLE facts; --"])
    assert "例如" in out and "没看懂" in out
