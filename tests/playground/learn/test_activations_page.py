"""AppTest of the "Activations and gradients" page: every control acts, a small comparison's table
agrees with nn_core.diagnostics run independently here, and results never show as current for
settings they were not computed with."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import nn_core
from nn_core import diagnostics

APP = str(Path(__file__).resolve().parents[3] / "app.py")
PAGE = "pages/activations.py"
# What the page's caption promises: 200 points, noise 0.1, data and weights from seed 0.
N_SAMPLES, NOISE, SEED = 200, 0.1, 0
SMALL = dict(dataset="moons", depth=3, width=4, activations=["sigmoid", "relu"], inits=["xavier", "small"])


def open_page():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def set_controls(at, *, dataset, depth, width, activations, inits, epochs=10, learning_rate=0.3):
    at.selectbox(key="act_dataset").set_value(dataset)
    at.slider(key="act_depth").set_value(depth)
    at.slider(key="act_width").set_value(width)
    at.multiselect(key="act_activations").set_value(activations)
    at.multiselect(key="act_inits").set_value(inits)
    at.slider(key="act_epochs").set_value(epochs)
    at.select_slider(key="act_learning_rate").set_value(learning_rate)
    at.run()
    assert not at.exception, at.exception


def run(at):
    at.button(key="act_run").click().run()
    assert not at.exception, at.exception


def chart(at, key):
    """The Plotly figure JSON of the chart with this key (AppTest does not render Plotly)."""
    for element in at.get("plotly_chart"):
        if key in element.proto.id:
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key!r}")


def values(data):
    """A Plotly JSON array: a list, or a base64 typed array {dtype, bdata}."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
    return np.asarray(data, dtype=np.float64)


def has_chart(at, key):
    return any(key in element.proto.id for element in at.get("plotly_chart"))


def expected_rows(*, dataset, depth, width, activations, inits, epochs=10, learning_rate=0.3):
    """The table's numbers, computed here with MLP, Trainer and track_training directly."""
    X, y = nn_core.make_dataset(dataset, n_samples=N_SAMPLES, noise=NOISE, rng=SEED)
    rows = {}
    for activation in activations:
        for init in inits:
            model = nn_core.MLP([2, *[width] * depth, 1], activation=activation, init=init, rng=SEED)
            trainer = nn_core.Trainer(model, loss="bce", optimizer="sgd", learning_rate=learning_rate)
            trace = diagnostics.track_training(trainer, X, y, epochs, every=max(1, epochs // 100))
            rows[f"{activation} + {init}"] = diagnostics.summary(trace)
    return rows


def test_page_opens_with_defaults_and_asks_for_a_run():
    at = open_page()
    assert at.title[0].value == "Activations and gradients"
    assert at.slider(key="act_depth").value == 6 and at.slider(key="act_width").value == 8
    assert at.multiselect(key="act_activations").value == ["sigmoid", "tanh", "relu"]
    assert at.multiselect(key="act_inits").value == ["xavier", "normal"]
    assert "Press Run" in at.info[0].value
    assert not at.dataframe and not has_chart(at, "act_norms_chart")
    assert "(6 now; at most 3 of each, so 9 runs)" in at.caption[0].value


def test_activation_curves_follow_the_selection():
    at = open_page()
    titles = [a["text"] for a in chart(at, "act_curves_chart")["layout"]["annotations"]]
    assert titles == ["sigmoid", "tanh", "ReLU", "leaky ReLU"]  # display names, not registry keys
    at.multiselect(key="act_curves").set_value(["linear", "tanh"]).run()
    spec = chart(at, "act_curves_chart")
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["linear", "tanh"]
    tanh_slope = spec["data"][3]  # (g, g') per activation
    assert tanh_slope["name"] == "g'(z)" and values(tanh_slope["y"]).max() == pytest.approx(1.0)
    at.multiselect(key="act_curves").set_value([]).run()
    assert "pick an activation" in chart(at, "act_curves_chart")["layout"]["annotations"][0]["text"]


def test_small_comparison_table_agrees_with_diagnostics_run_independently():
    at = open_page()
    set_controls(at, **SMALL)
    run(at)
    table = at.dataframe[0].value.set_index("run")
    expected = expected_rows(**SMALL)
    assert list(table.index) == list(expected)
    for name, want in expected.items():
        row = table.loc[name]
        for column in ("first_layer_start", "saturation_end", "final_loss"):
            assert row[column] == pytest.approx(want[column], rel=1e-9), (name, column)
        for column in ("ratio_start", "ratio_end"):
            assert (np.isnan(row[column]) and want[column] is None) or row[column] == pytest.approx(
                want[column]
            )
        assert row["dead"] == f"{want['dead_end']} / {want['units']}"
        assert want["diverged_epoch"] is None and row["diverged_epoch"] is None
    # The small init really shows the vanishing gradient the page is about.
    assert table.loc["sigmoid + small", "ratio_start"] < 1e-3
    norms = chart(at, "act_norms_chart")
    assert len(norms["data"]) == 4 * 4  # 4 runs x (3 hidden layers + output)
    assert all(np.all(np.isfinite(values(t["y"]))) and values(t["y"]).min() > 0 for t in norms["data"])
    assert has_chart(at, "act_profile_chart") and has_chart(at, "act_health_chart")


CHANGES = [  # (control, widget kind, the run's value, another value)
    ("dataset", "selectbox", "moons", "xor"),
    ("depth", "slider", 3, 2),
    ("width", "slider", 4, 5),
    ("activations", "multiselect", ["sigmoid", "relu"], ["tanh"]),
    ("inits", "multiselect", ["xavier", "small"], ["he"]),
    ("epochs", "slider", 10, 20),
    ("learning_rate", "select_slider", 0.3, 0.1),
]


def test_changing_any_setting_hides_the_results_until_they_are_true_again():
    at = open_page()
    set_controls(at, **SMALL)
    run(at)
    before = at.dataframe[0].value
    for name, kind, run_value, other in CHANGES:
        getattr(at, kind)(key=f"act_{name}").set_value(other).run()
        assert not at.dataframe and not has_chart(at, "act_norms_chart"), name
        assert "settings changed" in at.warning[0].value, name
        getattr(at, kind)(key=f"act_{name}").set_value(run_value).run()
        assert not at.warning, name  # back to the run's settings: its results are true again
        assert at.dataframe[0].value.equals(before), name


def test_a_new_run_shows_numbers_for_the_new_settings():
    at = open_page()
    set_controls(at, **SMALL)
    run(at)
    other = dict(SMALL, dataset="xor", depth=2, activations=["tanh"], inits=["he"])
    set_controls(at, **other)
    run(at)
    table = at.dataframe[0].value.set_index("run")
    want = expected_rows(**other)["tanh + he"]
    assert list(table.index) == ["tanh + he"]
    assert table.loc["tanh + he", "final_loss"] == pytest.approx(want["final_loss"], rel=1e-9)
    assert table.loc["tanh + he", "first_layer_start"] == pytest.approx(want["first_layer_start"], rel=1e-9)


def test_results_survive_a_visit_to_another_page_with_their_settings():
    at = open_page()
    set_controls(at, **SMALL)
    run(at)
    before = at.dataframe[0].value
    at.switch_page("pages/tutorial.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="act_dataset").value == "moons" and at.slider(key="act_depth").value == 3
    assert not at.warning and at.dataframe[0].value.equals(before)


def test_run_is_disabled_without_an_activation_or_an_init():
    at = open_page()
    at.multiselect(key="act_inits").set_value([]).run()
    assert at.button(key="act_run").disabled
    assert "(0 now;" in at.caption[0].value


def test_figures_keep_nan_and_inf_out_and_put_zero_norms_on_the_bottom_edge():
    """The figure builders alone: zeros, NaN and inf in the arrays never reach the Plotly JSON."""
    from playground.figures import activations as figures

    norms = np.array([[0.0, 1e-3, 1.0], [np.nan, np.inf, 2.0]])
    run = dict(title="r", epochs=np.array([0, 5]), grad_norms=norms, diverged_epoch=5)
    run.update(dead=np.array([[0, 1]]), units=np.array([4, 4]), saturation=np.array([[np.nan, 0.5]]))
    specs = [
        figures.gradient_norms_figure([run], n_cols=1),
        figures.gradient_profile_figure([run]),
        figures.unit_health_figure([run]),
        figures.activation_curves_figure(
            {
                "relu": (
                    np.array([-1.0, 0.0, np.inf]),
                    np.array([0.0, 0.0, np.inf]),
                    np.array([0.0, 0.0, 1.0]),
                )
            },
            max_slopes={"relu": 1.0},
            threshold=0.02,
        ),
    ]
    for fig in specs:
        for trace in json.loads(fig.to_json())["data"]:
            for key in ("x", "y", "z", "customdata"):
                if key in trace and not (isinstance(trace[key], list) and isinstance(trace[key][0], str)):
                    assert np.all(np.isfinite(values(trace[key]))), (trace.get("name"), key)
    bottom = values(json.loads(specs[0].to_json())["data"][0]["y"])
    assert bottom[0] == pytest.approx(1e-4)  # 0 drawn a decade below the smallest norm (1e-3)
    assert "diverged at 5" in specs[0].layout.annotations[0].text


def test_every_activation_meets_every_init_and_curves_span_the_plane():
    from playground.learn import activations as deep

    chosen = {"activations": ("tanh", "relu"), "inits": ("xavier", "he", "normal")}
    assert deep.pairs(chosen) == [(a, i) for a in ("tanh", "relu") for i in ("xavier", "he", "normal")]
    z, g, slope = deep.curves(["tanh"])["tanh"]
    assert z[0] == -6 and z[-1] == 6 and len(z) == len(g) == len(slope) == deep.CURVE_POINTS
    assert set(deep.SETTINGS) <= set(deep.DEFAULTS) and set(deep.DEFAULTS) - set(deep.SETTINGS) == {"curves"}


def test_the_new_activations_show_with_their_derivatives_and_flat_parts_by_slope_size():
    """swish, GELU, ELU, softplus and sine: g and g' as nn_core computes them; sine's negative slopes
    are not shaded as flat, only the bands around its crests are."""
    at = open_page()
    at.multiselect(key="act_curves").set_value(["swish", "gelu", "elu", "softplus", "sine"]).run()
    assert not at.exception, at.exception
    spec = chart(at, "act_curves_chart")
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert titles == ["swish (SiLU)", "GELU (tanh approx.)", "ELU", "softplus", "sine"]
    for k, name in enumerate(["swish", "gelu", "elu", "softplus", "sine"]):
        z = values(spec["data"][2 * k]["x"])
        g, slope = diagnostics.activation_curve(name, z)
        np.testing.assert_allclose(values(spec["data"][2 * k]["y"]), g, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(values(spec["data"][2 * k + 1]["y"]), slope, rtol=1e-6, atol=1e-9)
    sine_bands = [s for s in spec["layout"]["shapes"] if s["xref"] == "x5"]
    crests = [-3 * np.pi / 2, -np.pi / 2, np.pi / 2, 3 * np.pi / 2]  # |cos z| < 0.02 within z in [-6, 6]
    assert len(sine_bands) == len(crests)
    for band, crest in zip(sine_bands, crests):
        assert band["x0"] <= crest <= band["x1"] and band["x1"] - band["x0"] < 0.05
