"""`ordino serve`: gunicorn from this interpreter, never the development server."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from ordino.console.services import bind_parse, gunicorn_argv, public_urls
from ordino.core.domain.errors import DomainError


def test_gunicorn_argv_uses_threaded_workers_with_bounded_reads():
    argv = gunicorn_argv(bind="127.0.0.1:9000", workers=3, timeout=45, python="/py")
    assert argv == [
        "/py", "-m", "gunicorn", "ordino.wsgi:application",
        "--bind", "127.0.0.1:9000", "--workers", "3", "--timeout", "45",
        "--graceful-timeout", "20", "--access-logfile", "-", "--error-logfile", "-",
        "--no-control-socket", "--preload",
        "--worker-class", "ordino.console.gunicorn_worker.BoundedReadThreadWorker",
        "--threads", "8",
    ]  # fmt: skip


def test_gunicorn_argv_takes_the_threads():
    argv = gunicorn_argv(bind="0.0.0.0:80", workers=2, threads=16, python="/py")
    assert argv[-2:] == ["--threads", "16"]


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


@pytest.mark.timeout(180)  # four processes start and stop: slow on a busy 2-core machine
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
        "from ordino.orders.events import OrderDelivered;"
        "event_emit(event=OrderDelivered(order_id=1, status='delivered'), aggregate_id=1)"
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


SLOW_CLIENTS = {
    # connected, sends nothing
    "idle": b"",
    # stops in the middle of its headers
    "headers": b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    # unauthenticated, stops in the middle of its body (with an Idempotency-Key)
    "body": b"POST /api/v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b'Idempotency-Key: k\r\nContent-Length: 100000\r\n\r\n{"channel": ',
}


def get_answer(url: str, timeout: float) -> tuple[int, bytes]:
    """Status and body, error answers included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def slow_clients(port: int, each: int) -> list[socket.socket]:
    opened = []
    for start in SLOW_CLIENTS.values():
        for _ in range(each):
            conn = socket.create_connection(("127.0.0.1", port))
            conn.sendall(start)
            opened.append(conn)
    return opened


def serve(tmp_path, port: int, **extra_env) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ORDINO_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ordino.settings", **extra_env)
    env.setdefault("ORDINO_SECRET_KEY", TEST_SECRET_KEY)
    subprocess.run([sys.executable, "-m", "ordino.cli", "migrate", "-v", "0"], env=env, check=True)
    return subprocess.Popen(
        [sys.executable, "-m", "ordino.cli", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


@pytest.mark.timeout(120)
def test_slow_clients_do_not_stall_the_documented_server(tmp_path):
    # Given `ordino serve` as documented (2 workers, default threads) answering
    port = free_port()
    server = serve(tmp_path, port)
    url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
    slow = []
    try:
        get(url, time.monotonic() + 60)
        # When four clients of each kind connect and never finish their request (idle, halfway
        # through the headers, halfway through the body): twelve connections, for the 2 x 8
        # threads (four idle connections stalled the sync workers for over 15 s)
        slow = slow_clients(port, each=4)
        time.sleep(0.5)
        # Then normal requests meanwhile still answer, each within five seconds (the sync
        # workers answered none before their 60 s timeout; five leaves room for a busy machine)
        waits = []
        for _ in range(10):
            started = time.monotonic()
            status, body = get_answer(f"http://127.0.0.1:{port}/api/v1/orders", timeout=10)
            waits.append(time.monotonic() - started)
            assert (status, json.loads(body)["code"]) == (401, "unauthenticated")
        assert max(waits) < 5.0, waits
    finally:
        for conn in slow:
            conn.close()
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)
    assert server.returncode == 0


@pytest.mark.timeout(120)
def test_a_client_that_stops_sending_its_body_is_answered_408_after_the_read_timeout(tmp_path):
    # Given `ordino serve` with a read timeout of one second, and an API token
    port = free_port()
    server = serve(tmp_path, port, ORDINO_REQUEST_READ_TIMEOUT_SECONDS="1")
    try:
        get(f"http://127.0.0.1:{port}/api/v1/openapi.json", time.monotonic() + 60)
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(ORDINO_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ordino.settings")
        minted = subprocess.run(
            [sys.executable, "-m", "ordino.cli", "token", "create", "--name", "t", "--scopes", "*"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        secret = minted.stdout.strip().splitlines()[-1]
        # When an authenticated client sends half its body and then nothing
        conn = socket.create_connection(("127.0.0.1", port))
        conn.settimeout(20)
        started = time.monotonic()
        conn.sendall(
            b"POST /api/v1/inventory/receipts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer " + secret.encode() + b"\r\n"
            b'Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{"location": '
        )
        answer = b""
        while b"}" not in answer and (chunk := conn.recv(65536)):
            answer += chunk
        waited = time.monotonic() - started
        conn.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)
    # Then after about the read timeout it is answered 408 request_timeout, as a problem
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 "), answer[:300]
    assert b"Content-Type: application/problem+json" in head
    assert b'"code": "request_timeout"' in body
    assert 0.9 < waited < 5, waited
