"""Every registry key has a complete record, and the facts on it are true: an activation's steepest
slope and kinks against central differences of its own forward pass, a dataset's domain, fixed
size and class range against what ``make_dataset`` generates."""

import numpy as np
import pytest

import nn_core
from nn_core import diagnostics

ALL_ACTIVATIONS = {**nn_core.ACTIVATIONS, **nn_core.OUTPUTS}
Z = np.linspace(-8.0, 8.0, 16001)  # includes 0.0 exactly, step 1e-3


def _slopes(activation, z, eps=1e-6):
    """dA_i/dZ_i by central differences, one unit per row (softmax: a row of [z, 0])."""
    if activation.name == "softmax":
        up = activation.forward(np.column_stack([z + eps, np.zeros_like(z)]))[:, 0]
        down = activation.forward(np.column_stack([z - eps, np.zeros_like(z)]))[:, 0]
    else:
        up = activation.forward((z + eps)[:, None])[:, 0]
        down = activation.forward((z - eps)[:, None])[:, 0]
    return (up - down) / (2 * eps)


@pytest.mark.parametrize("name", sorted(ALL_ACTIVATIONS))
def test_activation_record_is_complete(name):
    """name, forward, backward, max_slope > 0 and a tuple of float kinks on every record."""
    a = ALL_ACTIVATIONS[name]
    assert a.name == name and callable(a.forward) and callable(a.backward)
    assert isinstance(a.max_slope, float) and a.max_slope > 0
    assert isinstance(a.kinks, tuple) and all(isinstance(k, float) for k in a.kinks)


@pytest.mark.parametrize("name", sorted(ALL_ACTIVATIONS))
def test_activation_max_slope_is_the_steepest_finite_difference(name):
    """max over z of g'(z), from central differences of forward(), equals the record's max_slope
    (softplus' slope, sigmoid(z), approaches its maximum 1 only for large z: hence 16 and 32)."""
    z = np.concatenate([Z, [16.0, 32.0]])
    away = np.ones(z.shape, dtype=bool)  # central differences straddling a kink average two slopes
    for kink in ALL_ACTIVATIONS[name].kinks:
        away &= np.abs(z - kink) > 1e-5
    assert _slopes(ALL_ACTIVATIONS[name], z[away]).max() == pytest.approx(
        ALL_ACTIVATIONS[name].max_slope, rel=1e-6
    )


@pytest.mark.parametrize("name", sorted(ALL_ACTIVATIONS))
def test_activation_kinks_are_where_the_slope_jumps(name):
    """The slope jumps by more than 0.5 across each kink and changes smoothly everywhere else."""
    a = ALL_ACTIVATIONS[name]
    for kink in a.kinks:
        left, right = _slopes(a, np.array([kink - 1e-3, kink + 1e-3]))
        assert abs(right - left) > 0.5
    steps = np.abs(np.diff(_slopes(a, Z)))
    near_kink = np.zeros(len(steps), dtype=bool)
    for kink in a.kinks:
        near_kink |= np.abs(Z[:-1] - kink) < 2e-3
    assert steps[~near_kink].max() < 1e-2


def test_diagnostics_max_slope_reads_the_activation_records():
    """diagnostics.MAX_SLOPE is derived from ACTIVATIONS, so the two cannot disagree."""
    assert dict(diagnostics.MAX_SLOPE) == {n: a.max_slope for n, a in nn_core.ACTIVATIONS.items()}


@pytest.mark.parametrize("name", sorted(nn_core.DATASETS))
def test_dataset_record_is_complete(name):
    """task, class range, a domain low < high and n_points None or >= 1 on every record."""
    spec = nn_core.DATASETS[name]
    assert spec.name == name and callable(spec.generate)
    assert spec.task in ("classification", "regression")
    low, high = spec.classes
    assert low >= 1 and (high is None or high >= low)
    assert spec.domain[0] < spec.domain[1]
    assert spec.n_points is None or spec.n_points >= 1
    assert spec.multiclass == (name in ("spiral", "blobs"))


@pytest.mark.parametrize("name", sorted(nn_core.DATASETS))
def test_dataset_points_lie_in_the_domain_and_fixed_sizes_hold(name):
    """Noise-free points lie inside [low, high]^2; a fixed-size dataset returns n_points rows."""
    spec = nn_core.DATASETS[name]
    n_classes = 3 if spec.multiclass else 2
    X, y = nn_core.make_dataset(name, n_samples=300, noise=0.0, n_classes=n_classes, rng=0)
    low, high = spec.domain
    assert X.min() >= low and X.max() <= high
    assert len(X) == (300 if spec.n_points is None else spec.n_points)
    if spec.multiclass:
        assert set(np.unique(y)) == {0, 1, 2}
