"""`ordino serve`: gunicorn from this interpreter, never the development server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from ordino.console.services import bind_parse, gunicorn_argv, public_urls
from ordino.core.domain.errors import DomainError


def test_gunicorn_argv_uses_sync_workers_by_default():
    argv = gunicorn_argv(bind="127.0.0.1:9000", workers=3, timeout=45, python="/py")
    assert argv == [
        "/py", "-m", "gunicorn", "ordino.wsgi:application",
        "--bind", "127.0.0.1:9000", "--workers", "3", "--timeout", "45",
        "--graceful-timeout", "20", "--access-logfile", "-", "--error-logfile", "-",
        "--no-control-socket", "--preload",
    ]  # fmt: skip


def test_gunicorn_argv_uses_gthread_with_threads():
    argv = gunicorn_argv(bind="0.0.0.0:80", workers=2, threads=8, python="/py")
    assert argv[-4:] == ["--worker-class", "gthread", "--threads", "8"]


def test_bind_and_urls():
    assert bind_parse("0.0.0.0:8000") == ("0.0.0.0", 8000)
    assert bind_parse("9000") == ("127.0.0.1", 9000)
    with pytest.raises(DomainError, match="not HOST:PORT"):
        bind_parse("localhost:http")
    assert public_urls("0.0.0.0:8000") == {
        "console": "http://127.0.0.1:8000/admin/",
        "api_docs": "http://127.0.0.1:8000/api/v1/docs",
        "openapi": "http://127.0.0.1:8000/api/v1/openapi.json",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, deadline: float) -> tuple[int, bytes]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


TEST_SECRET_KEY = "test-" + "k3y-0f-the-serve-tests-" * 3


@pytest.mark.timeout(60)
def test_serve_answers_the_openapi_document_and_stops_on_sigterm(tmp_path):
    # Given `ordino serve` started on a free port against a temporary SQLite file
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ORDINO_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ordino.settings")
    env["ORDINO_SECRET_KEY"] = TEST_SECRET_KEY
    server = subprocess.Popen(
        [sys.executable, "-m", "ordino.cli", "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        # When the OpenAPI document is requested
        status, body = get(f"http://127.0.0.1:{port}/api/v1/openapi.json", time.monotonic() + 30)
        # Then it is served
        assert status == 200
        assert b'"title": "Ordino API"' in body or b'"title":"Ordino API"' in body
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    # and the server was gunicorn (exec'd in place: same pid), logging access to stdout
    assert server.returncode == 0
    assert "Starting gunicorn" in output
    assert f"Listening at: http://127.0.0.1:{port} ({server.pid})" in output
    assert '"GET /api/v1/openapi.json HTTP/1.1" 200' in output


@pytest.mark.timeout(90)
def test_serve_with_worker_relays_the_outbox_and_both_stop_together(tmp_path):
    # Given a migrated database with one undelivered event, and `ordino serve --with-worker`
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ORDINO_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ordino.settings")
    env["ORDINO_SECRET_KEY"] = TEST_SECRET_KEY
    ordino = [sys.executable, "-m", "ordino.cli"]
    subprocess.run([*ordino, "migrate", "-v", "0"], env=env, check=True)
    emit = (
        "import django; django.setup();"
        "from ordino.events.services import event_emit;"
        "event_emit(name='thing.happened', aggregate_type='thing', aggregate_id=1, payload={})"
    )
    subprocess.run([sys.executable, "-c", emit], env=env, check=True)
    server = subprocess.Popen(
        [*ordino, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--with-worker"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        get(f"http://127.0.0.1:{port}/api/v1/openapi.json", time.monotonic() + 30)
        # When the worker has had a moment
        check = (
            "import django; django.setup();"
            "from ordino.events.models import OutboxEvent;"
            "print(OutboxEvent.objects.filter(delivered_at__isnull=False).count())"
        )
        deadline = time.monotonic() + 30
        while True:
            done = subprocess.run(
                [sys.executable, "-c", check], env=env, capture_output=True, text=True
            ).stdout.strip()
            if done == "1" or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        # Then the event was delivered
        assert done == "1"
    finally:
        server.send_signal(signal.SIGTERM)
        # and stopping the server stops the worker too (the pipe closes: communicate returns)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0
    assert "ordino worker: relaying the outbox" in output
