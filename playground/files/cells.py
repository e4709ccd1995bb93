"""One cell of an uploaded CSV file read as a number, and the words for a cell that is not one.

Owns ``UploadError`` (what is wrong with a file, and where: row and column) and the cell rules every
step of ``playground.files.upload`` shares: markers of a missing value, infinities, decimal commas, and
the largest magnitude accepted. No Streamlit, no figures.
"""

import re

import numpy as np

MAX_ABS = 1e12  # larger is a unit or export mistake, and its square would swamp the standardization
_MISSING = frozenset({"", "nan", "na", "n/a", "null", "none"})
_INFINITE = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")  # ASCII digits only
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+([eE][+-]?[0-9]+)?")


class UploadError(ValueError):
    """What is wrong with an uploaded file, in words for its author; ``row`` (as a spreadsheet counts,
    the header is row 1) and ``column`` (its name) say where, when one place is to blame."""

    def __init__(self, message, *, row=None, column=None):
        super().__init__(message)
        self.row, self.column = row, column


def parse_cell(text, decimal_comma):
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


def cell_error(table, column, i, problem, more=0, why=""):
    """UploadError for cell ``i`` of ``column``: what is wrong with it, and how many more cells are."""
    row, text = table.lines[i], short(table.rows[i][table.columns.index(column)])
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


def short(text, limit=40):
    """``text`` cut to ``limit`` characters, an ellipsis last: messages and notes quote names and cells."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
