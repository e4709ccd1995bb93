"""Entry point: `streamlit run app.py`. Page config, navigation and process-wide setup; no maths."""

import streamlit as st

from playground.state import freeze_gc

st.set_page_config(page_title="NumPy Neural Network Playground", page_icon="🧠", layout="wide")
freeze_gc()

pages = [st.Page("pages/playground.py", title="Playground", icon=":material/neurology:", default=True)]
st.navigation(pages).run()
