"""pca_2d and project: against an eigendecomposition of the covariance (an independent oracle), on
a hand-made line, under the sign convention, on degenerate input, and their argument checks."""

import numpy as np
import pytest

from nn_core.projection import pca_2d, project


def correlated(n=200, k=5, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, k)) @ rng.normal(size=(k, k)) + rng.normal(size=k)


def oracle(A):
    """Top-2 eigenvectors (columns, up to sign) and eigenvalue shares of the covariance of A."""
    values, vectors = np.linalg.eigh(np.cov(A, rowvar=False))
    order = np.argsort(values)[::-1]
    return vectors[:, order[:2]], values[order[:2]] / values.sum()


def test_pca_2d_components_and_shares_match_the_covariance_eigendecomposition():
    A = correlated()
    coords, components, explained, mean = pca_2d(A)
    vectors, shares = oracle(A)
    for i in range(2):  # equal up to sign: the sign is pca_2d's own convention, tested below
        assert abs(components[:, i] @ vectors[:, i]) == pytest.approx(1.0, abs=1e-10)
    np.testing.assert_allclose(explained, shares, rtol=1e-10)
    np.testing.assert_allclose(mean, A.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(coords, (A - A.mean(axis=0)) @ components, atol=1e-10)
    np.testing.assert_allclose(components.T @ components, np.eye(2), atol=1e-12)


def test_pca_2d_points_on_a_known_line_give_that_line_and_no_second_axis():
    t = np.linspace(-2.0, 3.0, 11)
    A = np.array([1.0, 2.0]) + t[:, None] * np.array([0.6, 0.8])  # the unit direction (3, 4) / 5
    coords, components, explained, mean = pca_2d(A)
    np.testing.assert_allclose(components[:, 0], [0.6, 0.8], atol=1e-12)
    np.testing.assert_array_equal(components[:, 1], [0.0, 0.0])  # no variance: a zero axis
    np.testing.assert_allclose(explained, [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(coords[:, 0], t - t.mean(), atol=1e-12)
    np.testing.assert_array_equal(coords[:, 1], 0.0)
    np.testing.assert_allclose(mean, [1.0 + 0.6 * t.mean(), 2.0 + 0.8 * t.mean()])


def test_pca_2d_each_axis_largest_loading_is_positive():
    for seed in range(5):
        _, components, _, _ = pca_2d(correlated(seed=seed))
        for column in components.T:
            assert column[np.argmax(np.abs(column))] > 0


def test_pca_2d_same_cloud_gives_the_same_picture_whatever_the_row_order_or_mirror():
    """The SVD may return either sign; the convention fixes it, so the picture cannot flip between
    two epochs whose activations are (nearly) the same."""
    A = correlated()
    _, reference, _, _ = pca_2d(A)
    rows = np.random.default_rng(1).permutation(len(A))
    for other in (A[rows], -A, 2 * A + 7):
        _, components, _, _ = pca_2d(other)
        np.testing.assert_allclose(components, reference, atol=1e-10)


def test_pca_2d_one_column_pads_a_zero_second_axis():
    a = np.array([[3.0], [1.0], [2.0]])
    coords, components, explained, mean = pca_2d(a)
    np.testing.assert_array_equal(components, [[1.0, 0.0]])
    np.testing.assert_allclose(coords, [[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]])
    np.testing.assert_array_equal(explained, [1.0, 0.0])
    np.testing.assert_array_equal(mean, [2.0])


def test_pca_2d_constant_column_gets_no_loading():
    A = correlated(k=3)
    A = np.column_stack([A[:, 0], np.full(len(A), 5.0), A[:, 1:]])  # a dead unit, say
    _, components, explained, _ = pca_2d(A)
    np.testing.assert_allclose(components[1], 0.0, atol=1e-12)
    assert explained.sum() <= 1.0 + 1e-12


@pytest.mark.parametrize(
    "A",
    [np.full((6, 3), 2.5), np.zeros((4, 1)), np.array([[1.0, 2.0, 3.0]])],
    ids=["constant", "zeros-one-column", "one-sample"],
)
def test_pca_2d_without_variance_gives_zero_axes_and_no_warnings(A):
    """pytest turns warnings into errors: a 0/0 share would fail here."""
    coords, components, explained, mean = pca_2d(A)
    assert coords.shape == (len(A), 2) and components.shape == (A.shape[1], 2)
    np.testing.assert_array_equal(coords, 0.0)
    np.testing.assert_array_equal(components, 0.0)
    np.testing.assert_array_equal(explained, [0.0, 0.0])
    np.testing.assert_array_equal(mean, A.mean(axis=0))


def test_pca_2d_float32_and_int_input_give_float64_and_leave_the_input_alone():
    A = correlated().astype(np.float32)
    before = A.copy()
    coords, components, explained, mean = pca_2d(A)
    assert {a.dtype for a in (coords, components, explained, mean)} == {np.dtype(np.float64)}
    np.testing.assert_array_equal(A, before)
    _, components_int, _, _ = pca_2d(np.array([[0, 0], [1, 2], [2, 4]]))
    np.testing.assert_allclose(components_int[:, 0], np.array([1.0, 2.0]) / np.sqrt(5.0))


def test_project_puts_the_fitted_rows_where_pca_2d_did_and_new_rows_by_the_formula():
    A = correlated()
    coords, components, _, mean = pca_2d(A)
    np.testing.assert_allclose(project(A, mean, components), coords, atol=1e-12)
    B = np.random.default_rng(3).normal(size=(7, 5))
    expected = np.array([[(row - mean) @ components[:, i] for i in range(2)] for row in B])
    np.testing.assert_allclose(project(B, mean, components), expected, atol=1e-12)


@pytest.mark.parametrize(
    "A",
    [np.zeros(3), np.zeros((0, 2)), np.array([[1.0, np.nan]]), np.array([["a", "b"]]), np.zeros((2, 2, 2))],
    ids=["1-D", "no-rows", "nan", "strings", "3-D"],
)
def test_pca_2d_rejects_what_is_not_a_finite_matrix(A):
    with pytest.raises(ValueError, match=r"^A must .*got"):
        pca_2d(A)


def test_project_rejects_shapes_that_do_not_fit():
    A = correlated(k=3)
    _, components, _, mean = pca_2d(A)
    with pytest.raises(ValueError, match=r"^A must have shape \(n_samples, n_features\).*got shape \(4,\)"):
        project(np.zeros(4), mean, components)
    with pytest.raises(ValueError, match=r"^mean must be finite with shape \(3,\).*got shape \(2,\)"):
        project(A, mean[:2], components)
    with pytest.raises(ValueError, match=r"^mean must .*got shape \(3,\)"):
        project(A, np.array([0.0, np.inf, 0.0]), components)
    with pytest.raises(
        ValueError, match=r"^components must be finite with shape \(3, 2\); got shape \(2, 2\)"
    ):
        project(A, mean, components[:2])
    with pytest.raises(ValueError, match=r"^components must .*got shape \(3, 1\)"):
        project(A, mean, components[:, :1])
    with pytest.raises(
        ValueError, match=r"^mean must be finite with shape \(2,\) like A's columns; got shape \(3,\)"
    ):
        project(A[:, :2], mean, components)  # A's columns must match the fitted layer's
