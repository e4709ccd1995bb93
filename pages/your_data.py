"""Your data: upload a CSV file, see it checked and scaled onto the Playground's plane, train on it there.
Reading, checking and scaling live in ``playground.files.upload``; this page only shows what they return."""

import streamlit as st

from playground.core import session
from playground.core.config import Config
from playground.core.navigation import use_app_navigation
from playground.figures.data import data_figure
from playground.files import upload

use_app_navigation()

ss = st.session_state
st.title("Your data")
st.markdown(
    "Train a network on your own points: a CSV file with two columns of numbers (the features x1 and x2) "
    "and a label column, either classes (words or whole numbers) or numbers to predict (regression)."
)
uploaded = st.file_uploader(
    "CSV file", type="csv", max_upload_size=upload.MAX_BYTES // 1024**2, key="yd_file"
)
st.caption(upload.LIMITS)

# The last file that could be read stays in the session: a wrong file shows its error and the page
# keeps working with the previous good one.
raw = uploaded.getvalue() if uploaded is not None else None
last = ss.get("yd_table")
if raw is not None and (last is None or last.digest != upload.digest(raw)):
    try:
        ss.yd_table = upload.read_table(raw, uploaded.name)
    except upload.UploadError as error:
        st.error(upload.escape_markdown(error))
now = session.upload()
if now is not None:
    st.caption(f"In the Playground now: {upload.escape_markdown(now.name)} ({len(now.y):,} points).")
table = ss.get("yd_table")
if table is None:
    st.info("No file yet. Rows are counted as a spreadsheet counts them: the header is row 1.")
    st.stop()
if raw is None or table.digest != upload.digest(raw):
    st.caption(f"Showing your last good file, {upload.escape_markdown(table.name)}.")

st.subheader("The file")
st.dataframe(upload.preview(table), height=250)
st.subheader("Which columns")
guess = upload.guess_columns(table)
pick = st.columns(4)
labels = ("x1 (across)", "x2 (up)", "Label or target")
# Keys carry the file's digest: another file starts from its own guesses, not the last file's names.
chosen = [
    column.selectbox(label, table.columns, index=table.columns.index(name), key=f"yd_{role}_{table.digest}")
    for column, label, role, name in zip(pick, labels, ("x1", "x2", "label"), guess)
]
task = pick[3].selectbox("Task", upload.TASKS, key="yd_task", format_func=str.capitalize)
try:
    data = upload.prepare(table, *chosen, task=task)
except upload.UploadError as error:
    st.error(upload.escape_markdown(error))
    st.stop()

st.subheader("On the Playground's plane")
chart, notes = st.columns([3, 2])
chart.plotly_chart(data_figure(data), key="yd_chart")
notes.markdown("\n".join(f"- {upload.escape_markdown(note)}" for note in data.notes))
if st.button("Train on this data in the Playground", type="primary", key="yd_train"):
    session.keep_upload(data)
    playground = session.experiment()
    config = upload.playground_config(data, playground.config if playground is not None else Config())
    session.open_in_playground(config, None)
