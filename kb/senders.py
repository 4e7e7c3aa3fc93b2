"""The unit that sends a cadre or a team (市水利局派驻…岩山村第一书记杨希庆, 市公安局驻…帮扶工作队), found at
build time: the answer to 杨希庆是哪个单位派的."""

from __future__ import annotations

import re

# an office's name ends in one of these, and the sending verb follows it
_SENDS = re.compile(
    r"(?:局|委|部|办|厅|院|中心|集团|公司|协会|工会|银行|学校|医院|委员会)(?:派驻|选派|下派|派出|驻)"
)
_LEVEL = "省市县区乡镇"  # 市水利局, 县扶贫办: an office's name opens with its level
_ITEM_BREAK = "、，,；;：:。（("
_LONGEST = 10


def senders(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of every sending office in the sentence: from the level character nearest before the
    verb (市委组织部, not 委组织部), else from the start of its item of an enumeration."""
    out = []
    for m in _SENDS.finditer(sentence):
        end = m.end() - (2 if m.group(0).endswith(("派驻", "选派", "下派", "派出")) else 1)
        item_start = max((sentence.rfind(c, 0, end) for c in _ITEM_BREAK), default=-1) + 1
        lo = max(item_start, end - _LONGEST)
        stretch = sentence[lo:end]
        at = next((i for i in range(len(stretch) - 2, -1, -1) if stretch[i] in _LEVEL), None)
        start = lo + at if at is not None else (item_start if end - item_start <= _LONGEST else None)
        if start is not None and end - start >= 3:
            out.append((start, end))
    return out
