"""Admins' articles in Telegram (bot/articles_admin.py): documents sent to the bot, /articles, /remove.
Updates are built here and run through application.process_update; the Bot API (files too) is the
fake server on 127.0.0.1; rebuilds run scripts/build_kb.py in a child process, on a copy of the
articles and of the fact base."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from telegram import Update

from bot import articles_admin
from bot.app import build_app
from bot.articles_admin import MAX_UPLOAD_BYTES, NOT_ADMIN_UPLOAD, settle
from engine import Engine
from engine.labels import ArticleInfo, LabelFile, fact_base_articles
from tests.fake_bot_api import bot_settings, callback_query, make_message
from tests.fake_bot_files import FakeBotApiWithFiles

ADMIN = 7
ROOT = Path(__file__).resolve().parent.parent
LANKAO = ROOT / "tests" / "data" / "unseen" / "articles" / "lankao-2017-poverty-exit-review.txt"
QINXIAN = "qinxian-2021-poverty-review.txt"
QINYANG = "qinyang-2020-livelihood-projects.txt"
# the app is initialised, not started (process_update directly): settle() awaits its background tasks
pytestmark = pytest.mark.filterwarnings("ignore:Tasks created via `Application.create_task`")
_update_ids = itertools.count(1)
_chats = itertools.count(7000)


@pytest.fixture
async def bot(tmp_path, built_db, articles_copy):
    db = tmp_path / "kb" / "facts.db"
    db.parent.mkdir()
    shutil.copy(built_db, db)
    engine = Engine(db, articles_dir=articles_copy)
    with FakeBotApiWithFiles() as api:
        settings = bot_settings(api, tmp_path, base_file_url=api.base_file_url)
        app = build_app(settings, engine, rate_limit=False)
        app.bot_data["removed_dir"] = tmp_path / "removed"
        app.bot_data["labels"] = LabelFile(tmp_path / "training" / "admin.jsonl")
        async with app:
            yield app, api, engine


async def send(app, **update) -> None:
    await app.process_update(Update.de_json({"update_id": next(_update_ids), **update}, app.bot))


async def upload(app, api, name, data, chat=None, **kw) -> int:
    chat = chat or next(_chats)
    await send(app, message=api.document(chat, name, data, user_id=kw.pop("user_id", ADMIN), **kw))
    await settle(app)
    return chat


async def say(app, text, chat=None, user_id=ADMIN) -> int:
    chat = chat or next(_chats)
    await send(app, message=make_message(chat, text, user_id=user_id))
    await settle(app)
    return chat


async def press(app, chat, data, user_id=ADMIN) -> None:
    await send(app, callback_query=callback_query(chat, data, user_id, f"cb{next(_update_ids)}"))
    await settle(app)


def texts(api) -> list[str]:
    return [p["text"] for m, p in api.calls if m in ("sendMessage", "editMessageText")]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


async def test_admin_uploads_a_txt_article_and_the_reply_says_what_changed(bot):
    app, api, engine = bot
    data = LANKAO.read_bytes()
    assert not engine.ask("兰考县有多少个贫困村").found
    await send(app, message=api.document(next(_chats), LANKAO.name, data, user_id=ADMIN))
    await say(app, "沁县有多少名驻村第一书记")  # answered while the child process rebuilds
    received, other, done = texts(api)
    assert received.startswith(f"收到 {LANKAO.name}") and "rebuilding" in received
    assert "179名" in other
    assert done.startswith(f"已添加 Added {LANKAO.name}")
    assert f"Articles added: {LANKAO.name}" in done and "Facts added" in done and "removed 0" in done
    assert "New places:" in done and "兰考县" in done
    assert (engine.articles_dir / LANKAO.name).read_bytes() == data
    assert leftovers(engine.articles_dir) == []
    ans = engine.ask("兰考县有多少个贫困村")
    assert ans.found and "115" in ans.value
    await say(app, "/articles")
    listing = texts(api)[-1]
    assert f"• {LANKAO.name}\n  《" in listing and "文章 Articles (6)" in listing


async def test_replacing_an_article_keeps_no_backup_and_reports_it_changed(bot):
    app, api, engine = bot
    data = (engine.articles_dir / QINXIAN).read_bytes() + "\n全县新建了12座光伏电站。\n".encode()
    await upload(app, api, QINXIAN, data)
    done = texts(api)[-1]
    assert done.startswith(f"已替换 Replaced {QINXIAN}") and f"Articles changed: {QINXIAN}" in done
    assert (engine.articles_dir / QINXIAN).read_bytes() == data and leftovers(engine.articles_dir) == []


async def test_a_non_admin_gets_a_polite_refusal_and_nothing_is_fetched(bot):
    app, api, engine = bot
    await upload(app, api, "new.txt", LANKAO.read_bytes(), user_id=1)
    assert texts(api) == [NOT_ADMIN_UPLOAD] and api.downloads() == 0
    assert not (engine.articles_dir / "new.txt").exists()


async def test_documents_in_groups_are_ignored(bot):
    app, api, engine = bot
    await upload(app, api, "new.txt", LANKAO.read_bytes(), chat=-100200, chat_type="supergroup")
    await upload(app, api, "new.txt", LANKAO.read_bytes(), chat=-100200, chat_type="group", user_id=1)
    assert texts(api) == [] and api.downloads() == 0


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../evil.txt", "path"),
        ("sub/dir.txt", "path"),
        ("a\\b.txt", "path"),
        (".hidden.txt", "may hold only"),
        ("article.docx", "Only .txt or .pdf"),
        ("articles.yaml", "Only .txt or .pdf"),
        ("x.txt.exe", "Only .txt or .pdf"),
        ("with space.txt", "may hold only"),
        ("quote'.txt", "may hold only"),
        (None, "no name"),
    ],
)
async def test_a_bad_file_name_is_refused_before_anything_is_fetched(bot, name, why):
    app, api, engine = bot
    before = sorted(p.name for p in engine.articles_dir.iterdir())
    await upload(app, api, name, LANKAO.read_bytes())
    (reply,) = texts(api)
    assert why in reply and "Nothing was saved" in reply
    assert api.downloads() == 0 and sorted(p.name for p in engine.articles_dir.iterdir()) == before


async def test_a_capital_suffix_is_saved_in_lower_case(bot, monkeypatch):
    app, api, engine = bot

    async def built(engine, timeout=0):
        return True, "Fact base built."

    monkeypatch.setattr(articles_admin.admin, "rebuild", built)
    monkeypatch.setattr(
        articles_admin, "fact_base_articles", lambda db: [ArticleInfo("兰考.txt", "t", "", "")]
    )
    await upload(app, api, "兰考.TXT", LANKAO.read_bytes())
    assert texts(api)[-1].startswith("已添加 Added 兰考.txt") and (engine.articles_dir / "兰考.txt").exists()


async def test_a_file_too_big_is_refused_by_its_size_or_after_download(bot):
    app, api, engine = bot
    await upload(app, api, "big.txt", b"x", size=MAX_UPLOAD_BYTES + 1)  # Telegram states the size
    assert "Too big" in texts(api)[-1] and api.downloads() == 0
    await upload(app, api, "big.txt", "汝阳".encode() * (MAX_UPLOAD_BYTES // 6 + 1), size=100)  # stated wrong
    assert "Too big" in texts(api)[-1] and "Not saved" in texts(api)[-1]
    assert not (engine.articles_dir / "big.txt").exists() and leftovers(engine.articles_dir) == []


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("cut.txt", "汝阳县未脱贫人口".encode()[:-1], "not UTF-8"),
        ("bin.txt", b"\x00\x01\x02binary", "not a text file"),
        ("fake.pdf", "汝阳县".encode(), "not a PDF"),
        ("empty.txt", b"", "empty"),
    ],
)
async def test_content_that_cannot_be_an_article_is_not_saved(bot, name, data, why):
    app, api, engine = bot
    await upload(app, api, name, data)
    assert why in texts(api)[-1] and not (engine.articles_dir / name).exists()


async def test_a_replacement_the_build_cannot_read_restores_the_old_file_and_fact_base(bot):
    app, api, engine = bot
    old = (engine.articles_dir / QINXIAN).read_bytes()
    before = fact_base_articles(engine.db_path)
    await upload(app, api, QINXIAN, b"This is no article, just English words. " * 20)
    reply = texts(api)[-1]
    assert reply.startswith("没有变化") and "previous articles and fact base remain" in reply
    assert "Articles removed" not in reply  # the build's words about the file, not its interim state
    assert len([ln for ln in reply.splitlines() if QINXIAN in ln]) >= 2  # restored, and why (named)
    assert (engine.articles_dir / QINXIAN).read_bytes() == old and leftovers(engine.articles_dir) == []
    assert fact_base_articles(engine.db_path) == before
    ans = engine.ask("沁县有多少个贫困村")
    assert ans.found and "179" in ans.value


async def test_a_failed_build_leaves_no_new_file(bot, monkeypatch):
    app, api, engine = bot
    before = sorted(p.name for p in engine.articles_dir.iterdir())

    async def failed(engine, timeout=0):
        return False, "Build failed, the previous fact base keeps serving: validation failed: boom"

    monkeypatch.setattr(articles_admin.admin, "rebuild", failed)
    await upload(app, api, LANKAO.name, LANKAO.read_bytes())
    reply = texts(api)[-1]
    assert reply.startswith("没有变化") and "boom" in reply and "remain" in reply
    assert sorted(p.name for p in engine.articles_dir.iterdir()) == before


async def test_a_pdf_is_saved_as_sent_and_handed_to_the_build(bot, monkeypatch):
    """The build's PDF reading is another change; here the build is stood in for, as one that reads PDFs."""
    app, api, engine = bot
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    seen = []

    async def built(engine, timeout=0):
        seen.append(sorted(p.name for p in engine.articles_dir.iterdir() if p.suffix == ".pdf"))
        return True, "Fact base built in 1.00s: 6 articles.\nArticles added: report-2021.pdf"

    def in_base(db):
        return [
            ArticleInfo(p.name, p.stem, "", "") for p in engine.articles_dir.iterdir() if p.suffix == ".pdf"
        ]

    monkeypatch.setattr(articles_admin.admin, "rebuild", built)
    monkeypatch.setattr(articles_admin, "fact_base_articles", in_base)
    await upload(app, api, "report-2021.pdf", pdf)
    assert seen == [["report-2021.pdf"]]  # in the articles folder when the build ran
    assert texts(api)[-1].startswith("已添加 Added report-2021.pdf") and "Articles added" in texts(api)[-1]
    assert (engine.articles_dir / "report-2021.pdf").read_bytes() == pdf


async def test_articles_lists_each_file_with_title_newspaper_and_date(bot):
    app, api, engine = bot
    (engine.articles_dir / "unbuilt.txt").write_text("not built yet", encoding="utf-8")
    await say(app, "/articles")
    listing = texts(api)[-1]
    assert "文章 Articles (6)" in listing
    assert (
        f"• {QINXIAN}\n  《打赢脱贫攻坚战 决胜小康新时代——沁县脱贫攻坚综述》 长治日报 2021-03-01" in listing
    )
    assert "• unbuilt.txt\n  未入库 (not in the fact base" in listing
    await say(app, "/articles", user_id=1)
    assert "Admins only" in texts(api)[-1]


def buttons(api) -> list[dict]:
    (row,) = [p for m, p in api.calls if m == "sendMessage"][-1]["reply_markup"]["inline_keyboard"]
    return row


async def test_remove_asks_first_and_cancel_keeps_the_article(bot):
    app, api, engine = bot
    chat = await say(app, f"/remove {QINYANG}")
    ask = texts(api)[-1]
    assert ask.startswith(f"删除 {QINYANG}《沁阳行动——民生事业篇》") and "rebuild" in ask
    remove, cancel = buttons(api)
    assert all(len(b["callback_data"].encode()) <= 64 for b in (remove, cancel))
    await press(app, chat, cancel["callback_data"])
    assert texts(api)[-1].startswith("已取消") and (engine.articles_dir / QINYANG).exists()
    await press(app, chat, remove["callback_data"])  # that confirmation was answered: no longer valid
    assert "expired" in texts(api)[-1] and (engine.articles_dir / QINYANG).exists()


async def test_remove_confirmed_moves_the_file_aside_and_rebuilds(bot, tmp_path):
    app, api, engine = bot
    data = (engine.articles_dir / QINXIAN).read_bytes()
    chat = await say(app, f"/remove {QINXIAN}")
    remove, _ = buttons(api)
    await press(app, chat, remove["callback_data"], user_id=1)  # someone else's tap does nothing
    assert [p for m, p in api.calls if m == "answerCallbackQuery"][-1]["show_alert"] is True
    assert (engine.articles_dir / QINXIAN).exists()
    await press(app, chat, remove["callback_data"])
    removing, done = texts(api)[-2:]
    assert removing.startswith(f"正在删除 {QINXIAN}")
    assert done.startswith(f"已删除 {QINXIAN}") and f"Articles removed: {QINXIAN}" in done
    assert "Places gone:" in done and "沁县" in done
    assert not (engine.articles_dir / QINXIAN).exists()
    assert (tmp_path / "removed" / QINXIAN).read_bytes() == data
    assert QINXIAN not in {a.file for a in fact_base_articles(engine.db_path)}
    assert not engine.ask("沁县有多少名驻村第一书记").found


async def test_remove_refuses_unknown_names_paths_and_non_admins(bot):
    app, api, engine = bot
    await say(app, "/remove nosuch.txt")
    assert "No such article" in texts(api)[-1]
    await say(app, "/remove ../kb/gazetteer.yaml")
    assert "path" in texts(api)[-1]
    await say(app, "/remove")
    assert "Usage" in texts(api)[-1]
    await say(app, f"/remove {QINYANG}", user_id=1)
    assert "Admins only" in texts(api)[-1]
    await send(app, message=make_message(-100300, f"/remove {QINYANG}", user_id=ADMIN, chat_type="group"))
    assert "private chat" in texts(api)[-1]
    assert (engine.articles_dir / QINYANG).exists()


async def test_a_removal_the_build_refuses_puts_the_file_back(bot, tmp_path):
    app, api, engine = bot
    before = fact_base_articles(engine.db_path)
    chat = await say(app, f"/remove {QINYANG}")  # a golden question (kb/golden.yaml) needs this article
    remove, _ = buttons(api)
    await press(app, chat, remove["callback_data"])
    reply = texts(api)[-1]
    assert reply.startswith(f"没有删除 {QINYANG}") and "沁阳建了多少个消费扶贫小菜园" in reply
    assert "remain as they were" in reply
    assert (engine.articles_dir / QINYANG).exists() and not (tmp_path / "removed" / QINYANG).exists()
    assert fact_base_articles(engine.db_path) == before
