"""Compare runs: several configurations trained side by side on the same data.

May import ``playground.core`` and ``playground.figures``; no other feature.
"""
