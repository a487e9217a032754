"""`ordino export`: every entity as JSON lines and CSV, with a manifest (docs/transfer.md).

Tables are read in chunks by primary key (keyset pages, never a whole table in memory), inside
one read transaction so that the files agree with each other (on PostgreSQL a REPEATABLE READ
snapshot; on SQLite a read transaction is one). Same data, same bytes: rows by primary key,
values encoded by `domain/format.py`.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.transfer.domain.format import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    csv_cell,
    jsonl_line,
    value_encode,
)
from ordino.transfer.entities import OMITTED_COLUMNS, Entity, entities, excluded_present

CHUNK = 2000


@dataclass
class Written:
    entity: str
    file: str
    format: str
    rows: int
    sha256: str


def ordino_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ordino")
    except PackageNotFoundError:
        return "unknown"


def export_write(*, out: Path, progress: Callable[[Written], None] | None = None) -> dict:
    """Write every entity into `out` (created if needed, refused when it holds files)."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise DomainError(
            "export_dir_not_empty", f"{out} is not empty: export into a new folder.", field="out"
        )
    written: list[Written] = []
    outermost = not connection.in_atomic_block  # a caller's transaction has its own snapshot
    with savepoint():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for entity in entities():
            for item in _entity_write(entity, out):
                written.append(item)
                if progress:
                    progress(item)
        migrations = _migrations()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "ordino_version": ordino_version(),
        "exported_at": value_encode(utcnow()),
        "database": connection.vendor,
        "migrations": migrations,
        "files": [vars(w) for w in written],
        "excluded": excluded_present(),
        "omitted_columns": OMITTED_COLUMNS,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    (out / MANIFEST).write_text(text, encoding="utf-8")
    return manifest


def _migrations() -> dict[str, str]:
    """The last migration applied per app: the schema the files were written from."""
    last: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list(
        "app", "name"
    ):
        last[app] = name
    return last


def _entity_write(entity: Entity, out: Path) -> Iterator[Written]:
    jsonl_path = out / f"{entity.file_stem}.jsonl"
    csv_path = out / f"{entity.file_stem}.csv"
    names = list(entity.columns)
    rows = 0
    with (
        jsonl_path.open("w", encoding="utf-8", newline="\n") as jl,
        csv_path.open("w", encoding="utf-8", newline="") as cf,
    ):
        writer = csv.writer(cf, lineterminator="\n")
        writer.writerow(names)
        for values in rows_read(entity):
            jl.write(jsonl_line(names, values))
            writer.writerow([csv_cell(v) for v in values])
            rows += 1
    for path, kind in ((jsonl_path, "jsonl"), (csv_path, "csv")):
        yield Written(entity.label, path.name, kind, rows, file_sha256(path))


def rows_read(entity: Entity) -> Iterator[tuple]:
    """The table's rows by primary key, CHUNK at a time; natural keys where ids differ between
    databases (permissions, content types)."""
    model = entity.model
    pk = model._meta.pk.attname
    index = entity.columns.index(pk)
    keys = natural_keys() if entity.natural else {}
    swap = [
        (i, keys[entity.natural[c]]) for i, c in enumerate(entity.columns) if c in entity.natural
    ]
    last = None
    while True:
        qs = model._base_manager.order_by(pk)
        if last is not None:
            qs = qs.filter(**{f"{pk}__gt": last})
        chunk = list(qs.values_list(*entity.columns)[:CHUNK])
        for values in chunk:
            if swap:
                values = list(values)
                for i, names in swap:
                    values[i] = None if values[i] is None else names[values[i]]
                values = tuple(values)
            yield values
        if len(chunk) < CHUNK:
            return
        last = chunk[-1][index]


def natural_keys() -> dict[str, dict[int, str]]:
    """Id → natural key of the tables `migrate` makes (their ids differ between databases)."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    return {
        "auth.Permission": {
            p.pk: f"{p.content_type.app_label}.{p.codename}"
            for p in Permission.objects.select_related("content_type")
        },
        "contenttypes.ContentType": {
            c.pk: f"{c.app_label}.{c.model}" for c in ContentType.objects.all()
        },
    }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
