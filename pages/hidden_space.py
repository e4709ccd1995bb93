"""Placeholder: this page is being built."""

import streamlit as st

st.title("hidden_space")
st.info("Coming soon.")
