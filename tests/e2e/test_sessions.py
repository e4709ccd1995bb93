"""Sessions in a real browser: two users on one server never see each other's data, model or progress;
a reload restores the settings from the URL with a new network; a server restart loses only the
training in memory, and the page says so and trains again on Play.

Each browser context is its own Streamlit session (its own websocket). The live view keeps this tab's
last server stream and epoch in ``sessionStorage`` and shows ``.nnl-notice`` when a new stream starts
below an epoch it had drawn.
"""

import contextlib
import re
import time
import urllib.parse

import numpy as np
import pytest
from playwright.sync_api import expect

from playground.core.config import Config, to_query
from playground.core.experiment import Experiment
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.harness import VIEWPORT, free_port, start_app, stop_app
from tests.e2e.test_playground import (
    SETTLE_SECONDS,
    button,
    open_app,
    pause_and_settle,
    query,
    slider_value,
    state,
    wait_for,
)

MOONS = Config(dataset="moons", hidden=(8,), learning_rate=0.1)
SPIRAL = Config(dataset="spiral", n_classes=3, head="softmax_ce")
SPIRAL4 = Config(dataset="spiral", n_classes=4, head="softmax_ce")
LOST = re.compile(r"^This is a new session \(the page was reloaded or the server restarted\)")
RECONNECT_MS = 60_000  # a restarted server: the frontend retries the websocket by itself, then reruns

# What the boundary chart shows of the data and the network view of the model, in this tab: the
# training points per class trace, the legend, the layer sizes, and the server stream of the payloads.
VIEW_JS = """() => {
  const gd = document.querySelector('.nnl-boundary');
  const view = document.querySelector('.nnl')?.parentElement?.__nnLive;
  const points = {};
  for (const t of gd._fullData) {
    if (t.type === 'scatter') points[t.name] = [Array.from(t.x), Array.from(t.y)];
  }
  return {
    points,
    legend: Array.from(gd.querySelectorAll('.legendtext')).map((e) => e.textContent),
    sizes: view.spec.network.sizes,
    stream: view.stream,
  };
}"""


def view(page):
    return page.evaluate(VIEW_JS)


def link(app_url, config):
    return f"{app_url}/?{urllib.parse.urlencode(to_query(config), safe=',')}"


def expected_points(config):
    """The training points of ``config`` by class, as a fresh server session builds them."""
    X_train, _, y_train, _ = Experiment(config).points
    return {f"class {c}": X_train[y_train == c] for c in range(config.classes)}


def assert_shows_its_own_data(page, config):
    shown, expected = view(page), expected_points(config)
    assert set(shown["points"]) == set(expected) == set(shown["legend"]), (shown["legend"], list(expected))
    for name, X in expected.items():
        assert np.allclose(np.transpose(shown["points"][name]), X), name
    assert shown["sizes"] == config.layer_sizes
    return shown


def dataset(page):
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name="Dataset")


def notice(page):
    """The live view's "new session" notice, if one is showing. (While Streamlit remounts the
    component, the old mount and the new one are both in the page for a moment.)"""
    return page.locator(".nnl-notice:visible")


def nudge(page, label, key, in_url=None):
    """Move the sidebar slider ``label`` one step with the keyboard. An integer st.slider sends its
    value when it loses the focus, so blur it. With ``in_url`` (a regex), wait until the address bar
    shows the new value. A keystroke that lands while a rerun redraws the slider is lost (the slider
    shows its old value again): then, and only then, press again."""
    slider = page.get_by_test_id("stSidebar").get_by_role("slider", name=label)
    before = slider.get_attribute("aria-valuetext")
    for attempt in range(3):
        slider.focus()
        slider.press(key)
        slider.blur()
        if in_url is None:
            return
        try:
            page.wait_for_url(re.compile(rf"[?&]{in_url}(&|$)"), timeout=10_000)
            return
        except Exception:
            if attempt == 2 or slider.get_attribute("aria-valuetext") != before:
                raise  # the slider moved but the page did not follow: a real failure


@pytest.fixture
def two_pages(browser):
    """Two browser contexts, so two Streamlit sessions: (page A, page B)."""
    with contextlib.ExitStack() as stack:
        pages = []
        for _ in range(2):
            ctx = browser.new_context(viewport=VIEWPORT)
            ctx.set_default_timeout(TIMEOUT_MS)
            stack.callback(ctx.close)
            pages.append(ctx.new_page())
        yield pages


@pytest.mark.browser
def test_two_sessions_train_at_once_and_never_see_each_other(two_pages, app_url):
    a, b = two_pages
    open_app(a, link(app_url, MOONS))
    open_app(b, link(app_url, SPIRAL))

    # Each page: its own dataset, points (3 classes only on the spiral), network and server stream.
    expect(dataset(a)).to_have_value("Moons")
    expect(dataset(b)).to_have_value("Spiral (2-5 arms)")
    view_a = assert_shows_its_own_data(a, MOONS)
    view_b = assert_shows_its_own_data(b, SPIRAL)
    assert "class 2" not in view_a["legend"] and "class 2" in view_b["legend"]
    assert view_a["stream"] != view_b["stream"]
    assert query(a.url) == to_query(MOONS) == {"data": "moons", "hidden": "8", "lr": "0.1"}, a.url
    assert query(b.url) == to_query(SPIRAL) == {"data": "spiral", "head": "softmax_ce"}, b.url

    # Play in both: both train at once.
    button(a, "play").click()
    button(b, "play").click()
    wait_for(a, "s.running && s.epoch >= 30 && s.boundary >= 30", "A trains")
    wait_for(b, "s.running && s.epoch >= 30 && s.boundary >= 30", "B trains")

    # Pause A; B keeps training while A stays at its epoch, picture included.
    paused = pause_and_settle(a)
    b_then = wait_for(b, "s.running && s.epoch !== null", "B still running")
    time.sleep(SETTLE_SECONDS)
    wait_for(b, f"s.running && s.epoch > {b_then['epoch']} && s.boundary > {b_then['epoch']}", "B trains on")
    still = state(a)
    assert (still["epoch"], still["boundary"], still["z"]) == (paused["epoch"], paused["epoch"], paused["z"])
    assert not still["running"]

    # B, still training, goes to 4 arms: a new network in B only (paused at epoch 0, a fourth class) ...
    nudge(b, "Classes", "ArrowRight", r"classes=4")
    wait_for(b, "s.idle && !s.running && s.epoch === 0 && s.boundary === 0 && s.z !== null", "B rebuilt")
    assert "class 3" in assert_shows_its_own_data(b, SPIRAL4)["legend"]
    assert query(b.url) == to_query(SPIRAL4), b.url

    # ... while A keeps its epoch, picture, data, controls and URL.
    s = wait_for(a, "s.idle && !s.running && s.boundary !== null && s.z !== null", "A unchanged")
    assert (s["epoch"], s["boundary"], s["z"]) == (paused["epoch"], paused["epoch"], paused["z"])
    assert_shows_its_own_data(a, MOONS)
    expect(dataset(a)).to_have_value("Moons")
    assert (slider_value(a, "Classes"), slider_value(a, "Learning rate")) == ("3", "0.1")
    assert query(a.url) == to_query(MOONS), a.url

    # B trains again while A changes its learning rate (0.1 -> 0.2, the same network, so the same
    # epoch): only A's slider and URL change, and B trains on.
    button(b, "play").click()
    b_then = wait_for(b, "s.running && s.epoch >= 10", "B trains again")
    nudge(a, "Learning rate", "ArrowRight", r"lr=0\.2")
    # The charts stay drawn too (the component may remount: it gets its spec back in this same run).
    e = paused["epoch"]
    wait_for(a, f"s.idle && !s.running && s.epoch === {e} && s.boundary === {e}", "A keeps its network")
    wait_for(b, f"s.running && s.epoch > {b_then['epoch']}", "B trains on")
    assert slider_value(b, "Learning rate") == "0.03" and query(b.url) == to_query(SPIRAL4), b.url
    assert query(a.url) == {"data": "moons", "hidden": "8", "lr": "0.2"}, a.url
    expect(notice(a)).to_be_hidden()
    expect(notice(b)).to_be_hidden()
    pause_and_settle(b)


@pytest.mark.browser
def test_reload_restores_the_settings_from_the_url_with_a_new_network(page, app_url):
    open_app(page, app_url)
    expect(notice(page)).to_be_hidden()  # a first visit lost nothing

    # Settings through the controls: Moons, noise 0.15, one hidden layer, learning rate 0.1.
    dataset(page).click()
    page.get_by_role("option", name="Moons", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]data=moons(&|$)"))
    steps = [("Noise", "ArrowRight", r"noise=0\.15"), ("Hidden layers", "ArrowLeft", r"hidden=4")]
    for label, key, in_url in steps + [("Learning rate", "ArrowRight", r"lr=0\.1")]:
        nudge(page, label, key, in_url)
    config = Config(dataset="moons", noise=0.15, hidden=(4,), learning_rate=0.1)
    assert query(page.url) == to_query(config), page.url
    fresh = wait_for(page, "s.idle && !s.running && s.epoch === 0 && s.boundary === 0 && s.z !== null", "set")
    before = view(page)

    # Train, Reset (the same session: nothing lost, no notice), train again and reload while training.
    button(page, "play").click()
    first = wait_for(page, "s.running && s.epoch >= 20", "Play trains")
    pause_and_settle(page)
    button(page, "reset").click()
    wait_for(page, "s.idle && !s.running && s.epoch === 0 && s.boundary === 0", "Reset")
    expect(notice(page)).to_be_hidden()
    button(page, "play").click()
    trained = wait_for(page, "s.running && s.epoch >= 30 && s.boundary >= 30", "Play trains again")
    assert first["epoch"] > 0 and trained["epoch"] >= 30
    url = page.url
    page.reload()

    # A new session: the same settings from the URL, a new network at epoch 0 (the same initial one).
    s = wait_for(page, "s.idle && !s.running && s.epoch === 0 && s.boundary === 0 && s.z !== null", "reload")
    assert query(page.url) == query(url) == to_query(config)
    expect(dataset(page)).to_have_value("Moons")
    assert (slider_value(page, "Noise"), slider_value(page, "Learning rate")) == ("0.15", "0.1")
    assert slider_value(page, "Hidden layers") == "1"
    after = assert_shows_its_own_data(page, config)
    assert after["stream"] != before["stream"] and after["points"] == before["points"]
    assert s["z"] == fresh["z"], "the reloaded page is not the configuration's initial network"

    # The page says what happened, once, and the notice can be dismissed.
    expect(notice(page)).to_be_visible()
    expect(notice(page)).to_have_text(LOST)
    expect(notice(page)).to_contain_text("Press Play to train again.")
    notice(page).get_by_role("button", name="Dismiss").click()
    expect(notice(page)).to_be_hidden()
    button(page, "step").click()
    wait_for(page, "s.idle && s.epoch === 1 && s.boundary === 1", "Step after the reload")


@pytest.mark.browser
def test_server_restart_loses_only_the_training_and_says_so(page, tmp_path):
    config = Config(dataset="xor", hidden=(6,), learning_rate=0.1, noise=0.2)
    port = free_port()
    with contextlib.ExitStack() as stack:

        def serve(name):
            log = stack.enter_context(open(tmp_path / name, "wb"))
            try:
                proc, url = start_app(log, port=port)
            except RuntimeError as error:
                pytest.fail(str(error), pytrace=False)
            stack.callback(stop_app, proc)  # a no-op once stopped
            return proc, url

        first, url = serve("first.log")
        open_app(page, link(url, config))
        expect(notice(page)).to_be_hidden()
        button(page, "play").click()
        trained = wait_for(page, "s.running && s.epoch >= 50 && s.boundary >= 50", "Play trains")

        # Stop the server by its PID while training, then start a new one on the same port.
        stop_app(first)
        started = time.monotonic()
        serve("second.log")
        page.set_default_timeout(RECONNECT_MS)  # the page reconnects by itself
        try:
            s = wait_for(
                page, "s.idle && !s.running && s.epoch === 0 && s.boundary === 0 && s.z !== null", "back"
            )
        finally:
            page.set_default_timeout(TIMEOUT_MS)
        seconds = time.monotonic() - started
        print(f"reconnected {seconds:.1f} s after the restart; it was at epoch {trained['epoch']}")

        # The notice says what was lost; the controls are the URL's configuration; epoch 0.
        expect(notice(page)).to_be_visible()
        expect(notice(page)).to_have_text(LOST)
        assert query(page.url) == to_query(config), page.url
        expect(dataset(page)).to_have_value("XOR (quadrants)")
        assert (slider_value(page, "Noise"), slider_value(page, "Learning rate")) == ("0.20", "0.1")
        assert slider_value(page, "Hidden layers") == "1"
        expect(page.get_by_role("spinbutton", name="Layer 1")).to_have_value("6")
        assert_shows_its_own_data(page, config)
        assert s["epoch"] == 0

        # Play trains again, on the new server; training again puts the notice away.
        button(page, "play").click()
        wait_for(page, "s.running && s.epoch >= 20 && s.boundary >= 20", "Play after the restart")
        expect(notice(page)).to_be_hidden()
        pause_and_settle(page)
