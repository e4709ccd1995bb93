"""The run's film taken home: an animated GIF of the boundary, made when asked, with a progress bar.

Shown in the Playground's "Take it home" panel. Session key: ``pg_film_gif`` (the film's id and the
GIF made from it; dropped once the film has changed).
"""

import streamlit as st

from playground.core import session
from playground.live import film_gif, store

PROGRESS_EVERY = 10  # frames between progress-bar updates (each is a message to the browser)


def show(exp):
    """A button that makes the GIF of the film as it is now; then its download and a preview."""
    film = store.film(exp)
    n, running = len(film.reels), session.is_running()
    made = st.session_state.get("pg_film_gif")
    if made and made[0] != film.id:
        made = st.session_state.pg_film_gif = None  # another run, or this one went on: the GIF is old
    st.markdown("**The run as a moving picture**")
    if running:
        st.caption("Pause to make a GIF of the run so far.")
    elif n < 2:
        st.caption("Train a few epochs first: the GIF shows the frames the replay slider shows.")
    else:
        st.caption(
            f"The boundary at the {n} epochs the replay slider shows (epochs {film.epochs[0]} to "
            f"{film.epochs[-1]}), with the epoch and the losses under each, "
            f"{film_gif.FRAME_MS} ms a frame."
        )
    clicked = st.button(
        f"Make a GIF ({n} frames)",
        key="pg_film_gif_make",
        disabled=running or n < 2,
        icon=":material/movie:",
    )
    if clicked and not running and n >= 2:
        made = st.session_state.pg_film_gif = (film.id, _make(film, exp))
    if made:
        data = made[1]
        st.download_button(
            f"Download the GIF ({len(data) / 1024**2:.1f} MB)",
            data,
            file_name=f"nn-playground-{exp.config.dataset}-epoch{film.epochs[-1]}.gif",
            mime="image/gif",
            key="pg_film_gif_download",
            on_click="ignore",
            icon=":material/download:",
        )
        st.image(data, width=film_gif.SIDE, caption="Preview")


def _make(film, exp):
    """The GIF's bytes, drawn with a progress bar that goes once the GIF is done."""
    reels = list(film.reels)
    bar = st.progress(0.0, text=f"Drawing frame 0 of {len(reels)}…")

    def progress(done, total):
        if done % PROGRESS_EVERY == 0 or done == total:
            bar.progress(done / total, text=f"Drawing frame {done} of {total}…")

    data = film_gif.film_gif(reels, exp, progress=progress)
    bar.empty()
    return data
