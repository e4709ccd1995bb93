"""Step 1 and 2 of an upload: a CSV file's bytes to a ``Table`` of text cells, and the columns to use.

``read_table(data, name) -> Table``: UTF-8 (with or without a byte-order mark) or UTF-16 with a
byte-order mark (Excel's "Unicode text"); commas, semicolons or tabs between columns (sniffed); a header
line, or none (detected: the columns are then named "column 1", "column 2", ...). The file's size, rows
and columns are checked against the limits here. ``guess_columns(table) -> (x1, x2, label)`` picks the
columns by name, else by position. Owns the file limits; no Streamlit, no figures.
"""

import codecs
import csv
import hashlib
import io
import itertools
import re
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from playground.core.config import FIELDS
from playground.files.cells import UploadError, parse_cell, short

MAX_BYTES = 1024 * 1024  # 1 MB: 2,000 rows of a few numbers take ~50 KB; the rest is room for extra columns
MAX_ROWS = int(FIELDS["n_samples"].high)  # 2,000: the Playground's largest dataset
MIN_ROWS = 10  # fewer cannot be split into a training and a test set worth the name
MAX_COLUMNS = 50  # keeps the column pickers usable
MAX_NAME = 100  # a longer header cell is cut: every message and note quotes column names
# In order of preference on a tie; read-only, as module state shared by every session must be.
DELIMITERS = MappingProxyType({",": "commas", ";": "semicolons", "\t": "tabs"})
_FEATURE_PAIRS = (("x1", "x2"), ("feature1", "feature2"), ("f1", "f2"), ("x", "y"))
_LABEL_NAMES = ("label", "target", "class", "y", "category", "species", "type", "group", "output", "z")


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
    class_names: tuple = ()  # (column, names): the file names the classes its column's codes 0, 1, ... are


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
    text, delimiter, notes = _preamble(text)
    delimiter = delimiter or _sniff(text)
    rows, lines, n_rows = _parse(text, delimiter)
    if not rows:  # only quotes and separators
        raise UploadError("The file holds no values, only separators.")
    sklearn = _sklearn_header(rows, n_rows, delimiter)
    if sklearn:
        columns, has_header, class_names = sklearn
        notes.append(
            f"Row {lines[0]} is scikit-learn's header ({n_rows - 1} samples, {len(columns) - 1} features, "
            f"the classes' names): the columns are named feature 1 to {len(columns) - 1} and target."
        )
    else:
        columns, has_header = _header(rows[0], rows[1] if len(rows) > 1 else (), delimiter)
        class_names = ()
    header_line = lines[0] if has_header else None
    if has_header:
        rows, lines, n_rows = rows[1:], lines[1:], n_rows - 1
    _check_shape(columns, n_rows, has_header, delimiter)
    rows = tuple(_fit_row(row, line, len(columns), header_line) for row, line in zip(rows, lines))
    notes.insert(
        0,
        f"Read {name}: {n_rows:,} rows of {len(columns)} columns, {DELIMITERS[delimiter]} between "
        f"columns, {encoding}.",
    )
    if not has_header:
        notes.append(
            f"The first row holds numbers, not names: the columns are named column 1 to {len(columns)}."
        )
    return Table(
        name, columns, rows, tuple(lines), delimiter, encoding, has_header, digest(data), tuple(notes),
        class_names,
    )  # fmt: skip


# --- what comes before the table -------------------------------------------------------------------------
_SEP_LINE = re.compile(r'\s*"?sep=(.)"?[,;\t]*\s*', re.IGNORECASE)
_SKLEARN_FIRST = re.compile(r"\s*\d+\s*[,;\t]\s*\d+\s*[,;\t]\s*[^\d\s.+-]")  # 150,4,setosa,...
MAX_PREAMBLE = 5  # lines of metadata skipped before the table, at most


def _preamble(text):
    """(text, delimiter or None, notes): Excel's ``sep=;`` line names the delimiter; lines of metadata
    before the table (a title, a date, a count: fewer cells than half the table's width) are skipped
    and said so. Skipped lines are blanked, not removed, so every row keeps its line number."""
    lines = text.split("\n")  # as the csv module counts rows (splitlines would also split at \f, \x85, ...)
    lines = [line + "\n" for line in lines[:-1]] + lines[-1:]
    starts = [i for i, line in enumerate(lines) if line.strip()]
    delimiter, notes, skip = None, [], []
    if starts and (match := _SEP_LINE.fullmatch(lines[starts[0]])) and match[1] in DELIMITERS:
        delimiter = match[1]
        notes.append(f"Row {starts[0] + 1}, {short(lines[starts[0]].strip())}, names the delimiter: skipped.")
        skip.append(starts.pop(0))
    sklearn = starts and _SKLEARN_FIRST.match(lines[starts[0]])  # a header, if short: not metadata
    k = 0 if sklearn else _table_start([lines[i] for i in starts[: MAX_PREAMBLE + 20]], delimiter)
    for i in starts[:k]:
        notes.append(f"Row {i + 1} comes before the table ({short(lines[i].strip())}): skipped.")
        skip.append(i)
    for i in skip:
        lines[i] = "\n"
    return "".join(lines), delimiter, notes


def _table_start(sample, delimiter):
    """How many of the first lines are metadata: the fewest k such that line k onward splits evenly
    into at least 3 cells a line while each line before has at most half as many cells."""
    for k in range(min(MAX_PREAMBLE, len(sample) - 2) + 1):
        for d in [delimiter] if delimiter else DELIMITERS:
            try:
                rows = list(csv.reader(sample[k:], delimiter=d))
                before = list(csv.reader(sample[:k], delimiter=d))
            except csv.Error:
                continue
            widths = {_width(row) for row in rows if row}
            if len(widths) == 1 and (width := widths.pop()) >= 3:
                if all(_width(row) <= width // 2 for row in before):
                    return k
    return 0


def _sklearn_header(rows, n_rows, delimiter):
    """(columns, True, (label column, class names)) if the first row is scikit-learn's dataset header
    (``150,4,setosa,versicolor,virginica``: samples, features, the classes' names), else None."""
    first = rows[0]
    comma = delimiter != ","
    try:
        n_samples, n_features = int(first[0]), int(first[1])
    except (ValueError, IndexError):
        return None
    width = _width(rows[1]) if len(rows) > 1 else 0
    names = tuple(cell for cell in first[2:] if cell)
    words = all(parse_cell(cell, comma)[1] == "text" for cell in names)
    if not (n_samples == n_rows - 1 and n_features == width - 1 and names and words):
        return None
    columns = tuple(f"feature {j + 1}" for j in range(n_features)) + ("target",)
    return columns, True, ("target", tuple(short(n, MAX_NAME) for n in names))


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
        numeric = [parse_cell(cell.strip(), delimiter != ",")[1] is None for cell in cells]
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
    is_number = [parse_cell(cell, comma)[1] is None for cell in first]
    below = [parse_cell(cell, comma)[1] is None for cell in second]
    has_header = not any(is_number) or any(not a and b for a, b in zip(is_number, below))
    names = [
        short(cell, MAX_NAME) if has_header and cell else f"column {j + 1}" for j, cell in enumerate(first)
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


def _fit_row(row, line, width, header_line=None):
    """``row`` with exactly ``width`` cells: extra empty cells (a trailing delimiter) are dropped."""
    if len(row) == width or (len(row) > width and not any(row[width:])):
        return row[:width]
    hint = ""
    if header_line is not None and len(row) > width:  # the "header" may be a title above the table
        hint = f" Is row {header_line} a title or a note rather than the column names? Delete it."
    raise UploadError(f"Row {line} has {len(row)} cells, but the header row has {width}.{hint}", row=line)


def preview(table, n_rows=10):
    """The first rows as a DataFrame of the file's text, indexed by their row number in the file."""
    index = pd.Index(table.lines[:n_rows], name="row")
    return pd.DataFrame(list(table.rows[:n_rows]), columns=list(table.columns), index=index)


# --- choosing columns -----------------------------------------------------------------------------------
def guess_columns(table):
    """(x1, x2, label) column names: a known pair of feature names (x1/x2, x/y, ...) and a label name
    (label, target, class, y, ...); failing those, a column of words for the label, the first columns
    of numbers for the features, and the next column for the label. A row id or a saved index (Id,
    index, an unnamed first column counting 0, 1, 2, ...) is never a feature unless nothing else is
    left. The user can change any of them."""
    key = {re.sub(r"[\s_\-.]", "", c.casefold()): c for c in reversed(table.columns)}
    features = next(([key[a], key[b]] for a, b in _FEATURE_PAIRS if a in key and b in key), [])
    label = next((key[n] for n in _LABEL_NAMES if n in key and key[n] not in features), None)
    rest = [c for c in table.columns if c not in features and c != label]
    ids = [c for c in rest if _looks_like_id(table, c)]
    numeric = [c for c in rest if c not in ids and _looks_numeric(table, c)]
    words = [c for c in rest if c not in numeric and c not in ids]
    if label is None and words:
        label = words.pop(0)  # a column of words can only be class names
    features += (numeric + words + ids)[: 2 - len(features)]
    if label is None:
        label = next(c for c in table.columns if c not in features)
    return features[0], features[1], label


_ID_NAMES = frozenset({"id", "index", "unnamed:0", "rownames", "rowid", "row", "#", "no"})


def _looks_like_id(table, column):
    """A row id or a saved index: named so (Id, index, pandas' "Unnamed: 0"), or with no name in the
    header and counting 0, 1, 2, ... (or from 1) down every row, as ``df.to_csv()`` writes its index.
    (A named column counting 0, 1, 2, ... may be a real feature: it stays one.)"""
    if re.sub(r"[\s_\-.]", "", column.casefold()) in _ID_NAMES:
        return True
    if not (table.has_header and re.fullmatch(r"column \d+", column)):
        return False
    j = table.columns.index(column)
    cells = [row[j] for row in table.rows]
    if not all(re.fullmatch(r"\d+", cell) for cell in cells):
        return False
    values = [int(cell) for cell in cells]
    return (
        len(values) > 2 and values[0] in (0, 1) and values == list(range(values[0], values[0] + len(values)))
    )


def _looks_numeric(table, column):
    """True if the column's first 50 cells are numbers (or missing)."""
    j = table.columns.index(column)
    return all(parse_cell(row[j], table.delimiter != ",")[1] in (None, "missing") for row in table.rows[:50])
