"""Class challenges: a race on a Playground setup (``rules``), every entry verified by replaying its
run (``verify``, in a worker: ``replays``), stored in a real database (``store``, through Streamlit's
``st.connection("sql")``: ``connection``), and the pages' parts (``panels``).

May import ``playground.core`` and ``playground.figures``; no other feature.
"""
