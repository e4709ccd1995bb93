"""Metrics: worked examples by hand, then scikit-learn's ``sklearn.metrics`` as the oracle on random
data (a test-only dependency), argument checks, and what the trainer records every epoch."""

import json
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

import nn_core
from nn_core import metrics
from nn_core.losses import decode_labels
from nn_core.training_data import Dataset


# --- worked by hand ---------------------------------------------------------------------------
def test_confusion_and_scores_worked_by_hand():
    """7 samples of 3 classes. C = [[1, 1, 0], [0, 2, 0], [1, 0, 2]]: columns sum to 2, 3, 2 (predicted),
    rows to 2, 2, 3 (actual); precision = diag / column, recall = diag / row, F1 = 2 P R / (P + R)."""
    C = metrics.confusion_matrix([0, 0, 1, 1, 2, 2, 2], [0, 1, 1, 1, 2, 0, 2], 3)
    assert C.tolist() == [[1, 1, 0], [0, 2, 0], [1, 0, 2]]
    precision, recall, f1 = metrics.precision_recall_f1(C)
    np.testing.assert_allclose(precision, [1 / 2, 2 / 3, 1.0], rtol=1e-15)
    np.testing.assert_allclose(recall, [1 / 2, 1.0, 2 / 3], rtol=1e-15)
    np.testing.assert_allclose(f1, [0.5, 0.8, 0.8], rtol=1e-15)  # 2 * (2/3 * 1) / (2/3 + 1) = 0.8


def test_zero_over_zero_counts_as_zero():
    """Class 1 is never predicted (precision 0/0), class 2 never occurs (recall 0/0, precision 0/0):
    both get 0, and so does their F1; class 0: P = 2/3, R = 1, F1 = 0.8."""
    precision, recall, f1 = metrics.precision_recall_f1([[2, 0, 0], [1, 0, 0], [0, 0, 0]])
    np.testing.assert_allclose(precision, [2 / 3, 0.0, 0.0], rtol=1e-15)
    np.testing.assert_allclose(recall, [1.0, 0.0, 0.0])
    np.testing.assert_allclose(f1, [0.8, 0.0, 0.0], rtol=1e-15)


def test_regression_metrics_worked_by_hand():
    """y = 1, 2, 3, 4 and y_hat = 1, 3, 2, 4: errors 0, 1, -1, 0, so MSE 0.5, RMSE sqrt(0.5), MAE 0.5;
    mean(y) = 2.5, total sum of squares 2.25 + 0.25 + 0.25 + 2.25 = 5, R² = 1 - 2 / 5 = 0.6."""
    got = metrics.regression_metrics([1.0, 2.0, 3.0, 4.0], [1.0, 3.0, 2.0, 4.0])
    assert got == pytest.approx({"rmse": 0.5**0.5, "mae": 0.5, "r2": 0.6}, rel=1e-15)


@pytest.mark.parametrize(
    ("y_hat", "r2"), [([2.0, 2.0, 2.0], 1.0), ([2.0, 2.0, 3.0], 0.0), ([0.0, 0.0, 0.0], 0.0)]
)
def test_r2_of_constant_targets_is_one_if_exact_else_zero(y_hat, r2):
    """Constant targets: R² would be 0/0 or x/0; it is 1.0 for exact predictions, else 0.0, never NaN."""
    assert metrics.regression_metrics([2.0, 2.0, 2.0], y_hat)["r2"] == r2
    assert skm.r2_score([2.0, 2.0, 2.0], y_hat) == r2  # scikit-learn's choice (force_finite=True)


# --- against scikit-learn ---------------------------------------------------------------------
@st.composite
def label_pairs(draw):
    """(y_true, y_pred, k): up to 60 labels of k classes, some classes possibly missing on either side."""
    k = draw(st.integers(2, 6))  # (one class: scikit-learn warns; covered by hand below)
    n = draw(st.integers(0, 60))
    labels = st.lists(st.integers(0, k - 1), min_size=n, max_size=n)
    return np.array(draw(labels), dtype=np.int64), np.array(draw(labels), dtype=np.int64), k


@settings(max_examples=300, deadline=None)
@given(label_pairs())
def test_confusion_matrix_matches_sklearn(pair):
    y_true, y_pred, k = pair
    expected = (
        skm.confusion_matrix(y_true, y_pred, labels=list(range(k))) if len(y_true) else np.zeros((k, k))
    )
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred, k), expected)


@settings(max_examples=300, deadline=None)
@given(label_pairs())
def test_precision_recall_f1_per_class_match_sklearn(pair):
    """Every class, present or not, with scikit-learn's zero_division=0."""
    y_true, y_pred, k = pair
    if not len(y_true):
        return  # scikit-learn has nothing to score; ours is all zeros (below)
    expected = skm.precision_recall_fscore_support(y_true, y_pred, labels=list(range(k)), zero_division=0)
    got = metrics.precision_recall_f1(metrics.confusion_matrix(y_true, y_pred, k))
    for ours, theirs in zip(got, expected[:3]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


def test_one_class_is_a_one_by_one_matrix():
    C = metrics.confusion_matrix([0, 0, 0], [0, 0, 0], 1)
    assert C.tolist() == [[3]]
    assert [s.tolist() for s in metrics.precision_recall_f1(C)] == [[1.0]] * 3


def test_scores_of_no_samples_are_zero():
    C = metrics.confusion_matrix([], [], 3)
    assert C.tolist() == [[0] * 3] * 3
    assert all(s.tolist() == [0.0] * 3 for s in metrics.precision_recall_f1(C))


@pytest.mark.parametrize("shape", [(40,), (40, 1), (40, 3)])
@pytest.mark.parametrize("seed", range(20))
def test_regression_metrics_match_sklearn(shape, seed):
    """Random targets and predictions (every fifth draw: a constant target column), averaged over
    the columns as scikit-learn's multioutput="uniform_average"."""
    rng = np.random.default_rng(seed)
    y = rng.normal(0.0, rng.uniform(0.1, 100.0), size=shape)
    if seed % 5 == 0:
        y.reshape(len(y), -1)[:, 0] = 1.5  # (a view: sets y itself)
    y_hat = y + rng.normal(0.0, rng.uniform(0.01, 10.0), size=shape)
    got = metrics.regression_metrics(y, y_hat)
    assert got["rmse"] == pytest.approx(
        np.mean(np.sqrt(skm.mean_squared_error(y, y_hat, multioutput="raw_values"))), rel=1e-12
    )
    assert got["mae"] == pytest.approx(skm.mean_absolute_error(y, y_hat), rel=1e-12)
    assert got["r2"] == pytest.approx(skm.r2_score(y, y_hat), rel=1e-12, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(label_pairs())
def test_epoch_metrics_macro_f1_matches_sklearn(pair):
    """The recorded macro F1 (plain Python) is scikit-learn's f1_score(average="macro") over every class,
    and the recorded matrix is confusion_matrix of the decoded outputs."""
    y_true, y_pred, k = pair
    if not len(y_true):
        return
    k = max(k, 2)
    A = np.eye(k)[y_pred]  # one-hot outputs: argmax decodes them to y_pred
    got = metrics.epoch_metrics(A, Dataset(A, A, y_true), "softmax")
    assert got["confusion"] == metrics.confusion_matrix(y_true, y_pred, k).tolist()
    f1 = skm.f1_score(y_true, y_pred, labels=list(range(k)), average="macro", zero_division=0)
    assert got["macro_f1"] == pytest.approx(f1, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(("output", "A", "predicted"), [
    ("sigmoid", [[0.2], [0.7], [0.5]], [0, 1, 0]),  # threshold 0.5 (ties go to class 0)
    ("tanh", [[-0.3], [0.1], [0.0]], [0, 1, 0]),  # threshold 0: the targets are -1 and +1
    ("softmax", [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.2, 0.6, 0.2]], [2, 0, 1]),
])  # fmt: skip
def test_epoch_metrics_decode_each_output(output, A, predicted):
    """One output column is thresholded (as losses.decode_labels), several are argmaxed; the matrix
    has max(k, 2) classes."""
    A = np.array(A)
    labels = np.array([0, 1, 1])
    got = metrics.epoch_metrics(A, Dataset(A, A, labels), output)
    assert got["confusion"] == metrics.confusion_matrix(labels, predicted, max(A.shape[1], 2)).tolist()


NO_LABELS = Dataset(np.zeros((3, 2)), np.zeros((3, 1)), None)


# --- arguments --------------------------------------------------------------------------------
@pytest.mark.parametrize(("call", "message"), [
    (lambda: metrics.confusion_matrix([0, 1], [0, 1], 0), "n_classes must be an int >= 1; got 0"),
    (lambda: metrics.confusion_matrix([0, 1], [0, 1], 2.0), "n_classes must be an int >= 1; got 2.0"),
    (lambda: metrics.confusion_matrix([0, 2], [0, 1], 2), "y_true must hold labels in [0, 2); got"),
    (lambda: metrics.confusion_matrix([0, 1], [0, -1], 2), "y_pred must hold labels in [0, 2)"),
    (lambda: metrics.confusion_matrix([0.0, 1.0], [0, 1], 2), "y_true must be a 1-D array of integer labels"),
    (lambda: metrics.confusion_matrix([[0, 1]], [0, 1], 2), "got shape (1, 2)"),
    (lambda: metrics.confusion_matrix([0, 1, 1], [0, 1], 2), "the same length; got 3 and 2"),
    (lambda: metrics.precision_recall_f1([[1, 2]]), "confusion must be a (k, k) array"),
    (lambda: metrics.precision_recall_f1([[1.0, 2.0], [0.0, 1.0]]), "dtype float64"),
    (lambda: metrics.precision_recall_f1([[1, -2], [0, 1]]), "non-negative integer counts"),
    (lambda: metrics.regression_metrics([1.0, 2.0], [1.0]), "the same shape; got (2,) and (1,)"),
    (lambda: metrics.regression_metrics([], []), "y must be a non-empty"),
    (lambda: metrics.regression_metrics([1.0, np.nan], [1.0, 2.0]), "y must be finite; got 1 NaN/inf"),
    (lambda: metrics.regression_metrics([1.0, 2.0], [1.0, np.inf]), "y_hat must be finite"),
    (lambda: metrics.regression_metrics(["a"], ["b"]), "real numbers; got shape (1,), dtype <U1"),
    (lambda: metrics.epoch_metrics(np.zeros((3, 1)), NO_LABELS, "relu6"), "output must be one of"),
    (lambda: metrics.epoch_metrics(np.zeros((3, 2)), NO_LABELS, "linear"), "data.Y, (3, 1); got (3, 2)"),
    (lambda: metrics.record_metrics([], None), "train and val must be dicts"),
])  # fmt: skip
def test_bad_arguments_raise_value_error_naming_them(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert message in str(error.value)


# --- in the trainer's history -----------------------------------------------------------------
def _trained(output, loss, y_kind, n_out, epochs=3, val=True, batch_size=None):
    X, y = nn_core.make_dataset("spiral", n_samples=120, noise=0.2, n_classes=3, rng=1)
    if y_kind == "binary":
        y = (y == 0).astype(np.int64)
    elif y_kind == "regression":
        y = np.sin(X[:, 0]) + X[:, 1] ** 2
    X_tr, X_te, y_tr, y_te = nn_core.train_test_split(X, y, rng=1)
    model = nn_core.MLP([2, 6, n_out], activation="tanh", output=output, rng=0)
    trainer = nn_core.Trainer(
        model, loss=loss, optimizer="adam", learning_rate=0.05, batch_size=batch_size, rng=0
    )
    test = dict(X_val=X_te, y_val=y_te) if val else {}
    trainer.train(X_tr, y_tr, epochs, **test)
    return trainer, (X_tr, y_tr), (X_te, y_te)


@pytest.mark.parametrize(("output", "loss", "y_kind", "n_out"), [
    ("sigmoid", "bce", "binary", 1),
    ("tanh", "mse", "binary", 1),
    ("softmax", "cross_entropy", "multiclass", 3),
])  # fmt: skip
@pytest.mark.parametrize("batch_size", [None, 16])
def test_history_records_the_confusion_of_each_set(output, loss, y_kind, n_out, batch_size):
    """The last record's matrices are those of the final weights (recomputed here from model.forward),
    its diagonal over n is the recorded accuracy, and the record survives a JSON round trip."""
    trainer, *sets = _trained(output, loss, y_kind, n_out, batch_size=batch_size)
    record = trainer.history[-1]
    k = max(n_out, 2)
    for prefix, (X, y) in zip(("train", "val"), sets):
        C = metrics.confusion_matrix(y, decode_labels(trainer.model.forward(X), output), k)
        assert record[f"{prefix}_confusion"] == C.tolist()
        assert np.trace(C) / len(y) == pytest.approx(record[f"{prefix}_accuracy"], rel=1e-12)
        expected = skm.f1_score(y, decode_labels(trainer.model.forward(X), output), labels=list(range(k)),
                                average="macro", zero_division=0)  # fmt: skip
        assert record[f"{prefix}_macro_f1"] == pytest.approx(expected, rel=1e-12)
    assert json.loads(json.dumps(record)) == record
    assert all(f"{p}_{k}" in record for p in ("train", "val") for k in metrics.CLASSIFICATION_KEYS)
    assert not any(f"train_{k}" in record for k in metrics.REGRESSION_KEYS)


def test_history_records_regression_metrics_and_none_without_validation():
    trainer, (X, y), _ = _trained("linear", "mse", "regression", 1, val=False)
    record = trainer.history[-1]
    expected = metrics.regression_metrics(y, trainer.model.forward(X)[:, 0])
    # (float32 model: its forward pass here and in training may round differently)
    assert {k: record[f"train_{k}"] for k in metrics.REGRESSION_KEYS} == pytest.approx(expected, rel=1e-6)
    assert all(record[f"val_{k}"] is None for k in metrics.REGRESSION_KEYS)
    assert "train_confusion" not in record
    assert record["train_rmse"] ** 2 == pytest.approx(record["train_loss"], rel=1e-6)  # mse = RMSE²


def test_metrics_of_a_diverging_network_warn_nothing():
    """inf and NaN outputs pass through epoch_metrics quietly (the trainer drops such an epoch)."""
    A = np.array([[np.inf], [np.nan], [1e308]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="ignore"):  # as in Trainer.train
            got = metrics.epoch_metrics(A, Dataset(A, np.zeros((3, 1)), None), "linear")
        assert np.isinf(got["rmse"]) or np.isnan(got["rmse"])
        metrics.epoch_metrics(A, Dataset(A, A, np.array([1, 0, 1])), "sigmoid")
