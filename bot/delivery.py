"""How updates reach the handlers: recorded first (at-least-once), handled concurrently, in order
within each chat.

- `InboxQueue` is the application's update queue. Long polling puts every fetched update here
  before its next getUpdates confirms the batch to Telegram, and a webhook post is answered 200
  only after its put returns; so `put` writes the update to the inbox (bot/store.py) first. An
  update already in the inbox (Telegram sending it again after a crash) is not handled twice.
- `ChatOrderedProcessor` handles updates of different chats at the same time (a slow answer or a
  /reload in one chat holds up no other) and those of one chat one after the other, in the order
  they came; when an update's handlers are finished it is marked done in the inbox.
- `replay_pending` puts the updates recorded but not done (the process was killed) back into the
  queue at start, before polling resumes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.store import DONE, BotStore

log = logging.getLogger(__name__)
MAX_CONCURRENT = 64


def order_key(update: object) -> object:
    """What must stay in order: one chat (or, without a chat, one user); None: no order needed."""
    if isinstance(update, Update):
        if update.effective_chat:
            return update.effective_chat.id
        if update.effective_user:
            return ("user", update.effective_user.id)
    return None


class InboxQueue(asyncio.Queue):
    """The update queue that records each update in the inbox before taking it."""

    def __init__(self, store: BotStore):
        super().__init__()
        self.store = store

    async def put(self, item: Any) -> None:
        if isinstance(item, Update):
            try:
                new = await self.store.run(self.store.receive, item.update_id, item.to_dict())
            except Exception:  # noqa: BLE001 - an unwritable inbox must not stop the bot answering
                log.exception(
                    "inbox %s cannot be written; update %s handled unrecorded",
                    self.store.path,
                    item.update_id,
                )
                new = True
            if not new:
                log.info("update %s was received before; not handled again", item.update_id)
                return
        await super().put(item)

    async def put_recorded(self, item: Update) -> None:
        """Queue an update that is in the inbox already (a replay)."""
        await super().put(item)


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Concurrent updates, in order per chat, at most `max_concurrent` handled at once."""

    def __init__(self, store: BotStore | None, max_concurrent: int = MAX_CONCURRENT):
        # the base class's limit counts updates waiting for their chat's turn too: ours is taken after it
        super().__init__(1 << 30)
        self.store = store
        self._limit = asyncio.Semaphore(max_concurrent)
        self._turns: dict[object, list] = {}  # key -> [lock, updates holding or waiting for it]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = order_key(update)
        turn = None
        if key is not None:
            turn = self._turns.setdefault(key, [asyncio.Lock(), 0])
            turn[1] += 1
        try:
            if turn is not None:
                async with turn[0], self._limit:
                    await coroutine
            else:
                async with self._limit:
                    await coroutine
        finally:
            if turn is not None:
                turn[1] -= 1
                if not turn[1]:
                    self._turns.pop(key, None)
            if self.store is not None and isinstance(update, Update):
                try:
                    await self.store.run(self.store.mark, update.update_id, DONE)
                except Exception:  # noqa: BLE001 - it is handled; the worst is one more reply after a crash
                    log.exception("inbox: could not mark update %s done", update.update_id)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


async def replay_pending(app: Any, store: BotStore) -> int:
    """Queue again the updates recorded but not handled (the bot was killed); the number queued.
    Inline queries are not replayed: Telegram has long given up waiting for their answer."""
    queue: InboxQueue = app.update_queue
    count = 0
    for update_id, payload, _state in await store.run(store.pending):
        if "inline_query" in payload or "chosen_inline_result" in payload:
            await store.run(store.mark, update_id, DONE)
            continue
        try:
            update = Update.de_json(payload, app.bot)
        except Exception:  # noqa: BLE001 - a record that no longer parses is skipped, not fatal
            log.exception("inbox: update %s cannot be read; skipped", update_id)
            await store.run(store.mark, update_id, DONE)
            continue
        await queue.put_recorded(update)
        count += 1
    if count:
        log.info("answering %d update(s) received before the last stop but never answered", count)
    return count
