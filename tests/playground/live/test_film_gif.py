"""The film as a GIF: one frame per film frame, the stated size and timing, the boundary the right way
up (checked against the model itself), every task, a progress report per frame, bad arguments refused."""

import io

import numpy as np
import pytest
from PIL import Image

from playground.core.config import Config
from playground.core.experiment import Experiment
from playground.live import film, film_gif, frames


def filmed(config, ticks=6, epochs=15):
    exp, f = Experiment(config), film.Film("k")
    f.add(film.reel(frames.snapshot(exp)))
    for _ in range(ticks):
        exp.train(epochs)
        f.add(film.reel(frames.snapshot(exp)))
    return exp, f


def frames_of(gif):
    image = Image.open(io.BytesIO(gif))
    out = []
    for i in range(image.n_frames):
        image.seek(i)
        out.append((np.asarray(image.convert("RGB")).copy(), image.info.get("duration")))
    return image, out


def test_one_gif_frame_per_film_frame_at_the_stated_size_and_pace():
    exp, f = filmed(Config(n_samples=80))
    calls = []
    gif = film_gif.film_gif(f.reels, exp, progress=lambda done, total: calls.append((done, total)))
    image, shown = frames_of(gif)
    assert image.format == "GIF" and image.n_frames == len(f.reels) == 7
    assert image.size == (film_gif.SIDE, film_gif.SIDE + film_gif.STAMP)
    assert [d for _, d in shown] == [film_gif.FRAME_MS] * 6 + [film_gif.LAST_MS]
    assert calls == [(i, 7) for i in range(1, 8)]
    assert image.info.get("loop") == 0  # plays on and on
    # the pictures move: the first (untrained) and the last frames differ
    assert np.abs(shown[0][0].astype(int) - shown[-1][0].astype(int)).mean() > 1


def test_the_boundary_is_the_right_way_up():
    """Where the model says class 1 most surely, the GIF is bluer than where it says class 0 most
    surely: the model's own grid values, read at the GIF pixels of those points (x2 up, x1 right)."""
    exp, f = filmed(Config(dataset="above_sine", n_samples=200), ticks=4, epochs=40)
    p = exp.boundary_values()  # (G, G) P(class 1), row 0 = lowest x2
    last = frames_of(film_gif.film_gif(f.reels[-1:], exp, side=200))[1][-1][0]
    g = p.shape[0]

    def pixel(row, col):  # grid cell -> the GIF's pixel (the image's rows go down)
        return last[round((g - 1 - row) / (g - 1) * 199), round(col / (g - 1) * 199)].astype(int)

    blue, orange = np.array([8, 119, 189]), np.array([245, 147, 34])
    for (row, col), expected in [(np.unravel_index(p.argmax(), p.shape), blue),
                                 (np.unravel_index(p.argmin(), p.shape), orange)]:  # fmt: skip
        other = orange if expected is blue else blue
        rgb = pixel(row, col)
        assert np.abs(rgb - expected).sum() < np.abs(rgb - other).sum(), (row, col, rgb)


@pytest.mark.parametrize(
    "config",
    [
        Config(dataset="spiral", n_classes=3, head="softmax_ce", n_samples=90),
        Config(dataset="plane", head="linear_mse", n_samples=60),
        Config(n_samples=60, discretize=True),
    ],
    ids=["multiclass", "regression", "discretized"],
)
def test_every_task_makes_a_gif(config):
    exp, f = filmed(config, ticks=2, epochs=5)
    image, shown = frames_of(film_gif.film_gif(f.reels, exp, side=120))
    assert image.n_frames == 3 and image.size == (120, 120 + film_gif.STAMP)
    assert all(np.isfinite(frame).all() for frame, _ in shown)


def test_bad_arguments_are_refused_by_name():
    exp, f = filmed(Config(n_samples=60), ticks=1, epochs=1)
    with pytest.raises(ValueError, match="reels"):
        film_gif.film_gif([], exp)
    with pytest.raises(ValueError, match="side"):
        film_gif.film_gif(f.reels, exp, side=10)
