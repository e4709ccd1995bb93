"""Type aliases shared by the package (for readers and for mypy; nothing here runs)."""

from typing import Any

import numpy as np
import numpy.typing as npt

# A float32 or float64 array: the model's dtype decides which.
FloatArray = npt.NDArray[np.floating[Any]]
# Integer labels or indices.
IntArray = npt.NDArray[np.integer[Any]]
BoolArray = npt.NDArray[np.bool_]
