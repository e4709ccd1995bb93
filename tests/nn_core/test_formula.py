"""Typed formulas of x1 and x2: worked examples by hand, Python's own precedence as the oracle for
generated formulas, mistakes pointed at, and 10,000 hostile strings that never crash and never get
anything evaluated outside the grammar; the dataset labelled by a formula."""

import math
import sys
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn_core
from nn_core import formula
from nn_core.formula import FUNCTIONS, MAX_DEPTH, MAX_LENGTH, FormulaError, parse

POINTS = np.array([[1.0, 2.0], [-0.5, 3.0], [0.0, 0.0]])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x1*x2", [2.0, -1.5, 0.0]),
        ("x1 + 2*x2 - 1", [4.0, 4.5, -1.0]),
        ("-x1**2", [-1.0, -0.25, -0.0]),  # -(x1**2), as Python reads it
        ("(-x1)^2", [1.0, 0.25, 0.0]),  # ^ is a power
        ("2**3**2", [512.0] * 3),  # powers group to the right: 2**9
        ("8/2/2", [2.0] * 3),  # the rest to the left
        ("abs(x1) - x2**2", [-3.0, -8.5, 0.0]),
        ("max(x1, x2) + min(x1, 0)", [2.0, 2.5, 0.0]),
        ("cos(pi*x1)", [-1.0, math.cos(-0.5 * math.pi), 1.0]),
        ("sigmoid(0*x1) + sign(x1)", [1.5, -0.5, 0.5]),
        ("1.5e1 + .5", [15.5] * 3),
    ],
)
def test_worked_examples(text, expected):
    assert np.allclose(parse(text)(POINTS), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("2x1", 1, "missing an operator before 'x1'"),
        ("x1 +", 4, "expected a number"),
        ("sin(x1", 6, "expected ')'"),
        ("foo(x1)", 0, "unknown name 'foo'"),
        ("min(x1)", 6, "min() takes 2 arguments"),
        ("max(x1, x2, 3)", 10, "max() takes 2 arguments"),
        ("x1 $ x2", 3, "'$' is not part of a formula"),
        ("x1 x2", 3, "missing an operator"),
        ("", 0, "empty"),
        ("   ", 0, "empty"),
        ("(" * (MAX_DEPTH + 1) + "x1" + ")" * (MAX_DEPTH + 1), MAX_DEPTH, "nested more than"),
        ("-" * (MAX_DEPTH + 1) + "x1", MAX_DEPTH, "nested more than"),
        ("x1+" * 70 + "x1", MAX_LENGTH - 1, "at most 200 characters"),
        ("__import__('os').system('ls')", 11, "not part of a formula"),
        ("x1.real", 2, "'.' is not part of a formula"),
    ],
)
def test_a_mistake_is_named_and_pointed_at(text, position, words):
    with pytest.raises(FormulaError) as caught:
        parse(text)
    error = caught.value
    assert words in error.message and error.position == position, (error.message, error.position)
    assert isinstance(error, ValueError) and f"character {position + 1}" in str(error)
    text_line, caret_line = error.pointer().split("\n")
    assert caret_line == " " * position + "^" and text_line == error.text


def test_not_a_string_is_refused_by_name():
    with pytest.raises(ValueError, match="text must be a string; got 3"):
        parse(3)
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        parse("x1")(np.zeros(3))


def test_values_that_are_not_finite_become_zero_silently_and_are_counted():
    f = parse("log(x1) + 1/x2 + exp(1000*x1)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any NumPy warning fails the test
        values = f(np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [-1.0, 1.0]]))
    assert np.isfinite(values).all() and f.nonfinite == 4 and values.tolist() == [0.0] * 4
    with pytest.raises(FormulaError, match="the number 1e999 is too large"):
        parse("1e999 * x1")  # a float would be infinite


# --- generated formulas against Python's arithmetic --------------------------------------------
# Each strategy draws (text, value at (x1, x2) = (0.7, -1.3)), the value computed by Python on floats,
# independently of the parser: text and value are built together.
X1, X2 = 0.7, -1.3
leaves = st.one_of(
    st.integers(0, 9).map(lambda n: (str(n), float(n))),
    st.just(("x1", X1)),
    st.just(("x2", X2)),
    st.just(("pi", math.pi)),
)
SAFE = {"sin": math.sin, "cos": math.cos, "tanh": math.tanh, "abs": abs}


def _combine(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(
        lambda t: (
            f"({t[0][0]} {t[1]} {t[2][0]})",
            {"+": t[0][1] + t[2][1], "-": t[0][1] - t[2][1], "*": t[0][1] * t[2][1]}[t[1]],
        )  # fmt: skip
    )
    call = st.tuples(st.sampled_from(sorted(SAFE)), children).map(
        lambda t: (f"{t[0]}({t[1][0]})", SAFE[t[0]](t[1][1]))
    )
    negate = children.map(lambda c: (f"-({c[0]})", -c[1]))
    return st.one_of(binary, call, negate)


expressions = st.recursive(leaves, _combine, max_leaves=12)


@settings(max_examples=500, deadline=None)
@given(expressions)
def test_generated_formulas_compute_what_python_computes(drawn):
    text, expected = drawn
    if len(text) > MAX_LENGTH:
        with pytest.raises(FormulaError):
            parse(text)
        return
    try:
        f = parse(text)
    except FormulaError as error:  # only for nesting beyond the limit
        assert "nested more than" in error.message
        return
    got = f(np.array([[X1, X2]]))[0]
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)


# --- hostile strings --------------------------------------------------------------------------
HOSTILE = [
    "__import__('os').system('rm -rf /')",
    "().__class__.__bases__[0].__subclasses__()",
    "eval('1')",
    "exec",
    "lambda: 0",
    "x1.__class__",
    "open('/etc/passwd')",
    "globals()",
    "np.sin(x1)",
    "x1; x2",
    "x1 if x2 else 0",
    "[x1]",
    "{}",
    "x1 == x2",
    "9" * 400,
    "(" * 5000,
    "sin(" * 500 + "x1" + ")" * 500,
    "\x00x1",
    "x１",  # a full-width digit
]
ALPHABET = "x12 +-*/^().,e0123456789sincoabqrtlgmp_\"'[]{}:;=<>!@#$%&|\\~`?\t\n\x00é√π"


def _allowed(tree):
    """Every node of a parsed tree is one of the grammar's, every call one of FUNCTIONS."""
    kind = tree[0]
    if kind == "number":
        return isinstance(tree[1], float)
    if kind == "variable":
        return tree[1] in (0, 1)
    if kind == "negate":
        return _allowed(tree[1])
    if kind == "call":
        return tree[1] in FUNCTIONS and len(tree[2]) == FUNCTIONS[tree[1]][0] and all(map(_allowed, tree[2]))
    return kind in ("+", "-", "*", "/", "**") and _allowed(tree[1]) and _allowed(tree[2])


WATCHED = {"compile", "exec", "import", "open", "os.system", "subprocess.Popen", "ctypes.dlopen"}


@pytest.fixture(scope="module")
def audit():
    """Python's audit events (``sys.addaudithook``) raised while ``audit["on"]``: compiling or
    running Python code, importing, opening files, starting processes. Parsing and evaluating a
    formula must raise none."""
    seen = {"on": False, "events": []}

    def hook(event, args):
        if seen["on"] and event in WATCHED:
            seen["events"].append((event, repr(args)[:80]))

    _try("sin(x1) + max(x2, 1) / 3 ** 2")  # NumPy's lazy first-use imports happen here, not below
    sys.addaudithook(hook)  # (a hook stays for the process: it records only while "on")
    return seen


def _try(text, audit=None):
    """Parse and evaluate ``text`` (audited if given): a FormulaError is fine; anything else fails."""
    if audit is not None:
        audit["on"] = True
    try:
        f = parse(text)
        values = None
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            values = f(np.array([[X1, X2], [0.0, 0.0], [1e300, -1e300]]))
    except FormulaError as error:
        assert 0 <= error.position <= len(error.text)  # (at the end: something is missing there)
        return None
    finally:
        if audit is not None:
            audit["on"] = False
    assert _allowed(f.tree), f.tree
    assert values.shape == (3,) and np.isfinite(values).all()
    return f


@pytest.mark.parametrize("text", HOSTILE)
def test_known_attacks_are_refused(text, audit):
    assert _try(text, audit) is None
    assert audit["events"] == []


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(ALPHABET, max_size=60), st.text(max_size=30), st.sampled_from(HOSTILE)))
def test_ten_thousand_hostile_strings_never_crash_nor_evaluate_outside_the_grammar(audit, text):
    _try(text, audit)
    assert audit["events"] == []


def test_the_audit_would_see_python_evaluation(audit):
    """The audit above can fail: eval and an import while it is on are recorded."""
    audit["on"] = True
    try:
        eval("1 + 1")  # noqa: S307
        __import__("json.tool")
    finally:
        audit["on"] = False
    events = [event for event, _ in audit["events"]]
    audit["events"].clear()
    assert "exec" in events and "import" in events


def test_the_grammar_never_reaches_python_names():
    """The evaluator calls only the functions of the table: a parsed tree holds names, never objects,
    and the table is read-only."""
    with pytest.raises(TypeError):
        FUNCTIONS["eval"] = (1, eval)  # type: ignore[index]
    tree = parse("sin(x1) + max(x2, 1)").tree
    maximum = ("call", "max", [("variable", 1), ("number", 1.0)])
    assert tree == ("+", ("call", "sin", [("variable", 0)]), maximum)


# --- the dataset -------------------------------------------------------------------------------
def test_a_formula_dataset_is_labelled_by_the_sign_of_the_formula():
    X, y = nn_core.formula_dataset("x2 - 2.5*sin(x1)", n_samples=500, noise=0.0, rng=3)
    assert X.shape == (500, 2) and y.dtype == np.int64 and np.abs(X).max() <= 5
    assert np.array_equal(y, (X[:, 1] - 2.5 * np.sin(X[:, 0]) > 0).astype(int))
    # the built-in sine dataset is the same formula
    Xs, ys = nn_core.make_dataset("above_sine", n_samples=500, noise=0.0, rng=3)
    assert np.array_equal(np.sort(ys), np.sort(y)) or abs(ys.mean() - y.mean()) < 0.1


def test_noise_flips_labels_near_the_boundary_only_and_a_seed_repeats_the_run():
    X, y = nn_core.formula_dataset("x1", n_samples=4000, noise=1.0, rng=5)
    clean = (X[:, 0] > 0).astype(int)
    flipped = y != clean
    assert 0 < flipped.mean() < 0.5
    assert np.abs(X[flipped, 0]).mean() < 0.5 * np.abs(X[~flipped, 0]).mean()
    again = nn_core.formula_dataset(formula.parse("x1"), n_samples=4000, noise=1.0, rng=5)
    assert np.array_equal(again[0], X) and np.array_equal(again[1], y)


def test_the_formula_dataset_checks_its_arguments_by_name():
    with pytest.raises(ValueError, match="n_samples"):
        nn_core.formula_dataset("x1", n_samples=0)
    with pytest.raises(ValueError, match="noise"):
        nn_core.formula_dataset("x1", noise=2.0)
    with pytest.raises(FormulaError, match="unknown name"):
        nn_core.formula_dataset("y + 0")
