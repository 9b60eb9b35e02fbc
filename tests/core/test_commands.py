"""The argument grammar: keyword clauses, prefixes, conversions and declaration errors."""

from __future__ import annotations

import pytest

from bot.core.commands import Command, Flag, Int, Keyword, Number, Prefix, Registry, Text
from bot.errors import UsageError


async def _noop(ctx, args):  # pragma: no cover - never called
    raise AssertionError


def _derive() -> Command:
    return Command(
        name="derive", summary="s", usage="/derive EXPR [wrt VAR] [order N]", examples=("/derive x",),
        handler=_noop, main=Text("expr"),
        prefixes=(Prefix("dvar", r"d\s*/\s*d\s*([A-Za-z]\w*)", "d/dVAR"),),
        keywords=(Keyword(("wrt", "with respect to"), Text("wrt", optional=True)),
                  Keyword(("order",), Int("order", 1, 10, default=1)),
                  Keyword(("plot",), Flag("plot"))),
    )


def test_keyword_clauses_split_the_text():
    args = _derive().parse("x^3 y^2 wrt y order 2")
    assert (args.expr, args.wrt.strip(), args.order, args.plot) == ("x^3 y^2", "y", 2, False)


def test_defaults_fill_missing_options():
    args = _derive().parse("x^2 sin x")
    assert (args.expr, args.wrt, args.order, args.dvar) == ("x^2 sin x", None, 1, None)


def test_prefix_d_dvar_is_read_before_the_expression():
    args = _derive().parse("d/dt e^(2t)")
    assert (args.dvar, args.expr) == ("t", "e^(2t)")


def test_keywords_inside_brackets_are_part_of_the_expression():
    args = _derive().parse("f(order) wrt x")
    assert args.expr == "f(order)"


def test_multi_word_keyword_and_flag():
    args = _derive().parse("sin x with respect to x plot")
    assert (args.wrt.strip(), args.plot) == ("x", True)


def test_keywords_are_whole_words_only():
    args = _derive().parse("orderly + x")
    assert args.expr == "orderly + x"


@pytest.mark.parametrize("text, problem", [
    ("x order 11", "between 1 and 10"),
    ("x order two", "whole number"),
    ("x order 2 order 3", "given twice"),
    ("wrt x", "missing expr"),
    ("x plot now", "unexpected 'now'"),
])
def test_bad_arguments_raise_usage_errors_with_the_usage_line(text, problem):
    with pytest.raises(UsageError) as caught:
        _derive().parse(text)
    assert problem in caught.value.message
    assert "/derive EXPR" in (caught.value.hint or "")


def test_equals_style_keywords():
    command = Command(name="backprop", summary="s", usage="/backprop SHAPE", examples=("/backprop 1-1",),
                      handler=_noop, main=Text("shape"),
                      keywords=(Keyword(("x",), Text("x"), equals=True), Keyword(("y",), Text("y"), equals=True),
                                Keyword(("rate",), Number("rate", 0, 10, default=0.5))))
    args = command.parse("2-3-1 sigmoid x=(0.5, -1) y = 1 rate 0.25")
    assert (args.shape, args.x.strip(), args.y.strip(), args.rate) == ("2-3-1 sigmoid", "(0.5, -1)", "1", 0.25)


def test_declaration_errors_fail_at_declaration():
    with pytest.raises(ValueError):
        Command(name="Bad Name", summary="s", usage="/x", examples=("/x",), handler=_noop)
    with pytest.raises(ValueError):
        Command(name="x", summary="s", usage="/y", examples=("/x",), handler=_noop)
    with pytest.raises(ValueError):
        Int("order", 1, 10, default=20)
    registry = Registry()
    registry.add(_derive())
    with pytest.raises(ValueError):
        registry.add(_derive())
