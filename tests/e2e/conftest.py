"""Fixtures for the end-to-end journeys: Chromium and a fresh browser context for each test.

Tests here are marked `e2e`. Without /usr/bin/chromium they are skipped (a machine with only
Python still passes `make test`); with E2E_REQUIRE_BROWSER=1 (CI) a missing browser is an error
instead. `.ci/run` installs the browser with scripts/install-browser.sh.
"""

import os
import re

import pytest

from tests.e2e.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DESKTOP, watch_csp


def pytest_collection_modifyitems(config, items):
    e2e = [item for item in items if item.get_closest_marker("e2e")]
    if not e2e or CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: run scripts/install-browser.sh (as root) for e2e tests"
    if os.environ.get("E2E_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"E2E_REQUIRE_BROWSER=1 but {reason}")
    for item in e2e:
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture
def browser(monkeypatch):
    """Chromium, started for one test.

    While Playwright's sync API is open it keeps an asyncio loop running in this thread. Django
    then (a) refuses ORM calls here as "async" and (b) hands this thread a second database
    connection, kept per context rather than per thread. So the browser lives inside one test:
    it starts after pytest-django has restored the database (serialized_rollback restores
    through the first connection), and the extra connections are closed before it stops, ahead
    of the flush at the end of the test.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
            connections.close_all()  # the connections opened while the loop ran


@pytest.fixture
def csp_violations() -> list[str]:
    """What the browser refused under the Content-Security-Policy during the test (browser.py).
    Anything the test did not expect (csp_expected) fails it."""
    return []


@pytest.fixture
def csp_expected() -> list[str]:
    """Words of the refusals a journey expects (a third-party page's hard-coded CDN image, say).
    Judged when the page closes: the browser may report one refusal again after the test looked
    (ReDoc's logo did, and failed a CI run)."""
    return []


@pytest.fixture
def page(browser, live_server, request, csp_violations, csp_expected):
    """A page in a new context (no cookies), Chinese like most users, at desktop size.

    Relative URLs go to the live server. A failing test leaves its last screen in
    test-artifacts/failed-<test>.png. Every page the test visits must run under the site's
    Content-Security-Policy without a violation.
    """
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=DESKTOP, timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(15_000)
    watch_csp(context, csp_violations)
    page = context.new_page()
    yield page
    if getattr(request.node, "e2e_failed", False):
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        page.screenshot(path=ARTIFACTS / f"failed-{name}.png", full_page=True)
    context.close()
    unexpected = [v for v in csp_violations if not any(words in v for words in csp_expected)]
    assert not unexpected, "Content-Security-Policy violations:\n" + "\n".join(unexpected)
