"""Browser tests: Playwright drives a real Chromium against a live Ordino (docs/console.md,
"Browser tests"). `console_as(user, viewport)` opens a signed-in page at 1440×900 ("desktop") or
390×844 with touch ("phone"); the test then asserts what is on screen and what changed in the
database. Skipped, loudly (see tests/conftest.py), when no Chromium is installed."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from tests.browser.chromium import SKIP_REASON, chromium_path

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1440, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
}


def pytest_collection_modifyitems(config, items):
    if chromium_path() is None:
        skip = pytest.mark.skip(reason=SKIP_REASON)
        for item in items:
            if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test's thread; the tests' own ORM calls
    # (arranging data, checking the database) are still synchronous and safe there. Removed
    # again when the browser closes (tests that start processes drop it from their environment).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def console_as(browser, live_server):
    """`console_as(user, "desktop" | "phone")` → a Playwright page signed in as `user`, whose
    `goto("/admin/...")` paths are relative to the live server."""
    contexts = []

    def open_page(user, viewport: str = "desktop"):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        context = browser.new_context(base_url=live_server.url, **VIEWPORTS[viewport])
        context.set_default_timeout(15_000)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
