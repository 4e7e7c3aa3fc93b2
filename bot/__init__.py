"""Telegram front end (and the console chat) over the answering engine."""
