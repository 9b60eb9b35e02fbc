"""Least-squares fitting on the learner's data, and backpropagation on a small network."""

from __future__ import annotations

import re

from bot.commands.answers import reply_from
from bot.core.commands import Args, Choice, Int, Keyword, Number, Registry, Text, command
from bot.core.context import Context
from bot.core.reply import Reply
from bot.jobs import jobs_in

# The jobs, by name: loaded only in the workers.
backprop_jobs = jobs_in("bot.present.backprop")
regression = jobs_in("bot.present.regression")

registry = Registry()

ACTIVATIONS = ("sigmoid", "tanh", "relu")


@command(
    registry, "fit",
    summary="Least-squares fit of a model to your data, with the working and a plot.",
    usage="/fit MODEL data X1,Y1; X2,Y2; … [guess A=1, B=2] [method descent]",
    examples=("/fit line data 1,2.1; 2,3.9; 3,6.2; 4,7.8", "/fit poly 2 data 0,1; 1,2; 2,5; 3,10",
              "/fit a*exp(b*x) + c data 0,3; 1,4.6; 2,7.4; 3,13; 4,23 guess a=1, b=1, c=1"),
    main=Text("model", help="line, poly N, or an expression in x with named parameters"),
    keywords=(
        Keyword(("data", "points"), Text("data", help="x,y pairs separated by ';' or new lines")),
        Keyword(("guess", "start"), Text("guess", optional=True, help="starting values, e.g. a=1, b=2")),
        Keyword(("method",), Choice("method", ("auto", "lm", "gauss-newton", "descent"), default="auto",
                                    help="auto (exact for linear models, else Levenberg–Marquardt) or descent")),
    ),
    family="regression",
    aliases=("regress", "leastsquares"),
)
async def fit(ctx: Context, args: Args) -> Reply:
    return reply_from(await ctx.workers.run(regression.fit, args.model, args.data, args.guess, args.method))


@command(
    registry, "backprop",
    summary="Backpropagation on a small network: forward pass, chain-rule backward pass, one update.",
    usage="/backprop SHAPE [sigmoid|tanh|relu] x=(…) y=(…) [rate R] [steps N] [weights W1=[[…]] b1=[…] …]",
    examples=("/backprop 2-3-1 sigmoid x=(0.5, -1) y=1", "/backprop 1-1 x=0.5 y=1 weights W1=[[0.3]] b1=[0.1]",
              "/backprop 2-3-1 tanh x=(1, 0) y=0 steps 200 rate 0.2"),
    main=Text("shape", help="layer sizes like 2-3-1, then optionally the activation"),
    keywords=(
        Keyword(("x",), Text("x", help="the input, e.g. (0.5, -1)"), equals=True),
        Keyword(("y",), Text("y", help="the target output"), equals=True),
        Keyword(("rate", "lr"), Number("rate", 1e-6, 100.0, default=0.5, help="learning rate")),
        Keyword(("steps",), Int("steps", 0, 2000, default=0, help="train for N steps and plot the cost")),
        Keyword(("weights",), Text("weights", optional=True, help="explicit W1=[[…]] b1=[…] …")),
        Keyword(("seed",), Int("seed", 0, 10**6, default=1, help="seed for the random weights")),
    ),
    family="regression",
    aliases=("backpropagation", "nn"),
)
async def backprop(ctx: Context, args: Args) -> Reply:
    words = args.shape.split()
    activation = "sigmoid"
    if len(words) == 2 and words[1].lower() in ACTIVATIONS:
        activation = words[1].lower()
    elif len(words) != 1 or not re.fullmatch(r"\d+(-\d+)+", words[0]):
        raise registry.get("backprop").usage_error(  # type: ignore[union-attr]
            f"'{args.shape}' is not a layer shape like 2-3-1 (optionally followed by {', '.join(ACTIVATIONS)})")
    answer = await ctx.workers.run(backprop_jobs.backprop, words[0], activation, args.x, args.y, args.weights,
                                   args.rate, args.steps, args.seed)
    return reply_from(answer)
