"""Speed of one training epoch (and of a decision-boundary grid) in nn_core, PyTorch and scikit-learn.

Run from the repository root::

    python benchmarks/bench_engine.py            # full run, ~1.5 min on 2 cores
    python benchmarks/bench_engine.py --quick    # smoke run, a few seconds of timing
    python benchmarks/bench_engine.py --only W1,W3,G

Method
------
- Same work for every peer. Each workload (W1-W5, defined in perf-anchors.md) draws its data once with
  ``nn_core.make_dataset`` and its Glorot-uniform initial weights once with NumPy; the weights are loaded
  into all peers (torch as ``weight.data = W.T``, sklearn through ``coefs_``/``intercepts_`` after one
  initializing ``partial_fit``, whose optimizer state is then discarded).
- One epoch is what a live UI needs per point of its loss curve:
  nn_core ``Trainer.train``: forward, backward and update over the batches, then the train loss and
  accuracy; torch eager: ``nn.Sequential`` + ``torch.optim`` steps, then ``loss.item()`` (W4: the
  last mini-batch's loss; batches from ``torch.randperm``); sklearn ``MLPClassifier.partial_fit`` once
  (sgd with momentum 0, or adam; alpha 0; its input checks and ``loss_`` included).
- Grid rows (G): a forward pass with probabilities over a 100x100 or 200x200 grid on [-6, 6]^2 for the
  W2, W3 and W5 nets: nn_core ``MLP.forward`` (float64 grid in), torch ``no_grad`` forward + sigmoid or
  softmax (float32 tensor in), sklearn ``predict_proba`` (float64 grid in).
- One thread everywhere: the BLAS/OpenMP variables below are set before NumPy is imported,
  ``torch.set_num_threads(1)``, and threadpoolctl limits every loaded BLAS/OpenMP pool to 1.
- Timing: ``time.perf_counter``. A ~0.3 s warm-up doubles the number of epochs per call until it has
  run long enough, which also calibrates a block of ~0.25 s; then 7 blocks. Time per epoch = block time
  / epochs in the block; reported: the median and the minimum over the blocks. Process CPU time is
  recorded per block: a block with CPU < 0.9 x wall (another process had the core) is discarded and
  run again (at most 7 times per measurement; if still noisy, all blocks are kept and the cell is
  flagged). Training continues across blocks, as it would in the app. Pass/miss compares the median
  with the anchors' targets.
- Dtypes: nn_core float32 (its default; float64 also shown for W1 and W2), torch float32, sklearn
  float64 (what it uses for float64 input, the mode perf-anchors.md reports).
- Correctness check: W2 (300 epochs) and W3 (20 epochs) are trained again from the common weights and
  every peer's final weights are scored by one float64 evaluator (an nn_core float64 model).

Peers that cannot be imported are skipped with a note; NumPy alone is enough to run this file.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

# One thread: set before NumPy (and torch) load their BLAS/OpenMP pools.
os.environ.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import nn_core  # noqa: E402

RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
NOTES = []  # printed under the table and stored in the JSON


def _optional_imports():
    """Import the peers that are available; remember a note for each one that is not."""
    peers = {}
    try:
        import torch

        torch.set_num_threads(1)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:  # only allowed before any inter-op work has started
            pass
        peers["torch"] = torch
    except ImportError as error:
        NOTES.append(f"torch not importable ({error}); its column is skipped.")
    try:
        from sklearn.neural_network import MLPClassifier

        peers["sklearn"] = MLPClassifier
    except ImportError as error:
        NOTES.append(f"scikit-learn not importable ({error}); its column is skipped.")
    try:
        from threadpoolctl import threadpool_info, threadpool_limits

        peers["threadpool_limiter"] = threadpool_limits(limits=1)  # kept alive for the whole run
        peers["threadpool_info"] = threadpool_info
    except ImportError:
        NOTES.append("threadpoolctl not importable; relying on the *_NUM_THREADS variables only.")
    return peers


PEERS = _optional_imports()
torch = PEERS.get("torch")
MLPClassifier = PEERS.get("sklearn")


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


# --- peers: same interface: train(k epochs), predict(grid), final_weights() ----------------------
class NnCorePeer:
    """nn_core ``MLP`` + ``Trainer`` in float32 or float64."""

    def __init__(self, wl, data, init, dtype=np.float32):
        self.X, self.y = data
        self.model = nn_core.MLP(wl.sizes, activation=wl.activation, output=wl.output, dtype=dtype)
        for i, (W, b) in enumerate(zip(*init)):
            self.model.weights[i], self.model.biases[i] = W, b
        self.trainer = nn_core.Trainer(
            self.model,
            loss=wl.loss,
            optimizer=wl.optimizer,
            learning_rate=wl.learning_rate,
            batch_size=wl.batch_size,
            rng=wl.seed,
        )

    def train(self, n_epochs):
        """Run ``n_epochs`` epochs in one ``Trainer.train`` call; return the last train loss."""
        records = self.trainer.train(self.X, self.y, n_epochs)
        if len(records) != n_epochs:
            raise RuntimeError(f"nn_core diverged at epoch {self.trainer.diverged_epoch}")
        self.trainer.history.clear()  # keep memory flat over hundreds of thousands of epochs
        return records[-1]["train_loss"]

    def predict(self, G):
        return self.model.forward(G)

    def loss_now(self):
        """The training loss of the current weights, in the model dtype."""
        return self.trainer.evaluate(self.X, self.y)[0]

    def final_weights(self):
        return list(self.model.weights), list(self.model.biases)


class TorchPeer:
    """PyTorch eager, float32: ``nn.Sequential`` of ``Linear`` + activation; losses on logits where
    torch has the fused form (BCEWithLogits, CrossEntropy), a Sigmoid output layer for MSE."""

    ACTIVATIONS = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU"}

    def __init__(self, wl, data, init):
        torch.manual_seed(wl.seed)
        nn = torch.nn
        layers = []
        for i, (W, b) in enumerate(zip(*init)):
            linear = nn.Linear(*W.shape)
            linear.weight.data = torch.tensor(W.T, dtype=torch.float32)
            linear.bias.data = torch.tensor(b, dtype=torch.float32)
            layers.append(linear)
            if i < len(init[0]) - 1:
                layers.append(getattr(nn, self.ACTIVATIONS[wl.activation])())
        if wl.loss == "mse":
            layers.append(nn.Sigmoid())
            self.loss_fn, self.probabilities = nn.MSELoss(), None
        elif wl.loss == "bce":
            self.loss_fn, self.probabilities = nn.BCEWithLogitsLoss(), torch.sigmoid
        else:
            self.loss_fn, self.probabilities = nn.CrossEntropyLoss(), lambda z: torch.softmax(z, dim=1)
        self.model = nn.Sequential(*layers)
        optimizer = torch.optim.Adam if wl.optimizer == "adam" else torch.optim.SGD
        self.optimizer = optimizer(self.model.parameters(), lr=wl.learning_rate)
        X, y = data
        self.X = torch.tensor(X, dtype=torch.float32)
        self.Y = torch.tensor(y, dtype=torch.long if wl.loss == "cross_entropy" else torch.float32)
        if wl.loss != "cross_entropy":
            self.Y = self.Y.reshape(-1, 1)
        self.batch_size = wl.batch_size

    def _step(self, X, Y):
        self.optimizer.zero_grad()
        loss = self.loss_fn(self.model(X), Y)
        loss.backward()
        self.optimizer.step()
        return loss

    def _epoch(self):
        if self.batch_size is None:
            return self._step(self.X, self.Y).item()
        order = torch.randperm(len(self.X))
        for start in range(0, len(self.X), self.batch_size):
            rows = order[start : start + self.batch_size]
            loss = self._step(self.X[rows], self.Y[rows])
        return loss.item()

    def train(self, n_epochs):
        for _ in range(n_epochs):
            loss = self._epoch()
        return loss

    def grid_input(self, G):
        return torch.tensor(G, dtype=torch.float32)

    def predict(self, G):
        with torch.no_grad():
            return self.probabilities(self.model(G))

    def loss_now(self):
        """The training loss of the current weights (float32)."""
        with torch.no_grad():
            return self.loss_fn(self.model(self.X), self.Y).item()

    def final_weights(self):
        linears = [m for m in self.model if isinstance(m, torch.nn.Linear)]
        return [m.weight.detach().numpy().T for m in linears], [m.bias.detach().numpy() for m in linears]


class SklearnPeer:
    """scikit-learn ``MLPClassifier``, one ``partial_fit`` per epoch (float64 data)."""

    ACTIVATIONS = {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu"}

    def __init__(self, wl, data, init):
        self.X, self.y = data
        self.clf = MLPClassifier(
            hidden_layer_sizes=wl.sizes[1:-1],
            activation=self.ACTIVATIONS[wl.activation],
            solver="adam" if wl.optimizer == "adam" else "sgd",
            alpha=0.0,
            batch_size=wl.batch_size or len(self.X),
            learning_rate="constant",
            learning_rate_init=wl.learning_rate,
            momentum=0.0,
            nesterovs_momentum=False,
            shuffle=True,
            random_state=wl.seed,
            tol=0.0,
            n_iter_no_change=10**9,
        )
        self.clf.partial_fit(self.X, self.y, classes=np.unique(self.y))  # builds coefs_ and its state
        self.clf.coefs_ = [np.array(W, dtype=np.float64) for W in init[0]]
        self.clf.intercepts_ = [np.array(b, dtype=np.float64) for b in init[1]]
        del self.clf._optimizer  # the next partial_fit starts a fresh optimizer on the common weights

    def train(self, n_epochs):
        for _ in range(n_epochs):
            self.clf.partial_fit(self.X, self.y)
        return self.clf.loss_

    def predict(self, G):
        return self.clf.predict_proba(G)

    def loss_now(self):
        """None: sklearn's ``loss_`` is accumulated during the pass, before the last update."""
        return None

    def final_weights(self):
        return self.clf.coefs_, self.clf.intercepts_


def make_peers(wl, *, f64=False):
    """{peer name: peer} for workload ``wl``, all built from the same data and initial weights."""
    data, init = make_data(wl), glorot_weights(wl.sizes, wl.seed)
    peers = {"nn_core f32": NnCorePeer(wl, data, init)}
    if f64:
        peers["nn_core f64"] = NnCorePeer(wl, data, init, dtype=np.float64)
    if torch is not None:
        peers["torch"] = TorchPeer(wl, data, init)
    if MLPClassifier is not None:
        peers["sklearn"] = SklearnPeer(wl, data, init)
    return peers


# --- timing -------------------------------------------------------------------------------------
@dataclass
class Timing:
    """Seconds per epoch (or per grid pass) over the kept blocks."""

    per_call: list
    calls_per_block: int
    cpu_over_wall: float
    discarded: int = 0
    median: float = field(init=False)
    min: float = field(init=False)

    def __post_init__(self):
        self.median, self.min = statistics.median(self.per_call), min(self.per_call)

    def as_dict(self):
        return {
            "median_s": self.median,
            "min_s": self.min,
            "blocks_s": self.per_call,
            "calls_per_block": self.calls_per_block,
            "cpu_over_wall": round(self.cpu_over_wall, 3),
            "discarded_blocks": self.discarded,
        }


@dataclass(frozen=True)
class Method:
    warmup: float = 0.3
    block: float = 0.25
    n_blocks: int = 7
    max_retries: int = 7  # extra blocks allowed to replace blocks spoiled by another process


CONTENDED = 0.9  # CPU/wall below this: the process waited for a core, the wall time is inflated


def measure(run, method):
    """Time ``run(k)`` (k epochs or k grid passes): warm up while calibrating k, then ``n_blocks``
    blocks of ~``method.block`` seconds each. A block whose CPU time is < ``CONTENDED`` of its wall
    time (another process had the core) is run again, up to ``max_retries`` times."""
    k = _calibrate(run, method)
    clean, spoiled = [], []
    while len(clean) < method.n_blocks and len(spoiled) < method.max_retries:
        c0, t0 = time.process_time(), time.perf_counter()
        run(k)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        (clean if cpu >= CONTENDED * wall else spoiled).append((wall, cpu))
    if len(clean) >= method.n_blocks:
        blocks, discarded = clean, len(spoiled)
    else:  # too noisy to filter: keep every block (the table flags it)
        blocks, discarded = clean + spoiled, 0
    wall, cpu = sum(b[0] for b in blocks), sum(b[1] for b in blocks)
    return Timing([b[0] / k for b in blocks], k, cpu / wall, discarded)


def _calibrate(run, method):
    """Warm up for ``method.warmup`` seconds, doubling k; return k for blocks of ~``method.block`` s."""
    k, start = 1, time.perf_counter()
    while True:
        t0 = time.perf_counter()
        run(k)
        elapsed = time.perf_counter() - t0
        if time.perf_counter() - start >= method.warmup:
            break
        if elapsed < method.block / 4:
            k *= 2
    return max(1, round(method.block * k / elapsed))


def bench_training(wl, method):
    """{peer name: Timing} for one training workload."""
    peers = make_peers(wl, f64=wl.id in ("W1", "W2"))
    return {name: measure(peer.train, method) for name, peer in peers.items()}


def bench_grid(net_id, size, method):
    """{peer name: Timing} for one forward pass + probabilities over a size x size grid."""
    peers = make_peers(WORKLOADS[net_id])
    G = grid(size)
    timings = {}
    for name, peer in peers.items():
        G_in = peer.grid_input(G) if isinstance(peer, TorchPeer) else G

        def run(k, peer=peer, G_in=G_in):
            for _ in range(k):
                peer.predict(G_in)

        timings[name] = measure(run, method)
    return timings


# --- correctness check ----------------------------------------------------------------------------
def common_evaluation(wl, data, weights):
    """(loss, accuracy) of ``weights`` on ``data`` with an nn_core float64 model: one evaluator for
    every peer."""
    model = nn_core.MLP(wl.sizes, activation=wl.activation, output=wl.output, dtype=np.float64)
    model.weights, model.biases = weights
    return nn_core.Trainer(model, loss=wl.loss).evaluate(*data)


def run_check(wl, n_epochs):
    """Train every peer ``n_epochs`` from the common weights; rows for the printed check table."""
    data = make_data(wl)
    rows = {}
    for name, peer in make_peers(wl, f64=True).items():
        peer.train(n_epochs)
        loss, acc = common_evaluation(wl, data, peer.final_weights())
        rows[name] = {"own_loss": peer.loss_now(), "loss_f64_evaluator": loss, "accuracy": acc}
    return rows


def check_table(wl, n_epochs, rows):
    """Markdown lines for one correctness check."""
    lines = [
        f"Check {wl.id} ({wl.title}), {n_epochs} epochs from the same initial weights:",
        "",
        "| peer | own final train loss | loss, common float64 evaluator | accuracy |",
        "|---|---|---|---|",
    ]
    for name, r in rows.items():
        own = "—" if r["own_loss"] is None else f"{r['own_loss']:.7g}"
        lines.append(f"| {name} | {own} | {r['loss_f64_evaluator']:.7g} | {r['accuracy']:.3f} |")
    if "torch" in rows:
        a, b = rows["nn_core f32"]["loss_f64_evaluator"], rows["torch"]["loss_f64_evaluator"]
        lines.append(f"\nnn_core f32 vs torch f32: relative difference {abs(a - b) / abs(b):.1e}")
    return lines


# --- report ---------------------------------------------------------------------------------------
def fmt_time(seconds):
    if seconds is None:
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    return f"{seconds * 1e3:.2f} ms"


def fmt_timing(t):
    if t is None:
        return "—"
    mark = " †" if t.cpu_over_wall < CONTENDED else ""
    return f"{fmt_time(t.median)} ({fmt_time(t.min)}){mark}"


def fmt_ratio(ratio):
    """'—', '0.98×' (two decimals near the 1x-1.5x targets) or '12.3×'."""
    if ratio is None:
        return "—"
    return f"{ratio:.2f}×" if ratio < 10 else f"{ratio:.1f}×"


def fmt_limit(seconds):
    return f"{seconds * 1e6:g} µs" if seconds < 1e-3 else f"{seconds * 1e3:g} ms"


def fmt_target(row_id):
    if row_id not in TARGETS:
        return "—"
    limit, ratio = TARGETS[row_id]
    parts = [f"≤ {fmt_limit(limit)}"] + ([f"torch/nn_core ≥ {ratio:g}×"] if ratio else [])
    return ", ".join(parts)


def verdict(row_id, nn_median, torch_ratio):
    """'pass', 'MISS (...)' or '—' (no target) for the nn_core median and the torch/nn_core ratio."""
    if row_id not in TARGETS:
        return "—"
    limit, ratio = TARGETS[row_id]
    misses = []
    if nn_median > limit:
        misses.append("time")
    if ratio is not None and torch_ratio is not None and torch_ratio < ratio:
        misses.append("ratio")
    return "pass" if not misses else f"MISS ({', '.join(misses)})"


def table_rows(results):
    """One dict per table row: row id, label and the timings of nn_core, torch and sklearn."""
    rows = []
    for key, timings in results.items():
        if key.startswith("G-"):
            _, net, size = key.split("-")
            label = f"G: {net} net, {size}² grid"
            rows.append((key, label, timings.get("nn_core f32"), timings))
        else:
            rows.append((key, f"{key}: {WORKLOADS[key].title}", timings.get("nn_core f32"), timings))
            if "nn_core f64" in timings:
                label = f"{key} with nn_core **float64** (nn_core column)"
                rows.append((f"{key}-f64", label, timings["nn_core f64"], timings))
    return rows


def markdown_table(results):
    lines = [
        "| workload | nn_core f32 | torch eager f32 | sklearn partial_fit f64 | torch/nn_core "
        "| sklearn/nn_core | target | pass/miss |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row_id, label, nn, timings in table_rows(results):
        peer_t, sk_t = timings.get("torch"), timings.get("sklearn")
        torch_ratio = peer_t.median / nn.median if peer_t else None
        sk_ratio = sk_t.median / nn.median if sk_t else None
        cells = [
            label,
            fmt_timing(nn),
            fmt_timing(peer_t),
            fmt_timing(sk_t),
            fmt_ratio(torch_ratio),
            fmt_ratio(sk_ratio),
            fmt_target(row_id),
            verdict(row_id, nn.median, torch_ratio),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def machine_info():
    """CPU, versions, threads and load before the run, for the JSON."""
    info = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": getattr(torch, "__version__", None),
        "sklearn": None,
        "cpu": _cpu_model(),
        "avx512": "avx512f" in _cpu_flags(),
        "numpy_call_ns": numpy_call_ns(),
        "logical_cpus": os.cpu_count(),
        "loadavg_before": os.getloadavg(),
    }
    if MLPClassifier is not None:
        import sklearn

        info["sklearn"] = sklearn.__version__
    if "threadpool_info" in PEERS:
        info["threadpools"] = [
            {k: p.get(k) for k in ("user_api", "internal_api", "num_threads")}
            for p in PEERS["threadpool_info"]()
        ]
    if torch is not None:
        info["torch_threads"] = torch.get_num_threads()
    try:
        import psutil

        info["other_cpu_load_before"] = psutil.cpu_percent(interval=0.3) / 100
    except ImportError:
        pass
    return info


def _cpuinfo_field(name):
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _cpu_model():
    return _cpuinfo_field("model name") or platform.processor() or platform.machine()


def _cpu_flags():
    return _cpuinfo_field("flags").split()


def numpy_call_ns():
    """Best-of-7 cost of a tiny ``np.add(x, y, out)`` call in ns: the per-call overhead that bounds
    W1/W2/W4 (413 ns on the perf-anchors machine), to compare machines."""
    x = np.ones((4, 2), np.float32)
    out = np.empty_like(x)
    best = float("inf")
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(20_000):
            np.add(x, x, out)
        best = min(best, (time.perf_counter() - t0) / 20_000)
    return round(best * 1e9)


def standing_notes(results):
    """Notes on how to read the table (the sklearn W1 one only when that cell exists)."""
    notes = [
        "Cells: median (min) time per epoch, or per grid pass, over the timed blocks; pass/miss uses "
        "the median. Ratios > 1 mean nn_core is faster.",
        "An nn_core epoch also evaluates train loss and accuracy; torch's ends with loss.item() "
        "(W4: the last mini-batch's loss); sklearn's partial_fit computes its loss_ during the pass.",
    ]
    if any(t.cpu_over_wall < CONTENDED for timings in results.values() for t in timings.values()):
        notes.append(
            f"† CPU time / wall time < {CONTENDED} even after the allowed re-runs: another process kept "
            "taking the core, so that wall time is inflated. Rerun on a quiet machine."
        )
    n_discarded = sum(t.discarded for timings in results.values() for t in timings.values())
    if n_discarded:
        notes.append(
            f"{n_discarded} block(s) in which another process took the core (CPU/wall < {CONTENDED}) "
            "were discarded and run again."
        )
    if "sklearn" in results.get("W1", {}):
        notes.append(
            "sklearn's W1 uses log-loss, not MSE: MLPClassifier has no MSE classifier "
            "(always a logistic output + log-loss)."
        )
    return notes


# --- main -----------------------------------------------------------------------------------------
SELECTABLE = (*WORKLOADS, "G", "check")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short warm-up and 3 short blocks (smoke run)")
    parser.add_argument(
        "--only",
        default=",".join(SELECTABLE),
        help=f"comma-separated subset of {','.join(SELECTABLE)} (G = all grid rows)",
    )
    parser.add_argument("--no-save", action="store_true", help=f"do not write {RESULTS_DIR.name}/engine.*")
    args = parser.parse_args(argv)
    wanted = {s.strip().upper() for s in args.only.split(",") if s.strip()}
    unknown = wanted - {s.upper() for s in SELECTABLE}
    if unknown:
        parser.error(f"--only: unknown {sorted(unknown)}; choose from {','.join(SELECTABLE)}")
    args.only = [s for s in SELECTABLE if s.upper() in wanted]
    return args


def run_benchmarks(selection, method):
    """{row key: {peer: Timing}} for the selected training workloads and grids, in table order."""
    results = {}
    for wl_id in (s for s in selection if s in WORKLOADS):
        print(f"  {wl_id} ...", flush=True)
        results[wl_id] = bench_training(WORKLOADS[wl_id], method)
    if "G" in selection:
        for net_id in GRID_NETS:
            for size in GRID_SIZES:
                print(f"  G {net_id} {size}x{size} ...", flush=True)
                results[f"G-{net_id}-{size}"] = bench_grid(net_id, size, method)
    return results


def save(results, checks, info, md_lines):
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    payload = {
        "meta": info,
        "notes": NOTES + standing_notes(results),
        "targets": {k: {"max_median_s": v[0], "min_torch_ratio": v[1]} for k, v in TARGETS.items()},
        "results": {
            key: {peer: t.as_dict() for peer, t in timings.items()} for key, timings in results.items()
        },
        "checks": checks,
    }
    (RESULTS_DIR / "engine.json").write_text(json.dumps(payload, indent=2) + "\n")
    (RESULTS_DIR / "engine.md").write_text("\n".join(md_lines) + "\n")
    print(f"\nWrote {RESULTS_DIR.relative_to(REPO_ROOT)}/engine.json and engine.md")


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    method = Method(0.05, 0.03, 3, 3) if args.quick else Method()
    info = machine_info()
    info.update(quick=args.quick, only=args.only, method=vars(method))
    print(f"nn_core engine benchmark: {info['cpu']}, 1 thread, {'quick' if args.quick else 'full'} run")
    if info.get("other_cpu_load_before", 0) > 0.3:
        NOTES.append(
            f"The machine was busy before the run ({info['other_cpu_load_before']:.0%} of its CPUs in use "
            "by other processes): expect inflated and noisy times."
        )
    for note in NOTES:
        print(f"NOTE: {note}")

    results = run_benchmarks(args.only, method)
    checks, check_lines = {}, []
    if "check" in args.only:
        for wl_id, n_epochs in CHECKS.items():
            rows = run_check(WORKLOADS[wl_id], n_epochs)
            checks[wl_id] = {"epochs": n_epochs, "peers": rows}
            check_lines += ["", *check_table(WORKLOADS[wl_id], n_epochs, rows)]

    info["total_s"] = round(time.perf_counter() - started, 1)
    mode = "quick" if args.quick else "full"
    if args.only != list(SELECTABLE):
        mode += f", only {','.join(args.only)}"
    header = [
        f"# nn_core engine benchmark ({info['date']}, {mode} run)",
        "",
        f"{info['cpu']}, one thread; Python {info['python']}, NumPy {info['numpy']}, "
        f"torch {info['torch']}, scikit-learn {info['sklearn']}. Total run time {info['total_s']} s.",
        f"AVX-512: {'yes' if info['avx512'] else 'no'}; a tiny NumPy call (np.add, out=) costs "
        f"{info['numpy_call_ns']} ns here. The targets were set on an AMD EPYC Zen 3 without AVX-512 "
        "where it costs 413 ns (perf-anchors.md), so absolute times move with the machine.",
        "",
    ]
    md = header + (markdown_table(results) if results else ["(no timing rows selected)"])
    md += [""] + [f"- {note}" for note in NOTES + standing_notes(results)] + check_lines
    print("\n" + "\n".join(md))
    if not args.no_save:
        save(results, checks, info, md)


if __name__ == "__main__":
    main()
