"""The live charts' payloads: what the browser decodes must be the model, and little of it.

The encoders are checked against hand-worked values; whole frames are decoded by the written format
(``static/frame_format.json``, as ``static/live/decode.js`` does) in ``test_frame_format.py``, whose
decoder is reused here.
"""

import base64
import dataclasses
import json

import numpy as np
import pytest

from playground.core.config import Config
from playground.core.experiment import Experiment
from playground.figures import BLUE, HEAT_OPACITY, LIGHT, ORANGE, loss_figure, network_figure
from playground.figures.colors import _hex_rgb
from playground.live import component as live
from playground.live import frames, specs, tick
from tests.playground.live.test_frame_format import decode as decode_frames

SMALL = Config(n_samples=60, hidden=(3,), batch_size=0)


@pytest.fixture(scope="module")
def trained():
    exp = Experiment(SMALL)
    exp.train(30)
    return exp


def test_binary_grid_bytes_are_the_probability_top_row_first():
    p = np.array([[0.0, 0.5], [0.25, 1.0]])  # row 0 = lowest x2
    grid, scale = frames.encode_grid(p, "binary")
    np.testing.assert_array_equal(grid, [[64, 255], [0, 128]])  # image rows: highest x2 first
    assert scale == 1.0 and grid.dtype == np.uint8


def test_multiclass_grid_bytes_hold_the_class_and_the_confidence():
    probs = np.array([[[0.9, 0.05, 0.05], [1 / 3, 1 / 3, 1 / 3]], [[0.1, 0.2, 0.7], [0.0, 0.0, 1.0]]])
    grid, _ = frames.encode_grid(probs, "multiclass")
    levels = 256 // 3
    cls, conf = np.divmod(grid[::-1].astype(int), levels)
    np.testing.assert_array_equal(cls, probs.argmax(axis=2))
    p_max = 1 / 3 + conf / (levels - 1) * (2 / 3)  # the browser's hover readout
    np.testing.assert_allclose(p_max, probs.max(axis=2), atol=0.5 / (levels - 1))


def test_regression_grid_bytes_span_the_largest_prediction():
    v = np.array([[-4.0, 0.0], [1.0, 2.0]])
    grid, scale = frames.encode_grid(v, "regression")
    assert scale == 4.0
    np.testing.assert_allclose((grid[::-1] / 127.5 - 1) * scale, v, atol=scale / 127.5)


def test_non_finite_values_still_encode_to_bytes():
    grid, scale = frames.encode_grid(np.array([[np.nan, np.inf], [-np.inf, 0.0]]), "regression")
    assert grid.dtype == np.uint8 and np.isfinite(scale) and scale <= 3e38


def test_maps_are_centred_per_layer():
    maps = [np.array([[[0.0, 2.0]]]), np.array([[[0.5, 1.0]], [[0.0, 0.25]]])]
    codes, scales = frames.encode_maps(maps, centers=[0.0, 0.5])
    np.testing.assert_array_equal(scales, [2.0, 0.5])
    decoded = (codes / 127.5 - 1) * np.repeat(scales, [1, 2])[:, None, None] + np.repeat([0.0, 0.5], [1, 2])[
        :, None, None
    ]
    np.testing.assert_allclose(decoded, np.concatenate(maps), atol=2 / 127.5)


def test_a_packed_frame_decodes_to_the_model(trained):
    exp = trained
    packed = frames.pack_frames([frames.snapshot(exp)])
    (frame,) = decode_frames(packed, exp)
    assert packed["epochs"] == [exp.epoch]
    expected_grid, _ = frames.encode_grid(exp.boundary_values(), "binary")
    np.testing.assert_array_equal(frame["grid"], expected_grid)
    np.testing.assert_array_equal(frame["params"], exp.model.params.astype(np.float32))
    expected_maps, scales = frames.encode_maps(exp.neuron_maps(), exp.neuron_centers())
    np.testing.assert_array_equal(frame["maps"].reshape(expected_maps.shape), expected_maps)
    np.testing.assert_allclose(frame["map_scales"], scales, rtol=1e-6)
    w = exp.model.params[: exp.model.n_weights]
    np.testing.assert_array_equal(frame["links"] % 2, w < 0)  # the link's sign
    assert frame["links"].max() // 2 == 4  # the strongest link is drawn at the widest width


def test_frames_of_a_tick_compress_to_a_few_kib_each(trained):
    exp = Experiment(Config())  # the default view: 100 x 100 boundary, 11 units
    taken = []
    for _ in range(6):
        exp.train(5)
        taken.append(frames.snapshot(exp))
    packed = json.dumps(frames.pack_frames(taken))
    assert len(packed) < 6 * 8 * 1024  # raw the six frames are 6 x 14.4 KB
    assert [e for e in frames.pack_frames(taken)["epochs"]] == [5, 10, 15, 20, 25, 30]


def test_loss_points_thin_out_as_the_run_grows_and_keep_the_newest():
    record = {"val_loss": None, "train_accuracy": 0.5, "val_accuracy": 0.5}
    history = [dict(record, epoch=e, train_loss=1 / e) for e in range(1, 2501)]
    points = frames.loss_points(history, "binary")
    assert points["full"] and points["stride"] == 4  # 2500 / 4 = 625 <= 1000 points
    assert points["epochs"][-1] == 2500 and all(e % 4 == 0 for e in points["epochs"])
    assert points["val_loss"][0] is None  # a gap, never NaN, in the JSON
    newer = frames.loss_points(history, "binary", after=2490)
    assert not newer["full"] and newer["from"] == 2490 and newer["epochs"] == [2492, 2496, 2500]
    assert "train_accuracy" not in frames.loss_points(history, "regression")


def test_non_finite_losses_become_gaps():
    history = [{"epoch": 1, "train_loss": float("inf"), "val_loss": float("nan")}]
    points = frames.loss_points(history, "regression")
    assert points["train_loss"] == [None] and points["val_loss"] == [None]


def test_boundary_spec_leaves_the_picture_to_the_browser(trained):
    spec = specs.boundary_spec(trained, show_test=False, discretize=False)
    figure = spec["figure"]
    assert all(t["type"] == "scatter" for t in figure["data"])  # points only: the canvas paints the rest
    assert not figure["layout"].get("images") and not figure["layout"].get("title", {}).get("text")
    assert spec["domain"] == list(trained.domain) and spec["grid"] == len(trained.grid_axis)
    assert spec["opacity"] == HEAT_OPACITY
    lut = np.frombuffer(base64.b64decode(spec["lut"]), np.uint8).reshape(256, 3)
    assert tuple(lut[0]) == _hex_rgb(ORANGE) and tuple(lut[255]) == _hex_rgb(BLUE)
    assert np.abs(lut[128].astype(int) - _hex_rgb(LIGHT)).max() <= 2  # P = 0.5: undecided grey
    sharp = specs.boundary_spec(trained, show_test=False, discretize=True)
    lut = np.frombuffer(base64.b64decode(sharp["lut"]), np.uint8).reshape(256, 3)
    assert {tuple(c) for c in lut} == {_hex_rgb(ORANGE), _hex_rgb(BLUE)}


def test_regression_spec_keeps_a_true_colour_bar():
    exp = Experiment(dataclasses.replace(SMALL, dataset="plane", head="linear_mse"))
    spec = specs.boundary_spec(exp, show_test=False, discretize=False)
    bar = spec["figure"]["data"][0]
    targets = np.concatenate([exp.points[2], exp.points[3]])
    assert bar["opacity"] == 0 and bar["zmax"] == pytest.approx(np.abs(targets).max())
    assert spec["color_scale"] == pytest.approx(np.abs(targets).max())


def test_network_spec_leaves_hover_text_and_pictures_to_the_live_values(trained):
    spec = specs.network_spec(trained)
    hover = [t for t in spec["figure"]["data"] if t.get("name") in ("units", "biases", "link hover")]
    assert len(hover) == 3 and all(t["hoverinfo"] == "none" and "hovertext" not in t for t in hover)
    assert spec["sizes"] == trained.model.layer_sizes and len(spec["link_colors"]) == 10
    assert spec["centers"] == trained.neuron_centers()
    layout = spec["figure"]["layout"]
    # One empty picture slot per unit, placed as network_figure places the pictures; the frames draw
    # the links, so the spec holds only the two bias shapes (empty) the browser fills in.
    drawn = _json(network_figure_of(trained))["layout"]
    assert len(layout["images"]) == sum(trained.model.layer_sizes) == len(drawn["images"])
    place = ("x", "y", "sizex", "sizey")
    assert [[i[k] for k in place] for i in layout["images"]] == [
        [i[k] for k in place] for i in drawn["images"]
    ]
    assert {i["source"] for i in layout["images"]} == {""}
    assert [(s["name"], s["path"]) for s in layout["shapes"]] == [
        ("biases b >= 0", "M0,0"),
        ("biases b < 0", "M0,0"),
    ]
    assert layout["meta"] == drawn["meta"]


def network_figure_of(exp):
    m = exp.model
    return network_figure(layer_sizes=m.layer_sizes, weights=m.weights, biases=m.biases,
                          feature_names=exp.feature_names(), neuron_maps=exp.neuron_maps(),
                          centers=exp.neuron_centers(), width=specs.NETWORK_PX[0],
                          height=specs.NETWORK_PX[1])  # fmt: skip


def _json(fig):
    return json.loads(fig.to_json())


def test_loss_spec_has_one_template_per_series_and_no_points(trained):
    spec = specs.loss_spec(trained)
    assert spec["keys"] == list(frames.SCORES[:4])  # classification: losses and accuracies
    names = [t["name"] for t in spec["figure"]["data"]]
    assert names == ["train loss", "test loss", "train accuracy", "test accuracy"]
    assert not any("x" in t or "y" in t for t in spec["figure"]["data"])
    assert "yaxis2" in spec["figure"]["layout"] and "annotations" in spec["empty_layout"]
    regression = specs.loss_spec(Experiment(dataclasses.replace(SMALL, dataset="plane", head="linear_mse")))
    assert regression["keys"] == ["train_loss", "val_loss"] and "yaxis2" not in regression["figure"]["layout"]


def test_a_schedule_adds_the_learning_rate_in_a_band_under_the_curves():
    """With a schedule the spec draws the rate (yaxis3, a band at the bottom, a step line); the loss
    points carry each epoch's rate either way; the static figure draws the same."""
    exp = Experiment(dataclasses.replace(SMALL, schedule="step", schedule_period=3, schedule_factor=0.5))
    exp.train(7)
    spec = specs.loss_spec(exp)
    assert spec["keys"][-1] == "learning_rate" and spec["figure"]["data"][-1]["yaxis"] == "y3"
    layout = spec["figure"]["layout"]
    assert layout["yaxis3"]["domain"][0] == 0 and layout["yaxis"]["domain"][0] > layout["yaxis3"]["domain"][1]
    points = frames.loss_points(exp.trainer.history, exp.config.task)
    lr = exp.config.learning_rate
    assert points["learning_rate"] == pytest.approx([lr] * 3 + [lr / 2] * 3 + [lr / 4])
    figure = loss_figure(exp.trainer.history, task="binary", rate=True)
    (rate,) = [t for t in figure.data if t.name == "learning rate"]
    assert list(rate.y) == pytest.approx(points["learning_rate"]) and rate.yaxis == "y3"
    assert "learning rate" not in [t.name for t in loss_figure(exp.trainer.history, task="binary").data]


def test_the_module_version_covers_every_file_of_the_live_view(tmp_path, monkeypatch):
    """The entry module's ?v= hashes the entry, every module under static/live/ and the frame format
    (not plotly.js): editing any of them gives the page a new URL for all of them."""
    names = {p.relative_to(live.STATIC_DIR).as_posix() for p in live.SOURCES}
    modules = {f"live/{p.name}" for p in (live.STATIC_DIR / "live").glob("*.js")}
    assert names == {"live_view.js", "frame_format.json"} | modules and len(modules) >= 6
    assert live.MODULE_URL == f"app/static/live_view.js?v={live._version(live.SOURCES)}"
    monkeypatch.setattr(live, "STATIC_DIR", tmp_path)
    (tmp_path / "live").mkdir()
    copies = [tmp_path / name for name in sorted(names)]
    for path in copies:
        path.write_text(path.name)
    before = live._version(copies)
    for path in copies:
        text = path.read_bytes()
        path.write_bytes(text + b" ")
        assert live._version(copies) != before, path.name
        path.write_bytes(text)
    assert live._version(copies) == before


def test_payload_sends_the_spec_until_acknowledged_then_only_new_loss_points():
    exp = Experiment(SMALL)
    sync = {}
    first = live.payload(exp, [], running=False, sync=sync)
    assert first["spec"]["rev"] == live.revision(exp) and first["loss"]["full"]
    json.dumps(first, allow_nan=False)  # plain JSON: no numpy, no NaN
    again = live.payload(exp, [], running=False, sync=sync)
    assert "spec" in again  # not acknowledged yet
    sync["ack"] = live.revision(exp)
    exp.train(3)
    tick = live.payload(exp, [frames.snapshot(exp)], running=True, sync=sync)
    assert "spec" not in tick and tick["loss"]["from"] == 0 and tick["loss"]["epochs"] == [1, 2, 3]
    exp.train(2)
    tick = live.payload(exp, [], running=True, sync=sync)
    # The loss points of the last few payloads again: one lost on the way leaves no gap.
    assert tick["loss"]["from"] == 0 and tick["loss"]["epochs"] == [1, 2, 3, 4, 5]
    assert tick["frames"]["epochs"] == [5]  # no frames taken: the model as it is now
    for _ in range(live.RESEND):
        exp.train(1)
        tick = live.payload(exp, [], running=True, sync=sync)
    assert tick["loss"]["from"] == 5 and tick["loss"]["epochs"] == [6, 7, 8, 9, 10]


def test_payloads_are_numbered_in_one_stream_per_session():
    """The browser drops a payload whose seq is not newer than the last one it took (stale or
    repeated data); a new session is a new stream, so its count may start again."""
    exp, sync = Experiment(SMALL), {}
    sent = [live.payload(exp, [], running=True, sync=sync) for _ in range(3)]
    assert [p["seq"] for p in sent] == [1, 2, 3]
    assert len({p["stream"] for p in sent}) == 1
    assert live.payload(exp, [], running=True, sync={})["stream"] != sent[0]["stream"]


def test_a_new_network_or_view_setting_is_a_new_revision():
    exp = Experiment(SMALL)
    rev = live.revision(exp)
    exp.reset()
    assert live.revision(exp) != rev
    rev = live.revision(exp)
    exp.update(dataclasses.replace(exp.config, show_test=True))
    assert live.revision(exp) != rev
    assert live.revision(Experiment(SMALL)) != live.revision(Experiment(SMALL))  # a random nonce


def test_each_frame_carries_the_scores_of_its_own_epoch():
    """The counters above the charts are drawn from the frame on screen: its scores must be those
    the trainer recorded at that frame's epoch (and the initial weights' at epoch 0)."""
    exp = Experiment(SMALL)
    taken = [frames.snapshot(exp)]
    for _ in range(3):
        exp.train(4)
        taken.append(frames.snapshot(exp))
    packed = frames.pack_frames(taken)
    assert packed["epochs"] == [0, 4, 8, 12]
    (X, X_test), (_, _, y, y_test) = exp.inputs, exp.points
    # Epoch 0: the scores of a fresh network with the same seed, computed here.
    fresh = Experiment(SMALL)
    (loss0, acc0), (val_loss0, val_acc0) = (
        fresh.trainer.evaluate(X, y),
        fresh.trainer.evaluate(X_test, y_test),
    )
    lr0 = SMALL.learning_rate  # the rate epoch 1 will use
    assert packed["scores"][0] == pytest.approx([loss0, val_loss0, acc0, val_acc0, lr0], abs=1e-7)
    for epoch, scores in zip(packed["epochs"][1:], packed["scores"][1:]):
        record = exp.trainer.history[epoch - 1]
        assert record["epoch"] == epoch
        assert scores == pytest.approx([record[k] for k in frames.SCORES], abs=1e-7)
    json.dumps(packed, allow_nan=False)


def test_non_finite_scores_become_none():
    exp = Experiment(dataclasses.replace(SMALL, learning_rate=10.0, activation="relu", hidden=(8, 8)))
    exp.train(200)
    scores = frames.snapshot(exp).scores
    assert all(v is None or np.isfinite(v) for v in scores)
    json.dumps(list(scores), allow_nan=False)


def test_running_payloads_ask_for_the_next_tick_and_paused_ones_do_not():
    """Ticks are paced by delivery: live_view.js asks for the next tick when a running payload
    arrives, no sooner than tick_ms after its last request; a paused payload asks for nothing."""
    exp, sync = Experiment(SMALL), {}
    running = live.payload(exp, [], running=True, sync=sync)
    assert running["tick_ms"] == round(1000 * tick.tick_seconds())
    assert "tick_ms" not in live.payload(exp, [], running=False, sync=sync)
    assert running["status"] == {"rate": 0.0, "max_epochs": 0, "regression": False}


def test_an_uploaded_files_class_names_label_the_boundary_as_typed():
    """Issue 17: the Playground said "class 0" for a file whose classes are setosa, versicolor, ...
    The names are the legend's and the hover readout's; a name that looks like HTML or a template
    is shown as typed (escaped for Plotly, never inside a hover template)."""
    from playground.files.upload import guess_columns, prepare, read_table

    rng = np.random.default_rng(0)
    names = ("setosa", "<b>big</b>", "%{x} & co")
    rows = [f"{x:.3f},{y:.3f},{names[k]}" for k in range(3) for x, y in rng.normal(3 * k, 0.3, (10, 2))]
    table = read_table(("x1,x2,kind\n" + "\n".join(rows)).encode(), "flowers.csv")
    data = prepare(table, *guess_columns(table))
    upload = dict(dataset="upload", upload_task="multiclass", n_classes=3, head="softmax_ce")
    config = dataclasses.replace(SMALL, **upload)
    spec = specs.boundary_spec(Experiment(config, upload=data), show_test=False, discretize=False)
    legend = [t["name"] for t in spec["figure"]["data"]]
    sorted_names = sorted(names)  # class k is the k-th name in sorted order
    assert (
        legend
        == ["%{x} &amp; co", "&lt;b&gt;big&lt;/b&gt;", "setosa"]
        == [n.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for n in sorted_names]
    )
    assert all(t["hovertemplate"].startswith("%{fullData.name}<br>") for t in spec["figure"]["data"])
    assert spec["class_names"] == sorted_names
    assert specs.boundary_spec(Experiment(SMALL), show_test=False, discretize=False)["class_names"] == []
