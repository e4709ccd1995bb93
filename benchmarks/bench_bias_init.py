"""Which bias init trains best? Every bias init on every dataset, next to scikit-learn's MLPClassifier.

Run from the repository root (``pip install -r requirements-bench.txt`` for the scikit-learn row)::

    python benchmarks/bench_bias_init.py            # about 2 minutes on one core
    python benchmarks/bench_bias_init.py --no-save  # print only
    python benchmarks/bench_bias_init.py --epochs 50 --seeds 2   # a smoke run

The setup is the issue's (issue 16): a 2-8-8-k network on (x1, x2), Adam at 0.01, batches of 32,
200 epochs, seeds 0..4; with ReLU and with tanh hidden units, each with Xavier and He weights. The
output and loss fit the task as the app's default heads do: sigmoid + binary cross-entropy for two
classes, softmax + cross-entropy for spiral and blobs (3 classes, the app's default), linear + MSE for
regression. Every dataset of ``nn_core.DATASETS`` at the Playground's defaults: 300 points, noise 0.1,
half of them to train on (the tutorial's 4-point XOR table trains and tests on its 4 points, as the
app does). Seed ``s`` draws the data and its split (data seed ``s``, as the app), the initial weights
(init seed ``s``) and the batch order (``default_rng((s, 2))``, as the app).

Paired by construction: nn_core draws every weight before any bias (``nn_core.initializers``), so
for one seed every bias init starts from the same weights, the same data and the same batch order;
only the biases differ. ``"auto"`` (the weight init's own biases) is ``"zeros"`` for Xavier and He,
bit for bit, so it has no column of its own.

Reported: the mean (and min) test accuracy over the seeds for classification, the mean (and max)
test MSE for regression, at the last epoch; a summary over the classification datasets (mean accuracy,
mean rank, wins) per bias init. The peer: scikit-learn's ``MLPClassifier`` on the 3-class spiral with
the same data, architecture, optimizer, rate, batches and epochs (``alpha=0``: no penalty, and no early
stop: ``tol=0``), which draws its biases like its Glorot weights (our ``"uniform"``), and whose
weights are its own Glorot draws.
"""

import argparse
import os
import statistics
import sys
import time
import warnings

from common import ONE_THREAD, REPO_ROOT, now, save_results

os.environ.update(ONE_THREAD)
sys.path.insert(0, str(REPO_ROOT))

import numpy as np  # noqa: E402

import nn_core  # noqa: E402

BIAS_INITS = tuple(nn_core.BIAS_INITIALIZERS)  # zeros, constant, uniform, normal
N_SAMPLES, NOISE, TEST_FRACTION, N_CLASSES = 300, 0.1, 0.5, 3  # the Playground's defaults
ISSUE = dict(hidden=(8, 8), optimizer="adam", learning_rate=0.01, batch_size=32)  # issue 16's setup
# name -> (hidden activation, weight init, training setup): the issue's network four ways, and the
# network the Playground opens with (2-4-4-1 tanh, Xavier, SGD 0.03, batches of 10).
SETUPS = {
    "relu, xavier": ("relu", "xavier", ISSUE),
    "relu, he": ("relu", "he", ISSUE),
    "tanh, xavier": ("tanh", "xavier", ISSUE),
    "tanh, he": ("tanh", "he", ISSUE),
    "app default": (
        "tanh",
        "xavier",
        dict(hidden=(4, 4), optimizer="sgd", learning_rate=0.03, batch_size=10),
    ),
}


def task_of(name):
    """(n_outputs, output, loss, n_classes) for dataset ``name``: the app's default head for it."""
    spec = nn_core.DATASETS[name]
    if spec.task == "regression":
        return 1, "linear", "mse", 2
    if spec.classes[1] is None:  # spiral, blobs: any number of classes
        return N_CLASSES, "softmax", "cross_entropy", N_CLASSES
    return 1, "sigmoid", "bce", 2


def split(name, seed):
    """The dataset ``name`` as the app draws and splits it with data seed ``seed``."""
    _, _, _, n_classes = task_of(name)
    X, y = nn_core.make_dataset(name, n_samples=N_SAMPLES, noise=NOISE, n_classes=n_classes, rng=seed)
    if nn_core.DATASETS[name].n_points is not None:  # the 4-point table: train and test on it
        return X, X, y, y
    return nn_core.train_test_split(X, y, test_fraction=TEST_FRACTION, rng=np.random.default_rng((seed, 1)))


def run(data, name, setup, bias_init, seed, epochs):
    """(test accuracy or None, test loss) after ``epochs`` epochs of one nn_core run of ``setup``."""
    X_train, X_test, y_train, y_test = data
    n_outputs, output, loss, _ = task_of(name)
    activation, init, settings = SETUPS[setup]
    hidden, training = settings["hidden"], {k: v for k, v in settings.items() if k != "hidden"}
    model = nn_core.MLP(
        [2, *hidden, n_outputs],
        activation=activation,
        output=output,
        init=init,
        bias_init=bias_init,
        rng=seed,
    )
    trainer = nn_core.Trainer(model, loss=loss, rng=np.random.default_rng((seed, 2)), **training)
    trainer.train(X_train, y_train, epochs, X_val=X_test, y_val=y_test)
    last = trainer.history[-1]
    accuracy = last["val_accuracy"]
    return (None if accuracy is None else float(accuracy)), float(last["val_loss"])


def sklearn_peer(activation, seeds, epochs):
    """scikit-learn's MLPClassifier on the 3-class spiral, same setup; test accuracies per seed, or
    None without scikit-learn."""
    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        return None
    accuracies = []
    for seed in seeds:
        X_train, X_test, y_train, y_test = split("spiral", seed)
        clf = MLPClassifier(
            ISSUE["hidden"], activation=activation, solver="adam", learning_rate_init=0.01, batch_size=32,
            max_iter=epochs, alpha=0.0, tol=0.0, n_iter_no_change=10**9, random_state=seed,
        )  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter reached: what we asked for
            clf.fit(X_train, y_train)
        accuracies.append(float(clf.score(X_test, y_test)))
    return accuracies


def measure(datasets, seeds, epochs):
    """results[dataset][setup][bias_init] = {"accuracy": [...], "loss": [...]}, one entry per seed."""
    results = {}
    for name in datasets:
        results[name] = {}
        for seed in seeds:
            data = split(name, seed)
            for setup in SETUPS:
                for bias_init in BIAS_INITS:
                    cell = results[name].setdefault(setup, {})
                    cell = cell.setdefault(bias_init, {"accuracy": [], "loss": []})
                    accuracy, loss = run(data, name, setup, bias_init, seed, epochs)
                    cell["accuracy"].append(accuracy)
                    cell["loss"].append(loss)
        print(f"  {name} done", file=sys.stderr)
    return results


def summary(results):
    """Per setup and bias init: mean test accuracy over the classification datasets, its mean
    rank among the bias inits (1 = best) and its wins (datasets where it has the best mean, ties shared);
    mean test MSE over the regression datasets."""
    rows = {}
    for setup in SETUPS:
        acc = {b: [] for b in BIAS_INITS}
        ranks = {b: [] for b in BIAS_INITS}
        wins = dict.fromkeys(BIAS_INITS, 0.0)
        mse = {b: [] for b in BIAS_INITS}
        for name, by_setup in results.items():
            cells = by_setup[setup]
            if nn_core.DATASETS[name].task == "regression":
                for b in BIAS_INITS:
                    mse[b].append(statistics.fmean(cells[b]["loss"]))
                continue
            means = {b: statistics.fmean(cells[b]["accuracy"]) for b in BIAS_INITS}
            best = [b for b in BIAS_INITS if means[b] == max(means.values())]
            for b in BIAS_INITS:
                acc[b].append(means[b])
                ranks[b].append(1.0 + sum(int(means[o] > means[b]) for o in BIAS_INITS))
                wins[b] += (b in best) / len(best)
        rows[setup] = {
            b: {
                "mean_accuracy": statistics.fmean(acc[b]) if acc[b] else None,
                "mean_rank": statistics.fmean(ranks[b]) if ranks[b] else None,
                "wins": wins[b],
                "mean_mse": statistics.fmean(mse[b]) if mse[b] else None,
            }
            for b in BIAS_INITS
        }
    return rows


def report(results, rows, peers, args, seconds):
    seeds = ", ".join(map(str, args.seeds))
    lines = [
        f"# Bias inits ({now()})",
        "",
        f"Setups (rows): the issue's 2-8-8-k with Adam 0.01 and batches of 32, with ReLU or tanh and "
        "Xavier or He weights; `app default`: the Playground's opening network, 2-4-4-k tanh, Xavier, "
        f"SGD 0.03, batches of 10. {args.epochs} epochs, seeds {seeds} (data, split, weights, batch "
        f"order); {N_SAMPLES} points, noise {NOISE}, half to test. For one seed every bias init starts "
        "from the same weights, data and batch order (weights are drawn before biases). `auto` = "
        f"`zeros` for Xavier and He. Took {seconds:.0f} s. `python benchmarks/bench_bias_init.py`.",
        "",
        "## Summary",
        "",
        "Over the classification datasets: mean test accuracy (the mean over datasets of each one's mean "
        "over the seeds) / mean rank among the four bias inits on each dataset (1 = best, ties share the "
        "better rank) / wins (ties shared). Last column: mean test MSE over the regression datasets.",
        "",
        "| setup | " + " | ".join(BIAS_INITS) + " | regression MSE (" + " / ".join(BIAS_INITS) + ") |",
        "|---|" + "---|" * (len(BIAS_INITS) + 1),
    ]
    for setup, row in rows.items():
        cells = [
            "-"
            if r["mean_accuracy"] is None
            else f"{r['mean_accuracy']:.3f} / {r['mean_rank']:.2f} / {r['wins']:.1f}"
            for r in row.values()
        ]
        has_mse = row["zeros"]["mean_mse"] is not None
        mse = " / ".join(f"{r['mean_mse']:.4f}" for r in row.values()) if has_mse else "-"
        lines.append(f"| {setup} | " + " | ".join(cells) + f" | {mse} |")
    lines += [
        "",
        "## Every dataset",
        "",
        "Classification: mean (min) test accuracy over the seeds; regression: mean (max) test MSE.",
        "",
        "| dataset | setup | " + " | ".join(BIAS_INITS) + " |",
        "|---|---|" + "---|" * len(BIAS_INITS),
    ]
    for name, by_setup in results.items():
        regression = nn_core.DATASETS[name].task == "regression"
        for setup, cells in by_setup.items():
            if regression:
                text = [f"{statistics.fmean(c['loss']):.4f} ({max(c['loss']):.4f})" for c in cells.values()]
            else:
                text = [
                    f"{statistics.fmean(c['accuracy']):.3f} ({min(c['accuracy']):.3f})"
                    for c in cells.values()
                ]
            lines.append(f"| {name} | {setup} | " + " | ".join(text) + " |")
    lines += ["", "## The peer: scikit-learn's MLPClassifier on the 3-class spiral", ""]
    if peers is None or "spiral" not in results:
        lines.append("scikit-learn is not installed (or spiral not measured): no peer row.")
        return lines
    lines += [
        "Same data, 2-8-8-3, Adam 0.01, batches of 32, no penalty, no early stop; its own Glorot weights "
        "and biases.",
        "",
        "| hidden | scikit-learn: mean (min) test accuracy | nn_core, Xavier: zeros | nn_core, Xavier: "
        "uniform |",
        "|---|---|---|---|",
    ]
    for activation, accuracies in peers.items():
        ours = results["spiral"][f"{activation}, xavier"]
        mine = [
            f"{statistics.fmean(ours[b]['accuracy']):.3f} ({min(ours[b]['accuracy']):.3f})"
            for b in ("zeros", "uniform")
        ]
        theirs = f"{statistics.fmean(accuracies):.3f} ({min(accuracies):.3f})"
        lines.append(f"| {activation} | {theirs} | {mine[0]} | {mine[1]} |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1")
    parser.add_argument("--datasets", default=",".join(nn_core.DATASETS), help="comma-separated")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    args.seeds = list(range(args.seeds))
    start = time.perf_counter()
    results = measure(args.datasets.split(","), args.seeds, args.epochs)
    peers = {a: sklearn_peer(a, args.seeds, args.epochs) for a in ("relu", "tanh")}
    peers = None if any(p is None for p in peers.values()) else peers
    seconds = time.perf_counter() - start
    rows = summary(results)
    lines = report(results, rows, peers, args, seconds)
    print("\n".join(lines))
    if not args.no_save:
        payload = {
            "date": now(),
            "setup": {
                "setups": SETUPS,
                "epochs": args.epochs,
                "seeds": args.seeds,
                "n_samples": N_SAMPLES,
                "noise": NOISE,
                "test_fraction": TEST_FRACTION,
                "n_classes": N_CLASSES,
            },  # fmt: skip
            "versions": {"numpy": np.__version__},
            "seconds": seconds,
            "results": results,
            "summary": rows,
            "sklearn_spiral": peers,
        }
        save_results("bias_init", payload, lines)


if __name__ == "__main__":
    main()
