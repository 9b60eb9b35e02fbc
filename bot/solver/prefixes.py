"""How learners name what they write: ``f(x) =``, ``y =``, ``dy/dx =``, ``f'(x) =``, ``d/dx``.

One place reads these, so ``/derive``, ``/answer`` and ``/check`` understand the same phrasings. The
``d/dVAR`` prefix of /derive and /check (``DVAR_PATTERN``) also takes ``dy/dx`` and ``d/dx(…)``.
"""

from __future__ import annotations

import re

# d/dx, dy/dx, df/dt, d / d x — the group is the variable; "=" or "of" may follow.
DVAR_PATTERN = r"d\s*[A-Za-z]?\s*/\s*d\s*([A-Za-z][A-Za-z0-9_]*)(?:\s*(?:=|of\b))?"

# f(x) =, g(t) =, y =, u = … : names of functions, not unknowns like m or c (``m = 2, c = 1``).
_FUNCTION_NAME = re.compile(r"^\s*(?:[fghuvFGH]\s*\(\s*[A-Za-z](?:\s*,\s*[A-Za-z])*\s*\)|[yY])\s*=\s*(?=\S)")
# f'(x) =, y' =, f′ =, y'' =, dy/dx =, d/dx =, df/dx =
_DERIVATIVE_NAME = re.compile(
    r"^\s*(?:[A-Za-z]\s*(?:'|′|’)+\s*(?:\(\s*[A-Za-z]\s*\))?|d\s*[A-Za-z]?\s*/\s*d\s*[A-Za-z])\s*=\s*(?=\S)"
)


def strip_function_name(text: str) -> str:
    """``f(x) = x^2 sin x`` → ``x^2 sin x``; text without such a name is returned unchanged."""
    return _FUNCTION_NAME.sub("", text, count=1)


def strip_answer_name(text: str) -> str:
    """An answer as learners write it: ``f'(x) = 2x``, ``dy/dx = 2x`` or ``y = 2x`` → ``2x``."""
    stripped = _DERIVATIVE_NAME.sub("", text, count=1)
    return stripped if stripped != text else strip_function_name(text)
