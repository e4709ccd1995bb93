"""The README's screenshots of the Playground: a laptop's 1400x900 and a projector's 1920x1080, normal
and presenter mode, light and dark theme (8 files in docs/). Run from the repository root::

    python tools/screenshots.py            # every screenshot, about a minute
    python tools/screenshots.py --out /tmp # somewhere else

Each: the default network on moons, Play, ~6 s of training, then Pause, so the picture is still.
The server and the browser are the e2e tests' (tests/e2e/harness.py); the theme is the browser's
colour scheme, which the app follows.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.harness import CHROMIUM_ARGS, chromium_path, start_app, stop_app  # noqa: E402

SIZES = ((1400, 900), (1920, 1080))
QUERY = "data=moons"
TRAIN_SECONDS = 6


def shoot(browser, url, out, width, height, *, dark, present):
    scheme = "dark" if dark else "light"
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
    try:
        page.goto(f"{url}/?{QUERY}")
        page.wait_for_selector(".nnl-boundary canvas.nnl-heat", timeout=60_000)
        if present:
            page.get_by_text("Presenter mode").click()
            page.wait_for_selector(".nnl-present")
        page.locator(".st-key-play").get_by_role("button").click()
        time.sleep(TRAIN_SECONDS)
        page.locator(".st-key-pause").get_by_role("button").click()
        page.locator(".st-key-play").get_by_role("button").wait_for()
        time.sleep(1.5)  # the last frame painted, the welcome gone
        name = f"playground-{width}x{height}{'-presenter' if present else ''}-{scheme}.png"
        page.screenshot(path=str(out / name))
        print(out / name)
    finally:
        page.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder (default: docs/)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with open(args.out / "screenshots-server.log", "wb") as log:
        server, url = start_app(log)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
                for dark in (False, True):
                    for present in (False, True):
                        for width, height in SIZES:
                            shoot(browser, url, args.out, width, height, dark=dark, present=present)
                browser.close()
        finally:
            stop_app(server)
    (args.out / "screenshots-server.log").unlink()


if __name__ == "__main__":
    main()
