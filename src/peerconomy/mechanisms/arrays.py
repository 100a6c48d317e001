"""The numpy array types the package annotates with, declared once so every module means the
same thing by ``FloatArray``: arrays of any shape, and one-dimensional columns where the shape
is part of the type (the scenario's columns).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["BoolArray", "BoolColumn", "FloatArray", "FloatColumn", "IntArray", "IntColumn",
           "UIntArray"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
UIntArray = NDArray[np.uint64]

FloatColumn = np.ndarray[tuple[int], np.dtype[np.float64]]
IntColumn = np.ndarray[tuple[int], np.dtype[np.int64]]
BoolColumn = np.ndarray[tuple[int], np.dtype[np.bool_]]
