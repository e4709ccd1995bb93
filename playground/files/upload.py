"""Bring your own data: a CSV file read, checked and scaled into a dataset like the built-in ones.

The upload's one entry point: no Streamlit here; ``pages/your_data.py`` shows what these functions
return, and ``playground.figures.data.data_figure`` draws the result. Three steps, each in its module:

1. ``read_table(data, name) -> Table`` (``playground.files.table``): bytes to a table of text cells.
2. ``guess_columns(table) -> (x1, x2, label)`` (same module): the columns to use, by name, else by
   position.
3. ``prepare(table, x1, x2, label, task=None) -> UploadedData`` (here; the numbers in
   ``playground.files.scaling``): the chosen columns checked and scaled onto the Playground's plane.
   ``notes`` say how in plain words, with the numbers.

This module owns ``UploadedData``, the one-line ``LIMITS`` the page shows, and what the page and the
Playground do with a dataset (``playground_config``, ``escape_markdown``). Whatever a user can get wrong
raises ``UploadError`` (``playground.files.cells``) with a message that says what and where: the row
as a spreadsheet counts it (1-based, the header line is row 1) and the column's name.
"""

import dataclasses
import re
from dataclasses import dataclass

import numpy as np

from playground.core.config import FIELDS, UPLOAD, normalize
from playground.files.cells import MAX_ABS, UploadError
from playground.files.scaling import FEATURE_RADIUS, MAX_CLASSES, Scale, labels, numbers, scale_features
from playground.files.table import (
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_NAME,
    MAX_ROWS,
    MIN_ROWS,
    Table,
    digest,
    guess_columns,
    preview,
    read_table,
)

# The pipeline's names, so that a caller imports one module (the page, the tests, the hostile checks).
__all__ = (
    "read_table", "guess_columns", "prepare", "preview", "digest", "playground_config", "escape_markdown",
    "UploadError", "Table", "Scale", "UploadedData", "TASKS", "LIMITS", "MAX_BYTES", "MAX_ROWS",
    "MIN_ROWS", "MAX_COLUMNS", "MAX_CLASSES", "MAX_ABS", "MAX_NAME", "FEATURE_RADIUS",
)  # fmt: skip

TASKS = ("auto", "classification", "regression")
LIMITS = (
    f"A CSV file of at most {MAX_BYTES // 1024**2} MB, UTF-8 (or UTF-16 with a byte-order mark), with "
    f"commas, semicolons or tabs between columns; {MIN_ROWS}-{MAX_ROWS:,} rows of data and up to "
    f"{MAX_COLUMNS} columns; two numeric feature columns and a label column: up to {MAX_CLASSES} "
    f"classes (numbers or words), or numbers to predict (regression). Numbers up to ±{MAX_ABS:.0e}."
)


@dataclass(frozen=True, eq=False)  # eq=False: arrays do not compare with ==
class UploadedData:
    """A dataset from a file, shaped like ``nn_core.make_dataset``'s: ``X (n, 2)`` float64 in about
    [-5, 5]^2; ``y (n,)`` int64 labels 0..n_classes-1, or float64 targets in [-1, 1] for regression
    (``n_classes`` is then 1). The arrays are read-only. ``rows (n,)`` are the points' rows in the file."""

    name: str
    X: np.ndarray
    y: np.ndarray
    task: str  # "binary", "multiclass" or "regression"
    n_classes: int
    class_names: tuple  # the legend: class k is class_names[k]
    columns: tuple  # (x1, x2, label) column names
    scale: Scale
    notes: tuple  # plain-words lines: how the file was read and scaled
    digest: str
    rows: np.ndarray


# --- checking and scaling -------------------------------------------------------------------------------
def prepare(table, x1, x2, label, *, task=None):
    """The dataset in columns ``x1``, ``x2`` (features) and ``label`` of ``table``, checked and scaled.

    task: None or "auto" decides from the label column (words, or at most MAX_CLASSES different whole
    numbers: classification; other numbers: regression); "classification" or "regression" forces it.
    Returns UploadedData; raises UploadError saying what is wrong and in which row and column.
    """
    task = "auto" if task is None else task
    if task not in TASKS:
        raise ValueError(f"task must be one of {list(TASKS)}; got {task!r}")
    _check_choice(table, (x1, x2, label))
    X_raw = np.column_stack([numbers(table, x1), numbers(table, x2)])
    y, names, target_scale, label_notes = labels(table, label, task)
    X, center, factor, feature_notes = scale_features(X_raw, (x1, x2), table.lines)
    kind = "regression" if not names else "binary" if len(names) == 2 else "multiclass"
    comma = table.delimiter != "," and any(
        "," in row[table.columns.index(c)] for row in table.rows for c in (x1, x2, label)
    )
    notes = table.notes + ("Decimal commas read as decimal points (3,5 is 3.5).",) * comma
    for array in (X, y):
        array.setflags(write=False)  # one object shared by the page and the Playground: nobody edits it
    rows = np.array(table.lines, dtype=np.int64)
    rows.setflags(write=False)
    return UploadedData(
        name=table.name,
        X=X,
        y=y,
        task=kind,
        n_classes=len(names) or 1,
        class_names=names,
        columns=(x1, x2, label),
        scale=Scale(tuple(center), tuple(factor), *target_scale),
        notes=notes + label_notes + feature_notes,
        digest=table.digest,
        rows=rows,
    )


def _check_choice(table, chosen):
    """The three chosen columns exist and are different."""
    for role, column in zip(("x1", "x2", "the label"), chosen):
        if column not in table.columns:
            raise UploadError(
                f'There is no column "{column}" for {role}; the file has {", ".join(table.columns)}.',
                column=column,
            )
    if len(set(chosen)) < 3:
        raise UploadError(
            "x1, x2 and the label must be three different columns; got "
            + ", ".join(f'"{c}"' for c in chosen)
            + "."
        )


# --- for the page and the Playground --------------------------------------------------------------------
def playground_config(data, base):
    """``base`` (the Playground's config) switched to ``data``: dataset "upload" with its kind of problem,
    number of points (clipped to the Playground's range) and classes, and, if ``base``'s output and loss
    do not fit that problem, the default pair for it (``config.normalize``)."""
    low, high = int(FIELDS["n_samples"].low), int(FIELDS["n_samples"].high)
    changes = {"dataset": UPLOAD, "upload_task": data.task, "n_samples": min(max(len(data.y), low), high)}
    if data.task != "regression":
        changes["n_classes"] = data.n_classes
    return normalize(dataclasses.replace(base, **changes))[0]


def escape_markdown(text):
    """``text`` with every ASCII punctuation mark backslash-escaped, so that Markdown (``st.error``,
    ``st.markdown``) shows it as typed: a file's names and cells cannot become links, images or LaTeX."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", str(text))
