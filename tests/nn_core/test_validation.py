"""Argument checks: every bad argument raises ValueError naming the parameter and, after "got",
showing the value it received."""

import numpy as np
import pytest

import nn_core

X4 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y4 = np.array([0, 1, 1, 0])


def sigmoid_model():
    return nn_core.MLP([2, 3, 1], output="sigmoid", dtype=np.float64, rng=0)


def softmax_model():
    return nn_core.MLP([2, 3, 3], output="softmax", dtype=np.float64, rng=0)


def trainer(**kw):
    return nn_core.Trainer(sigmoid_model(), **{"loss": "bce", **kw})


def assign(obj, name, value):
    setattr(obj, name, value)


def with_nan(X, value):
    X = X.copy()
    X[2, 1] = value
    return X


def grads(X=X4, y=Y4, *, model=sigmoid_model, loss="mse", **kw):
    return model().loss_and_gradients(X, y, loss=loss, **kw)


def labels(*values):
    return np.array(values)


# (id, call, parameter name, bad value as the message shows it)
CASES = [
    # MLP
    ("activation", lambda: nn_core.MLP([2, 1], activation="mish"), "activation", "'mish'"),
    ("output", lambda: nn_core.MLP([2, 1], output="relu"), "output", "'relu'"),
    ("init", lambda: nn_core.MLP([2, 1], init="glorot"), "init", "'glorot'"),
    ("layer_sizes_empty", lambda: nn_core.MLP([]), "layer_sizes", "[]"),
    ("layer_sizes_single", lambda: nn_core.MLP([2]), "layer_sizes", "[2]"),
    ("layer_sizes_zero", lambda: nn_core.MLP([2, 0, 1]), "layer_sizes", "[2, 0, 1]"),
    ("layer_sizes_negative", lambda: nn_core.MLP([2, -3, 1]), "layer_sizes", "[2, -3, 1]"),
    ("layer_sizes_float", lambda: nn_core.MLP([2, 2.5, 1]), "layer_sizes", "[2, 2.5, 1]"),
    ("layer_sizes_not_sequence", lambda: nn_core.MLP(3), "layer_sizes", "3"),
    ("softmax_one_output", lambda: nn_core.MLP([2, 3, 1], output="softmax"), "softmax", "[2, 3, 1]"),
    ("dtype", lambda: nn_core.MLP([2, 1], dtype=np.int32), "dtype", "int32"),
    ("mlp_rng_string", lambda: nn_core.MLP([2, 1], rng="abc"), "rng", "'abc'"),
    ("mlp_rng_negative", lambda: nn_core.MLP([2, 1], rng=-1), "rng", "-1"),
    ("mlp_rng_float", lambda: nn_core.MLP([2, 1], rng=1.5), "rng", "1.5"),
    ("mlp_rng_legacy", lambda: nn_core.MLP([2, 1], rng=np.random.RandomState(0)), "rng", "RandomState"),  # noqa: NPY002
    # MLP.loss_and_gradients
    ("loss_unknown", lambda: grads(loss="hinge"), "loss", "'hinge'"),
    ("bce_with_softmax", lambda: grads(model=softmax_model, loss="bce"), "loss", "'softmax'"),
    ("ce_with_sigmoid", lambda: grads(loss="cross_entropy"), "loss", "'sigmoid'"),
    ("X_n_features", lambda: grads(np.ones((4, 3))), "X", "(4, 3)"),
    ("X_1d", lambda: grads(np.ones(4)), "X", "(4,)"),
    ("X_empty", lambda: grads(np.ones((0, 2)), Y4[:0]), "X", "(0, 2)"),
    ("X_nan", lambda: grads(with_nan(X4, np.nan)), "X", "NaN"),
    ("X_inf", lambda: grads(with_nan(X4, np.inf)), "X", "inf"),
    ("y_length", lambda: grads(y=Y4[:3]), "y", "(3,)"),
    ("y_label_2_one_output", lambda: grads(y=labels(0, 2, 1, 0), loss="bce"), "y", "2]"),
    ("y_label_3_three_outputs", lambda: grads(y=labels(0, 3, 1, 2), model=softmax_model), "y", "3]"),
    ("y_label_negative", lambda: grads(y=labels(0, -1, 1, 0), loss="bce"), "y", "[-1"),
    ("y_nan_target", lambda: grads(y=labels(0.0, np.nan, 1.0, 0.0)), "y", "NaN"),
    ("y_string", lambda: grads(y=labels(*"abab")), "y", "<U1"),
    ("l1_negative", lambda: grads(loss="bce", l1=-0.1), "l1", "-0.1"),
    ("l2_negative", lambda: grads(loss="bce", l2=-2.0), "l2", "-2.0"),
    # Trainer
    ("trainer_model", lambda: nn_core.Trainer("model", loss="mse"), "model", "str"),
    ("trainer_loss", lambda: trainer(loss="hinge"), "loss", "'hinge'"),
    ("trainer_bce_softmax", lambda: nn_core.Trainer(softmax_model(), loss="bce"), "loss", "'softmax'"),
    ("optimizer", lambda: trainer(optimizer="adagrad"), "optimizer", "'adagrad'"),
    ("learning_rate_negative", lambda: trainer(learning_rate=-0.1), "learning_rate", "-0.1"),
    ("learning_rate_zero", lambda: trainer(learning_rate=0), "learning_rate", "0"),
    ("learning_rate_nan", lambda: trainer(learning_rate=float("nan")), "learning_rate", "nan"),
    ("learning_rate_string", lambda: trainer(learning_rate="0.1"), "learning_rate", "'0.1'"),
    ("trainer_l1_negative", lambda: trainer(l1=-0.5), "l1", "-0.5"),
    ("trainer_l2_negative", lambda: trainer(l2=-0.5), "l2", "-0.5"),
    ("dropout_one", lambda: trainer(dropout=1.0), "dropout", "1.0"),
    ("dropout_negative", lambda: trainer(dropout=-0.2), "dropout", "-0.2"),
    ("batch_size_zero", lambda: trainer(batch_size=0), "batch_size", "0"),
    ("batch_size_float", lambda: trainer(batch_size=2.5), "batch_size", "2.5"),
    ("trainer_rng", lambda: trainer(rng="seed"), "rng", "'seed'"),
    ("set_learning_rate_zero", lambda: assign(trainer(), "learning_rate", 0.0), "learning_rate", "0.0"),
    ("set_optimizer", lambda: assign(trainer(), "optimizer", "lbfgs"), "optimizer", "'lbfgs'"),
    ("set_batch_size", lambda: assign(trainer(), "batch_size", -4), "batch_size", "-4"),
    ("n_epochs_negative", lambda: trainer().train(X4, Y4, -1), "n_epochs", "-1"),
    ("n_epochs_float", lambda: trainer().train(X4, Y4, 2.5), "n_epochs", "2.5"),
    ("train_X_shape", lambda: trainer().train(np.ones((4, 5)), Y4, 1), "X", "(4, 5)"),
    ("train_y_length", lambda: trainer().train(X4, Y4[:2], 1), "y", "(2,)"),
    ("train_label_out_of_range", lambda: trainer().train(X4, labels(0, 1, 5, 0), 1), "y", "5]"),
    ("train_float_y_with_bce", lambda: trainer().train(X4, Y4.astype(float), 1), "y", "float64"),
    ("X_val_without_y_val", lambda: trainer().train(X4, Y4, 1, X_val=X4), "y_val", "NoneType"),
    (
        "X_val_shape",
        lambda: trainer().train(X4, Y4, 1, X_val=np.ones((2, 3)), y_val=Y4[:2]),
        "X_val",
        "(2, 3)",
    ),
    ("y_val_length", lambda: trainer().train(X4, Y4, 1, X_val=X4, y_val=Y4[:1]), "y_val", "(1,)"),
    ("evaluate_X_nan", lambda: trainer().evaluate(with_nan(X4, np.nan), Y4), "X", "NaN"),
    # datasets
    ("dataset_name", lambda: nn_core.make_dataset("swirl"), "name", "'swirl'"),
    ("n_samples_zero", lambda: nn_core.make_dataset("moons", n_samples=0), "n_samples", "0"),
    ("n_samples_float", lambda: nn_core.make_dataset("moons", n_samples=10.0), "n_samples", "10.0"),
    ("noise_above_one", lambda: nn_core.make_dataset("moons", noise=1.5), "noise", "1.5"),
    ("noise_negative", lambda: nn_core.make_dataset("moons", noise=-0.1), "noise", "-0.1"),
    ("moons_three_classes", lambda: nn_core.make_dataset("moons", n_classes=3), "n_classes", "3"),
    ("spiral_one_class", lambda: nn_core.make_dataset("spiral", n_classes=1), "n_classes", "1"),
    ("too_few_samples", lambda: nn_core.make_dataset("blobs", n_samples=2, n_classes=3), "n_samples", "2"),
    ("dataset_rng", lambda: nn_core.make_dataset("moons", rng=2.0), "rng", "2.0"),
    (
        "test_fraction_one",
        lambda: nn_core.train_test_split(X4, Y4, test_fraction=1.0),
        "test_fraction",
        "1.0",
    ),
    (
        "test_fraction_negative",
        lambda: nn_core.train_test_split(X4, Y4, test_fraction=-0.5),
        "test_fraction",
        "-0.5",
    ),
    ("split_y_length", lambda: nn_core.train_test_split(X4, Y4[:3]), "y", "(3,)"),
    ("split_empty_X", lambda: nn_core.train_test_split(np.ones((0, 2)), Y4[:0]), "X", "(0, 2)"),
    ("split_rng", lambda: nn_core.train_test_split(X4, Y4, rng="x"), "rng", "'x'"),
    # parameter assignment
    (
        "weights_shape",
        lambda: assign_item(sigmoid_model().weights, 0, np.zeros((3, 2))),
        "weights[0]",
        "(3, 2)",
    ),
    ("biases_shape", lambda: assign_item(sigmoid_model().biases, 1, np.zeros(2)), "biases[1]", "(2,)"),
    ("weights_list_length", lambda: assign(sigmoid_model(), "weights", [np.zeros((2, 3))]), "weights", "1"),
]


def assign_item(views, i, value):
    views[i] = value


@pytest.mark.parametrize("call,name,bad", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_argument_raises_value_error_naming_parameter_and_value(call, name, bad):
    """ValueError whose message holds the parameter name, and the bad value after 'got'."""
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    assert name in message, message
    assert "got" in message and bad in message.split("got", 1)[1], message


def test_failed_weight_assignment_leaves_params_unchanged():
    """A rejected model.weights[0] = ... does not write anything."""
    model = sigmoid_model()
    before = model.params.copy()
    with pytest.raises(ValueError):
        model.weights[0] = np.zeros((3, 2))
    assert np.array_equal(model.params, before)


def test_failed_hyperparameter_assignment_keeps_old_value():
    """A rejected learning_rate leaves the previous one in place."""
    t = trainer(learning_rate=0.25)
    with pytest.raises(ValueError):
        t.learning_rate = -1.0
    assert t.learning_rate == 0.25


@pytest.mark.parametrize("rng", [None, 0, 12345, np.random.default_rng(3)])
def test_valid_rng_values_accepted(rng):
    """None, a non-negative int seed and a Generator are all accepted."""
    assert nn_core.MLP([2, 1], rng=rng).params.shape == (3,)


def test_split_wrong_shape_raises_naming_flat():
    model = nn_core.MLP([2, 3, 1], rng=0)
    with pytest.raises(ValueError, match=r"flat must be an array of shape \(13,\); got \(12,\)"):
        model.split(np.zeros(12))


def test_setting_a_nan_weight_raises_and_keeps_the_old_one():
    model = nn_core.MLP([2, 3, 1], rng=0)
    before = model.weights[0].copy()
    bad = np.zeros((2, 3))
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"weights\[0\] must be finite; got 1 NaN/inf"):
        model.weights[0] = bad
    assert np.array_equal(model.weights[0], before)
