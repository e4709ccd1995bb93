"""Bring your own data: ``playground.files.upload`` (reading, checking, scaling a CSV file: its modules
``table``, ``cells`` and ``scaling``), its figure ``playground.figures.data`` and the page
``pages/your_data.py``.

Streamlit 1.67's AppTest can upload files (``at.file_uploader(key=...).set_value((name, bytes, mime))``),
so the page is driven end to end; the Playground itself is not opened (``session.open_in_playground`` is
replaced by a recorder: the lead integrates the "upload" dataset there).
"""

import codecs
import dataclasses
import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from playground.core import session
from playground.core.config import Config
from playground.figures.data import data_figure
from playground.files import upload
from playground.files.upload import UploadError, guess_columns, prepare, read_table

APP = str(Path(__file__).resolve().parents[3] / "app.py")
PAGE = "pages/your_data.py"


def make_csv(rows, header=("x1", "x2", "label"), delimiter=",", newline="\n"):
    """CSV text (str) from rows of values; ``header=None`` writes none."""
    lines = ([delimiter.join(header)] if header else []) + [delimiter.join(map(str, r)) for r in rows]
    return newline.join(lines) + newline


def two_blobs(n=40, labels=(0, 1)):
    """n rows (x1, x2, label): two separated clusters, alternating labels."""
    rng = np.random.default_rng(0)
    return [
        (round(float(a) + 3 * (i % 2), 3), round(float(b), 3), labels[i % len(labels)])
        for i, (a, b) in enumerate(rng.normal(size=(n, 2)))
    ]


def load(text, name="data.csv", **kwargs):
    """read_table + guess_columns + prepare, for text (str, as UTF-8) or bytes."""
    data = text.encode() if isinstance(text, str) else text
    table = read_table(data, name)
    return prepare(table, *guess_columns(table), **kwargs)


def error_of(text, *columns, **kwargs):
    """The UploadError that reading (and, with columns, preparing) ``text`` raises."""
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(UploadError) as info:
        table = read_table(data, "bad.csv")
        prepare(table, *(columns or guess_columns(table)), **kwargs)
    return info.value


def assert_dataset(data, n):
    """Shapes, dtypes, read-only arrays, finite values inside the Playground's plane."""
    assert data.X.shape == (n, 2) and data.X.dtype == np.float64 and data.y.shape == (n,)
    assert np.isfinite(data.X).all() and np.isfinite(data.y).all()
    assert np.abs(data.X).max() <= upload.FEATURE_RADIUS + 1e-12
    assert not data.X.flags.writeable and not data.y.flags.writeable
    if data.task == "regression":
        assert data.y.dtype == np.float64 and data.y.min() >= -1 and data.y.max() <= 1 and data.n_classes == 1
    else:
        assert data.y.dtype == np.int64 and set(np.unique(data.y)) == set(range(data.n_classes))
        assert len(data.class_names) == data.n_classes


# --- good files -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_read_comma_semicolon_and_tab_files_give_the_same_dataset(delimiter):
    reference = load(make_csv(two_blobs()))
    data = load(make_csv(two_blobs(), delimiter=delimiter))
    assert_dataset(data, 40)
    np.testing.assert_array_equal(data.X, reference.X)
    np.testing.assert_array_equal(data.y, reference.y)
    assert data.task == "binary" and data.columns == ("x1", "x2", "label")
    assert {",": "commas", ";": "semicolons", "\t": "tabs"}[delimiter] in data.notes[0]


@pytest.mark.parametrize(
    "encode, encoding",
    [
        (lambda t: codecs.BOM_UTF8 + t.encode(), "UTF-8 text with a byte-order mark"),
        (lambda t: t.encode("utf-16"), "UTF-16 text"),  # Excel's "Unicode text": BOM-marked
        (lambda t: t.encode(), "UTF-8 text"),
    ],
)
def test_read_utf8_with_or_without_bom_and_utf16_with_bom(encode, encoding):
    text = make_csv(two_blobs(), header=("größe", "x2", "label"))
    table = read_table(encode(text), "bom.csv")
    assert table.columns == ("größe", "x2", "label")  # the BOM is not part of the first name
    assert table.encoding == encoding and encoding in table.notes[0]


def test_read_crlf_quotes_trailing_delimiters_and_blank_lines():
    text = '"x1","x2","label"\r\n' + "".join(f'"{a}",{b},"{c}",\r\n' for a, b, c in two_blobs(12))
    text = text.replace("\r\n", "\r\n\r\n", 1)  # a blank row 2: the data starts on row 3
    table = read_table(text.encode(), "crlf.csv")
    assert table.columns == ("x1", "x2", "label") and len(table.rows) == 12
    assert table.lines[:2] == (3, 4)


@pytest.mark.parametrize(
    "header, expected",
    [
        (("x1", "x2", "label"), ("x1", "x2", "label")),
        (("label", "x", "y"), ("x", "y", "label")),
        (("Class", "X_1", "x 2"), ("X_1", "x 2", "Class")),
        (("a", "b", "y"), ("a", "b", "y")),
        (("id", "x", "y", "target"), ("x", "y", "target")),
        (("height", "species", "weight"), ("height", "weight", "species")),
        (("a", "b", "c", "d"), ("a", "b", "c")),
    ],
)
def test_guess_columns_by_name_else_by_position(header, expected):
    rows = [
        [{"species": "cat", "Class": i % 2}.get(h, float(i % 3 + j)) for j, h in enumerate(header)]
        for i in range(12)
    ]
    if "label" in header:
        rows = [[i % 2 if h == "label" else v for h, v in zip(header, r)] for i, r in enumerate(rows)]
    assert guess_columns(read_table(make_csv(rows, header).encode(), "g.csv")) == expected


def test_a_file_without_a_header_gets_column_names_and_rows_from_one():
    table = read_table(make_csv(two_blobs(12), header=None).encode(), "plain.csv")
    assert not table.has_header and table.columns == ("column 1", "column 2", "column 3")
    assert table.lines[0] == 1 and len(table.rows) == 12
    assert any("column 1 to 3" in note for note in table.notes)
    assert guess_columns(table) == table.columns


def test_a_headerless_file_with_word_labels_keeps_its_first_row():
    rows = [(i, i % 3, "cat" if i % 2 else "dog") for i in range(12)]
    table = read_table(make_csv(rows, header=None).encode(), "words.csv")
    assert not table.has_header and len(table.rows) == 12


def test_duplicate_and_empty_header_names_are_made_distinct():
    table = read_table(make_csv(two_blobs(12), header=("x", "x", "")).encode(), "dup.csv")
    assert table.columns == ("x", "x (2)", "column 3")


def test_string_labels_become_sorted_classes_and_keep_their_names():
    data = load(make_csv(two_blobs(30, labels=("virginica", "setosa", "versicolor"))))
    assert_dataset(data, 30)
    assert data.task == "multiclass" and data.class_names == ("setosa", "versicolor", "virginica")
    assert data.y[:3].tolist() == [2, 0, 1]
    assert any('"setosa" is class 0 (10 rows)' in note for note in data.notes)


def test_float_written_whole_labels_become_integer_classes():
    data = load(make_csv(two_blobs(20, labels=("1.0", "2.0"))))
    assert data.task == "binary" and data.y.dtype == np.int64 and data.class_names == ("1", "2")
    assert data.y[:2].tolist() == [0, 1]
    assert any("whole numbers written as decimals" in note for note in data.notes)


def test_labels_minus_one_and_one_are_renumbered_zero_and_one():
    data = load(make_csv(two_blobs(20, labels=(-1, 1))))
    assert data.class_names == ("-1", "1") and data.y[:2].tolist() == [0, 1]


def test_labels_zero_to_four_are_five_classes():
    data = load(make_csv(two_blobs(25, labels=range(5))))
    assert data.task == "multiclass" and data.n_classes == 5 and data.class_names == tuple("01234")


def test_regression_targets_are_mapped_onto_minus_one_one_and_the_note_says_how():
    rows = [(i, i % 7, 100 + 2.5 * i) for i in range(40)]
    data = load(make_csv(rows, header=("a", "b", "price")))
    assert_dataset(data, 40)
    assert data.task == "regression" and data.class_names == () and data.n_classes == 1
    assert data.y.min() == -1 and data.y.max() == 1
    targets = np.array([r[2] for r in rows])
    np.testing.assert_allclose((targets - data.scale.target_center) * data.scale.target_factor, data.y)
    assert any('target = ("price" − 148.8) / 48.75' in note for note in data.notes)


def test_many_whole_numbers_are_regression_unless_forced():
    text = make_csv([(i, i % 4, i) for i in range(20)])
    data = load(text)
    assert data.task == "regression" and any("20 different whole numbers" in n for n in data.notes)
    error = error_of(text, "x1", "x2", "label", task="classification")
    assert (
        "20 different labels" in str(error) and "at most 5 classes" in str(error) and error.column == "label"
    )


def test_task_can_be_forced_either_way():
    assert load(make_csv(two_blobs(20)), task="regression").task == "regression"
    few_floats = make_csv([(i, i % 3, 0.5 + i % 3) for i in range(20)])
    assert load(few_floats).task == "regression"
    data = load(few_floats, task="classification")
    assert data.task == "multiclass" and data.class_names == ("0.5", "1.5", "2.5")


def test_decimal_commas_are_read_in_semicolon_files():
    rows = [(f"{i},5", f"{i % 3},25", i % 2) for i in range(12)]
    data = load(make_csv(rows, delimiter=";"))
    table = read_table(make_csv(rows, delimiter=";").encode(), "dc.csv")
    assert table.delimiter == ";" and any("Decimal commas" in n for n in data.notes)
    raw = np.array([[i + 0.5, i % 3 + 0.25] for i in range(12)])
    np.testing.assert_allclose(data.scale.features(raw), data.X)


def test_missing_values_in_columns_not_chosen_are_ignored():
    rows = [(a, b, c, "" if i % 2 else "n/a") for i, (a, b, c) in enumerate(two_blobs(12))]
    data = load(make_csv(rows, header=("x1", "x2", "label", "comment")))
    assert_dataset(data, 12)


def test_features_are_standardized_then_scaled_so_the_farthest_point_is_five():
    rows = two_blobs(50)
    data = load(make_csv(rows))
    raw = np.array([r[:2] for r in rows])
    Z = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    np.testing.assert_allclose(data.X, Z * 5 / np.abs(Z).max(), atol=1e-12)
    np.testing.assert_allclose(data.scale.features(raw), data.X, atol=1e-12)
    assert np.abs(data.X).max() == pytest.approx(5.0)
    assert any(note.startswith('x1 = ("x1" ') and "× " in note for note in data.notes)


def test_a_constant_feature_is_zero_and_noted_and_a_far_point_is_named():
    rows = [(7, i % 5, i % 2) for i in range(49)] + [(7, 1000, 1)]
    data = load(make_csv(rows))
    assert (data.X[:, 0] == 0).all() and data.scale.factor[0] == 0
    assert any('"x1" holds the same value (7) in every row' in note for note in data.notes)
    assert any(note.startswith("Row 51 lies 7 standard deviations") for note in data.notes)


def test_uploaded_data_carries_name_digest_rows_and_columns():
    text = make_csv(two_blobs(15))
    data = load(text, name="mine.csv")
    assert data.name == "mine.csv" and data.digest == hashlib.sha256(text.encode()).hexdigest()[:12]
    assert data.rows.tolist() == list(range(2, 17)) and data.columns == ("x1", "x2", "label")
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.task = "regression"


def test_preview_shows_the_first_rows_as_text_indexed_by_file_row():
    frame = upload.preview(read_table(make_csv(two_blobs(15)).encode(), "p.csv"), n_rows=5)
    assert list(frame.columns) == ["x1", "x2", "label"] and frame.index.tolist() == [2, 3, 4, 5, 6]
    assert frame.index.name == "row" and frame.iloc[0, 2] == "0"


# --- broken files: what is wrong, and where ----------------------------------------------------------------
@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "The file is empty."),
        (b"  \n\r\n \n", "The file is empty."),
        (b",,\n,,\n", "no values, only separators"),
        (b"x1,x2,label\n", "a header row but no data rows"),
        (b"x1,x2,label\n\n\n", "a header row but no data rows"),
    ],
)
def test_empty_and_header_only_files_say_so(data, expected):
    assert expected in str(error_of(data))


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "x,y\n" + "1,2\n" * 12,
            "Found 2 columns (x, y) with commas between columns; the file needs at least 3",
        ),
        (
            "x y label\n" + "1 2 0\n" * 12,
            "Found 1 column (x y label) with commas between columns; the file needs at least 3: two "
            "features and a label. Separate the columns with commas, semicolons or tabs.",
        ),
        (
            ",".join(f"c{j}" for j in range(51)) + "\n" + ",".join("1" * 51) + "\n",
            "51 columns; the limit is 50",
        ),
    ],
)
def test_too_few_or_too_many_columns_say_how_many(text, expected):
    assert expected in str(error_of(text))


def test_a_chosen_column_that_does_not_exist_or_is_chosen_twice():
    text = make_csv(two_blobs(12))
    error = error_of(text, "x1", "x3", "label")
    assert (
        str(error) == 'There is no column "x3" for x2; the file has x1, x2, label.' and error.column == "x3"
    )
    assert "three different columns" in str(error_of(text, "x1", "x1", "label"))


@pytest.mark.parametrize(
    "cell, what",
    [
        ("abc", '"abc" is not a number.'),
        ("1.2.3", '"1.2.3" is not a number.'),
        ("", "the cell is empty. Fill it in or delete the row."),
        ("NaN", '"NaN" marks a missing value. Fill it in or delete the row.'),
        ("NA", '"NA" marks a missing value.'),
        ("inf", '"inf" is infinite.'),
        ("-Infinity", '"-Infinity" is infinite.'),
        ("2e12", "2e12 is too large (the limit is ±1e+12)."),
        ("1e400", "1e400 is too large"),
    ],
)
def test_a_bad_feature_cell_names_its_row_column_and_text(cell, what):
    rows = [list(r) for r in two_blobs(12)]
    rows[4][1] = cell  # data row 5 is file row 6 (the header is row 1)
    error = error_of(make_csv(rows), "x1", "x2", "label")
    assert str(error).startswith(f'Row 6, column "x2": {what}')
    assert (error.row, error.column) == (6, "x2")


def test_row_numbers_count_the_header_and_blank_lines_as_a_spreadsheet_does():
    rows = [list(r) for r in two_blobs(12)]
    rows[9][0] = "oops"
    text = make_csv(rows).replace("\n", "\n\n", 2)  # two blank rows after rows 1 and 2
    error = error_of(text, "x1", "x2", "label")
    assert error.row == 13 and str(error).startswith('Row 13, column "x1": "oops"')


def test_several_bad_cells_report_the_first_and_count_the_rest():
    rows = [list(r) for r in two_blobs(12)]
    for i in (3, 5, 8):
        rows[i][0] = "?"
    assert str(error_of(make_csv(rows))).endswith("2 more cells in this column have problems.")


@pytest.mark.parametrize(
    "cell, what",
    [("", "the cell is empty"), ("nan", '"nan" marks a missing value'), ("inf", '"inf" is infinite')],
)
def test_a_missing_or_infinite_label_names_its_row(cell, what):
    rows = [list(r) for r in two_blobs(12)]
    rows[0][2] = cell
    error = error_of(make_csv(rows), "x1", "x2", "label")
    assert str(error).startswith(f'Row 2, column "label": {what}')


def test_words_as_regression_targets_name_the_first_word():
    rows = [(i, i % 3, "big" if i == 4 else i * 0.1) for i in range(12)]
    error = error_of(make_csv(rows), "x1", "x2", "label", task="regression")
    assert str(error).startswith('Row 6, column "label": "big" is not a number. Regression needs numbers')


def test_one_class_only_says_so():
    assert 'one class only ("cat")' in str(error_of(make_csv([(i, i % 3, "cat") for i in range(12)])))
    error = error_of(make_csv([(i, i % 3, 1) for i in range(12)]))
    assert 'Column "label" holds the same value (1) in every row: one class only' in str(error)
    assert "same value" in str(error_of(make_csv([(i, i % 3, 0.5) for i in range(12)]), task="regression"))


def test_too_many_classes_says_how_many_and_the_limit():
    error = error_of(make_csv(two_blobs(18, labels="abcdef")))
    assert str(error).startswith('Column "label" has 6 different labels; the Playground handles at most 5')


def test_both_features_constant_is_refused():
    assert "both constant" in str(error_of(make_csv([(1, 2, i % 2) for i in range(12)])))


@pytest.mark.parametrize(
    "data, expected",
    [
        ("größe,x2,label\n1,2,0\n".encode("cp1252"), "not UTF-8 text: byte 0xF6 at offset 2 (row 1)"),
        ("x1,x2,label\n1,2,0\nä,1,1\n".encode("latin-1"), "byte 0xE4 at offset 18 (row 3)"),
        (make_csv(two_blobs(12)).encode("utf-16-le"), "NUL character (row 1)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "not UTF-8 text: byte 0xFF at offset 0"),
        (b"PK\x03\x04\x14\x00\x06\x00", "spreadsheet workbook (Excel), not a CSV file"),
        (codecs.BOM_UTF16_LE + b"x\x00,\x00\x00\xd8", "not UTF-16 text"),
    ],
)
def test_wrong_encodings_say_which_byte_and_where(data, expected):
    error = error_of(data)
    assert expected in str(error) and "CSV UTF-8" in str(error)


def test_a_file_over_the_size_limit_is_refused_before_reading():
    data = b"x1,x2,label\n" + b"1,2,0\n" * (upload.MAX_BYTES // 6)
    assert len(data) > upload.MAX_BYTES
    assert str(error_of(data)).startswith("The file is 1.0 MB; the limit is 1 MB.")


def test_row_limits_say_how_many_rows_there_are():
    ok = load(make_csv(two_blobs(upload.MAX_ROWS)))
    assert len(ok.y) == 2000
    error = error_of(make_csv(two_blobs(2500)))
    assert "2,500 rows of data; the limit is 2,000" in str(error)
    assert "9 rows of data; at least 10 are needed" in str(error_of(make_csv(two_blobs(9))))


def test_a_row_with_too_few_or_too_many_cells_is_named():
    lines = make_csv(two_blobs(12)).splitlines()
    error = error_of("\n".join(lines[:4] + ["1,2"] + lines[5:]))
    assert str(error) == "Row 5 has 2 cells, but the header row has 3." and error.row == 5
    assert "Row 2 has 4 cells" in str(error_of("\n".join(lines[:1] + ["1,2,0,9"] + lines[2:])))


def test_an_open_quote_is_named_by_its_row():
    text = make_csv(two_blobs(12)).replace("\n", '\n"', 3).replace('\n"', "\n", 2)
    assert str(error_of(text)).startswith("Row 4: a quoted cell runs on over several lines")


def test_a_cell_too_long_for_the_csv_module_is_named_by_its_row():
    error = error_of(b"x1,x2,label\n1,2,0\n1,2," + b"a" * 200_000)
    assert str(error) == "Row 3 cannot be read as CSV: a cell is too long." and error.row == 3


def test_an_unknown_task_is_a_programming_error():
    table = read_table(make_csv(two_blobs(12)).encode(), "t.csv")
    with pytest.raises(ValueError, match="task must be one of"):
        prepare(table, "x1", "x2", "label", task="clustering")


# --- properties ---------------------------------------------------------------------------------------------
def check_anything(data):
    """Reading and preparing arbitrary bytes raises UploadError or gives a clean dataset."""
    try:
        table = read_table(data, "any.csv")
    except UploadError:
        return
    assert all(len(row) == len(table.columns) for row in table.rows)
    for task in upload.TASKS:
        try:
            result = prepare(table, *guess_columns(table), task=task)
        except UploadError:
            continue
        assert_dataset(result, len(table.rows))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_raise_only_upload_errors(data):
    check_anything(data)


CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-3, 3).map(str),
    st.sampled_from(["", "nan", "NA", "inf", "-inf", "1e13", "1,5", "cat", "dog", '"', "1.0", " 2 ", "x"]),
    st.text(alphabet="0123456789.,;\t-+eE abc\"'\n\r", max_size=6),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=0, max_size=30),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
)
def test_random_csv_text_raises_only_upload_errors_and_never_returns_nan(rows, delimiter, header):
    names = [delimiter.join(["x1", "x2", "label", "extra"][: len(rows[0])])] if header and rows else []
    text = "\n".join(names + [delimiter.join(row) for row in rows])
    check_anything(text.encode())


NUMBERS = st.one_of(st.floats(-1e12, 1e12).map(repr), st.integers(-5, 5).map(str), st.just("1e-320"))
LABELS = st.one_of(  # one kind of label per table: whole numbers, words, or numbers to predict
    st.just(st.sampled_from(["0", "1", "2.0", "-1"])),
    st.just(st.sampled_from(["a", "b", "C"])),
    st.just(NUMBERS),
)
JUNK = st.sampled_from(["", "nan", "inf", "x", "1e13", "1,5"])


@settings(max_examples=300, deadline=None)
@given(
    LABELS.flatmap(lambda labels: st.lists(st.tuples(NUMBERS, NUMBERS, labels), min_size=10, max_size=40)),
    st.lists(st.tuples(st.integers(0, 39), st.integers(0, 2), JUNK), max_size=2),
    st.sampled_from([",", ";", "\t"]),
)
def test_random_tables_raise_only_upload_errors_and_never_return_nan(rows, junk, delimiter):
    """Tables that get past the reader and reach prepare: clean rows with at most two bad cells."""
    rows = [list(row) for row in rows]
    for i, j, cell in junk:
        rows[i % len(rows)][j] = cell
    check_anything(make_csv(rows, delimiter=delimiter).encode())


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(-1e12, 1e12, allow_subnormal=False), min_size=10, max_size=60),
    st.lists(st.floats(-1e6, 1e6), min_size=10, max_size=60),
)
def test_scaling_keeps_points_inside_the_plane_and_their_order(x1, x2):
    n = min(len(x1), len(x2))
    rows = [(repr(a), repr(b), i % 2) for i, (a, b) in enumerate(zip(x1[:n], x2[:n]))]
    try:
        data = load(make_csv(rows))
    except UploadError as error:
        assert "both constant" in str(error)
        return
    assert_dataset(data, n)
    for j, raw in enumerate((np.array(x1[:n]), np.array(x2[:n]))):
        order = np.argsort(raw, kind="stable")
        assert (np.diff(data.X[order, j]) >= 0).all()  # monotonic: a larger value is never left of a smaller
    assert np.abs(data.X).max() == pytest.approx(upload.FEATURE_RADIUS)


# --- for the page and the Playground ------------------------------------------------------------------------
def test_playground_config_switches_the_dataset_and_fits_the_head_to_the_task():
    base = Config(dataset="moons", head="sigmoid_bce", n_classes=3, learning_rate=0.1)
    regression = upload.playground_config(load(make_csv([(i, i % 3, i * 0.1) for i in range(12)])), base)
    assert (regression.dataset, regression.n_samples, regression.head) == ("upload", 20, "linear_mse")
    assert regression.task == "regression" and regression.n_classes == 3
    assert regression.learning_rate == 0.1  # the rest of the Playground's settings are kept
    classes = upload.playground_config(load(make_csv(two_blobs(2000, labels="abc"))), base)
    assert (classes.n_samples, classes.n_classes, classes.head) == (2000, 3, "softmax_ce")
    assert classes.task == "multiclass" and classes.classes == 3
    binary = upload.playground_config(load(make_csv(two_blobs(50))), base)
    assert (binary.task, binary.n_classes, binary.head) == ("binary", 2, "sigmoid_bce")


def test_escape_markdown_leaves_no_markup_and_loses_no_character():
    text = "**bold** [link](http://x) ![img](y) $x^2$ :red[z] <b>h</b> `code` # 1. - a_b"
    escaped = upload.escape_markdown(text)
    assert re.sub(r"\\(.)", r"\1", escaped) == text
    assert not re.search(r"(?<!\\)[*\[\]()$:<>`#]", escaped)


def test_data_figure_names_classes_escapes_html_and_stays_in_the_plane():
    data = load(make_csv(two_blobs(30, labels=("<b>a</b>", "b&c", "%{x}"))))
    fig = data_figure(data)
    assert [t.name for t in fig.data] == ["%{x}", "&lt;b&gt;a&lt;/b&gt;", "b&amp;c"]
    assert all("%{x}" not in t.hovertemplate.replace("x1 = %{x", "") for t in fig.data)
    assert sum(len(t.x) for t in fig.data) == 30 and list(fig.layout.xaxis.range) == [-6, 6]
    assert [t.marker.color for t in fig.data] == ["#f59322", "#0877bd", "#2ca02c"]
    regression = data_figure(load(make_csv([(i, i % 3, i * 0.1) for i in range(12)])))
    assert len(regression.data) == 1 and regression.data[0].marker.cmin == -1


# --- the page -----------------------------------------------------------------------------------------------
def open_page():
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def upload_file(at, text, name="data.csv"):
    data = text.encode() if isinstance(text, str) else text
    at.file_uploader(key="yd_file").set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def plain(markdown):
    """Text as the user reads it: the page escapes every punctuation mark of a message."""
    return re.sub(r"\\(.)", r"\1", markdown)


def selects(at):
    return {s.label: s.value for s in at.selectbox}


def test_page_without_a_file_states_the_limits_and_waits():
    at = open_page()
    assert at.title[0].value == "Your data" and at.file_uploader(key="yd_file").allowed_type == [".csv"]
    assert any(c.value == upload.LIMITS for c in at.caption)
    assert at.info and not at.error and not at.get("plotly_chart")


def test_page_shows_a_good_file_its_columns_chart_and_notes():
    at = upload_file(open_page(), make_csv(two_blobs(30, labels="abc"), header=("a", "b", "kind")))
    assert selects(at) == {"x1 (across)": "a", "x2 (up)": "b", "Label or target": "kind", "Task": "auto"}
    assert not at.error and len(at.get("plotly_chart")) == 1 and len(at.dataframe) == 1
    notes = plain(at.markdown[-1].value)
    assert "Classification, 3 classes" in notes and "(the Playground's plane runs from −6 to 6)" in notes


def test_page_reports_a_bad_choice_and_recovers_when_it_is_undone():
    text = make_csv(two_blobs(30, labels="abc"))
    at = upload_file(open_page(), text)
    digest = upload.digest(text.encode())
    at.selectbox(key="yd_task").set_value("regression").run()
    assert 'Row 2, column "label": "a" is not a number' in plain(at.error[0].value)
    assert not at.get("plotly_chart") and not at.button
    at.selectbox(key="yd_task").set_value("auto").run()
    at.selectbox(key=f"yd_label_{digest}").set_value("x1").run()
    assert "three different columns" in plain(at.error[0].value)
    at.selectbox(key=f"yd_label_{digest}").set_value("label").run()
    assert not at.error and at.get("plotly_chart")


def test_page_keeps_the_last_good_file_when_a_wrong_one_arrives():
    at = upload_file(open_page(), make_csv(two_blobs(30)), name="good.csv")
    upload_file(at, b"x,y\n1,2\n", name="bad.csv")
    assert "Found 2 columns" in plain(at.error[0].value)
    assert any("Showing your last good file, good.csv" in plain(c.value) for c in at.caption)
    assert at.get("plotly_chart") and at.button(key="yd_train")


def test_page_with_a_wrong_first_file_shows_the_error_and_nothing_else():
    at = upload_file(open_page(), "größe,x2,label\n".encode("cp1252"))
    assert "byte 0xF6 at offset 2" in plain(at.error[0].value) and at.info
    assert not at.get("plotly_chart")


def test_page_escapes_markdown_in_names_and_cells():
    header = ("[x](http://evil)", "**b**", "label")
    at = upload_file(open_page(), make_csv(two_blobs(20), header=header))
    assert "\\[x\\]\\(http\\:\\/\\/evil\\)" in at.markdown[-1].value
    assert "**b**" not in at.markdown[-1].value


def test_page_button_hands_the_data_to_the_playground(monkeypatch):
    calls = []
    monkeypatch.setattr(session, "open_in_playground", lambda *args: calls.append(args))
    text = make_csv(two_blobs(50, labels="abc"))
    at = upload_file(open_page(), text, name="three.csv")
    at.button(key="yd_train").click().run()
    assert not at.exception, at.exception
    ((config, extra),) = calls
    assert extra is None
    expected = dict(dataset="upload", upload_task="multiclass", n_samples=50, n_classes=3, head="softmax_ce")
    assert config == dataclasses.replace(Config(), **expected)
    data = at.session_state["pg_upload"]
    assert isinstance(data, upload.UploadedData) and data.name == "three.csv" and data.task == "multiclass"
    assert data.digest == upload.digest(text.encode())
