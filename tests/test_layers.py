"""The layers: pages -> playground features -> figures -> core -> nn_core, and never back.

Read from the source with ``ast`` (every ``import`` and ``from ... import``, at any depth), so an
import hidden inside a function counts too. ``playground/__init__.py`` states the same table.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ("live", "learn", "teach", "compare", "files", "challenge")
# package -> the playground packages it may import (itself always)
ALLOWED = {"core": set(), "figures": {"core"}} | {f: {"core", "figures"} for f in FEATURES}
THIRD_PARTY_UI = ("streamlit", "plotly", "pandas")


def imports_of(path):
    """Every module name ``path`` imports (absolute imports only: the project uses no relative ones)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            names += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    return names


def package_of(module):
    """``playground.live.state`` -> ``live``; ``playground.live`` -> ``live``; else None."""
    parts = module.split(".")
    return parts[1] if parts[0] == "playground" and len(parts) > 1 else None


PLAYGROUND_FILES = sorted((ROOT / "playground").rglob("*.py"))


def test_every_playground_module_lives_in_a_known_package():
    loose = [p.name for p in PLAYGROUND_FILES if p.parent == ROOT / "playground" and p.name != "__init__.py"]
    assert not loose, "modules directly under playground/ (put them in a package): " + ", ".join(loose)
    packages = {p.parent.name for p in PLAYGROUND_FILES if p.parent != ROOT / "playground"}
    assert packages == set(ALLOWED), packages ^ set(ALLOWED)


@pytest.mark.parametrize("path", PLAYGROUND_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_playground_imports_point_down(path):
    if path.parent == ROOT / "playground":
        return  # the package's own docstring module
    own = path.parent.name
    bad = [
        m
        for m in imports_of(path)
        if (pkg := package_of(m)) and pkg in ALLOWED and pkg != own and pkg not in ALLOWED[own]
    ]
    assert not bad, f"{path.relative_to(ROOT)} ({own}) may import only {sorted(ALLOWED[own])}: {bad}"


@pytest.mark.parametrize("path", PLAYGROUND_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_playground_never_imports_pages_or_the_app(path):
    bad = [m for m in imports_of(path) if m.split(".")[0] in ("pages", "app")]
    assert not bad, f"{path.relative_to(ROOT)}: {bad}"


@pytest.mark.parametrize("path", sorted((ROOT / "nn_core").rglob("*.py")), ids=lambda p: p.name)
def test_nn_core_imports_numpy_and_the_standard_library_only(path):
    bad = [m for m in imports_of(path) if m.split(".")[0] in ("playground", "pages", *THIRD_PARTY_UI)]
    assert not bad, f"{path.relative_to(ROOT)}: {bad}"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "playground" / "figures").rglob("*.py")), ids=lambda p: p.name
)
def test_figures_never_import_streamlit(path):
    assert not [m for m in imports_of(path) if m.split(".")[0] == "streamlit"]


def test_the_checker_catches_an_upward_import(tmp_path):
    """The scan itself works: a core module that imports a feature is caught."""
    bad = tmp_path / "core_module.py"
    bad.write_text("def f():\n    from playground.live import state\n")
    pkgs = {package_of(m) for m in imports_of(bad)}
    assert "live" in pkgs and "live" not in ALLOWED["core"]
