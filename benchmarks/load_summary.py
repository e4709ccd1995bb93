"""The load benchmark's figures: from what the sessions recorded and the probe read, one run's record.

- ``session_numbers``: one session's figures over the measured window (updates, frames and epochs a
  second, the longest gap, runs delivered and cut, first paint, errors and cross-talk).
- ``summarize``: the run's figures (medians and worsts over the sessions; the server's cores, its CPU
  per run and what of it is training and snapshots; memory at each phase; the other cores), with the
  tracebacks in the server's log as errors.
- ``finish``: the record saved in ``benchmarks/results/load*.json`` (with ``--url``, what was not
  measured is null: ``no_nan``).
"""

import collections
import itertools
import math
import statistics

from load_client import FINISHED_EARLY_FOR_RERUN, FINISHED_FRAGMENT_RUN, STALL_SECONDS


def session_numbers(session, t0, t1):
    """One session's figures over the window ``t0``..``t1`` (monotonic seconds)."""
    window = t1 - t0
    inside = [p for p in session.payloads if t0 < p[0] <= t1 and p[2]]
    before = [p for p in session.payloads if p[0] <= t0 and p[3]]
    epoch0 = before[-1][3][-1] if before else 0
    epoch1 = max((p[3][-1] for p in inside if p[3]), default=epoch0)
    times = [t0] + [p[0] for p in inside] + [t1]
    max_gap = max(b - a for a, b in zip(times, times[1:]))
    ends = [status for t, status in session.finished if t0 < t <= t1]
    if session.training.is_set() and max_gap > STALL_SECONDS:
        session.error("timeout", f"{max_gap:.1f} s without a payload while running")
    return {
        "index": session.plan["index"],
        "dataset": session.plan["dataset"],
        "points": session.plan["points"],
        "query": session.plan["query"],
        "first_paint_s": _round(session.t_painted - session.t_connect if session.t_painted else None),
        "play_to_training_s": _round(session.t_training - session.t_play if session.t_training else None),
        "updates": len(inside),
        "updates_per_s": len(inside) / window,
        "frames_per_s": sum(len(p[3]) for p in inside) / window,
        "epochs_per_s": (epoch1 - epoch0) / window,
        "epochs_per_update": (epoch1 - epoch0) / len(inside) if inside else 0.0,
        "frames": sum(len(p[3]) for p in inside),
        "epochs": epoch1 - epoch0,
        "max_gap_s": round(max_gap, 3),
        "kib_per_s": sum(p[4] for p in inside) / 1024 / window,
        "auto_reruns_sent": session.pacer.auto_reruns_sent,
        "tick_requests": session.pacer.tick_requests,
        "fragment_runs_delivered": ends.count(FINISHED_FRAGMENT_RUN),
        "runs_cut": ends.count(FINISHED_EARLY_FOR_RERUN),
        "errors": session.errors,
        "crosstalk": session.crosstalk[:10],
        "crosstalk_count": len(session.crosstalk),
        "notes": session.notes[:5],
        "stream": session.stream,
        "upstream": session.upstream,
        "train_ms_per_epoch_alone": 1000 * session.expected["train_s_per_epoch"],
        "snapshot_ms_alone": 1000 * session.expected["snapshot_s"],
    }


def _round(value, digits=3):
    return None if value is None else round(value, digits)


def no_nan(record):
    """``record`` with its NaN figures (not measured) as None."""
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in record.items()}


def finish(n, extra, args, background, sessions, late, phases, probe, log_text, healthy_after):
    """The run's record from the sessions and the probe's readings."""
    t0, t1 = phases["window_start"]["t"], phases["window_end"]["t"]
    per_session = [session_numbers(s, t0, t1) for s in sessions]
    run = summarize(n, per_session, phases, probe.series, log_text, healthy_after)
    if args.url:  # not measured: null in the JSON, "–" in the tables
        run = no_nan(run) | {"series": [no_nan(r) for r in run["series"]]}
    late_paint = late.t_painted - late.t_connect if late.t_painted else None
    run |= {
        "late_first_paint_s": _round(late_paint),
        "late_crosstalk": late.crosstalk,
        "late_errors": late.errors,
    }
    run["crosstalk_count"] += len(late.crosstalk)
    run |= {
        "extra_query": extra,
        "server_env": args.server_env or [],
        "background_cores_before": round(background, 2),
        "url": args.url,
        "upstreams": dict(collections.Counter(s["upstream"] or "?" for s in per_session)),
    }
    return run


def tracebacks(log_text):
    """Each traceback in the server's log as one line: its last frame and its exception."""
    found, lines = [], log_text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            block = list(itertools.takewhile(lambda x: x.startswith((" ", "Traceback")), lines[i:]))
            frame = next((x.strip() for x in reversed(block) if x.strip().startswith("File ")), "")
            end = lines[i + len(block)] if i + len(block) < len(lines) else ""
            found.append(f"{frame} -> {end.strip()}"[:300])
    return found


def summarize(n, per_session, phases, series, log_text, healthy_after):
    start, end = phases["window_start"], phases["window_end"]
    window = end["t"] - start["t"]
    server_cpu = end["server_cpu"] - start["server_cpu"]
    updates = sum(s["updates"] for s in per_session)
    runs = sum(s["fragment_runs_delivered"] + s["runs_cut"] for s in per_session)
    train_cpu = sum(s["epochs"] * s["train_ms_per_epoch_alone"] / 1000 for s in per_session)
    # frames per run as seen in the delivered runs, times every run (cut runs took snapshots too)
    snapshot_cpu = (
        sum(
            s["frames"]
            / max(s["updates"], 1)
            * (s["fragment_runs_delivered"] + s["runs_cut"])
            * s["snapshot_ms_alone"]
            for s in per_session
        )
        / 1000
    )
    errors = [dict(e, session=s["index"]) for s in per_session for e in s["errors"]]
    errors += [{"session": None, "kind": "server log", "detail": t} for t in tracebacks(log_text)]
    if not healthy_after:
        errors.append({"session": None, "kind": "server", "detail": "server exited during the run"})
    rates = [s["updates_per_s"] for s in per_session]
    paints = [s["first_paint_s"] for s in per_session[1:] if s["first_paint_s"] is not None]
    plays = [s["play_to_training_s"] for s in per_session if s["play_to_training_s"] is not None]
    rss_one, rss_connected, rss_end = (
        phases["one_session"]["rss_mb"],
        phases["all_connected"]["rss_mb"],
        end["rss_mb"],
    )
    extra = n - 1
    per_run = (lambda seconds: 1000 * seconds / runs) if runs else (lambda seconds: None)
    client_cpu = end["client_cpu"] - start["client_cpu"]
    machine_cpu = end["machine_busy"] - start["machine_busy"]
    return {
        "sessions": n,
        "window_s": round(window, 3),
        "errors": errors,
        "error_count": len(errors),
        "crosstalk_count": sum(s["crosstalk_count"] for s in per_session),
        "distinct_streams": len({s["stream"] for s in per_session if s["stream"]}),
        "updates_per_s_median": statistics.median(rates),
        "updates_per_s_worst": min(rates),
        "updates_per_s_best": max(rates),
        "frames_per_s_median": statistics.median(s["frames_per_s"] for s in per_session),
        "epochs_per_s_median": statistics.median(s["epochs_per_s"] for s in per_session),
        "epochs_per_update_median": statistics.median(s["epochs_per_update"] for s in per_session),
        "max_gap_s_worst": max(s["max_gap_s"] for s in per_session),
        "runs_delivered": sum(s["fragment_runs_delivered"] for s in per_session),
        "runs_cut": sum(s["runs_cut"] for s in per_session),
        "kib_per_s_total": sum(s["kib_per_s"] for s in per_session),
        "cold_first_paint_s": per_session[0]["first_paint_s"],
        "first_paint_s_median": statistics.median(paints) if paints else per_session[0]["first_paint_s"],
        "first_paint_s_worst": max(paints) if paints else per_session[0]["first_paint_s"],
        "play_to_training_s_median": statistics.median(plays) if plays else None,
        "play_to_training_s_worst": max(plays) if plays else None,
        "server_cores": server_cpu / window,
        "server_cores_per_session": server_cpu / window / n,
        "main_thread_cores": (end["main_thread_cpu"] - start["main_thread_cpu"]) / window,
        "workers_cores": (end["workers_cpu"] - start["workers_cpu"]) / window,
        "workers_mb_end": end["workers_mb"],
        "server_ms_per_update": 1000 * server_cpu / updates if updates else None,
        "server_ms_per_run": per_run(server_cpu),
        "train_ms_per_run_est": per_run(train_cpu),
        "snapshot_ms_per_run_est": per_run(snapshot_cpu),
        "rest_ms_per_run_est": per_run(server_cpu - train_cpu - snapshot_cpu),
        "runs_per_s_per_session": runs / window / n,
        "client_cores": client_cpu / window,
        "machine_busy_cores": machine_cpu / window,
        "other_cores": (machine_cpu - server_cpu - client_cpu) / window,
        "server_threads": end["threads"],
        "rss_idle_mb": phases["idle"]["rss_mb"],
        "rss_one_session_mb": rss_one,
        "rss_all_connected_mb": rss_connected,
        "rss_end_mb": rss_end,
        "rss_peak_mb": max(r["rss_mb"] for r in series) if series else rss_end,
        "rss_after_close_mb": phases["closed"]["rss_mb"],
        "mb_per_extra_session_connected": (rss_connected - rss_one) / extra if extra else None,
        # the server process only: the worker processes are a fixed cost (one per core), not per session
        "mb_per_extra_session": (
            (rss_end - end["workers_mb"] - (rss_one - phases["one_session"]["workers_mb"])) / extra
            if extra
            else None
        ),
        "per_session": per_session,
        "series": [
            {k: round(v - series[0]["t"] if k == "t" else v, 3) for k, v in r.items()} for r in series
        ],
    }
