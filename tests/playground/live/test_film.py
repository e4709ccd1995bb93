"""The run's film: which epochs it keeps (every one up to 50, then every 2 %, thinned evenly in log
time), its bounds (300 frames, 8 MB), the frames it keeps being the frames the browser was shown, the
workers' dense first epochs, and the film reaching the browser when paused (once per change, and
again when the browser says it lacks it)."""

import base64
import math
import zlib

import numpy as np
import pytest

from playground.core.config import Config
from playground.core.experiment import Experiment
from playground.live import component as live
from playground.live import film, frames, training


def fake(epoch, size=100):
    """A reel of ``size`` bytes whose content names its epoch (the film never looks inside)."""
    return film.Reel(epoch, epoch.to_bytes(8, "little") * (size // 8), b"", ())


def filmed(epochs, **kwargs):
    f = film.Film("k", **kwargs)
    for e in epochs:
        f.add(fake(e))
    return f


def test_every_epoch_up_to_fifty_then_every_two_percent_and_always_the_present():
    f = filmed(range(0, 1001))
    kept = f.epochs
    assert kept[: film.DENSE_EPOCHS + 1] == list(range(film.DENSE_EPOCHS + 1))
    assert kept[-1] == 1000  # the present, though only a few epochs past the last kept one
    for a, b in zip(kept[:-2], kept[1:-1]):
        assert b - a == max(1, math.ceil(film.GROWTH * a)), (a, b)  # the first epoch far enough
    assert len(kept) < 200


def test_a_long_run_thins_out_evenly_in_log_time_and_keeps_its_start():
    run = range(0, 2_000_000, 37)
    f = filmed(run)
    kept = f.epochs
    assert len(kept) == film.MAX_FRAMES
    assert kept[0] == 0 and kept[-1] == run[-1] and kept == sorted(kept)
    assert kept[1:4] == [37, 74, 111]  # the first frames after 0 stay
    # Where frames were dropped (neighbours more than one input step apart), the gaps are even in
    # log time: no stretch of the run lost all its frames while another kept many.
    thinned = np.diff(kept) > run.step
    gaps = np.diff(np.log1p(kept))[thinned]
    assert thinned.sum() > 200 and gaps.max() < 2.5 * gaps.min(), (gaps.min(), gaps.max())


def test_the_memory_budget_bounds_the_film_of_a_large_network():
    f = film.Film("k", budget_bytes=10_000)
    for e in range(0, 500, 5):
        f.add(fake(e, size=1_000))
    assert f.nbytes == sum(r.nbytes for r in f.reels) <= 10_000
    assert len(f.reels) == 10 and f.epochs[0] == 0 and f.epochs[-1] == 495


def test_the_same_picture_again_changes_nothing_and_a_new_one_replaces_it():
    f = filmed([0, 1, 2])
    version = f.version
    f.add(fake(2))
    assert f.version == version  # a paused page redrawn: the browser's film is still the film
    f.add(film.Reel(2, b"other", b"", ()))
    assert f.version == version + 1 and f.reels[-1].u8z == b"other" and f.epochs == [0, 1, 2]


def test_weights_loaded_at_an_earlier_epoch_start_the_story_again_from_there():
    f = filmed([0, 1, 2, 3, 4])
    f.add(fake(2, size=16))
    assert f.epochs == [0, 1, 2] and f.reels[-1].nbytes == 16
    assert f.nbytes == sum(r.nbytes for r in f.reels)


def test_bad_sizes_and_light_frames_are_refused():
    with pytest.raises(ValueError, match="max_frames"):
        film.Film("k", max_frames=1)
    exp = Experiment(Config(n_samples=60))
    with pytest.raises(ValueError, match="light frame"):
        film.reel(frames.snapshot(exp, full=False))


def test_a_reel_gives_back_the_frame_it_was_made_from():
    exp = Experiment(Config(n_samples=60))
    exp.train(3)
    frame = frames.snapshot(exp)
    assert film.reel(frame).frame() == frame


def test_the_default_networks_film_of_300_frames_takes_under_three_megabytes():
    exp = Experiment(Config())
    f = film.Film("k")
    for _ in range(60):
        exp.train(5)
        f.add(film.reel(frames.snapshot(exp)))
    per_frame = f.nbytes / len(f.reels)
    assert 300 * per_frame < 3 * 1024**2, per_frame


# --- what the workers keep for the film ---------------------------------------------------------
def test_a_worker_snapshots_every_early_epoch_for_the_film_and_trains_the_same():
    config = Config(n_samples=80, hidden=(5, 3), batch_size=10)
    exp, plain = Experiment(config), Experiment(config)
    result = training.run(training.Job(exp.travelling_copy(), 70, 3))
    plain.train(70)
    assert np.array_equal(result.experiment.model.params, plain.model.params)  # bit for bit
    epochs = [r.epoch for r in result.reels]
    # epochs 1..50 one by one (the film's own), then the tick's own frames (chunks of 24, 23, 23)
    assert epochs == list(range(1, 51)) + [70]
    assert result.packed["epochs"] == [24, 47, 70]  # the browser's frames are the tick's as before
    assert result.reels[-1].frame() == frames.snapshot(result.experiment)


def test_a_large_networks_film_gets_its_full_frames_only():
    exp = Experiment(Config(n_samples=60, hidden=(64, 64)))
    assert frames.light_frames(exp.model.layer_sizes)
    result = training.run(training.Job(exp.travelling_copy(), 6, 3))
    assert [r.epoch for r in result.reels] == [6]  # light frames carry no network: not in the film
    assert result.packed["full"] == [False, False, True]


def test_without_snapshots_no_film():
    exp = Experiment(Config(n_samples=60))
    assert training.run(training.Job(exp.travelling_copy(), 10, 0)).reels == ()


# --- the film reaching the browser ---------------------------------------------------------------
def test_paused_the_browser_gets_the_film_once_per_change_and_again_when_it_asks():
    exp = Experiment(Config(n_samples=60))
    f, sync = film.Film(f"{exp.nonce}.{exp.builds}"), {}
    first = live.payload(exp, [], running=False, sync=sync, film=f)
    assert first["film"]["id"] == f.id and f.epochs == [0]  # the present joined the film
    assert "film" not in live.payload(exp, [], running=False, sync=sync, film=f)  # sent already
    for _ in range(3):
        exp.train(2)
        assert "film" not in live.payload(exp, [frames.snapshot(exp)], running=True, sync=sync, film=f)
        f.add(film.reel(frames.snapshot(exp)))
    paused = live.payload(exp, [], running=False, sync=sync, film=f)
    assert [p["epochs"] for p in paused["film"]["frames"]] == [[0], [2], [4], [6]]
    assert "film" not in live.payload(exp, [], running=False, sync=sync, film=f)
    sync["film_sent"] = None  # what the browser's "film_need" does (a remounted view)
    assert live.payload(exp, [], running=False, sync=sync, film=f)["film"]["id"] == f.id


def test_the_films_frames_decode_as_the_frames_they_were():
    exp = Experiment(Config(n_samples=60))
    f = film.Film("k")
    for _ in range(3):
        exp.train(1)
        f.add(film.reel(frames.snapshot(exp)))
    for packed, r in zip(f.packed(), f.reels):
        assert zlib.decompress(base64.b64decode(packed["u8"])) == r.frame().u8
        assert base64.b64decode(packed["f32"]) == r.f32
        assert packed["scores"] == [list(r.scores)] and packed["full"] == [True]


# --- the page ----------------------------------------------------------------------------------
def test_the_page_keeps_the_film_and_makes_its_gif_when_asked():
    from tests.playground.live.test_page import SMALL, live_data, open_app

    at = open_app(SMALL)
    make = at.button(key="pg_film_gif_make")
    assert make.disabled  # one frame (epoch 0) is no film yet
    for _ in range(3):
        at.button(key="step").click().run()
    data = live_data(at)
    assert [p["epochs"][0] for p in data["film"]["frames"]] == [0, 1, 2, 3]
    at.button(key="pg_film_gif_make").click().run()
    assert not at.exception, at.exception
    (download,) = [d for d in at.get("download_button") if "GIF" in d.proto.label]
    assert "Download the GIF" in download.proto.label
    (image,) = at.get("image")  # the preview
    assert image.proto.imgs[0].url
    # another epoch: the film changed, so the GIF is gone until made again
    at.button(key="step").click().run()
    assert not [d for d in at.get("download_button") if "GIF" in d.proto.label]
    assert "Make a GIF (5 frames)" == at.button(key="pg_film_gif_make").label
