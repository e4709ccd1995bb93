"""Lessons: guided exercises that open the Playground with a task, some controls hidden or locked, and
a goal it checks live. The lessons are data files in ``lessons/``, read by ``playground.core.lessons``."""

import streamlit as st

from playground.core import session
from playground.core.lessons import control_labels, load_lessons
from playground.core.navigation import use_app_navigation

use_app_navigation()

st.title("Lessons")
st.markdown(
    "Each lesson opens the Playground on a prepared problem with a goal. Some controls are hidden or "
    "locked so that only the idea of the lesson is left to change. The goal is checked live while "
    "the network trains, and a badge appears when you reach it."
)

try:
    lessons = load_lessons()
except ValueError as error:  # a broken lesson file: say which, and where
    st.error(f"A lesson file could not be read: {error}")
    st.stop()

# The Playground records the lessons passed in this session (a set of lesson ids).
passed = session.passed_lessons()
done = sum(lesson.id in passed for lesson in lessons)
st.progress(done / max(len(lessons), 1), text=f"{done} of {len(lessons)} lessons passed in this session")

for lesson in lessons:
    with st.container(border=True, key=f"lsn_card_{lesson.id}"):
        title_col, badge_col = st.columns([5, 1], vertical_alignment="center")
        title_col.subheader(f"{lesson.order}. {lesson.title}", anchor=lesson.id)
        if lesson.id in passed:
            badge_col.badge("Passed", icon=":material/check_circle:", color="green")
        st.markdown(lesson.text)
        st.markdown(f"**Goal:** {lesson.describe_goal()}")
        for word, names in (("Hidden", lesson.hidden), ("Locked", lesson.locked)):
            if names:
                st.caption(f"{word}: {', '.join(control_labels(names))}")
        if lesson.hint:
            with st.expander("Hint"):
                st.markdown(lesson.hint)
        if st.button(
            "Start this lesson",
            key=f"lsn_start_{lesson.id}",
            type="secondary" if lesson.id in passed else "primary",
            icon=":material/play_arrow:",
        ):
            session.open_in_playground(lesson.config, lesson.classroom())
