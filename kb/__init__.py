"""The fact base: articles in, a SQLite file of articles, sentences, facts and places out."""

import os

# pypinyin reads characters one by one in this whole project (English place names here, typo keys in
# the engine): its phrase dictionary and dict copy would cost every process about 50 MB, and one mode
# everywhere keeps builds identical whichever module imports pypinyin first.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
# jieba's dictionary cache file (default: jieba.cache in the temp folder); the image sets JIEBA_CACHE to a
# file its user owns, so that every process loads the cache instead of rebuilding and re-dumping it.
if os.environ.get("JIEBA_CACHE"):
    import jieba

    jieba.dt.cache_file = os.environ["JIEBA_CACHE"]
