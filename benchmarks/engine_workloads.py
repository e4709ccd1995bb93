"""The engine benchmark's workloads: W1-W5 of perf-anchors.md in nn_core's vocabulary, the grid rows,
the correctness checks, the targets, and the data and initial weights every peer starts from.

Imports NumPy: ``bench_engine.py`` sets the one-thread variables before it imports this.
"""

from dataclasses import dataclass

import numpy as np

import nn_core


# --- workloads ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Workload:
    """One training configuration of perf-anchors.md, in nn_core's vocabulary."""

    id: str
    title: str
    dataset: str
    data: dict
    sizes: tuple
    activation: str
    output: str
    loss: str
    optimizer: str
    learning_rate: float
    batch_size: int | None = None
    seed: int = 0


WORKLOADS = {
    w.id: w
    for w in (
        Workload("W1", "XOR 4 pts, 2-2-1 sigmoid, MSE, SGD 0.1", "xor_table", {},
                 (2, 2, 1), "sigmoid", "sigmoid", "mse", "sgd", 0.1, seed=1),
        Workload("W2", "moons 200, 2-16-1 tanh, BCE, SGD 0.1", "moons", {"n_samples": 200, "noise": 0.1},
                 (2, 16, 1), "tanh", "sigmoid", "bce", "sgd", 0.1, seed=2),
        Workload("W3", "spiral 3x300, 2-64-64-3 relu, CE, Adam 0.01", "spiral",
                 {"n_samples": 900, "n_classes": 3}, (2, 64, 64, 3), "relu", "softmax", "cross_entropy",
                 "adam", 0.01, seed=3),
        Workload("W4", "circles 1000, 2-8-8-8-1 tanh, BCE, SGD 0.03, batch 32", "circles",
                 {"n_samples": 1000, "noise": 0.1}, (2, 8, 8, 8, 1), "tanh", "sigmoid", "bce", "sgd", 0.03,
                 batch_size=32, seed=4),
        Workload("W5", "spiral 3x667, 2-(64x8)-3 relu, CE, Adam 0.003", "spiral",
                 {"n_samples": 2001, "n_classes": 3}, (2,) + (64,) * 8 + (3,), "relu", "softmax",
                 "cross_entropy", "adam", 0.003, seed=5),
    )
}  # fmt: skip
GRID_NETS = ("W2", "W3", "W5")
GRID_SIZES = (100, 200)
# Workload -> epochs of the correctness check. W3 stops at 20: beyond ~50 epochs ReLU + Adam amplify
# float rounding until runs differ by a few % (nn_core float32 vs float64 too), which says nothing about
# whether the peers compute the same thing.
CHECKS = {"W2": 300, "W3": 20}

# Targets from perf-anchors.md: (max nn_core median seconds, min torch/nn_core ratio); None = no target.
TARGETS = {
    "W1": (20e-6, 10.0),
    "W1-f64": (20e-6, None),
    "W2": (40e-6, 10.0),
    "W3": (1e-3, 1.5),
    "W4": (1.3e-3, 10.0),
    "W5": (11e-3, 1.0),
    "G-W3-100": (4e-3, None),
}


def make_data(wl):
    """The workload's (X float64 (n, 2), y int64 (n,))."""
    return nn_core.make_dataset(wl.dataset, rng=wl.seed, **wl.data)


def glorot_weights(sizes, seed):
    """Glorot-uniform weights (fan_in, fan_out) and zero biases, float64, drawn once for all peers."""
    rng = np.random.default_rng(seed)
    weights, biases = [], []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        weights.append(rng.uniform(-limit, limit, (fan_in, fan_out)))
        biases.append(np.zeros(fan_out))
    return weights, biases


def grid(size):
    """A size x size grid over [-6, 6]^2 as (size**2, 2) float64 points."""
    axis = np.linspace(-6.0, 6.0, size)
    xx, yy = np.meshgrid(axis, axis)
    return np.column_stack([xx.ravel(), yy.ravel()])
