"""The fact base: articles in, a SQLite file of articles, sentences, facts and places out."""

import os

# pypinyin reads characters one by one in this whole project (English place names here, typo keys in
# the engine): its phrase dictionary and dict copy would cost every process about 50 MB, and one mode
# everywhere keeps builds identical whichever module imports pypinyin first.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
# jieba's dictionary cache file (default: jieba.cache in the temp folder); the image sets JIEBA_CACHE to a
# file its user owns, so that every process loads the cache instead of rebuilding and re-dumping it.
import sys  # noqa: E402

# jieba imports pkg_resources (setuptools; ~0.4 s of every start) only to open its own dictionary files, and
# opens them itself where there is none: imported here first without it (jieba reads the same files).
if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
if os.environ.get("JIEBA_CACHE"):
    import jieba

    jieba.dt.cache_file = os.environ["JIEBA_CACHE"]
