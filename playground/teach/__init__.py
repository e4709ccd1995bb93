"""The Teach pages' logic: a TensorFlow Playground link read as the nearest setup here.

May import ``playground.core`` and ``playground.figures``; no other feature.
"""
