"""The confusion matrix in a real browser: a heatmap beside the loss chart (static/live/confusion.js)
that changes while training, updated in place, and stops at the paused model's epoch."""

import json

import pytest

from tests.e2e.test_layout import boxes, inside, sized_page, wait_for_charts
from tests.e2e.test_playground import button, open_app, pause_and_settle, wait_for

SPIRAL = "?data=spiral&classes=3&head=softmax_ce&points=300&batch=10"

# The heatmap as drawn: its epoch (data-epoch, confusion.js), its counts, where it and the loss are.
HEAT_JS = """() => {
  const div = document.querySelector('.nnl-metrics');
  const loss = document.querySelector('.nnl-loss');
  const trace = div && div._fullData && div._fullData[0];
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height };
  };
  return {
    epoch: div && div.dataset.epoch ? parseInt(div.dataset.epoch, 10) : null,
    z: trace ? trace.z.map((row) => Array.from(row)) : null,
    title: div && div._fullLayout ? div._fullLayout.title.text : null,
    heat: div ? box(div) : null,
    loss: loss ? box(loss) : null,
  };
}"""


def heat(page):
    return page.evaluate(HEAT_JS)


@pytest.mark.browser
def test_the_confusion_heatmap_sits_beside_the_loss_and_changes_while_training(page, app_url):
    open_app(page, app_url + SPIRAL)
    page.wait_for_function(f"() => ({HEAT_JS})().z !== null")
    start = heat(page)
    assert start["epoch"] == 0 and len(start["z"]) == 3 and all(len(row) == 3 for row in start["z"])
    assert sum(map(sum, start["z"])) == 150  # the test set: half of the 300 points
    assert "test set, epoch 0" in start["title"]
    # Beside the loss chart: to its right, on the same row.
    heat_box, loss_box = start["heat"], start["loss"]
    assert heat_box["x"] >= loss_box["x"] + loss_box["w"] - 1 and abs(heat_box["y"] - loss_box["y"]) < 2
    assert heat_box["w"] > 100 and heat_box["h"] > 100

    page.evaluate("() => { window.__heat = document.querySelector('.nnl-metrics.js-plotly-plot') }")
    button(page, "play").click()
    before = json.dumps(start["z"], separators=(",", ":"))  # as JSON.stringify writes it
    page.wait_for_function(
        f"() => {{ const h = ({HEAT_JS})(); return h.epoch >= 30 && JSON.stringify(h.z) !== '{before}'; }}"
    )
    assert page.evaluate("() => document.querySelector('.nnl-metrics.js-plotly-plot') === window.__heat")
    paused = pause_and_settle(page)
    wait_for(page, f"(({HEAT_JS})().epoch === {paused['epoch']})", "the heatmap shows the paused epoch")
    end = heat(page)
    assert sum(map(sum, end["z"])) == 150 and end["z"] != start["z"]
    assert f"epoch {paused['epoch']}" in end["title"]


@pytest.mark.browser
@pytest.mark.parametrize("present", [False, True], ids=["laptop", "presenter"])
def test_the_heatmap_fits_the_one_screen_layout(browser, app_url, present):
    """At a projector's 1920x1080 (and in presenter mode, where the loss row moves under the network)
    the heatmap stays beside the loss chart and inside the window."""
    context, page = sized_page(browser, 1920, 1080)
    try:
        open_app(page, app_url + SPIRAL)
        wait_for_charts(page)
        if present:
            page.get_by_text("Presenter mode").click()
            page.wait_for_function("() => document.querySelector('.nnl-present') !== null")
            page.wait_for_timeout(1000)
        page.wait_for_function(f"() => ({HEAT_JS})().z !== null")
        shown = heat(page)
        b = boxes(page)
        metrics = page.evaluate(BOX_OF_METRICS_JS)
        assert inside(metrics, b["window"]) and inside(b["loss"], b["window"]), (metrics, b["loss"])
        assert metrics["left"] >= b["loss"]["right"] - 1 and abs(metrics["top"] - b["loss"]["top"]) < 2
        assert shown["heat"]["w"] >= 150, shown["heat"]
    finally:
        context.close()


BOX_OF_METRICS_JS = """() => {
  const r = document.querySelector('.nnl-metrics .main-svg').getBoundingClientRect();
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
}"""
