"""Hostile input never crashes a page; extreme but legal settings never put NaN on a chart.

1. Whole raw query strings (percent-encoding, repeated keys, unicode, 1e309, nan, 10,000-character
   values, classroom keys with junk, TF Playground hashes), read as the page reads them
   (``parse_qs`` -> ``config.from_query`` and ``classroom.from_query``): always a Config inside its
   ``FIELDS`` spec, checked by ``assert_valid_config`` (written from the spec, not from the parser),
   and a short notice for every value left out.
2. Anything the sidebar widgets can produce -> ``normalize`` -> ``Experiment`` -> 2 epochs: the live
   payload and the ``st.plotly_chart`` fallback figures are strict JSON with every number finite,
   inside plotly's base64 typed arrays too. A few such configs are opened through the app's URL.
3. Extreme but legal settings (learning rate 10 with every optimizer, eight sigmoid layers of 64,
   noise at its maximum, one class only, batch size 1 on 2,000 points, dropout 0.9, L1 10): no
   exception, no warning, no NaN; a divergence is caught and explained on the page.
4. Structured hostile CSV files (formula cells, 1e308, 100 columns, long lines, quoted newlines,
   mixed encodings): UploadedData with finite arrays, or an UploadError with a short message.
"""

import base64
import codecs
import dataclasses
import functools
import json
import math
import re
import urllib.parse
import warnings
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.runtime.state.query_params import EMBED_QUERY_PARAMS_KEYS
from streamlit.testing.v1 import AppTest

import nn_core
from nn_core.formula import parse as parse_formula
from playground.core import classroom, drawn, goals
from playground.core import config as cfg
from playground.core.config import FIELDS, HEADS, MAX_HIDDEN_LAYERS, UPLOAD, Config, normalize
from playground.core.experiment import Experiment
from playground.core.scores import shown_metrics
from playground.files import upload
from playground.files.upload import UploadError
from playground.live import component as live
from playground.live import frames, panels, specs
from playground.teach import tfplayground

APP = str(Path(__file__).resolve().parents[3] / "app.py")
MAX_NOTICE = 300  # a notice is one readable line, whatever the link holds
MAX_UPLOAD_MESSAGE = 500  # an upload error may quote two column names (cut at upload.MAX_NAME) and a cell
KEY_OF = {name: field.key for name, field in FIELDS.items()}
NAME_OF = {field.key: name for name, field in FIELDS.items()}
DEFAULT = Config()


# --- the oracle: a Config checked against FIELDS alone ------------------------------------------
def assert_valid_config(config):
    """Every field of ``config`` has its default's type and lies inside its ``FIELDS`` spec; the
    output and loss fit the task."""
    for f in dataclasses.fields(Config):
        value, spec = getattr(config, f.name), FIELDS[f.name]
        kind = type(getattr(DEFAULT, f.name))
        assert type(value) is kind, f"{f.name}={value!r} is not a {kind.__name__}"
        if f.name == "features":  # none only when the typed formulas are the inputs
            assert value or config.feature_formulas, "no input feature at all"
            assert len(set(value)) == len(value) and set(value) <= set(spec.choices), value
        elif f.name == "hidden":
            assert len(value) <= MAX_HIDDEN_LAYERS, value
            assert all(type(v) is int and spec.low <= v <= spec.high for v in value), value
        elif f.name == "layer_activations":  # none, or one name per hidden layer
            assert len(value) in (0, len(config.hidden)) and set(value) <= set(spec.choices), value
        elif spec.choices:
            assert value in spec.choices, f"{f.name}={value!r}"
        elif f.name == "formula":
            assert parse_formula(value).text == value  # a formula in the grammar, never anything else
        elif f.name == "feature_formulas":  # formulas in the grammar, on one line, each once, at most 4
            assert len(value) <= spec.high and len(set(value)) == len(value), value
            assert all(type(v) is str and parse_formula(v) and " ".join(v.split()) == v for v in value)
        elif kind is not bool:
            assert math.isfinite(value) and spec.low <= value <= spec.high, f"{f.name}={value!r}"
    assert config.task in HEADS[config.head].tasks, (config.head, config.task)


def _number(text):
    """float(text), or None if Python cannot read it as a finite number."""
    try:
        value = float(text)
    except (ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


_DIGITS = re.compile(r"-?[0-9]{1,7}", re.ASCII)
_DECIMAL = re.compile(r"-?[0-9]{1,7}(\.[0-9]{1,9})?([eE][+-]?[0-9]{1,2})?", re.ASCII)


def verdict(name, text):
    """How the link's ``text`` for field ``name`` must be read, from the spec: ("accept", value) for
    a canonical in-range value, ("reject", None) for one outside the spec, ("either", value) for one
    Python reads but a URL would not spell so (" 5", "5.0", "1_0"): leniency allowed, value checked."""
    spec, kind = FIELDS[name], type(getattr(DEFAULT, name))
    if name == "features":  # "none": no checked feature (the typed ones alone; see check_link)
        if text == "none":
            return ("accept", ())
        names = [n for n in text.split(",") if n]
        ok = names and len(set(names)) == len(names) and set(names) <= set(spec.choices)
        return ("accept", tuple(names)) if ok else ("reject", None)
    if name == "layer_activations":
        names = [] if text in ("", "none") else text.split(",")
        ok = len(names) <= MAX_HIDDEN_LAYERS and set(names) <= set(spec.choices)
        return ("accept", tuple(names)) if ok else ("reject", None)
    if name == "hidden":
        parts = [] if text in ("", "none") else text.split(",")
        values = [_number(p) for p in parts]
        if len(parts) > MAX_HIDDEN_LAYERS or any(
            v is None or v != int(v) or not spec.low <= v <= spec.high for v in values
        ):
            return ("reject", None)
        canonical = all(_DIGITS.fullmatch(p) for p in parts)
        return ("accept" if canonical else "either", tuple(int(v) for v in values))
    if name == "feature_formulas":
        return ("accept", feature_formulas_verdict(text)[0])
    if name == "formula":  # a text in the formula grammar (tests/nn_core/test_formula.py tests it)
        try:
            return ("accept", parse_formula(text).text)
        except ValueError:
            return ("reject", None)
    if kind is str:
        return ("accept", text) if text in spec.choices else ("reject", None)
    if kind is bool:
        return ("accept", text in ("1", "true")) if text in ("0", "1", "true", "false") else ("reject", None)
    value = _number(text)
    if value is None or (kind is int and value != int(value)):
        return ("reject", None)
    inside = value in spec.choices if spec.choices else spec.low <= value <= spec.high
    if not inside:
        return ("reject", None)
    canonical = (_DIGITS if kind is int else _DECIMAL).fullmatch(text)
    return ("accept" if canonical else "either", kind(value))


def feature_formulas_verdict(text):
    """(formulas, notices) a link's ``ff=`` text must give, from the rule: split at ";", the first 8
    non-empty parts read, each that parses kept once (on one line), at most 4; a notice per part that
    does not parse, and one more when there were more than 8 parts or 4 good ones."""
    parts = [p.strip() for p in text.split(";")]
    parts = [p for p in parts if p and p != "none"]
    kept, bad = [], 0
    for part in parts[:8]:
        try:
            parse_formula(part)
        except ValueError:
            bad += 1
            continue
        part = " ".join(part.split())
        kept += [part] if part not in kept else []
    return tuple(kept[:4]), bad + (len(kept) > 4 or len(parts) > 8)


# --- hostile query strings --------------------------------------------------------------------------
NUMBER_TEXTS = st.one_of(
    st.sampled_from(
        ["1e309", "-1e309", "nan", "NaN", "-nan", "inf", "-Infinity", "-0", "-0.0", "+0", "0x10", "1_000"]
        + ["٣", "１", " 5 ", "5.0", "1e2", "-1", "-20", "0", "1", "2", "3", "10", "0.5", "0.9", "0.91"]
        + ["999999", "1000000", "100000", "0.03", "3e-2", "1e-5", "0.2", "10.0", "1e-320", "9" * 400]
        + ["9" * 5000, "", " ", "1e", "--1", "1,5", "½", "True", "None"]
    ),
    st.integers(-(10**30), 10**30).map(str),
    st.integers(-5, 2100).map(str),
    st.floats().map(repr),
    st.floats(0, 1).map(str),
)
SIZE_TEXTS = st.one_of(
    st.lists(
        st.integers(-3, 70).map(str) | st.sampled_from(["", " 4", "4.0", "x", "1e1", "٤"]), max_size=11
    ).map(",".join),
    st.sampled_from([",".join(["64"] * 9), ",".join(["64"] * 8), "none", "None", ",,", "4;4", "4 4"]),
)
FEATURE_TEXTS = st.lists(
    st.sampled_from([*FIELDS["features"].choices, "x3", "X1", "x1 ", "", "x1²", "sin"]), max_size=9
).map(",".join) | st.just("none")
FORMULA_TEXTS = st.lists(
    st.sampled_from(["x1", "cos(x1)", "min(x1, x2)", "x1 +* 2", "", " ", "none", "__import__('os')", "x1\n"])
    | st.text(max_size=8),
    max_size=12,
).map(";".join)
ACT_TEXTS = st.lists(  # acts=: one activation per hidden layer
    st.sampled_from([*FIELDS["layer_activations"].choices, "softmax", "mish", "", "ReLU", "relu "]),
    max_size=10,
).map(",".join)
CONTROL_TEXTS = st.lists(
    st.sampled_from([*classroom.CONTROLS, "lr", "", "Play", "hidden ", "__class__"]) | st.text(max_size=8),
    max_size=10,
).map(",".join)
GOAL_TEXTS = st.one_of(
    st.sampled_from(
        ["test_accuracy>=0.95", "test_accuracy >= 95%; neurons <= 6", "epoch < 1e400", "diverged"]
        + ["layers<=0;epoch<=200", "train_loss<nan", "neurons<=1e308", "test_loss ≤ 0.1", "__import__('os')"]
        + ["test_accuracy>=101%", ";;;", "epoch>=-1", "neurons<=2.5", "x" * 300, "train_loss<0.1;" * 9]
    ),
    st.text(max_size=60),
    st.text(alphabet="abcdeilnoprstuy_<>=%.;0123456789 ", max_size=60),
)
CHOICE_TEXTS = st.sampled_from(
    [choice for f in FIELDS.values() for choice in map(str, f.choices)]
    + ["Circles", "circles ", "spiral\x00", "upload", "mnist", "softmax", "../../etc/passwd", "<script>"]
)
LONG_TEXTS = st.sampled_from(["9", "a ", "%", ",", "é", "x1,", "64,", "\u2028", "=&"]).map(
    lambda s: (s * 10_000)[:10_000]
)
TEXTS = st.one_of(st.text(max_size=20), st.text(max_size=20), st.text(max_size=20), LONG_TEXTS)
VALUES = st.one_of(
    NUMBER_TEXTS,
    SIZE_TEXTS,
    FEATURE_TEXTS,
    FORMULA_TEXTS,
    ACT_TEXTS,
    CONTROL_TEXTS,
    GOAL_TEXTS,
    CHOICE_TEXTS,
    TEXTS,
)
KEYS = st.one_of(
    st.sampled_from([*KEY_OF.values(), *classroom.QUERY_KEYS]),
    st.sampled_from([*KEY_OF.values(), *classroom.QUERY_KEYS]),  # twice: most keys are real ones
    st.sampled_from([*tfplayground.TF_KEYS, "learningRate_hide", "LR", "lr ", "data[]", "embed", "%", "?lr"]),
    TEXTS,
)
ENCODINGS = st.sampled_from(
    [
        lambda s: urllib.parse.quote(s, safe=""),
        lambda s: urllib.parse.quote_plus(s),
        lambda s: s,  # raw: its & = # % reshape the query
        lambda s: urllib.parse.quote(urllib.parse.quote(s, safe=""), safe=""),  # encoded twice
        lambda s: urllib.parse.quote(s, safe="") + "%E2%82",  # a UTF-8 sequence cut short
        lambda s: s + "%zz%",
    ]
)


@st.composite
def raw_queries(draw):
    """A whole query string as a browser might send it, built from hostile (key, value) pairs."""
    parts = []
    for key, value, encode_key, encode_value in draw(
        st.lists(st.tuples(KEYS, VALUES, ENCODINGS, ENCODINGS), max_size=8)
    ):
        parts.append(encode_key(key) + draw(st.sampled_from(["=", "", "=="])) + encode_value(value))
    return draw(st.sampled_from(["&", "&&", ";", "&amp;"])).join(parts)


def page_params(raw):
    """What ``st.query_params.to_dict()`` hands the page (the last value of a repeated key wins)."""
    parsed = urllib.parse.parse_qs(raw, keep_blank_values=True)
    return {k: v for k, v in parsed.items() if k.lower() not in EMBED_QUERY_PARAMS_KEYS}


def check_link(params):
    """Read ``params`` as the page does and check the result against the spec alone: the config is
    exactly the default with every value the spec accepts (the output and loss replaced, with a
    notice, when they do not fit the task), and every other value has one short notice."""
    config, notices = cfg.from_query(params, other_keys=classroom.QUERY_KEYS, max_notices=None)
    room, room_notices = classroom.from_query(params)
    assert_valid_config(config)
    assert all(isinstance(n, str) and 0 < len(n) <= MAX_NOTICE for n in notices + room_notices), [
        n[:100] for n in notices + room_notices
    ]
    unknown = [k for k in params if k not in NAME_OF and k not in classroom.QUERY_KEYS]
    assert sum(n.startswith("Ignored unknown link parameter") for n in notices) == len(unknown)
    accepted, formula_notices = {}, 0
    for key, values in params.items():
        if NAME_OF.get(key) == "feature_formulas":  # each formula on its own: a notice per bad one
            accepted["feature_formulas"], formula_notices = feature_formulas_verdict(_last(values))
            assert sum(n.startswith("Ignored the feature formula") for n in notices) <= formula_notices
            continue
        if key in NAME_OF:
            name, text = NAME_OF[key], _last(values)
            kind, value = verdict(name, text)
            rejected = sum(n.startswith(f"Ignored {key}=") for n in notices)
            assert rejected <= 1, (key, notices)
            assert rejected if kind == "reject" else not rejected if kind == "accept" else True, (key, text)
            if not rejected:
                accepted[name] = value
    expected = Config(**accepted)
    # acts= for another number of hidden layers: padded or cut, with a notice; every layer alike: act=
    acts_note = bool(expected.layer_activations) and len(expected.layer_activations) != len(expected.hidden)
    acts = expected.hidden_activations if expected.layer_activations else ()
    expected = dataclasses.replace(
        expected, layer_activations=() if set(acts) <= {expected.activation} else acts
    )
    # features=none with no formula of one's own would leave no input: the default's, with a notice
    no_input = not expected.features and not expected.feature_formulas
    if no_input:
        expected = dataclasses.replace(expected, features=DEFAULT.features)
    fits = expected.task in HEADS[expected.head].tasks
    assert any("does not fit" in n for n in notices) == (not fits)
    head = expected.head if fits else cfg.DEFAULT_HEAD[expected.task]
    assert config == dataclasses.replace(expected, head=head)
    n_fields = sum(k in NAME_OF for k in params)
    expected_notices = (
        len(unknown) + n_fields - len(accepted) + (not fits) + formula_notices + acts_note + no_input
    )
    assert len(notices) == expected_notices
    check_classroom(params, room, room_notices)
    # The page writes the config back into the URL (``state.write_url``, ``state.share_link``):
    # that link reopens the same page, without a notice.
    link = urllib.parse.urlencode(cfg.to_query(config) | classroom.to_query(room), safe=",")
    reopened = page_params(link)
    assert cfg.from_query(reopened, other_keys=classroom.QUERY_KEYS) == (config, [])
    assert classroom.from_query(reopened) == (room, [])
    return config


def _last(value):
    return value[-1] if isinstance(value, list) else value


def check_classroom(params, room, notices):
    """The classroom settings: known control names only, texts within their limits, a notice for
    every unknown name and every cut text; a goal either reads or says why not."""
    assert room.hidden <= set(classroom.CONTROLS) and room.locked <= set(classroom.CONTROLS)
    for key, names in (("hide", room.hidden), ("lock", room.locked)):
        listed = [n for n in _last(params.get(key, "")).split(",") if n]
        assert names == {n for n in listed if n in classroom.CONTROLS}
        unknown = any(n not in classroom.CONTROLS for n in listed)
        assert sum(n.startswith(f"Ignored unknown control name(s) in {key}=") for n in notices) == unknown
    for key, limit in (
        ("task", classroom.MAX_TASK_CHARS),
        ("goal", classroom.MAX_GOAL_CHARS),
        ("lesson", 80),
    ):
        text = getattr(room, key)
        assert len(text) <= limit and text == text.strip()
        cut = len(_last(params.get(key, "")).strip()) > limit
        assert any(f"The link's {key} text was cut" in n for n in notices) == cut
    if room.goal:  # the page shows a ValueError as a warning; anything else would crash it
        try:
            goal = goals.parse_goal(room.goal)
        except ValueError as error:  # it may quote the goal, at most MAX_GOAL_CHARS long
            assert 0 < len(str(error)) <= MAX_NOTICE + classroom.MAX_GOAL_CHARS
        else:
            assert goal.describe()
            status = goals.evaluate(goal, small_experiment(), goals.new_memory())
            assert all(isinstance(check.ok, bool) for check in status.checks)


@functools.cache
def small_experiment():
    exp = Experiment(Config(n_samples=20, hidden=(2,)))
    exp.train(1)
    return exp


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_queries())
def test_hostile_query_string_gives_a_valid_config_and_a_notice_per_rejected_value(raw):
    check_link(page_params(raw))


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(list(NAME_OF)),
        st.lists(
            st.one_of(NUMBER_TEXTS, SIZE_TEXTS, FEATURE_TEXTS, ACT_TEXTS, CHOICE_TEXTS),
            min_size=1,
            max_size=3,
        ),
    )
)
def test_every_config_key_with_hostile_values_and_repeats_reads_by_the_spec(params):
    """Denser than the raw strings: every value goes to a real key (repeated keys: the last wins)."""
    check_link(params)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(classroom.QUERY_KEYS),
        st.lists(GOAL_TEXTS | CONTROL_TEXTS | LONG_TEXTS, min_size=1, max_size=3),
    )
)
def test_classroom_keys_with_junk_give_known_controls_short_texts_and_readable_goals(params):
    check_link(params)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_queries(), st.sampled_from(["#", "https://playground.tensorflow.org/#", "?", ""]))
def test_hostile_tf_playground_hash_gives_a_valid_config(raw, prefix):
    config, room, notes = tfplayground.from_hash(prefix + raw)
    assert_valid_config(config)
    assert room.hidden <= set(classroom.CONTROLS)
    assert all(len(note.tf) <= 100 and len(note.why) <= 2 * MAX_NOTICE for note in notes)  # one line each


@pytest.mark.parametrize(
    "query, bad",
    [
        ({"lr": "1e309", "noise": "nan", "points": "-20", "hidden": ",".join(["64"] * 9)}, 4),
        ({"dropout": "-0", "noise": "-0.0", "classes": "+5"}, 0),  # -0 is 0: inside the range
        ({"features": "x1,x1,x3", "data": "spiral\x00", "lr": "x" * 10_000}, 3),
        ({"x" * 10_000: "1", "lr": "0.1", "hide": "lr," * 5000, "task": "é" * 5000}, 1),
    ],
    ids=["out of range", "minus zero", "unknown names", "10,000 characters"],
)
def test_hostile_link_values_are_dropped_with_one_short_notice_each(query, bad):
    config, notices = cfg.from_query(query, other_keys=classroom.QUERY_KEYS)
    assert_valid_config(config)
    assert len(notices) == bad and all(len(n) <= MAX_NOTICE for n in notices)
    room, more = classroom.from_query(query)
    assert all(len(n) <= MAX_NOTICE for n in more)
    assert len(more) == ("hide" in query) + ("task" in query)


# --- widget values -> experiment -> charts ------------------------------------------------------------
# plotly's base64 typed arrays: {"dtype": "f4", "bdata": "..."} (little-endian; "u1c" is clamped bytes)
_TYPED = {
    "f8": "<f8",
    "f4": "<f4",
    "i4": "<i4",
    "u4": "<u4",
    "i2": "<i2",
    "u2": "<u2",
    "i1": "i1",
    "u1": "u1",
}
_TYPED |= {"u1c": "u1"}


def _reject_constant(token):
    raise AssertionError(f"{token} in the JSON")


def assert_json_finite(obj, path="$"):
    """No NaN/inf in JSON-ready data: plain numbers, and plotly's base64 typed arrays decoded."""
    if isinstance(obj, dict):
        if set(obj) >= {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=_TYPED[obj["dtype"]])
            assert np.isfinite(array).all(), f"non-finite typed array at {path}"
            return
        for key, value in obj.items():
            assert_json_finite(value, f"{path}.{key}")
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            assert_json_finite(value, f"{path}[{i}]")
    elif isinstance(obj, float):
        assert math.isfinite(obj), f"{obj} at {path}"


def _arrays(obj, path="$"):
    """Every float array or float in a figure's ``to_plotly_json()`` (numpy arrays not yet encoded)."""
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc":
            yield path, obj
        elif obj.dtype == object:
            yield from _arrays(obj.tolist(), path)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _arrays(value, f"{path}.{key}")
    elif isinstance(obj, (list, tuple)):
        for i, value in enumerate(obj):
            yield from _arrays(value, f"{path}[{i}]")
    elif isinstance(obj, float):
        yield path, np.asarray(obj)


def assert_figure_finite(fig):
    """Before serialization (plotly turns a NaN in a list into a silent null) and after it."""
    bad = [path for path, a in _arrays(fig.to_plotly_json()) if not np.isfinite(a).all()]
    assert not bad, f"non-finite values at {bad[:5]}"
    assert_json_finite(json.loads(fig.to_json(), parse_constant=_reject_constant))


def assert_charts_finite(exp):
    """The live payload is strict JSON whose every number is finite (the specs' figures checked before
    plotly serializes them), the frames' floats too; the fallback figures likewise; the numbers on
    screen are finite or "–"."""
    json_of = specs._json

    def checked(fig):
        assert_figure_finite(fig)
        return json_of(fig)

    with mock.patch.object(specs, "_json", checked):
        payload = live.payload(exp, [frames.snapshot(exp)], running=True, sync={})
    data = json.loads(json.dumps(payload, allow_nan=False), parse_constant=_reject_constant)
    assert_json_finite(data)
    floats = np.frombuffer(base64.b64decode(data["frames"]["f32"]), dtype="<f4")
    assert floats.size and np.isfinite(floats).all()
    # Every history record is finite: no gap (a set drawn by hand may hold no test point, and then
    # no test score at all).
    no_test = len(exp.points[1]) == 0
    loss = {k: v for k, v in data["loss"].items() if isinstance(v, list)}
    assert all(None not in v for k, v in loss.items() if not (no_test and k.startswith("val_")))
    for fig in panels.fallback_figures(exp):
        assert_figure_finite(fig)
    for key, value in exp.metrics().items():
        if key.endswith("_confusion"):  # nn_core.metrics: counts, k x k nested lists
            assert value is None or all(isinstance(c, int) for row in value for c in row), (key, value)
            continue
        assert value is None or math.isfinite(value), (key, value)
    shown = shown_metrics(exp)  # beside the loss: counts, or finite numbers and None
    for key, value in (shown or {}).items():
        assert key in ("set", "confusion") or value is None or math.isfinite(value), (key, value)
    assert np.isfinite(exp.model.params).all()


def train_and_check(config, epochs=2, upload_data=None):
    """Build, train and chart ``config`` with every warning an error. Returns the experiment. (The
    charts of epoch 0 are checked by the page tests: every page opens there.)"""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exp = Experiment(config, upload_data)
        exp.train(epochs)
        assert_charts_finite(exp)
    return exp


def csv_bytes(X, y, labels=None):
    header = "x1,x2,label\n"
    names = labels or [str(v) for v in y]
    return (header + "".join(f"{a!r},{b!r},{n}\n" for (a, b), n in zip(X.tolist(), names))).encode()


@functools.cache
def uploaded(task, n_classes):
    """An uploaded file of this kind (``n_classes`` for multiclass), through the real reading path."""
    name, k = {"binary": ("blobs", 2), "multiclass": ("blobs", n_classes), "regression": ("plane", 2)}[task]
    X, y = nn_core.make_dataset(name, n_samples=120, noise=0.2, n_classes=k, rng=3)
    words = None if task == "regression" else [f"=cmd|'/C calc'!A{v}" for v in y]  # formula-like names
    table = upload.read_table(csv_bytes(X, y, words), "mine.csv")
    return upload.prepare(table, "x1", "x2", "label")


def drawn_set(task, n_classes, n_points):
    """A set drawn by hand of this kind: the first points of a generated dataset, every 5th a test point."""
    name, k = {"binary": ("xor", 2), "multiclass": ("blobs", n_classes), "regression": ("plane", 2)}[task]
    X, y = nn_core.make_dataset(name, n_samples=max(n_points, k), n_classes=k, rng=5)
    test = np.arange(n_points) % 5 == 4
    return drawn.Drawn(X[:n_points], y[:n_points], test, task, k if task == "multiclass" else 2)


@st.composite
def widget_configs(draw, *, uploads=True):
    """(config, upload) for any combination the sidebar can produce (ranges from FIELDS), normalized
    as ``controls.sidebar_config`` does; dataset "upload" with a file of any kind."""
    dataset = draw(st.sampled_from([d for d in FIELDS["dataset"].choices if uploads or d != UPLOAD]))
    features = draw(st.sets(st.sampled_from(FIELDS["features"].choices), min_size=1))
    values = dict(
        dataset=dataset,
        n_classes=draw(st.integers(2, 5)),
        n_samples=draw(st.integers(20, 2000)),
        noise=draw(st.floats(0.0, 1.0)),
        train_percent=draw(st.integers(10, 90)),
        data_seed=draw(st.integers(0, 999_999)),
        features=tuple(n for n in FIELDS["features"].choices if n in features),
        hidden=tuple(draw(st.lists(st.integers(1, 64), max_size=MAX_HIDDEN_LAYERS))),
        **{name: draw(st.sampled_from(FIELDS[name].choices)) for name in ("activation", "head", "init")},
        init_seed=draw(st.integers(0, 999_999)),
        **{name: draw(st.sampled_from(FIELDS[name].choices)) for name in ("optimizer", "learning_rate")},
        batch_size=draw(st.integers(0, 256)),
        regularization=draw(st.sampled_from(FIELDS["regularization"].choices)),
        reg_rate=draw(st.sampled_from(FIELDS["reg_rate"].choices)),
        dropout=draw(st.floats(0.0, 0.9)),
        max_epochs=draw(st.sampled_from([0, 1, 100_000])),
        speed=draw(st.sampled_from(FIELDS["speed"].choices)),
        show_test=draw(st.booleans()),
        discretize=draw(st.booleans()),
    )
    if dataset == "drawn":  # points drawn by hand: any kind, a few of them, maybe no test point
        task = draw(st.sampled_from(cfg.UPLOAD_TASKS))
        data = drawn_set(task, draw(st.integers(3, 5)), draw(st.integers(1, 60)))
        config, _ = normalize(Config(**values | {"upload_task": task, "n_classes": data.n_classes}))
        return config, data
    if dataset != UPLOAD:
        config, _ = normalize(Config(**values))
        return config, None
    data = uploaded(draw(st.sampled_from(cfg.UPLOAD_TASKS)), draw(st.integers(3, 5)))
    return upload.playground_config(data, Config(**values | {"dataset": "circles"})), data


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(widget_configs())
def test_any_widget_values_train_and_chart_without_nan(config_and_upload):
    config, data = config_and_upload
    assert_valid_config(config)
    exp = train_and_check(config, upload_data=data)
    assert exp.epoch <= 2 and len(exp.model.layer_sizes) == len(config.hidden) + 2


def open_app(query):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def assert_page_payload_finite(at):
    """The live component's payload as the browser receives it: strict JSON, every number finite."""
    (element,) = at.get("bidi_component")
    data = json.loads(element.proto.json, parse_constant=_reject_constant)
    assert_json_finite(data)
    assert np.isfinite(np.frombuffer(base64.b64decode(data["frames"]["f32"]), dtype="<f4")).all()
    return data


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(widget_configs(uploads=False))
def test_random_configs_open_through_the_app_url_and_step(config_and_upload):
    config, data = config_and_upload
    points = {"pts": drawn.to_link(data)} if config.dataset == "drawn" else {}  # as the page writes it
    at = open_app(cfg.to_query(config) | points)
    assert not at.warning, [w.value for w in at.warning]  # a link the page wrote reads back cleanly
    assert at.session_state["pg_experiment"].config == config
    at.button(key="step").click().run()
    assert not at.exception, at.exception
    assert_page_payload_finite(at)


# --- extreme but legal settings ----------------------------------------------------------------------
ALL_FEATURES = FIELDS["features"].choices
EXTREMES = {
    "eight sigmoid layers of 64": Config(activation="sigmoid", hidden=(64,) * 8, features=ALL_FEATURES),
    "regression with a tanh output": Config(dataset="plane", head="tanh_mse", hidden=(8, 8)),
    "multi-Gaussian with a tanh output at lr 10": Config(
        dataset="multi_gaussian", head="tanh_mse", learning_rate=10.0, noise=1.0
    ),
    "softmax over 5 spiral arms": Config(dataset="spiral", n_classes=5, head="softmax_ce", hidden=(16, 16)),
    "sigmoid + MSE over 5 blobs": Config(dataset="blobs", n_classes=5, head="sigmoid_mse", noise=1.0),
    "batch size 1 on 2000 points": Config(n_samples=2000, train_percent=90, batch_size=1),
    "dropout 0.9": Config(hidden=(64, 64), dropout=0.9, batch_size=1),
    "dropout 0.9 on one unit": Config(hidden=(1,), dropout=0.9),
    "L1 10": Config(regularization="l1", reg_rate=10.0, hidden=(8, 8)),
    "L1 10 at lr 10": Config(regularization="l1", reg_rate=10.0, learning_rate=10.0, optimizer="momentum"),
    "L2 10 at lr 10": Config(regularization="l2", reg_rate=10.0, learning_rate=10.0),
    "zero init, relu, lr 10": Config(init="zeros", activation="relu", learning_rate=10.0),
    "no hidden layer, one feature": Config(hidden=(), features=("sin_x2",)),
    "features of your own with holes and huge values": Config(
        hidden=(8,), activation="relu", feature_formulas=("1/x1", "exp(exp(x2))", "log(x1) - sqrt(x2)", "0")
    ),
    "xor table at lr 10 with adam": Config(dataset="xor_table", learning_rate=10.0, optimizer="adam"),
    "everything at once": Config(
        dataset="spiral",
        n_classes=5,
        n_samples=2000,
        noise=1.0,
        hidden=(64,) * 8,
        activation="sigmoid",
        head="softmax_ce",
        optimizer="adam",
        learning_rate=10.0,
        batch_size=1,
        regularization="l1",
        reg_rate=10.0,
        dropout=0.9,
        features=ALL_FEATURES,
    ),
}


@pytest.mark.parametrize("config", EXTREMES.values(), ids=EXTREMES.keys())
def test_extreme_settings_train_without_warning_or_nan(config):
    config, _ = normalize(config)
    assert_valid_config(config)
    exp = train_and_check(config, epochs=1 if config.batch_size == 1 else 3)
    assert exp.epoch >= 1 or exp.diverged


@pytest.mark.parametrize("dataset", list(nn_core.DATASETS))
def test_noise_at_its_maximum_on_every_dataset_stays_finite(dataset):
    config, _ = normalize(Config(dataset=dataset, noise=FIELDS["noise"].high, n_classes=5))
    exp = train_and_check(config, epochs=3)
    assert np.isfinite(exp.points[0]).all() and np.isfinite(exp.points[2].astype(float)).all()


def test_divergence_after_finite_epochs_keeps_a_finite_loss_chart():
    config = Config(dataset="plane", head="linear_mse", activation="linear", hidden=(), batch_size=0)
    exp = train_and_check(dataclasses.replace(config, learning_rate=10.0), epochs=50)
    assert exp.diverged and exp.epoch == exp.trainer.diverged_epoch - 1 > 0
    assert len(exp.trainer.history) == exp.epoch
    exp.update(dataclasses.replace(exp.config, learning_rate=0.01))  # a lower rate goes on from there
    assert not exp.diverged and exp.train(2) == 2
    assert_charts_finite(exp)


# A network that diverges in its first epoch with every optimizer (Adam survives smaller ones): eight
# relu layers of 64 on the regression plane, one point per step at learning rate 10.
DIVERGING = dict(dataset="plane", head="linear_mse", activation="relu", hidden=(64,) * 8, batch_size=1)
DIVERGING |= dict(learning_rate=10.0, n_samples=60)


@pytest.mark.parametrize("optimizer", FIELDS["optimizer"].choices)
def test_learning_rate_10_with_every_optimizer_is_caught_explained_and_left_behind(optimizer):
    at = open_app(cfg.to_query(Config(**DIVERGING, optimizer=optimizer)))
    at.button(key="step").click().run()
    assert not at.exception, at.exception
    exp = at.session_state["pg_experiment"]
    assert exp.diverged and exp.trainer.diverged_epoch == 1 and exp.epoch == 0
    assert exp.train(5) == 0  # waits for a hyperparameter to change
    assert_charts_finite(exp)
    (error,) = at.error
    assert "The loss became infinite at epoch 1: lower the learning rate (now 10)" in error.value
    assert at.button(key="play").disabled and at.button(key="step").disabled
    data = assert_page_payload_finite(at)
    assert data["frames"]["epochs"] == [0]
    at.select_slider(key="cfg_learning_rate").set_value(0.00001).run()
    at.button(key="step").click().run()
    assert not at.exception and not at.error
    assert at.session_state["pg_experiment"].epoch == 1
    assert_page_payload_finite(at)


def first_seed(config, holds, tries=300):
    """The first data seed whose experiment satisfies ``holds(exp)``."""
    for seed in range(tries):
        exp = Experiment(dataclasses.replace(config, data_seed=seed))
        if holds(exp):
            return exp.config
    raise AssertionError("no such seed")


@pytest.mark.parametrize(
    "dataset, head", [("blobs", "softmax_ce"), ("spiral", "sigmoid_mse"), ("moons", "sigmoid_bce")]
)
def test_a_training_set_of_one_class_trains_and_charts_finitely(dataset, head):
    """20 points at 10 % training: two training points, here of the same class."""
    base = Config(dataset=dataset, head=head, n_classes=5, n_samples=20, train_percent=10, hidden=(4,))
    config = first_seed(base, lambda exp: len(np.unique(exp.points[2])) == 1)
    exp = train_and_check(config, epochs=3)
    record = exp.metrics()
    assert record["train_accuracy"] is not None and 0 <= record["train_accuracy"] <= 1


@pytest.mark.parametrize("dataset", ["circles", "blobs"])
def test_a_test_set_of_one_class_gives_a_finite_accuracy(dataset):
    base = Config(dataset=dataset, n_classes=4, n_samples=20, train_percent=90, hidden=(3,))
    config = first_seed(normalize(base)[0], lambda exp: len(np.unique(exp.points[3])) == 1)
    exp = train_and_check(config, epochs=3)
    assert exp.metrics()["val_accuracy"] in (0.0, 0.5, 1.0)


def test_an_upload_whose_training_set_is_one_point_trains_and_charts_finitely():
    X, y = nn_core.make_dataset("moons", n_samples=10, noise=0.1, rng=0)
    data = upload.prepare(upload.read_table(csv_bytes(X, y)), "x1", "x2", "label")
    config = upload.playground_config(data, Config(train_percent=10, batch_size=1))
    exp = train_and_check(config, epochs=3, upload_data=data)
    assert len(exp.points[0]) == 1 and len(exp.points[1]) == 9


@pytest.mark.parametrize(
    "labels, task, expected",
    [
        (["a"] * 12, None, 'holds one class only ("a")'),
        (["=cmd|' /C calc'!A0"] * 12, None, "holds one class only"),
        (["1"] * 12, None, "holds the same value (1) in every row: one class only"),
        (["1.0"] * 11 + ["1"], "classification", "one class only"),
        (["7"] * 12, "regression", "holds the same value (7) in every row"),
        (["1e-200"] * 11 + ["2e-200"], "regression", "(almost) the same value"),
    ],
)
def test_an_uploaded_file_of_one_class_is_a_clear_upload_error(labels, task, expected):
    X = np.arange(2 * len(labels), dtype=float).reshape(-1, 2) % 7
    with pytest.raises(UploadError) as info:
        upload.prepare(upload.read_table(csv_bytes(X, None, labels)), "x1", "x2", "label", task=task)
    assert expected in str(info.value) and 'Column "label"' in str(info.value)


# --- hostile CSV files -------------------------------------------------------------------------------------
FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(A1:A2)", "-2+3", "@SUM(1)", '=HYPERLINK("http://x")', "\t=1+1"]
HUGE = ["1e308", "-1e308", "1.7976931348623157e308", "1e309", "4.9e-324", "1e-400", "1e12", "-1e12"]
ODD = ["１", "1\u200b2", "\xa01\xa0", "0x1F", "1 000", "NaN", "∞", "'1", '"1"', "1e", "-", ".", "1.2.3"]


@st.composite
def hostile_csvs(draw, *, readable=False):
    """A clean table of 10-40 rows, then a few hostile changes, as the bytes of a file (``readable``:
    in one of the encodings the reader accepts)."""
    n = draw(st.integers(10, 40))
    label_kind = draw(st.sampled_from(["words", "ints", "floats"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    X = rng.normal(size=(n, 2)) * draw(st.sampled_from([1e-300, 1e-6, 1.0, 1e11]))
    y = {"words": rng.choice(["cat", "dog"], n), "ints": rng.integers(0, 3, n), "floats": rng.normal(size=n)}
    rows = [["x1", "x2", "label"]] + [
        [repr(float(a)), repr(float(b)), str(c)] for (a, b), c in zip(X, y[label_kind])
    ]
    for change in draw(st.lists(st.sampled_from(CHANGES), max_size=3)):
        change(draw, rows)
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(delimiter.join(row) for row in rows) + newline
    return draw(st.sampled_from(ENCODE[:3] if readable else ENCODE))(draw, text)


def _cell(draw, rows):
    return draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(rows[0]) - 1))


def _put(values):
    def change(draw, rows):
        i, j = _cell(draw, rows)
        rows[i][j] = draw(st.sampled_from(values))

    return change


def _columns(draw, rows):
    k = draw(st.sampled_from([1, 47, 48, 97]))  # 50 and 51 columns straddle the limit; 100 is far over
    for i, row in enumerate(rows):
        row += [f"extra {j}" if i == 0 else str(j) for j in range(k)]


def _long_cell(draw, rows):
    i, j = _cell(draw, rows)
    rows[i][j] = draw(st.sampled_from(["7", "a", "=", "\u00e9"])) * draw(
        st.sampled_from([300, 5000, 140_000])
    )


def _quoted_newline(draw, rows):
    i, j = _cell(draw, rows)
    rows[i][j] = '"' + rows[i][j] + draw(st.sampled_from(["\n", "\r\n", "\n\n"])) + '1"'


def _open_quote(draw, rows):
    i, j = _cell(draw, rows)
    rows[i][j] = '"' + rows[i][j]


CHANGES = [_put(FORMULAS), _put(HUGE), _put(ODD), _columns, _long_cell, _quoted_newline, _open_quote]
ENCODE = [
    lambda draw, text: text.encode("utf-8"),
    lambda draw, text: codecs.BOM_UTF8 + text.encode("utf-8"),
    lambda draw, text: text.encode("utf-16"),  # with its byte-order mark; the first three are readable
    lambda draw, text: text.encode("utf-16-le"),  # without one: NUL bytes
    lambda draw, text: text.encode("utf-32"),
    lambda draw, text: text.replace("x1", "größe").encode("cp1252", errors="replace"),
    lambda draw, text: _mixed(draw, text),
]


def _mixed(draw, text):
    """UTF-8 with one line in Latin-1 (a file pasted together from two sources)."""
    lines = text.splitlines(keepends=True)
    k = draw(st.integers(0, len(lines) - 1))
    lines[k] = "é" + lines[k]
    return b"".join(
        line.encode("latin-1" if i == k else "utf-8", errors="replace") for i, line in enumerate(lines)
    )


def read_any(data):
    """read_table + guess_columns + prepare under every task: each UploadedData or UploadError."""
    outcomes = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            table = upload.read_table(data, "hostile.csv")
        except UploadError as error:
            return [error]
        for task in upload.TASKS:
            try:
                outcomes.append(upload.prepare(table, *upload.guess_columns(table), task=task))
            except UploadError as error:
                outcomes.append(error)
    return outcomes


def assert_upload_outcome(outcome):
    if isinstance(outcome, UploadError):
        message = str(outcome)
        assert message and len(message) <= MAX_UPLOAD_MESSAGE, message[:600]
        return
    assert isinstance(outcome, upload.UploadedData)
    n = len(outcome.y)
    assert outcome.X.shape == (n, 2) and np.isfinite(outcome.X).all() and np.isfinite(outcome.y).all()
    assert np.abs(outcome.X).max() <= upload.FEATURE_RADIUS + 1e-9
    assert outcome.task in cfg.UPLOAD_TASKS and 1 <= outcome.n_classes <= upload.MAX_CLASSES


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_csvs())
def test_structured_hostile_csv_gives_finite_data_or_a_short_upload_error(data):
    for outcome in read_any(data):
        assert_upload_outcome(outcome)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_csvs(readable=True))
def test_an_accepted_hostile_csv_trains_and_charts_on_the_playground_without_nan(data):
    accepted = [o for o in read_any(data) if isinstance(o, upload.UploadedData)]
    if accepted:
        data = accepted[0]
        config = upload.playground_config(data, Config(hidden=(4, 4), batch_size=0))
        train_and_check(config, upload_data=data)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x1,x2,label\n" + "1,2,=cmd|' /C calc'!A0\n3,4,+SUM(A1)\n" * 6, "is class 0"),
        ("x1,x2,label\n" + "1e308,2,a\n3,4,b\n" * 6, "1e308 is too large"),
        ("x1,x2,label\n" + "1,=1+1,a\n3,4,b\n" * 6, '"=1+1" is not a number'),
        (
            ",".join(f"c{j}" for j in range(100)) + "\n" + ("1," * 100 + "\n") * 12,
            "100 columns; the limit is 50",
        ),
        ("x1,x2,label\n" + '1,2,"a\nb"\n' * 12, "runs on over several lines"),
        ("A" * 200_000 + "\n" + "1\n" * 12, "a cell is too long"),
        ("a" * 100_000 + ";b\n" + "1;2\n" * 12, "Found 2 columns"),
    ],
    ids=[
        "formula labels",
        "1e308",
        "formula feature",
        "100 columns",
        "quoted newline",
        "huge cell",
        "huge name",
    ],
)
def test_worked_hostile_csv_files(text, expected):
    (outcome, *_) = read_any(text.encode())
    assert_upload_outcome(outcome)
    message = str(outcome) if isinstance(outcome, UploadError) else " ".join(outcome.notes)
    assert expected in message
