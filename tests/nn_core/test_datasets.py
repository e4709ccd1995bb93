"""Datasets: shapes, dtypes, labels, the documented geometry at noise 0, seeding, and the split."""

import numpy as np
import pytest

import nn_core

NAMES = sorted(nn_core.DATASETS)
REGRESSION = {"plane", "multi_gaussian"}
CLASSIFICATION = sorted(set(NAMES) - REGRESSION)
RANDOM = sorted(set(NAMES) - {"xor_table"})  # xor_table is a fixed table


def test_dataset_registry_names():
    """The thirteen documented datasets."""
    assert set(NAMES) == {
        "xor", "circles", "moons", "gaussian", "spiral", "blobs", "xor_table", "plane", "multi_gaussian",
        "above_sine", "above_cubic", "above_abs", "star",
    }  # fmt: skip


# Each boundary dataset's curve, written again here from its docstring: label 1 on the positive side.
BOUNDARIES = {
    "above_sine": lambda x1, x2: x2 - 2.5 * np.sin(x1),
    "above_cubic": lambda x1, x2: x2 - x1**3 / 25,
    "above_abs": lambda x1, x2: x2 - (np.abs(x1) - 2),
    "star": lambda x1, x2: 3 + 1.5 * np.cos(5 * (np.arctan2(x2, x1) - np.pi / 2)) - np.hypot(x1, x2),
}


@pytest.mark.parametrize("name", sorted(BOUNDARIES))
def test_boundary_datasets_label_by_the_side_of_their_curve(name):
    """Without noise every label is the side of the curve; both sides are well represented."""
    X, y = nn_core.make_dataset(name, n_samples=2000, noise=0.0, rng=3)
    side = (BOUNDARIES[name](X[:, 0], X[:, 1]) > 0).astype(np.int64)
    assert np.array_equal(y, side)
    assert 0.2 < y.mean() < 0.8 and np.abs(X).max() <= 5


@pytest.mark.parametrize("name", sorted(BOUNDARIES))
def test_boundary_noise_flips_labels_only_near_the_curve(name):
    """noise = 1: about half the points at the curve flip (noise / 2 at distance 0), and almost none far
    away (exp(-3) / 2 = 2.5 % at distance 3); the points themselves do not move."""
    X0, y0 = nn_core.make_dataset(name, n_samples=20000, noise=0.0, rng=5)
    X1, y1 = nn_core.make_dataset(name, n_samples=20000, noise=1.0, rng=5)
    assert np.array_equal(X0, X1)
    gap = np.abs(BOUNDARIES[name](X0[:, 0], X0[:, 1]))
    flipped = y0 != y1
    assert 0.3 < flipped[gap < 0.2].mean() < 0.55
    assert flipped[gap > 3].mean() < 0.04


@pytest.mark.parametrize("name", NAMES)
def test_dataset_x_is_finite_float64_n_by_2(name):
    """X is (n_samples, 2) float64, finite, in roughly [-6, 6]^2 (xor_table: always 4 points)."""
    X, y = nn_core.make_dataset(name, n_samples=60, noise=0.3, rng=0)
    n = 4 if name == "xor_table" else 60
    assert X.shape == (n, 2) and X.dtype == np.float64 and X.flags.c_contiguous
    assert y.shape == (n,)
    assert np.all(np.isfinite(X)) and np.abs(X).max() < 8


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_classification_dataset_int_labels_every_class_present(name):
    """Classification: int64 labels 0..k-1, every class present."""
    _, y = nn_core.make_dataset(name, n_samples=60, noise=0.3, rng=1)
    assert y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1}


@pytest.mark.parametrize("name", sorted(REGRESSION))
def test_regression_dataset_float_targets(name):
    """Regression (plane, multi_gaussian): finite float64 targets in about [-1, 1]."""
    _, y = nn_core.make_dataset(name, n_samples=60, noise=0.0, rng=1)
    assert y.dtype == np.float64 and np.all(np.isfinite(y))
    assert np.abs(y).max() <= 1.0


@pytest.mark.parametrize("n_samples", [2, 7, 51])
@pytest.mark.parametrize("name", RANDOM)
def test_dataset_n_samples_honoured(name, n_samples):
    """n_samples rows come back, for every generated dataset."""
    X, y = nn_core.make_dataset(name, n_samples=n_samples, rng=0)
    assert len(X) == len(y) == n_samples


@pytest.mark.parametrize("name", sorted(REGRESSION))
def test_regression_dataset_single_sample(name):
    """A regression dataset can have a single sample (no class needs to be present)."""
    X, y = nn_core.make_dataset(name, n_samples=1, rng=0)
    assert X.shape == (1, 2) and y.shape == (1,)


def test_xor_table_is_the_tutorial_truth_table():
    """(0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0, whatever n_samples and noise."""
    X, y = nn_core.make_dataset("xor_table", n_samples=500, noise=0.9, rng=3)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])


@pytest.mark.parametrize("n_classes", [3, 5])
@pytest.mark.parametrize("name", ["spiral", "blobs"])
def test_multiclass_dataset_balanced_classes(name, n_classes):
    """spiral and blobs with k classes: labels 0..k-1, counts as equal as possible."""
    X, y = nn_core.make_dataset(name, n_samples=52, noise=0.2, n_classes=n_classes, rng=0)
    counts = np.bincount(y)
    assert len(counts) == n_classes and X.shape == (52, 2)
    assert counts.sum() == 52 and counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", RANDOM)
def test_dataset_noise_changes_the_data(name):
    """noise=0 and noise=0.5 with the same seed give different data."""
    X0, y0 = nn_core.make_dataset(name, n_samples=40, noise=0.0, rng=0)
    X1, y1 = nn_core.make_dataset(name, n_samples=40, noise=0.5, rng=0)
    assert not (np.array_equal(X0, X1) and np.array_equal(y0, y1))


@pytest.mark.parametrize("name", NAMES)
def test_dataset_same_seed_bit_for_bit_identical(name):
    """The same seed gives identical arrays."""
    X0, y0 = nn_core.make_dataset(name, n_samples=40, noise=0.3, rng=11)
    X1, y1 = nn_core.make_dataset(name, n_samples=40, noise=0.3, rng=11)
    assert np.array_equal(X0, X1) and np.array_equal(y0, y1)


@pytest.mark.parametrize("name", RANDOM)
def test_dataset_different_seeds_differ(name):
    """Different seeds give different points (at least their order)."""
    X0, _ = nn_core.make_dataset(name, n_samples=40, noise=0.3, rng=11)
    X1, _ = nn_core.make_dataset(name, n_samples=40, noise=0.3, rng=12)
    assert not np.array_equal(X0, X1)


# --- the documented geometry at noise 0 ---------------------------------------------------------


def test_xor_noise_free_label_is_sign_of_product():
    """xor: label 1 exactly where x1 * x2 > 0, and no point within 0.3 of an axis."""
    X, y = nn_core.make_dataset("xor", n_samples=100, rng=2)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] > 0).astype(int))
    assert np.abs(X).min() >= 0.3


def test_circles_noise_free_label_one_inside():
    """circles: label 1 within radius 2.5, label 0 on the ring 3.5..5."""
    X, y = nn_core.make_dataset("circles", n_samples=100, rng=2)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all(r[y == 1] <= 2.5) and np.all((r[y == 0] >= 3.5) & (r[y == 0] <= 5))


def test_plane_noise_free_target_is_scaled_sum():
    """plane: y = (x1 + x2) / 12 exactly when noise is 0."""
    X, y = nn_core.make_dataset("plane", n_samples=50, rng=2)
    np.testing.assert_allclose(y, (X[:, 0] + X[:, 1]) / 12, rtol=1e-15)


def test_spiral_noise_free_radius_at_most_five():
    """spiral: arms run from near the centre out to radius 5."""
    X, _ = nn_core.make_dataset("spiral", n_samples=90, n_classes=3, rng=2)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.max() <= 5 + 1e-12 and r.min() < 0.5


# --- train_test_split ---------------------------------------------------------------------------


@pytest.mark.parametrize("n,fraction", [(10, 0.3), (7, 0.5), (40, 0.25), (9, 0.0), (5, 0.9)])
def test_train_test_split_sizes_round_fraction(n, fraction):
    """The test part has round(fraction * n) rows (at most n - 1), the train part the rest."""
    X, y = np.arange(2 * n, dtype=float).reshape(n, 2), np.arange(n)
    X_tr, X_te, y_tr, y_te = nn_core.train_test_split(X, y, test_fraction=fraction, rng=0)
    n_test = min(round(fraction * n), n - 1)
    assert len(X_te) == len(y_te) == n_test and len(X_tr) == len(y_tr) == n - n_test


def test_train_test_split_disjoint_covering_and_paired():
    """Every row lands in exactly one part, and each X row keeps its own y."""
    X, y = np.arange(40, dtype=float).reshape(20, 2), np.arange(20)
    X_tr, X_te, y_tr, y_te = nn_core.train_test_split(X, y, test_fraction=0.35, rng=4)
    assert sorted(np.concatenate([y_tr, y_te]).tolist()) == list(range(20))
    np.testing.assert_array_equal(X_tr[:, 0], 2 * y_tr)
    np.testing.assert_array_equal(X_te[:, 0], 2 * y_te)


def test_train_test_split_reproducible_with_seed():
    """Same seed, same split; another seed, another split."""
    X, y = np.arange(60, dtype=float).reshape(30, 2), np.arange(30)
    a = nn_core.train_test_split(X, y, rng=8)
    b = nn_core.train_test_split(X, y, rng=8)
    c = nn_core.train_test_split(X, y, rng=9)
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not np.array_equal(a[3], c[3])
