"""Python literals of a run's numbers, for the standalone script: points, labels, float32 weights.

Every number is written so that it reads back exactly: floats by ``repr`` (the shortest exact text),
float32 weights by the shortest text that is the same float32. Lines stay under ~104 characters.
"""

import numpy as np


def wrap(items, indent):
    """Comma-separated items packed into lines of at most ~104 characters, each indented."""
    lines, line = [], ""
    for item in items:
        if line and indent + len(line) + len(item) > 102:
            lines.append(line)
            line = ""
        line += (" " if line else "") + item + ","
    return "\n".join(" " * indent + text for text in lines + [line])


def f32_text(x):
    """The shortest text that reads back (through a Python float) as exactly the float32 ``x``."""
    text = str(np.float32(x))
    return text if np.float32(float(text)).tobytes() == np.float32(x).tobytes() else repr(float(x))


def points_literal(X):
    """Points X (n, 2) as ``np.array([[x1, x2], ...])``, every float exact."""
    return "np.array(\n    [\n" + wrap([f"[{x1!r}, {x2!r}]" for x1, x2 in X.tolist()], 8) + "\n    ]\n)"


def values_literal(y, regression):
    """Labels (ints) or regression targets (exact floats) as ``np.array([...])``."""
    items = [repr(float(v)) for v in y] if regression else [str(int(v)) for v in y]
    return "np.array(\n    [\n" + wrap(items, 8) + "\n    ]\n)"


def arrays_literal(arrays):
    """float32 arrays as literals: shortest exact float32 texts, 2-D ones flat, then reshaped."""
    parts = []
    for i, a in enumerate(arrays, start=1):
        reshape = f".reshape({a.shape[0]}, {a.shape[1]})" if a.ndim == 2 else ""
        values = wrap([f32_text(x) for x in a.ravel()], 12)
        parts.append(
            f"    np.array(  # layer {i}: {a.shape}\n        [\n{values}\n        ],\n"
            f"        dtype=np.float32,\n    ){reshape},"
        )
    return "[\n" + "\n".join(parts) + "\n]"
