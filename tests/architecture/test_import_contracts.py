"""The import contracts bite (docs/architecture.md, "The direction of dependency").

`lint-imports` runs with the project's own contracts (pyproject.toml) on a temporary copy of
`src/ordino` with one illegal import planted: it must fail, naming the broken contract and the
import. On the real tree it must pass. No database; about a second per run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PYPROJECT = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

CONTRACTS = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
LAYERS = next(c for c in CONTRACTS if c["type"] == "layers")
DOMAIN = next(c for c in CONTRACTS if "ordino.orders.domain" in c.get("source_modules", ()))
HTTP = next(c for c in CONTRACTS if "ordino.orders.api" in c.get("source_modules", ()))


def lint_imports(src: Path, tmp_path: Path) -> tuple[int, str]:
    """Run lint-imports on the `ordino` package under `src` with the project's contracts."""
    env = {**os.environ, "PYTHONPATH": str(src), "COLUMNS": "250", "NO_COLOR": "1"}
    done = subprocess.run(
        [LINT_IMPORTS, "--config", PYPROJECT, "--no-cache", "--no-logo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def broken_contracts(output: str) -> set[str]:
    return {c["name"] for c in CONTRACTS if f"{c['name']} BROKEN" in output}


def copy_with(tmp_path: Path, relative: str, line: str) -> Path:
    """A copy of src/ordino with `line` appended to the module at `relative`."""
    copy = tmp_path / "src"
    shutil.copytree(SRC / "ordino", copy / "ordino", ignore=shutil.ignore_patterns("__pycache__"))
    module = copy / "ordino" / relative
    assert module.is_file(), relative
    module.write_text(module.read_text() + f"\n{line}  # planted by the test\n")
    return copy


def test_the_real_tree_keeps_every_contract(tmp_path):
    # given the code as it is, when lint-imports checks it
    code, output = lint_imports(SRC, tmp_path)
    # then every contract is kept
    assert code == 0, output
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in output


PLANTED = [
    pytest.param(
        "orders/domain/status.py",
        "import ordino.fulfillment.models",
        {DOMAIN["name"], HTTP["name"]},  # and indirectly: orders/schemas.py reads the states
        "ordino.orders.domain.status -> ordino.fulfillment.models",
        id="a domain package imports another module's tables",
    ),
    pytest.param(
        "catalog/domain/kits.py",
        "import django.db",
        {DOMAIN["name"]},
        "ordino.catalog.domain.kits -> django",
        id="a domain package imports Django",
    ),
    pytest.param(
        "inventory/ledger.py",
        "import ordino.orders.services",
        {LAYERS["name"]},
        "ordino.inventory.ledger -> ordino.orders.services",
        id="inventory imports orders, a module above it",
    ),
    pytest.param(
        "catalog/selectors.py",
        "import ordino.locations.selectors",
        {LAYERS["name"]},
        "ordino.catalog.selectors -> ordino.locations.selectors",
        id="catalog imports locations, an independent sibling",
    ),
    pytest.param(
        "events/services.py",
        "import ordino.wiring",
        {LAYERS["name"]},
        "ordino.events.services -> ordino.wiring",
        id="events imports the composition root",
    ),
    pytest.param(
        "orders/api.py",
        "import ordino.fulfillment.models",
        {HTTP["name"]},
        "ordino.orders.api -> ordino.fulfillment.models",
        id="an HTTP adapter imports a table",
    ),
    pytest.param(
        "customers/schemas.py",
        "import ordino.customers.models",
        {HTTP["name"]},
        "ordino.customers.schemas -> ordino.customers.models",
        id="an HTTP adapter reaches a table through its schemas",
    ),
]


@pytest.mark.parametrize(("module", "line", "contracts", "import_shown"), PLANTED)
def test_a_planted_illegal_import_breaks_its_contract(
    tmp_path, module, line, contracts, import_shown
):
    # given a copy of the code with one illegal import
    copy = copy_with(tmp_path, module, line)
    # when lint-imports checks the copy
    code, output = lint_imports(copy, tmp_path)
    # then it fails, naming exactly the broken contracts and the import
    assert code == 1, output
    assert broken_contracts(output) == contracts, output
    assert f"Contracts: {len(CONTRACTS) - len(contracts)} kept, {len(contracts)} broken." in output
    assert re.search(re.escape(import_shown) + r" \(l\.\d+\)", output), output


def test_no_contract_lets_indirect_imports_through():
    assert [c["name"] for c in CONTRACTS if c.get("allow_indirect_imports")] == []


def test_every_models_module_is_forbidden_to_domain_packages_and_http_adapters():
    # given every module that owns tables
    models = {f"ordino.{p.parent.name}.models" for p in (SRC / "ordino").glob("*/models.py")}
    # then both contracts name it
    assert models - set(DOMAIN["forbidden_modules"]) == set()
    assert models - set(HTTP["forbidden_modules"]) == set()
    # and every module with a domain package or an HTTP adapter is checked
    domains = {f"ordino.{p.parent.name}.domain" for p in (SRC / "ordino").glob("*/domain")}
    adapters = {f"ordino.{p.parent.name}.api" for p in (SRC / "ordino").glob("*/api.py")}
    assert domains - set(DOMAIN["source_modules"]) == set()
    assert adapters - set(HTTP["source_modules"]) == set()


def test_every_module_has_a_place_in_the_direction_of_dependency():
    # given every package and top-level module of ordino but the package itself and settings
    found = {
        f"ordino.{p.stem if p.suffix == '.py' else p.name}"
        for p in (SRC / "ordino").iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").is_file())
        and p.name not in ("__init__.py", "settings.py")
    }
    # then the layers contract places each of them
    placed = {name.strip() for layer in LAYERS["layers"] for name in re.split(r"[|:]", layer)}
    assert found == placed
