"""The calculus commands: each declares its arguments once and sends the work to a worker job."""

from __future__ import annotations

from bot.commands.answers import reply_from, with_figure
from bot.core.commands import Args, Flag, Int, Keyword, Prefix, Registry, Text, command
from bot.core.context import Context
from bot.core.reply import Reply
from bot.errors import UsageError
from bot.jobs import jobs_in
from bot.solver.prefixes import (
    DVAR_PATTERN,
    LeadingDerivative,
    applies_to_all,
    is_working,
    leading_derivative,
    strip_function_name,
)

# The jobs, by name: their modules (SymPy, SciPy, matplotlib) load only in the workers.
derivative = jobs_in("bot.present.derivative")
figures = jobs_in("bot.present.figures")
multivariable = jobs_in("bot.present.multivariable")
optimise = jobs_in("bot.present.optimise")
taylor = jobs_in("bot.present.taylor")
check_jobs = jobs_in("bot.present.check")
working_jobs = jobs_in("bot.present.working")

registry = Registry()

D_DVAR = Prefix("dvar", DVAR_PATTERN, "d/dVAR")
WRT = Keyword(("wrt", "with respect to"), Text("wrt", optional=True, help="the variable, e.g. x"))
AT = Keyword(("at",), Text("at", optional=True, help="a point: a number or (a, b, …)"))
VARS = Keyword(("vars", "variables"), Text("vars", optional=True, help="variable order, e.g. x,y,z"))
# How people say where a Taylor series is centred: all mean `at`.
TAYLOR_AT = Keyword(
    ("at", "about", "around", "near", "centred at", "centered at", "centred on", "centered on"),
    Text("at", optional=True, help="the centre: a number or (a, b, …)"),
)


def _variable(args: Args, usage_error: UsageError) -> str | None:
    """``d/dt EXPR`` and ``EXPR wrt t`` mean the same; saying both differently is a mistake."""
    if args.dvar and args.wrt and args.dvar != args.wrt.strip():
        raise usage_error
    return args.dvar or (args.wrt.strip() if args.wrt else None)


@command(
    registry,
    "derive",
    summary="Differentiate an expression, showing each rule used.",
    usage="/derive EXPR [wrt VAR] [order N] [at A] [plot]",
    examples=(
        "/derive x^2 sin x",
        "/derive d/dt e^(2t)",
        "/derive x^3 y^2 wrt y order 2",
        "/derive sin(x)/x plot",
        "/derive x^3 - 2x at 2",
    ),
    main=Text("expr", help="the expression to differentiate"),
    prefixes=(D_DVAR,),
    keywords=(
        WRT,
        Keyword(("at",), Text("at", optional=True, help="a point: the derivative's value there")),
        Keyword(("order",), Int("order", 1, 10, default=1, help="1 to 10")),
        Keyword(("plot",), Flag("plot", help="also draw f and the derivative")),
    ),
    aliases=("d", "diff", "differentiate", "derivative"),
    details="The default variable is x if the expression has one, else its only variable.",
)
async def derive(ctx: Context, args: Args) -> Reply:
    var = _variable(
        args,
        UsageError(
            "d/dVAR and wrt name different variables.", hint="Use one of them, e.g. `/derive d/dt e^(2t)`."
        ),
    )
    expr, order = strip_function_name(args.expr), args.order
    if not args.dvar and (leading := leading_derivative(expr)) is not None:
        var, order = _one_variable(leading, var), _same_order(leading, args.order)
        expr = strip_function_name(leading.rest)
    job = (derivative.derive, expr, var, order, args.at)
    if not args.plot:
        return reply_from(await ctx.workers.run(*job))
    return await with_figure(ctx, job, (figures.derivative_figure, expr, var, order))


def _one_variable(leading: LeadingDerivative, wrt: str | None) -> str:
    """``d²/dx²``, ``∂/∂y``: the variable; a mixed ``∂²/∂x∂y`` belongs to /partial."""
    variables = set(leading.variables)
    if len(variables) > 1:
        names = ",".join(leading.variables)
        raise UsageError(
            "a mixed partial derivative is worked out by /partial.",
            hint=f"e.g. `/partial {leading.rest} wrt {names}`",
        )
    (var,) = variables
    if wrt and wrt != var:
        raise UsageError(
            f"d/d{var} and wrt {wrt} name different variables.", hint="Use one of them, e.g. `/derive d/dt e^(2t)`."
        )
    return var


def _same_order(leading: LeadingDerivative, order: int) -> int:
    if order not in (1, leading.order):
        raise UsageError(
            f"the derivative is written of order {leading.order} but 'order {order}' asks for another.",
            hint="Use one of them, e.g. `/derive d^2/dx^2 x^3` or `/derive x^3 order 2`.",
        )
    return leading.order


@command(
    registry,
    "slope",
    summary="Rise over run: the difference quotient closing in on the derivative at a point.",
    usage="/slope EXPR at A [wrt VAR]",
    examples=("/slope x^2 at 3", "/slope sin x at pi/4"),
    main=Text("expr", help="the function"),
    keywords=(Keyword(("at",), Text("at", help="the point a")), WRT),
    aliases=("riseoverrun",),
)
async def slope(ctx: Context, args: Args) -> Reply:
    wrt = args.wrt.strip() if args.wrt else None
    return await with_figure(
        ctx, (derivative.slope, args.expr, args.at, wrt), (figures.tangent_figure, args.expr, args.at, wrt)
    )


@command(
    registry,
    "partial",
    summary="A partial derivative: differentiate in one variable, holding the others constant.",
    usage="/partial EXPR wrt VAR [order N]",
    examples=("/partial x^2 y^3 wrt y", "/partial x^2 y^3 wrt x,y", "/partial e^(x y) wrt x order 2"),
    main=Text("expr", help="the function"),
    keywords=(
        Keyword(("wrt", "with respect to"), Text("wrt", help="a variable, or x,y for a mixed partial")),
        Keyword(("order",), Int("order", 1, 10, default=1, help="1 to 10")),
    ),
    aliases=("pd",),
)
async def partial(ctx: Context, args: Args) -> Reply:
    return reply_from(await ctx.workers.run(multivariable.partial, args.expr, args.wrt.strip(), args.order))


@command(
    registry,
    "grad",
    summary="The gradient ∇f: the vector of partial derivatives, pointing uphill.",
    usage="/grad EXPR [at (a, b, …)] [vars x,y,…]",
    examples=("/grad x^2 y + y^3 at (1, 2)", "/grad x^2 + y^2 + z^2", "/grad sin(x) cos(y) at (0, pi)"),
    main=Text("expr", help="a function of several variables"),
    keywords=(AT, VARS),
    aliases=("gradient",),
)
async def grad(ctx: Context, args: Args) -> Reply:
    return await with_figure(
        ctx,
        (multivariable.gradient, args.expr, args.at, args.vars),
        (figures.gradient_figure, args.expr, args.at, args.vars),
    )


@command(
    registry,
    "jacobian",
    summary="The Jacobian: rows are functions, columns are variables.",
    usage="/jacobian [f1, f2, …] [at (a, b, …)] [vars x,y,…]",
    examples=(
        "/jacobian [x^2 y, x + y] at (1, 2)",
        "/jacobian x^2 y z",
        "/jacobian [r cos t, r sin t] vars r,t",
    ),
    main=Text("funcs", help="one function, or a list [f1, f2, …]"),
    keywords=(AT, VARS),
    aliases=("jac",),
)
async def jacobian(ctx: Context, args: Args) -> Reply:
    return reply_from(await ctx.workers.run(multivariable.jacobian, args.funcs, args.at, args.vars))


@command(
    registry,
    "hessian",
    summary="The Hessian: the matrix of second partial derivatives, and what it says at a point.",
    usage="/hessian EXPR [at (a, b, …)] [vars x,y,…]",
    examples=("/hessian x^3 + x y^2 at (1, 1)", "/hessian x^2 y + y^3"),
    main=Text("expr", help="a function of several variables"),
    keywords=(AT, VARS),
)
async def hessian(ctx: Context, args: Args) -> Reply:
    return reply_from(await ctx.workers.run(multivariable.hessian, args.expr, args.at, args.vars))


@command(
    registry,
    "chain",
    summary="The multivariate chain rule: df/dt = Σ ∂f/∂xᵢ · dxᵢ/dt, term by term.",
    usage="/chain EXPR with x = …, y = … wrt t",
    examples=(
        "/chain x^2 y with x = cos t, y = sin t wrt t",
        "/chain x y z with x = t, y = t^2, z = t^3 wrt t",
    ),
    main=Text("expr", help="f in terms of the intermediate variables"),
    keywords=(
        Keyword(("with", "where"), Text("subs", help="each intermediate variable in terms of t")),
        Keyword(("wrt", "with respect to"), Text("wrt", optional=True, help="the final variable")),
    ),
)
async def chain(ctx: Context, args: Args) -> Reply:
    wrt = args.wrt.strip() if args.wrt else "t"
    return reply_from(await ctx.workers.run(multivariable.chain, args.expr, args.subs, wrt))


@command(
    registry,
    "taylor",
    summary="Taylor polynomials in 1-D and n-D, term by term, with an error note.",
    usage="/taylor EXPR [at A | at (a, b, …)] [order N] [vars x,y,…]",
    examples=("/taylor e^x at 0 order 4", "/taylor cos x at pi/2", "/taylor sin(x) cos(y) at (0, 0) order 2"),
    main=Text("expr", help="the function to approximate"),
    keywords=(TAYLOR_AT, Keyword(("order", "degree"), Int("order", 0, 12, default=3, help="0 to 12")), VARS),
    aliases=("series", "maclaurin"),
    details="`about`, `around`, `near` and `centred at` mean the same as `at`.",
)
async def taylor_series(ctx: Context, args: Args) -> Reply:
    return await with_figure(
        ctx,
        (taylor.taylor, args.expr, args.at, args.order, args.vars),
        (figures.taylor_figure, args.expr, args.at, args.order, args.vars),
    )


@command(
    registry,
    "newton",
    summary="Newton–Raphson: follow tangent lines to a root, with the table of iterations.",
    usage="/newton EXPR from X0 [wrt VAR]",
    examples=("/newton x^2 - 2 from 1", "/newton x^6/6 - 3x^4 - 2x^3/3 + 27x^2/2 + 18x - 30 from -4"),
    main=Text("expr", help="f, to solve f = 0"),
    keywords=(Keyword(("from", "x0", "starting at"), Text("start", help="the starting guess x₀")), WRT),
    aliases=("nr", "newtonraphson"),
)
async def newton(ctx: Context, args: Args) -> Reply:
    wrt = args.wrt.strip() if args.wrt else None
    return reply_from(await ctx.workers.run(optimise.newton, args.expr, args.start, wrt, 50, 1e-12, ctx.services.figures))


@command(
    registry,
    "stationary",
    summary="Stationary points (∇f = 0), each classified by the Hessian.",
    usage="/stationary EXPR [vars x,y,…]",
    examples=("/stationary x^2 + y^2 - 2x", "/stationary x^3 - 3x", "/stationary x^3 - 3x y^2"),
    main=Text("expr", help="the function"),
    keywords=(VARS,),
    aliases=("critical", "extrema"),
)
async def stationary(ctx: Context, args: Args) -> Reply:
    return reply_from(await ctx.workers.run(optimise.stationary, args.expr, args.vars, ctx.services.figures))


@command(
    registry,
    "lagrange",
    summary="Constrained extrema by Lagrange multipliers: ∇f = λ∇g on g = c.",
    usage="/lagrange EXPR subject to G = C [vars x,y,…]",
    examples=(
        "/lagrange x y subject to x + y = 10",
        "/lagrange e^(-(2x^2 + y^2 - x y)/2) subject to x^2 + 3(y+1)^2 = 1",
    ),
    main=Text("expr", help="the function to optimise"),
    keywords=(
        Keyword(("subject to", "s.t.", "st", "on"), Text("constraint", help="the constraint G = C")),
        VARS,
    ),
    aliases=("lagrangian",),
)
async def lagrange(ctx: Context, args: Args) -> Reply:
    return reply_from(await ctx.workers.run(optimise.lagrange, args.expr, args.constraint, args.vars, ctx.services.figures))


@command(
    registry,
    "check",
    summary="Is your claim right? Checks LHS = RHS, or your derivative, and shows where it fails.",
    usage="/check LHS = RHS  |  /check d/dVAR EXPR = ANSWER",
    examples=(
        "/check sin(x)^2 + cos(x)^2 = 1",
        "/check d/dx x^2 sin x = 2x sin x + x^2 cos x",
        "/check (x+1)^2 = x^2 + 1",
        "/check d/dx(x^3 cos x) = 3x^2 cos x - x^3 sin x = x^2(3 cos x - x sin x)",
    ),
    details=(
        "**Your working, step by step.** Write a chain of equalities on one line "
        "(`/check d/dx F = A = B`) or one step per line, each line starting with `=` (or holding "
        "`LHS = RHS`). Every step is checked against the one before and marked ✅ or ❌; the first wrong "
        "step is named, and the reply says whether your final line is the right answer even if a step "
        "in between is not. A step that holds only where both sides are defined (e.g. for x > 0) is "
        "flagged, not called wrong.\n"
        "**Diagnosis.** When a derivative is wrong, calcbot looks for the known mistake that explains it "
        "exactly — the product rule as u′v′, a missing chain-rule factor, the quotient rule's sign, "
        "the power rule's exponent, a trig sign, a kept constant, an integral instead, another variable "
        "or order, a flipped sign (one mistake, or two for short expressions) — and names it, shows "
        "where it happened, the right step there and the corrected answer. If no known mistake "
        "explains your answer exactly, it says so and shows a point where the answers differ. "
        "Wrong quiz answers to derivative questions get the same diagnosis."
    ),
    main=Text("claim", help="LHS = RHS"),
    prefixes=(D_DVAR,),
    aliases=("verify",),
)
async def check(ctx: Context, args: Args) -> Reply:
    dvar, claim, order = args.dvar, args.claim, 1
    if dvar and not applies_to_all(claim):  # `d/dx(x^2) + 1 = 2x + 1`: the operator is part of a side
        dvar, claim = None, f"d/d{dvar}{claim}"
    if not dvar and (leading := leading_derivative(claim)) is not None and len(set(leading.variables)) == 1:
        dvar, claim, order = leading.variables[0], leading.rest, leading.order  # d²/dx² F = A, ∂/∂y(F) = A
    if is_working(claim):
        return reply_from(await ctx.workers.run(working_jobs.check_steps, dvar, claim, order))
    if not dvar:
        if "=" not in claim:
            raise UsageError(
                "a claim needs '=' between its two sides.",
                hint="Usage: `/check LHS = RHS` — e.g. `/check (x+1)^2 = x^2 + 2x + 1`, "
                "or `/check d/dx x^2 sin x = 2x sin x + x^2 cos x` for a derivative.",
            )
        return reply_from(await ctx.workers.run(check_jobs.check, claim))
    expr, equals, answer = claim.partition("=")
    if not equals or not expr.strip() or not answer.strip():
        raise UsageError(
            "a derivative claim needs the form `d/dx EXPR = ANSWER`, or your working on the lines below.",
            hint="e.g. `/check d/dx x^2 sin x = 2x sin x + x^2 cos x`; for working, send one message with a "
            "step per line starting with `=` (on the console end each line with \\ to go on).",
        )
    return reply_from(
        await ctx.workers.run(check_jobs.check_derivative, dvar, expr.strip(), answer.strip(), order)
    )
