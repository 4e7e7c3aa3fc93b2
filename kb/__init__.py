"""The fact base: articles in, a SQLite file of articles, sentences, facts and places out."""

import os

# pypinyin reads characters one by one in this whole project (English place names here, typo keys in
# the engine): its phrase dictionary and dict copy would cost every process about 50 MB, and one mode
# everywhere keeps builds identical whichever module imports pypinyin first.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
