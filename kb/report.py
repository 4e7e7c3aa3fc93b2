"""What a fact base build did, for the admin."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BuildReport:
    """What a fact base build did."""

    ok: bool
    db_path: str
    articles: int = 0
    sentences: int = 0
    facts: int = 0
    places: int = 0
    seconds: float = 0.0
    added_facts: int = 0
    removed_facts: int = 0
    added_articles: list[str] = field(default_factory=list)
    removed_articles: list[str] = field(default_factory=list)
    changed_articles: list[str] = field(default_factory=list)
    removal_notes: list[str] = field(default_factory=list)  # what each removed article took with it
    rejected: list[str] = field(default_factory=list)  # "file: reason" for new files that are no article
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    def summary(self) -> str:
        """One human-readable paragraph for the admin."""
        if not self.ok:
            return f"Build failed, the previous fact base keeps serving: {self.error}"  # names the files
        lines = [
            f"Fact base built in {self.seconds:.2f}s: {self.articles} articles, {self.sentences} sentences, "
            f"{self.facts} facts, {self.places} places.",
            f"Facts added {self.added_facts}, removed {self.removed_facts}.",
        ]
        for label, names in (
            ("Articles added", self.added_articles),
            ("Articles removed", self.removed_articles),
            ("Articles changed", self.changed_articles),
        ):
            if names:
                lines.append(f"{label}: {', '.join(names)}")
        lines += [f"  removed {note}" for note in self.removal_notes]
        lines += [f"Rejected, not built (not an article): {r}" for r in self.rejected]
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)
