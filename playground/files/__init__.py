"""Files in and out: your data from a CSV (upload), and the run taken home (data and loss CSVs,
weights, a standalone NumPy script).

May import ``playground.core`` and ``playground.figures``; no other feature.
"""
