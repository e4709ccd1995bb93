"""Entry point: `streamlit run app.py`. Page config, navigation and process-wide setup; no maths."""

import streamlit as st

from playground.core.server import freeze_gc

st.set_page_config(page_title="NumPy Neural Network Playground", page_icon="🧠", layout="wide")
freeze_gc()

pages = {
    "Play": [
        st.Page("pages/playground.py", title="Playground", icon=":material/neurology:", default=True),
        st.Page("pages/compare.py", title="Compare runs", icon=":material/compare_arrows:"),
        st.Page("pages/your_data.py", title="Your data", icon=":material/upload_file:"),
    ],
    "Teach": [
        st.Page("pages/lessons.py", title="Lessons", icon=":material/school:"),
        st.Page("pages/teacher.py", title="Teacher links", icon=":material/link:"),
        st.Page("pages/board.py", title="Class board", icon=":material/leaderboard:"),
    ],
    "Learn": [
        st.Page("pages/backprop.py", title="Backprop, step by step", icon=":material/footprint:"),
        st.Page("pages/gradient_check.py", title="Gradient check", icon=":material/rule:"),
        st.Page("pages/tutorial.py", title="The tutorial, reproduced", icon=":material/menu_book:"),
        st.Page("pages/activations.py", title="Activations and gradients", icon=":material/show_chart:"),
        st.Page("pages/hidden_space.py", title="Hidden space", icon=":material/scatter_plot:"),
    ],
}
# The menu in the top bar: the sidebar is left to the Playground's controls (TF Playground's data column).
st.navigation(pages, position="top").run()
