"""Turning a worker's Answer into a chat Reply (the only place that knows both types)."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.core.context import Context
from bot.core.reply import Choice, Diagnosis, Image, Reply
from bot.errors import CalcbotError
from bot.present.answer import Answer, Figure
from bot.stages import log_stages

WORKING_FORM = "Your working, one step per line (each line is the next step; = is optional)"


def check_my_working(command: str) -> Choice:
    """The button that opens a form for the learner's own working, checked line by line by /check."""
    return Choice("work", "Check my working", command, form=WORKING_FORM)


def reply_from(answer: Answer, *extra: Figure, choices: tuple[Choice, ...] = ()) -> Reply:
    log_stages("answer", answer.stages, *(figure.stages for figure in extra))  # where its time went
    images = tuple(Image(f.name, f.png, f.alt) for f in (*answer.images, *extra))
    if answer.check_working is not None:
        choices = (*choices, check_my_working(answer.check_working))
    found = answer.diagnosis
    diagnosis = Diagnosis(found.code, found.where, found.line) if found is not None else None
    return Reply(
        text=answer.text, result=answer.result, latex=answer.latex, images=images, choices=choices,
        diagnosis=diagnosis,
    )


async def with_figure(ctx: Context, answer_job: tuple[Any, ...], figure_job: tuple[Any, ...]) -> Reply:
    """Run the answer and its picture side by side; a picture that can't be drawn is just left out."""
    if not ctx.services.figures:
        return reply_from(await ctx.workers.run(*answer_job))
    answer_task = asyncio.ensure_future(ctx.workers.run(*answer_job))
    figure_task = asyncio.ensure_future(ctx.workers.run(*figure_job))
    try:
        answer = await answer_task
    except BaseException:
        figure_task.cancel()
        raise
    try:
        figure = await figure_task
    except CalcbotError:
        figure = None  # e.g. the figure timed out: the working still stands on its own
    return reply_from(answer, *((figure,) if figure else ()))
