"""The intent set: ways of asking, vocabularies and reply templates as versioned YAML files."""

from intents.load import IntentError, IntentSet, QuestionType, load

__all__ = ["IntentSet", "QuestionType", "IntentError", "load"]
