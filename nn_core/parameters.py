"""One flat vector holds every parameter of a network; the weight matrices and bias vectors are views.

Layout: every weight first (layer 1's ``W`` row by row, then layer 2's, ...), then every bias. An
optimizer then updates a whole network in a few NumPy calls, and ``flat[:n_weights]`` is what the
L1/L2 penalties see. The same layout serves any vector "like the parameters": a gradient, a
numerical gradient, a mask of kinked entries.
"""

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from nn_core._checks import check_layer_sizes


def n_weights(layer_sizes: Sequence[int]) -> int:
    """How many weights a network of ``layer_sizes`` has: sum of ``fan_in * fan_out`` over layers."""
    layer_sizes = check_layer_sizes(layer_sizes)
    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


def n_params(layer_sizes: Sequence[int]) -> int:
    """How many parameters (weights and biases) a network of ``layer_sizes`` has."""
    layer_sizes = check_layer_sizes(layer_sizes)
    return n_weights(layer_sizes) + sum(layer_sizes[1:])


class ParameterList(list[npt.NDArray[Any]]):
    """Views into one flat vector. ``views[i] = W`` copies ``W`` into the view (shape checked), so the
    flat vector, the views and the optimizer keep sharing one block of memory."""

    def __init__(self, views: Iterable[npt.NDArray[Any]], name: str) -> None:
        super().__init__(views)
        self.name = name

    def __setitem__(self, i: Any, value: Any) -> None:
        value = np.asarray(value)
        if value.shape != self[i].shape:
            raise ValueError(f"{self.name}[{i}] must have shape {self[i].shape}; got {value.shape}")
        if not np.all(np.isfinite(value)):
            raise ValueError(
                f"{self.name}[{i}] must be finite; got {np.count_nonzero(~np.isfinite(value))} NaN/inf"
            )
        self[i][...] = value


def split(flat: npt.NDArray[Any], layer_sizes: Sequence[int]) -> tuple[ParameterList, ParameterList]:
    """Views of ``flat (n_params(layer_sizes),)`` as (weight matrices ``(n_in, n_out)``, bias vectors
    ``(n_out,)``), layer 1 first."""
    size = n_params(layer_sizes)
    if not isinstance(flat, np.ndarray) or flat.shape != (size,):
        raise ValueError(f"flat must be an array of shape {(size,)}; got {np.shape(flat)}")
    weights, biases = [], []
    offset, start = 0, n_weights(layer_sizes)
    for a, b in zip(layer_sizes[:-1], layer_sizes[1:]):
        weights.append(flat[offset : offset + a * b].reshape(a, b))
        biases.append(flat[start : start + b])
        offset, start = offset + a * b, start + b
    return ParameterList(weights, "weights"), ParameterList(biases, "biases")
