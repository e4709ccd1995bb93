"""A class challenge's board, for the projector: its verified entries ranked, updated live; with the
teacher's private link, the controls to close the race, clear an entry and export the results."""

import streamlit as st

from playground.challenge import panels
from playground.core.classroom import CHALLENGE_ID
from playground.core.navigation import use_app_navigation

use_app_navigation()

challenge_id = st.query_params.get("c", "")
teacher_token = st.query_params.get("t", "")
if CHALLENGE_ID.fullmatch(challenge_id):
    panels.board(challenge_id, teacher_token if CHALLENGE_ID.fullmatch(teacher_token) else "")
else:
    st.title("Class board", anchor=False)
    st.info(
        "A board opens from its link: a teacher starts a race on the Teacher links page and gets the "
        "students' link and this board's."
    )
