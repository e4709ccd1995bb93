"""Streamlit rendering of the Playground page: buttons, messages, metrics and the live charts.

The charts are the live component (``playground.live.component``, key ``live``) when it can run here; else
``st.plotly_chart`` elements built by ``playground.figures``, with stable keys (``boundary``,
``loss``, ``network``, ``weights``) that tests use.
"""

import streamlit as st

from playground.core import catalog, classroom, goals, lessons, session
from playground.core.schedule_stop import reason_text
from playground.figures import boundary_figure, loss_figure, network_figure, weights_figure
from playground.figures.curves import empty_hint
from playground.live import component as live
from playground.live import controls, link, rate, store


def messages(url_notices, control_notices, change):
    """Everything the user should know about this run: bad link values, unusable input, and
    whether the last change built a new network or kept training the same one."""
    for notice in url_notices + control_notices:
        st.warning(notice, icon=":material/link_off:")
    if change:
        st.toast(change.message)
    last = store.last_change()
    if last:
        st.caption(f"Last change: {last}")


# The Playground on one screen: less padding above the page and between its rows (our own constant
# CSS, no user text), so the buttons, the counters and the charts' row fit above the fold.
PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; padding-bottom: 1rem; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.5rem; }
.st-key-pg_heading p { margin-bottom: 0.35rem; }
.st-key-pg_heading h1 { font-size: 1.6rem; padding: 0; }
/* Two layer-size boxes a row wider than 7.5rem each: below that Streamlit drops their - / + buttons. */
[data-testid="stSidebarContent"] { padding-left: 0.9rem; padding-right: 0.9rem; }
</style>"""

WELCOME = "A network written in NumPy learns to tell blue points from orange ones: press **Play**."


def compact_page():
    st.html(PAGE_CSS)


def heading(exp):
    """The page's title, and a one-line welcome until this session first trains."""
    if exp.epoch > 0 or session.is_running():
        st.session_state.pg_welcomed = True
    with st.container(key="pg_heading", horizontal=True, vertical_alignment="bottom", gap="medium"):
        st.title("NumPy Neural Network Playground", width="content")
        if not st.session_state.get("pg_welcomed"):
            st.markdown(WELCOME, width="content")


def notes():
    """The container of the lines that come and go above the charts (notices, the task, a challenge):
    one element of the page whatever it holds, so the live charts after it keep their place."""
    return st.container(key="pg_notes")


def toolbar(exp, room):
    """One row: Play / Pause, Step, Reset, then the view's switches."""
    with st.container(key="pg_toolbar", horizontal=True, vertical_alignment="center", gap="small"):
        transport(exp, room)
        view_toggles(room)


def transport(exp, room):
    """Play / Pause, Step, Reset (a classroom link may hide or lock each)."""
    stopped = exp.finished or exp.diverged
    if not room.shows("play"):
        pass
    elif session.is_running():
        st.button(
            "Pause",
            key="pause",
            icon=":material/pause:",
            type="primary",
            on_click=store.set_running,
            args=(False,),
            width=110,
        )
    else:
        st.button(
            "Play",
            key="play",
            icon=":material/play_arrow:",
            type="primary",
            disabled=stopped or room.locks("play"),
            on_click=store.set_running,
            args=(True,),
            width=110,
            help="Train continuously until Pause (or until the epoch budget is reached).",
        )
    if room.shows("step"):
        st.button(
            "Step",
            key="step",
            icon=":material/skip_next:",
            on_click=store.step,
            disabled=stopped or room.locks("step"),
            help="Train exactly one epoch.",
            width=110,
        )
    if room.shows("reset"):
        st.button(
            "Reset",
            key="reset",
            icon=":material/restart_alt:",
            on_click=store.reset,
            disabled=room.locks("reset"),
            help="Back to epoch 0 with the same initial weights.",
            width=110,
        )


# Presenter mode's page style: our own constant CSS (no user text), larger type, no sidebar.
PRESENTER_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
[data-testid="stMainBlockContainer"] { font-size: 1.25rem; max-width: 100%; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
[data-testid="stMetricLabel"] p { font-size: 1.2rem; }
</style>"""


def presenter():
    """The presenter-mode switch, and its page style while it is on."""
    on = st.toggle(
        "Presenter mode",
        key="pg_presenter",
        help="For a projector: larger text and points, the boundary and the loss large, controls hidden.",
    )
    if on:
        st.html(PRESENTER_CSS)


def view_toggles(room):
    """Show test data / Discretize output (a classroom link may hide or lock them), presenter mode."""
    for name, label in (("show_test", "Show test data"), ("discretize", "Discretize output")):
        if room.shows(name):
            st.toggle(label, key=controls.key(name), disabled=room.locks(name))
    presenter()


def task(room):
    """The teacher's task text, and a way out of the lesson (every control comes back)."""
    if not (room.task or room.goal or room.hidden or room.locked):
        return
    lesson = lessons.find_lesson(room.lesson) if room.lesson else None
    with st.container(border=True):
        if lesson:
            st.markdown(f"**Lesson {lesson.order}: {lesson.title}**")
        if room.task:
            st.markdown(room.task)  # Markdown, never HTML: a link's text cannot inject markup
        hidden = ", ".join(classroom.LABELS[n] for n in classroom.CONTROLS if n in room.hidden)
        locked = ", ".join(classroom.LABELS[n] for n in classroom.CONTROLS if n in room.locked)
        notes = [f"hidden: {hidden}" if hidden else "", f"locked: {locked}" if locked else ""]
        if any(notes):
            st.caption("Controls " + "; ".join(n for n in notes if n) + ".")
        if lesson and lesson.hint:
            with st.expander("Hint"):
                st.markdown(lesson.hint)
        st.button("Show all controls", key="leave_classroom", on_click=link.leave_classroom, type="tertiary")


def goal(exp, room):
    """The goal, checked live: each condition with its current value, and a badge once it is met.
    A goal that cannot be read is reported, never raised."""
    if not room.goal:
        return
    try:
        the_goal = goals.parse_goal(room.goal)
    except ValueError as error:
        st.warning(f"The goal in this link cannot be read: {error}", icon=":material/flag:")
        return
    # One memory per goal text (a divergence seen, the epoch the goal was first met): it survives
    # Reset and new networks, so "make it diverge, then fix it" can be done in steps.
    kept = st.session_state.get("pg_goal_memory")
    if kept is None or kept[0] != room.goal:
        kept = st.session_state.pg_goal_memory = (room.goal, goals.new_memory())
    memory = kept[1]
    goals.observe(memory, exp)
    status = goals.evaluate(the_goal, exp, memory)
    with st.container(border=True):
        head, badge = st.columns([4, 1], vertical_alignment="center")
        head.markdown(f"**Goal:** {the_goal.describe()}")
        if status.passed:
            badge.badge(status.badge, icon=":material/check_circle:", color="green")
            if room.lesson:
                session.passed_lessons().add(room.lesson)
        else:
            badge.badge(status.badge, icon=":material/flag:", color="gray")
        st.caption(" · ".join(("✓ " if c.ok else "✗ ") + c.now for c in status.checks))


def status(exp, *, numbers=True):
    """Epoch counter, current losses and accuracies, speed, progress (``numbers``: the live charts
    draw these themselves, frame by frame) and divergence."""
    if numbers:
        counters(exp)
    if exp.diverged:
        t = exp.trainer
        st.error(
            f"The loss became infinite at epoch {t.diverged_epoch}: lower the learning rate "
            f"(now {t.learning_rate:g}). The network is kept as it was at epoch {exp.epoch}; "
            "changing the learning rate lets you continue from there.",
            icon=":material/warning:",
        )
    elif exp.stopped:
        st.success(
            f"Stopped at epoch {exp.epoch}: {reason_text(exp.trainer.stopped_by)} ('Stop when'). Change "
            "the rule or a training setting to go on from here, or Reset.",
            icon=":material/flag:",
        )
    elif exp.finished:
        st.success(f"Trained {exp.config.max_epochs} epochs. Raise 'Epochs to train' to go on, or Reset.")


def counters(exp):
    """The numbers above the fallback charts, as ``st.metric``s (live_view.js draws the same)."""
    metrics = exp.metrics()
    columns = st.columns(6)
    columns[0].metric("Epoch", f"{exp.epoch}")
    columns[1].metric("Train loss", _number(metrics["train_loss"]))
    columns[2].metric("Test loss", _number(metrics["val_loss"]))
    if exp.config.task != "regression":
        columns[3].metric("Train accuracy", _percent(metrics["train_accuracy"]))
        columns[4].metric("Test accuracy", _percent(metrics["val_accuracy"]))
    columns[5].metric("Epochs / s", f"{rate.epochs_per_second():,.0f}")
    if exp.config.max_epochs:
        done = min(exp.epoch / exp.config.max_epochs, 1.0)
        st.progress(done, text=f"{exp.epoch} of {exp.config.max_epochs} epochs")


def charts(exp, tick_frames, *, live_ok):
    """The charts: decision boundary, loss curves, the network, the weight heatmaps. In place by
    the live component when it can run here (``live_ok``), else with ``st.plotly_chart``."""
    if live_ok:
        live.show(
            exp,
            tick_frames,
            running=session.is_running(),
            present=st.session_state.get("pg_presenter", False),
        )
    else:
        plotly_charts(exp)


def worker_notice(reason):
    """Say why training runs in the server's own process (every session then shares one core)."""
    if reason:
        st.caption(f"Training runs in the web server's own process, one core for every visitor: {reason}.")


def fallback_notice(reason):
    """Say why the charts are the slow kind."""
    st.caption(f"Charts redraw in full on every update ({reason}).")


def fallback_figures(exp):
    """The four charts as Plotly figures (boundary, loss, network, weights), drawn from scratch."""
    c, m = exp.config, exp.model
    X_train, X_test, y_train, y_test = exp.points
    hint = empty_hint(epoch=exp.epoch, diverged=exp.diverged, finished=exp.finished)
    boundary = boundary_figure(
        xs=exp.grid_axis,
        ys=exp.grid_axis,
        values=exp.boundary_values(),
        task=c.task,
        X_train=X_train,
        y_train=y_train,
        X_test=X_test,
        y_test=y_test,
        show_test=c.show_test,
        discretize=c.discretize,
        n_classes=c.classes,
        title=f"epoch {exp.epoch}",
    )
    network = network_figure(
        layer_sizes=m.layer_sizes,
        weights=m.weights,
        biases=m.biases,
        feature_names=exp.feature_names(),
        neuron_maps=exp.neuron_maps(),
        activations=[catalog.short_label("activation", a) for a in m.hidden_activations],
    )
    return (
        boundary,
        loss_figure(exp.trainer.history, task=c.task, empty_hint=hint, rate=c.schedule != "constant"),
        network,
        weights_figure(m.weights, m.biases),
    )


def plotly_charts(exp):
    """The same charts as ``st.plotly_chart`` elements, redrawn from scratch on every update."""
    boundary, loss, network, weights = fallback_figures(exp)
    config = {"displaylogo": False}
    left, right = st.columns([3, 2])
    left.plotly_chart(boundary, key="boundary", config=config)
    right.plotly_chart(loss, key="loss", config=config)
    st.subheader("The network: what every neuron computes")
    st.caption(
        "Each square is a neuron's output over the plane (blue positive, orange negative). "
        "Lines are weights: blue positive, orange negative, thicker is larger. "
        "The small squares are biases. Hover for values."
    )
    st.plotly_chart(network, key="network", config=config)
    with st.expander("Weights and biases as heatmaps", expanded=True):
        st.plotly_chart(weights, key="weights", config=config)


def share(link):
    """The copy-link control: the link that reopens this data and this initial network."""
    st.subheader("Share")
    st.caption("This link opens the same data, network and initial weights (copy button on the right).")
    st.code(link, language=None, wrap_lines=True)


def _number(value):
    return "–" if value is None else f"{value:.4f}"


def _percent(value):
    return "–" if value is None else f"{value:.1%}"
