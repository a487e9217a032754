"""A live Ordino for races and benchmarks: its own database, real server processes, and a way to
run Django code against that database in a child process.

Nothing here touches the test process's own database: the database a race runs on is created
here (a temp SQLite file, or a fresh `ordino_conc_<random>` PostgreSQL database when
DATABASE_URL points at PostgreSQL) and every Django call against it runs in a subprocess.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.concurrency import templates

REPO = Path(__file__).resolve().parents[2]
RESULT_MARK = "@@ordino-live-result@@ "
_SCRUBBED = (
    "DATABASE_URL",
    "ORDINO_TEST_SQLITE_NAME",
    "PYTEST_XDIST_WORKER",
    "PYTEST_CURRENT_TEST",
)


def postgres_url() -> str | None:
    """The PostgreSQL server to race on, from DATABASE_URL (None: use SQLite)."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.split(":", 1)[0] in ("postgres", "postgresql", "pgsql") else None


@contextlib.contextmanager
def live_database(tmp_path: Path) -> Iterator[LiveDatabase]:
    """A fresh database for one race: PostgreSQL when DATABASE_URL points at it, else SQLite;
    dropped afterwards."""
    pg = postgres_url()
    db = database_create("postgres" if pg else "sqlite", tmp_path / "data", pg_url=pg)
    try:
        yield db
    finally:
        db.drop()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveDatabase:
    """One throwaway database and the environment that points Ordino at it."""

    kind: str  # "sqlite" or "postgres"
    env: dict[str, str]
    data_dir: Path
    _drop: tuple[str, str] | None = field(default=None, repr=False)  # (admin url, db name)

    @property
    def label(self) -> str:
        return self.env.get("DATABASE_URL", f"sqlite:{self.data_dir / 'ordino.sqlite3'}")

    def drop(self) -> None:
        if self._drop is None:
            return
        import psycopg

        admin_url, name = self._drop
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._drop = None


def _base_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env["DJANGO_SETTINGS_MODULE"] = "ordino.settings"
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(REPO)])
    env["ORDINO_DATA_DIR"] = str(data_dir)
    env.setdefault("ORDINO_LOG_LEVEL", "WARNING")
    # a server refuses the public development key; races and benchmarks send far more requests
    # per token than the default rate limit allows
    env.setdefault("ORDINO_SECRET_KEY", "live-server-" + "s3cret-of-the-race-tests-" * 3)
    env.setdefault("ORDINO_API_RATE_LIMIT", "0")
    return env


def database_create(kind: str, data_dir: Path, *, pg_url: str | None = None) -> LiveDatabase:
    """A fresh, migrated database: a copy of a template migrated once (templates.py). kind
    "postgres" needs `pg_url` (any database on the server)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    env = _base_env(data_dir)
    db = LiveDatabase(kind=kind, env=env, data_dir=data_dir)
    key = templates.schema_key(REPO, env)
    if kind == "sqlite":
        templates.sqlite_from_template(key, data_dir, lambda into: _migrate(env, into))
        return db
    import psycopg

    if not pg_url:
        raise ValueError("a PostgreSQL URL is needed")
    parts = urlsplit(pg_url)
    name = f"ordino_conc_{secrets.token_hex(4)}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))

    def migrate_into(database: str) -> None:
        _migrate({**env, "DATABASE_URL": urlunsplit(parts._replace(path=f"/{database}"))})

    with psycopg.connect(admin_url, autocommit=True) as conn:
        templates.postgres_from_template(conn, key, name, migrate_into)
    db._drop = (admin_url, name)
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    return db


def _migrate(env: dict[str, str], data_dir: Path | None = None) -> None:
    """`ordino migrate` with `env` (its data directory moved to `data_dir` if given)."""
    if data_dir is not None:
        env = {**env, "ORDINO_DATA_DIR": str(data_dir)}
    target = LiveDatabase(kind="", env=env, data_dir=Path(env["ORDINO_DATA_DIR"]))
    manage(target, "migrate", "--noinput", "-v", "0")


def manage(db: LiveDatabase, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """`ordino <args>` against the database, in a child process."""
    result = subprocess.run(
        [sys.executable, "-m", "ordino.cli", *args],
        env=db.env,
        cwd=db.data_dir,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"ordino {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n"
            f"{result.stderr}"
        )
    return result


def django_call(db: LiveDatabase, target: str, **kwargs) -> object:
    """Run `module:function(**kwargs)` with Django set up against the database, in a child
    process; returns what the function returned (JSON-serialisable)."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.concurrency.live", target, json.dumps(kwargs)],
        env=db.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    for line in reversed(result.stdout.splitlines()):
        if line.startswith(RESULT_MARK) and result.returncode == 0:
            return json.loads(line[len(RESULT_MARK) :])
    raise RuntimeError(
        f"{target} failed ({result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-8000:]}"
    )


def inventory_check(db: LiveDatabase) -> dict:
    """The ledger check as an operator runs it: `ordino inventory check` when that command
    exists, else the service it wraps. Returns {"ok": bool, "output": str}."""
    if importlib.util.find_spec("ordino.inventory.management.commands.inventory"):
        result = manage(db, "inventory", "check", check=False)
        if "Unknown command" not in result.stderr:
            return {"ok": result.returncode == 0, "output": result.stdout + result.stderr}
    return django_call(db, "tests.concurrency.scenario:ledger_check")  # type: ignore[return-value]


def _serve_argv(bind: str, workers: int) -> list[str]:
    """`ordino serve` when it exists; gunicorn directly otherwise."""
    if importlib.util.find_spec("ordino.console.management.commands.serve"):
        return [sys.executable, "-m", "ordino.cli", "serve", "--bind", bind]
    return [sys.executable, "-m", "gunicorn", "ordino.wsgi:application", "--bind", bind]


class LiveServer:
    """`ordino serve` on one port, that can be killed (SIGKILL to the whole process group:
    gunicorn's master and its workers) and started again on the same port.

    `env`: extra environment for the server processes (e.g. a short idempotency lease).
    """

    def __init__(
        self,
        db: LiveDatabase,
        *,
        workers: int = 2,
        port: int | None = None,
        log: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.db = db
        self.workers = workers
        self.port = port or free_port()
        self.log = log or db.data_dir / "server.log"
        self.env = {**db.env, **(env or {})}
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.kills = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 60.0, wait: bool = True) -> bool:
        """Start and wait until it answers; False when it died or never answered.

        `wait=False`: return at once (the caller watches its own traffic come through)."""
        if self.proc is not None and self.proc.poll() is None:
            raise RuntimeError("the server is running already")
        argv = [
            *_serve_argv(f"127.0.0.1:{self.port}", self.workers),
            "--workers",
            str(self.workers),
        ]
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                argv,
                env=self.env,
                cwd=self.db.data_dir,
                stdout=out,
                stderr=out,
                start_new_session=True,
            )
        self.starts += 1
        if not wait or _wait_ready(self.proc, self.port, timeout):
            return True
        self.kill()
        return False

    def kill(self) -> None:
        """SIGKILL the process group at once: no worker finishes its request, nothing is
        flushed or rolled back by the server itself."""
        proc = self.proc
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        _reap_group(proc.pid)
        self.kills += 1
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)
            self.proc = None


def _reap_group(pgid: int, timeout: float = 10.0) -> None:
    """Wait until no process of the group is left (the workers die with the master, but the
    kernel may take a moment to tear them down and free the port)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)


@contextlib.contextmanager
def server(
    db: LiveDatabase, *, workers: int = 2, log: Path | None = None, env: dict | None = None
) -> Iterator[str]:
    """Serve Ordino with `workers` processes on a free port; yields the base URL."""
    for _attempt in range(5):
        live = LiveServer(db, workers=workers, log=log, env=env)
        if live.start():
            break
    else:
        log = live.log
        raise RuntimeError(f"the server did not start; see {log}:\n{log.read_text()[-4000:]}")
    try:
        yield live.url
    finally:
        live.stop()


def _wait_ready(proc: subprocess.Popen, port: int, timeout: float = 60.0) -> bool:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5).is_success:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _main() -> None:
    import importlib

    import django

    django.setup()
    module_name, func_name = sys.argv[1].split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    result = func(**json.loads(sys.argv[2]))
    sys.stdout.write(RESULT_MARK + json.dumps(result) + "\n")


if __name__ == "__main__":
    _main()
