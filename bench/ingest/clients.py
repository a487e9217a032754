"""Clients for every side of the bench, with the same shape: C clients in flight, spread over
up to P processes, each client one connection kept for the whole run (a keep-alive HTTP
connection, or a database connection), each taking the next order as soon as its last one
is answered. Latency is per order; throughput is orders ÷ the run's wall time.
"""

from __future__ import annotations

import contextlib
import faulthandler
import http.client
import json
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections import Counter
from typing import Protocol
from urllib.parse import urlsplit


class Task(Protocol):
    def connect(self): ...

    def run(self, conn, job) -> object: ...  # a status; the connection to use next

    def close(self, conn) -> None: ...


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def figures(count: int, wall: float, latencies: list[float], statuses: dict) -> dict:
    return {
        "orders": count,
        "seconds": round(wall, 3),
        "orders_per_s": round(count / wall, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p95_ms": round(percentile(latencies, 95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "latencies": latencies,
    }


def _threads(task: Task, jobs: list, threads: int) -> tuple[list[float], Counter]:
    """Run the jobs with `threads` clients in this process; a client's error is raised here
    once every client has stopped (a job that failed is never counted as answered)."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: list[BaseException] = []
    lock = threading.Lock()
    cursor = iter(jobs)

    def client() -> None:
        try:
            conn = task.connect()
        except BaseException as error:  # carried to the caller below
            errors.append(error)
            return
        try:
            while not errors:
                with lock:
                    job = next(cursor, None)
                if job is None:
                    return
                started = time.perf_counter()
                status, conn = task.run(conn, job)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    statuses[status] += 1
        except BaseException as error:  # carried to the caller below
            errors.append(error)
        finally:
            task.close(conn)

    pool = [threading.Thread(target=client) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if errors:
        raise errors[0]
    return latencies, statuses


def threads_drive(task: Task, jobs: list, clients: int) -> dict:
    """`drive` without forking: the clients are threads of this process. For a caller that
    runs threads of its own (a test worker), where a fork may copy a lock another thread
    holds and hang the child (docs: multiprocessing, "Contexts and start methods")."""
    started = time.perf_counter()
    latencies, statuses = _threads(task, jobs, clients)
    return figures(len(jobs), time.perf_counter() - started, latencies, dict(statuses))


DEADLINE_S = 3600.0  # a side that has not answered by then has hung: its stacks are dumped
_FORKED: tuple | None = None  # what the forked processes inherit: (task, slices, shares)


def _child(index: int, sender) -> None:
    """One client process: its threads' figures, or the error that stopped them."""
    faulthandler.dump_traceback_later(DEADLINE_S - 60, exit=True)  # a hang says where
    task, slices, shares = _FORKED  # type: ignore[misc]
    try:
        latencies, statuses = _threads(task, slices[index], shares[index])
        sender.send(("ok", (latencies, dict(statuses))))
    except BaseException:  # reported to the side's leader
        sender.send(("error", traceback.format_exc()))
    finally:
        sender.close()


def _side_leader(procs: int, sender) -> None:
    """A session of its own for the side's client processes: Linux's autogroup scheduler
    shares the CPU between sessions, so clients left in the bench's session would compete
    with whatever else runs there, while the servers run in sessions of their own. The
    clients are plain forked processes, one pipe each (no pool and its threads to fork
    around)."""
    os.setsid()
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    pipes, children = [], []
    for index in range(procs):
        receiver, child_sender = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(index, child_sender))
        child.start()
        child_sender.close()
        pipes.append(receiver)
        children.append(child)
    answers = []
    for receiver in pipes:
        try:
            answers.append(receiver.recv())
        except EOFError:
            answers.append(("error", "a client process ended without an answer"))
    wall = time.perf_counter() - started
    for child in children:
        child.join()
    errors = [detail for kind, detail in answers if kind == "error"]
    sender.send(("error", errors[0]) if errors else ("ok", (wall, [a for _, a in answers])))
    sender.close()


def drive(task: Task, jobs: list, clients: int, processes: int) -> dict:
    """Run every job with `clients` clients over up to `processes` forked processes. A side
    that fails raises its first error; one that hangs past DEADLINE_S is killed."""
    global _FORKED
    procs = max(1, min(processes, clients))
    shares = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    slices = [jobs[i::procs] for i in range(procs)]
    _FORKED = (task, slices, shares)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    try:
        leader = context.Process(target=_side_leader, args=(procs, sender))
        leader.start()
        sender.close()
        answer = _answer(receiver, leader)
        leader.join()
    finally:
        _FORKED = None
    kind, detail = answer
    if kind == "error":
        raise RuntimeError(f"a bench client failed:\n{detail}")
    wall, parts = detail
    latencies = [x for lat, _ in parts for x in lat]
    statuses: Counter = Counter()
    for _, part in parts:
        statuses.update(part)
    return figures(len(jobs), wall, latencies, dict(statuses))


def _answer(receiver, leader) -> tuple[str, object]:
    if not receiver.poll(DEADLINE_S):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(leader.pid, signal.SIGKILL)  # the leader's session: its clients too
        leader.join()
        raise TimeoutError(f"the bench's clients gave no answer in {DEADLINE_S:.0f} s")
    try:
        return receiver.recv()
    except EOFError:
        return "error", f"the side's leader ended without an answer (exit {leader.exitcode})"


class HttpPost:
    """POST each job's bytes to one path over a keep-alive connection; a 409, 5xx or broken
    connection is retried (on a new connection) with the same headers and counts in that
    order's latency."""

    def __init__(self, url: str, path: str, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.host, self.port, self.path, self.headers = parts.hostname, parts.port, path, headers

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=120)

    def run(self, conn, job: tuple[bytes, dict[str, str]]):
        body, extra = job
        headers = {**self.headers, **extra}
        for attempt in range(30):
            try:
                conn.request("POST", self.path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.will_close:
                    conn.close()
                    conn = self.connect()
                if response.status != 409 and response.status < 500:
                    return response.status, conn
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = self.connect()
            time.sleep(0.01 * 2 ** min(attempt, 6))
        return -1, conn

    def close(self, conn) -> None:
        conn.close()


def json_bytes(body: dict) -> bytes:
    return json.dumps(body).encode()


def http_run(url: str, token: str, bodies: list[dict], clients: int, processes: int = 2) -> dict:
    """POST order bodies to Ordino's /api/v1/orders, each with its own Idempotency-Key."""
    task = HttpPost(
        url,
        "/api/v1/orders",
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    jobs = [(json_bytes(b), {"Idempotency-Key": "bench-" + b["external_id"]}) for b in bodies]
    return drive(task, jobs, clients, processes)
