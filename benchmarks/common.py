"""What the benchmark scripts share: where results go, one thread, the clock, the machine.

Standard library only (psutil imported where it is used), so a script can import this before it sets
the thread variables and loads NumPy:

- ``REPO_ROOT``, ``RESULTS_DIR``; ``save_results(name, payload, md_lines[, indent])`` writes
  ``benchmarks/results/<name>.json`` and ``<name>.md``.
- ``ONE_THREAD``: the BLAS/OpenMP variables that pin NumPy (and torch) to one thread, to set before
  they load.
- Timing: ``clock(fn)`` -> (wall, cpu) seconds of one call; ``CONTENDED``, the CPU/wall ratio below
  which another process had the core; ``Method`` / ``measure`` / ``Timing``: calibrated blocks of
  calls, spoiled blocks run again (the engine benchmark's method).
- The machine: ``now()``, ``cpu_model()``, ``cpu_flags()``; psutil CPU seconds of processes
  (``cpu_seconds``, ``cpu_delta``) and of the whole machine (``machine_busy_seconds``).
"""

import json
import platform
import statistics
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
CONTENDED = 0.9  # CPU/wall below this: the process waited for a core, the wall time is inflated


# --- results ------------------------------------------------------------------------------------
def now():
    """The current UTC time, to the second, ISO 8601: the date stamped on every result."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def save_results(name, payload, md_lines, indent=2):
    """Write ``payload`` as ``RESULTS_DIR/<name>.json`` (``indent``), ``md_lines`` as ``<name>.md``; return
    both paths."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    json_path, md_path = RESULTS_DIR / f"{name}.json", RESULTS_DIR / f"{name}.md"
    json_path.write_text(json.dumps(payload, indent=indent) + "\n")
    md_path.write_text("\n".join(md_lines) + "\n")
    return json_path, md_path


# --- timing -------------------------------------------------------------------------------------
def clock(fn, *args):
    """(wall seconds, process CPU seconds) of one call ``fn(*args)``."""
    c0, t0 = time.process_time(), time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0, time.process_time() - c0


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


def measure(run, method):
    """Time ``run(k)`` (k epochs or k grid passes): warm up while calibrating k, then ``n_blocks``
    blocks of ~``method.block`` seconds each. A block whose CPU time is < ``CONTENDED`` of its wall
    time (another process had the core) is run again, up to ``max_retries`` times."""
    k = _calibrate(run, method)
    clean, spoiled = [], []
    while len(clean) < method.n_blocks and len(spoiled) < method.max_retries:
        wall, cpu = clock(run, k)
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


# --- the machine ----------------------------------------------------------------------------------
def _cpuinfo_field(name):
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def cpu_model():
    """The CPU's model name (``/proc/cpuinfo``, else what ``platform`` knows)."""
    return _cpuinfo_field("model name") or platform.processor() or platform.machine()


def cpu_flags():
    """The CPU's feature flags (``/proc/cpuinfo``), e.g. to tell whether it has AVX-512."""
    return _cpuinfo_field("flags").split()


def cpu_seconds(processes):
    """{pid: user+system seconds} of the live processes among ``processes`` (psutil)."""
    import psutil

    out = {}
    for p in processes:
        try:
            t = p.cpu_times()
            out[p.pid] = t.user + t.system
        except psutil.Error:
            pass
    return out


def cpu_delta(before, after):
    """CPU seconds used between two ``cpu_seconds`` snapshots; processes born in between count from zero."""
    return sum(after[pid] - before.get(pid, 0.0) for pid in after)


def machine_busy_seconds():
    """CPU seconds the whole machine has spent busy (not idle or waiting for I/O) since boot (psutil)."""
    import psutil

    t = psutil.cpu_times()
    idle = t.idle + getattr(t, "iowait", 0.0)
    return sum(t) - idle  # guest times are already counted in user on Linux; fine for a ratio
