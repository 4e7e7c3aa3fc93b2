"""Person names in a sentence, found at build time: jieba's part-of-speech tagger is too heavy
(about 55 MB) to keep loaded in every serving process, so names are stored as facts instead."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u4e00-\u9fff]{2,4}")


_TITLE_END = re.compile(
    r"(?:书记|[省市县区乡镇村]长|主任|局长|组长|队长|站长|院长|校长|部长|厅长|委员|记者|通讯员|村民)$"
)


# the commonest one-character surnames (a surname the tagger splits from the given name)
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯"
    "纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉"
)
_TITLE_WORD = re.compile(_TITLE_END.pattern.removesuffix("$"))


def names(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every word the tagger reads as a person's name (2 to 4 characters), and of
    a lone surname it tags as a name right after a title, joined to the short word after it
    (市委书记卢希望: the tagger reads 卢 + 希望 "hope")."""
    if not _TITLE_WORD.search(sentence):  # a name is only ever looked up after a title: tag nothing else
        return []
    from kb import tokens  # the tagger: here, not at module level (serving processes never load it)

    words = [(w, f) for w, f in tokens.tagger().cut(sentence)]
    out, pos = [], 0
    for i, (word, flag) in enumerate(words):
        if (
            flag.startswith("nr")
            and len(word) == 2
            and i > 1
            and words[i - 1][0] in SURNAMES
            and _TITLE_END.search(words[i - 2][0])
        ):  # 局长马海涛: the tagger reads 马 + 海涛
            out.append((pos - 1, pos + 2, words[i - 1][0] + word))
        elif flag.startswith("nr") and _CJK.fullmatch(word):
            out.append((pos, pos + len(word), word))
        elif (
            flag.startswith("nr")
            and len(word) == 1
            and i > 0
            and _TITLE_END.search(words[i - 1][0])
            and i + 1 < len(words)
            and _CJK.fullmatch(word + words[i + 1][0])
            and len(words[i + 1][0]) <= 2
        ):
            out.append((pos, pos + 1 + len(words[i + 1][0]), word + words[i + 1][0]))
        pos += len(word)
    return out
