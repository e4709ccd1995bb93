"""The Playground in a real browser: choose data, Play / Pause, change the learning rate mid-training,
and reopen the share link; plus a malformed link.

Waits are on content (the boundary chart's "epoch N" title, the Epoch metric, the URL), never on
fixed sleeps: while training, the fragment ticks and the app is never "notRunning". The charts are
the live component's (``.nnl-boundary`` and friends), drawn once and then updated in place.
"""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

SETTLE_SECONDS = 1.5  # how long a paused epoch must stay unchanged

# Everything a test reads from the page in one go, so the numbers belong to the same frame: the
# boundary title's epoch, the Epoch counter, the epoch of the newest payload if it says paused
# (``served``: the server's model), whether Pause is shown, script idle, and the boundary picture
# (``z``: the boundary canvas's pixels as a PNG data URL; equal text = equal pixels).
STATE_JS = """() => {
  const plot = document.querySelector('.nnl-boundary');
  const title = document.querySelector('.nnl-boundary-epoch');
  const match = title && /^epoch (\\d+)$/.exec(title.textContent.trim());
  const heat = plot && plot.querySelector('canvas.nnl-heat');
  const counter = document.querySelector('.nnl-metric[data-key="epoch"] .nnl-metric-value');
  const value = counter ? parseInt(counter.textContent, 10) : NaN;
  const view = document.querySelector('.nnl')?.parentElement?.__nnLive;
  const last = view && view.received.length ? view.received[view.received.length - 1] : null;
  const latest = view && view.latest;
  const drawn = !latest || latest.running || (view.current && view.current.seq === latest.seq);
  return {
    boundary: match ? parseInt(match[1], 10) : null,
    epoch: Number.isNaN(value) ? null : value,
    served: last && !last.running && last.epochs.length ? last.epochs[last.epochs.length - 1] : null,
    running: document.querySelector('.st-key-pause') !== null,
    // idle: the script is not running and, if the newest payload says paused, its frame is drawn
    // (decoding is asynchronous: a page can be idle a moment before its picture is).
    idle: drawn && document.querySelector('[data-test-script-state="notRunning"]') !== null,
    z: heat && heat.width > 0 ? heat.toDataURL() : null,
  };
}"""


# The live view's last payloads (seq, running, frame epochs): printed when a wait times out.
RECEIVED_JS = """() => {
  const view = document.querySelector('.nnl')?.parentElement?.__nnLive;
  return view ? view.received : null;
}"""


def state(page):
    return page.evaluate(STATE_JS)


def wait_for(page, condition, message):
    """Wait (default timeout) until the JS ``condition`` on the state ``s`` holds, e.g. ``s.epoch > 3``;
    return the state of the frame where it held."""
    js = f"() => {{ const s = ({STATE_JS})(); return ({condition}) ? s : null; }}"
    try:
        return page.wait_for_function(js).json_value()
    except Exception as error:  # add what the page showed to Playwright's bare timeout
        shown = brief(state(page))
        shown["payloads"] = page.evaluate(RECEIVED_JS)
        raise AssertionError(f"{message}: waited for `{condition}`, page state {shown}") from error


def brief(s):
    return {k: v for k, v in s.items() if k != "z"}


def button(page, key):
    """The visible button of the st.button with this key (a button with help= renders a hidden twin)."""
    return page.locator(f".st-key-{key}").get_by_role("button")


def open_app(page, url):
    page.goto(url)
    loaded = "s.boundary === 0 && s.epoch === 0 && s.z !== null && s.idle && !s.running"
    return wait_for(page, loaded, f"load {url}")


def pause_and_settle(page):
    """Press Pause and wait until the paused page shows one epoch everywhere (queued updates painted)."""
    button(page, "pause").click()
    settled = "!s.running && s.idle && s.epoch > 0 && s.boundary === s.epoch && s.served === s.epoch"
    settled += " && s.z !== null"
    return wait_for(page, settled, "Pause stops training")


def slider_value(page, label):
    return page.get_by_role("slider", name=label).get_attribute("aria-valuetext")


def query(url):
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.mark.browser
def test_train_pause_change_lr_resume_and_share(page, context, app_url):
    s = open_app(page, app_url)

    # Dataset -> Moons: a new network at epoch 0, and the link says data=moons.
    page.get_by_role("combobox", name="Dataset").click()
    page.get_by_role("option", name="Moons", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]data=moons(&|$)"))
    expect(page.get_by_role("combobox", name="Dataset")).to_have_value("Moons")
    s = wait_for(page, "s.idle && s.boundary === 0 && s.epoch === 0 && s.z !== null", "moons at epoch 0")
    z_initial = s["z"]
    assert z_initial.startswith("data:image/png;base64,"), z_initial[:40]  # the boundary picture

    # Play: the epoch counts up, the chart title follows, and the boundary itself changes.
    button(page, "play").click()
    s = wait_for(page, "s.running && s.epoch >= 40 && s.boundary >= 40 && s.z !== null", "Play trains")
    assert s["z"] != z_initial, "the decision boundary did not change while training"

    # Pause: the epoch stops (read twice, 1.5 s apart, after the queued updates were painted).
    paused = pause_and_settle(page)
    time.sleep(SETTLE_SECONDS)
    again = wait_for(page, "s.idle && s.boundary !== null && s.z !== null", "still paused")
    assert (again["epoch"], again["boundary"]) == (paused["epoch"], paused["epoch"]), (paused, again)
    assert again["z"] == paused["z"]
    e1 = paused["epoch"]

    # No tooltip or toast in the way of the next steps.
    page.mouse.move(700, 5)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    expect(page.get_by_test_id("stToast")).to_have_count(0, timeout=10_000)

    # Learning rate 0.03 -> 0.1 (one step on the ladder): in the URL, and the same network is kept.
    assert slider_value(page, "Learning rate") == "0.03"
    lr = page.get_by_role("slider", name="Learning rate")
    lr.focus()
    lr.press("ArrowRight")
    page.wait_for_url(re.compile(r"[?&]lr=0\.1(&|$)"))
    s = wait_for(page, f"s.idle && !s.running && s.epoch === {e1} && s.z !== null", "lr keeps the epoch")
    assert slider_value(page, "Learning rate") == "0.1"
    assert s["boundary"] == e1 and s["z"] == paused["z"], "changing lr must not rebuild the network"
    kept = re.compile(rf"^Last change: .*the same network keeps training from epoch {e1}\b")
    expect(page.get_by_text(kept)).to_be_visible(timeout=15_000)  # a full run on a loaded machine

    # Play again: training continues from e1, not from 0 (the first new number shown is above e1).
    button(page, "play").click()
    s = wait_for(page, f"s.running && s.epoch !== null && s.epoch !== {e1}", "Play resumes")
    assert s["epoch"] > e1, (e1, brief(s))
    s = wait_for(page, f"s.running && s.boundary > {e1} && s.epoch > {e1}", "training continues")
    paused = pause_and_settle(page)
    e2 = paused["epoch"]
    assert e2 > e1

    # The share link (sidebar code block) equals the address bar and holds the whole config.
    link = page.get_by_test_id("stSidebar").get_by_test_id("stCode").inner_text().strip()
    assert query(link) == query(page.url) == {"data": "moons", "lr": "0.1"}, (link, page.url)
    assert urlsplit(link).netloc == urlsplit(page.url).netloc

    # Reset: back to epoch 0 with the same initial weights as right after choosing Moons.
    button(page, "reset").click()
    s = wait_for(page, "s.idle && !s.running && s.epoch === 0 && s.boundary === 0 && s.z !== null", "Reset")
    assert s["z"] == z_initial, "Reset did not return to the initial weights"

    # Open the link in a new tab: same data, same settings, same initial network, epoch 0.
    shared = context.new_page()
    s = open_app(shared, link)
    expect(shared.get_by_role("combobox", name="Dataset")).to_have_value("Moons")
    assert slider_value(shared, "Learning rate") == "0.1"
    assert query(shared.url) == {"data": "moons", "lr": "0.1"}
    assert s["z"] == z_initial, "the shared link did not restore the same data and initial network"
    shared.close()


@pytest.mark.browser
def test_malformed_link_warns_and_app_still_works(page, app_url):
    s = open_app(page, f"{app_url}/?lr=fast&hidden=4,-1")
    alerts = page.get_by_test_id("stAlert")
    expect(alerts.filter(has_text="lr='fast'")).to_be_visible()
    expect(alerts.filter(has_text="hidden='4,-1'")).to_be_visible()
    assert slider_value(page, "Learning rate") == "0.03"  # the default replaces the bad value
    assert s["epoch"] == 0
    assert query(page.url) == {}, page.url  # the address bar holds the config in use: all defaults

    play = button(page, "play")
    expect(play).to_be_enabled()
    button(page, "step").click()
    wait_for(page, "s.idle && s.epoch === 1 && s.boundary === 1", "Step after a malformed link")


# Counts, on every animation frame, the boundary pictures shown and the plot nodes that held them.
WATCH_JS = """() => {
  const seen = { pictures: 0, nodes: new Set(), last: null };
  window.__watch = seen;
  const frame = () => {
    const plot = document.querySelector('.nnl-boundary');
    const heat = plot && plot.querySelector('canvas.nnl-heat');
    const pixels = heat && heat.width > 0 ? heat.toDataURL() : null;
    if (pixels && pixels !== seen.last) { seen.pictures++; seen.last = pixels; seen.nodes.add(plot); }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}"""


def x_range(page):
    return page.evaluate("() => document.querySelector('.nnl-boundary')._fullLayout.xaxis.range")


@pytest.mark.browser
def test_charts_update_in_place_and_keep_the_zoom(page, app_url):
    open_app(page, app_url)
    page.evaluate("() => { window.__plot = document.querySelector('.nnl-boundary.js-plotly-plot') }")
    full = x_range(page)

    # Zoom in with a mouse drag over the boundary chart (Plotly's box zoom).
    drag = page.locator(".nnl-boundary .nsewdrag").bounding_box()
    x0, y0 = drag["x"] + 0.3 * drag["width"], drag["y"] + 0.3 * drag["height"]
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + 0.3 * drag["width"], y0 + 0.3 * drag["height"], steps=8)
    page.mouse.up()
    zoomed = x_range(page)
    assert zoomed[1] - zoomed[0] < 0.5 * (full[1] - full[0]), (full, zoomed)

    page.evaluate(WATCH_JS)
    button(page, "play").click()
    wait_for(page, "s.running && s.boundary >= 300 && window.__watch.pictures >= 10", "Play trains")
    seen = page.evaluate("() => ({ pictures: window.__watch.pictures, nodes: window.__watch.nodes.size })")
    # Many pictures, one plot: the chart was updated in place, never remounted ...
    assert seen["nodes"] == 1, seen
    same = page.evaluate(
        "() => window.__plot !== null && document.querySelectorAll('.nnl-boundary').length === 1"
        " && document.querySelector('.nnl-boundary.js-plotly-plot') === window.__plot"
    )
    assert same, "the boundary plot node changed while training"
    # ... and the user's zoom survived every update.
    assert x_range(page) == pytest.approx(zoomed), (zoomed, x_range(page))

    # Pause: the picture stops at the model's epoch and stays there.
    paused = pause_and_settle(page)
    time.sleep(SETTLE_SECONDS)
    assert state(page)["boundary"] == paused["epoch"] and state(page)["z"] == paused["z"]
    assert x_range(page) == pytest.approx(zoomed)
