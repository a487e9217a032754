"""One owner per table (docs/architecture.md, "Who owns which table"): the table in the docs is
the models' truth, and no module writes another module's models."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import package_graph  # noqa: E402


def _documented_owners() -> dict[str, set[str]]:
    text = (ROOT / "docs" / "architecture.md").read_text()
    section = text.split("## Who owns which table", 1)[1].split("\n## ", 1)[0]
    owners = {}
    for owner, models in re.findall(r"^\| `(\w+)` \| ([A-Za-z, ]+) \|$", section, flags=re.M):
        owners[owner] = {m.strip() for m in models.split(",")}
    return owners


def _code_owners() -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("ordino."):
            continue
        models = {m.__name__ for m in config.get_models()}
        if models:
            owners[config.name.removeprefix("ordino.")] = models
    return owners


def test_the_ownership_table_lists_every_model_under_its_module():
    assert _documented_owners() == _code_owners()


def test_no_module_writes_a_table_of_another():
    # given the code as it is, when its writes are measured
    writes = package_graph.measure()["cross_module_writes"]
    # then every create/update/delete/lock goes through the owner's own code
    assert writes == []


def test_the_package_graph_has_no_cycle():
    # given the modules' imports, when the graph is measured, then no module reaches itself
    assert package_graph.measure()["cycles"] == []
