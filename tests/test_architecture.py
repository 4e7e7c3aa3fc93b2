"""Dependency direction: bot -> engine -> (intents, kb); intents and kb do not import each other;
only bot imports telegram."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports(package: str) -> set[str]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


def test_layers():
    assert not imports("kb") & {"intents", "engine", "bot", "telegram"}
    assert not imports("intents") & {"kb", "engine", "bot", "telegram"}
    assert not imports("engine") & {"bot", "telegram"}
    assert "telegram" not in imports("scripts")
