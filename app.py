"""Entry point: `streamlit run app.py`. Page config and navigation only; pages live in pages/."""

import streamlit as st

st.set_page_config(page_title="NumPy Neural Network Playground", page_icon="🧠", layout="wide")

pages = [st.Page("pages/playground.py", title="Playground", icon=":material/neurology:", default=True)]
st.navigation(pages).run()
