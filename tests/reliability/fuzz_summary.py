"""The fuzzing summary, as a pytest plugin (`-p tests.reliability.fuzz_summary` in pyproject):
how many requests the fuzz suite really sent. Under pytest-xdist every worker counts its own
requests and hands the count to the controller, which prints the total and fails the run when
the whole fuzz module ran with fewer than `MIN_REQUESTS` requests. (A plugin, not a conftest of
tests/reliability: the xdist controller never loads that conftest, so its hooks never ran.)
"""

from __future__ import annotations

import pytest

FUZZ_MODULE = "test_fuzz_api.py"
MIN_REQUESTS = 10_000


class RequestCounter:
    def __init__(self) -> None:
        self.requests = 0
        self.by_status: dict[int, int] = {}

    def add(self, status: int) -> None:
        self.requests += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1


COUNTER = RequestCounter()


def _stats(config) -> dict:
    return config.stash.setdefault(
        _STATS, {"requests": 0, "by_status": {}, "tests": 0, "passed": 0}
    )


_STATS = pytest.StashKey[dict]()


def pytest_collection_modifyitems(session, config, items) -> None:
    fuzz_items = [item for item in items if item.path.name == FUZZ_MODULE]
    _stats(config)["tests"] = len(fuzz_items)


def pytest_runtest_logreport(report) -> None:
    done = report.passed or hasattr(report, "wasxfail")  # an expected failure ran too
    if report.when == "call" and done and FUZZ_MODULE in report.nodeid:
        _PASSED.append(report.nodeid)


_PASSED: list[str] = []  # schemathesis gives every operation's test the same node id


def pytest_sessionfinish(session) -> None:
    config = session.config
    stats = _stats(config)
    if hasattr(config, "workeroutput"):  # an xdist worker: hand the figures to the controller
        config.workeroutput["fuzz_requests"] = COUNTER.requests
        config.workeroutput["fuzz_by_status"] = COUNTER.by_status
        config.workeroutput["fuzz_tests"] = stats["tests"]
        return
    if stats["requests"] == 0:  # no xdist: this process did the work
        stats["requests"] = COUNTER.requests
        stats["by_status"] = dict(COUNTER.by_status)
    stats["passed"] = len(_PASSED)
    if (
        stats["tests"]
        and stats["passed"] == stats["tests"]
        and stats["requests"] < MIN_REQUESTS
        and session.exitstatus == 0
    ):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        stats["too_few"] = True


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    stats = _stats(node.config)
    output = getattr(node, "workeroutput", {})
    stats["requests"] += output.get("fuzz_requests", 0)
    for status, count in output.get("fuzz_by_status", {}).items():
        stats["by_status"][int(status)] = stats["by_status"].get(int(status), 0) + count
    stats["tests"] = max(stats["tests"], output.get("fuzz_tests", 0))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    stats = _stats(config)
    if not stats["requests"]:
        return
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(stats["by_status"].items()))
    terminalreporter.write_sep("-", "API fuzzing")
    terminalreporter.write_line(
        f"API fuzzing: {stats['requests']} requests generated and checked "
        f"({stats['passed']}/{stats['tests']} fuzz tests done; by status: {statuses})"
    )
    if stats.get("too_few"):
        terminalreporter.write_line(
            f"FAILED: fewer than {MIN_REQUESTS} requests; raise the examples per operation."
        )
