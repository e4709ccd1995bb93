"""How a long run's loss history is thinned: epochs that are multiples of a power of two.

The experiment keeps its older records this way, and the live loss chart sends its points this way,
so a point once kept stays kept as the run grows (the stride only doubles).
"""

MAX_LIVE_POINTS = 1000  # the live chart redraws at up to 20 frames a second: fewer points


def downsample_stride(last_epoch, max_points=MAX_LIVE_POINTS):
    """The live chart keeps epochs that are multiples of this power of two: at most ``max_points``
    of them, and a point once kept stays kept as the run grows (the stride only doubles)."""
    stride = 1
    while last_epoch / stride > max_points:
        stride *= 2
    return stride
