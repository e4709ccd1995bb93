"""The load benchmark's sessions and what each must receive (benchmarks/bench_load.py).

- ``session_plan``: the N sessions' configurations (the dataset rotates, ``points`` distinct per session).
- ``expectations``: what a session on a configuration must receive (task, classes, training points, the
  bytes of one frame) and what its work costs here, in-process (an epoch, a snapshot).
- ``spec_mismatch`` / ``frames_mismatch``: the cross-talk checks of a payload against those expectations.
"""

import base64
import time
import urllib.parse
import zlib

import numpy as np

DATASETS = ("circles", "xor", "moons", "gaussian", "spiral", "blobs", "plane", "multi_gaussian")
FIRST_POINTS, POINTS_STEP = 200, 10  # session i asks for 200 + 10 i points


def session_plan(n, extra):
    """The N sessions' configurations: [{index, dataset, points, query, config}]."""
    from playground.core.config import from_query, to_query

    plan = []
    for i in range(n):
        params = {"data": DATASETS[i % len(DATASETS)], "points": str(FIRST_POINTS + POINTS_STEP * i)}
        params |= dict(urllib.parse.parse_qsl(extra))
        config, _ = from_query(params)  # fixes the output head for multi-class and regression data
        query = urllib.parse.urlencode(to_query(config), safe=",")
        plan.append({"index": i, "dataset": config.dataset, "points": config.n_samples})
        plan[-1] |= {"query": query, "config": config}
    return plan


def expectations(config):
    """What a session on ``config`` must receive, and what its work costs here (in-process)."""
    from playground.core.experiment import Experiment
    from playground.live import frames

    exp = Experiment(config)
    one = frames.snapshot(exp)
    expected = {
        "task": config.task,
        "classes": config.classes,
        "train_x": np.sort(np.asarray(exp.points[0][:, 0], dtype=np.float64)),
        "u8_per_frame": len(one.u8),
        "f32_per_frame": len(one.f32),
    }
    exp.train(5)  # warm-up, then time epochs and snapshots as a tick would
    start = time.perf_counter()
    epochs = 0
    while time.perf_counter() - start < 0.1:
        epochs += exp.train(10)
    expected["train_s_per_epoch"] = (time.perf_counter() - start) / max(epochs, 1)
    start = time.perf_counter()
    for _ in range(5):
        frames.snapshot(exp)
    expected["snapshot_s"] = (time.perf_counter() - start) / 5
    return expected


def typed_array(value):
    """A plotly JSON array (a list, or plotly >= 6's base64 typed array) as a float64 numpy array."""
    if isinstance(value, dict) and "bdata" in value:
        raw = base64.b64decode(value["bdata"])
        return np.frombuffer(raw, dtype=np.dtype(value["dtype"])).astype(np.float64)
    return np.asarray(value, dtype=np.float64)


def spec_mismatch(expected, spec):
    """Why the charts' ``spec`` is not the one of the session that expects ``expected`` (None: it is)."""
    e = expected
    boundary = spec.get("boundary", {})
    if boundary.get("task") != e["task"] or boundary.get("classes") != e["classes"]:
        return f"spec for {boundary.get('task')}/{boundary.get('classes')}, asked {e['task']}"
    traces = boundary.get("figure", {}).get("data", [])
    xs = [typed_array(t["x"]) for t in traces if t.get("type") == "scatter" and "x" in t]
    x = np.sort(np.concatenate(xs)) if xs else np.zeros(0)
    if len(x) != len(e["train_x"]) or not np.allclose(x, e["train_x"]):
        return f"spec with {len(x)} training points, expected {len(e['train_x'])} of this dataset"
    return None


def frames_mismatch(expected, packed):
    """Why the packed frames are not of the expected network (None: they are); ``packed`` has epochs."""
    n = len(packed["epochs"])
    u8 = len(zlib.decompress(base64.b64decode(packed["u8"])))
    f32 = len(base64.b64decode(packed["f32"]))
    if u8 != n * expected["u8_per_frame"] or f32 != n * expected["f32_per_frame"]:
        return f"frames of another network: {u8} / {f32} bytes for {n} frames"
    return None
