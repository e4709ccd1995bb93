"""Input features typed as formulas of x1 and x2: columns equal to the ones computed by hand, the
fixed names and their formula spellings agree, mistakes named with their position, and nothing that
is not finite (nor past the bound) ever reaches the network."""

import warnings

import numpy as np
import pytest

from nn_core.features import FEATURES, FORMULA_BOUND, expand_features, feature_function, formula_feature
from nn_core.formula import FormulaError

X = np.array([[1.0, 2.0], [-0.5, 3.0], [0.0, 0.0], [2.0, -1.5]])
x1, x2 = X[:, 0], X[:, 1]


@pytest.mark.parametrize(
    ("formula", "by_hand"),
    [
        ("x1*x2", [2.0, -1.5, 0.0, -3.0]),
        ("cos(x1)", [np.cos(1.0), np.cos(-0.5), 1.0, np.cos(2.0)]),
        ("cos(x2)", [np.cos(2.0), np.cos(3.0), 1.0, np.cos(-1.5)]),
        ("abs(x1) - x2**2", [1 - 4, 0.5 - 9, 0.0, 2 - 2.25]),
        ("tanh(3*x1)", [np.tanh(3.0), np.tanh(-1.5), 0.0, np.tanh(6.0)]),
        ("x1^2 + x2^2", [5.0, 9.25, 0.0, 6.25]),
        ("2", [2.0] * 4),  # a constant is a column of it
    ],
)
def test_formula_feature_equals_the_column_by_hand(formula, by_hand):
    np.testing.assert_allclose(expand_features(X, [formula])[:, 0], by_hand, rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    ("name", "formula"),
    [
        ("x1", "x1"),
        ("x2", "x2"),
        ("x1_sq", "x1**2"),
        ("x2_sq", "x2^2"),
        ("x1_x2", "x1*x2"),
        ("sin_x1", "sin(x1)"),
        ("sin_x2", "sin(x2)"),
    ],
)
def test_fixed_features_and_their_formulas_agree_to_the_bit(name, formula):
    rng = np.random.default_rng(0)
    points = rng.uniform(-6, 6, (500, 2))
    np.testing.assert_array_equal(expand_features(points, [formula]), expand_features(points, [name]))
    np.testing.assert_array_equal(expand_features(points, [formula])[:, 0], FEATURES[name](points))


def test_fixed_names_and_formulas_mix_in_the_order_given():
    got = expand_features(X, ["x2", "cos(x1)", "x1_x2"])
    np.testing.assert_array_equal(got, np.column_stack([x2, np.cos(x1), x1 * x2]))
    assert got.dtype == np.float64
    assert expand_features(X.astype(np.float32), ["x1", "x1*x2"]).dtype == np.float32


@pytest.mark.parametrize(
    ("names", "index", "formula", "position", "words"),
    [
        (["x1", "x3"], 1, "x3", 1, "unknown name 'x3'"),
        (["2x1"], 0, "2x1", 2, "missing an operator"),
        (["x1", "x2", "sin(x1"], 2, "sin(x1", 7, "expected ')'"),
        (["cosX"], 0, "cosX", 1, "unknown name 'cosX'"),
        (["x1 $ x2"], 0, "x1 $ x2", 4, "'$' is not part of a formula"),
    ],
)
def test_a_bad_formula_names_the_parameter_the_formula_and_the_position(
    names, index, formula, position, words
):
    with pytest.raises(FormulaError) as caught:
        expand_features(X, names)
    message = str(caught.value)
    assert message.startswith(f"names[{index}] is neither a feature (x1, x2, x1_sq")
    assert words in message and f"at character {position} of formula {formula!r}" in message
    assert caught.value.position == position - 1
    assert caught.value.pointer().splitlines()[1] == " " * (position - 1) + "^"


@pytest.mark.parametrize(
    "formula",
    ["1/x1", "log(x1)", "sqrt(x2 - 1)", "x1/x1", "exp(exp(x2))", "-exp(x2**2)", "tan(pi/2)*x1", "x2**1000"],
)
def test_no_value_that_is_not_finite_or_past_the_bound_reaches_the_network(formula):
    points = np.vstack([X, [[0.0, 30.0], [-3.0, -30.0], [1e-300, 700.0]]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no warnings on the way
        for dtype in (np.float64, np.float32):
            got = expand_features(points.astype(dtype), ["x1", formula])
            assert np.isfinite(got).all() and np.abs(got).max() <= FORMULA_BOUND


def test_values_that_are_not_finite_become_zero_and_large_ones_the_bound():
    got = expand_features(
        np.array([[0.0, 0.0], [2.0, 100.0], [-1.0, -100.0]]), ["1/x1", "exp(x2) - exp(-x2)"]
    )
    np.testing.assert_array_equal(got, [[0.0, 0.0], [0.5, FORMULA_BOUND], [-1.0, -FORMULA_BOUND]])
    np.testing.assert_array_equal(formula_feature("log(x1)", [[0.0, 1.0], [1.0, 1.0]]), [0.0, 0.0])


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: expand_features(X, []), "names must list at least one feature; got []"),
        (lambda: expand_features(X, "x1"), "names must list at least one feature; got 'x1'"),
        (
            lambda: expand_features(X, ["x1", 3]),
            "names[1] must be a feature name or a formula (a string); got 3",
        ),
        (lambda: expand_features(X, ["x1", None]), "names[1] must be a feature name or a formula"),
        (lambda: expand_features(X, [""]), "names[0] is neither a feature"),
        (lambda: expand_features(X, ["x1*" * 70]), "at most 200 characters"),
        (lambda: expand_features(X[:, :1], ["x1"]), "X must"),
        (lambda: feature_function("((x1)"), "name is neither a feature"),
        (lambda: formula_feature("x1", np.ones((3, 3))), "X must"),
    ],
)
def test_validation(call, words):
    with pytest.raises(ValueError) as caught:
        call()
    assert words in str(caught.value)
