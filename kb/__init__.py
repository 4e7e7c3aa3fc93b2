"""The fact base: articles in, a SQLite file of articles, sentences, facts and places out."""
