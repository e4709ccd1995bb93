"""Argument checks shared by the package: every public function fails early with a ValueError
that names the parameter and the value it received."""

import numbers
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt


def is_int(value: object) -> bool:
    """A Python or NumPy integer, not a bool (True is an int to Python, not a count to a user)."""
    return not isinstance(value, bool) and isinstance(value, numbers.Integral)


def is_real(value: object) -> bool:
    """A Python or NumPy real number, not a bool."""
    return not isinstance(value, bool) and isinstance(value, numbers.Real)


def as_rng(rng: Any) -> np.random.Generator:
    """Normalize ``rng`` once at the boundary: None -> fresh entropy, int -> seeded, Generator -> itself."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if is_int(rng) and rng >= 0:
        return np.random.default_rng(int(rng))
    raise ValueError(f"rng must be None, a non-negative int seed or a numpy Generator; got {rng!r}")


def check_choice(name: str, value: Any, choices: Collection[str]) -> str:
    """Return ``value`` if it is one of ``choices`` (a registry dict or a list of names)."""
    if isinstance(value, str) and value in choices:
        return value
    raise ValueError(f"{name} must be one of {sorted(choices)}; got {value!r}")


def check_choices(name: str, value: Any, choices: Collection[str], *, n: int) -> tuple[str, ...]:
    """``n`` names from ``choices``: ``value`` is one name (meaning all n) or a sequence of n names."""
    if isinstance(value, str):
        return (check_choice(name, value, choices),) * n
    if not isinstance(value, Sequence) or len(value) != n:
        raise ValueError(f"{name} must be a name or a list of {n} names (one per layer); got {value!r}")
    return tuple(check_choice(f"{name}[{i}]", v, choices) for i, v in enumerate(value))


def check_int(name: str, value: Any, *, low: int, high: int | None = None) -> int:
    """Return ``value`` as an int in ``[low, high]`` (``high=None``: no upper bound)."""
    ok = is_int(value)
    if not ok or value < low or (high is not None and value > high):
        bounds = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be an int {bounds}; got {value!r}")
    return int(value)


def check_float(
    name: str,
    value: Any,
    *,
    low: float | None = 0.0,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a finite float within the given (open or closed) bounds."""
    ok = is_real(value) and bool(np.isfinite(value))
    if ok:
        value = float(value)
        ok = (value > low if low_open else value >= low) if low is not None else True
        if ok and high is not None:
            ok = value < high if high_open else value <= high
    if not ok:
        lo = "" if low is None else ("(" if low_open else "[") + f"{low}, "
        hi = "inf)" if high is None else f"{high}" + (")" if high_open else "]")
        raise ValueError(f"{name} must be a finite number in {lo}{hi}; got {value!r}")
    return float(value)


def check_matrix(name: str, X: npt.ArrayLike, *, n_features: int | None = None) -> npt.NDArray[Any]:
    """Return ``X`` as a finite float array of shape (n_samples, n_features), n_samples >= 1."""
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[0] == 0 or (n_features is not None and X.shape[1] != n_features):
        want = "(n_samples, n_features)" if n_features is None else f"(n_samples, {n_features})"
        raise ValueError(f"{name} must have shape {want} with n_samples >= 1; got shape {X.shape}")
    if not np.issubdtype(X.dtype, np.number) or np.issubdtype(X.dtype, np.complexfloating):
        raise ValueError(f"{name} must hold real numbers; got dtype {X.dtype}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} must be finite; got {np.count_nonzero(~np.isfinite(X))} NaN/inf values")
    return X


def check_layer_sizes(layer_sizes: Sequence[int]) -> list[int]:
    """Return ``layer_sizes`` as a list of >= 2 ints >= 1 (inputs, hidden..., outputs)."""
    try:
        sizes = list(layer_sizes)
    except TypeError:
        raise ValueError(f"layer_sizes must be a sequence of ints; got {layer_sizes!r}") from None
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs an input and an output size; got {layer_sizes!r}")
    try:
        for size in sizes:
            check_int("layer_sizes", size, low=1)
    except ValueError:
        raise ValueError(f"layer_sizes must all be ints >= 1; got {layer_sizes!r}") from None
    return [int(s) for s in sizes]
