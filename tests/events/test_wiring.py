"""Every event a subscriber waits for is one the code emits: a misspelt name would leave the
subscriber waiting for ever (a stock feed once never filled backorders that way)."""

from __future__ import annotations

import ast
from pathlib import Path

import ordino
from ordino.wiring import SUBSCRIBERS

SRC = Path(ordino.__file__).parent


def emitted_names() -> set[str]:
    """Event names given as a literal `name=` or `event=` (full names hold a dot), or as
    f"<module>.{x}" where x is a literal passed as `event=` somewhere in the same package."""
    literals: set[str] = set()
    templates: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        package = path.relative_to(SRC).parts[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.keyword):
                continue
            value = node.value
            if node.arg == "name" and isinstance(value, ast.Constant):
                literals.add(str(value.value))
            elif node.arg == "name" and isinstance(value, ast.JoinedStr):
                head = value.values[0]
                if isinstance(head, ast.Constant) and len(value.values) == 2:
                    templates.setdefault(package, set()).add(str(head.value))
            elif node.arg == "event":  # a full name, or the suffix of a templated one
                for const in ast.walk(value):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str):
                        if "." in const.value:
                            literals.add(const.value)
                        else:
                            templates.setdefault(f"{package}:suffixes", set()).add(const.value)
    for package, heads in list(templates.items()):
        if package.endswith(":suffixes"):
            continue
        for head in heads:
            literals |= {head + s for s in templates.get(f"{package}:suffixes", ())}
    return literals


def test_every_subscribed_event_is_emitted_somewhere():
    names = emitted_names()
    assert "inventory.stock_received" in names  # the scan sees templated names
    assert sorted(set(SUBSCRIBERS) - names) == []
