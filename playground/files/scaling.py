"""Step 3 of an upload, the numbers: the chosen columns checked and made the Playground's.

The label column becomes classes (words, or at most ``MAX_CLASSES`` different whole numbers) or
regression targets mapped linearly onto [-1, 1]; the two feature columns are standardized, then both
multiplied by one factor so the farthest point is ``FEATURE_RADIUS`` from the centre of the Playground's
[-6, 6] plane. ``Scale`` records how; every function also returns ``notes`` that say so in plain words,
with the numbers. No Streamlit, no figures.
"""

import re
from dataclasses import dataclass

import numpy as np

from playground.core.config import FIELDS
from playground.files.cells import UploadError, cell_error, parse_cell, short

MAX_CLASSES = int(FIELDS["n_classes"].high)  # 5, like the built-in multi-class datasets
FEATURE_RADIUS = 5.0  # the farthest point after scaling: inside the plane's [-6, 6], with a margin
_TINY = 1e-150  # a spread below this is treated as none: dividing by it could overflow


@dataclass(frozen=True)
class Scale:
    """How the file's numbers became the Playground's: feature ``j`` is ``(raw - center[j]) * factor[j]``;
    a regression target is ``(raw - target_center) * target_factor`` (0 and 1 for classification)."""

    center: tuple
    factor: tuple
    target_center: float = 0.0
    target_factor: float = 1.0

    def features(self, raw):
        """Raw feature values (n, 2) -> points on the Playground's plane (n, 2)."""
        return (np.asarray(raw, dtype=np.float64) - self.center) * self.factor


def numbers(table, column):
    """The column as float64 (n,); the first bad cell raises."""
    j = table.columns.index(column)
    parsed = [parse_cell(row[j], table.delimiter != ",") for row in table.rows]
    bad = [i for i, (_, problem) in enumerate(parsed) if problem]
    if bad:
        raise cell_error(table, column, bad[0], parsed[bad[0]][1], len(bad) - 1)
    return np.array([value for value, _ in parsed], dtype=np.float64)


def labels(table, column, task):
    """(y, class_names, (target_center, target_factor), notes); class_names is () for regression."""
    j = table.columns.index(column)
    cells = [row[j] for row in table.rows]
    parsed = [parse_cell(cell, table.delimiter != ",") for cell in cells]
    bad = [i for i, (_, problem) in enumerate(parsed) if problem in ("missing", "infinite", "huge")]
    if bad:
        raise cell_error(table, column, bad[0], parsed[bad[0]][1], len(bad) - 1)
    words = [i for i, (_, problem) in enumerate(parsed) if problem == "text"]
    if words and task == "regression":
        why = " Regression needs numbers to predict."
        raise cell_error(table, column, words[0], "text", len(words) - 1, why)
    if words:  # words, or words and numbers: every distinct text is a class
        return _classes(cells, column, str, [])
    values = np.array([value for value, _ in parsed])
    named = dict([table.class_names]) if table.class_names else {}
    if column in named and task != "regression" and _codes(values, len(named[column])):
        names = named[column]  # the file's own names for codes 0, 1, ... (scikit-learn's header)
        return _classes(list(values), column, lambda v: names[int(v)], [])
    return _numeric_labels(values, cells, column, task)


def _codes(values, n):
    """Whether ``values`` are class codes 0..n-1 (whole numbers in range)."""
    return bool(np.all(values == np.round(values)) and values.min() >= 0 and values.max() < n)


def _numeric_labels(values, cells, column, task):
    """Numbers as classes (whole numbers, at most MAX_CLASSES of them, or when forced) or as targets."""
    distinct = np.unique(values)
    if len(distinct) == 1:
        raise UploadError(
            f'Column "{column}" holds the same value ({short(cells[0])}) in every row: one class only, '
            "nothing to learn. Is it the label column?",
            column=column,
        )
    whole = bool(np.all(values == np.round(values)))
    many = len(distinct) > MAX_CLASSES
    if task == "regression" or (task == "auto" and (not whole or many)):
        notes = [
            f'"{column}" holds {len(distinct)} different whole numbers, more than {MAX_CLASSES} classes: '
            "treated as numbers to predict (regression)."
        ]
        return _targets(values, column, notes if whole and task == "auto" else [])
    notes = []
    if whole and any(re.search(r"[.eE]", cell) for cell in cells):
        notes.append(f'The labels are whole numbers written as decimals ("{cells[0]}"): read as classes.')
    return _classes(list(values), column, _number_name, notes)


def _classes(keys, column, name_of, notes):
    """Class k is the k-th of the sorted distinct keys (texts, or numbers)."""
    unique = sorted(set(keys))
    if len(unique) > MAX_CLASSES:
        raise UploadError(
            f'Column "{column}" has {len(unique)} different labels; the Playground handles at most '
            f"{MAX_CLASSES} classes. Is it the label column? (Or choose Regression, for numbers.)",
            column=column,
        )
    if len(unique) == 1:
        raise UploadError(f'Column "{column}" holds one class only ("{short(unique[0])}"): nothing to learn.')
    code = {key: k for k, key in enumerate(unique)}
    y = np.array([code[key] for key in keys], dtype=np.int64)
    names = tuple(name_of(key) for key in unique)
    counts = np.bincount(y, minlength=len(names))
    if names == tuple(str(k) for k in range(len(names))):
        parts = [f"class {k} ({n} rows)" for k, n in enumerate(counts)]
    else:
        parts = [f'"{short(name)}" is class {k} ({n} rows)' for k, (name, n) in enumerate(zip(names, counts))]
    return y, names, (0.0, 1.0), (*notes, f"Classification, {len(names)} classes: {', '.join(parts)}.")


def _targets(values, column, notes):
    """Regression targets mapped linearly onto [-1, 1]: the smallest to -1, the largest to +1."""
    low, high = float(values.min()), float(values.max())
    center, half = (low + high) / 2, (high - low) / 2
    if half < _TINY:
        raise UploadError(f'Column "{column}" holds (almost) the same value in every row: nothing to learn.')
    y = np.clip((values - center) / half, -1.0, 1.0)
    notes.append(
        f'Regression: target = ("{column}" {_minus(center)}) / {half:.4g}, so the smallest value, {low:.4g}, '
        f"is −1 and the largest, {high:.4g}, is +1."
    )
    return y, (), (center, 1.0 / half), tuple(notes)


def scale_features(X_raw, names, lines):
    """(X (n, 2), center (2,), factor (2,), notes): X = (X_raw - center) * factor, each column minus its
    mean over its standard deviation, then both times one factor so that max |X| = FEATURE_RADIUS."""
    constant = np.ptp(X_raw, axis=0) < _TINY
    if constant.all():
        raise UploadError(
            f'"{names[0]}" and "{names[1]}" are both constant: every point is at the same place.'
        )
    center = np.where(constant, X_raw[0], X_raw.mean(axis=0))  # a constant column becomes exactly 0
    std = np.where(constant, 1.0, X_raw.std(axis=0))
    Z = (X_raw - center) / std
    far = float(np.abs(Z).max())
    X = np.clip(Z * (FEATURE_RADIUS / far), -FEATURE_RADIUS, FEATURE_RADIUS)
    factor = np.where(constant, 0.0, FEATURE_RADIUS / far / std)
    notes = [
        f'x1 = ("{names[0]}" {_minus(center[0])}) × {factor[0]:.4g} and x2 = ("{names[1]}" '
        f"{_minus(center[1])}) × {factor[1]:.4g}: each column minus its mean, divided by its standard "
        f"deviation, then both multiplied by {FEATURE_RADIUS / far:.3g} so that the farthest point is "
        f"{FEATURE_RADIUS:g} from the centre (the Playground's plane runs from −6 to 6)."
    ]
    for j in np.flatnonzero(constant):
        value = X_raw[0, j]
        notes.append(
            f'"{names[j]}" holds the same value ({value:.4g}) in every row: it carries no information.'
        )
    if far > 6:
        row = lines[int(np.abs(Z).max(axis=1).argmax())]
        notes.append(
            f"Row {row} lies {far:.0f} standard deviations from the mean: it sets the scale, and most points "
            "crowd near the centre."
        )
    return X, center, factor, tuple(notes)


def _number_name(value):
    return str(int(value)) if value == round(value) else f"{value:g}"


def _minus(value):
    """``- value`` as a formula writes it: "− 3.2", or "+ 3.2" for a negative value."""
    return f"− {value:.4g}" if value >= 0 else f"+ {-value:.4g}"
