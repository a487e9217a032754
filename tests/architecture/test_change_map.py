"""docs/architecture.md's "Where does a change go" names real places: every path it gives (with a
folder in it) exists, under src/ordino or at the repository's root."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _table_paths() -> set[str]:
    text = (ROOT / "docs" / "architecture.md").read_text()
    section = text.split("## Where does a change go", 1)[1].split("\n## ", 1)[0]
    # a path has a folder in it; "/sourcing" is an API route, "services/__init__.py" a relative
    # name beside "the module's services.py"
    found = re.findall(r"`([\w./]+)`", section)
    relative = ("/", "services/", "management/")  # "the module's management/commands/" too
    return {p for p in found if "/" in p.rstrip("/") and not p.startswith(relative)}


def test_every_path_in_the_change_map_exists():
    paths = _table_paths()
    assert len(paths) > 40  # the table is read, not skipped
    missing = sorted(
        p
        for p in paths
        if not (ROOT / "src" / "ordino" / p).exists()
        and not (ROOT / p).exists()
        and not (ROOT / "src" / p).exists()
    )
    assert missing == []
