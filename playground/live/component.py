"""The live charts as one Streamlit component that updates its Plotly charts in place.

``st.plotly_chart`` remounts a chart on every update in Streamlit 1.67 (its identity is a hash of
the whole figure): a few painted frames a second, flicker, zoom lost. This module mounts instead one
keyed ``st.components.v2`` component whose JavaScript (``static/live_view.js`` and the modules it
imports from ``static/live/``) draws every chart once and then changes only what moved
(``playground/live/frames.py`` builds what it receives, by the format in ``static/frame_format.json``):

- plotly.js is served by Streamlit's static file serving (``[server] enableStaticServing`` in
  ``.streamlit/config.toml``): at start-up the app copies the ``plotly.min.js`` shipped inside the
  plotly wheel to ``static/``, so nothing comes from a CDN and the app works offline;
- the specs (figures drawn once) are sent until the browser acknowledges their revision;
- every payload carries the frames of one tick and the new loss points only;
- while training, the browser asks for each tick (a trigger value, which reruns the page's fragment)
  once the previous payload has arrived, at most every ``tick.tick_seconds()``: ticks are paced by
  delivery. A fixed timer would, on a busy server, start the next run before the last one's payload
  was sent, and Streamlit drops the unsent payload: under load, every update was lost.

If the component cannot work here (an old Streamlit, static serving off, a read-only ``static/``,
or ``NN_PLAYGROUND_LIVE=0`` in the environment), ``available()`` says why and the page falls back
to ``st.plotly_chart``.
"""

import hashlib
import os
import secrets
import shutil
from pathlib import Path

import plotly
import plotly.offline
import streamlit as st

from playground.live import controls, edits, frames, rate, specs, store, tick
from playground.live.film import reel

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
MODULE = STATIC_DIR / "live_view.js"


def _sources():
    """The live view's own files: the entry module, the modules it imports and the frame format."""
    return tuple(sorted([MODULE, frames.FORMAT_PATH, *(STATIC_DIR / "live").glob("*.js")]))


def _version(paths):
    """A hash of the files' names and texts: the entry module's URL carries it, and every module
    passes it on as the query of the modules it imports, so a browser never runs a stale copy."""
    digest = hashlib.sha1()
    for path in paths:
        digest.update(f"{path.relative_to(STATIC_DIR).as_posix()}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


SOURCES = _sources()
MODULE_URL = f"app/static/{MODULE.name}?v={_version(SOURCES)}"

# The component's own code is this small loader (Streamlit sends it with every update): it imports
# the real module once per page (the browser caches modules by URL) and hands it each payload.
_LOADER = """
export default function (args) {
  let cleanup = null, gone = false;
  import(new URL(args.data.module, document.baseURI).href).then((m) => {
    if (!gone) cleanup = m.render(args);
  });
  return () => { gone = true; if (cleanup) cleanup(); };
}
"""
RESEND = 5  # payloads whose loss points each payload repeats (see ``payload``)
_V2 = getattr(getattr(st, "components", None), "v2", None)
_COMPONENT = _V2.component("nn_playground.live", js=_LOADER, isolate_styles=False) if _V2 else None


@st.cache_resource(show_spinner=False)
def plotly_url():
    """Once per server process: copy plotly.js from the plotly wheel into ``static/``. Returns its
    URL relative to the page, or None if it cannot be written (a read-only deployment)."""
    name = f"plotly-{plotly.offline.get_plotlyjs_version()}.min.js"
    target = STATIC_DIR / name
    try:
        if not target.exists():
            source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
            partial = target.with_name(f"{name}.{os.getpid()}.part")
            shutil.copyfile(source, partial)
            os.replace(partial, target)  # atomic: a browser never gets half a file
    except OSError:
        return None
    return f"app/static/{name}"


def available():
    """(True, "") if the live component can run here, else (False, the reason)."""
    if os.environ.get("NN_PLAYGROUND_LIVE") == "0":
        return False, "live charts switched off (NN_PLAYGROUND_LIVE=0)"
    if _COMPONENT is None:
        return False, f"this Streamlit ({st.__version__}) has no st.components.v2"
    if not st.get_option("server.enableStaticServing"):
        return False, "static file serving is off (set [server] enableStaticServing = true)"
    if plotly_url() is None:
        return False, f"plotly.js could not be copied into {STATIC_DIR}"
    return True, ""


def revision(exp):
    """The spec's revision: a new network, new data or another view setting draws the charts anew; so
    does divergence (the empty loss chart's hint, in the spec, then says so), and a schedule switched
    on or off (the loss chart's rate band)."""
    c = exp.config
    flags = f"{int(c.show_test)}{int(c.discretize)}{int(exp.diverged)}{int(c.schedule != 'constant')}"
    return f"{exp.nonce}.{exp.builds}.{flags}.{exp.data_version}"


def payload(exp, tick_frames, *, running, sync, present=False, film=None):
    """What the browser receives this run. ``sync`` is this session's bookkeeping dict: the revision
    the browser acknowledged (``ack``), the spec built for a revision (``spec``), the epochs of the
    last few payloads (``sent``) and the payload count (``seq``, in ``stream``). The spec and the
    whole loss history go out until the browser acknowledges the revision; after that the loss
    points since the oldest of ``sent``. ``tick_frames``: this tick's ``frames.Frame`` list, or the
    frames already packed (a worker packs them, off the server's interpreter lock), or nothing (the
    model as it is now). ``film``: the run's ``film.Film``; paused, the model as it is now joins it,
    and the whole film goes out once per change (``sync["film_sent"]``: its id), or again when the
    browser says it lacks it (``_take_film_need``: a remounted view, a payload lost)."""
    rev = revision(exp)
    # seq orders payloads: the browser ignores one older than, or the same as, what it has drawn
    # (Streamlit may hand a component its previous data again when a rerun interrupts another).
    # ``stream`` names this session's sequence, so a browser page that outlives a server restart
    # starts counting again instead of ignoring the new session's payloads.
    sync.setdefault("stream", secrets.token_hex(4))
    sync["seq"] = sync.get("seq", 0) + 1
    data = {"module": MODULE_URL, "plotly": plotly_url(), "running": running, "present": present}
    data["edit"] = {"on": edits.enabled()}  # clicks on the boundary add points (``edits``)
    data["layers"] = {"on": controls.layer_choice_allowed()}  # the network's layer titles open a menu
    data |= {"stream": sync["stream"], "seq": sync["seq"]}
    if running:
        data["tick_ms"] = round(1000 * tick.tick_seconds())  # ask for the next tick this much later
    # The counters above the charts are drawn by the browser from each frame's scores (one element
    # less per tick for Streamlit, and they always match the picture); these are the rest.
    c = exp.config
    data["status"] = {
        "rate": rate.epochs_per_second(),
        "max_epochs": c.max_epochs,
        "regression": c.task == "regression",
    }
    history, task = exp.trainer.history, exp.config.task
    if sync.get("ack") != rev:
        if sync.get("spec", {}).get("rev") != rev:
            c = exp.config
            sync["spec"] = specs.spec(exp, show_test=c.show_test, discretize=c.discretize, rev=rev)
        data["spec"] = sync["spec"]
        data["loss"] = frames.loss_points(history, task)
        sync["sent"] = [exp.epoch]
    else:
        # Each payload repeats the loss points of the last RESEND payloads: under load Streamlit may
        # cut a run short after it built its payload, and a gap would make the browser ask for the
        # whole history (one more rerun, on a server that is already behind).
        sent = sync.get("sent", [0])
        data["loss"] = frames.loss_points(history, task, after=min(sent[0], exp.epoch))
        sync["sent"] = (sent + [exp.epoch])[-RESEND:]
    if isinstance(tick_frames, dict):
        data["frames"] = tick_frames  # packed in a worker process (``training.run``)
    else:
        now = tick_frames or [frames.snapshot(exp)]
        data["frames"] = frames.pack_frames(now)
        if film is not None and not running and now[-1].full:
            film.add(reel(now[-1]))  # the present, as paused (epoch 0 of a new network, a Step)
    if film is not None and not running and sync.get("film_sent") != film.id:
        # Paused: the browser gets the run's film for its replay slider (no acknowledgement, so no
        # extra rerun on every pause; it asks when it finds itself without the present's film).
        data["film"] = {"id": film.id, "frames": film.packed()}
        sync["film_sent"] = film.id
    return data


def show(exp, tick_frames, *, running, present=False):
    """Mount the live charts (key ``live``) with this run's payload; remember the acknowledged spec.
    ``present``: presenter mode (the boundary and the loss large, the rest hidden)."""
    if _COMPONENT is None:
        raise RuntimeError(f"the live charts cannot run here: {available()[1]}")  # callers check first
    sync = st.session_state.setdefault("pg_live_sync", {})
    film = store.film(exp)
    data = payload(exp, tick_frames, running=running, sync=sync, present=present, film=film)
    result = _COMPONENT(
        key="live",
        data=data,
        on_ack_change=_take_ack,
        on_film_need_change=_take_film_need,
        on_edit_change=_take_edit,
        on_layer_change=_take_layer,
    )
    sync["ack"] = result.get("ack") if result is not None else None


def _take_ack():
    """Runs before the script when the browser reports its spec revision (``null``: it has none,
    e.g. the component was just remounted), so this very run's payload answers it: a paused page
    gets no later run that could."""
    state = st.session_state.get("live") or {}
    st.session_state.setdefault("pg_live_sync", {})["ack"] = state.get("ack")


def _take_edit():
    """Runs before the script when the browser sends a click on the boundary in edit mode."""
    edits.take_edit((st.session_state.get("live") or {}).get("edit"))


def _take_layer():
    """Runs before the script when the browser sends an activation chosen in the menu of a hidden
    layer's title (in the network view)."""
    controls.take_layer_click((st.session_state.get("live") or {}).get("layer"))


def _take_film_need():
    """Runs before the script when the browser says it lacks the present's film: send it again."""
    st.session_state.setdefault("pg_live_sync", {})["film_sent"] = None
