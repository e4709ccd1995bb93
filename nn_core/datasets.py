"""Toy 2-D datasets, and a seeded train/test split.

All points live in roughly [-6, 6]^2, TensorFlow Playground's plane, so the same boundary grid and the
same engineered features (``sin x1``, ``x1 * x2``) suit every dataset. Labels are ints 0..n_classes-1;
regression targets are floats in about [-1, 1]. ``noise`` is in [0, 1] and means, for each dataset:

- ``xor``, ``circles``, ``moons``, ``spiral``: Gaussian jitter of the points (std ``noise * scale``,
  the scale set so that 0.5 makes the classes overlap clearly);
- ``gaussian``, ``blobs``: the spread of each cluster, from tight (0) to overlapping (1);
- ``above_sine``, ``above_cubic``, ``above_abs``, ``star`` (which side of a curve): label noise near
  the curve (a point at distance d flips with probability ``noise / 2 * exp(-d)``);
- ``plane``, ``multi_gaussian`` (regression): Gaussian noise on the targets (std ``noise / 2``);
- ``xor_table``: the first tutorial's 4 points; ``n_samples`` and ``noise`` do not apply.

Every generator is ``gen(n_samples, noise, n_classes, rng) -> (X (n, 2) float64, y (n,))``; the points
are shuffled, and the same ``rng`` seed gives the same arrays. A ``DatasetSpec`` holds a generator
with its facts: the task, how many classes it accepts, the square its points live in (``domain``,
where a boundary grid should span) and, for ``xor_table``, its fixed number of points.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nn_core._checks import as_rng, check_choice, check_float, check_int

if TYPE_CHECKING:
    from nn_core._types import DatasetGenerator, FloatArray, IntArray

PLANE = (-6.0, 6.0)  # TensorFlow Playground's square, [-6, 6]^2


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset generator and its facts.

    classes : (min, max) n_classes accepted; max None = any (regression: (2, 2), ignored).
    domain : (low, high): the points lie in about [low, high]^2, where a boundary grid should span.
    n_points : the fixed number of points it always returns (xor_table: 4), or None: n_samples.
    """

    name: str
    generate: DatasetGenerator
    task: str  # "classification" or "regression"
    classes: tuple[int, int | None]
    domain: tuple[float, float] = PLANE
    n_points: int | None = None

    @property
    def multiclass(self) -> bool:
        """True if it can make more than 2 classes (spiral, blobs)."""
        return self.task == "classification" and (self.classes[1] is None or self.classes[1] > 2)


def _per_class(n_samples: int, n_classes: int) -> list[int]:
    """How many points each class gets: as equal as possible, summing to n_samples."""
    return [n_samples // n_classes + (k < n_samples % n_classes) for k in range(n_classes)]


def _jitter(X: FloatArray, std: float, rng: np.random.Generator) -> FloatArray:
    return X + rng.normal(0.0, std, X.shape) if std > 0 else X


def xor(
    n_samples: int, noise: float, n_classes: int, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """Uniform in [-5, 5]^2, kept 0.3 from the axes; label 1 where x1 * x2 > 0 (TF Playground's)."""
    X = rng.uniform(-5, 5, (n_samples, 2))
    X += np.where(X > 0, 0.3, -0.3)
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    return _jitter(X, 2.0 * noise, rng), y


def circles(
    n_samples: int, noise: float, n_classes: int, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """Label 1 inside radius 2.5, label 0 on the ring 3.5..5 (TF Playground's circle)."""
    n_out, n_in = _per_class(n_samples, 2)
    radius = np.concatenate([rng.uniform(3.5, 5, n_out), rng.uniform(0, 2.5, n_in)])
    angle = rng.uniform(0, 2 * np.pi, n_samples)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    y = np.repeat([0, 1], [n_out, n_in])
    return _jitter(X, 1.5 * noise, rng), y


def moons(
    n_samples: int, noise: float, n_classes: int, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """scikit-learn's two interleaving half circles, scaled by 3 and centred on the origin."""
    n_top, n_bottom = _per_class(n_samples, 2)
    t_top, t_bottom = rng.uniform(0, np.pi, n_top), rng.uniform(0, np.pi, n_bottom)
    top = np.column_stack([np.cos(t_top), np.sin(t_top)])
    bottom = np.column_stack([1 - np.cos(t_bottom), 0.5 - np.sin(t_bottom)])
    X = 3.0 * (np.vstack([top, bottom]) - [0.5, 0.25])
    y = np.repeat([0, 1], [n_top, n_bottom])
    return _jitter(X, 2.0 * noise, rng), y


def gaussian(
    n_samples: int, noise: float, n_classes: int, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """Two Gaussian clusters at (-2, -2) (label 0) and (2, 2) (label 1); std 0.7 + 2.6 * noise."""
    counts = _per_class(n_samples, 2)
    centres = np.repeat([[-2.0, -2.0], [2.0, 2.0]], counts, axis=0)
    return centres + rng.normal(0, 0.7 + 2.6 * noise, (n_samples, 2)), np.repeat([0, 1], counts)


def blobs(
    n_samples: int, noise: float, n_classes: int, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """``n_classes`` Gaussian clusters on a circle of radius 4; std 0.5 + 2 * noise."""
    counts = _per_class(n_samples, n_classes)
    angles = 2 * np.pi * np.arange(n_classes) / n_classes + np.pi / 4
    centres = 4.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    X = np.repeat(centres, counts, axis=0) + rng.normal(0, 0.5 + 2.0 * noise, (n_samples, 2))
    return X, np.repeat(np.arange(n_classes), counts)


def spiral(
    n_samples: int, noise: float, n_classes: int, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """``n_classes`` arms, each 1.75 turns from the centre out to radius 5 (cs231n / TF Playground)."""
    counts = _per_class(n_samples, n_classes)
    y = np.repeat(np.arange(n_classes), counts)
    r = np.concatenate([np.linspace(0.0, 5.0, c, endpoint=False) + 5.0 / max(c, 1) for c in counts])
    angle = 1.75 * 2 * np.pi * r / 5.0 + 2 * np.pi * y / n_classes
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    return _jitter(X, 1.0 * noise, rng), y


def xor_table(
    n_samples: int, noise: float, n_classes: int, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """The tutorial's truth table: (0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0. Not shuffled."""
    return np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1, 0])


# --- boundary datasets: points labelled by the side of a curve they fall on -------------------------
# TF Playground's users asked for them (its issue #252): y above sin(x), a cubic, |x|. The points are
# uniform in [-5, 5]^2; ``noise`` flips labels, and only near the boundary, where a real measurement
# would be unsure: a point at distance d from the curve flips with probability noise/2 * exp(-d).


def label_by_side(
    X: FloatArray, gap: FloatArray, noise: float, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """Label 1 where ``gap`` (a signed distance to the boundary, positive on the 1 side) > 0, each
    label flipped with probability noise / 2 * exp(-|gap|)."""
    y = (gap > 0).astype(np.int64)
    flip = rng.uniform(size=len(y)) < 0.5 * noise * np.exp(-np.abs(gap))
    return X, np.where(flip, 1 - y, y)


def uniform_points(n_samples: int, rng: np.random.Generator) -> FloatArray:
    return rng.uniform(-5, 5, (n_samples, 2))


def above_sine(
    n_samples: int, noise: float, n_classes: int, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """Label 1 above the wave x2 = 2.5 sin(x1) (a period and a half across the plane)."""
    X = uniform_points(n_samples, rng)
    return label_by_side(X, X[:, 1] - 2.5 * np.sin(X[:, 0]), noise, rng)


def above_cubic(
    n_samples: int, noise: float, n_classes: int, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """Label 1 above the cubic x2 = x1^3 / 25 (from -5 to 5 across the plane)."""
    X = uniform_points(n_samples, rng)
    return label_by_side(X, X[:, 1] - X[:, 0] ** 3 / 25, noise, rng)


def above_abs(
    n_samples: int, noise: float, n_classes: int, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """Label 1 above the V x2 = |x1| - 2."""
    X = uniform_points(n_samples, rng)
    return label_by_side(X, X[:, 1] - (np.abs(X[:, 0]) - 2), noise, rng)


def star(
    n_samples: int, noise: float, n_classes: int, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """Label 1 inside a five-pointed star: radius 3 + 1.5 cos(5 angle), points up."""
    X = uniform_points(n_samples, rng)
    radius, angle = np.hypot(X[:, 0], X[:, 1]), np.arctan2(X[:, 1], X[:, 0])
    return label_by_side(X, 3 + 1.5 * np.cos(5 * (angle - np.pi / 2)) - radius, noise, rng)


def plane(
    n_samples: int, noise: float, n_classes: int, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    """Uniform in [-6, 6]^2, target (x1 + x2) / 12 in [-1, 1] (TF Playground's reg-plane)."""
    X = rng.uniform(-6, 6, (n_samples, 2))
    return X, X.sum(axis=1) / 12 + rng.normal(0, 0.5 * noise, n_samples)


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])
_BUMPS.setflags(write=False)  # (x, y, sign) of each bump; a module constant


def multi_gaussian(
    n_samples: int, noise: float, n_classes: int, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    """Uniform in [-6, 6]^2; six Gaussian bumps of alternating sign; the target is the bump value
    with the largest magnitude at each point (TF Playground's reg-gauss)."""
    X = rng.uniform(-6, 6, (n_samples, 2))
    dist2 = ((X[:, None, :] - _BUMPS[None, :, :2]) ** 2).sum(axis=2)
    values = _BUMPS[:, 2] * np.exp(-dist2 / (2 * 1.2**2))  # (n, 6)
    y = values[np.arange(n_samples), np.abs(values).argmax(axis=1)]
    return X, y + rng.normal(0, 0.5 * noise, n_samples)


DATASETS = MappingProxyType(
    {
        s.name: s
        for s in (
            DatasetSpec("xor", xor, "classification", (2, 2)),
            DatasetSpec("circles", circles, "classification", (2, 2)),
            DatasetSpec("moons", moons, "classification", (2, 2)),
            DatasetSpec("gaussian", gaussian, "classification", (2, 2)),
            DatasetSpec("spiral", spiral, "classification", (2, None)),
            DatasetSpec("blobs", blobs, "classification", (1, None)),
            DatasetSpec("above_sine", above_sine, "classification", (2, 2)),
            DatasetSpec("above_cubic", above_cubic, "classification", (2, 2)),
            DatasetSpec("above_abs", above_abs, "classification", (2, 2)),
            DatasetSpec("star", star, "classification", (2, 2)),
            DatasetSpec("xor_table", xor_table, "classification", (2, 2), domain=(-0.5, 1.5), n_points=4),
            DatasetSpec("plane", plane, "regression", (2, 2)),
            DatasetSpec("multi_gaussian", multi_gaussian, "regression", (2, 2)),
        )
    }
)


def make_dataset(
    name: str,
    *,
    n_samples: int = 200,
    noise: float = 0.0,
    n_classes: int = 2,
    rng: int | np.random.Generator | None = None,
) -> tuple[FloatArray, npt.NDArray[Any]]:
    """Generate dataset ``name`` (a key of ``DATASETS``).

    Returns
    -------
    X : (n_samples, 2) float64; y : (n_samples,) int64 labels, or float64 targets for regression.
    A dataset with a fixed ``n_points`` (``xor_table``: 4) returns those, in their order.
    """
    spec = DATASETS[check_choice("name", name, DATASETS)]
    n_samples = check_int("n_samples", n_samples, low=1)
    noise = check_float("noise", noise, low=0.0, high=1.0)
    low, high = spec.classes
    n_classes = check_int("n_classes", n_classes, low=low, high=high)
    if spec.task == "classification" and n_samples < n_classes and spec.n_points is None:
        raise ValueError(f"n_samples must be >= n_classes={n_classes}; got {n_samples}")
    rng = as_rng(rng)
    X, y = spec.generate(n_samples, noise, n_classes, rng)
    if spec.n_points is None:  # a fixed table keeps its order, as the tutorial lists it
        order = rng.permutation(len(X))
        X, y = X[order], y[order]
    y = y.astype(np.int64) if spec.task == "classification" else y.astype(np.float64)
    return np.ascontiguousarray(X, dtype=np.float64), y


def train_test_split(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    test_fraction: float = 0.5,
    rng: int | np.random.Generator | None = None,
) -> tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any]]:
    """Shuffle the rows with ``rng`` and split off ``round(test_fraction * n)`` of them for testing.

    Returns (X_train, X_test, y_train, y_test); the training part keeps at least one row.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(f"X must have shape (n_samples, n_features) with n_samples >= 1; got {X.shape}")
    if y.shape[:1] != X.shape[:1]:
        raise ValueError(f"y must have {len(X)} rows like X; got shape {y.shape}")
    test_fraction = check_float("test_fraction", test_fraction, low=0.0, high=1.0, high_open=True)
    n_test = min(int(round(test_fraction * len(X))), len(X) - 1)
    order = as_rng(rng).permutation(len(X))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
