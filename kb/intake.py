"""Reading one article file (.txt or .pdf) and deciding whether what it holds is an article.

`read_text` raises `Unreadable` with a reason an admin can act on (truncated mid-character, bad encoding,
binary data, a PDF that cannot be parsed); `not_an_article` says why readable text is no article (no
Chinese, mojibake, random characters). Both are used for new files and for files already in the fact base;
kb/build.py decides what follows (a new file is rejected, a damaged existing article fails the build).
"""

from __future__ import annotations

import re
from pathlib import Path

MAX_ARTICLE_BYTES = 5_000_000
SUFFIXES = (".txt", ".pdf")
MIN_CHINESE = 20
# Share of Chinese characters that fall inside jieba dictionary words of two or more characters. The shipped
# and unseen articles measure 0.79-0.84; random characters 0.00 (any code point) to 0.13 (drawn with the
# articles' own character frequencies); words of an article shuffled still read 0.84 (they are words).
MIN_WORD_SHARE = 0.45
SAMPLE_CHARS = 600  # three windows of this size (start, middle, end) are measured, not the whole text
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LATIN1_MOJIBAKE = re.compile(r"[\u00c0-\u00ff][\u0080-\u00bf\u2000-\u206f\u20ac\u0152-\u0178]")


class Unreadable(ValueError):
    """An article file whose text cannot be read; the message says why."""


def read_text(path: Path) -> tuple[str, str | None]:
    """The text of an article file and a note on how it was read (None when plain UTF-8)."""
    if not path.is_file():
        raise Unreadable("not a regular file")
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise Unreadable(f"larger than {MAX_ARTICLE_BYTES} bytes ({size})")
    if size == 0:
        raise Unreadable("empty file")
    if path.suffix.lower() == ".pdf":
        return pdf_text(path), None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"cannot be read: {exc.strerror or exc}") from exc
    return decode(raw)


def decode(raw: bytes) -> tuple[str, str | None]:
    """Bytes of a .txt file as text: UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "read as UTF-16"
        except UnicodeDecodeError as exc:
            raise Unreadable(
                f"binary data, not text (no UTF-16 after its byte-order mark, byte {exc.start})"
            ) from exc
    if raw.startswith(b"%PDF"):
        raise Unreadable("a PDF file named .txt: rename it to .pdf")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise Unreadable(f"binary data, not text (NUL byte at {nul})")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if utf8_error.reason == "unexpected end of data" and utf8_error.end >= len(raw):
        raise Unreadable(
            f"ends in the middle of a character (byte {utf8_error.start} of {len(raw)}): "
            "the file looks truncated (a cut copy or an interrupted upload)"
        )
    try:  # a Chinese Windows editor's file: GB18030 is a superset of GBK and GB2312
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _CJK.search(text) and not_an_article(text) is None:
        return text, "read as GB18030 (not UTF-8)"
    byte = raw[utf8_error.start]
    raise Unreadable(f"bad encoding: not UTF-8 (byte 0x{byte:02x} at {utf8_error.start}) nor GB18030 text")


def pdf_text(path: Path) -> str:
    """The text of a PDF with pdfminer.six (layout kept line by line; kb/clean.py mends the rest)."""
    import logging

    from pdfminer.high_level import extract_text
    from pdfminer.pdfparser import PDFSyntaxError

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # it warns about every odd font on the page
    try:
        text = extract_text(str(path))
    except PDFSyntaxError as exc:
        raise Unreadable(f"not a readable PDF ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for damaged files
        raise Unreadable(f"PDF cannot be parsed ({type(exc).__name__}: {exc})") from exc
    if not text.strip():
        raise Unreadable("PDF holds no text layer (a scan? run OCR first)")
    return text


def clean_controls(text: str) -> str:
    return _CONTROL.sub("", text)


def not_an_article(text: str) -> str | None:
    """Why readable text is not a newspaper article, or None when it reads like one."""
    chinese = len(_CJK.findall(text))
    if chinese < MIN_CHINESE:
        if len(_LATIN1_MOJIBAKE.findall(text)) >= MIN_CHINESE:
            return "mojibake: UTF-8 text that was read as Latin-1 and saved again (bad encoding)"
        return "no Chinese text to read"
    controls = len(_CONTROL.findall(text))
    if controls > 0.01 * len(text):
        return f"binary data, not text ({controls} control characters)"
    share = word_share(text)
    if share < MIN_WORD_SHARE:
        return (
            f"random characters, not sentences: {share:.0%} of its Chinese characters form words "
            f"(articles: about 80%)"
        )
    return None


def word_share(text: str) -> float:
    """Share of the Chinese characters in three sample windows that lie inside dictionary words."""
    import jieba

    chunks = [text] if len(text) <= 3 * SAMPLE_CHARS else []
    if not chunks:
        mid = len(text) // 2 - SAMPLE_CHARS // 2
        chunks = [text[:SAMPLE_CHARS], text[mid : mid + SAMPLE_CHARS], text[-SAMPLE_CHARS:]]
    total = inside = 0
    for chunk in chunks:
        total += len(_CJK.findall(chunk))
        for word in jieba.lcut(chunk, HMM=False):
            if len(word) >= 2 and _CJK.fullmatch(word[0]) and all(_CJK.match(c) for c in word):
                inside += len(word)
    return inside / total if total else 0.0
