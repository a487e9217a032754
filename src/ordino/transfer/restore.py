"""`ordino import --from DIR`: load an export into an empty Ordino (docs/transfer.md,
"Importing an export").

Checked before anything is written: the manifest's format, every file's SHA-256 and row count
(a changed file is refused by name), every entity's columns against this Ordino's tables, and
that the database holds no data yet (the roles `migrate` seeds are replaced by the export's).
Then one transaction loads the JSON-lines files in dependency order with their ids, and on
PostgreSQL the id sequences are moved past them.

Rows are inserted as they are, not through the use cases: an export is the verbatim state of
an Ordino (its ids, times, ledgers and timelines), which replaying use cases could not
reproduce; the checksums and the empty target stand for the checks the use cases would do.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, models

from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.transfer.domain.format import MANIFEST, manifest_problems
from ordino.transfer.dump import file_sha256, natural_keys
from ordino.transfer.entities import OMITTED_COLUMNS, Entity, entities

CHUNK = 1000
SEEDED = ("auth.Group", "auth.Group_permissions")  # the default roles `migrate` makes


class ExportRefused(DomainError):
    def __init__(self, message: str, *, file: str = "manifest.json") -> None:
        super().__init__("export_refused", message, field=file)


@dataclass
class Loaded:
    entity: str
    rows: int


def export_check(source: Path) -> tuple[dict, list[tuple[Entity, dict]]]:
    """The manifest and, per entity this Ordino has, its JSON-lines file's entry; refused with
    the name of the first file that does not check."""
    path = source / MANIFEST
    if not path.is_file():
        raise ExportRefused(f"{source} has no {MANIFEST}: not an Ordino export.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ExportRefused(f"{MANIFEST} is not valid JSON: {exc}") from None
    problems = manifest_problems(manifest)
    if problems:
        raise ExportRefused(problems[0])
    for entry in manifest["files"]:
        _file_check(source, entry)
    lines = {f["entity"]: f for f in manifest["files"] if f.get("format") == "jsonl"}
    plan: list[tuple[Entity, dict]] = []
    for entity in entities():
        entry = lines.get(entity.label)
        if entry is None:
            raise ExportRefused(f"The export has no file for {entity.label}.")
        plan.append((entity, entry))
    unknown = sorted(set(lines) - {e.label for e, _ in plan})
    if unknown:
        raise ExportRefused(f"This Ordino has no table for {', '.join(unknown)}.")
    return manifest, plan


def _file_check(source: Path, entry: dict) -> None:
    name = entry["file"]
    path = source / name
    if not path.is_file():
        raise ExportRefused(f"{name} is listed in the manifest but missing.", file=name)
    if file_sha256(path) != entry["sha256"]:
        raise ExportRefused(
            f"{name} does not match its SHA-256 in the manifest: it was changed after the "
            "export. Nothing was imported.",
            file=name,
        )


def database_empty_check() -> None:
    for entity in entities():
        if entity.label in SEEDED:
            continue
        if entity.model._base_manager.exists():
            raise DomainError(
                "database_not_empty",
                f"This database holds data ({entity.label} has rows): an export loads only "
                "into an empty Ordino (a new database after `ordino migrate`).",
            )


def export_load(*, source: Path, progress: Callable[[Loaded], None] | None = None) -> list[Loaded]:
    """Load the export in `source` into this empty database, all of it or nothing."""
    _, plan = export_check(source)
    loaded: list[Loaded] = []
    with savepoint():
        database_empty_check()
        for label in reversed(SEEDED):
            _model_of(plan, label)._base_manager.all().delete()
        keys = {label: {v: k for k, v in ids.items()} for label, ids in natural_keys().items()}
        for entity, entry in plan:
            rows = _entity_load(source / entry["file"], entity, keys)
            if rows != entry["rows"]:
                raise ExportRefused(
                    f"{entry['file']} holds {rows} rows, its manifest says {entry['rows']}.",
                    file=entry["file"],
                )
            loaded.append(Loaded(entity.label, rows))
            if progress:
                progress(loaded[-1])
        _sequences_reset([entity.model for entity, _ in plan])
    return loaded


def _model_of(plan: list[tuple[Entity, dict]], label: str) -> type[models.Model]:
    return next(entity.model for entity, _ in plan if entity.label == label)


def _entity_load(path: Path, entity: Entity, keys: dict[str, dict[str, int]]) -> int:
    decoders = _decoders(entity, keys)
    defaults = _omitted_defaults(entity)
    count = 0
    batch: list[models.Model] = []
    for row in _json_lines(path, entity):
        values = {name: decode(row[name]) for name, decode in decoders.items()}
        batch.append(entity.model(**values, **defaults))
        count += 1
        if len(batch) >= CHUNK:
            _insert(entity.model, batch)
            batch = []
    if batch:
        _insert(entity.model, batch)
    return count


def _json_lines(path: Path, entity: Entity) -> Iterator[dict]:
    expected = set(entity.columns)
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                row = json.loads(line)
            except ValueError:
                raise ExportRefused(
                    f"{path.name} line {number} is not JSON.", file=path.name
                ) from None
            if set(row) != expected:
                missing, unknown = sorted(expected - set(row)), sorted(set(row) - expected)
                raise ExportRefused(
                    f"{path.name} line {number}: its columns are not {entity.label}'s "
                    f"(missing {missing}, unknown {unknown}): was it exported by another "
                    "version of Ordino?",
                    file=path.name,
                )
            yield row


def _insert(model: type[models.Model], batch: list[models.Model]) -> None:
    """Insert as given: `raw` keeps every value (no auto_now, no defaults), like loaddata."""
    fields = list(model._meta.concrete_fields)
    size = max(1, connection.ops.bulk_batch_size(fields, batch))
    for start in range(0, len(batch), size):
        model._base_manager._insert(batch[start : start + size], fields=fields, raw=True)


def _decoders(entity: Entity, keys: dict[str, dict[str, int]]) -> dict[str, Callable]:
    by_attname = {f.attname: f for f in entity.model._meta.concrete_fields}
    out: dict[str, Callable] = {}
    for column in entity.columns:
        field = by_attname[column]
        if column in entity.natural:
            ids = keys[entity.natural[column]]
            out[column] = lambda v, ids=ids, c=column: None if v is None else _natural_id(ids, v, c)
        else:
            out[column] = _decoder(field)
    return out


def _natural_id(ids: dict[str, int], value: str, column: str) -> int:
    if value not in ids:
        raise ExportRefused(f"{column}: {value!r} does not exist in this Ordino.")
    return ids[value]


def _decoder(field: models.Field) -> Callable:
    if isinstance(field, models.JSONField):
        return lambda v: v
    if isinstance(field, models.BinaryField):
        return lambda v: None if v is None else base64.b64decode(v)
    if isinstance(field, models.DurationField):
        return lambda v: None if v is None else timedelta(microseconds=v)
    return lambda v: None if v is None else field.to_python(v)


def _omitted_defaults(entity: Entity) -> dict[str, object]:
    if entity.label == "auth.User" and "password" in OMITTED_COLUMNS.get(entity.label, {}):
        from django.contrib.auth.hashers import make_password

        return {"password": make_password(None)}
    return {}


def _sequences_reset(model_list: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
