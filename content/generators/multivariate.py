"""Module 2 generators: partial and total derivatives, the Jacobian and its uses, the Hessian."""

from __future__ import annotations

import sympy

from bot.present.format import plain
from content.generators.base import (
    Draft,
    Generator,
    choice_draft,
    code,
    decimal,
    declares,
    derivative_skills,
    expression_draft,
    matrix_draft,
    matrix_text,
    nonzero,
    number_draft,
    pick,
    point_text,
    t,
    text_choice_draft,
    vector_draft,
    x,
    y,
    z,
)

_TRIG = {"sin": sympy.sin, "cos": sympy.cos, "exp": sympy.exp}
_SMALL = range(-2, 3)


def _at(values: dict[sympy.Symbol, int]) -> str:
    return ", ".join(f"{name} = {value}" for name, value in values.items())


def partial_derivative(seed: int) -> Draft:
    a, p, q, trig, trig_var, b, wrt = pick(seed, nonzero(-4, 4), (1, 2, 3), (1, 2, 3), tuple(_TRIG), (x, y), nonzero(-3, 3), (x, y))
    other = y if wrt == x else x
    f = a * x**p * y**q + b * _TRIG[trig](2 * trig_var)
    df = sympy.diff(f, wrt)
    return expression_draft(
        f"Find the partial derivative ∂f/∂{wrt} of f(x, y) = {code(f)}.",
        df,
        hints=(f"Treat {other} as a constant and differentiate with respect to {wrt} only.", f"Any term without {wrt} differentiates to 0."),
        solution=f"Holding {other} constant and differentiating each term with respect to {wrt}: ∂f/∂{wrt} = **{code(df)}**.",
        command=f"/partial {plain(f)} wrt {wrt}",
        skills=derivative_skills(f, wrt, "partial_derivatives"),
    )


def partial_at_point(seed: int) -> Draft:
    a, p, b, q, c, wrt, x0, y0, z0 = pick(seed, nonzero(-4, 4), (1, 2, 3), nonzero(-3, 3), (1, 2), nonzero(-3, 3), (x, y, z), _SMALL, _SMALL, _SMALL)
    f = a * x**p * y + b * y * z**q + c * x * z
    df = sympy.diff(f, wrt)
    point = {x: x0, y: y0, z: z0}
    value = df.subs(point)
    return number_draft(
        f"For f(x, y, z) = {code(f)}, find ∂f/∂{wrt} at ({x0}, {y0}, {z0}).",
        value,
        hints=(f"Differentiate with respect to {wrt}, holding the other two variables constant.", f"∂f/∂{wrt} = {code(df)}; now substitute."),
        solution=f"∂f/∂{wrt} = {code(df)}; at {_at(point)} it is **{value}**.",
        command=f"/partial {plain(f)} wrt {wrt}",
        skills=derivative_skills(f, wrt, "partial_derivatives"),
    )


_PATHS = {"cos": sympy.cos(t), "sin": sympy.sin(t), "square": t**2, "exp": sympy.exp(t), "linear": 2 * t + 1}
_PATH_PAIRS = tuple((first, second) for first in _PATHS for second in _PATHS if first != second)


def _total_parts(seed: int) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr]:
    a, p, q, (first, second) = pick(seed, (1, 2, 3, -1, -2), (1, 2), (1, 2, 3), _PATH_PAIRS)
    return a * x**p * y**q, _PATHS[first], _PATHS[second]


def _total_solution(f: sympy.Expr, xt: sympy.Expr, yt: sympy.Expr) -> str:
    fx, fy = sympy.diff(f, x), sympy.diff(f, y)
    total = sympy.diff(f.subs({x: xt, y: yt}), t)
    return (
        f"df/dt = ∂f/∂x·dx/dt + ∂f/∂y·dy/dt, with ∂f/∂x = {code(fx)}, ∂f/∂y = {code(fy)}, "
        f"dx/dt = {code(sympy.diff(xt, t))}, dy/dt = {code(sympy.diff(yt, t))}. Substituting x = {code(xt)}, "
        f"y = {code(yt)}: df/dt = **{code(total)}**."
    )


@declares("multivariate_chain_rule", "partial_derivatives")
def total_derivative(seed: int) -> Draft:
    f, xt, yt = _total_parts(seed)
    return expression_draft(
        f"f(x, y) = {code(f)} with x = {code(xt)} and y = {code(yt)}. Find the total derivative df/dt as a function of t.",
        sympy.diff(f.subs({x: xt, y: yt}), t),
        hints=(
            "df/dt = ∂f/∂x·dx/dt + ∂f/∂y·dy/dt.",
            "Or substitute x(t) and y(t) into f first and differentiate with respect to t — the answer is the same.",
        ),
        solution=_total_solution(f, xt, yt),
        command=f"/chain {plain(f)} with x = {plain(xt)}, y = {plain(yt)} wrt t",
    )


@declares("multivariate_chain_rule", "partial_derivatives")
def total_derivative_choice(seed: int) -> Draft:
    f, xt, yt = _total_parts(seed)
    path = {x: xt, y: yt}
    fx, fy = sympy.diff(f, x).subs(path), sympy.diff(f, y).subs(path)
    dx, dy = sympy.diff(xt, t), sympy.diff(yt, t)
    return choice_draft(
        seed,
        f"f(x, y) = {code(f)} with x = {code(xt)} and y = {code(yt)}. Which is df/dt?",
        fx * dx + fy * dy,
        [fx * dx, fx * dy + fy * dx, fx + fy, fx * dx * fy * dy],
        codes=("total_derivative_path_missing", "total_derivative_paths_crossed", "total_derivative_path_missing", None),
        hints=("Each variable contributes its own path: ∂f/∂x·dx/dt + ∂f/∂y·dy/dt.",),
        solution=_total_solution(f, xt, yt),
        command=f"/chain {plain(f)} with x = {plain(xt)}, y = {plain(yt)} wrt t",
    )


@declares("jacobian", "gradient", "partial_derivatives")
def jacobian_row(seed: int) -> Draft:
    a, p, q, b, trig, c = pick(seed, nonzero(-4, 4), (1, 2, 3), (1, 2), nonzero(-3, 3), tuple(_TRIG), nonzero(-3, 3))
    f = a * x**p * y**q + b * _TRIG[trig](z) + c * x * z
    row = [sympy.diff(f, v) for v in (x, y, z)]
    return vector_draft(
        f"Write the Jacobian of f(x, y, z) = {code(f)} as the row vector (∂f/∂x, ∂f/∂y, ∂f/∂z).",
        row,
        hints=("The Jacobian of a scalar function lists its partial derivatives, one per variable, in order.", "Differentiate with respect to each variable in turn, holding the others constant."),
        solution=f"J = (∂f/∂x, ∂f/∂y, ∂f/∂z) = **({', '.join(plain(entry) for entry in row)})**.",
        command=f"/grad {plain(f)}",
    )


@declares("jacobian", "gradient", "partial_derivatives")
def jacobian_row_at(seed: int) -> Draft:
    a, b, c, x0, y0 = pick(seed, nonzero(-3, 3), nonzero(-3, 3), range(-4, 5), range(-3, 4), range(-3, 4))
    f = a * x**2 * y + b * y**3 + c * x
    row = [sympy.diff(f, v) for v in (x, y)]
    values = [entry.subs({x: x0, y: y0}) for entry in row]
    return vector_draft(
        f"Evaluate the Jacobian (∂f/∂x, ∂f/∂y) of f(x, y) = {code(f)} at the point ({x0}, {y0}).",
        values,
        hints=("First find both partial derivatives as functions of x and y.", f"∂f/∂x = {code(row[0])}, ∂f/∂y = {code(row[1])}."),
        solution=f"∂f/∂x = {code(row[0])} and ∂f/∂y = {code(row[1])}; at ({x0}, {y0}) the Jacobian is **{point_text(values)}**.",
        command=f"/grad {plain(f)} at ({x0}, {y0})",
    )


def _vector_function(seed: int) -> tuple[sympy.Expr, sympy.Expr]:
    a, p, b, c, trig, d = pick(seed, nonzero(-3, 3), (1, 2, 3), nonzero(-3, 3), nonzero(-3, 3), ("sin", "cos", "exp"), (1, 2, 3))
    return a * x**p * y + b * y**2, c * _TRIG[trig](x) + d * x * y**2


def _jacobian(functions: list[sympy.Expr]) -> sympy.Matrix:
    return sympy.Matrix([[sympy.diff(f, v) for v in (x, y)] for f in functions])


@declares("jacobian", "partial_derivatives")
def jacobian_matrix(seed: int) -> Draft:
    u, v = _vector_function(seed)
    jac = _jacobian([u, v])
    return matrix_draft(
        f"Find the Jacobian matrix of the vector function (u, v) with u(x, y) = {code(u)} and v(x, y) = {code(v)}.",
        jac,
        hints=("Row i holds the partial derivatives of the i-th function; column j is the j-th variable.", "The first row is (∂u/∂x, ∂u/∂y)."),
        solution=f"J = [[∂u/∂x, ∂u/∂y], [∂v/∂x, ∂v/∂y]] = **{matrix_text(jac)}**.",
        command=f"/jacobian [{plain(u)}, {plain(v)}]",
    )


@declares("jacobian", "partial_derivatives")
def jacobian_matrix_at(seed: int) -> Draft:
    a, b, c, d, x0, y0 = pick(seed, nonzero(-3, 3), nonzero(-3, 3), nonzero(-3, 3), nonzero(-3, 3), range(-2, 4), range(-2, 4))
    u, v = a * x**2 * y + b * y, c * x + d * x * y**2
    jac = _jacobian([u, v])
    value = jac.subs({x: x0, y: y0})
    return matrix_draft(
        f"Evaluate the Jacobian matrix of (u, v) = ({code(u)}, {code(v)}) at (x, y) = ({x0}, {y0}).",
        value,
        hints=("Find the four partial derivatives first, then substitute the point.", f"Symbolically J = {matrix_text(jac)}."),
        solution=f"J = {matrix_text(jac)}; at ({x0}, {y0}) this is **{matrix_text(value)}**.",
        command=f"/jacobian [{plain(u)}, {plain(v)}] at ({x0}, {y0})",
    )


@declares("jacobian", "partial_derivatives")
def jacobian_choice(seed: int) -> Draft:
    a, b, c, d, e = pick(seed, nonzero(-4, 4), nonzero(-4, 4), nonzero(-4, 4), nonzero(-4, 4), (2, 3))
    u, v = a * x**e + b * y, c * x * y + d * y**2
    jac = _jacobian([u, v])
    wrong_variable = sympy.Matrix([[jac[0, 0], jac[0, 1]], [sympy.diff(v, y), sympy.diff(v, x)]])
    return choice_draft(
        seed,
        f"Which is the Jacobian matrix of (u, v) = ({code(u)}, {code(v)}) with respect to (x, y)?",
        jac,
        [jac.T, sympy.Matrix([jac.row(1), jac.row(0)]), wrong_variable],
        codes=("jacobian_transposed", "jacobian_rows_swapped", "wrong_variable"),
        hints=("Each row is one function; each column is one variable: J[i, j] = ∂f_i/∂x_j.",),
        solution=f"Row 1: (∂u/∂x, ∂u/∂y) = ({plain(jac[0, 0])}, {plain(jac[0, 1])}); row 2: (∂v/∂x, ∂v/∂y) = "
        f"({plain(jac[1, 0])}, {plain(jac[1, 1])}). So J = **{matrix_text(jac)}**.",
        command=f"/jacobian [{plain(u)}, {plain(v)}]",
        render=lambda m: matrix_text(sympy.Matrix(m)),
    )


@declares("gradient")
def steepest_descent_direction(seed: int) -> Draft:
    a, b, c, d, x0, y0 = pick(seed, (1, 2, 3), (1, 2, 3), range(-3, 4), range(-3, 4), range(-3, 4), range(-3, 4))
    f = a * x**2 + b * y**2 + c * x * y + d * x
    grad = [sympy.diff(f, v) for v in (x, y)]
    down = [-g.subs({x: x0, y: y0}) for g in grad]
    return vector_draft(
        f"In the sandpit the depth is f(x, y) = {code(f)}. Standing at ({x0}, {y0}), in which direction does the ground fall most "
        f"steeply? Give the vector −∇f (not normalised).",
        down,
        hints=("The gradient ∇f = (∂f/∂x, ∂f/∂y) points uphill, the way f grows fastest.", "Downhill fastest is −∇f."),
        solution=f"∇f = ({plain(grad[0])}, {plain(grad[1])}); at ({x0}, {y0}) −∇f = **{point_text(down)}**.",
        command=f"/grad {plain(f)} at ({x0}, {y0})",
    )


_UNIT_VECTORS = tuple(
    (sympy.Rational(sx * p, r), sympy.Rational(sy * q, r)) for p, q, r in ((3, 4, 5), (4, 3, 5), (5, 12, 13), (12, 5, 13)) for sx in (1, -1) for sy in (1, -1)
)


@declares("gradient")
def directional_derivative(seed: int) -> Draft:
    a, b, c, direction, x0, y0 = pick(seed, nonzero(-3, 3), nonzero(-3, 3), range(-3, 4), _UNIT_VECTORS, range(-2, 3), range(-2, 3))
    f = a * x**2 * y + b * y**2 + c * x
    grad = [sympy.diff(f, v).subs({x: x0, y: y0}) for v in (x, y)]
    value = grad[0] * direction[0] + grad[1] * direction[1]
    unit = point_text(direction)
    return number_draft(
        f"How fast does f(x, y) = {code(f)} change at ({x0}, {y0}) per unit step in the direction of the unit vector {unit}?",
        value,
        hints=("The rate of change along a unit vector û is the dot product ∇f · û.", f"At ({x0}, {y0}), ∇f = {point_text(grad)}."),
        solution=f"∇f at ({x0}, {y0}) is {point_text(grad)}; ∇f · û = {decimal(grad[0])}·{decimal(direction[0])} + "
        f"{decimal(grad[1])}·{decimal(direction[1])} = **{decimal(value)}**.",
        command=f"/grad {plain(f)} at ({x0}, {y0})",
    )


@declares("jacobian")
def jacobian_determinant(seed: int) -> Draft:
    a, b, c, d, p = pick(seed, nonzero(-3, 3), nonzero(-3, 3), nonzero(-3, 3), nonzero(-3, 3), (2, 3))
    u, v = a * x**p + b * y, c * x + d * y**2
    det = sympy.expand(_jacobian([u, v]).det())
    return expression_draft(
        f"The map (x, y) → (u, v) with u = {code(u)} and v = {code(v)} stretches small areas by |det J|. Find det J as a function of x and y.",
        det,
        hints=("J = [[∂u/∂x, ∂u/∂y], [∂v/∂x, ∂v/∂y]].", "For a 2×2 matrix [[p, q], [r, s]], det = ps − qr."),
        solution=f"J = {matrix_text(_jacobian([u, v]))}, so det J = **{code(det)}**.",
        command=f"/jacobian [{plain(u)}, {plain(v)}]",
    )


_QUADRATIC_FORMS = tuple((a, b, c) for a in nonzero(-4, 4) for b in range(-4, 5) for c in nonzero(-4, 4) if 4 * a * c != b * b)


@declares("stationary_points", "gradient")
def stationary_point(seed: int) -> Draft:
    (a, b, c), d, e = pick(seed, _QUADRATIC_FORMS, nonzero(-6, 6), range(-6, 7))
    f = a * x**2 + b * x * y + c * y**2 + d * x + e * y
    grad = [sympy.diff(f, v) for v in (x, y)]
    solution = sympy.solve(grad, [x, y], dict=True)[0]
    point = [solution[x], solution[y]]
    return vector_draft(
        f"Find the stationary point (x, y) of f(x, y) = {code(f)}, where the Jacobian is zero.",
        point,
        hints=("Set both partial derivatives to zero.", f"Solve {plain(grad[0])} = 0 and {plain(grad[1])} = 0 together."),
        solution=f"∂f/∂x = {code(grad[0])} = 0 and ∂f/∂y = {code(grad[1])} = 0 give **{point_text(point)}**.",
        command=f"/stationary {plain(f)}",
    )


def _hessian(f: sympy.Expr) -> sympy.Matrix:
    return sympy.Matrix([[sympy.diff(f, p, q) for q in (x, y)] for p in (x, y)])


def _hessian_function(seed: int) -> sympy.Expr:
    a, p, q, b, trig, c = pick(seed, nonzero(-3, 3), (2, 3), (1, 2, 3), nonzero(-3, 3), ("sin", "cos", "exp"), (1, 2))
    return a * x**p * y**q + b * _TRIG[trig](c * y)


@declares("hessian", "partial_derivatives")
def hessian_matrix(seed: int) -> Draft:
    f = _hessian_function(seed)
    hess = _hessian(f)
    return matrix_draft(
        f"Find the Hessian matrix of f(x, y) = {code(f)}.",
        hess,
        hints=("H = [[∂²f/∂x², ∂²f/∂x∂y], [∂²f/∂y∂x, ∂²f/∂y²]].", "Find the first partials, then differentiate each again; the mixed ones agree."),
        solution=f"∂f/∂x = {code(sympy.diff(f, x))}, ∂f/∂y = {code(sympy.diff(f, y))}; differentiating again gives H = **{matrix_text(hess)}**.",
        command=f"/hessian {plain(f)}",
    )


@declares("hessian", "partial_derivatives")
def hessian_at_point(seed: int) -> Draft:
    a, b, c, d, x0, y0 = pick(seed, nonzero(-3, 3), nonzero(-3, 3), nonzero(-3, 3), range(-3, 4), range(-2, 3), range(-2, 3))
    f = a * x**3 + b * x * y**2 + c * y**3 + d * x * y
    hess = _hessian(f)
    value = hess.subs({x: x0, y: y0})
    return matrix_draft(
        f"Evaluate the Hessian of f(x, y) = {code(f)} at ({x0}, {y0}).",
        value,
        hints=("Second derivatives: ∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y².", f"Symbolically H = {matrix_text(hess)}."),
        solution=f"H = {matrix_text(hess)}; at ({x0}, {y0}) it is **{matrix_text(value)}**.",
        command=f"/hessian {plain(f)} at ({x0}, {y0})",
    )


@declares("hessian")
def hessian_choice(seed: int) -> Draft:
    a, b, c, d, x0, y0 = pick(seed, nonzero(-3, 3), nonzero(-3, 3), nonzero(-3, 3), nonzero(-3, 3), (1, 2, -1), (1, 2, -1))
    f = a * x**3 + b * x**2 * y + c * y**3 + d * x * y
    point = {x: x0, y: y0}
    hess = _hessian(f).subs(point)
    fxx, fxy, fyy = hess[0, 0], hess[0, 1], hess[1, 1]
    grad = [sympy.diff(f, v).subs(point) for v in (x, y)]
    mistakes = [
        sympy.Matrix([[fxx, 0], [0, fyy]]),
        sympy.Matrix([[fyy, fxy], [fxy, fxx]]),
        sympy.Matrix([[grad[0], fxy], [fxy, grad[1]]]),
        sympy.Matrix([[fxx, -fxy], [-fxy, fyy]]),
    ]
    return choice_draft(
        seed,
        f"Which is the Hessian of f(x, y) = {code(f)} at ({x0}, {y0})?",
        hess,
        mistakes,
        codes=("hessian_mixed_partials", "hessian_diagonal_swapped", "hessian_gradient_confused", "hessian_mixed_partials"),
        hints=("The diagonal holds ∂²f/∂x² and ∂²f/∂y²; both off-diagonal entries are the mixed partial ∂²f/∂x∂y.",),
        solution=f"∂²f/∂x² = {code(sympy.diff(f, x, 2))}, ∂²f/∂x∂y = {code(sympy.diff(f, x, y))}, ∂²f/∂y² = {code(sympy.diff(f, y, 2))}; "
        f"at ({x0}, {y0}): **{matrix_text(hess)}**.",
        command=f"/hessian {plain(f)} at ({x0}, {y0})",
        render=lambda m: matrix_text(sympy.Matrix(m)),
    )


_KINDS = ("a minimum", "a maximum", "a saddle point", "impossible to classify from the Hessian alone")


@declares("stationary_points", "hessian")
def classify_stationary(seed: int) -> Draft:
    (a, b, c), d, e = pick(seed, _QUADRATIC_FORMS, range(-4, 5), range(-4, 5))
    f = a * x**2 + b * x * y + c * y**2 + d * x + e * y
    hess = _hessian(f)
    det, fxx = hess.det(), hess[0, 0]
    kind = _KINDS[2] if det < 0 else _KINDS[0] if fxx > 0 else _KINDS[1]
    reason = (
        f"det H = {det} < 0, so it is a saddle point"
        if det < 0
        else f"det H = {det} > 0 and ∂²f/∂x² = {fxx} {'>' if fxx > 0 else '<'} 0, so it is {kind}"
    )
    return text_choice_draft(
        seed,
        f"f(x, y) = {code(f)} has exactly one stationary point. Is it a minimum, a maximum or a saddle point?",
        kind,
        _KINDS,
        mistake="stationary_point_misclassified",
        hints=("Work out the Hessian H; it is constant for a quadratic.", "det H < 0: saddle. det H > 0: minimum if ∂²f/∂x² > 0, maximum if < 0."),
        solution=f"H = {matrix_text(hess)}; {reason}.",
        command=f"/stationary {plain(f)}",
    )


GENERATORS: dict[str, Generator] = {
    "partial_derivative": partial_derivative,
    "partial_at_point": partial_at_point,
    "total_derivative": total_derivative,
    "total_derivative_choice": total_derivative_choice,
    "jacobian_row": jacobian_row,
    "jacobian_row_at": jacobian_row_at,
    "jacobian_matrix": jacobian_matrix,
    "jacobian_matrix_at": jacobian_matrix_at,
    "jacobian_choice": jacobian_choice,
    "steepest_descent_direction": steepest_descent_direction,
    "directional_derivative": directional_derivative,
    "jacobian_determinant": jacobian_determinant,
    "stationary_point": stationary_point,
    "hessian_matrix": hessian_matrix,
    "hessian_at_point": hessian_at_point,
    "hessian_choice": hessian_choice,
    "classify_stationary": classify_stationary,
}
