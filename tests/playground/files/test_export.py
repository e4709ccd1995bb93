"""Take it home: the CSVs equal the experiment's numbers, the weights round-trip bit for bit, broken
weight files are refused with a clear message, resuming trains on as the original would, and the
standalone script, run in its own Python, reaches the app's final loss bit for bit."""

import ast
import dataclasses
import io
import json
import re
import subprocess
import sys
import zipfile
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest

from playground.core import catalog
from playground.core.config import Config, to_query
from playground.core.experiment import Experiment
from playground.core.schedule_stop import reason_text
from playground.files import export, export_script, weights_in

SMALL = Config(n_samples=60, hidden=(3,), batch_size=0)
REGRESSION = Config(dataset="plane", head="linear_mse", n_samples=40, hidden=(3,))


def trained(config=SMALL, epochs=5):
    exp = Experiment(config)
    exp.train(epochs)
    return exp


def read_csv(data):
    # pandas 3 parses floats exactly (round trip); pandas 2 only when asked (pandas 3.1 deprecates asking)
    exact = {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}
    return pd.read_csv(io.BytesIO(data), **exact)


# --- CSV ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("config", [SMALL, REGRESSION, Config(dataset="xor_table", hidden=(2,))])
def test_data_csv_holds_the_raw_points_their_labels_and_split(config):
    exp = trained(config, 0)
    frame = read_csv(export.data_csv(exp))
    X_train, X_test, y_train, y_test = exp.points
    column = "target" if config.task == "regression" else "label"
    assert list(frame.columns) == ["x1", "x2", column, "split"]
    for split, X, y in (("train", X_train, y_train), ("test", X_test, y_test)):
        part = frame[frame["split"] == split]
        assert np.array_equal(part[["x1", "x2"]].to_numpy(), X)  # exact: floats written in full
        assert np.array_equal(part[column].to_numpy(), y) and part[column].dtype == y.dtype


def test_history_csv_has_one_row_per_epoch_equal_to_the_history():
    exp = trained(SMALL, 7)
    frame = read_csv(export.history_csv(exp))
    assert list(frame.columns)[:6] == [
        "epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy", "learning_rate"
    ]  # fmt: skip
    records = exp.trainer.history
    assert frame["epoch"].tolist() == list(range(1, 8))
    for new, old in [
        ("train_loss", "train_loss"),
        ("test_loss", "val_loss"),
        ("test_accuracy", "val_accuracy"),
        ("learning_rate", "learning_rate"),
    ]:
        assert frame[new].tolist() == [r[old] for r in records]


def test_history_csv_leaves_regression_accuracy_cells_empty():
    exp = trained(REGRESSION, 3)
    lines = export.history_csv(exp).decode().splitlines()
    assert len(lines) == 4 and all(",,," in line for line in lines[1:])  # test_loss,,,learning_rate
    frame = read_csv(export.history_csv(exp))
    assert frame["train_accuracy"].isna().all() and frame["test_accuracy"].isna().all()


def test_history_csv_flattens_the_metrics_of_each_epoch():
    """Classification: macro F1 and each class's precision, recall and F1 (from the recorded confusion
    matrices, recomputed here); regression: RMSE, MAE and R² of both sets, as recorded."""
    from nn_core.metrics import precision_recall_f1

    exp = trained(SMALL, 4)
    frame = read_csv(export.history_csv(exp))
    assert list(frame.columns)[6:8] == ["train_macro_f1", "test_macro_f1"]
    assert len(frame.columns) == 8 + 2 * 3 * 2  # 2 sets x (precision, recall, F1) x 2 classes
    for row, record in zip(frame.itertuples(), exp.trainer.history):
        precision, recall, f1 = precision_recall_f1(record["val_confusion"])
        assert [row.test_precision_0, row.test_recall_1, row.test_f1_1] == [precision[0], recall[1], f1[1]]
        assert row.test_macro_f1 == record["val_macro_f1"] == pytest.approx(f1.mean(), rel=1e-12)
    exp = trained(REGRESSION, 3)
    frame = read_csv(export.history_csv(exp))
    metrics = ["train_rmse", "test_rmse", "train_mae", "test_mae", "train_r2", "test_r2"]
    assert list(frame.columns)[6:] == metrics
    assert frame["test_r2"].tolist() == [r["val_r2"] for r in exp.trainer.history]


def test_history_csv_before_any_epoch_is_the_header_alone():
    assert (
        export.history_csv(trained(SMALL, 0))
        .decode()
        .strip()
        .startswith(
            "epoch,train_loss,test_loss,train_accuracy,test_accuracy,learning_rate,train_macro_f1,test_macro_f1,"
            "train_precision_0,train_precision_1,train_recall_0"
        )
    )
    assert export.history_csv(trained(SMALL, 0)).decode().count("\n") == 1


# --- weights out and back -------------------------------------------------------------------------
WRITERS = {"json": export.weights_json, "npz": export.weights_npz}


@pytest.mark.parametrize("kind", WRITERS)
def test_weights_round_trip_bit_for_bit(kind):
    config = Config(n_samples=60, hidden=(5, 3), features=("x1", "x2", "x1_sq"), optimizer="adam")
    exp = trained(config, 20)
    weights, biases, info = weights_in.load_weights(WRITERS[kind](exp), exp)
    for got, want in zip(weights + biases, list(exp.model.weights) + list(exp.model.biases)):
        assert got.dtype == np.float32 and got.tobytes() == np.ascontiguousarray(want).tobytes()
    assert info == {
        "format": kind,
        "layer_sizes": [3, 5, 3, 1],
        "activation": "tanh",
        "output": "sigmoid",
        "epoch": 20,
        "query": to_query(config),
        "data_digest": export.data_digest(exp.points),
    }


def test_weights_json_is_plain_numbers_that_read_back_as_the_float32_values():
    exp = trained(SMALL, 3)
    document = json.loads(export.weights_json(exp))
    assert document["W1"] == exp.model.weights[0].tolist()  # Python floats of the float32 values
    assert np.array_equal(np.array(document["W1"], np.float32), exp.model.weights[0])
    assert document["config"] == to_query(SMALL) and document["epoch"] == 3
    assert set(document) == set(export.META_KEYS) | {"W1", "b1", "W2", "b2"}


def test_weights_npz_opens_with_numpy_without_pickle():
    exp = trained(SMALL, 3)
    with np.load(io.BytesIO(export.weights_npz(exp)), allow_pickle=False) as npz:
        assert npz["W2"].shape == (3, 1) and npz["W2"].dtype == np.float32
        assert str(npz["activation"]) == "tanh" and int(npz["epoch"]) == 3
        assert str(npz["config"]) == "points=60&hidden=3&batch=0"


def test_file_names_say_dataset_epoch_and_kind():
    exp = trained(Config(dataset="xor_table", hidden=(2,)), 0)
    assert export.file_name(exp, "data") == "nn-playground-xor-table-data.csv"
    assert export.file_name(exp, "weights.npz") == "nn-playground-xor-table-epoch0-weights.npz"
    assert export.file_name(exp, "script") == "nn-playground-xor-table-epoch1.py"  # at least one epoch
    exp.train(120)
    assert export.file_name(exp, "history") == "nn-playground-xor-table-epoch120-history.csv"


def test_snapshot_keeps_what_it_saw_while_the_experiment_trains_on():
    exp = trained(SMALL, 4)
    snap = export.snapshot(exp)
    saved = export.weights_json(snap), export.history_csv(snap)
    exp.train(3)
    assert (export.weights_json(snap), export.history_csv(snap)) == saved
    assert snap.epoch == 4 and export.file_name(snap, "history").endswith("epoch4-history.csv")


# --- broken weight files --------------------------------------------------------------------------
def json_with(exp, **changes):
    document = json.loads(export.weights_json(exp))
    document.update(changes)
    return json.dumps(document).encode()


def npz_with(exp, **changes):
    with np.load(io.BytesIO(export.weights_npz(exp))) as npz:
        arrays = {name: npz[name] for name in npz.files}
    arrays.update(changes)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # np.savez pickles object arrays: the bad files below need that
    return buffer.getvalue()


def zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("W1.npy", b"\0" * (weights_in.MAX_UNPACKED + 1))
    return buffer.getvalue()


BROKEN = {
    "wrong shape": (
        lambda e: json_with(e, W2=[[0.1, 0.2]] * 3),
        r"W2 has shape \(3, 2\) in the file.*is \(3, 1\)",
    ),
    "other network": (
        lambda e: export.weights_json(trained(Config(n_samples=60, hidden=(4, 4)), 0)),
        r"W1 has shape \(2, 4\) in the file, but this network's W1 is \(2, 3\) "
        r"\(the file's network is 2-4-4-1, this one 2-3-1\)",
    ),
    "NaN literal": (lambda e: export.weights_json(e).replace(b"[[", b"[[NaN, ", 1), "damaged.*NaN"),
    "NaN in npz": (lambda e: npz_with(e, b1=np.full(3, np.nan, np.float32)), "b1 holds 3 NaN or infinite"),
    "overflow": (
        lambda e: json_with(e, b2=[0.25]).replace(b"[0.25]", b"[1e400]"),
        "b2 holds 1 NaN or infinite",
    ),
    "too big for float32": (lambda e: npz_with(e, b2=np.array([1e300])), "b2 holds 1 NaN or infinite"),
    "truncated npz": (lambda e: export.weights_npz(e)[:300], "damaged or truncated"),
    "truncated json": (lambda e: export.weights_json(e)[:300], "JSON file is damaged"),
    "pickle in npz": (lambda e: npz_with(e, W1=np.array([{"x": 1}], dtype=object)), "pickled Python objects"),
    "random bytes": (lambda e: np.random.default_rng(0).bytes(500), "not a weights file"),
    "huge file": (lambda e: b"{" + b" " * weights_in.MAX_BYTES, r"at most 5\.0 MB"),
    "zip bomb": (lambda e: zip_bomb(), "unpacks to more than"),
    "a list": (lambda e: b"[1, 2, 3]", "not a weights file"),
    "json list": (lambda e: b"  {}", "no 'nn-playground-weights' marker"),
    "other format": (lambda e: json_with(e, format="keras"), "format is not"),
    "newer version": (lambda e: json_with(e, version=2), "version 2"),
    "missing metadata": (
        lambda e: json.dumps({"format": export.FORMAT}).encode(),
        "lacks version, layer_sizes",
    ),
    "text weights": (lambda e: json_with(e, b2=["0.5"]), "b2 must be a list of numbers"),
    "bool weights": (lambda e: json_with(e, b2=[True]), "b2 must be a list of numbers"),
    "ragged rows": (lambda e: json_with(e, W1=[[0.1, 0.2, 0.3], [0.1]]), "rectangular"),
    "missing bias": (
        lambda e: json.dumps({k: v for k, v in json.loads(json_with(e)).items() if k != "b2"}).encode(),
        "lacks b2",
    ),
    "extra layer": (lambda e: json_with(e, W3=[[1.0]]), "The file has W3, which this network has not"),
    "negative epoch": (lambda e: json_with(e, epoch=-1), r"epoch must be in \[0,"),
    "float epoch": (lambda e: json_with(e, epoch=1.5), "'epoch' in the file must be an integer"),
    "unknown activation": (lambda e: json_with(e, activation="not_an_activation"), "Unknown activation"),
    "lying layer sizes": (lambda e: json_with(e, layer_sizes=[2, 9, 1]), "layer_sizes .* do not match"),
    "config not text": (lambda e: json_with(e, config={"lr": 0.1}), "link parameters"),
    "not utf-8": (lambda e: b'{"format": "\xff"}', "not UTF-8"),
    "deep nesting": (lambda e: b"{" + b'"a":' + b"[" * 100_000, "damaged"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_weight_files_are_refused_with_a_clear_message(name):
    exp = trained(SMALL, 2)
    make, message = BROKEN[name]
    data = make(exp)
    before = exp.model.params.copy()
    with pytest.raises(weights_in.ExportError, match=message):
        weights_in.resume(exp, data)
    assert np.array_equal(exp.model.params, before) and exp.epoch == 2  # untouched


@pytest.mark.parametrize("kind", WRITERS)
def test_every_truncation_and_byte_flip_raises_export_error_or_loads(kind):
    exp = trained(SMALL, 2)
    data = WRITERS[kind](exp)
    rng = np.random.default_rng(1)
    broken = [data[:n] for n in range(0, len(data), max(1, len(data) // 150))]
    for position in rng.integers(0, len(data), 150):
        flipped = bytearray(data)
        flipped[position] ^= 1 << int(rng.integers(8))
        broken.append(bytes(flipped))
    for bad in broken:
        try:
            weights_in.load_weights(bad, exp)
        except weights_in.ExportError:
            pass  # anything but an ExportError would reach the user as a crash


# --- resuming -------------------------------------------------------------------------------------
def test_resume_full_batch_sgd_continues_exactly_as_the_original():
    """Full-batch SGD keeps no optimizer state and draws no random numbers, so a network loaded
    from a file must train on bit for bit as the one that saved it."""
    original = trained(SMALL, 20)
    saved = export.weights_npz(original)
    resumed = Experiment(SMALL)
    message = weights_in.resume(resumed, saved)
    assert "at epoch 20: training continues" in message and resumed.epoch == 20
    original.train(5)
    resumed.train(5)
    assert resumed.model.params.tobytes() == original.model.params.tobytes()
    assert resumed.trainer.history == original.trainer.history[-5:]  # epochs 21..25, same losses


@pytest.mark.parametrize("kind", WRITERS)
def test_resume_starts_a_fresh_optimizer_and_generator(kind):
    """With state (Adam's moments, the shuffle and dropout generator), the fair comparison is the
    original with its optimizer and generator started afresh: resume promises exactly that."""
    config = dataclasses.replace(SMALL, optimizer="adam", batch_size=8, dropout=0.2)
    original = trained(config, 15)
    resumed = Experiment(config)
    weights_in.resume(resumed, WRITERS[kind](original))
    t = original.trainer
    t.optimizer, t.optimizer = "sgd", "adam"  # a new optimizer name starts a fresh state
    t.rng = np.random.default_rng((config.init_seed, 2))
    original.train(4)
    resumed.train(4)
    assert resumed.model.params.tobytes() == original.model.params.tobytes()
    assert [r["train_loss"] for r in resumed.trainer.history] == [r["train_loss"] for r in t.history[-4:]]


def test_resume_keeps_the_epoch_for_the_same_run_and_training_setting_changes():
    saved = export.weights_json(trained(SMALL, 9))
    exp = Experiment(dataclasses.replace(SMALL, learning_rate=0.3, optimizer="momentum"))
    message = weights_in.resume(exp, saved)
    assert exp.epoch == 9 and "fresh momentum state" in message and exp.trainer.history == []


@pytest.mark.parametrize(
    "change, why",
    [
        ({"data_seed": 2}, "not the same: the data"),
        ({"activation": "relu"}, "not the same: Hidden activation"),
    ],
)
def test_resume_counts_from_zero_for_another_run(change, why):
    saved = export.weights_json(trained(SMALL, 9))
    exp = trained(dataclasses.replace(SMALL, **change), 3)
    message = weights_in.resume(exp, saved)
    assert exp.epoch == 0 and why in message and "starts at epoch 0" in message
    assert np.array_equal(exp.model.weights[0], json.loads(saved)["W1"])


def test_resume_into_another_activation_says_so():
    saved = export.weights_json(trained(SMALL, 1))
    exp = Experiment(dataclasses.replace(SMALL, activation="relu"))
    assert "trained with tanh / sigmoid; this network uses ReLU / sigmoid" in weights_in.resume(exp, saved)


@pytest.mark.parametrize("kind", WRITERS)
def test_mixed_network_weights_round_trip_and_resume_the_same_run(kind):
    """One activation per layer: the file says "relu,swish,sine", loads back, and the same run resumes."""
    config = Config(n_samples=60, hidden=(4, 3, 3), layer_activations=("relu", "swish", "sine"))
    exp = trained(config, 4)
    saved = WRITERS[kind](exp)
    assert weights_in.load_weights(saved, exp)[2]["activation"] == "relu,swish,sine"
    message = weights_in.resume(Experiment(config), saved)
    assert "ReLU, swish (SiLU), sine network at epoch 4" in message and "Note" not in message
    other = Experiment(dataclasses.replace(config, layer_activations=()))
    assert "this network uses tanh / sigmoid" in weights_in.resume(other, saved)


# --- the standalone script ------------------------------------------------------------------------
SCRIPT_CONFIGS = {
    "full batch sgd tanh bce": (Config(n_samples=80, batch_size=0), 300),
    "adam relu minibatch l2 squares": (
        Config(dataset="moons", n_samples=80, features=("x1", "x2", "x1_sq", "x2_sq"), activation="relu",
               optimizer="adam", learning_rate=0.01, regularization="l2", reg_rate=0.003),
        200,
    ),
    "spiral softmax momentum dropout": (
        Config(dataset="spiral", n_samples=90, hidden=(8, 6), head="softmax_ce", optimizer="momentum",
               learning_rate=0.01, batch_size=16, dropout=0.2),
        200,
    ),
    "xor rmsprop sigmoid tanh-mse l1": (
        Config(dataset="xor", n_samples=60, features=("x1_x2", "sin_x1"), activation="sigmoid",
               head="tanh_mse", optimizer="rmsprop", learning_rate=0.003, batch_size=7,
               regularization="l1", reg_rate=0.001),
        200,
    ),
    "regression leaky linear full batch": (
        Config(dataset="plane", n_samples=60, activation="leaky_relu", head="linear_mse", batch_size=0), 200
    ),
    "regression tanh output adam": (
        Config(dataset="multi_gaussian", n_samples=60, hidden=(8, 8), head="tanh_mse", optimizer="adam",
               learning_rate=0.01, init="he"),
        150,
    ),
    "blobs sigmoid-mse no hidden batch 1": (
        Config(dataset="blobs", n_classes=4, n_samples=40, hidden=(), activation="linear", head="sigmoid_mse",
               batch_size=1),
        30,
    ),
    "binary softmax full-batch dropout all features": (
        Config(n_samples=60, features=("x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2"),
               activation="relu", head="softmax_ce", batch_size=0, dropout=0.5, init="uniform"),
        200,
    ),
    "the tutorial's xor table": (
        Config(dataset="xor_table", hidden=(2,), activation="sigmoid", head="sigmoid_mse", init="normal",
               init_seed=42, learning_rate=0.2, batch_size=0),
        300,
    ),
    "diverges": (
        Config(dataset="plane", n_samples=60, hidden=(8, 8), activation="relu", head="linear_mse",
               init="normal", learning_rate=3.0, batch_size=0),
        50,
    ),
    "features typed as formulas": (
        Config(dataset="circles", n_samples=60, features=("x1",), hidden=(), batch_size=5, optimizer="adam",
               feature_formulas=("x1^2 + x2**2", "cos(x2)", "1/x1 - sigmoid(min(x1, 2*x2))", "exp(exp(x2))")),
        60,
    ),
    "xor on the typed x1*x2 alone, no checked feature": (
        Config(dataset="xor", n_samples=60, features=(), feature_formulas=("x1*x2",), hidden=(3,),
               batch_size=10),
        60,
    ),
    "a typed formula's data": (
        Config(dataset="formula", formula="abs(x1) - x2**2 + 2", n_samples=60, hidden=(6,), batch_size=0),
        100,
    ),
    "spiral relu adam, uniform biases (issue 16)": (
        Config(dataset="spiral", n_samples=90, hidden=(8, 8), activation="relu", head="softmax_ce",
               optimizer="adam", learning_rate=0.01, batch_size=32, bias_init="uniform"),
        200,
    ),
    "regression, normal biases on he weights": (
        Config(dataset="plane", n_samples=60, hidden=(5,), head="linear_mse", init="he", bias_init="normal",
               batch_size=0),
        100,
    ),
    "mixed relu swish sine adam dropout": (
        Config(dataset="moons", n_samples=80, hidden=(5, 4, 3), layer_activations=("relu", "swish", "sine"),
               optimizer="adam", learning_rate=0.01, batch_size=16, dropout=0.1),
        150,
    ),
    "mixed gelu elu softplus softmax l2": (
        Config(dataset="spiral", n_samples=90, hidden=(6, 6, 4),
               layer_activations=("gelu", "elu", "softplus"), head="softmax_ce", optimizer="sgd",
               learning_rate=0.1, regularization="l2", reg_rate=0.001),
        150,
    ),
    "every new activation alike: gelu regression": (
        Config(dataset="plane", n_samples=60, hidden=(6, 6), activation="gelu", head="linear_mse",
               batch_size=0),
        100,
    ),
}  # fmt: skip


def run_script(tmp_path, exp, n_epochs):
    path = tmp_path / export.file_name(exp, "script")
    path.write_text(export_script.standalone_script(exp, n_epochs), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0 and not done.stderr, done.stderr
    match = re.search(r"^final epoch (\d+): train loss (\S+), test loss (\S+)$", done.stdout, re.M)
    return int(match[1]), float(match[2]), float(match[3]), done.stdout


@pytest.mark.parametrize("name", SCRIPT_CONFIGS)
def test_standalone_script_reaches_the_apps_final_loss_bit_for_bit(tmp_path, name):
    config, n_epochs = SCRIPT_CONFIGS[name]
    exp = trained(config, n_epochs)
    epoch, train_loss, test_loss, out = run_script(tmp_path, exp, n_epochs)
    last = exp.trainer.history[-1]
    assert (epoch, train_loss, test_loss) == (last["epoch"], last["train_loss"], last["val_loss"])
    if name == "diverges":
        assert exp.diverged and epoch < n_epochs and f"infinite at epoch {epoch + 1}" in out
    else:
        assert epoch == n_epochs and out.count("\nepoch ") + out.startswith("epoch ") == 10  # every tenth


@pytest.mark.parametrize(
    "name", ["full batch sgd tanh bce", "spiral softmax momentum dropout", "xor rmsprop sigmoid tanh-mse l1",
             "regression tanh output adam"],
)  # fmt: skip
def test_standalone_script_ends_with_the_apps_test_metrics(tmp_path, name):
    """After the last epoch the script prints the test set's confusion matrix (the app's recorded
    val_confusion, exactly) or its RMSE, MAE and R² (the recorded ones, to the 6 digits printed)."""
    config, n_epochs = SCRIPT_CONFIGS[name]
    exp = trained(config, n_epochs)
    *_, out = run_script(tmp_path, exp, n_epochs)
    last = exp.trainer.history[-1]
    if config.task == "regression":
        match = re.search(r"^test RMSE (\S+)  MAE (\S+)  R2 (\S+)$", out, re.M)
        got = [float(v) for v in match.groups()]
        assert got == pytest.approx([last["val_rmse"], last["val_mae"], last["val_r2"]], abs=2e-6)
    else:
        table = out.split("(rows: true class, columns: predicted class):\n")[1].strip().splitlines()
        assert [[int(v) for v in row.split()] for row in table] == last["val_confusion"]


def test_standalone_script_from_a_snapshot_replays_from_epoch_zero(tmp_path):
    """The script starts from the config's initial weights, whatever the network holds now."""
    exp = trained(SMALL, 12)
    snap = export.snapshot(exp)
    exp.train(30)  # the snapshot stays at epoch 12
    epoch, train_loss, _, _ = run_script(tmp_path, snap, snap.epoch)
    assert (epoch, train_loss) == (12, exp.trainer.history[11]["train_loss"])


def test_the_script_writes_the_bias_init_and_its_biases():
    """The header names the bias init, and B holds the biases it drew (not the weight init's zeros)."""
    config, _ = SCRIPT_CONFIGS["spiral relu adam, uniform biases (issue 16)"]
    script = export_script.standalone_script(trained(config, 0), 1)
    words = " ".join(script.split())  # the header is wrapped
    assert 'bias init "uniform"' in words and "xavier init, uniform bias init" in words
    namespace = {}
    exec(script.split("# fmt: off", 1)[1].split("# fmt: on", 1)[0], {"np": np}, namespace)  # the literals
    biases = Experiment(config).model.biases
    assert all(np.array_equal(mine, theirs) and theirs.any() for mine, theirs in zip(namespace["B"], biases))


def test_initial_model_is_the_experiments_network_at_epoch_zero():
    for config, _ in SCRIPT_CONFIGS.values():
        assert (
            export_script.initial_model(config).params.tobytes() == Experiment(config).model.params.tobytes()
        )


def test_standalone_script_gives_each_hidden_layer_its_own_activation():
    """A mixed network's script defines each function once and lists one per layer; its link says acts=."""
    config, _ = SCRIPT_CONFIGS["mixed relu swish sine adam dropout"]
    text = export_script.standalone_script(Experiment(config), 1)
    assert "HIDDEN = [hidden_relu, hidden_swish, hidden_sine]" in text
    assert "HIDDEN_BACKWARD = [hidden_relu_backward, hidden_swish_backward, hidden_sine_backward]" in text
    assert text.count("def hidden_swish(Z)") == 1 and "acts=relu,swish,sine" in text
    assert "relu / swish / sine hidden layers" in text
    uniform = export_script.standalone_script(Experiment(Config(n_samples=60, hidden=(3, 3))), 1)
    assert "HIDDEN = [hidden_tanh, hidden_tanh]" in uniform and uniform.count("def hidden_tanh(Z)") == 1


def test_standalone_script_imports_numpy_only():
    for config, _ in SCRIPT_CONFIGS.values():
        tree = ast.parse(export_script.standalone_script(trained(config, 0), 1))
        imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
        assert [alias.name for n in imports for alias in n.names] == ["numpy"]
        assert not any(isinstance(n, ast.ImportFrom) for n in imports)
        called = {
            n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        }
        assert not called & {"eval", "exec", "__import__", "open", "compile"}


def test_standalone_script_constants_are_nn_cores():
    """The script code on the catalog's records (playground/core/catalog_maths.py) spells out nn_core's
    constants; if nn_core changes one, this says where. Every name having its code: tests/test_recipes.py."""
    from nn_core import activations, optimizers

    assert activations.LEAKY_SLOPE == 0.01 and 1 - activations.LEAKY_SLOPE == 0.99
    assert optimizers.Momentum().momentum == 0.9
    assert (optimizers.RMSprop().rho, optimizers.RMSprop().eps) == (0.9, 1e-08)
    adam = optimizers.Adam()
    assert (adam.beta1, adam.beta2, adam.eps) == (0.9, 0.999, 1e-08)


def test_standalone_script_needs_at_least_one_epoch():
    with pytest.raises(ValueError, match="n_epochs must be an int >= 1; got 0"):
        export_script.standalone_script(trained(SMALL, 0), 0)


def test_uploaded_data_is_exported_and_replayed(tmp_path):
    from playground.files import upload

    rng = np.random.default_rng(3)
    rows = [f"{a:.3f},{b:.3f},{i % 3}" for i, (a, b) in enumerate(rng.normal(size=(45, 2)) + 2)]
    table = upload.read_table(("x1,x2,label\n" + "\n".join(rows)).encode(), "mine.csv")
    data = upload.prepare(table, *upload.guess_columns(table))
    config = upload.playground_config(data, SMALL)
    exp = Experiment(config, upload=data)
    exp.train(60)
    assert np.array_equal(
        read_csv(export.data_csv(exp))[["x1", "x2"]].to_numpy()[: len(exp.points[0])], exp.points[0]
    )
    epoch, train_loss, test_loss, _ = run_script(tmp_path, exp, 60)
    assert (epoch, train_loss, test_loss) == (
        60,
        exp.trainer.history[-1]["train_loss"],
        exp.trainer.history[-1]["val_loss"],
    )
    assert "your uploaded points" in export_script.standalone_script(exp, 1)
    other = Experiment(config, upload=upload.prepare(table, "x2", "x1", "label"))  # other data, same config
    assert "not the same: the data" in weights_in.resume(other, export.weights_npz(exp)) and other.epoch == 0


def test_standalone_script_refuses_what_it_has_no_code_for(monkeypatch):
    without_adam = {name: record for name, record in catalog.OPTIMIZERS.items() if name != "adam"}
    monkeypatch.setattr(catalog, "OPTIMIZERS", MappingProxyType(without_adam))  # read-only table
    config = dataclasses.replace(SMALL, optimizer="adam")
    assert export_script.script_unsupported(config) == "The script does not cover optimizer 'adam' yet."
    assert export_script.script_unsupported(SMALL) is None
    with pytest.raises(export_script.ScriptError, match="optimizer 'adam'"):
        export_script.standalone_script(trained(config, 1), 1)


# Schedules and stop rules: the script computes each epoch's rate and checks the rule as nn_core does.
SCHEDULE_CONFIGS = {
    "step decay, Adam, mini-batches": (
        Config(n_samples=60, hidden=(5,), optimizer="adam", batch_size=10, schedule="step",
               schedule_period=7, schedule_factor=0.5),
        40,
    ),
    "exponential, SGD, full batch": (
        Config(n_samples=60, hidden=(5,), learning_rate=0.3, batch_size=0, schedule="exponential",
               schedule_period=5, schedule_factor=0.3),
        40,
    ),
    "cosine restarts, momentum, dropout": (
        Config(n_samples=60, hidden=(5,), optimizer="momentum", batch_size=8, dropout=0.2,
               schedule="cosine", schedule_period=9, schedule_factor=0.1),
        40,
    ),
    "cosine restarts growing, Adam": (
        Config(n_samples=60, hidden=(5,), optimizer="adam", batch_size=16, schedule="cosine",
               schedule_period=3, schedule_factor=0.2, schedule_multiplier=2),
        50,
    ),
    "triangular, RMSprop, multiclass": (
        Config(dataset="spiral", n_samples=60, head="softmax_ce", hidden=(6,), optimizer="rmsprop",
               learning_rate=0.01, batch_size=16, schedule="triangular", schedule_period=6,
               schedule_factor=0.2),
        40,
    ),
    "stops: test loss": (
        Config(dataset="moons", n_samples=60, hidden=(5,), learning_rate=0.1, batch_size=10,
               stop_rule="test_loss_below", stop_target=0.3),
        800,
    ),
    "stops: training accuracy, Adam with a step schedule": (
        Config(dataset="moons", n_samples=60, hidden=(5,), optimizer="adam", batch_size=10,
               stop_rule="train_accuracy_reached", stop_target=0.95, schedule="step", schedule_period=20,
               schedule_factor=0.5),
        800,
    ),
    "stops: plateau, cosine": (
        Config(dataset="moons", n_samples=60, hidden=(5,), optimizer="momentum", learning_rate=0.1,
               batch_size=0, stop_rule="plateau", stop_patience=10, schedule="cosine",
               schedule_period=20, schedule_factor=0.1),
        800,
    ),
    "stops: issue 16 all at once (typed features, per-layer activations, biases, cosine, plateau)": (
        Config(dataset="circles", n_samples=80, feature_formulas=("x1^2 + x2^2", "tanh(3*x1)"),
               hidden=(6, 5, 4), layer_activations=("swish", "gelu", "sine"), bias_init="uniform",
               optimizer="adam", learning_rate=0.01, batch_size=16, schedule="cosine", schedule_period=20,
               schedule_factor=0.1, stop_rule="plateau", stop_patience=30),
        600,
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", SCHEDULE_CONFIGS)
def test_standalone_script_replays_schedules_and_stop_rules_bit_for_bit(tmp_path, name):
    """Same final losses to the last bit; a run the rule stopped stops at the same epoch in the
    script, which says why in the app's words."""
    config, n_epochs = SCHEDULE_CONFIGS[name]
    exp = trained(config, n_epochs)
    epoch, train_loss, test_loss, out = run_script(tmp_path, exp, n_epochs)
    last = exp.trainer.history[-1]
    assert (epoch, train_loss, test_loss) == (last["epoch"], last["train_loss"], last["val_loss"])
    if name.startswith("stops"):
        assert exp.stopped and epoch < n_epochs
        assert f"Stopped at epoch {epoch}: {reason_text(exp.trainer.stopped_by)}." in out
    else:
        assert epoch == n_epochs and "Stopped" not in out
        assert len({r["learning_rate"] for r in exp.trainer.history}) > 3  # the schedule moved the rate


def test_standalone_script_with_a_schedule_imports_numpy_only():
    for config, _ in SCHEDULE_CONFIGS.values():
        tree = ast.parse(export_script.standalone_script(trained(config, 0), 1))
        imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
        assert [alias.name for n in imports for alias in n.names] == ["numpy"]
