"""The toolchain files agree with each other: pins inside the ranges, lower bounds pinned, Pythons found.

What CI installs is only as good as these files: a pin outside its range, a lower-bound file that
drifted from requirements.txt or a Python finder that silently finds nothing would each leave CI
green while testing something else than it claims.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import pins  # noqa: E402  (tools/pins.py: no package, on purpose)

PYTHONS = ("3.11", "3.12", "3.13")


def requirements(name):
    """The requirements of a requirements file, following -r (not -c)."""
    found = []
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found += requirements(line[3:].strip())
        elif line and not line.startswith("-"):
            found.append(Requirement(line))
    return found


def pins_for(name, python):
    """{package: version} that a constraints file pins on one Python (markers evaluated for it)."""
    env = default_environment() | {"python_version": python, "python_full_version": f"{python}.0"}
    pinned = {}
    for line in (ROOT / name).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        req = Requirement(line)
        assert [spec.operator for spec in req.specifier] == ["=="], f"{name}: not a pin: {line!r}"
        if req.marker is None or req.marker.evaluate(env):
            key = req.name.lower().replace("_", "-")
            assert key not in pinned, f"{name}: {req.name} pinned twice on Python {python}"
            pinned[key] = next(iter(req.specifier)).version
    return pinned


def constrained_files():
    """The requirement files that use constraints.txt (tools/refresh-constraints.sh resolves them)."""
    return [
        path.name
        for path in sorted(ROOT.glob("requirements*.txt"))
        if re.search(r"^-c +constraints\.txt", path.read_text(), re.MULTILINE)
    ]


@pytest.mark.parametrize("python", PYTHONS)
def test_constraints_pin_every_requirement_inside_its_range(python):
    assert "requirements-dev.txt" in constrained_files()
    pinned = pins_for("constraints.txt", python)
    for req in [req for name in constrained_files() for req in requirements(name)]:
        key = req.name.lower().replace("_", "-")
        assert key in pinned, f"constraints.txt does not pin {req.name} on Python {python}"
        assert req.specifier.contains(pinned[key], prereleases=True), (
            f"constraints.txt pins {req.name}=={pinned[key]} on Python {python}, outside {req}"
        )


def test_lower_constraints_pin_the_lower_bounds_of_requirements_txt():
    pinned = pins_for("constraints-lower.txt", "3.11")
    for line in pins.lower(ROOT / "requirements.txt"):
        req = Requirement(line)
        key = req.name.lower().replace("_", "-")
        assert Version(pinned.get(key, "0")) == Version(next(iter(req.specifier)).version), (
            f"constraints-lower.txt has {req.name}=={pinned.get(key)}, requirements.txt's lower bound "
            f"is {line} (refresh: bash tools/refresh-constraints.sh)"
        )
    for req in requirements("requirements-dev.txt"):
        key = req.name.lower().replace("_", "-")
        assert req.specifier.contains(pinned[key], prereleases=True), (
            f"{req.name}=={pinned[key]} outside {req}"
        )


def test_lower_reads_the_lowest_version_of_each_range(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("# runtime\nnumpy>=2.0,<3\nstreamlit==1.67.0  # exact\n")
    path.write_text(path.read_text() + "plotly[express] >= 6 ; python_version > '3'\n")
    assert pins.lower(path) == ["numpy==2.0", "streamlit==1.67.0", "plotly==6"]
    path.write_text("pandas<4\n")
    with pytest.raises(SystemExit, match="no lower bound"):
        pins.lower(path)


def test_merge_adds_markers_only_where_the_pythons_disagree(tmp_path):
    paths = []
    for python, numpy in (("3.11", "2.4.6"), ("3.12", "2.5.5"), ("3.13", "2.5.5")):
        packages = [("numpy", numpy), ("Jinja2", "3.1.6")] + [("tomli", "2.0")] * (python == "3.11")
        report = {
            "environment": {"python_version": python},
            "install": [{"metadata": {"name": name, "version": version}} for name, version in packages],
        }
        paths.append(tmp_path / f"{python}.json")
        paths[-1].write_text(json.dumps(report))
    assert pins.merge(paths) == [
        "Jinja2==3.1.6",
        'numpy==2.4.6 ; python_version == "3.11"',
        'numpy==2.5.5 ; python_version == "3.12" or python_version == "3.13"',
        "tomli==2.0",
    ]


def find_python(version, path):
    """tools/find-python.sh's find_python with PATH = path + the system's bin folders (no pyenv)."""
    script = f'source "{ROOT}/tools/find-python.sh" && find_python {version}'
    env = {**os.environ, "PATH": f"{path}:/usr/bin:/bin"}
    return subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=30)


def test_find_python_checks_the_version_and_fails_loudly(tmp_path):
    for name, prints in (("python9.8", "9.8"), ("python9.9", "9.7")):  # 9.9 lies about its version
        fake = tmp_path / name
        fake.write_text(f"#!/bin/sh\necho {prints}\n")
        fake.chmod(0o755)
    found = find_python("9.8", tmp_path)
    assert (found.returncode, found.stdout.strip()) == (0, str(tmp_path / "python9.8"))
    missing = find_python("9.9", tmp_path)
    assert missing.returncode != 0 and missing.stdout == ""
    assert re.search(r"Python 9\.9 not found", missing.stderr)
