"""Two builds of the same articles in one process give the same fact base, whatever ran in between (an
engine that taught its tokenizer this fact base's words, another build): no jieba global state leaks."""

from engine import Engine
from engine.core import build
from kb import store


def _rows(path):
    rows = store.read_all(path)
    return {t: sorted(map(repr, rows[t])) for t in ("sentences", "facts", "places", "terms")}


def test_builds_are_alike_whatever_ran_before(tmp_path, articles_copy):
    first = tmp_path / "a.db"
    assert build(articles_copy, first).ok
    engine = Engine(first, articles_dir=articles_copy)  # loads a parser that teaches its tokenizer words
    assert engine.ask("汝阳县未脱贫人口有多少").found
    (articles_copy / "extra.txt").write_text(
        "兰考县脱贫攻坚综述\n兰考县今年新建扶贫车间35个，带动贫困群众1200人就业。\n", encoding="utf-8"
    )
    assert build(articles_copy, tmp_path / "b.db").ok  # a build that taught its own tokenizer 兰考县
    (articles_copy / "extra.txt").unlink()
    second = tmp_path / "c.db"
    assert build(articles_copy, second, allow_removal=True).ok
    assert _rows(first) == _rows(second)
