"""The Compare runs page's widget state: one widget per run and setting, kept under ``cmp_`` keys.

The state is read and written through a plain mapping (``st.session_state`` on the page, a dict in the
tests): ``cmp_overrides`` (MAX_RUNS dicts, what each run changes), ``cmp_n_runs``, ``cmp_epochs``,
``cmp_base`` (the base the widgets were last seeded from) and ``cmp_run<i>_<field>``, the widgets.
Nothing here imports Streamlit.
"""

from playground.compare.runs import FIRST_PRESET, MAX_RUNS, RUN_FIELDS, choices, preset_overrides

DEFAULT_EPOCHS = 300


def widget_key(i, field):
    """Session key of run ``i``'s widget for ``field``."""
    return f"cmp_run{i}_{field}"


def seed_widgets(state, base):
    """Give every run's widgets their value, the base's changed by that run's overrides: those with no
    value yet (Streamlit forgets a widget while another page shows), and all of them when the base
    changed. ``state``: the session state mapping; ``cmp_overrides`` holds MAX_RUNS dicts."""
    if "cmp_overrides" not in state:  # the first visit opens on a preset, not on identical runs
        _set_runs(state, base, FIRST_PRESET)
    state.setdefault("cmp_epochs", DEFAULT_EPOCHS)
    reseed = state.get("cmp_base") != base
    for i, changes in enumerate(state["cmp_overrides"]):
        for field in RUN_FIELDS:
            value = changes.get(field, getattr(base, field))
            if value not in choices(field, base):
                value = getattr(base, field)
            if reseed or widget_key(i, field) not in state:
                state[widget_key(i, field)] = value
    state["cmp_base"] = base


def read_overrides(state, base):
    """The shown runs' overrides, read from their widgets and kept in ``cmp_overrides`` for the next
    visit and for a change of base. Returns a list of ``cmp_n_runs`` dicts."""
    n_runs, overrides = state["cmp_n_runs"], list(state["cmp_overrides"])
    for i in range(n_runs):
        values = {field: state[widget_key(i, field)] for field in RUN_FIELDS}
        # A setting once changed (or set by a preset) stays the run's own, even if it equals today's
        # base: when the Playground's settings change, only the others follow them.
        overrides[i] = {f: v for f, v in values.items() if v != getattr(base, f) or f in overrides[i]}
    state["cmp_overrides"] = overrides
    return overrides[:n_runs]


def apply_preset(state, base, name):
    """Fill the runs with preset ``name`` (a button's callback: it runs before the widgets are drawn)."""
    _set_runs(state, base, name)
    state.pop("cmp_base", None)  # so that every widget takes its new value
    seed_widgets(state, base)


def _set_runs(state, base, name):
    runs = preset_overrides(name, base.task)
    state["cmp_overrides"] = runs + [{} for _ in range(MAX_RUNS - len(runs))]
    state["cmp_n_runs"] = len(runs)
