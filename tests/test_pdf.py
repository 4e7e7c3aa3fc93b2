"""PDF articles (issue 9, point 3): build_kb reads .pdf beside .txt with pdfminer.six, then cleans the text
with kb/clean.py like any other. The PDFs are made here with reportlab's built-in CID font STSong-Light
(no font file to download), narrow columns so that lines break mid-word as on a newspaper page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from engine import Engine
from engine.core import build
from kb.intake import Unreadable, read_text

ROOT = Path(__file__).resolve().parent.parent
LANKAO = ROOT / "tests" / "data" / "unseen" / "articles" / "lankao-2017-poverty-exit-review.txt"
RUYANG = "luoyang-2020-ruyang-exit-reserve-pork-health.txt"


def make_pdf(text: str, path: Path, width: int = 30) -> Path:
    """A PDF of `text` in STSong-Light, `width` characters a line, paragraphs apart, pages as needed."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("STSong-Light", 11)
    y = 800
    for para in text.splitlines():
        while para:
            line, para = para[:width], para[width:]
            page.drawString(60, y, line)
            y -= 15
            if y < 60:
                page.showPage()
                page.setFont("STSong-Light", 11)
                y = 800
        y -= 10
    page.save()
    return path


@pytest.fixture(scope="module")
def lankao_pdf(tmp_path_factory) -> Path:
    return make_pdf(LANKAO.read_text(encoding="utf-8"), tmp_path_factory.mktemp("pdf") / "lankao-2017.pdf")


def test_pdf_text_is_the_article(lankao_pdf):
    text, note = read_text(lankao_pdf)
    assert note is None
    assert "兰考县隶属开封市" in text.replace("\n", "")


def test_a_pdf_article_is_built_and_its_figures_answered(tmp_path, articles_copy, lankao_pdf):
    shutil.copy(lankao_pdf, articles_copy / lankao_pdf.name)
    db = tmp_path / "facts.db"
    report = build(articles_copy, db)
    assert report.ok, report.summary()
    assert report.articles == 6 and "lankao-2017.pdf" in report.added_articles
    engine = Engine(db, articles_dir=articles_copy)
    assert engine.ask("兰考县有多少个贫困村").value == "115个"
    rate = engine.ask("兰考的贫困发生率降到了多少").value  # a question of the unseen set
    assert rate and re.findall(r"[\d.]+%", rate) == ["0.42%"]  # the end of the fall (降至0.42%), no other
    assert engine.ask("兰考县总面积多少").value == "1116平方公里"  # "1116 平方公里": spaces squeezed
    assert engine.ask("汝阳县未脱贫人口有多少").value == "5155人"  # the .txt articles beside it are untouched


def test_an_article_replaced_by_its_pdf_keeps_every_figure(tmp_path, articles_copy, built_db):
    db = tmp_path / "facts.db"
    shutil.copyfile(built_db, db)
    txt = articles_copy / RUYANG
    make_pdf(txt.read_text(encoding="utf-8"), articles_copy / (txt.stem + ".pdf"))
    txt.unlink()
    report = build(articles_copy, db)
    assert report.ok, report.summary()
    assert report.removed_articles == [RUYANG] and report.added_articles == [txt.stem + ".pdf"]
    assert Engine(db).ask("汝阳县未脱贫人口有多少").value == "5155人"


def test_a_damaged_pdf_is_rejected_new_and_refused_when_in_the_fact_base(tmp_path, lankao_pdf, articles_copy):
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(lankao_pdf.read_bytes()[:1500])
    with pytest.raises(Unreadable):
        read_text(cut)
    shutil.copy(lankao_pdf, articles_copy / "lankao-2017.pdf")
    db = tmp_path / "facts.db"
    assert build(articles_copy, db).ok
    (articles_copy / "lankao-2017.pdf").write_bytes(cut.read_bytes())
    (articles_copy / "new-cut.pdf").write_bytes(cut.read_bytes())
    report = build(articles_copy, db)
    assert report.ok is False and "lankao-2017.pdf is in the fact base but now unreadable" in report.error
    assert report.rejected and report.rejected[0].startswith("new-cut.pdf: ")
