"""Fixtures for the real-browser tests: one Streamlit server and one headless Chromium per session.

The browser is the system Chromium (``shutil.which("chromium")``, or ``CHROMIUM_PATH``), launched by
Playwright without ``playwright install``. Without it the tests fail (CI installs chromium): a
skipped browser test would look green while testing nothing.
"""

import pytest

from tests.e2e.harness import CHROMIUM_ARGS, VIEWPORT, chromium_path, start_app, stop_app

TIMEOUT_MS = 30_000  # 2 cores shared by server and browser: generous waits, fast when all is well


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """``streamlit run app.py`` on a free port; yields its base URL, stops the server by its PID."""
    folder = tmp_path_factory.mktemp("server")
    log_path = folder / "streamlit.log"
    with open(log_path, "wb") as log:
        try:
            proc, url = start_app(log, env={"NN_PLAYGROUND_DATA": str(folder)})  # its challenge database
        except RuntimeError as error:
            pytest.fail(str(error), pytrace=False)
        try:
            yield url
        finally:
            stop_app(proc)


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium driven by Playwright (sync API)."""
    executable = chromium_path()
    if not executable:
        pytest.fail(
            "Chromium not found: the browser tests need the system chromium on PATH "
            "(Debian/Ubuntu: apt-get install chromium) or CHROMIUM_PATH=/path/to/chromium. "
            "Do not run `playwright install`; the tests use the system browser.",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -r requirements-dev.txt", pytrace=False)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser):
    """A fresh browser context (own cookies, own Streamlit session) with the test viewport."""
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()
