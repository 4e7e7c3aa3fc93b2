"""The bot's state file (bot/store.py): the inbox moves updates on and never back, a second delivery
is recognised, an id Telegram reuses for another update is not mistaken for one, answers come back
as they were stored, and old records are pruned."""

import time

from bot.store import DONE, LOGGED, RECEIVED, BotStore, answer_from_json, answer_to_json
from engine import Alternative, Answer, Source

ANSWER = Answer(
    True,
    "汝阳县：78个\n原文：“78个贫困村”",
    "how_many",
    place="汝阳县",
    sources=[Source("洛阳·县区", "目前78个贫困村集体经济收入均超过5万元")],
    alternatives=[Alternative("汝阳县 4个", "#s122", "697786ec53b3803b")],
    value="78个",
)


def test_inbox_records_once_and_moves_forward_only(tmp_path):
    store = BotStore(tmp_path / "bot.db")
    update = {"update_id": 5, "message": {"text": "汝阳县有多少个贫困村"}}
    assert store.receive(5, update) and not store.receive(5, update)  # the second delivery
    assert store.state(5) == RECEIVED and store.state(6) is None
    store.mark(5, LOGGED)
    store.mark(5, RECEIVED)  # never back
    assert store.state(5) == LOGGED and [u for u, _, _ in store.pending()] == [5]
    store.mark(5, DONE)
    assert store.pending() == [] and store.counts() == {"done": 1}
    other = {"update_id": 5, "message": {"text": "沁县呢"}}  # ids restarted: another update, handled
    assert store.receive(5, other) and store.state(5) == RECEIVED
    store.close()


def test_answers_and_last_answer_survive_reopening(tmp_path):
    store = BotStore(tmp_path / "bot.db")
    store.receive(9, {"update_id": 9})
    store.answered(9, 42, 1, [101, 102], "m:42:101", ANSWER)
    store.answered(None, 42, 1, [103], None, Answer(False, "抱歉", "unknown"))  # no source: not "last"
    store.close()
    again = BotStore(tmp_path / "bot.db")
    assert again.state(9) == DONE
    assert again.answer(42, 102) == ("m:42:101", ANSWER) and again.answer(42, 999) is None
    assert again.last(42, 1) == ANSWER and again.last(42, 2) is None
    again.close()
    assert answer_from_json(answer_to_json(ANSWER)) == ANSWER and answer_from_json("{bad") is None


def test_prune_forgets_done_updates_and_old_answers(tmp_path):
    store = BotStore(tmp_path / "bot.db")
    store.receive(1, {"update_id": 1})
    store.receive(2, {"update_id": 2})
    store.mark(1, DONE)
    store.answered(None, 42, 1, [7], None, ANSWER)
    store.prune(now=time.time() + 100 * 86400)
    assert store.state(1) is None and store.state(2) == RECEIVED  # never handled: kept
    assert store.answer(42, 7) is None and store.last(42, 1) is None
    store.close()
