"""AppTest of the gradient check page, through the app: every control, a healthy run and the bugs,
the Playground's own network, stale results after the network changes, and the sample cap; then
the specs of its two figures (what they contain, never NaN/inf)."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nn_core import gradcheck
from playground.figures.gradcheck import BAND_COLORS, NO_VALUE, gradcheck_figure, gradients_figure
from tests.playground.figures.test_figures import assert_all_finite

APP = str(Path(__file__).resolve().parents[3] / "app.py")
PAGE = "pages/gradient_check.py"


def open_page(query=None, *, playground=True):
    """The app's first page (the Playground, with link parameters ``query``), then this page; or
    this page straight away (``playground=False``: the Learn pages' small default network)."""
    at = AppTest.from_file(APP, default_timeout=60)
    if playground:
        at.query_params.update({"points": "60", **(query or {})})
        at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def run_check(at):
    at.button(key="gc_run").click().run()
    assert not at.exception, at.exception
    return at


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def table(at):
    (frame,) = at.dataframe
    return frame.value


def block_names(model):
    return [f"{kind}{i + 1}" for i in range(model.n_layers) for kind in "Wb"]


def shown(at):
    """True when results are on screen (table, metrics and both charts)."""
    return bool(at.dataframe) and bool(at.metric) and len(at.get("plotly_chart")) == 2


# --- before a run ---------------------------------------------------------------------------------


def test_page_explains_and_waits_for_the_run_button():
    at = open_page(playground=False)
    assert at.title[0].value == "Gradient check"
    assert "small default network" in at.caption[0].value
    assert len(at.latex) == 2 and "2\\varepsilon" in at.latex[0].value
    assert any("below 1e-7 is good" in m.value for m in at.markdown)
    assert "Press **Run the check**." in at.info[0].value
    assert not shown(at) and "gc_last" not in at.session_state
    assert at.slider(key="gc_samples").value == 20
    assert at.select_slider(key="gc_eps").value == 1e-5
    assert at.selectbox(key="gc_bug").value == "none"
    assert len(at.selectbox(key="gc_bug").options) == 1 + len(gradcheck.BUGS)


# --- runs -----------------------------------------------------------------------------------------


def test_healthy_run_is_good_with_one_row_per_block():
    at = run_check(open_page(playground=False))
    model = at.session_state["learn_experiment"].model
    frame = table(at)
    assert list(frame["block"]) == block_names(model) == ["W1", "b1", "W2", "b2"]
    assert list(frame["shape"]) == ["2 x 4", "4", "4 x 1", "1"]
    assert set(frame["verdict"]) == {"good"} and (frame["relative error"] < 1e-7).all()
    assert metric(at, "Verdict") == "good"
    assert float(metric(at, "Overall relative error")) < 1e-7
    assert metric(at, "Left out at kinks") == f"0 of {model.params.size}"
    assert shown(at) and not at.get("progress")  # the progress bar is gone once done
    result = at.session_state["gc_last"]["result"]
    assert result.n_samples == 20 and result.eps == 1e-5 and result.bug is None


@pytest.mark.parametrize("bug", list(gradcheck.BUGS))
def test_break_it_shows_what_a_bug_looks_like(bug):
    """The default network (tanh hidden layer, sigmoid + bce): every bug but the output-derivative
    one shows as wrong; that one is right for bce, and the page says it changed nothing."""
    at = open_page(playground=False)
    at.selectbox(key="gc_bug").set_value(bug).run()
    assert any(gradcheck.BUGS[bug].description in c.value for c in at.caption)
    frame = table(run_check(at))
    harmless = bug == "no_output_derivative"
    assert metric(at, "Verdict") == ("good" if harmless else "wrong")
    expected = {"no_derivative": ["W1", "b1"], "derivative_of_z": ["W1", "b1"]}.get(bug, list(frame["block"]))
    assert list(frame.loc[frame["verdict"] == "wrong", "block"]) == ([] if harmless else expected)
    changed = "none, for this network" if harmless else ", ".join(expected)
    assert any(f"**{changed}**" in m.value for m in at.markdown)


def test_samples_and_epsilon_controls_reach_the_check():
    at = open_page(playground=False)
    at.slider(key="gc_samples").set_value(5).run()
    at.select_slider(key="gc_eps").set_value(1e-3).run()
    assert "first 5 of the 50 training samples" in at.caption[1].value
    coarse = run_check(at).session_state["gc_last"]["result"]
    assert coarse.n_samples == 5 and coarse.eps == 1e-3
    at.select_slider(key="gc_eps").set_value(1e-6).run()
    fine = run_check(at).session_state["gc_last"]["result"]
    assert fine.eps == 1e-6 and fine.relative_error < coarse.relative_error


def test_changing_a_control_hides_the_previous_results():
    at = run_check(open_page(playground=False))
    assert shown(at)
    at.slider(key="gc_samples").set_value(7).run()
    assert not shown(at) and at.info[0].value == "Press **Run the check**."


# --- the Playground's network ---------------------------------------------------------------------


def test_playground_network_is_checked_block_by_block():
    """Set up a network on the Playground page with its own widgets: its blocks are the rows."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"points": "60"})
    at.run()
    at.selectbox(key="cfg_dataset").set_value("spiral").run()
    at.slider(key="cfg_n_hidden").set_value(3).run()
    at.selectbox(key="cfg_activation").set_value("sigmoid").run()
    model = at.session_state["pg_experiment"].model
    assert model.n_layers == 4 and model.layer_sizes[-1] == 3  # softmax over 3 spiral classes
    at.switch_page(PAGE).run()
    assert "Your Playground network" in at.caption[0].value
    frame = table(run_check(at))
    assert len(frame) == 2 * model.n_layers and list(frame["block"]) == block_names(model)
    assert set(frame["verdict"]) == {"good"}
    assert f"of {model.params.size:,}" in metric(at, "Left out at kinks")


def test_a_new_epoch_makes_the_result_stale_and_keeps_the_controls():
    at = open_page()
    at.select_slider(key="gc_eps").set_value(1e-4).run()
    run_check(at)
    at.switch_page("pages/playground.py").run()
    at.button(key="step").click().run()
    at.switch_page(PAGE).run()
    assert at.select_slider(key="gc_eps").value == 1e-4  # seeded again from the last check
    assert not shown(at) and "The network changed since the last check." in at.info[0].value
    run_check(at)
    assert shown(at) and at.session_state["gc_last"]["network"][2] == 1  # epoch 1


def test_big_network_caps_the_samples_and_says_so():
    at = open_page({"points": "400", "hidden": ",".join(["64"] * 8)})
    n_params = at.session_state["pg_experiment"].model.params.size
    cap = gradcheck.sample_cap(n_params)
    assert n_params > 29_000 and cap == 10 < 200  # 200 training points
    assert at.slider(key="gc_samples").max == cap
    assert f"(at most {cap:,} for a network this size)" in at.caption[1].value
    assert f"{n_params:,} parameters" in at.caption[1].value


def test_diverged_network_shows_an_error_not_a_result():
    at = open_page()
    at.session_state["pg_experiment"].model.params[0] = np.nan
    run_check(at)
    assert "The check could not run" in at.error[0].value and "NaN" in at.error[0].value
    assert not shown(at)


# --- the figures ----------------------------------------------------------------------------------
THRESHOLDS = (gradcheck.GOOD_BELOW, gradcheck.WRONG_ABOVE)


def test_gradcheck_figure_bars_on_a_log_axis_over_three_bands():
    errors = [3e-11, 0.0, 2e-6, 0.5, np.nan]
    fig = gradcheck_figure(["W1", "b1", "W2", "b2", "W3"], errors, thresholds=THRESHOLDS, overall=0.25)
    assert_all_finite(fig)
    (bar,) = fig.data
    assert list(bar.x) == ["W1", "b1", "W2", "b2", "W3"]
    np.testing.assert_allclose(bar.y, [3e-11, 1e-16, 2e-6, 0.5, 1e-16])  # 0 and NaN on the floor
    assert list(fig.layout.xaxis.ticktext) == [
        "W1<br>3.0e-11", "b1<br>0", "W2<br>2.0e-06", "b2<br>5.0e-01", "W3<br>n/a"
    ]  # fmt: skip
    colors = BAND_COLORS
    assert list(bar.marker.color) == [colors["good"]] * 2 + [colors["look closer"], colors["wrong"], NO_VALUE]
    assert fig.layout.yaxis.type == "log" and tuple(fig.layout.yaxis.range) == (-16, 1)
    bands = [s for s in fig.layout.shapes if s.type == "rect"]
    edges = np.array([(s.y0, s.y1) for s in bands], dtype=float)
    np.testing.assert_allclose(
        edges, [(0, 9 / 17), (9 / 17, 12 / 17), (12 / 17, 1)], atol=1e-12
    )  # 1e-7, 1e-4
    (line,) = [s for s in fig.layout.shapes if s.type == "line"]
    assert line.y0 == pytest.approx((np.log10(0.25) + 16) / 17)
    assert "overall 2.5e-01" in fig.layout.title.text
    assert [a.text for a in fig.layout.annotations] == ["good<br>< 1e-7", "look<br>closer", "wrong<br>> 1e-4"]


@pytest.mark.parametrize("errors", [[3e-11, 0.0, 2e-6, 0.5], [1e-9, 1e-9, 2e-9, 8e-10], [0.0, 0.0, 0.0, 0.0]])
def test_gradcheck_figure_no_label_can_sit_on_the_overall_line(errors):
    """Issue 14: a bar's value label, printed just over the bar, sat on the dashed overall line (the
    overall error is about the largest block's). Whatever the overall error, no text may be inside the
    plot area, where the line runs: values go under the block names, band names in the right margin."""
    names = ["W1", "b1", "W2", "b2"]
    for overall in [*errors, max(errors) * 1.1, 1e-16]:
        fig = gradcheck_figure(names, errors, thresholds=THRESHOLDS, overall=overall)
        (line,) = [s for s in fig.layout.shapes if s.type == "line"]
        assert line.xref == line.yref == "paper" and 0 <= line.y0 <= 1  # inside the plot area
        (bar,) = fig.data
        assert bar.text is None and bar.texttemplate is None  # no text on or over a bar
        assert [t.split("<br>")[0] for t in fig.layout.xaxis.ticktext] == names  # under the axis
        assert all(t.split("<br>")[1] for t in fig.layout.xaxis.ticktext)  # each with its value
        for a in fig.layout.annotations:  # band names: right of the plot, never over it
            assert a.xref == "paper" and a.x > 1 and a.xanchor == "left"


def test_gradcheck_figure_without_overall_or_with_nan_has_no_line():
    for overall in (None, np.nan):
        fig = gradcheck_figure(["W1"], [np.inf], thresholds=THRESHOLDS, overall=overall)
        assert_all_finite(fig)
        assert not [s for s in fig.layout.shapes if s.type == "line"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"names": ["W1"]}, "one entry per block; got 1, 2"),
        ({"labels": ["a"]}, "one entry per block"),
        ({"thresholds": (1e-4, 1e-7)}, r"thresholds must be .*got \(0.0001, 1e-07\)"),
        ({"thresholds": (0.0, 1e-4)}, "thresholds must be"),
    ],
)
def test_gradcheck_figure_bad_arguments_raise(kwargs, match):
    args = {"names": ["W1", "b1"], "errors": [1e-9, 1e-9], "thresholds": THRESHOLDS, **kwargs}
    with pytest.raises(ValueError, match=match):
        gradcheck_figure(args.pop("names"), args.pop("errors"), **args)


def test_gradients_figure_one_trace_per_block_around_the_diagonal():
    numerical = [np.array([0.1, -0.2, 0.3]), np.array([0.05])]
    backprop = [np.array([0.1, -0.2, np.inf]), np.array([-0.05])]
    kinked = [np.array([False, True, False]), np.array([False])]
    fig = gradients_figure(["W1", "b1"], numerical, backprop, kinked=kinked)
    assert_all_finite(fig)
    diagonal, w1, b1 = fig.data
    assert diagonal.x[0] == diagonal.y[0] < 0 < diagonal.x[1] == diagonal.y[1]
    assert (w1.name, b1.name) == ("W1", "b1")
    assert list(w1.marker.symbol) == ["circle", "circle-open", "circle"] and list(b1.marker.symbol) == [
        "diamond"
    ]
    assert list(b1.y) == [-0.05]


def test_gradients_figure_big_network_keeps_at_most_max_points():
    numerical = [np.linspace(-1, 1, 20_000), np.linspace(-1, 1, 64)]
    fig = gradients_figure(["W1", "b1"], numerical, numerical, max_points=1000)
    sizes = [len(trace.x) for trace in fig.data[1:]]
    assert sum(sizes) <= 1000 + 2 and all(size >= 1 for size in sizes)
    assert fig.data[1].x[0] == -1 and fig.data[1].x[-1] == 1  # evenly spread, ends kept


def test_gradients_figure_mismatched_sizes_raise():
    with pytest.raises(ValueError, match="block W1: numerical, backprop and kinked sizes differ"):
        gradients_figure(["W1"], [np.zeros(3)], [np.zeros(2)])
    with pytest.raises(ValueError, match="one entry per block; got 2"):
        gradients_figure(["W1", "b1"], [np.zeros(3)], [np.zeros(3)])


def test_bug_menu_offers_the_real_backprop_first_then_every_bug():
    from playground.learn import gradient_check as check

    assert check.BUG_CHOICES == ("none", *gradcheck.BUGS)
    assert check.bug_label("none") == "none: the real backprop"
    assert all(check.bug_label(k) == f"{k}: {b.label}" for k, b in gradcheck.BUGS.items())


def test_a_mixed_network_is_checked_good_and_named_layer_by_layer():
    """acts=relu,swish,sine on the Playground: the page names the functions, and the check is good
    (kinks only in the relu layer, left out)."""
    at = run_check(open_page({"hidden": "4,3,3", "acts": "relu,swish,sine"}))
    assert "ReLU / swish (SiLU) / sine" in at.caption[0].value
    frame = table(at)
    assert list(frame["block"]) == ["W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4"]
    assert metric(at, "Verdict") == "good" and float(metric(at, "Overall relative error")) < 1e-7
