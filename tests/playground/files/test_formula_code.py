"""A typed formula as the standalone script's NumPy code: written from the parsed tree, it gives the
parser's values to the bit (every function, operator and constant, random formulas under hypothesis),
and nothing typed outside the grammar gets into the code."""

import ast

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_core.formula import FUNCTIONS, FormulaError, parse
from playground.files.formula_code import CODE, numpy_code

RNG = np.random.default_rng(0)
X = np.vstack([RNG.uniform(-6, 6, (300, 2)), [[0.0, 0.0], [0.0, -1.0], [1e-3, 700.0]]])


def run_code(code, X):
    """The code as the script runs it: x1 and x2 the columns of X, every value float64, the rest 0."""
    with np.errstate(all="ignore"):
        values = eval(code, {"np": np}, {"x1": X[:, 0], "x2": X[:, 1]})  # our own generated code
        values = np.broadcast_to(values, (len(X),)).astype(np.float64)
    return np.where(np.isfinite(values), values, 0.0)


def test_every_function_of_the_grammar_has_its_code():
    assert set(CODE) == set(FUNCTIONS)
    assert all(CODE[name].count("{}") == arity for name, (arity, _) in FUNCTIONS.items())


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_each_function_gives_the_parsers_bits(name):
    args = ", ".join(["x1 * 3 - x2", "x2"][: FUNCTIONS[name][0]])
    text = f"{name}({args})"
    np.testing.assert_array_equal(run_code(numpy_code(text), X), parse(text)(X))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("x1*x2", "(x1 * x2)"),
        ("x1^2 + x2**2", "(np.square(x1) + np.square(x2))"),  # ** 2: x*x, as nn_core.formula
        ("x1^3", "np.power(x1, np.float64(3.0))"),
        ("-x1**2", "(-np.square(x1))"),
        ("cos(pi*x1)", "np.cos((np.float64(3.141592653589793) * x1))"),
        ("2", "np.float64(2.0)"),
    ],
)
def test_worked_examples(text, code):
    assert numpy_code(text) == code


def test_constants_and_holes_give_the_parsers_bits():
    for text in ["2", "1/0 + x1", "log(x1) - sqrt(x2)", "2**0.5*e", "x1/x1", "exp(exp(x2))", "(-8)^(1/3)"]:
        np.testing.assert_array_equal(run_code(numpy_code(text), X), parse(text)(X))


leaves = st.one_of(
    st.sampled_from(["x1", "x2", "pi", "e", "0", "0.5", "3", "1e-3", "2.5e2"]),
)


def _combine(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**", "^"]), children).map(
        lambda t: f"({t[0]}) {t[1]} ({t[2]})"
    )
    one = st.tuples(st.sampled_from([n for n, (a, _) in FUNCTIONS.items() if a == 1]), children)
    two = st.tuples(st.sampled_from(["min", "max"]), children, children)
    return st.one_of(
        binary,
        one.map(lambda t: f"{t[0]}({t[1]})"),
        two.map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        children.map(lambda c: f"-{c}"),
    )


@settings(max_examples=400, deadline=None)
@given(text=st.recursive(leaves, _combine, max_leaves=10))
def test_random_formulas_give_the_parsers_bits(text):
    try:
        parsed = parse(text)
    except FormulaError:  # nested too deep: nothing to write
        return
    np.testing.assert_array_equal(run_code(numpy_code(text), X), parsed(X))


@pytest.mark.parametrize(
    "text",
    ["__import__('os')", "x1 # comment", "x1\n import os", "x1; x2", "open('f')", "x1.real", "'x1'"],
)
def test_text_outside_the_grammar_never_becomes_code(text):
    with pytest.raises(FormulaError):
        numpy_code(text)


@settings(max_examples=200, deadline=None)
@given(text=st.recursive(leaves, _combine, max_leaves=10))
def test_the_code_holds_only_numbers_x1_x2_operators_and_numpy_functions(text):
    try:
        code = numpy_code(text)
    except FormulaError:
        return
    for node in ast.walk(ast.parse(code, mode="eval")):
        if isinstance(node, ast.Name):
            assert node.id in ("x1", "x2", "np")
        elif isinstance(node, ast.Attribute):
            assert node.value.id == "np" and node.attr in {
                "sin", "cos", "tan", "tanh", "exp", "log", "sqrt", "abs", "sign", "minimum", "maximum",
                "power", "float64",
            }  # fmt: skip
        elif isinstance(node, ast.Constant):
            assert isinstance(node.value, float)
