"""The /partial, /grad, /jacobian, /hessian and /chain jobs: text in, worked answer out.

Run in worker processes. The working follows the course: hold the other variables constant, stack
the partials into ∇f or J, collect the second partials into H, and add up ∂f/∂xᵢ·dxᵢ/dt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sympy

from bot.errors import BadArgument
from bot.present.answer import Answer
from bot.present.format import fmt_latex, fmt_number, plain, result_str
from bot.solver import multivariable as solver
from bot.solver.factoring import common_factor
from bot.solver.multivariable import ChainRule, HessianAt
from bot.solver.parser import parse, parse_assignments, parse_list, parse_point, parse_variable
from bot.solver.steps import MAX_ORDER, RULES, derive_with_steps
from bot.solver.variables import ordered_variables

_SEPARATORS = re.compile(r"[,\s]+")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


# --- shared helpers (also used by the Taylor job) ----------------------------------------------


def code(expr: sympy.Basic) -> str:
    return f"`{plain(expr)}`"


def parse_variable_list(text: str, what: str) -> list[sympy.Symbol]:
    """``x,y`` / ``x, y`` / ``x y`` as symbols, through the parser (no repeats unless allowed)."""
    pieces = [piece for piece in _SEPARATORS.split(text.strip().strip("()[]")) if piece]
    if not pieces:
        raise BadArgument(f"give at least one variable for {what}", hint="e.g. 'x' or 'x,y'")
    return [parse_variable(piece) for piece in pieces]


def choose_variables(expr: sympy.Basic, vars_text: str | None) -> list[sympy.Symbol]:
    """The user's ``vars x,y`` in their order, else the expression's variables alphabetically."""
    if vars_text is None or not vars_text.strip():
        return ordered_variables(expr)
    chosen = parse_variable_list(vars_text, "'vars'")
    names = [v.name for v in chosen]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise BadArgument(f"'vars' lists {repeated[0]} twice", hint="name each variable once, e.g. 'vars x,y'")
    return ordered_variables(expr, names)


def read_point(at_text: str | None) -> tuple[sympy.Expr, ...] | None:
    if at_text is None or not at_text.strip():
        return None
    return tuple(parse_point(at_text))


def point_text(point: Sequence[sympy.Expr]) -> str:
    if len(point) == 1:
        return plain(point[0])
    return "(" + ", ".join(plain(c) for c in point) + ")"


def variables_text(variables: Sequence[sympy.Symbol]) -> str:
    return ", ".join(v.name for v in variables)


def exact_and_decimal(value: sympy.Expr) -> str:
    """`exact` and, when the exact form is not a plain rational, ≈ a decimal."""
    if value.free_symbols or value.is_Rational:
        return code(value)
    return f"{code(value)} ≈ {fmt_number(value)}"


def matrix_block(name: str, matrix: sympy.MatrixBase, factor: sympy.Expr | None = None) -> str:
    """A matrix as aligned rows in a code block, named on its first row: chat has no matrices.
    With ``factor``, the block reads ``name = factor · [ … ]``."""
    cells = [[plain(matrix[i, j]) for j in range(matrix.shape[1])] for i in range(matrix.shape[0])]
    widths = [max(len(row[j]) for row in cells) for j in range(matrix.shape[1])]
    head = f"{name} = " + ("" if factor is None else f"{_bracketed(factor)} · ")
    lines = []
    for i, row in enumerate(cells):
        prefix = head if i == 0 else " " * len(head)
        lines.append(prefix + "[ " + "  ".join(cell.rjust(widths[j]) for j, cell in enumerate(row)) + " ]")
    return "```\n" + "\n".join(lines) + "\n```"


def _bracketed(factor: sympy.Expr) -> str:
    return f"({plain(factor)})" if factor.is_Add else plain(factor)


LONG_ENTRIES = 30  # characters of all entries together: beyond this a common factor is taken out


def factored_block(name: str, matrix: sympy.MatrixBase) -> list[str]:
    """The matrix again with the common factor of its entries taken out, when it is long and
    has one; else nothing."""
    if sum(len(plain(entry)) for entry in matrix) <= LONG_ENTRIES:
        return []
    found = common_factor(list(matrix))
    if found is None:
        return []
    factor, rest = found
    return ["Taking out the common factor:", matrix_block(name, sympy.Matrix(matrix.shape[0], matrix.shape[1], rest), factor)]


def matrix_result(matrix: sympy.MatrixBase) -> str:
    """``Matrix([[2*x*y], [x**2]])`` on one line: SymPy syntax our parser and SymPy both read."""
    return f"Matrix({sympy.sstr(matrix.tolist())})"


def matrix_text(matrix: sympy.MatrixBase) -> str:
    """A matrix on one line for reading: its rows in the learner's notation, with a common factor
    taken out when the entries are long (as the matrix block above it does)."""
    if sum(len(plain(entry)) for entry in matrix) > LONG_ENTRIES and (found := common_factor(list(matrix))) is not None:
        factor, rest = found
        return f"{plain(factor)}·{plain(sympy.Matrix(matrix.shape[0], matrix.shape[1], rest))}"
    return plain(matrix)


def vector_text(vector: sympy.MatrixBase) -> str:
    return "(" + ", ".join(plain(c) for c in vector) + ")"


def decimal_vector(vector: sympy.MatrixBase) -> str | None:
    """The vector in decimals, or None when it is exact integers already (nothing to add)."""
    if vector.free_symbols or all(c.is_Integer for c in vector):
        return None
    return "(" + ", ".join(fmt_number(c) for c in vector) + ")"


def function_text(expr: sympy.Expr, variables: Sequence[sympy.Symbol]) -> str:
    return f"f({variables_text(variables)}) = {code(expr)}" if variables else f"f = {code(expr)}"


def _constants_note(expr: sympy.Basic, variables: Sequence[sympy.Symbol]) -> str:
    others = sorted(s.name for s in expr.free_symbols if s not in set(variables))
    if not others:
        return ""
    return f" ({', '.join(others)} {'is a constant' if len(others) == 1 else 'are constants'})"


# --- /partial ----------------------------------------------------------------------------------


def _groups(variables: Sequence[sympy.Symbol]) -> list[tuple[sympy.Symbol, int]]:
    """Runs of the same variable, last-applied first (∂²f/∂y∂x means x first, then y)."""
    groups: list[tuple[sympy.Symbol, int]] = []
    for var in reversed(variables):
        if groups and groups[-1][0] == var:
            groups[-1] = (var, groups[-1][1] + 1)
        else:
            groups.append((var, 1))
    return groups


def _operator(variables: Sequence[sympy.Symbol]) -> str:
    """∂f/∂x, ∂²f/∂x², ∂²f/∂y∂x (x first, then y)."""
    order = len(variables)
    if order == 1:
        return f"∂f/∂{variables[0].name}"
    denominator = "".join(
        f"∂{var.name}" + (str(k).translate(_SUPERSCRIPTS) if k > 1 else "") for var, k in _groups(variables)
    )
    return f"∂{str(order).translate(_SUPERSCRIPTS)}f/{denominator}"


def _operator_latex(variables: Sequence[sympy.Symbol]) -> str:
    order = len(variables)
    denominator = " ".join(
        f"\\partial {sympy.latex(var)}" + (f"^{{{k}}}" if k > 1 else "") for var, k in _groups(variables)
    )
    top = "\\partial" if order == 1 else f"\\partial^{{{order}}}"
    return f"\\frac{{{top} f}}{{{denominator}}}"


def _hold_constant(expr: sympy.Expr, var: sympy.Symbol) -> str:
    others = sorted(s.name for s in expr.free_symbols if s != var)
    if var not in expr.free_symbols:
        return f"there is no {var.name}, so the partial derivative by {var.name} is 0"
    if not others:
        return f"it depends on {var.name} alone, so this is the ordinary derivative"
    held = ", ".join(others)
    return f"treat {held} as {'a constant' if len(others) == 1 else 'constants'} and differentiate by {var.name}"


def _rules_used(expr: sympy.Expr, var: sympy.Symbol) -> tuple[sympy.Expr, str]:
    """The derivative by the step engine, and the rules it used, in first-use order."""
    derivation = derive_with_steps(expr, var, 1)
    names: list[str] = []
    for step in derivation.steps:
        name = RULES.get(step.rule, step.rule)
        if name not in names:
            names.append(name)
    return derivation.result, ", ".join(names)


def partial(expr_text: str, wrt: str, order: int = 1) -> Answer:
    """∂f/∂x (or repeated / mixed partials), holding the other variables constant."""
    expr = parse(expr_text)
    variables = parse_variable_list(wrt, "'wrt'")
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise BadArgument(f"the order must be a whole number from 1 to {MAX_ORDER}, not {order}")
    if order != 1:
        if len(variables) > 1:
            raise BadArgument(
                "give either several variables ('wrt x,y') or an order, not both",
                hint="'wrt x,y' differentiates by x then y; 'wrt x order 2' differentiates by x twice",
            )
        variables = variables * order
    if len(variables) > MAX_ORDER:
        raise BadArgument(f"at most {MAX_ORDER} differentiations at once, not {len(variables)}")
    lines = [f"I read this as: {function_text(expr, ordered_variables(expr))}", ""]
    current = expr
    for k, var in enumerate(variables, start=1):
        derivative, rules = _rules_used(current, var)
        subject = "f" if k == 1 else f"{_operator(variables[: k - 1])} = {code(current)}"
        lead = f"Step {k}: " if len(variables) > 1 else ""
        lines.append(f"{lead}In {subject}, {_hold_constant(current, var)}.")
        if rules and var in current.free_symbols:
            lines.append(f"Rules used: {rules}.")
        lines.append(f"{_operator(variables[:k])} = {code(derivative)}")
        lines.append("")
        current = derivative
    names = {v.name for v in variables}
    if len(names) > 1:
        reverse = list(reversed(variables))
        other = expr
        for var in reverse:
            other = sympy.diff(other, var)
        same = sympy.simplify(other - current) == 0
        lines.append(
            f"Differentiating in the opposite order gives {'the same result' if same else 'a different result'}"
            + (" (the mixed partials of a smooth function agree)." if same else ": f is not smooth enough for the order not to matter.")
        )
        lines.append("")
    lines.append(f"**Result**: {_operator(variables)} = {code(current)}")
    return Answer(
        text="\n".join(lines).rstrip(),
        result=result_str(current),
        latex=f"{_operator_latex(variables)} = {fmt_latex(current)}",
    )


# --- /grad -------------------------------------------------------------------------------------


def gradient(expr_text: str, at_text: str | None = None, vars_text: str | None = None) -> Answer:
    """∇f: each partial, stacked as a column; at a point, its value, length and meaning."""
    expr = parse(expr_text)
    variables = choose_variables(expr, vars_text)
    point = read_point(at_text)
    grad = solver.gradient(expr, variables)
    lines = [
        f"I read this as: {function_text(expr, variables)}{_constants_note(expr, variables)}",
        "",
        "Differentiate by each variable in turn, holding the others constant:",
    ]
    lines += [f"- ∂f/∂{var.name} = {code(p)}" for var, p in zip(variables, grad.partials, strict=True)]
    lines += ["", "The gradient stacks these partial derivatives into a column vector:", matrix_block("∇f", grad.vector)]
    lines += factored_block("∇f", grad.vector)
    latex = f"\\nabla f = {fmt_latex(grad.vector)}"
    result = matrix_result(grad.vector)
    if point is not None:
        at = solver.gradient_at(grad, point)
        where = point_text(at.point)
        lines += ["", f"At {where}: f = {exact_and_decimal(at.value)}", matrix_block(f"∇f{_call(where)}", at.vector)]
        decimals = decimal_vector(at.vector)
        if decimals:
            lines.append(f"≈ {decimals}")
        lines.append(f"|∇f| = {exact_and_decimal(at.magnitude)}")
        lines.append("")
        lines += _gradient_meaning(at.vector, at.magnitude)
        latex = f"\\nabla f{_call(where)} = {fmt_latex(at.vector)}"
        result = matrix_result(at.vector)
        lines += ["", f"**Result**: ∇f{_call(where)} = {vector_text(at.vector)}"]
    else:
        lines += ["", f"**Result**: ∇f = {vector_text(grad.vector)}"]
    return Answer(text="\n".join(lines), result=result, latex=latex)


def _call(where: str) -> str:
    return where if where.startswith("(") else f"({where})"


def _gradient_meaning(vector: sympy.MatrixBase, magnitude: sympy.Expr) -> list[str]:
    signs = [solver.sign_of(c) for c in vector]
    if all(s == 0 for s in signs):
        return [
            "∇f = 0: this is a stationary point, with no uphill direction. "
            "Use /hessian at this point to tell a minimum, a maximum and a saddle apart."
        ]
    return [
        f"∇f points uphill: it is the direction of steepest ascent, and |∇f| = {plain(magnitude)} is "
        "the slope in that direction.",
        f"−∇f = {vector_text(-vector)} points downhill: the direction of steepest descent "
        "(the step gradient descent takes).",
    ]


# --- /jacobian ---------------------------------------------------------------------------------


def jacobian(funcs_text: str, at_text: str | None = None, vars_text: str | None = None) -> Answer:
    """J with rows = functions, columns = variables; one function gives the row of its partials."""
    functions = parse_list(funcs_text)
    variables = choose_variables(sympy.Matrix(functions), vars_text)
    point = read_point(at_text)
    jac = solver.jacobian(functions, variables)
    single = len(functions) == 1
    names = ["f"] if single else [f"f{i}" for i in range(1, len(functions) + 1)]
    lines = ["I read this as:"]
    lines += [f"- {name}({variables_text(variables)}) = {code(f)}" for name, f in zip(names, functions, strict=True)]
    lines += [f"Variables: ({variables_text(variables)}){_constants_note(sympy.Matrix(functions), variables)}", ""]
    if single:
        lines.append(
            "For one function the Jacobian is the row vector of its partial derivatives "
            "(the gradient, written as a row):"
        )
    else:
        lines.append("The Jacobian has one row per function and one column per variable: J[i, j] = ∂fᵢ/∂xⱼ.")
    for i, name in enumerate(names):
        entries = ", ".join(f"∂{name}/∂{var.name} = {code(jac.matrix[i, j])}" for j, var in enumerate(variables))
        lines.append(f"- Row {i + 1} ({name}): {entries}")
    lines += ["", matrix_block("J", jac.matrix)]
    square = jac.matrix.shape[0] == jac.matrix.shape[1] and not single
    if square:
        lines.append(f"det J = {code(_simplified(jac.matrix.det()))} (how much J scales areas/volumes locally)")
    latex = f"J = {fmt_latex(jac.matrix)}"
    result = matrix_result(jac.matrix)
    if point is not None:
        value = solver.jacobian_at(jac, point)
        where = point_text(solver.as_point(point))
        lines += ["", f"At {where}:", matrix_block(f"J{_call(where)}", value)]
        if value.shape[0] == 1 and (decimals := decimal_vector(value)):
            lines.append(f"≈ {decimals}")
        if square:
            lines.append(f"det J{_call(where)} = {exact_and_decimal(_simplified(value.det()))}")
        latex = f"J{_call(where)} = {fmt_latex(value)}"
        result = matrix_result(value)
        lines += ["", f"**Result**: J{_call(where)} = {matrix_text(value)}"]
    else:
        lines += ["", f"**Result**: J = {matrix_text(jac.matrix)}"]
    return Answer(text="\n".join(lines), result=result, latex=latex)


def _simplified(value: sympy.Expr) -> sympy.Expr:
    """``sympy.simplify``, skipped for a rational number, which it would return unchanged."""
    return value if value.is_Rational else sympy.simplify(value)


# --- /hessian ----------------------------------------------------------------------------------


def _second_name(a: sympy.Symbol, b: sympy.Symbol) -> str:
    """∂²f/∂x² on the diagonal; ∂²f/∂y∂x for ∂/∂y of ∂f/∂x."""
    return f"∂²f/∂{a.name}²" if a == b else f"∂²f/∂{b.name}∂{a.name}"


def hessian(expr_text: str, at_text: str | None = None, vars_text: str | None = None) -> Answer:
    """H of second partials, its symmetry, and at a point: det, eigenvalues, definiteness, verdict."""
    expr = parse(expr_text)
    variables = choose_variables(expr, vars_text)
    point = read_point(at_text)
    hess = solver.hessian(expr, variables)
    lines = [
        f"I read this as: {function_text(expr, variables)}{_constants_note(expr, variables)}",
        "",
        "First partial derivatives:",
    ]
    lines += [f"- ∂f/∂{v.name} = {code(p)}" for v, p in zip(variables, hess.gradient.partials, strict=True)]
    lines += ["", "Differentiate each of them again by every variable: H[i, j] = ∂/∂xⱼ (∂f/∂xᵢ).", ""]
    for i, a in enumerate(variables):
        for j, b in enumerate(variables):
            lines.append(f"- {_second_name(a, b)} = {code(hess.matrix[i, j])}")
    lines += ["", matrix_block("H", hess.matrix), *factored_block("H", hess.matrix)]
    n = len(variables)
    if n > 1:
        if hess.symmetric:
            lines.append("H is symmetric: the mixed partials agree, as they do for any smooth function.")
        else:
            lines.append(
                "H is NOT symmetric: the mixed partials differ, so f is not smooth (twice continuously "
                "differentiable) everywhere."
            )
    latex = f"H = {fmt_latex(hess.matrix)}"
    result = matrix_result(hess.matrix)
    if point is not None:
        analysis = solver.hessian_at(hess, point)
        where = point_text(analysis.point)
        lines += [""] + _hessian_at_lines(analysis, where, variables)
        latex = f"H{_call(where)} = {fmt_latex(analysis.matrix)}"
        result = matrix_result(analysis.matrix)
        lines += ["", f"**Result**: H{_call(where)} = {matrix_text(analysis.matrix)}"]
    else:
        lines += ["", f"**Result**: H = {matrix_text(hess.matrix)}"]
    return Answer(text="\n".join(lines), result=result, latex=latex)


def _hessian_at_lines(analysis: HessianAt, where: str, variables: Sequence[sympy.Symbol]) -> list[str]:
    lines = [f"At {where}:", matrix_block(f"H{_call(where)}", analysis.matrix)]
    lines.append(f"det H = {exact_and_decimal(analysis.determinant)}")
    if analysis.definiteness is None:
        lines.append("H still contains constants here, so its definiteness depends on their values.")
        return lines
    if analysis.eigenvalues_exact:
        shown = ", ".join(exact_and_decimal(v) for v in analysis.eigenvalues)
    else:
        shown = ", ".join(f"≈ {fmt_number(v)}" for v in analysis.eigenvalues)
    lines.append(f"Eigenvalues of H: {shown}")
    kind = "the zero matrix" if analysis.definiteness == "zero" else analysis.definiteness
    lines.append(f"So H is {kind}.")
    grad = vector_text(analysis.gradient)
    if analysis.stationary is None:
        lines.append(f"∇f = {grad} here; whether it is zero depends on the constants.")
    elif not analysis.stationary:
        lines.append(
            f"∇f = {grad} ≠ 0, so {where} is not a stationary point: the second-derivative test "
            "(minimum / maximum / saddle) does not apply here; H only describes the curvature."
        )
    else:
        verdict = analysis.classification
        lines.append(f"∇f = 0 here, so {where} is a stationary point, and the second-derivative test applies:")
        if verdict == "local minimum":
            lines.append("all eigenvalues > 0 → f curves up in every direction → **local minimum**.")
        elif verdict == "local maximum":
            lines.append("all eigenvalues < 0 → f curves down in every direction → **local maximum**.")
        elif verdict == "saddle point":
            lines.append("eigenvalues of both signs → up in some directions, down in others → **saddle point**.")
        else:
            lines.append(
                "an eigenvalue is 0 → the test is **inconclusive**: the second derivatives cannot decide; "
                "look at higher-order terms or at f near the point."
            )
        if len(variables) == 2 and verdict != "inconclusive":
            fxx = _second_name(variables[0], variables[0])
            because = {
                "local minimum": f"det H > 0 and {fxx} > 0",
                "local maximum": f"det H > 0 and {fxx} < 0",
                "saddle point": "det H < 0",
            }[verdict or ""]
            lines.append(f"(With two variables the quick test agrees: {because} → {verdict}.)")
    return lines


# --- /chain ------------------------------------------------------------------------------------


def chain(expr_text: str, subs_text: str, wrt: str) -> Answer:
    """df/dt = Σ ∂f/∂xᵢ · dxᵢ/dt, each term shown, then checked by substituting first."""
    expr = parse(expr_text)
    substitutions = parse_assignments(subs_text)
    parameter = parse_variable(wrt.strip())
    rule = solver.chain_rule(expr, substitutions, parameter)
    return Answer(
        text="\n".join(_chain_lines(rule)),
        result=result_str(rule.result),
        latex=f"{_chain_d(rule, latex=True)} = {fmt_latex(rule.result)}",
    )


def _chain_d(rule: ChainRule, latex: bool = False) -> str:
    t = rule.parameter.name
    if latex:
        d = "d" if rule.total else "\\partial"
        return f"\\frac{{{d} f}}{{{d} {sympy.latex(rule.parameter)}}}"
    d = "d" if rule.total else "∂"
    return f"{d}f/{d}{t}"


def _chain_lines(rule: ChainRule) -> list[str]:
    t = rule.parameter.name
    d = "d" if rule.total else "∂"
    variables = [var for var, _ in rule.substitutions]
    subs = ", ".join(f"{var.name} = {plain(rhs)}" for var, rhs in rule.substitutions)
    lines = [f"I read this as: f = {code(rule.expr)}, with {subs}, differentiated by {t}.", ""]
    formula_terms = [f"∂f/∂{v.name}·{d}{v.name}/{d}{t}" for v in variables]
    if any(term.variable == rule.parameter for term in rule.terms):
        formula_terms.append(f"∂f/∂{t}")
    lines.append(f"Multivariate chain rule: {d}f/{d}{t} = " + " + ".join(formula_terms))
    if not rule.total:
        lines.append(
            f"(The inner functions depend on more than {t}, so this is the partial derivative ∂f/∂{t}: "
            "the other parameters are held constant.)"
        )
    lines.append("")
    for term in rule.terms:
        if term.variable == rule.parameter:
            lines.append(f"- f also contains {t} itself: ∂f/∂{t} = {code(term.outer)} → {code(term.product)}")
            continue
        name = term.variable.name
        lines.append(
            f"- ∂f/∂{name} = {code(term.outer)}, {d}{name}/{d}{t} = {code(term.inner)} → "
            f"term = {code(term.product)}"
        )
    lines += [
        "",
        f"(Each term is written in {t} by substituting {subs}.)",
        f"Adding the terms and simplifying: {d}f/{d}{t} = {code(rule.result)}",
        "",
    ]
    check = (
        f"Check: substituting first, f = {code(rule.composite)}, and differentiating that directly "
        f"gives {code(rule.direct)}"
    )
    if rule.agrees:
        lines.append(check + " — the same, as the chain rule promises.")
    else:
        lines.append(check + ". These differ, which can only happen where the formulas are undefined.")
    lines += ["", f"**Result**: {d}f/{d}{t} = {code(rule.result)}"]
    return lines

