"""A typed formula of x1 and x2 as NumPy code for the standalone script, written from its PARSED tree
(``nn_core.formula``), never from the text the user typed: what reaches the script is numbers
(``repr`` of floats), ``x1``, ``x2``, operators and the NumPy functions of ``CODE``, nothing else.

The code does what ``nn_core.formula`` evaluates, operation for operation (every number a float64,
``**`` as ``np.power`` and ``** 2`` as ``np.square``, ``sigmoid`` as ``0.5 * (1 + tanh(z / 2))``), so
it gives the same bits.
"""

from types import MappingProxyType

from nn_core import formula

# function name -> its NumPy code, "{}" for each argument: one entry per nn_core.formula.FUNCTIONS key
# (tests/playground/files/test_formula_code.py checks them all against the parser's values)
CODE = MappingProxyType(
    {
        "sin": "np.sin({})",
        "cos": "np.cos({})",
        "tan": "np.tan({})",
        "tanh": "np.tanh({})",
        "sigmoid": "(0.5 * (1.0 + np.tanh(0.5 * {})))",
        "exp": "np.exp({})",
        "log": "np.log({})",
        "sqrt": "np.sqrt({})",
        "abs": "np.abs({})",
        "sign": "np.sign({})",
        "min": "np.minimum({}, {})",
        "max": "np.maximum({}, {})",
    }
)
OPERATORS = MappingProxyType({"+": "({} + {})", "-": "({} - {})", "*": "({} * {})", "/": "({} / {})"})


def numpy_code(text):
    """The NumPy expression of formula ``text`` in ``x1`` and ``x2`` (arrays (n,)), e.g.
    ``"x1^3 + cos(x2)"`` -> ``"(np.power(x1, np.float64(3.0)) + np.cos(x2))"``. Raises ``FormulaError``
    for a text that does not parse."""
    return _code(formula.parse(text).tree)


def _code(tree):
    kind = tree[0]
    if kind == "number":
        return f"np.float64({float(tree[1])!r})"
    if kind == "variable":
        return ("x1", "x2")[tree[1]]
    if kind == "negate":
        return f"(-{_code(tree[1])})"
    if kind == "call":
        return CODE[tree[1]].format(*(_code(arg) for arg in tree[2]))
    if kind == "**" and tree[2] == ("number", 2.0):  # as nn_core.formula: x*x, the bits of x**2
        return f"np.square({_code(tree[1])})"
    if kind == "**":
        return f"np.power({_code(tree[1])}, {_code(tree[2])})"
    return OPERATORS[kind].format(_code(tree[1]), _code(tree[2]))
