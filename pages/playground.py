"""The Playground: pick data and a network, press Play, watch it learn."""

import streamlit as st

from playground.challenge import panels as challenge_panels
from playground.core import session
from playground.core.navigation import use_app_navigation
from playground.files import export_panel
from playground.live import component as live
from playground.live import controls, film_panel, link, metrics_panel, panels, store, tick

use_app_navigation()

url_config, url_notices = link.url_config()
previous = session.experiment()
# Streamlit forgets the controls' values while another page is shown: seed them again from the
# experiment, so a visit to a Learn page keeps the Playground as it was.
controls.seed_widgets(previous.config if previous else url_config)
room = link.current_classroom()
config, notices = controls.sidebar_config(previous.config if previous else url_config, room)
config, more = link.with_upload(config)
notices += more
link.write_url(config)
exp, change = store.experiment(config)
with st.sidebar:
    panels.share(link.share_link(config))
    left_out = link.drawn_left_out(config)
    if left_out:
        st.caption(left_out)

panels.compact_page()
panels.heading(exp)
live_ok, why_not = live.available()
# Notices, the task and the challenge come and go from run to run: inside one container, so the live
# charts below keep their place in the page (a changed place would remount them: the zoom lost, the
# charts drawn again, a click on the boundary dropped).
with panels.notes():
    panels.messages(url_notices if config == url_config else [], notices, change)
    if not live_ok:
        panels.fallback_notice(why_not)
    panels.task(room)
    if room.challenge:
        challenge_panels.submit_box(exp, room.challenge, running=session.is_running())
panels.toolbar(exp, room)


was_running = session.is_running()
data_version = exp.data_version  # points drawn by hand since: the sidebar and the link follow


# While training, the live charts ask for each tick once the previous one has arrived (paced by
# delivery, see playground/live.py); the slower fallback charts tick on Streamlit's timer.
@st.fragment(run_every=tick.tick_seconds() if was_running and not live_ok else None)
def live():
    """Reruns alone every tick while training: advance K epochs, then redraw the numbers and charts."""
    if was_running and not session.is_running():
        # Paused, but this fragment still runs (a tick the browser asked for, or the fallback's
        # timer): Streamlit 1.67 sometimes runs a Pause click's callback in a fragment-only run,
        # and the page keeps its Pause button. A full rerun redraws the page as paused.
        st.rerun()
    if exp.data_version != data_version or controls.layer_clicked():
        st.rerun()  # a click drew points or chose a layer's activation: the whole page follows
    tick_frames = None
    if session.is_running():
        stopped, tick_frames = tick.tick(exp, snapshots=live_ok)
        if stopped:
            st.rerun()  # training stopped: a full rerun re-creates this fragment without its timer
    panels.worker_notice(tick.worker_notice())
    panels.status(exp, numbers=not live_ok)
    panels.goal(exp, room)
    panels.charts(exp, tick_frames, live_ok=live_ok)
    if not live_ok:  # no live heatmap: the fragment draws the matrix every tick
        metrics_panel.show(exp, live_ok=False, running=session.is_running())


live()
if live_ok:  # outside the fragment: the table follows full runs (Step, Pause), not every tick
    metrics_panel.show(exp, running=session.is_running())
TAKE_HOME = "Take it home: data, loss history, weights, a NumPy script, a GIF"
with st.expander(TAKE_HOME, icon=":material/download:"):
    export_panel.show(exp)
    film_panel.show(exp)
