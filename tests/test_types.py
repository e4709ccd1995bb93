"""nn_core type-checks under mypy --strict (the [tool.mypy] section of pyproject.toml), so CI checks
the annotations through pytest like any other test."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_nn_core_passes_mypy_strict():
    """``python -m mypy nn_core`` from the repository root exits 0 (mypy: requirements-dev.txt)."""
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "nn_core"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
