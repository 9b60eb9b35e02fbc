"""The tokens the maths lexer produces and the grammar reads: a kind, the text as typed, its column."""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

import sympy


class Kind(Enum):
    NUMBER = "number"
    VARIABLE = "variable"
    CONSTANT = "constant"
    FUNCTION = "function"
    OPERATOR = "operator"  # + - * / ^ ! !!
    OPEN = "open"
    CLOSE = "close"
    BAR = "bar"  # | for absolute value
    ROOT = "root"  # √ ∛ ∜
    SUPERSCRIPT = "superscript"  # a run like ⁻¹ or ⁽ⁿ⁺¹⁾, carried as ASCII text
    DERIVATIVE = "derivative"  # d/dx, d²/dx², ∂/∂y, ∂²/∂x∂y: name holds the variables, "x,x" for d²/dx²
    COMMA = "comma"
    EQUALS = "equals"
    END = "end"


class Token(NamedTuple):
    kind: Kind
    text: str  # as typed, for messages
    column: int  # 1-based column of the first character in the user's text
    name: str = ""  # operator, bracket, variable or canonical function name, superscript text
    value: sympy.Expr | None = None  # number or constant value, root degree, log base
    word: str = ""  # the whole run of letters this token was read from (for messages)
