"""Serving Ordino: gunicorn (never Django's development server), exec'd from this interpreter."""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management.base import CommandError
from django.db import connections

from ordino.console.services import DEFAULT_THREADS, bind_parse, gunicorn_argv
from ordino.core.domain.errors import DomainError


def add_serve_arguments(parser) -> None:
    parser.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT (default %(default)s)")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("ORDINO_WORKERS", "2")),
        help="worker processes (default %(default)s; env ORDINO_WORKERS)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("ORDINO_THREADS", str(DEFAULT_THREADS))),
        help="threads per worker (default %(default)s; env ORDINO_THREADS)",
    )
    parser.add_argument("--timeout", type=int, default=60, help="worker timeout in seconds")
    parser.add_argument(
        "--with-worker",
        action="store_true",
        help="also start a background worker (outbox relay, periodic jobs) beside the server; "
        "in production run `ordino worker` as its own process(es) instead",
    )


def worker_start() -> subprocess.Popen:
    """The background worker (outbox relay, periodic jobs) as a child process. It stays in the
    server's process group, so Ctrl-C stops both, and it exits when the server does."""
    return subprocess.Popen([sys.executable, "-m", "ordino.cli", "worker", "--exit-with-parent"])


def serve_exec(
    *, bind: str, workers: int, threads: int, timeout: int, with_worker: bool = False
) -> None:
    """Replace this process with gunicorn, so signals (Ctrl-C, SIGTERM) reach it directly."""
    try:
        bind_parse(bind)
    except DomainError as exc:
        raise CommandError(exc.message) from None
    if workers < 1 or threads < 1 or timeout < 1:
        raise CommandError("--workers, --threads and --timeout must be at least 1.")
    argv = gunicorn_argv(bind=bind, workers=workers, threads=threads, timeout=timeout)
    connections.close_all()
    if with_worker:
        worker_start()
    sys.stdout.flush()
    sys.stderr.flush()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordino.settings")
    os.execv(argv[0], argv)
