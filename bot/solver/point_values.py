"""Values at a point for the multivariable commands: points as learners type them, and
:func:`value_at`, which refuses (with a reason the learner can act on) points where the formula
divides by zero, leaves the reals, or sits on a corner or jump of ``|g|``, ``sign(g)`` or a step
function, where SymPy's conventions (``sign(0) = 0``) would otherwise report a derivative that does
not exist.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import sympy

from bot.errors import BadArgument, Undefined
from bot.solver import numeric
from bot.solver.learner_notation import learner_text as notation_text

Point = tuple[sympy.Expr, ...]

_MAX_KINK_COMBINATIONS = 64  # 2**6 one-sided choices; more kinks at one point is not a teaching case
_ZERO_TOLERANCE = 1e-25  # for signs of exact constants SymPy cannot decide, at 50 digits
_SIMPLIFY_OPS = 20  # sympy.simplify is tried only on expressions this small (it can take seconds)
EXPAND_OPS = 200  # expanding is tried only up to this size (it can multiply the length)


def learner_text(expr: sympy.Basic) -> str:
    """Plain text with ``^`` powers for messages, in the learner's notation (ln, arctan, |x|, e^x)."""
    return notation_text(expr)


def format_point(point: Sequence[sympy.Expr]) -> str:
    """``(1, 2)`` for several coordinates, ``3`` for one."""
    if len(point) == 1:
        return learner_text(point[0])
    return "(" + ", ".join(learner_text(c) for c in point) + ")"


def as_point(point: Sequence[sympy.Expr | int | float]) -> Point:
    """Coordinates as SymPy numbers (Python ints and floats are accepted for convenience)."""
    return tuple(_as_number(c) for c in point)


def _as_number(value: sympy.Expr | int | float) -> sympy.Expr:
    if isinstance(value, bool):
        raise BadArgument("a coordinate must be a number")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        return sympy.Float(value)
    return value


def point_map(
    variables: Sequence[sympy.Symbol], point: Sequence[sympy.Expr | int | float]
) -> dict[sympy.Symbol, sympy.Expr]:
    """Pair variables with coordinates; the point must have one coordinate per variable."""
    point = as_point(point)
    if len(point) != len(variables):
        names = ", ".join(v.name for v in variables)
        raise BadArgument(
            f"the point {format_point(point)} has {len(point)} coordinate(s) but the function has "
            f"{len(variables)} variable(s) ({names})",
            hint=f"give one number per variable, in the order {names}, or choose them with 'vars'",
        )
    for coordinate in point:
        if coordinate.free_symbols:
            raise BadArgument(
                f"the point must be numbers, not {learner_text(coordinate)}",
                hint="e.g. 'at (1, 2)' or 'at pi/2'",
            )
    return dict(zip(variables, point, strict=True))


# --- values at a point -----------------------------------------------------------------------------


def _vanishes(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> bool:
    return is_zero(expr.xreplace(at))


def _kinks(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> tuple[list[sympy.Expr], list[sympy.Expr]]:
    """Non-smooth atoms whose argument is 0 at the point: (|g|, sign g, H(g)) and (δ(g))."""
    sided: list[sympy.Expr] = []
    deltas: list[sympy.Expr] = []
    for atom in expr.atoms(sympy.Abs, sympy.sign, sympy.Heaviside, sympy.DiracDelta):
        if not _vanishes(atom.args[0], at):
            continue
        (deltas if isinstance(atom, sympy.DiracDelta) else sided).append(atom)
    return sided, deltas


def _jump_reason(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> str | None:
    """Step functions jump where their argument is an integer; unevaluated derivatives have no value."""
    for atom in expr.atoms(sympy.floor, sympy.ceiling, sympy.frac):
        value = atom.args[0].xreplace(at)
        if value.is_integer:
            return f"not differentiable: {learner_text(atom)} jumps at this point"
    if expr.has(sympy.Derivative):
        return "no derivative formula: a step function's derivative is undefined at its jumps"
    return None


def _at_point(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Expr:
    return numeric.realise(expr).xreplace(at)  # odd roots of negatives are real


def _sign_at(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> int | None:
    value = _at_point(expr, at)
    if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo, sympy.I):
        return None
    return sign_of(value)


def _infinite_cause(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> str:
    if any(_sign_at(atom.args[0], at) == 0 for atom in expr.atoms(sympy.log)):
        return "log of 0"
    return "division by zero"


def _non_real_cause(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> str:
    for atom in expr.atoms(sympy.Pow):
        exponent = atom.exp
        if exponent.is_Rational and not exponent.is_integer and _sign_at(atom.base, at) == -1:
            root = "square root" if exponent.q == 2 else "fractional power"
            return f"not a real number: {root} of a negative number"
    if any(_sign_at(atom.args[0], at) == -1 for atom in expr.atoms(sympy.log)):
        return "not a real number: log of a negative number"
    for atom in expr.atoms(sympy.asin, sympy.acos):
        argument = _at_point(atom.args[0], at)
        if argument.is_number and not argument.has(sympy.I) and abs(sympy.N(argument)) > 1:
            return f"not a real number: {type(atom).__name__} of a number outside [-1, 1]"
    return "not a real number"


def _bad_value_reason(
    expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr], value: sympy.Expr
) -> str | None:
    """Why ``value`` (``expr`` at the point) is not a real number, or None if it is one."""
    if value.has(sympy.nan):
        cause = _infinite_cause(expr, at)
        return cause if cause == "log of 0" else "0/0 or another indeterminate form"
    if value.has(sympy.zoo, sympy.oo, -sympy.oo):
        return _infinite_cause(expr, at)
    if value.has(sympy.AccumBounds):
        return "no value: it oscillates without settling"
    if value.free_symbols:
        return _non_real_cause(expr, at) if value.is_real is False else None
    numeric = sympy.N(value, 30)
    if numeric.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        return _infinite_cause(expr, at)
    if not numeric.is_number or abs(sympy.im(numeric)) > _ZERO_TOLERANCE:
        return _non_real_cause(expr, at)
    return None


def _plain_value(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> tuple[sympy.Expr | None, str | None]:
    value = _at_point(expr, at)
    reason = _bad_value_reason(expr, at, value)
    if reason is not None:
        return None, reason
    return tidy(value), None


def evaluate(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr]) -> tuple[sympy.Expr | None, str | None]:
    """``(value, None)`` with the exact value at the point, or ``(None, reason)`` when undefined there.

    At a kink (``|g|`` or ``sign g`` with ``g = 0``) the value must be the same from every side; a
    ``δ(g)`` term must have a vanishing coefficient there (so ``x|x|`` has ``f'(0) = 0`` but ``|x|``
    has no ``f'(0)``).
    """
    jump = _jump_reason(expr, at)
    if jump is not None:
        return None, jump
    sided, deltas = _kinks(expr, at)
    if not sided and not deltas:
        return _plain_value(expr, at)
    if 2 ** len(sided) > _MAX_KINK_COMBINATIONS:
        return None, "not differentiable: too many corners meet at this point"
    placeholders = {delta: sympy.Dummy("delta") for delta in deltas}
    with_placeholders = expr.xreplace(placeholders)
    not_differentiable = "not differentiable: " + _describe_kinks(sided, deltas)
    values: list[sympy.Expr] = []
    for signs in itertools.product((1, -1), repeat=len(sided)):
        one_side = {atom: _one_sided(atom, s) for atom, s in zip(sided, signs, strict=True)}
        candidate = with_placeholders.xreplace(one_side)
        for placeholder in placeholders.values():
            coefficient, reason = _plain_value(sympy.diff(candidate, placeholder), at)
            if coefficient is None or not is_zero(coefficient):
                return None, not_differentiable
        value, reason = _plain_value(candidate.xreplace({p: 0 for p in placeholders.values()}), at)
        if value is None:
            return None, reason
        values.append(value)
    first = values[0]
    if not all(is_zero(other - first) for other in values[1:]):
        return None, not_differentiable
    return first, None


def _describe_kinks(sided: Sequence[sympy.Expr], deltas: Sequence[sympy.Expr]) -> str:
    parts = [
        f"{learner_text(atom)} has a corner" if isinstance(atom, sympy.Abs) else f"{learner_text(atom)} jumps"
        for atom in sided
    ]
    if not parts:
        parts = [f"{learner_text(atom)} is the derivative of a jump" for atom in deltas]
    return ", ".join(parts) + " at this point"


def _one_sided(atom: sympy.Expr, side: int) -> sympy.Expr:
    """The smooth formula that ``|g|``, ``sign g`` or ``H(g)`` equals on the side where sign g = side."""
    arg = atom.args[0]
    if isinstance(atom, sympy.Abs):
        return side * arg
    if isinstance(atom, sympy.sign):
        return sympy.Integer(side)
    return sympy.Integer(1 if side > 0 else 0)


def value_at(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr], label: str) -> sympy.Expr:
    """The exact value of ``expr`` (named ``label`` in messages) at the point; Undefined if none."""
    value, reason = evaluate(expr, at)
    if value is None:
        where = format_point(tuple(at.values()))
        raise Undefined(
            f"{label} = {learner_text(expr)} is undefined at {where} ({reason})",
            hint="try a point where the function and its derivatives are defined",
        )
    return value


def matrix_at(
    matrix: sympy.MatrixBase, at: Mapping[sympy.Symbol, sympy.Expr], labels: Sequence[Sequence[str]]
) -> sympy.ImmutableMatrix:
    """Every entry at the point (each named by ``labels[i][j]`` in messages)."""
    rows, cols = matrix.shape
    return sympy.ImmutableMatrix(
        rows, cols, [value_at(matrix[i, j], at, labels[i][j]) for i in range(rows) for j in range(cols)]
    )


def is_zero(value: sympy.Expr) -> bool:
    """Exactly zero; decided numerically first, since simplify is slow and rarely needed."""
    if value.is_zero is not None:
        return bool(value.is_zero)
    if not value.free_symbols:
        numeric = sympy.N(value, 30)
        if numeric.is_number and abs(numeric) > _ZERO_TOLERANCE:
            return False
    return sympy.simplify(value) == 0


def sign_of(value: sympy.Expr) -> int | None:
    """-1, 0 or 1 for a real constant (exactly when SymPy can, else at 50 digits); None if symbolic."""
    if value.free_symbols:
        return None
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    numeric = sympy.re(sympy.N(value, 50))
    if abs(numeric) < _ZERO_TOLERANCE:
        return 0 if sympy.simplify(value) == 0 else (1 if numeric > 0 else -1)
    return 1 if numeric > 0 else -1


def tidy(expr: sympy.Expr) -> sympy.Expr:
    """The shortest of a few cheap rewritings; ``sympy.simplify`` only for small expressions.

    ``sympy.simplify`` can take seconds on a modest trigonometric polynomial, and a worker job
    should not spend its time budget on cosmetics.
    """
    if expr.is_Rational or expr.is_Atom:
        return expr
    size = sympy.count_ops(expr)
    if size <= 2:
        return expr  # nothing shorter exists
    candidates = [expr, sympy.factor_terms(expr)]
    if size <= EXPAND_OPS:
        candidates.append(sympy.factor_terms(sympy.expand(expr)))
    if size <= _SIMPLIFY_OPS:
        candidates.append(sympy.simplify(expr))
    return min(candidates, key=sympy.count_ops)
