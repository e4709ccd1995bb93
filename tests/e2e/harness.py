"""Start the app and a headless Chromium: shared by the browser tests and benchmarks/bench_browser.py.

The server is ``python -m streamlit run app.py`` on a free port of 127.0.0.1 (headless, no usage
stats, no file watcher), ready when ``/_stcore/health`` answers ``ok`` and stopped by its PID. The
browser is the system Chromium (``CHROMIUM_PATH`` or ``shutil.which("chromium")``), launched by
Playwright without ``playwright install``.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
VIEWPORT = {"width": 1400, "height": 1700}
SERVER_START_SECONDS = 60


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url):
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read() == b"ok"
    except OSError:
        return False


def start_app(log, env=None, port=None, root=None):
    """Start the app writing its output to the binary file ``log``, with extra environment variables
    ``env``, on ``port`` (default: a free one; a test restarting a server passes the same port again),
    from the checkout ``root`` (default: this one; the browser benchmark also runs an older one).
    Returns (process, base URL); raises RuntimeError with the log's tail if it does not become healthy."""
    port = port or free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
        "--server.address=127.0.0.1", f"--server.port={port}", "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
    ]  # fmt: skip
    environment = {**os.environ, **(env or {})}
    cwd = root or REPO_ROOT
    proc = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=environment)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not healthy(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_app(proc)
            log.flush()
            tail = Path(log.name).read_bytes()[-4000:].decode(errors="replace")
            raise RuntimeError(
                f"streamlit did not become healthy on {url} (exit code {proc.poll()}):\n{tail}"
            )
        time.sleep(0.2)
    return proc, url


def stop_app(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def chromium_path():
    """The system Chromium, or None."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def go_to(page, section, title):
    """Open the page ``title`` from the top bar's menu: click its ``section`` ("Play", "Teach",
    "Learn"), then the link in the dropdown that opens."""
    page.get_by_test_id("stTopNavSection").filter(has_text=section).click()
    page.get_by_test_id("stTopNavDropdownLink").filter(has_text=title).click()
