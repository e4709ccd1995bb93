"""Placeholder: this page is being built."""

import streamlit as st

st.title("gradient_check")
st.info("Coming soon.")
