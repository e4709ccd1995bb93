"""The engine benchmark's report: the markdown table (times, ratios, targets, pass/miss), the
correctness check's table and the notes on how to read them.
"""

from common import CONTENDED
from engine_workloads import TARGETS, WORKLOADS


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
