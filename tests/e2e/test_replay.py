"""The replay in a real browser: after Pause, the slider under the boundary moves every view to the
same epoch of the run's film (the boundary and its label, the counters, the network, a marker on the
loss curve), back to the present with End or Now, the film plays, and Play trains on from the present."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_playground import button, open_app, pause_and_settle, wait_for

# What each view shows now: the boundary's label, the counters, the network's frame, the loss
# chart's marker, the slider and the film's epochs.
VIEWS_JS = """() => {
  const view = document.querySelector('.nnl').parentElement.__nnLive;
  const text = (sel) => document.querySelector(sel).textContent.trim();
  const counter = (key) => text(`.nnl-metric[data-key="${key}"] .nnl-metric-value`);
  const shapes = document.querySelector('.nnl-loss').layout.shapes || [];
  const bar = document.querySelector('.nnl-replay');
  return {
    label: text('.nnl-boundary-epoch'),
    epoch: parseInt(counter('epoch'), 10),
    train_loss: counter('train_loss'),
    network: view.drawnFrame.network ? view.drawnFrame.network.epoch : null,
    marker: shapes.length ? shapes[0].x0 : null,
    slider: Number(bar.querySelector('input').value),
    visible: bar.style.visibility === 'visible',
    film: view.replay.frames.map((f) => f.epoch),
    film_losses: view.replay.frames.map((f) => f.scores.train_loss),
    picture: document.querySelector('.nnl-boundary canvas.nnl-heat').toDataURL(),
  };
}"""


def views(page):
    return page.evaluate(VIEWS_JS)


def scrub(page, *keys):
    slider = page.locator(".nnl-replay-slider")
    slider.focus()
    for key in keys:
        page.keyboard.press(key)
    page.wait_for_timeout(200)
    return views(page)


@pytest.mark.browser
def test_the_slider_moves_every_view_to_one_epoch_and_play_goes_on_from_the_present(page, app_url):
    open_app(page, app_url)
    button(page, "play").click()
    wait_for(page, "s.running && s.epoch >= 300", "Play trains")
    paused = pause_and_settle(page)
    page.wait_for_function("() => document.querySelector('.nnl-replay').style.visibility === 'visible'")
    now = views(page)
    film = now["film"]
    assert film[:51] == list(range(51)), film[:60]  # every early epoch
    assert film[-1] == paused["epoch"] and 20 < len(film) <= 300
    assert now["slider"] == len(film) - 1 and now["label"] == f"epoch {film[-1]}"

    # Home: the first frame of the film (epoch 0) everywhere
    first = scrub(page, "Home")
    assert first["label"] == "epoch 0 (replay)" and first["epoch"] == 0
    assert first["network"] == 0 and first["marker"] == 0 and first["slider"] == 0
    assert first["picture"] != now["picture"]

    # a frame in the middle: its epoch and its own train loss everywhere
    k = len(film) // 2
    middle = scrub(page, "Home", *["ArrowRight"] * k)
    assert middle["slider"] == k and middle["label"] == f"epoch {film[k]} (replay)"
    assert middle["epoch"] == film[k] and middle["network"] == film[k] and middle["marker"] == film[k]
    assert middle["train_loss"] == f"{middle['film_losses'][k]:.4f}"

    # a rerun while scrubbed (another view setting: the charts are drawn again) keeps the epoch
    page.get_by_text("Show test data").click()
    shows_test = "() => document.querySelector('.nnl-boundary').data.some((t) => /test/.test(t.name))"
    page.wait_for_function(shows_test)
    page.wait_for_timeout(500)
    again = views(page)
    assert again["epoch"] == again["network"] == again["marker"] == film[k], again["label"]
    assert again["label"] == f"epoch {film[k]} (replay)"

    # End: the present again, the picture as it was when paused
    end = scrub(page, "End")
    assert end["epoch"] == paused["epoch"] and end["marker"] is None and end["label"] == now["label"]
    assert end["picture"] == now["picture"]

    # the film plays from the start
    page.locator(".nnl-replay-play").click()
    page.wait_for_timeout(400)
    playing = views(page)
    assert 0 < playing["slider"] < len(film) - 1 and playing["label"].endswith("(replay)")
    page.locator(".nnl-replay-now").click()
    assert views(page)["epoch"] == paused["epoch"]

    # scrubbed back, then Play: training goes on from the present, and the slider goes away
    scrub(page, "Home")
    button(page, "play").click()
    resumed = wait_for(page, f"s.running && s.epoch > {paused['epoch']}", "Play resumes")
    assert resumed["epoch"] > paused["epoch"]
    assert not views(page)["visible"]


@pytest.mark.browser
def test_the_gif_is_made_with_a_progress_bar_and_offered_for_download(page, app_url):
    open_app(page, app_url)
    button(page, "play").click()
    wait_for(page, "s.running && s.epoch >= 200", "Play trains")
    pause_and_settle(page)
    page.get_by_text("Take it home").click()
    page.get_by_role("button", name=re.compile(r"^Make a GIF \(\d+ frames\)$")).click()
    download = page.get_by_role("button", name=re.compile(r"^Download the GIF \(\d+\.\d MB\)$"))
    expect(download).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        download.click()
    path = info.value.path()
    with open(path, "rb") as f:
        assert f.read(6) in (b"GIF87a", b"GIF89a")
