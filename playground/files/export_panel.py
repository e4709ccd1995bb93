"""The "Take it home" panel: download the run's files, or load saved weights and train on.

The page calls ``show(exp)`` inside an expander, outside the training fragment (a full rerun
redraws it: Pause, Step, Reset, any control). Session keys are prefixed ``ex_``.

The files are built when a button is clicked (Streamlit calls the ``data`` callable then, on another
thread), from a ``Snapshot`` taken as the panel is drawn: the file holds what the page shows, and the
training thread never changes what the download thread reads. While training runs the buttons are
disabled, since the panel is not redrawn on each tick and would offer an old epoch.
"""

import functools
from types import MappingProxyType

import streamlit as st

from playground.core import session
from playground.files import export, export_script, weights_in

# (kind for export.file_name, button label, MIME type, builder)
DOWNLOADS = (
    ("data", "Data (CSV)", "text/csv", export.data_csv),
    ("history", "Loss history (CSV)", "text/csv", export.history_csv),
    ("weights.json", "Weights (JSON)", "application/json", export.weights_json),
    ("weights.npz", "Weights (.npz)", "application/octet-stream", export.weights_npz),
    ("script", "Python script", "text/x-python", None),
)
HELP = MappingProxyType(
    {
        "data": "The raw points (x1, x2), their label or target, and whether each is train or test.",
        "history": "One row per epoch (past 12,000 epochs: every epoch of the last 1,000, and every"
        " 2nd, 4th, ... before them, at most ~5,000 rows): train and test loss, and accuracy for"
        " classification.",
        "weights.json": "Every W and b as plain numbers, with the network's settings. "
        "Load it below to resume.",
        "weights.npz": "Every W and b for numpy.load, with the network's settings. Load it below to resume.",
        "script": "One Python file needing only NumPy: it trains this network from epoch 0 to this epoch "
        "from the same seeds and prints the same losses.",
    }
)


def show(exp):
    """Download buttons for the five files, then the upload that resumes from saved weights."""
    running = session.is_running()
    snap = export.snapshot(exp)
    if running:
        st.caption("Pause to take the network home: the files hold the network shown when paused.")
    else:
        st.caption(
            f"The files hold this run as it is now, at epoch {snap.epoch}. The script replays it from "
            f"epoch 0 to epoch {max(snap.epoch, 1)} with NumPy alone."
        )
    no_script = export_script.script_unsupported(snap.config)
    for column, (kind, label, mime, build) in zip(st.columns(len(DOWNLOADS)), DOWNLOADS):
        if build is None:
            build = functools.partial(export_script.standalone_script, n_epochs=max(snap.epoch, 1))
        column.download_button(
            label,
            functools.partial(build, snap),  # built on click, from the snapshot
            file_name=export.file_name(snap, kind),
            mime=mime,
            key=f"ex_{kind.replace('.', '_')}",
            help=no_script if kind == "script" and no_script else HELP[kind],
            on_click="ignore",  # a download changes nothing on the page
            disabled=running or bool(kind == "script" and no_script),
            icon=":material/download:",
            width="stretch",
        )
    st.file_uploader(
        "Load weights and resume",
        type=["json", "npz"],
        key="ex_upload",
        on_change=_load,
        args=(exp,),
        max_upload_size=weights_in.MAX_BYTES // 1024**2,
        help="A weights file saved here (.json or .npz) for a network with the same layers. Training "
        "goes on from those weights with a fresh optimizer state.",
    )
    _result(exp)


def _load(exp):
    """The uploader's callback, so each upload is loaded once (not on every rerun that follows)."""
    ss = st.session_state
    upload = ss.get("ex_upload")
    if upload is None:  # the file was removed from the uploader
        ss.pop("ex_result", None)
        return
    try:
        message = weights_in.resume(exp, upload.getvalue())
    except weights_in.ExportError as error:  # the experiment is untouched: the session goes on
        ss.ex_result = ("error", f"{upload.name}: {error}", exp.nonce, exp.builds)
        return
    session.set_running(False)  # a loaded network waits for Play, as a new network does
    session.set_last_change(message)  # "Loaded the ... network at epoch N: ...", not an older "Reset"
    ss.ex_result = ("success", message, exp.nonce, exp.builds)


def _result(exp):
    """The last upload's outcome, while it is about the network on the page."""
    result = st.session_state.get("ex_result")
    if result and result[2:] == (exp.nonce, exp.builds):
        kind, message = result[:2]
        (st.success if kind == "success" else st.error)(message)
