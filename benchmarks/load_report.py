"""The load benchmark's report: the printed text, also saved as ``benchmarks/results/load*.md``.

The two tables (per session; the server over the window) and their columns, the targets a run must
meet and its verdicts, and the notes that say how each figure is measured.
"""

import collections

from load_client import LATE_EXTRA_SECONDS
from load_plan import DATASETS, FIRST_POINTS, POINTS_STEP

TARGET_UPDATES_PER_S = 2.0  # every session at least this many delivered updates a second (up to 30)
TARGET_UPDATES_PER_S_CROWD = 1.0  # ... and beyond 30 sessions (issue 13: 100 sessions)
TARGET_FRAMES_PER_S = 15.0  # the median session sees at least this many boundary frames a second
TARGET_EPOCHS_PER_S = 100.0  # ... and trains at least this many epochs a second
TARGET_MB_PER_SESSION = 10.0  # server memory per extra session


def _fmt(value, pattern="{:.1f}"):
    return "–" if value is None else pattern.format(value)


def label(run):
    """A run's name: its session count, and any extra query or server environment."""
    extras = [run["extra_query"], *run["server_env"]]
    return f"{run['sessions']}" + "".join(f" ({x})" for x in extras if x)


SESSION_COLUMNS = [
    ("sessions", label),
    ("errors", lambda r: f"{r['error_count']}"),
    ("cross-talk", lambda r: f"{r['crosstalk_count']}"),
    ("updates/s median", lambda r: f"{r['updates_per_s_median']:.2f}"),
    ("updates/s worst", lambda r: f"{r['updates_per_s_worst']:.2f}"),
    ("frames/s median", lambda r: f"{r['frames_per_s_median']:.1f}"),
    ("epochs/s median", lambda r: f"{r['epochs_per_s_median']:.0f}"),
    ("epochs / update", lambda r: f"{r['epochs_per_update_median']:.0f}"),
    ("longest gap s", lambda r: f"{r['max_gap_s_worst']:.2f}"),
    ("runs cut", lambda r: f"{r['runs_cut']} of {r['runs_cut'] + r['runs_delivered']}"),
    ("first paint s median", lambda r: _fmt(r["first_paint_s_median"], "{:.2f}")),
    ("first paint s worst", lambda r: _fmt(r["first_paint_s_worst"], "{:.2f}")),
    ("cold first paint s", lambda r: _fmt(r["cold_first_paint_s"], "{:.2f}")),
    ("late joiner first paint s", lambda r: _fmt(r["late_first_paint_s"], "{:.2f}")
     if r["late_first_paint_s"] is not None else f"> {r['window_s'] / 2 + LATE_EXTRA_SECONDS:.0f}"),
    ("Play → training s median / worst", lambda r: _fmt(r["play_to_training_s_median"], "{:.2f}") + " / "
     + _fmt(r["play_to_training_s_worst"], "{:.2f}")),
]  # fmt: skip
SERVER_COLUMNS = [
    ("sessions", label),
    ("server cores", lambda r: _fmt(r["server_cores"], "{:.2f}")),
    ("cores / session", lambda r: _fmt(r["server_cores_per_session"], "{:.3f}")),
    ("main thread cores", lambda r: _fmt(r["main_thread_cores"], "{:.2f}")),
    ("of which workers", lambda r: _fmt(r.get("workers_cores"), "{:.2f}")),
    ("runs/s per session", lambda r: f"{r['runs_per_s_per_session']:.2f}"),
    ("server ms / run", lambda r: _fmt(r["server_ms_per_run"])),
    ("of which training", lambda r: _fmt(r["train_ms_per_run_est"])),
    ("snapshots", lambda r: _fmt(r["snapshot_ms_per_run_est"])),
    ("rest", lambda r: _fmt(r["rest_ms_per_run_est"])),
    ("server ms / delivered update", lambda r: _fmt(r["server_ms_per_update"], "{:.0f}")),
    ("RSS idle MB", lambda r: _fmt(r["rss_idle_mb"], "{:.0f}")),
    ("RSS 1 session", lambda r: _fmt(r["rss_one_session_mb"], "{:.0f}")),
    ("RSS N connected", lambda r: _fmt(r["rss_all_connected_mb"], "{:.0f}")),
    ("RSS end", lambda r: _fmt(r["rss_end_mb"], "{:.0f}")),
    ("of which workers", lambda r: _fmt(r.get("workers_mb_end"), "{:.0f}")),
    ("MB / extra session", lambda r: _fmt(r["mb_per_extra_session"], "{:.2f}")),
    ("KiB/s sent", lambda r: f"{r['kib_per_s_total']:.0f}"),
    ("client cores", lambda r: f"{r['client_cores']:.2f}"),
    ("other cores", lambda r: _fmt(r["other_cores"], "{:.2f}")),
]


def table(columns, runs):
    lines = ["| " + " | ".join(name for name, _ in columns) + " |", "|" + "---|" * len(columns)]
    return lines + ["| " + " | ".join(cell(r) for _, cell in columns) + " |" for r in runs]


def verdicts(run):
    """(target, pass/miss, figure) for one run."""
    worst = run["updates_per_s_worst"]
    mb = run["mb_per_extra_session"]
    class_size = run["sessions"] <= 30  # beyond a class of 30 (issue 13's 100): updates, errors, memory
    least = TARGET_UPDATES_PER_S if class_size else TARGET_UPDATES_PER_S_CROWD
    fps, eps = run["frames_per_s_median"], run["epochs_per_s_median"]
    picture = [
        (f"median ≥ {TARGET_FRAMES_PER_S:g} frames/s", fps >= TARGET_FRAMES_PER_S, f"{fps:.1f}/s"),
        (f"median ≥ {TARGET_EPOCHS_PER_S:g} epochs/s", eps >= TARGET_EPOCHS_PER_S, f"{eps:.0f}/s"),
    ]
    return [
        (f"every session ≥ {least:g} updates/s", worst >= least, f"worst {worst:.2f}/s"),
        *(picture if class_size else []),
        (
            f"memory < {TARGET_MB_PER_SESSION:g} MB per extra session",
            None if mb is None else mb < TARGET_MB_PER_SESSION,
            _fmt(mb, "{:.2f} MB"),
        ),
        ("no error", run["error_count"] == 0, f"{run['error_count']} errors"),
        (
            "no cross-talk",
            run["crosstalk_count"] == 0 and run["distinct_streams"] == run["sessions"],
            f"{run['crosstalk_count']} foreign payloads, {run['distinct_streams']} distinct streams",
        ),
    ]


def report(runs, info, args):
    lines = [
        "# Load benchmark: concurrent Playground sessions on one Streamlit server",
        "",
        f"{info['date']} · {info['cpus']} CPUs shared by the server and the clients · load average before "
        f"{', '.join(map(str, info['load_average_before']))} · Python {info['python']} · streamlit "
        f"{info['streamlit']} · websockets {info['websockets']} · window {args.seconds:g} s after "
        f"{args.warmup:g} s of Play · clients: Streamlit's websocket protocol from Python (no browser)",
        "",
        *(
            [
                f"Server: {args.url}, an already-running deployment (--url). Its CPU, memory and log are not "
                "measured here (no PID): those columns say –. Sessions per replica (X-Upstream): "
                + "; ".join(f"{label(r)} sessions: {r['upstreams']}" for r in runs),
                "",
            ]
            if args.url
            else []
        ),
        "Per session (delivered updates = live-chart payloads while running, one per server tick; frames = "
        "the snapshots in them):",
        "",
        *table(SESSION_COLUMNS, runs),
        "",
        "Server (psutil, over the window):",
        "",
        *table(SERVER_COLUMNS, runs),
        "",
        "Targets:",
        "",
    ]
    for run in runs:
        for target, ok, figure in verdicts(run):
            verdict = "n/a" if ok is None else ("pass" if ok else "**miss**")
            lines.append(f"- {label(run)} sessions: {target}: {verdict} ({figure})")
    for run in runs:
        if run["errors"]:
            kinds = collections.Counter(e["kind"] for e in run["errors"])
            lines.append(
                f"- {label(run)} sessions, errors: " + ", ".join(f"{k} {v}" for k, v in kinds.items())
            )
        shown = [e for e in run["errors"] if e["session"] is None] + [
            e for e in run["errors"] if e["session"] is not None
        ][:3]
        for e in shown:
            where = f"session {e['session']}" if e["session"] is not None else "server"
            lines.append(f"  - {where}: {e['kind']}: {e['detail']}")
    lines += [
        "",
        "- sessions: dataset rotates over " + ", ".join(DATASETS) + f"; points {FIRST_POINTS}, "
        f"{FIRST_POINTS + POINTS_STEP}, ... (one per session); otherwise the default configuration.",
        "- runs cut: runs in the window whose script_finished arrived as FINISHED_EARLY_FOR_RERUN: their "
        "deltas (the payload) were still queued, unsent, when the next run of the fragment started, and "
        "Streamlit dropped them (forward_msg_queue.clear at a fragment run's start).",
        "- first paint: websocket connect -> first live-chart payload, for the N-1 sessions that connect "
        "at once after the first; cold: the first session alone on a fresh server (the app's imports); "
        "late joiner: one more session opening the page halfway through the window, while the others train "
        "(it does not press Play and is not counted elsewhere, except for cross-talk).",
        "- runs: the sessions' fragment runs (ticks) in the window, delivered or cut. server ms / run: "
        "server CPU in the window / runs. 'of which training': epochs trained in the window (from the "
        "payloads) x each configuration's in-process cost per epoch; 'snapshots': frames per run x runs x "
        "the cost of one snapshot (both measured alone, before the server starts); 'rest': everything else "
        "a fragment run costs (Streamlit's run, the page's status and metrics, the payload's JSON, the "
        "websocket). server ms / delivered update: server CPU / payloads that arrived.",
        "- main thread: the server's event loop (websockets, message queues); the scripts run in one thread "
        "per session, all under one GIL.",
        "- MB / extra session: (RSS at the end of the window - RSS with one session) / (N - 1), of the "
        "server process alone: the worker processes (one per core, 'of which workers') are a fixed cost.",
    ]
    return lines
