"""A learning-rate schedule and a stop rule in a real browser: the live loss chart draws the rate each
epoch used in its band (a step line, times 0.8 every 2 epochs), and Play stops by itself at the epoch
the rule fires (epoch 9), with the reason in the status line."""

import pytest

from tests.e2e.test_playground import button, open_app, wait_for

# Moons, a small network: the training loss gets below 0.3 at epoch 9.
LINK = "?data=moons&points=60&hidden=3&batch=10&lr=0.3&sched=step&speriod=2&sfactor=0.8"
LINK += "&stop=train_loss_below&stoptarget=0.3"

# The loss chart's traces as Plotly holds them: name, axis, and the points drawn.
TRACES_JS = """() => {
  const plot = document.querySelector('.nnl-loss.js-plotly-plot');
  const points = (t) => ({ name: t.name, yaxis: t.yaxis, x: Array.from(t.x), y: Array.from(t.y) });
  return plot ? plot.data.map(points) : [];
}"""


@pytest.mark.browser
def test_the_rate_band_follows_the_schedule_and_the_stop_rule_stops_play(page, app_url):
    open_app(page, app_url + LINK)
    button(page, "play").click()
    stopped = wait_for(
        page, "!s.running && s.idle && s.epoch > 5 && s.boundary === s.epoch", "the rule stops Play"
    )
    status = page.get_by_text("Stopped at epoch")
    status.wait_for()
    assert f"Stopped at epoch {stopped['epoch']}: training loss < 0.3" in status.inner_text()
    assert button(page, "play").is_disabled()

    traces = {t["name"]: t for t in page.evaluate(TRACES_JS)}
    rate = traces["learning rate"]
    assert stopped["epoch"] == 9 and rate["yaxis"] == "y3" and rate["x"][-1] == 9
    for epoch, value in zip(rate["x"], rate["y"]):
        assert value == pytest.approx(0.3 * 0.8 ** ((epoch - 1) // 2), rel=1e-6), (epoch, value)
    layout = page.evaluate("() => document.querySelector('.nnl-loss.js-plotly-plot').layout.yaxis3.domain")
    assert layout[0] == 0 and layout[1] < 0.5  # a band at the bottom of the chart
