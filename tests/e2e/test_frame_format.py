"""The browser's decoder reads the written frame format: ``static/live/decode.js``, run in Chromium
on frames packed by ``frames.py``, finds the sections the table-driven decoder of
``tests/playground/live/test_frame_format.py`` finds; with the table's sections reordered (and the
bytes laid out that way) it still does, so its offsets come from the table, not from its own code.
And every module of the live view is loaded with the entry module's ``?v=`` version.
"""

import base64
import copy
import zlib

import numpy as np
import pytest

from playground.core.experiment import Experiment
from playground.live import frames
from tests.e2e.test_playground import open_app
from tests.playground.live.test_frame_format import FORMAT, SMALL, decode

# Decode ``packed`` with decode.js by ``spec``; return each frame's sections as plain arrays, and the
# codec's reading of every byte value.
DECODE_JS = """async ({ spec, packed }) => {
  const url = performance.getEntriesByType('resource').map((e) => e.name)
    .find((n) => n.includes('/static/live/decode.js'));
  const m = await import(url);
  const layout = m.frameLayout(spec);
  const plain = (parts) => Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, Array.from(v)]));
  const decoded = await m.decodeFrames(packed, layout);
  const codec = m.codec(spec.format);
  const bytes = [...Array(256).keys()];
  return {
    frames: decoded.map((f) => ({ epoch: f.epoch, scores: f.scores, ...plain(f.u8), ...plain(f.f32) })),
    probability: bytes.map((b) => codec.probability(b)),
    classes: bytes.map((b) => codec.classConfidence(b, 3)),
    signed: bytes.map((b) => codec.signed(b, 2.0)),
  };
}"""


def packed_and_spec(exp, n_frames=2):
    taken = []
    for _ in range(n_frames):
        exp.train(3)
        taken.append(frames.snapshot(exp))
    spec = {
        "format": FORMAT,
        "boundary": {"grid": len(exp.grid_axis)},
        "network": {"sizes": exp.model.layer_sizes, "map_grid": len(exp.neuron_axis)},
    }
    return frames.pack_frames(taken), spec


def reordered(packed, exp, table):
    """``packed`` laid out by ``table`` (same sections, another order)."""
    u8, f32 = [], []
    for frame in decode(packed, exp):
        u8 += [frame[s["name"]].astype(np.uint8).tobytes() for s in table["u8"]]
        f32 += [np.asarray(frame[s["name"]], "<f4").tobytes() for s in table["f32"]]
    b64 = lambda data: base64.b64encode(data).decode("ascii")  # noqa: E731
    return packed | {"u8": b64(zlib.compress(b"".join(u8))), "f32": b64(b"".join(f32))}


def assert_same_frames(shown, expected):
    assert len(shown) == len(expected)
    for js, py in zip(shown, expected):
        assert js["epoch"] == py["epoch"] and js["scores"] == pytest.approx(py["scores"])
        for section in FORMAT["u8"] + FORMAT["f32"]:
            name = section["name"]
            np.testing.assert_array_equal(np.ravel(js[name]), np.ravel(py[name]).astype(np.float64), name)


@pytest.mark.browser
def test_the_browser_decodes_frames_by_the_written_format(page, app_url):
    open_app(page, app_url)  # the live view loaded: decode.js is on the page, with its version
    exp = Experiment(SMALL)
    packed, spec = packed_and_spec(exp)
    shown = page.evaluate(DECODE_JS, {"spec": spec, "packed": packed})
    assert_same_frames(shown["frames"], decode(packed, exp))

    enc = FORMAT["encodings"]
    byte = np.arange(256)
    np.testing.assert_allclose(shown["probability"], byte / enc["probability"]["top"])
    np.testing.assert_allclose(shown["signed"], (byte / enc["signed"]["half"] - 1) * 2.0)
    levels = enc["class_confidence"]["codes"] // 3
    assert [c["cls"] for c in shown["classes"]] == (byte // levels).tolist()
    np.testing.assert_allclose(
        [c["p"] for c in shown["classes"]], 1 / 3 + (byte % levels) / (levels - 1) * 2 / 3
    )

    # Another order of sections in the table, the bytes laid out by it: the same frames.
    table = copy.deepcopy(FORMAT)
    table["u8"].reverse()
    table["f32"].reverse()
    other = page.evaluate(
        DECODE_JS, {"spec": spec | {"format": table}, "packed": reordered(packed, exp, table)}
    )
    assert_same_frames(other["frames"], decode(packed, exp))


MODULES_JS = """() => performance.getEntriesByType('resource').map((e) => e.name)
  .filter((n) => n.includes('/static/live_view.js') || n.includes('/static/live/'))"""


@pytest.mark.browser
def test_every_module_is_loaded_with_the_entry_modules_version(page, app_url):
    open_app(page, app_url)
    urls = page.evaluate(MODULES_JS)
    versions = {url.split("?", 1)[1] if "?" in url else None for url in urls}
    names = {url.split("?", 1)[0].rsplit("/static/", 1)[1] for url in urls}
    expected = {"live_view.js"} | {f"live/{n}" for n in ("view.js", "decode.js", "pacing.js", "boundary.js")}
    assert expected <= names, names
    assert len(versions) == 1 and None not in versions and next(iter(versions)).startswith("v="), urls
