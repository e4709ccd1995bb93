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


def test_the_app_core_and_live_loop_pass_mypy():
    """``python -m mypy`` checks what pyproject.toml lists: nn_core strictly, and ``playground/core``
    and ``playground/live`` inside their functions (``check_untyped_defs``): a possible None, a wrong
    argument type, a call that no overload of a Streamlit widget accepts."""
    done = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "playground" in (ROOT / "pyproject.toml").read_text().split("[tool.mypy]")[1].split("\n[")[0]
