"""Shared fixtures: a fact base built once per test session from the shipped articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine import Engine
from engine.core import build

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "kb" / "articles"


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("kb") / "facts.db"
    report = build(ARTICLES, db)
    assert report.ok, report.summary()
    return db


@pytest.fixture(scope="session")
def engine(built_db) -> Engine:
    return Engine(built_db)


@pytest.fixture
def articles_copy(tmp_path) -> Path:
    """A writable copy of the shipped articles, for tests that edit or break them."""
    dest = tmp_path / "articles"
    shutil.copytree(ARTICLES, dest)
    return dest
