"""Parser properties over whole input spaces: random expression trees printed in several styles read
back as the tree, and any text at all either parses or raises a CalcbotError."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import CalcbotError, InputTooLarge, Undefined
from bot.solver.parser import (
    parse,
    parse_assignments,
    parse_equation,
    parse_list,
    parse_point,
    parse_variable,
)
from bot.solver.variables import symbol

PROPERTY_SETTINGS = settings(
    derandomize=True,
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

VARIABLES = ["x", "y", "z", "t", "theta", "x1", "w_2"]
FUNCTIONS = {
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "exp": sympy.exp,
    "ln": sympy.log,
    "sqrt": sympy.sqrt,
    "atan": sympy.atan,
    "cosh": sympy.cosh,
    "abs": sympy.Abs,
}
BINARY = {"+": 1, "-": 1, "*": 2, "/": 2}


@dataclass(frozen=True)
class Node:
    """An expression tree independent of the parser: kind, payload, children."""

    kind: str  # "num" | "var" | "bin" | "neg" | "pow" | "call"
    value: str = ""
    children: tuple[Node, ...] = ()


def numbers() -> st.SearchStrategy[Node]:
    integers = st.integers(0, 60).map(str)
    decimals = st.sampled_from(["0.5", "1.25", "2.5", "0.1", "3.75"])
    return st.one_of(integers, decimals).map(lambda v: Node("num", v))


def leaves() -> st.SearchStrategy[Node]:
    return st.one_of(numbers(), st.sampled_from(VARIABLES).map(lambda v: Node("var", v)))


def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.tuples(st.sampled_from(sorted(BINARY)), children, children).map(
            lambda p: Node("bin", p[0], (p[1], p[2]))
        ),
        children.map(lambda c: Node("neg", "", (c,))),
        st.tuples(children, st.integers(-3, 4)).map(lambda p: Node("pow", str(p[1]), (p[0],))),
        st.tuples(st.sampled_from(sorted(FUNCTIONS)), children).map(
            lambda p: Node("call", p[0], (p[1],))
        ),
    )


trees = st.recursive(leaves(), extend, max_leaves=8)


class UndefinedTree(Exception):
    """Some step of the tree has no finite real value (e.g. 0^-1), so the parser must refuse it."""


class HugeTree(Exception):
    """Some step of the tree is a number beyond 10^4000, which the parser refuses as too large."""


def build(node: Node) -> sympy.Expr:
    """The tree as SymPy, built directly (never from a string); every step checked for a value."""
    value = _build_step(node)
    if is_undefined(value):
        raise UndefinedTree
    if value.is_number and not value.has(sympy.oo, -sympy.oo):
        magnitude = abs(value.evalf(15))
        if magnitude.is_Float and magnitude > sympy.Float(10) ** 4000:
            raise HugeTree
    return value


def _build_step(node: Node) -> sympy.Expr:
    if node.kind == "num":
        whole, _, fraction = node.value.partition(".")
        return sympy.Rational(int(whole + fraction), 10 ** len(fraction))
    if node.kind == "var":
        return symbol(node.value)
    parts = [build(child) for child in node.children]
    if node.kind == "neg":
        return -parts[0]
    if node.kind == "pow":
        return parts[0] ** int(node.value)
    if node.kind == "call":
        return FUNCTIONS[node.value](parts[0])
    left, right = parts
    if node.value == "/" and right == 0:
        raise UndefinedTree
    return {"+": left + right, "-": left - right, "*": left * right, "/": left / right}[node.value]


def explicit(node: Node, rng: random.Random) -> str:
    """Every operation fully bracketed, Python-style operators."""
    if node.kind in ("num", "var"):
        return node.value
    parts = [explicit(child, rng) for child in node.children]
    if node.kind == "neg":
        return f"(-{parts[0]})"
    if node.kind == "pow":
        return f"(({parts[0]})**({node.value}))"
    if node.kind == "call":
        return f"{node.value}({parts[0]})"
    return f"(({parts[0]}) {node.value} ({parts[1]}))"


def minimal(node: Node, rng: random.Random, spaces: bool = False) -> str:
    """Brackets only where precedence needs them, ``^`` powers, optional random spacing."""

    def pad() -> str:
        return " " * rng.randint(0, 2) if spaces else ""

    def show(child: Node, least: int) -> str:
        text = minimal(child, rng, spaces)
        return f"({text})" if level(child) < least else text

    if node.kind in ("num", "var"):
        return node.value
    if node.kind == "neg":
        return f"-{pad()}{show(node.children[0], 4)}"
    if node.kind == "pow":
        exponent = node.value if not node.value.startswith("-") else f"({node.value})"
        return f"{show(node.children[0], 6)}{pad()}^{pad()}{exponent}"  # a^b^c is a^(b^c)
    if node.kind == "call":
        return f"{node.value}{pad()}({pad()}{minimal(node.children[0], rng, spaces)}{pad()})"
    op = node.value
    mine = BINARY[op]
    # Left-associative: the right operand of - and / (and of a same-level op) needs brackets.
    right_least = mine + 1
    return f"{show(node.children[0], mine)}{pad()}{op}{pad()}{show(node.children[1], right_least)}"


def level(node: Node) -> int:
    if node.kind in ("num", "var", "call"):
        return 6
    if node.kind == "pow":
        return 5
    if node.kind == "neg":
        return 3  # -a^2 is -(a^2); as an operand of * or ^ it needs brackets to be safe
    return BINARY[node.value]


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def unicode_style(node: Node, rng: random.Random) -> str:
    """Unicode operators: · × for times, − for minus, ÷, superscript powers, √ and |…|."""
    if node.kind in ("num", "var"):
        return {"theta": "θ"}.get(node.value, node.value)
    parts = [unicode_style(child, rng) for child in node.children]
    if node.kind == "neg":
        return f"(−{parts[0]})"
    if node.kind == "pow":
        return f"({parts[0]}){node.value.translate(_SUPERSCRIPT)}"
    if node.kind == "call":
        if node.value == "sqrt":
            return f"√({parts[0]})"
        if node.value == "abs":
            return f"|{parts[0]}|"
        return f"{node.value}({parts[0]})"
    symbol_for = {"+": "+", "-": "−", "*": rng.choice(["·", "×", "⋅", "*"]), "/": "÷"}
    return f"({parts[0]} {symbol_for[node.value]} {parts[1]})"


def implicit(node: Node, rng: random.Random) -> str:
    """Products written by juxtaposition of bracketed factors: (a)(b)."""
    if node.kind in ("num", "var"):
        return node.value
    parts = [implicit(child, rng) for child in node.children]
    if node.kind == "neg":
        return f"(-{parts[0]})"
    if node.kind == "pow":
        return f"({parts[0]})^({node.value})"
    if node.kind == "call":
        return f"{node.value}({parts[0]})"
    if node.value == "*":
        return f"({parts[0]})({parts[1]})"
    return f"({parts[0]}{node.value}{parts[1]})"


def is_undefined(value: sympy.Expr) -> bool:
    """What the parser must refuse: no finite value, or not a real number."""
    if value.has(sympy.zoo, sympy.nan, sympy.AccumBounds):
        return True
    return bool(value.is_number and value.is_extended_real is False)


def reads_back(text: str, tree: Node) -> None:
    try:
        expected = build(tree)
    except UndefinedTree:
        with pytest.raises(Undefined):
            parse(text)
        return
    except HugeTree:
        with pytest.raises(InputTooLarge):
            parse(text)
        return
    parsed = parse(text)
    assert parsed == expected or sympy.simplify(parsed - expected) == 0, (text, parsed, expected)


@PROPERTY_SETTINGS
@given(trees, st.randoms(use_true_random=False))
def test_explicit_style_reads_back_as_the_tree(tree: Node, rng: random.Random) -> None:
    reads_back(explicit(tree, rng), tree)


@PROPERTY_SETTINGS
@given(trees, st.randoms(use_true_random=False))
def test_minimal_bracket_style_reads_back_as_the_tree(tree: Node, rng: random.Random) -> None:
    reads_back(minimal(tree, rng), tree)


@PROPERTY_SETTINGS
@given(trees, st.randoms(use_true_random=False))
def test_extra_spaces_do_not_change_the_reading(tree: Node, rng: random.Random) -> None:
    reads_back(minimal(tree, rng, spaces=True), tree)


@PROPERTY_SETTINGS
@given(trees, st.randoms(use_true_random=False))
def test_unicode_style_reads_back_as_the_tree(tree: Node, rng: random.Random) -> None:
    reads_back(unicode_style(tree, rng), tree)


@PROPERTY_SETTINGS
@given(trees, st.randoms(use_true_random=False))
def test_implicit_products_read_back_as_the_tree(tree: Node, rng: random.Random) -> None:
    reads_back(implicit(tree, rng), tree)


@PROPERTY_SETTINGS
@given(trees)
def test_sympy_printed_form_reads_back(tree: Node) -> None:
    try:
        expected = build(tree)
    except (UndefinedTree, HugeTree):
        return
    parsed = parse(sympy.sstr(expected))  # equal as values: printing forgets evaluation order
    assert parsed == expected or sympy.simplify(parsed - expected) == 0, (parsed, expected)


MATH_ALPHABET = list(
    "0123456789.xyzetnπθσ+-*/^()[]{}|!,= _\\sincoatlgqrbpexhfmd²³⁻¹ⁿ√∞·×−÷₁'\"$;:%?<>"
) + ["sin", "cos", "log", "sqrt", "e^", "**", "\\frac", "log_", "^-1", "oo", "pi", "\x00"]

texts = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(MATH_ALPHABET), max_size=30).map("".join),
)


def only_calcbot_errors(reader: object, text: str) -> None:
    try:
        reader(text)  # type: ignore[operator]
    except CalcbotError:
        pass


@settings(derandomize=True, max_examples=600, deadline=None)
@given(texts)
def test_any_text_parses_or_raises_a_calcbot_error(text: str) -> None:
    try:
        result = parse(text)
    except CalcbotError:
        return
    assert isinstance(result, sympy.Expr)
    assert not result.has(sympy.zoo, sympy.nan)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(texts)
def test_every_reader_raises_only_calcbot_errors(text: str) -> None:
    for reader in (parse_equation, parse_list, parse_point, parse_variable, parse_assignments):
        only_calcbot_errors(reader, text)
