"""Placeholder: this page is being built."""

import streamlit as st

st.title("backprop")
st.info("Coming soon.")
