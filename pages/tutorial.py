"""Placeholder: this page is being built."""

import streamlit as st

st.title("tutorial")
st.info("Coming soon.")
