"""What ``lambdify`` needs besides numpy/mpmath to evaluate every function our derivatives produce.

Differentiating |x| or sign(x) gives DiracDelta terms, and the derivatives of gamma give polygamma;
numpy and mpmath know neither by those names, and the generated code would fail with a NameError.
DiracDelta is 0 wherever it can be evaluated numerically (away from a single point), which is what a
sampled curve, a Newton step or a numeric root search needs.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _dirac_delta(x: Any, *order: Any) -> Any:
    return np.zeros_like(np.asarray(x, dtype=float))


def _polygamma(n: Any, x: Any) -> Any:
    from scipy.special import polygamma

    return polygamma(n, x)


NUMPY = [{"DiracDelta": _dirac_delta, "polygamma": _polygamma}, "scipy", "numpy"]
MPMATH = [{"DiracDelta": lambda x, *order: 0}, "mpmath"]
