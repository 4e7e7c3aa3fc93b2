"""The answering engine: question in, sourced answer (or an honest "I don't know") out."""

from engine.core import Engine, default_db_path
from engine.types import Alternative, Answer, BuildReport, Source

__all__ = ["Engine", "Answer", "Source", "Alternative", "BuildReport", "default_db_path"]
