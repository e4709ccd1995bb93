"""What a comparison's results show: the table (its rows, and its columns' labels and formats), each
boundary's title, and the notes on diverged runs and on runs the stop rule stopped. Reads
``training.Results``; Streamlit only for the table's column config.
"""

import streamlit as st

from playground.core.schedule_stop import reason_text


def table_rows(results):
    """One dict per run for the table: run, differs, final train/test loss (and accuracy for
    classification), epochs, epochs per second, diverged at epoch (None if it did not)."""
    rows = []
    for run in results.runs:
        last = run.history[-1] if run.history else {}
        row = {"run": run.name, "differs": run.differs}
        row |= {"train_loss": last.get("train_loss"), "test_loss": last.get("val_loss")}
        if results.task != "regression":
            row |= {"train_accuracy": last.get("train_accuracy"), "test_accuracy": last.get("val_accuracy")}
        speed = run.epochs / run.seconds if run.seconds > 0 else None
        row |= {"epochs": run.epochs, "epochs_per_second": speed, "diverged_at": run.diverged_epoch}
        rows.append(row)
    return rows


def boundary_title(run, task):
    """E.g. "A: test loss 0.231, accuracy 91.3%" (", diverged at 12" or ", stopped at 40" when it did)."""
    text = f"{run.name}: no finite epoch"
    if run.history:
        last = run.history[-1]
        text = f"{run.name}: test loss {last['val_loss']:.4g}"
        text += "" if task == "regression" else f", accuracy {last['val_accuracy']:.1%}"
    text += f", stopped at {run.epochs}" if run.stopped_by else ""
    return text + (f", diverged at {run.diverged_epoch}" if run.diverged_epoch else "")


def divergence_notes(results):
    """A sentence per diverged run: where, and what its charts show instead."""
    return [
        f"Run {run.name} diverged at epoch {run.diverged_epoch}: its loss stopped being finite. Its curves "
        "stop at the last finite epoch and its boundary shows those weights. Lower its learning rate."
        for run in results.runs
        if run.diverged_epoch
    ]


def stop_notes(results):
    """A sentence per run the base's stop rule stopped before the epochs asked for: where, and why."""
    return [
        f"Run {run.name} stopped at epoch {run.epochs}: {reason_text(run.stopped_by)} (the stop rule every "
        "run shares; its curves end there)."
        for run in results.runs
        if run.stopped_by
    ]


def table_columns():
    """The table's columns, in the order of ``table_rows``: {field: Streamlit column config}."""
    text, number = st.column_config.TextColumn, st.column_config.NumberColumn
    return {
        "run": text("run"),
        "differs": text("differs from the base in"),
        "train_loss": number("train loss", format="%.4g"),
        "test_loss": number("test loss", format="%.4g"),
        "train_accuracy": number("train accuracy", format="percent"),
        "test_accuracy": number("test accuracy", format="percent"),
        "epochs": number("epochs"),
        "epochs_per_second": number("epochs/s", format="%.0f"),
        "diverged_at": number("diverged at epoch"),
    }
