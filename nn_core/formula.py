"""Formulas of x1 and x2 typed by a user (``x1*x2``, ``cos(x1)``, ``abs(x1) - x2**2``), parsed by a
small grammar of our own and evaluated with NumPy: never ``eval``, never Python's own parser.

The grammar (``^`` is a power, as people write it; ``-x1**2`` is ``-(x1**2)``, as in Python)::

    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := ("-" | "+") unary | power
    power   := atom (("**" | "^") unary)?
    atom    := number | "x1" | "x2" | "pi" | "e" | name "(" sum ("," sum)* ")" | "(" sum ")"

A name is one of ``FUNCTIONS`` (a fixed table of NumPy functions with their number of arguments).
Text is at most ``MAX_LENGTH`` characters, nested at most ``MAX_DEPTH`` deep. A mistake raises
``FormulaError`` (a ``ValueError``) that says what is wrong and where: ``error.position`` is the
character it points at and ``error.pointer()`` draws a caret under it.

Evaluation never warns: a value that is not finite (``log(0)``, ``1/0``) becomes 0, and
``Formula.nonfinite`` counts how many did, so the caller can say so."""

import contextlib
import math
import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, NoReturn

import numpy as np
import numpy.typing as npt

from nn_core._checks import as_rng, check_float, check_int
from nn_core.datasets import label_by_side, uniform_points

MAX_LENGTH = 200  # characters of a formula
MAX_DEPTH = 20  # brackets, calls, powers and signs nested inside each other


# name -> (number of arguments, the NumPy function), each wrapped in a function of this module (the
# table holds nothing NumPy could change). Only these can be called.
FUNCTIONS: Mapping[str, tuple[int, Callable[..., Any]]] = MappingProxyType(
    {
        "sin": (1, lambda z: np.sin(z)),
        "cos": (1, lambda z: np.cos(z)),
        "tan": (1, lambda z: np.tan(z)),
        "tanh": (1, lambda z: np.tanh(z)),
        "sigmoid": (1, lambda z: 0.5 * (1.0 + np.tanh(0.5 * z))),  # the logistic, no overflow
        "exp": (1, lambda z: np.exp(z)),
        "log": (1, lambda z: np.log(z)),
        "sqrt": (1, lambda z: np.sqrt(z)),
        "abs": (1, lambda z: np.abs(z)),
        "sign": (1, lambda z: np.sign(z)),
        "min": (2, lambda a, b: np.minimum(a, b)),
        "max": (2, lambda a, b: np.maximum(a, b)),
    }
)
CONSTANTS = MappingProxyType({"pi": math.pi, "e": math.e})
VARIABLES = ("x1", "x2")

_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op>\*\*|[-+*/^(),]))"
)


class FormulaError(ValueError):
    """A formula that is not in the grammar: ``message`` and the ``position`` it points at."""

    def __init__(self, text: str, position: int, message: str) -> None:
        self.text, self.position, self.message = text, position, message
        super().__init__(f"{message} (at character {position + 1} of formula {text!r})")

    def pointer(self) -> str:
        """The formula with a caret under the character the message is about."""
        return f"{self.text}\n{' ' * self.position}^"


Tree = tuple[Any, ...]  # a parsed formula: see ``_Parser``


class Token(NamedTuple):
    kind: str  # "number", "name", "op" or "end"
    text: str
    position: int  # of its first character in the formula


def tokens(text: str) -> list[Token]:
    """The formula's tokens, then an "end" token. Raises ``FormulaError`` at a character that
    starts no token."""
    out: list[Token] = []
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return out + [Token("end", "", at)]
        match = _TOKEN.match(text, at)
        if match is None:
            raise FormulaError(text, at, f"{text[at]!r} is not part of a formula")
        kind = match.lastgroup or "op"
        out.append(Token(kind, match.group(kind), match.start(kind)))
        at = match.end()


class _Parser:
    """Recursive descent over the tokens; builds a tree of tuples:
    ("number", value), ("variable", index), ("negate", tree), (operator, left, right) with operator
    one of + - * / **, ("call", name, [trees])."""

    def __init__(self, text: str) -> None:
        self.text, self.tokens, self.at, self.depth = text, tokens(text), 0, 0

    def peek(self) -> Token:
        return self.tokens[self.at]

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def fail(self, token: Token, message: str) -> NoReturn:
        raise FormulaError(self.text, token.position, message)

    def expect(self, op: str) -> None:
        token = self.take()
        if token.text != op or token.kind != "op":
            found = "the end" if token.kind == "end" else repr(token.text)
            self.fail(token, f"expected {op!r} here, found {found}")

    def next_is(self, *ops: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text in ops

    @contextlib.contextmanager
    def deeper(self, token: Token) -> Iterator[None]:
        """One more level of nesting (brackets, a call, a power, a sign); too deep fails at ``token``."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(token, f"the formula is nested more than {MAX_DEPTH} deep")
        yield
        self.depth -= 1

    def whole(self) -> Tree:
        tree = self.sum()
        token = self.peek()
        if token.kind in ("number", "name") or token.text == "(":
            self.fail(token, f"missing an operator before {token.text!r} (write 2*x1, not 2x1)")
        if token.kind != "end":
            self.fail(token, f"expected an operator (+ - * / **) or the end, found {token.text!r}")
        return tree

    def sum(self) -> Tree:
        tree = self.product()
        while self.next_is("+", "-"):
            tree = (self.take().text, tree, self.product())
        return tree

    def product(self) -> Tree:
        tree = self.unary()
        while self.next_is("*", "/"):
            tree = (self.take().text, tree, self.unary())
        return tree

    def unary(self) -> Tree:
        if not self.next_is("-", "+"):
            return self.power()
        sign = self.take()
        with self.deeper(sign):
            inner = self.unary()
        return ("negate", inner) if sign.text == "-" else inner

    def power(self) -> Tree:
        base = self.atom()
        if not self.next_is("**", "^"):
            return base
        with self.deeper(self.take()):
            return ("**", base, self.unary())

    def atom(self) -> Tree:
        token = self.take()
        if token.kind == "number":
            value = float(token.text)
            if not math.isfinite(value):
                self.fail(token, f"the number {token.text} is too large")
            return ("number", value)
        if token.kind == "name":
            return self.named(token)
        if token.kind == "op" and token.text == "(":
            with self.deeper(token):
                tree = self.sum()
                self.expect(")")
            return tree
        found = "the end of the formula" if token.kind == "end" else repr(token.text)
        self.fail(token, f"expected a number, x1, x2, a function or '(' here, found {found}")

    def named(self, token: Token) -> Tree:
        name = token.text
        if name in VARIABLES:
            return ("variable", VARIABLES.index(name))
        if name in CONSTANTS:
            return ("number", CONSTANTS[name])
        if name not in FUNCTIONS:
            self.fail(token, f"unknown name {name!r}: use {', '.join([*VARIABLES, *CONSTANTS, *FUNCTIONS])}")
        arity = FUNCTIONS[name][0]
        self.expect("(")
        with self.deeper(token):
            args = [self.sum()]
            while self.next_is(","):
                comma = self.take()
                if len(args) == arity:
                    self.fail(comma, f"{name}() takes {arity} argument{'s' if arity > 1 else ''}")
                args.append(self.sum())
            if len(args) < arity:
                self.fail(self.peek(), f"{name}() takes {arity} arguments; expected ',' here")
            self.expect(")")
        return ("call", name, args)


class Formula:
    """A parsed formula: ``text`` as typed, ``tree`` as parsed. Call it on points."""

    def __init__(self, text: str, tree: Tree) -> None:
        self.text, self.tree = text, tree
        self.nonfinite = 0  # values of the last call that were not finite (and became 0)

    def __call__(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """The formula at every row (x1, x2) of ``X`` (n, 2): values (n,), every one finite."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError(f"X must have shape (n, 2); got {X.shape}")
        with np.errstate(all="ignore"):
            values = np.broadcast_to(_evaluate(self.tree, X), (len(X),)).astype(np.float64)
        finite = np.isfinite(values)
        self.nonfinite = int(len(values) - finite.sum())
        return np.where(finite, values, 0.0)


def _evaluate(tree: Tree, X: npt.NDArray[np.float64]) -> Any:
    """The value of ``tree`` at the points ``X``: an array (n,), or a float for a constant part."""
    kind = tree[0]
    if kind == "number":
        return tree[1]
    if kind == "variable":
        return X[:, tree[1]]
    if kind == "negate":
        return -_evaluate(tree[1], X)
    if kind == "call":
        function = FUNCTIONS[tree[1]][1]
        return function(*[np.asarray(_evaluate(arg, X), dtype=np.float64) for arg in tree[2]])
    if kind == "**" and tree[2] == ("number", 2.0):  # x*x: x**2's bits on every NumPy (2.0's power differs)
        return np.square(np.asarray(_evaluate(tree[1], X), dtype=np.float64))
    left, right = (np.asarray(_evaluate(t, X), dtype=np.float64) for t in tree[1:])
    if kind == "+":
        return left + right
    if kind == "-":
        return left - right
    if kind == "*":
        return left * right
    if kind == "/":
        return left / right
    return np.power(left, right)  # "**"


def parse(text: str) -> Formula:
    """Parse ``text`` into a ``Formula``. Raises ``FormulaError`` (a ``ValueError``) naming the
    mistake and its position, or ``ValueError`` for a text that is not a string or too long."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string; got {text!r}")
    if len(text) > MAX_LENGTH:
        message = f"a formula has at most {MAX_LENGTH} characters"
        raise FormulaError(text[:MAX_LENGTH], MAX_LENGTH - 1, message)
    if not text.strip():
        raise FormulaError(text, 0, "the formula is empty")
    return Formula(text, _Parser(text).whole())


def formula_dataset(
    formula: str | Formula,
    *,
    n_samples: int = 200,
    noise: float = 0.0,
    rng: int | np.random.Generator | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Points labelled by the side of a typed formula they fall on: class 1 where f(x1, x2) > 0.

    ``formula``: text in ``nn_core.formula``'s grammar (``"x2 - 2.5*sin(x1)"``) or a parsed
    ``Formula``. The points are uniform in [-5, 5]^2, as the other boundary datasets'; ``noise``
    flips a label with probability noise / 2 * exp(-|f|): |f| stands in for the distance to the
    curve, which a formula does not give (for ``x2 - g(x1)`` it is the vertical distance).

    Returns X (n_samples, 2) float64 and y (n_samples,) int64.
    """
    parsed = formula if isinstance(formula, Formula) else parse(formula)
    n_samples = check_int("n_samples", n_samples, low=1)
    noise = check_float("noise", noise, low=0.0, high=1.0)
    rng = as_rng(rng)
    X = uniform_points(n_samples, rng)
    X, y = label_by_side(X, parsed(X), noise, rng)
    return X.astype(np.float64), y.astype(np.int64)
