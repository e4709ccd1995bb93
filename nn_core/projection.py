"""Principal component analysis onto two axes, for pictures of a layer's activations.

``pca_2d(A)`` fits the plane that keeps the most variance of ``A (n_samples, k)`` (rows are samples,
as everywhere in ``nn_core``); ``project(A, mean, components)`` maps other rows onto that plane
with the same basis, so the data and, say, a grid of test points land in one picture.

Notes: with ``C = A - mean`` and the thin SVD ``C = U S V^T``, the principal axes are the first
rows of ``V^T`` and the variance along axis ``i`` is ``S[i]**2 / (n_samples - 1)``; the explained
variance ratio is ``S[i]**2 / sum(S**2)``. Two conventions make the picture steady while a network
trains: each axis is signed so that its largest-|loading| entry is positive (an SVD may return
either sign), and an axis without variance (``k == 1``, a single sample, constant or collinear
columns) is the zero vector, so it is not an arbitrary direction that jumps between epochs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nn_core._checks import check_matrix

if TYPE_CHECKING:
    from nn_core._types import F64


N_AXES = 2


def pca_2d(A: npt.ArrayLike) -> tuple[F64, F64, F64, F64]:
    """The two principal axes of ``A`` and the data's coordinates along them.

    Parameters
    ----------
    A : (n_samples, k), finite real numbers, n_samples >= 1, k >= 1.

    Returns
    -------
    coords : (n_samples, 2) float64, ``(A - mean) @ components``.
    components : (k, 2) float64; column ``i`` is axis ``i`` (unit length, or zero without variance).
    explained : (2,) float64, each axis's share of the total variance (0 when there is none).
    mean : (k,) float64, the column means.
    """
    A = check_matrix("A", A).astype(np.float64)
    mean = A.mean(axis=0)
    centered = A - mean
    _, s, Vt = np.linalg.svd(centered, full_matrices=False)
    # numpy.linalg.matrix_rank's tolerance: singular values below it are rounding noise.
    tol = s.max(initial=0.0) * max(centered.shape) * np.finfo(np.float64).eps
    n = min(N_AXES, int(np.count_nonzero(s > tol)))
    components = np.zeros((A.shape[1], N_AXES))
    components[:, :n] = _signed(Vt[:n].T)
    explained = np.zeros(N_AXES)
    total = float(np.sum(s**2))
    if n:  # n > 0 implies total > 0: no division by zero
        explained[:n] = s[:n] ** 2 / total
    return centered @ components, components, explained, mean


def project(A: npt.ArrayLike, mean: npt.ArrayLike, components: npt.ArrayLike) -> F64:
    """Coordinates of the rows of ``A (n, k)`` on the axes of ``pca_2d``: ``(A - mean) @ components``.

    ``mean (k,)`` and ``components (k, 2)`` as ``pca_2d`` returned them. Returns (n, 2) float64.
    """
    A = check_matrix("A", A).astype(np.float64)
    k = A.shape[1]
    mean = np.asarray(mean)
    components = np.asarray(components)
    if mean.shape != (k,) or not _is_finite_real(mean):
        raise ValueError(f"mean must be finite with shape ({k},) like A's columns; got shape {mean.shape}")
    if components.shape != (k, N_AXES) or not _is_finite_real(components):
        raise ValueError(
            f"components must be finite with shape ({k}, {N_AXES}); got shape {components.shape}"
        )
    coords: F64 = (A - mean) @ components
    return coords


def _signed(axes: F64) -> F64:
    """``axes (k, m)`` with each column's sign flipped so its largest-|value| entry is positive
    (the first such entry on a tie): the same data gives the same picture, never a mirror image."""
    rows = np.argmax(np.abs(axes), axis=0)
    signs = np.where(axes[rows, np.arange(axes.shape[1])] < 0, -1.0, 1.0)
    signed: F64 = axes * signs
    return signed


def _is_finite_real(a: npt.NDArray[Any]) -> bool:
    return np.issubdtype(a.dtype, np.number) and not np.iscomplexobj(a) and bool(np.all(np.isfinite(a)))
