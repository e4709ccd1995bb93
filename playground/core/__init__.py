"""What every feature shares: the config (one frozen dataclass, round-tripped through the URL), the
classroom settings a link carries, goals, lessons, the experiment (data + network + trainer), the
session-state keys more than one page reads, and the page navigation.

Imports nn_core and the standard library (and Streamlit in ``session`` and ``navigation`` only);
never another playground package.
"""
