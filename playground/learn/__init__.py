"""The Learn pages' logic: the backprop stepper, the tutorial reproduced, hidden space, and the
default network they share.

May import ``playground.core`` and ``playground.figures``; no other feature.
"""
