"""The shape of the package graph, measured from the code: import edges between Ordino's modules,
the cycles among them, writes to another module's tables, and the longest functions.

    .venv/bin/python tools/package_graph.py [--json]

A write is a call that changes rows (`create`, `update`, `delete`, `bulk_create`, `save`,
`select_for_update`, ...) through a model class imported from another module's `models`. Reads
are not counted: other modules may read through selectors (docs/architecture.md).
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "ordino"
WRITES = {
    "create",
    "bulk_create",
    "bulk_update",
    "update",
    "update_or_create",
    "get_or_create",
    "delete",
    "save",
    "select_for_update",
}
LONG = 60


def module_of(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0].removesuffix(".py")  # a package, or a top-level file (wiring, api, ...)


def imported_modules(tree: ast.AST) -> list[tuple[str, list[str]]]:
    """(ordino module, names) for each `import ordino.x...` / `from ordino.x... import names`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ordino."):
            found.append((node.module, [a.asname or a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names if a.name.startswith("ordino.")]
    return found


def cross_writes(tree: ast.AST, foreign_models: dict[str, str]) -> list[tuple[int, str, str]]:
    """(line, model, call) for each write through a model owned by another module."""
    writes = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITES:
            continue
        root = node.func.value
        while isinstance(root, ast.Call | ast.Attribute):
            root = root.func if isinstance(root, ast.Call) else root.value
        if isinstance(root, ast.Name) and root.id in foreign_models:
            writes.append((node.lineno, root.id, node.func.attr))
    return writes


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def measure() -> dict:
    edges: dict[str, set[str]] = defaultdict(set)
    edge_count: dict[tuple[str, str], int] = defaultdict(int)
    writes = []
    functions = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        here = module_of(path)
        foreign: dict[str, str] = {}
        for target, names in imported_modules(tree):
            other = target.split(".")[1]
            if other != here:
                edges[here].add(other)
                edge_count[(here, other)] += 1
                if target.endswith(".models"):
                    foreign.update(dict.fromkeys(names, other))
        rel = str(path.relative_to(SRC.parent))
        writes += [
            {"file": rel, "line": line, "model": model, "owner": foreign[model], "call": call}
            for line, model, call in cross_writes(tree, foreign)
        ]
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                functions.append({"function": f"{rel}:{node.name}", "lines": length})
    functions.sort(key=lambda f: -f["lines"])
    return {
        "modules": sorted(set(edges) | {m for targets in edges.values() for m in targets}),
        "edges": {f"{a} -> {b}": n for (a, b), n in sorted(edge_count.items())},
        "cycles": cycles(edges),
        "cross_module_writes": writes,
        "functions_over_60_lines": [f for f in functions if f["lines"] > LONG],
        "longest_functions": functions[:10],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print every figure as JSON")
    args = parser.parse_args()
    report = measure()
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"modules: {len(report['modules'])}, import edges: {len(report['edges'])}")
    print(f"cycles: {len(report['cycles'])}")
    for component in report["cycles"]:
        print("  " + " <-> ".join(component))
    by_owner: dict[str, int] = defaultdict(int)
    for w in report["cross_module_writes"]:
        by_owner[f"{w['file'].split('/')[1]} writes {w['owner']}"] += 1
    print(f"cross-module writes: {len(report['cross_module_writes'])}")
    for pair, n in sorted(by_owner.items()):
        print(f"  {pair}: {n}")
    print(f"functions over {LONG} lines: {len(report['functions_over_60_lines'])}")
    for f in report["longest_functions"]:
        print(f"  {f['lines']:4d}  {f['function']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
