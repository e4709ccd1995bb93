"""The film as an animated GIF: the boundary at each of the film's epochs, the training points on
it, and the epoch and losses stamped under it. Made on the server with Pillow, from the same frames
the replay slider shows (``film.Film``), so the picture is the one the browser painted: the grid bytes
through the same colour table (``specs.boundary_lut``). No Streamlit here.

Size is bounded: at most ``film.MAX_FRAMES`` frames of ``SIDE`` x (``SIDE`` + the stamp) pixels, each
with its own 256-colour palette (a boundary is a few colour ramps; ~10-40 KB a frame).
"""

import io
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from playground.figures import HEAT_OPACITY
from playground.figures.colors import CLASS_COLORS, _hex_rgb
from playground.live import frames, specs

SIDE = 360  # px: the boundary's square
STAMP = 44  # px: the two lines of text under it
FRAME_MS = 80  # each frame's time on screen
LAST_MS = 2000  # the last frame stays longer: the run as it ended
POINT_RADIUS = 3  # px
COLORS = 64  # each frame's palette: 255 made the GIF 1.7x larger and looked the same


def film_gif(reels, exp, *, side=SIDE, progress=None):
    """GIF bytes of ``reels`` (``film.Reel``, oldest first) for ``exp`` (its task, data and grid).
    ``progress(done, total)`` is called after each frame (a progress bar)."""
    if not reels:
        raise ValueError("reels must hold at least one frame; got none")
    if not 64 <= side <= 1024:
        raise ValueError(f"side must be in [64, 1024] pixels; got {side!r}")
    c = exp.config
    lut = specs.boundary_lut(c.task, c.classes, c.discretize)
    dims = frames.frame_dims(exp.model.layer_sizes, len(exp.grid_axis), len(exp.neuron_axis))
    points = _points_layer(exp, side)
    font = _font(14)
    images = []
    for i, r in enumerate(reels):
        frame = r.frame()
        grid = np.frombuffer(frame.u8, np.uint8, count=dims["grid"] ** 2).reshape(dims["grid"], -1)
        if c.task == "regression":
            grid = _rescaled(grid, _grid_scale(frame, dims), _color_scale(exp))
        image = _boundary_image(lut[grid], side)
        image.paste(points, (0, 0), points)
        images.append(_stamped(image, frame, c.task, font, side))
        if progress:
            progress(i + 1, len(reels))
    out = io.BytesIO()
    durations = [FRAME_MS] * (len(images) - 1) + [LAST_MS]
    images[0].save(
        out, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0, optimize=False
    )
    return out.getvalue()


def _boundary_image(rgb, side):
    """The grid's colours (G, G, 3), top row first, scaled to ``side`` and laid over white as the
    live chart lays its canvas over the plot's background (``HEAT_OPACITY``)."""
    image = Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8), "RGB")
    image = image.resize((side, side), Image.Resampling.BILINEAR)
    white = Image.new("RGB", image.size, "white")
    return Image.blend(white, image, HEAT_OPACITY)


def _grid_scale(frame, dims):
    """The frame's boundary scale (the last f32 section, ``grid_scale``)."""
    offset = sum(size for _, size in frames.section_sizes("f32", dims)[:-1])
    return float(np.frombuffer(frame.f32, "<f4", count=1, offset=4 * offset)[0])


def _rescaled(grid, grid_scale, color_scale):
    """Regression: the bytes span the frame's own range; the colours span the targets' (as the live
    chart and its colour bar have it)."""
    half = frames.HALF
    values = (grid / half - 1.0) * grid_scale
    return np.rint((np.clip(values / color_scale, -1.0, 1.0) + 1.0) * half).astype(np.uint8)


def _color_scale(exp):
    _, _, y_train, y_test = exp.points
    targets = np.nan_to_num(np.concatenate([y_train, y_test]).astype(np.float64))
    return float(np.abs(targets).max(initial=0.0)) or 1.0  # (no targets: a drawn set cleared)


def _points_layer(exp, side):
    """The training points as an RGBA layer (drawn once, pasted on every frame): class colours with a
    white outline, or the target's colour for regression."""
    layer = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    X, _, y, _ = exp.points
    lo, hi = exp.domain
    to_px = (np.asarray(X, dtype=np.float64) - lo) / (hi - lo) * (side - 1)
    regression = exp.config.task == "regression"
    scale = _color_scale(exp) if regression else 1.0
    for (px, py), label in zip(to_px, np.asarray(y, dtype=np.float64)):
        if not (math.isfinite(px) and math.isfinite(py)):
            continue
        if regression:
            color = tuple(int(v) for v in frames.MAP_LUT[_signed_byte(label, scale)])
        else:
            color = _hex_rgb(CLASS_COLORS[int(label) % len(CLASS_COLORS)])
        x, yy = px, side - 1 - py  # image rows go down; x2 goes up
        r = POINT_RADIUS
        draw.ellipse((x - r, yy - r, x + r, yy + r), fill=(*color, 255), outline=(255, 255, 255, 255))
    return layer


def _signed_byte(value, scale):
    return int(np.rint((np.clip(value / scale, -1.0, 1.0) + 1.0) * frames.HALF))


def _stamped(image, frame, task, font, side):
    """The boundary with the epoch and the losses written under it, as a palette image."""
    out = Image.new("RGB", (side, side + STAMP), "white")
    out.paste(image, (0, 0))
    draw = ImageDraw.Draw(out)
    s = dict(zip(frames.SCORES, frame.scores))
    accuracy = "" if task == "regression" else f"   test accuracy {_percent(s.get('val_accuracy'))}"
    losses = f"train loss {_number(s.get('train_loss'))}   test loss {_number(s.get('val_loss'))}"
    draw.text((8, side + 4), f"epoch {frame.epoch}{accuracy}", fill="black", font=font)
    draw.text((8, side + 23), losses, fill=(80, 80, 80), font=font)
    return out.quantize(colors=COLORS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def _number(value):
    return "–" if value is None else f"{value:.4f}"


def _percent(value):
    return "–" if value is None else f"{100 * value:.1f}%"


def _font(size):
    """Pillow's own font at ``size`` px (older Pillow: its small bitmap font)."""
    try:
        return ImageFont.load_default(size=size)
    except TypeError:
        return ImageFont.load_default()
