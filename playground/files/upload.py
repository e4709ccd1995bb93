"""Bring your own data: a CSV file read, checked and scaled into a dataset like the built-in ones.

No Streamlit here; ``pages/your_data.py`` shows what these functions return. Three steps:

1. ``read_table(data, name) -> Table``: bytes to a table of text cells. UTF-8 (with or without a
   byte-order mark) or UTF-16 with a byte-order mark (Excel's "Unicode text"); commas, semicolons or
   tabs between columns (sniffed); a header line, or none (detected: the columns are then named
   "column 1", "column 2", ...).
2. ``guess_columns(table) -> (x1, x2, label)``: the columns to use, by name, else by position.
3. ``prepare(table, x1, x2, label, task=None) -> UploadedData``: the chosen columns checked and
   scaled. The features are standardized, then both multiplied by one factor so the farthest point is
   ``FEATURE_RADIUS`` from the centre of the Playground's [-6, 6] plane; regression targets are mapped
   linearly onto [-1, 1]. ``notes`` say so in plain words, with the numbers.

Whatever a user can get wrong raises ``UploadError`` with a message that says what and where: the row
as a spreadsheet counts it (1-based, the header line is row 1) and the column's name.
"""

import codecs
import csv
import dataclasses
import hashlib
import io
import itertools
import re
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from playground.core.config import FIELDS, UPLOAD, normalize
from playground.figures.boundary import POINT_SIZE
from playground.figures.colors import CLASS_COLORS, DIVERGING

MAX_BYTES = 1024 * 1024  # 1 MB: 2,000 rows of a few numbers take ~50 KB; the rest is room for extra columns
MAX_ROWS = int(FIELDS["n_samples"].high)  # 2,000: the Playground's largest dataset
MIN_ROWS = 10  # fewer cannot be split into a training and a test set worth the name
MAX_COLUMNS = 50  # keeps the column pickers usable
MAX_CLASSES = int(FIELDS["n_classes"].high)  # 5, like the built-in multi-class datasets
MAX_ABS = 1e12  # larger is a unit or export mistake, and its square would swamp the standardization
MAX_NAME = 100  # a longer header cell is cut: every message and note quotes column names
FEATURE_RADIUS = 5.0  # the farthest point after scaling: inside the plane's [-6, 6], with a margin
TASKS = ("auto", "classification", "regression")
# In order of preference on a tie; read-only, as module state shared by every session must be.
DELIMITERS = MappingProxyType({",": "commas", ";": "semicolons", "\t": "tabs"})
LIMITS = (
    f"A CSV file of at most {MAX_BYTES // 1024**2} MB, UTF-8 (or UTF-16 with a byte-order mark), with "
    f"commas, semicolons or tabs between columns; {MIN_ROWS}-{MAX_ROWS:,} rows of data and up to "
    f"{MAX_COLUMNS} columns; two numeric feature columns and a label column: up to {MAX_CLASSES} "
    f"classes (numbers or words), or numbers to predict (regression). Numbers up to ±{MAX_ABS:.0e}."
)
_MISSING = frozenset({"", "nan", "na", "n/a", "null", "none"})
_INFINITE = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")  # ASCII digits only
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+([eE][+-]?[0-9]+)?")
_FEATURE_PAIRS = (("x1", "x2"), ("feature1", "feature2"), ("f1", "f2"), ("x", "y"))
_LABEL_NAMES = ("label", "target", "class", "y", "category", "species", "type", "group", "output", "z")


class UploadError(ValueError):
    """What is wrong with an uploaded file, in words for its author; ``row`` (as a spreadsheet counts,
    the header is row 1) and ``column`` (its name) say where, when one place is to blame."""

    def __init__(self, message, *, row=None, column=None):
        super().__init__(message)
        self.row, self.column = row, column


@dataclass(frozen=True)
class Table:
    """A CSV file as text cells: ``rows[i]`` is the row on line ``lines[i]`` of the file; every row has
    ``len(columns)`` stripped cells. Blank rows are left out (their line numbers stay counted)."""

    name: str
    columns: tuple
    rows: tuple
    lines: tuple
    delimiter: str
    encoding: str
    has_header: bool
    digest: str  # sha256 of the raw bytes, first 12 hex digits
    notes: tuple


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


# --- reading --------------------------------------------------------------------------------------------
def read_table(data, name="data.csv"):
    """Decode, split and check a CSV file's bytes. Raises UploadError for a file that cannot be a dataset."""
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise UploadError(
            f"The file is {len(data) / 1024**2:.1f} MB; the limit is {MAX_BYTES / 1024**2:g} MB."
        )
    text, encoding = _decode(data)
    if not text.strip():
        raise UploadError("The file is empty.")
    if not re.sub(r"[\s,;\"']", "", text):
        raise UploadError("The file holds no values, only separators.")
    delimiter = _sniff(text)
    rows, lines, n_rows = _parse(text, delimiter)
    if not rows:  # only quotes and separators
        raise UploadError("The file holds no values, only separators.")
    columns, has_header = _header(rows[0], rows[1] if len(rows) > 1 else (), delimiter)
    if has_header:
        rows, lines, n_rows = rows[1:], lines[1:], n_rows - 1
    _check_shape(columns, n_rows, has_header, delimiter)
    rows = tuple(_fit_row(row, line, len(columns)) for row, line in zip(rows, lines))
    notes = [
        f"Read {name}: {n_rows:,} rows of {len(columns)} columns, {DELIMITERS[delimiter]} between "
        f"columns, {encoding}."
    ]
    if not has_header:
        notes.append(
            f"The first row holds numbers, not names: the columns are named column 1 to {len(columns)}."
        )
    return Table(
        name, columns, rows, tuple(lines), delimiter, encoding, has_header, digest(data), tuple(notes)
    )


def digest(data):
    """A file's fingerprint: the first 12 hex digits of the sha256 of its bytes."""
    return hashlib.sha256(data).hexdigest()[:12]


def _decode(data):
    """(text, description of the encoding). Anything but UTF-8 or BOM-marked UTF-16 is refused rather
    than guessed: a wrong guess (Latin-1 decodes any bytes at all) turns names into gibberish silently."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadError("This is a spreadsheet workbook (Excel), not a CSV file: save it as 'CSV UTF-8'.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec, encoding = "utf-16", "UTF-16 text"
    elif data.startswith(codecs.BOM_UTF8):
        codec, encoding = "utf-8-sig", "UTF-8 text with a byte-order mark"
    else:
        codec, encoding = "utf-8", "UTF-8 text"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise UploadError(
            f"The file is not {encoding.split(' with')[0]}: byte 0x{data[error.start]:02X} at offset "
            f"{error.start:,} (row {row}) does not fit. Save it as 'CSV UTF-8'.",
            row=row,
        ) from None
    if "\x00" in text:
        row = text[: text.index("\x00")].count("\n") + 1
        raise UploadError(
            f"The file holds a NUL character (row {row}): it is binary, or UTF-16 without a byte-order "
            "mark. Save it as 'CSV UTF-8'.",
            row=row,
        )
    return text, encoding


def _sniff(text):
    """The delimiter that splits the first lines most like a table: the same number of cells on every
    line, then the most cells that read as numbers, then the most cells per line."""
    lines = io.StringIO(text, newline="")
    sample = list(itertools.islice((line for line in lines if line.strip()), 20))

    def score(delimiter):
        try:
            rows = [row for row in csv.reader(sample, delimiter=delimiter) if row]
        except csv.Error:
            return (False, 0.0, 0)
        cells = [cell for row in rows[1:] for cell in row] or [cell for row in rows for cell in row]
        numeric = [_parse_cell(cell.strip(), delimiter != ",")[1] is None for cell in cells]
        widths = {_width(row) for row in rows}
        table_like = len(widths) == 1 and min(widths) > 1
        return (table_like, sum(numeric) / max(len(numeric), 1), min(widths, default=0))

    return max(DELIMITERS, key=score)  # max keeps the first of equals: commas first


def _width(row):
    """Cells in a row, not counting empty ones at its end (a trailing delimiter)."""
    while row and not row[-1].strip():
        row = row[:-1]
    return len(row)


def _parse(text, delimiter):
    """(rows, lines, n_rows): the non-blank rows as tuples of stripped cells, the file row each starts
    on, and how many there are. Past the row limit, rows are counted but not kept."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, lines, n_rows, start = [], [], 0, 1
    try:
        for fields in reader:
            if any("\n" in field or "\r" in field for field in fields):  # a quote left open, most likely
                raise UploadError(
                    f"Row {start}: a quoted cell runs on over several lines. Is a quote left open?", row=start
                )
            cells = tuple(field.strip() for field in fields)
            if any(cells):
                n_rows += 1
                if n_rows <= MAX_ROWS + 1:  # + 1: the header
                    rows.append(cells)
                    lines.append(start)
            start = reader.line_num + 1
    except csv.Error as error:  # in practice a cell over the csv module's size limit (128 KiB)
        why = "a cell is too long" if "field larger" in str(error) else str(error)
        raise UploadError(f"Row {start} cannot be read as CSV: {why}.", row=start) from None
    return rows, lines, n_rows


def _header(first, second, delimiter):
    """(column names, has_header). The first row is a header if it has no numbers at all, or if a cell
    of it is text where the row below holds a number."""
    comma = delimiter != ","
    is_number = [_parse_cell(cell, comma)[1] is None for cell in first]
    below = [_parse_cell(cell, comma)[1] is None for cell in second]
    has_header = not any(is_number) or any(not a and b for a, b in zip(is_number, below))
    names = [
        _short(cell, MAX_NAME) if has_header and cell else f"column {j + 1}" for j, cell in enumerate(first)
    ]
    unique = []
    for name in names:  # a repeated name gets a number: the pickers and the preview need distinct names
        candidate, k = name, 1
        while candidate in unique:
            k += 1
            candidate = f"{name} ({k})"
        unique.append(candidate)
    return tuple(unique), has_header


def _check_shape(columns, n_rows, has_header, delimiter):
    """The table's size against the limits."""
    if len(columns) < 3:
        found = ", ".join(columns)
        raise UploadError(
            f"Found {len(columns)} column{'s' * (len(columns) > 1)} ({found}) with {DELIMITERS[delimiter]} "
            "between columns; the file needs at least 3: two features and a label."
            + " Separate the columns with commas, semicolons or tabs."
            * (len(columns) == 1)
        )
    if len(columns) > MAX_COLUMNS:
        raise UploadError(f"The file has {len(columns)} columns; the limit is {MAX_COLUMNS}.")
    if n_rows == 0:
        raise UploadError("The file has a header row but no data rows.")
    if n_rows < MIN_ROWS:
        raise UploadError(f"The file has {n_rows} rows of data; at least {MIN_ROWS} are needed.")
    if n_rows > MAX_ROWS:
        raise UploadError(
            f"The file has {n_rows:,} rows of data; the limit is {MAX_ROWS:,} (the Playground's largest "
            "dataset). Keep a random sample of them."
        )


def _fit_row(row, line, width):
    """``row`` with exactly ``width`` cells: extra empty cells (a trailing delimiter) are dropped."""
    if len(row) == width or (len(row) > width and not any(row[width:])):
        return row[:width]
    raise UploadError(f"Row {line} has {len(row)} cells, but the header row has {width}.", row=line)


def preview(table, n_rows=10):
    """The first rows as a DataFrame of the file's text, indexed by their row number in the file."""
    index = pd.Index(table.lines[:n_rows], name="row")
    return pd.DataFrame(list(table.rows[:n_rows]), columns=list(table.columns), index=index)


# --- choosing columns -----------------------------------------------------------------------------------
def guess_columns(table):
    """(x1, x2, label) column names: a known pair of feature names (x1/x2, x/y, ...) and a label name
    (label, target, class, y, ...); failing those, a column of words for the label, the first columns
    of numbers for the features, and the next column for the label. The user can change any of them."""
    key = {re.sub(r"[\s_\-.]", "", c.casefold()): c for c in reversed(table.columns)}
    features = next(([key[a], key[b]] for a, b in _FEATURE_PAIRS if a in key and b in key), [])
    label = next((key[n] for n in _LABEL_NAMES if n in key and key[n] not in features), None)
    rest = [c for c in table.columns if c not in features and c != label]
    numeric = [c for c in rest if _looks_numeric(table, c)]
    words = [c for c in rest if c not in numeric]
    if label is None and words:
        label = words.pop(0)  # a column of words can only be class names
    features += (numeric + words)[: 2 - len(features)]
    if label is None:
        label = next(c for c in table.columns if c not in features)
    return features[0], features[1], label


def _looks_numeric(table, column):
    """True if the column's first 50 cells are numbers (or missing)."""
    j = table.columns.index(column)
    return all(_parse_cell(row[j], table.delimiter != ",")[1] in (None, "missing") for row in table.rows[:50])


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
    X_raw = np.column_stack([_numbers(table, x1), _numbers(table, x2)])
    y, names, target_scale, label_notes = _labels(table, label, task)
    X, center, factor, feature_notes = _scale_features(X_raw, (x1, x2), table.lines)
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


def _parse_cell(text, decimal_comma):
    """(value, problem) of one stripped cell; problem is None, "missing", "infinite", "huge" or "text"."""
    low = text.casefold()
    if low in _MISSING:
        return np.nan, "missing"
    if low in _INFINITE:
        return np.inf, "infinite"
    if decimal_comma and _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return np.nan, "text"
    value = float(text)
    return value, None if abs(value) <= MAX_ABS else "huge"


def _cell_error(table, column, i, problem, more=0, why=""):
    """UploadError for cell ``i`` of ``column``: what is wrong with it, and how many more cells are."""
    row, text = table.lines[i], _short(table.rows[i][table.columns.index(column)])
    what = {
        "missing": f'"{text}" marks a missing value' if text else "the cell is empty",
        "infinite": f'"{text}" is infinite',
        "huge": f"{text} is too large (the limit is ±{MAX_ABS:.0e})",
        "text": f'"{text}" is not a number',
    }[problem]
    fix = " Fill it in or delete the row." if problem == "missing" else why
    also = (
        f" {more} more cell{'s' * (more > 1)} in this column {'have' if more > 1 else 'has'} problems."
        * bool(more)
    )
    return UploadError(f'Row {row}, column "{column}": {what}.{fix}{also}', row=row, column=column)


def _numbers(table, column):
    """The column as float64 (n,); the first bad cell raises."""
    j = table.columns.index(column)
    parsed = [_parse_cell(row[j], table.delimiter != ",") for row in table.rows]
    bad = [i for i, (_, problem) in enumerate(parsed) if problem]
    if bad:
        raise _cell_error(table, column, bad[0], parsed[bad[0]][1], len(bad) - 1)
    return np.array([value for value, _ in parsed], dtype=np.float64)


def _labels(table, column, task):
    """(y, class_names, (target_center, target_factor), notes); class_names is () for regression."""
    j = table.columns.index(column)
    cells = [row[j] for row in table.rows]
    parsed = [_parse_cell(cell, table.delimiter != ",") for cell in cells]
    bad = [i for i, (_, problem) in enumerate(parsed) if problem in ("missing", "infinite", "huge")]
    if bad:
        raise _cell_error(table, column, bad[0], parsed[bad[0]][1], len(bad) - 1)
    words = [i for i, (_, problem) in enumerate(parsed) if problem == "text"]
    if words and task == "regression":
        why = " Regression needs numbers to predict."
        raise _cell_error(table, column, words[0], "text", len(words) - 1, why)
    if words:  # words, or words and numbers: every distinct text is a class
        return _classes(cells, column, str, [])
    return _numeric_labels(np.array([value for value, _ in parsed]), cells, column, task)


def _numeric_labels(values, cells, column, task):
    """Numbers as classes (whole numbers, at most MAX_CLASSES of them, or when forced) or as targets."""
    distinct = np.unique(values)
    if len(distinct) == 1:
        raise UploadError(
            f'Column "{column}" holds the same value ({_short(cells[0])}) in every row: one class only, '
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
        raise UploadError(
            f'Column "{column}" holds one class only ("{_short(unique[0])}"): nothing to learn.'
        )
    code = {key: k for k, key in enumerate(unique)}
    y = np.array([code[key] for key in keys], dtype=np.int64)
    names = tuple(name_of(key) for key in unique)
    counts = np.bincount(y, minlength=len(names))
    if names == tuple(str(k) for k in range(len(names))):
        parts = [f"class {k} ({n} rows)" for k, n in enumerate(counts)]
    else:
        parts = [
            f'"{_short(name)}" is class {k} ({n} rows)' for k, (name, n) in enumerate(zip(names, counts))
        ]
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


_TINY = 1e-150  # a spread below this is treated as none: dividing by it could overflow


def _scale_features(X_raw, names, lines):
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


def _short(text, limit=40):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def data_figure(data, *, height=460):
    """The scaled points on the Playground's plane: one trace per class, named after it, or the points
    coloured by their target for regression. Hovering a point shows its row in the file."""
    hover = "row %{customdata}<br>x1 = %{x:.3f}<br>x2 = %{y:.3f}"
    if data.task == "regression":
        colors = {"color": data.y, "colorscale": DIVERGING, "cmin": -1, "cmax": 1}
        colors["colorbar"] = {"title": {"text": "target"}, "thickness": 12}
        traces = [_points(data, slice(None), "target", colors, hover + "<br>target = %{marker.color:.3f}")]
    else:
        traces = [
            _points(data, data.y == k, name, {"color": CLASS_COLORS[k % len(CLASS_COLORS)]}, hover)
            for k, name in enumerate(data.class_names)
        ]
    x1, x2, _ = (_plotly_text(name) for name in data.columns)
    axis = {"range": [-6, 6], "zeroline": False}
    fig = go.Figure(traces)
    fig.update_layout(
        template="none",
        height=height,
        margin={"l": 55, "r": 20, "t": 40, "b": 50},
        legend={"orientation": "h", "x": 0.0, "y": 1.01, "yanchor": "bottom"},
        xaxis=axis | {"title": {"text": f"x1 (scaled {x1})"}},
        yaxis=axis | {"title": {"text": f"x2 (scaled {x2})"}, "scaleanchor": "x"},
    )
    return fig


def _points(data, pick, name, marker, hover):
    # The name goes in the legend and the hover's side box, never into the template: a file's text
    # must not be read as %{...} template syntax.
    X = data.X[pick]
    return go.Scatter(
        x=X[:, 0],
        y=X[:, 1],
        customdata=data.rows[pick],
        mode="markers",
        name=_plotly_text(name),
        marker={"size": POINT_SIZE, "line": {"color": "white", "width": 1}} | marker,
        hovertemplate=hover,
    )


def _plotly_text(text):
    """Plotly reads a few HTML tags in text (links among them): escape them, so they show as typed."""
    return _short(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
