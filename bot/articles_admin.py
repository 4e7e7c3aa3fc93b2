"""Admins manage the articles from Telegram, in a private chat with the bot.

- Sending a .txt or .pdf document adds it to the articles folder (or replaces the file of that name)
  and rebuilds the fact base; the reply says what changed, or why nothing did.
- /articles lists the article files with the title, newspaper and date the fact base holds.
- /remove NAME asks for confirmation with a button, then moves the file to the removed folder
  (var/removed by default, $KB_REMOVED) and rebuilds.

The rebuild is bot/admin.py's (scripts/build_kb.py in a child process, as /reload), one at a time under
the bot's rebuild lock, in a background task so other chats are answered meanwhile. A file is saved
through a temporary file and a rename; a file it replaces is kept aside until the new build has taken
the new one in. If the build fails, or succeeds without reading the new file, the old file comes back
(or the new one goes) and, when the fact base was already swapped, it is built again from the old
files: the state before the upload remains.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import admin
from bot.format import fit
from engine import Engine
from engine.labels import fact_base_articles

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SUFFIXES = (".txt", ".pdf")
NAME_CHARS = "letters, digits, Chinese characters, - _ ."
_NAME = re.compile(r"[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff_.\-]{0,119}")
GROUP = -1  # before the bot's handlers (group 0), which never see what is handled here

ADMINS_ONLY = "只有管理员可以这样做。 (Admins only.)"
PRIVATE_ONLY = "请在和我的私聊里做。 (Please do this in a private chat with me.)"
NOT_ADMIN_UPLOAD = (
    "谢谢！不过只有管理员可以添加文章。如果这篇文章应该加进来，请联系管理员。\n"
    "(Thank you! Only admins can add articles; please send it to one of them.)"
)
EXPIRED = "这个按钮已过期。 (This button has expired.)"
BUSY = "正在重建，请稍候。 (A rebuild is already running.)"
TOO_BIG = (
    f"文件太大（最多 {MAX_UPLOAD_BYTES // 2**20} MB）。 (Too big: at most {MAX_UPLOAD_BYTES // 2**20} MB.)"
)


# ---- shared with bot/review.py ---------------------------------------------------------------
def is_admin(user_id: int | None, context: ContextTypes.DEFAULT_TYPE) -> bool:
    return user_id is not None and user_id in context.bot_data["settings"].admin_ids


async def admin_in_private(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True for an admin in a private chat; otherwise reply why not and return False."""
    user = update.effective_user
    if not is_admin(user.id if user else None, context):
        await update.effective_message.reply_text(ADMINS_ONLY)
        return False
    if update.effective_chat.type != ChatType.PRIVATE:
        await update.effective_message.reply_text(PRIVATE_ONLY)
        return False
    return True


def rebuild_lock(context: ContextTypes.DEFAULT_TYPE) -> asyncio.Lock:
    return context.bot_data.setdefault("rebuild_lock", asyncio.Lock())


def spawn(context: ContextTypes.DEFAULT_TYPE, coro: Coroutine, update: Update) -> asyncio.Task:
    """Run `coro` in the background (its errors go to the error handler); `settle()` awaits them."""
    task = context.application.create_task(coro, update=update)
    tasks: set = context.bot_data.setdefault("admin_tasks", set())
    tasks.add(task)
    task.add_done_callback(tasks.discard)
    return task


async def settle(app: Application) -> None:
    """Wait for every background admin task (uploads, removals, rebuilds) to finish."""
    while tasks := [t for t in app.bot_data.get("admin_tasks", ()) if not t.done()]:
        await asyncio.gather(*tasks, return_exceptions=True)


async def rebuild_now(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The same rebuild as /reload, in the background; reply with the build's report."""
    chat_id = update.effective_chat.id
    lock = rebuild_lock(context)
    if lock.locked():
        await context.bot.send_message(chat_id, BUSY)
        return

    async def run() -> None:
        async with lock:
            _ok, report = await admin.rebuild(_engine(context))
        await context.bot.send_message(chat_id, fit(report))

    await context.bot.send_message(chat_id, "正在重建… (Rebuilding…)")
    spawn(context, run(), update)


# ---- names and files -------------------------------------------------------------------------
def check_name(name: str | None) -> tuple[str | None, str | None]:
    """(the name to save under, None) for a safe article file name, else (None, why not).
    The suffix is written in lower case (the build reads *.txt and *.pdf)."""
    if not name or not name.strip():
        return None, "文件没有名字。 (The file has no name.)"
    name = unicodedata.normalize("NFC", name.strip())
    if any(sep in name for sep in ("/", "\\", "\0")) or ".." in name:
        return None, f"文件名不能包含路径。 (The name must not hold a path: {name[:60]})"
    stem, suffix = os.path.splitext(name)
    if suffix.lower() not in SUFFIXES:
        return None, f"只接受 .txt 或 .pdf 文件。 (Only .txt or .pdf files: {name[:60]})"
    if not _NAME.fullmatch(name):
        return (
            None,
            f"文件名只能用字母、数字、汉字和 - _ . (The name may hold only {NAME_CHARS}: {name[:60]})",
        )
    return stem + suffix.lower(), None


def check_content(name: str, data: bytes) -> str | None:
    """Why `data` cannot be the article `name` at all, else None (the build judges the rest)."""
    if not data:
        return "文件是空的。 (The file is empty.)"
    if len(data) > MAX_UPLOAD_BYTES:
        return TOO_BIG
    if name.endswith(".pdf"):
        return None if data.startswith(b"%PDF-") else "这不是 PDF 文件。 (This is not a PDF file.)"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return f"文本不是 UTF-8 编码。 (The text is not UTF-8: {exc.reason} at byte {exc.start}.)"
    if "\0" in text:
        return "这不是文本文件。 (This is not a text file.)"
    return None


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def save(folder: Path, name: str, data: bytes) -> Path | None:
    """Put `data` at folder/name in one rename; return where a file it replaced is kept (else None)."""
    target = folder / name
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".upload")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        backup = None
        if target.exists():
            backup = folder / f".{name}.{uuid.uuid4().hex[:8]}.backup"
            try:
                os.link(target, backup)  # the old file stays whole under a second name
            except OSError:
                shutil.copy2(target, backup)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)
    return backup


def restore(folder: Path, name: str, backup: Path | None) -> None:
    """Undo save(): the replaced file comes back, or the new file goes."""
    if backup is not None:
        os.replace(backup, folder / name)
    else:
        (folder / name).unlink(missing_ok=True)
    _fsync_dir(folder)


def removed_dir(context: ContextTypes.DEFAULT_TYPE) -> Path:
    return Path(context.bot_data.get("removed_dir") or os.environ.get("KB_REMOVED") or "var/removed")


def move_aside(src: Path, dest_dir: Path) -> Path:
    """Move `src` into `dest_dir`, under a dated name when that name is taken; return the new path."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / src.name
    if dest.exists():
        dest = dest_dir / f"{src.stem}.{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}{src.suffix}"
    shutil.move(str(src), str(dest))
    return dest


# ---- what a rebuild changed ------------------------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    files: frozenset[str]  # article files in the fact base
    places: frozenset[str]
    stamp: tuple | None  # the fact base file's identity on disk


def snapshot(engine: Engine) -> Snapshot:
    try:
        st = engine.db_path.stat()
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None
    files = frozenset(a.file for a in fact_base_articles(engine.db_path))
    return Snapshot(files, frozenset(engine.topics()["places"]), stamp)


def _places_line(before: Snapshot, after: Snapshot) -> str:
    parts = []
    if added := sorted(after.places - before.places):
        parts.append("新地区 New places: " + "、".join(added))
    if gone := sorted(before.places - after.places):
        parts.append("不再覆盖 Places gone: " + "、".join(gone))
    return "\n".join(parts) or "地区不变。 (Places unchanged.)"


def _why_left_out(report: str, name: str) -> str:
    """The build's words about `name` (its warnings; not the list of articles it built without it)."""
    lines = [ln.strip() for ln in report.splitlines() if name in ln and not ln.startswith("Articles ")]
    if lines:
        return "\n".join(lines)
    if name.endswith(".pdf"):
        return f"The build did not read {name} (this build may not read PDF files yet)."
    return f"The build did not read {name}."


async def _restore_state(engine: Engine, undo: Callable[[], object], before: Snapshot) -> tuple[bool, str]:
    """Put the files back with `undo`, then rebuild if the fact base in place no longer holds the
    articles it held before (a build swapped in without the file): (the old state is back, report)."""
    await asyncio.to_thread(undo)
    if snapshot(engine).files == before.files:
        return True, ""
    return await admin.rebuild(engine)


def _engine(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    return context.bot_data["engine"]


# ---- upload ----------------------------------------------------------------------------------
async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A document sent to the bot: admins' .txt/.pdf articles in private chats; groups are ignored."""
    msg, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if chat.type != ChatType.PRIVATE:
        raise ApplicationHandlerStop
    if not is_admin(user.id if user else None, context):
        await msg.reply_text(NOT_ADMIN_UPLOAD)
        raise ApplicationHandlerStop
    doc = msg.document
    name, problem = check_name(doc.file_name)
    if problem is None and doc.file_size and doc.file_size > MAX_UPLOAD_BYTES:
        problem = TOO_BIG
    if problem:
        await msg.reply_text(problem + "\n没有保存。 (Nothing was saved.)")
        raise ApplicationHandlerStop
    queued = " 另一个重建结束后开始。 (Queued behind a rebuild.)" if rebuild_lock(context).locked() else ""
    size = f"{doc.file_size / 1024:.0f} KB" if doc.file_size else "?"
    await msg.reply_text(f"收到 {name}（{size}），正在保存并重建… (Received; saving and rebuilding…){queued}")
    spawn(context, _install(update, context, doc.file_id, name), update)
    raise ApplicationHandlerStop


async def _install(update: Update, context: ContextTypes.DEFAULT_TYPE, file_id: str, name: str) -> None:
    msg, engine = update.effective_message, _engine(context)
    folder = engine.articles_dir
    async with rebuild_lock(context):
        try:
            data = bytes(await (await context.bot.get_file(file_id)).download_as_bytearray())
        except TelegramError as exc:
            await msg.reply_text(
                f"文件下载失败，没有变化。 (Could not download the file: {exc}. Nothing changed.)"
            )
            return
        problem = check_content(name, data)
        if problem:
            await msg.reply_text(f"{problem}\n没有保存，没有变化。 (Not saved; nothing changed.)")
            return
        before = snapshot(engine)
        replacing = (folder / name).exists()
        backup = await asyncio.to_thread(save, folder, name, data)
        try:
            ok, report = await admin.rebuild(engine)
            after = snapshot(engine)
            taken = ok and name in after.files
        except BaseException:
            await asyncio.to_thread(restore, folder, name, backup)
            raise
        if taken:
            if backup is not None:
                backup.unlink(missing_ok=True)
            verb = "已替换 Replaced" if replacing else "已添加 Added"
            await msg.reply_text(fit(f"{verb} {name}。\n{report}\n{_places_line(before, after)}"))
            return
        why = report if not ok else _why_left_out(report, name)
        back, again = await _restore_state(engine, lambda: restore(folder, name, backup), before)
        state = (
            "原来的文章和事实库保持不变。 (The previous articles and fact base remain.)"
            if back
            else f"恢复时重建失败，请检查。 (Rebuilding the previous files failed too: {again})"
        )
        kept = f"{name} 已恢复为原来的文件。" if backup is not None else f"{name} 没有保存。"
        await msg.reply_text(fit(f"没有变化：{kept} (Nothing changed.)\n{why}\n{state}"))


# ---- /articles -------------------------------------------------------------------------------
def _article_files(folder: Path) -> list[str]:
    try:
        return sorted(
            p.name
            for p in folder.iterdir()
            if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and p.is_file()
        )
    except OSError:
        return []


async def list_articles(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/articles: every article file with the title, newspaper and date the fact base holds."""
    if not await admin_in_private(update, context):
        raise ApplicationHandlerStop
    engine = _engine(context)
    files = await asyncio.to_thread(_article_files, engine.articles_dir)
    known = {a.file: a for a in await asyncio.to_thread(fact_base_articles, engine.db_path)}
    lines = [f"文章 Articles ({len(files)}):"]
    for f in files:
        a = known.get(f)
        if a is None:
            lines.append(f"• {f}\n  未入库 (not in the fact base; /reload reads it, or says why not)")
        else:
            source = " ".join(x for x in (a.newspaper, a.date) if x) or "来源不详 (no newspaper or date)"
            lines.append(f"• {f}\n  《{a.title}》 {source}")
    lines += [f"• {f}\n  文件已删除 (file gone; /reload drops it)" for f in known if f not in files]
    lines.append(
        "\n发送 .txt/.pdf 文件添加或替换 · /remove 文件名 删除\n(Send a .txt or .pdf to add or replace; /remove NAME.)"
    )
    await update.effective_message.reply_text(fit("\n".join(lines)))
    raise ApplicationHandlerStop


# ---- /remove ---------------------------------------------------------------------------------
async def remove(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/remove NAME: ask for confirmation with a button."""
    if not await admin_in_private(update, context):
        raise ApplicationHandlerStop
    msg, engine = update.effective_message, _engine(context)
    raw = " ".join(context.args or []).strip()
    if not raw:
        await msg.reply_text("用法 Usage: /remove 文件名 (the file name, as /articles lists it)")
        raise ApplicationHandlerStop
    name, problem = check_name(raw)
    if problem or not (engine.articles_dir / name).is_file():
        await msg.reply_text(problem or f"没有这个文件 (No such article): {raw[:80]}\n/articles 列出全部。")
        raise ApplicationHandlerStop
    token = uuid.uuid4().hex[:8]
    pending: dict = context.chat_data.setdefault("remove", {})
    pending[token] = name
    while len(pending) > 10:
        del pending[next(iter(pending))]
    title = {a.file: a.title for a in fact_base_articles(engine.db_path)}.get(name)
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("删除 Remove", callback_data=f"adm:rm:{token}"),
                InlineKeyboardButton("取消 Cancel", callback_data=f"adm:no:{token}"),
            ]
        ]
    )
    about = f"《{title}》" if title else ""
    await msg.reply_text(
        fit(
            f"删除 {name}{about} 并重建事实库？\n(Remove it and rebuild? It is moved to {removed_dir(context)}/.)"
        ),
        reply_markup=markup,
    )
    raise ApplicationHandlerStop


async def removal(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The Remove / Cancel button of /remove."""
    cq = update.callback_query
    if not is_admin(cq.from_user.id, context):
        await cq.answer(ADMINS_ONLY, show_alert=True)
        raise ApplicationHandlerStop
    await cq.answer()
    _, action, token = (cq.data or "").split(":", 2)
    name = context.chat_data.get("remove", {}).pop(token, None)
    if name is None:
        await cq.edit_message_text(EXPIRED)
        raise ApplicationHandlerStop
    if action == "no":
        await cq.edit_message_text(f"已取消，{name} 保留。 (Cancelled; the article stays.)")
        raise ApplicationHandlerStop
    queued = " 另一个重建结束后开始。 (Queued behind a rebuild.)" if rebuild_lock(context).locked() else ""
    await cq.edit_message_text(f"正在删除 {name} 并重建… (Removing and rebuilding…){queued}")
    spawn(context, _remove(update, context, name), update)
    raise ApplicationHandlerStop


async def _remove(update: Update, context: ContextTypes.DEFAULT_TYPE, name: str) -> None:
    chat_id, engine = update.effective_chat.id, _engine(context)
    folder = engine.articles_dir
    async with rebuild_lock(context):
        src = folder / name
        if not src.is_file():
            await context.bot.send_message(chat_id, f"{name} 已经不在了。 (It is gone already.)")
            return
        before = snapshot(engine)
        moved = await asyncio.to_thread(move_aside, src, removed_dir(context))
        try:
            ok, report = await admin.rebuild(engine)
            after = snapshot(engine)
        except BaseException:
            await asyncio.to_thread(shutil.move, str(moved), str(src))
            raise
        if ok and name not in after.files:
            await context.bot.send_message(
                chat_id,
                fit(f"已删除 {name}，文件移到 {moved}。 (Removed.)\n{report}\n{_places_line(before, after)}"),
            )
            return
        back, again = await _restore_state(engine, lambda: shutil.move(str(moved), str(src)), before)
        state = (
            "文章和事实库保持不变。 (The article and the fact base remain as they were.)"
            if back
            else f"恢复时重建失败，请检查。 (Rebuilding with the file back failed too: {again})"
        )
        await context.bot.send_message(chat_id, fit(f"没有删除 {name}。 (Not removed.)\n{report}\n{state}"))


def register(app: Application) -> None:
    """Add the article handlers (before the bot's own, which never see documents admins send)."""
    app.bot_data.setdefault("rebuild_lock", asyncio.Lock())
    app.add_handler(MessageHandler(filters.Document.ALL & filters.UpdateType.MESSAGE, document), GROUP)
    app.add_handler(CommandHandler("articles", list_articles), GROUP)
    app.add_handler(CommandHandler("remove", remove), GROUP)
    app.add_handler(CallbackQueryHandler(removal, pattern=r"^adm:(rm|no):[0-9a-f]{8}$"), GROUP)
