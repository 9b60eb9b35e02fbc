"""Commands whose main answer is a picture."""

from __future__ import annotations

from bot.commands.answers import reply_from
from bot.core.commands import Args, Int, Keyword, Number, Registry, Text, command
from bot.core.context import Context
from bot.core.reply import Reply
from bot.jobs import jobs_in

plots = jobs_in("bot.present.plots")  # loaded only in the workers
registry = Registry()


@command(
    registry, "plot",
    summary="Plot one or more functions of x.",
    usage="/plot EXPR[, EXPR2, …] [from A to B]",
    examples=("/plot sin x, cos x from -pi to pi", "/plot x^3 - 3x", "/plot 1/x from -2 to 2"),
    main=Text("exprs", help="one expression, or several separated by commas"),
    keywords=(Keyword(("from", "over"), Text("range", optional=True, help="A to B")),),
    family="plots",
    aliases=("graph",),
)
async def plot(ctx: Context, args: Args) -> Reply:
    return reply_from(await ctx.workers.run(plots.plot, args.exprs, args.range))


@command(
    registry, "surface",
    summary="A 3-D surface of a function of two variables.",
    usage="/surface EXPR",
    examples=("/surface x^2 - y^2", "/surface sin(x) cos(y)"),
    main=Text("expr", help="a function of two variables"),
    family="plots",
    aliases=("surf", "plot3d"),
)
async def surface(ctx: Context, args: Args) -> Reply:
    return reply_from(await ctx.workers.run(plots.surface, args.expr))


@command(
    registry, "descent",
    summary="Gradient descent from a starting point: the path on the contour map and the iterates.",
    usage="/descent EXPR from (a, b) [rate R] [steps N]",
    examples=("/descent x^2 + 3y^2 from (2, 1)", "/descent (x-1)^2 + 10(y-x^2)^2 from (-1, 1) rate 0.01 steps 200"),
    main=Text("expr", help="the function to minimise"),
    keywords=(
        Keyword(("from", "starting at"), Text("start", help="the starting point")),
        Keyword(("rate", "step size", "lr", "gamma"), Number("rate", 1e-9, 10.0, default=0.1, help="learning rate γ")),
        Keyword(("steps", "iterations"), Int("steps", 1, 500, default=30, help="1 to 500")),
    ),
    family="plots",
    aliases=("gd", "gradientdescent"),
)
async def descent(ctx: Context, args: Args) -> Reply:
    return reply_from(await ctx.workers.run(plots.descent, args.expr, args.start, args.rate, args.steps))


@command(
    registry, "latex",
    summary="Render an expression as typeset maths (a picture), with its LaTeX source.",
    usage="/latex EXPR",
    examples=("/latex x^2 sin x / sqrt(1 + x^2)", "/latex e^(-x^2/2)"),
    main=Text("expr", help="the expression"),
    family="plots",
    aliases=("tex", "render"),
)
async def latex(ctx: Context, args: Args) -> Reply:
    return reply_from(await ctx.workers.run(plots.latex, args.expr))
