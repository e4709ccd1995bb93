"""Keeps a link to any page working on a freshly started server.

Streamlit 1.67 decides once per process whether the app uses the legacy ``pages/`` folder. Until
some session has run ``app.py`` (whose ``st.navigation`` switches that legacy mode off), a request
for ``/backprop`` runs ``pages/backprop.py`` alone: the menu lists bare file names and the page
config of ``app.py`` never runs. A teacher's link is often a fresh server's first request (a hosted
app sleeps), so every page calls ``use_app_navigation()`` first.
"""

import runpy
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

APP = Path(__file__).resolve().parents[2] / "app.py"


def use_app_navigation():
    """In Streamlit's legacy page mode, run ``app.py`` here instead: its ``st.navigation`` ends that
    mode for the whole server and runs this page properly, within this same run (so a button press
    that started the run is not lost). Then stop the legacy run."""
    if PagesManager.uses_pages_directory:
        runpy.run_path(str(APP))
        st.stop()
