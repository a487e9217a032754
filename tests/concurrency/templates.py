"""Migrated databases made once, copied for every race (tests/concurrency/live.py).

A fresh `ordino migrate` costs about 16 s on either database, and the races, crash tests and
benchmarks each need a fresh database. So the first one is migrated into a template — a file on
SQLite, a `TEMPLATE` database on PostgreSQL — and every later one is a copy of it (a file copy;
`CREATE DATABASE … TEMPLATE`, a file-level copy on the server). A template is named by a hash
of everything a migration may read: Ordino's source, Django's version and the ORDINO_
settings of the environment, so a changed migration, model or setting makes a new one. Test
workers building the same template at once wait for each other (a file lock; an advisory lock
on the server).
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SQLITE_FILE = "ordino.sqlite3"
TEMPLATES = Path(tempfile.gettempdir()) / "ordino-test-templates"
PG_PREFIX = "ordino_tpl_"
PG_LOCK = 7_402_118_331  # the advisory lock held while a template is built


def schema_key(repo: Path, env: dict[str, str]) -> str:
    import django

    digest = hashlib.sha256(django.__version__.encode())
    for name, value in sorted(env.items()):
        if name.startswith("ORDINO_") and name != "ORDINO_DATA_DIR":
            digest.update(f"{name}={value}\n".encode())
    source = repo / "src" / "ordino"
    for path in sorted(source.rglob("*.py")):
        digest.update(str(path.relative_to(source)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def sqlite_from_template(key: str, data_dir: Path, migrate: Callable[[Path], None]) -> None:
    """`data_dir` holds a migrated SQLite database: a copy of the template, built first if
    none is (`migrate(directory)` migrates a database in that directory)."""
    built = TEMPLATES / f"sqlite-{key}" / SQLITE_FILE
    if not built.exists():
        TEMPLATES.mkdir(parents=True, exist_ok=True)
        with open(TEMPLATES / f"sqlite-{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not built.exists():
                building = Path(tempfile.mkdtemp(prefix="building-", dir=TEMPLATES))
                migrate(building)
                shutil.copyfile(building / SQLITE_FILE, building / "copy")
                built.parent.mkdir(exist_ok=True)
                (building / "copy").rename(built)  # whole, or not there
                shutil.rmtree(building, ignore_errors=True)
    shutil.copyfile(built, data_dir / SQLITE_FILE)


def postgres_from_template(conn, key: str, name: str, migrate_into: Callable[[str], None]) -> None:
    """Database `name` created from the template, built first if none is
    (`migrate_into(database)` migrates that database). `conn`: an autocommit connection to
    the server's `postgres` database."""
    template = f"{PG_PREFIX}{key}"
    if not _exists(conn, template):
        conn.execute("SELECT pg_advisory_lock(%s)", [PG_LOCK])
        try:
            if not _exists(conn, template):
                _build(conn, template, migrate_into)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [PG_LOCK])
    _create_from(conn, name, template)


def _exists(conn, database: str) -> bool:
    found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
    return found is not None


def _build(conn, template: str, migrate_into: Callable[[str], None]) -> None:
    """Migrate a database aside, then rename it: a template is whole or not there. Templates
    of older sources go (this server's test runs of other checkouts build theirs again)."""
    stale = conn.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
        [PG_PREFIX.replace("_", r"\_") + "%", template],
    ).fetchall()
    for (old,) in stale:
        conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
    building = f"{template}_building"
    conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{building}"')
    try:
        migrate_into(building)
        _retry_in_use(lambda: conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"'))
    except BaseException:
        conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
        raise


def _create_from(conn, name: str, template: str) -> None:
    _retry_in_use(lambda: conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))


def _retry_in_use(statement: Callable[[], object]) -> None:
    """A migrating process's session may outlive it by a moment on the server: PostgreSQL
    refuses to copy or rename a database someone is connected to (ObjectInUse)."""
    import psycopg

    for attempt in range(50):
        try:
            statement()
            return
        except psycopg.errors.ObjectInUse:
            if attempt == 49:
                raise
            time.sleep(0.1)
