"""The export's values: the same data, the same text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from ordino.transfer.domain.format import csv_cell, jsonl_line, manifest_problems, value_encode


def test_values_are_encoded_the_same_way_every_time():
    plus_two = timezone(timedelta(hours=2))
    assert value_encode(datetime(2026, 1, 1, 12, tzinfo=plus_two)) == "2026-01-01T10:00:00Z"
    assert value_encode(Decimal("19.990")) == "19.990"
    assert value_encode({"b": 1, "a": {"d": 2, "c": 3}}) == {"a": {"c": 3, "d": 2}, "b": 1}
    assert jsonl_line(["id", "x"], (1, None)) == '{"id":1,"x":null}\n'
    assert csv_cell({"b": 1, "a": 2}) == '{"a":2,"b":1}'
    assert csv_cell(None) == "" and csv_cell(True) == "true"
    assert value_encode(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00Z"


def test_a_manifest_naming_a_file_outside_the_folder_is_refused():
    entry = {"entity": "x", "file": "../etc/passwd", "rows": 0, "sha256": ""}
    manifest = {"format": "ordino-export", "format_version": 1, "files": [entry]}
    assert manifest_problems(manifest) == [
        "manifest.json names a file outside the export: '../etc/passwd'."
    ]
    assert "format version" in manifest_problems({**manifest, "format_version": 2})[0]
