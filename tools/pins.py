"""Helpers for tools/refresh-constraints.sh: turn pip's resolution reports into constraint lines.

    python tools/pins.py merge REPORT.json...   pins from `pip install --dry-run --report` on several
                                                Pythons: one `name==version` line per package, or one
                                                line per Python with a marker where they differ
    python tools/pins.py lower requirements.txt the lowest version each runtime range allows, as pins

Standard library only: it runs on any of the Pythons before anything is installed.
"""

import json
import re
import sys

# `name>=1.2,<3` or `name==1.2` (extras and markers allowed): the lowest version is the one after >= or ==.
LOWER = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:>=|==|~=)\s*([^,;\s]+)")


def merge(paths):
    """A constraint line per package and version, with a python_version marker unless all Pythons agree."""
    seen = {}  # name -> {version: [python versions]}
    pythons = []
    for path in paths:
        with open(path, encoding="utf-8") as file:
            report = json.load(file)
        python = report["environment"]["python_version"]
        pythons.append(python)
        for item in report["install"]:
            meta = item["metadata"]
            seen.setdefault(meta["name"], {}).setdefault(meta["version"], []).append(python)
    lines = []
    for name in sorted(seen, key=str.lower):
        versions = seen[name]
        if len(versions) == 1:
            lines.append(f"{name}=={next(iter(versions))}")
            continue
        for version, on in versions.items():
            marker = " or ".join(f'python_version == "{python}"' for python in on)
            lines.append(f"{name}=={version} ; {marker}")
    return lines


def lower(path):
    """`name==lowest` for every requirement line of a requirements file that has a lower bound."""
    lines = []
    with open(path, encoding="utf-8") as file:
        for line in file:
            line = line.split("#", 1)[0].strip()
            if not line or line.startswith("-"):
                continue
            match = LOWER.match(line)
            if not match:
                raise SystemExit(f"{path}: no lower bound (>= or ==) in {line!r}")
            lines.append(f"{match[1]}=={match[2]}")
    return lines


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    print("\n".join(merge(args) if command == "merge" else lower(*args)))
