"""The maths parser: every notation students type, read into SymPy objects built independently here."""

from __future__ import annotations

import pickle
import re

import pytest
import sympy
from sympy import (
    Abs,
    E,
    Max,
    Rational,
    acos,
    asin,
    asinh,
    atan,
    ceiling,
    cos,
    cosh,
    cot,
    csc,
    exp,
    factorial,
    floor,
    log,
    oo,
    pi,
    sec,
    sign,
    sin,
    sqrt,
    tan,
    tanh,
)

from bot.errors import (
    BadArgument,
    CalcbotError,
    EmptyInput,
    InputTooLarge,
    ParseError,
    TooComplex,
    Undefined,
    UnknownFunction,
    WordNotVariables,
    WrongArity,
)
from bot.solver.parser import (
    MAX_DEPTH,
    MAX_LENGTH,
    NOTATION_HELP,
    parse,
    parse_assignments,
    parse_equation,
    parse_list,
    parse_point,
    parse_variable,
)
from bot.solver.prefixes import strip_answer_name
from bot.solver.variables import symbol

a, b, c, t, w, x, y, z = (symbol(n) for n in "abctwxyz")
n, f, i = symbol("n"), symbol("f"), symbol("i")
theta, alpha, sigma, mu = symbol("theta"), symbol("alpha"), symbol("sigma"), symbol("mu")


def logistic(u: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + exp(-u))


def assert_reads_as(text: str, expected: sympy.Expr) -> None:
    parsed = parse(text)
    assert parsed == expected or sympy.simplify(parsed - expected) == 0, (text, parsed, expected)


IMPLICIT_MULTIPLICATION = [
    ("2x", 2 * x),
    ("3x^2 y", 3 * x**2 * y),
    ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("2pi x", 2 * pi * x),
    ("x e^x", x * exp(x)),
    ("2(x+1)", 2 * (x + 1)),
    ("(x+1)2", 2 * (x + 1)),
    ("2 sin x", 2 * sin(x)),
    ("x sin x", x * sin(x)),
    ("2|x|", 2 * Abs(x)),
    ("|x||y|", Abs(x) * Abs(y)),
    ("f(x)", f * x),
    ("xy(x+1)", x * y * (x + 1)),
    ("1/2x", x / 2),
    ("a/bc", a * c / b),
    ("1/2 x", x / 2),
    ("x/2y", x * y / 2),
    ("2^x y", 2**x * y),
]


@pytest.mark.parametrize(("text", "expected"), IMPLICIT_MULTIPLICATION)
def test_implicit_multiplication_binds_like_times(text: str, expected: sympy.Expr) -> None:
    assert_reads_as(text, expected)


NAMES = [
    ("xy", x * y),
    ("xyz", x * y * z),
    ("sinx", sin(x)),
    ("xsin x", x * sin(x)),
    ("xsinx", x * sin(x)),
    ("sinxcosx", sin(x) * cos(x)),
    ("x1", symbol("x1")),
    ("x_1", symbol("x_1")),
    ("w2", symbol("w2")),
    ("xy2", x * symbol("y2")),
    ("x₁", symbol("x_1")),
    ("w₁a₀", symbol("w_1") * symbol("a_0")),
    ("x_{12}", symbol("x_12")),
    ("theta", theta),
    ("θ", theta),
    ("theta1", symbol("theta1")),
    ("alpha_2", symbol("alpha_2")),
    ("lambda", symbol("lambda")),
    ("λx", symbol("lambda") * x),
    ("2pir", 2 * pi * symbol("r")),
    ("beta x", symbol("beta") * x),
    ("Gamma", symbol("Gamma")),
    ("i", i),
    ("x i", x * i),
    ("e", E),
    ("E", E),
    ("xe^x", x * exp(x)),
    ("pi", pi),
    ("π", pi),
    ("PI", pi),
    ("oo", oo),
    ("∞", oo),
    ("infinity", oo),
    ("-oo", -oo),
    ("(x-mu)/sigma", (x - mu) / sigma),
    ("sigma^2", sigma**2),
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_names_resolve_as_documented(text: str, expected: sympy.Expr) -> None:
    assert_reads_as(text, expected)


FUNCTIONS = [
    ("sin x", sin(x)),
    ("sin 2x", sin(2 * x)),
    ("sin x^2", sin(x**2)),
    ("sin x cos x", sin(x) * cos(x)),
    ("sin(x)", sin(x)),
    ("sin^2(x)", sin(x) ** 2),
    ("sin^2 x", sin(x) ** 2),
    ("sin²x", sin(x) ** 2),
    ("cos^3(2x)", cos(2 * x) ** 3),
    ("sin^-1 x", asin(x)),
    ("sin^{-1}(x)", asin(x)),
    ("sin⁻¹ x", asin(x)),
    ("tanh^-1 x", sympy.atanh(x)),
    ("sin(x)^2", sin(x) ** 2),
    ("sin x/2", sin(x) / 2),
    ("sin x * y", sin(x) * y),
    ("sin x + 1", sin(x) + 1),
    ("sin -x", sin(-x)),
    ("sin 2(x+1)", sin(2 * (x + 1))),
    ("sin sin x", sin(sin(x))),
    ("2 sin x cos x", 2 * sin(x) * cos(x)),
    ("e^x sin x", exp(x) * sin(x)),
    ("exp(x)", exp(x)),
    ("ln x", log(x)),
    ("log x", log(x)),
    ("ln|x|", log(Abs(x))),
    ("log(x, b)", log(x) / log(b)),
    ("log(8, 2)", sympy.Integer(3)),
    ("log_2 x", log(x) / log(2)),
    ("log_{10}(x)", log(x) / log(10)),
    ("log2(x)", log(x) / log(2)),
    ("log10(x)", log(x) / log(10)),
    ("log₂ x", log(x) / log(2)),
    ("log_b x", log(x) / log(b)),
    ("log_e x", log(x)),
    ("sqrt(x)", sqrt(x)),
    ("√x", sqrt(x)),
    ("√(x+1)", sqrt(x + 1)),
    ("√2x", sqrt(2) * x),
    ("∛x", sympy.cbrt(x)),
    ("cbrt(x)", sympy.cbrt(x)),
    ("cbrt(-8)", sympy.Integer(-2)),
    ("abs(x)", Abs(x)),
    ("|x|", Abs(x)),
    ("|x - |y||", Abs(x - Abs(y))),
    ("||x| - 1|", Abs(Abs(x) - 1)),
    ("|sin x|", Abs(sin(x))),
    ("tan x + sec x + csc x + cot x", tan(x) + sec(x) + csc(x) + cot(x)),
    ("cosec x", csc(x)),
    ("arcsin x + acos(x) + arctan(x)", asin(x) + acos(x) + atan(x)),
    ("arccot x", sympy.acot(x)),
    ("asec(x) + arccsc(x)", sympy.asec(x) + sympy.acsc(x)),
    ("cosh x + tanh x", cosh(x) + tanh(x)),
    ("sech x + csch x + coth x", sympy.sech(x) + sympy.csch(x) + sympy.coth(x)),
    ("asinh x", asinh(x)),
    ("arsinh x", asinh(x)),
    ("arcsinh x", asinh(x)),
    ("arcosh(x) + artanh(x)", sympy.acosh(x) + sympy.atanh(x)),
    ("sign(x)", sign(x)),
    ("sgn x", sign(x)),
    ("floor(x) + ceil(x)", floor(x) + ceiling(x)),
    ("factorial(n)", factorial(n)),
    ("n!", factorial(n)),
    ("5!", sympy.Integer(120)),
    ("(3!)!", sympy.Integer(720)),
    ("7!!", sympy.Integer(105)),
    ("n!!", sympy.factorial2(n)),
    ("2^3!", sympy.Integer(64)),
    ("σ(x)", logistic(x)),
    ("sigma(x)", logistic(x)),
    ("sigmoid(x)", logistic(x)),
    ("σ(0)", Rational(1, 2)),
    ("wσ(x)", w * logistic(x)),
    ("relu(x)", Max(0, x)),
    ("max(x, y, 1)", Max(x, y, 1)),
    ("min(x, 2)", sympy.Min(x, 2)),
    ("Sin(x)", sin(x)),
    ("LN x", log(x)),
    ("Abs(x)", Abs(x)),
    ("Heaviside(x)", sympy.Heaviside(x)),
    ("cost", cos(t)),
    ("expx", exp(x)),
]


@pytest.mark.parametrize(("text", "expected"), FUNCTIONS)
def test_functions_read_with_and_without_brackets(text: str, expected: sympy.Expr) -> None:
    assert_reads_as(text, expected)


PRECEDENCE = [
    ("-x^2", -(x**2)),
    ("e^x^2", exp(x**2)),
    ("2^3^2", sympy.Integer(512)),
    ("x^-2", x**-2),
    ("2^-x^2", 2 ** (-(x**2))),
    ("2x^2", 2 * x**2),
    ("x^2y", x**2 * y),
    ("e^2x", exp(2) * x),
    ("e^-x", exp(-x)),
    ("e^(2t)", exp(2 * t)),
    ("x**2", x**2),
    ("x^1/2", x / 2),
    ("1/2/3", Rational(1, 6)),
    ("2-3-4", sympy.Integer(-5)),
    ("--x", x),
    ("2*-3", sympy.Integer(-6)),
    ("x - -y", x + y),
    ("-x!", -factorial(x)),
    ("x!^2", factorial(x) ** 2),
    ("{x+1}^2", (x + 1) ** 2),
    ("[x+1]*2", 2 * (x + 1)),
]


@pytest.mark.parametrize(("text", "expected"), PRECEDENCE)
def test_precedence_is_as_mathematicians_expect(text: str, expected: sympy.Expr) -> None:
    assert_reads_as(text, expected)


NUMBERS = [
    ("0.5", Rational(1, 2)),
    (".5", Rational(1, 2)),
    ("0.1", Rational(1, 10)),
    ("1/3", Rational(1, 3)),
    ("1e-3", Rational(1, 1000)),
    ("2.5e6", sympy.Integer(2500000)),
    ("2E3", sympy.Integer(2000)),
    ("2e", 2 * E),
    ("2e x", 2 * E * x),
    ("2e-x", 2 * E - x),
    ("2e - 1", 2 * E - 1),
    ("007", sympy.Integer(7)),
    ("1" * 100, sympy.Integer(int("1" * 100))),
    ("1000!", factorial(1000)),
    ("10^3999", sympy.Integer(10) ** 3999),
    ("1^(10^100)", sympy.Integer(1)),
    ("(-8)^(1/3)", sympy.Integer(-2)),
    ("(-8)^(2/3)", sympy.Integer(4)),
    ("x^(10^6)", x ** (10**6)),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_numbers_are_exact(text: str, expected: sympy.Expr) -> None:
    assert parse(text) == expected


def test_decimal_gives_a_rational_not_a_float() -> None:
    assert isinstance(parse("0.25"), sympy.Rational)


UNICODE = [
    ("x²", x**2),
    ("x³ + x²", x**3 + x**2),
    ("x⁻¹", 1 / x),
    ("x¹⁰", x**10),
    ("eˣ", exp(x)),
    ("xⁿ", x**n),
    ("x⁽ⁿ⁺¹⁾", x ** (n + 1)),
    ("2·x", 2 * x),
    ("2×x", 2 * x),
    ("2⋅x", 2 * x),
    ("2∗x", 2 * x),
    ("x−1", x - 1),
    ("x–1", x - 1),
    ("6÷3", sympy.Integer(2)),
    ("θ + α", theta + alpha),
    ("x\u3000+\u00a0y", x + y),
    ("ｘ＋１", x + 1),
    ("x\u200b+1", x + 1),
]


@pytest.mark.parametrize(("text", "expected"), UNICODE)
def test_unicode_maths_is_read(text: str, expected: sympy.Expr) -> None:
    assert parse(text) == expected


LATEX = [
    ("\\frac{1}{2}x", x / 2),
    ("\\frac{x+1}{x-1}", (x + 1) / (x - 1)),
    ("\\sqrt{x}", sqrt(x)),
    ("\\sqrt[3]{x}", sympy.cbrt(x)),
    ("x \\cdot y", x * y),
    ("\\sin^2 \\theta", sin(theta) ** 2),
    ("\\left( x + 1 \\right)^2", (x + 1) ** 2),
    ("e^{-x^2}", exp(-(x**2))),
    ("\\alpha_1 + \\pi", symbol("alpha_1") + pi),
    ("\\left|x\\right|", Abs(x)),
]


@pytest.mark.parametrize(("text", "expected"), LATEX)
def test_pasted_latex_is_read(text: str, expected: sympy.Expr) -> None:
    assert parse(text) == expected


def test_symbols_are_real() -> None:
    parsed = parse("x")
    assert parsed.is_real is True and parsed != sympy.Symbol("x")


SYMPY_OUTPUTS = [
    x**2 * sin(x),
    2 * x * exp(x) + x**2 * exp(x),
    -sin(x) / (x + 1) ** 2 + cos(x) / (x + 1),
    sqrt(x) / 2 + log(x) / log(2),
    Abs(x) * sign(x) + ceiling(x) - floor(y),
    asin(x) + sympy.acosh(x) + sympy.asech(x),
    Max(0, x) + sympy.Heaviside(x),
    Rational(-3, 7) * x ** Rational(2, 3),
    E * x + pi * y - oo,
    logistic(x) * (1 - logistic(x)),
    factorial(n) * x ** (-n),
    symbol("x_1") * symbol("theta") + symbol("w2"),
]


@pytest.mark.parametrize("expected", SYMPY_OUTPUTS, ids=sympy.sstr)
def test_sympy_result_strings_read_back(expected: sympy.Expr) -> None:
    assert parse(sympy.sstr(expected)) == expected


ERRORS = [
    ("sin(x))", ParseError, 7, "unexpected ')' at column 7"),
    ("x*(y+1", ParseError, 3, "missing ')' for the '(' at column 3"),
    ("x +", ParseError, 4, "unexpected end of input after '+'"),
    ("2+3$", ParseError, 4, "unexpected character '$' at column 4"),
    ("(x]", ParseError, 3, "does not match"),
    ("|x", ParseError, 1, "missing '|'"),
    ("()", ParseError, 1, "empty brackets"),
    ("x,y", ParseError, 2, "unexpected ','"),
    ("*x", ParseError, 1, "unexpected '*'"),
    ("2 3", ParseError, 3, "two numbers in a row"),
    ("x^2 3", ParseError, 5, "two numbers in a row"),
    ("1.2.3", ParseError, 4, "two numbers in a row"),
    ("2.", ParseError, 2, "unexpected character '.'"),
    ("x?", ParseError, 2, "unexpected character '?'"),
    ("sin", ParseError, 1, "needs an argument"),
    ("sin + x", ParseError, 5, "needs an argument"),
    ("ln^-1 x", ParseError, 1, "ambiguous"),
    ("sin^x x", ParseError, 1, "positive whole power"),
    ("e2", ParseError, 1, "constant e"),
    ("sin_1", ParseError, 1, "cannot take a subscript"),
    ("x_", ParseError, 2, "unexpected character '_'"),
    ("\\foo x", ParseError, 1, "unknown LaTeX command"),
    ("sinn(x)", UnknownFunction, 1, "unknown function 'sinn' — did you mean sin?"),
    ("sine(x)", UnknownFunction, 1, "did you mean sin?"),
    ("2 cosx(y)", UnknownFunction, 3, "did you mean cos?"),
    ("sqr(x)", UnknownFunction, 1, "did you mean sqrt?"),
    ("{x for x in range(10)}", WordNotVariables, 4, "'for' at column 4 is a word"),
    ("2 xyz(1)", UnknownFunction, 3, "unknown function 'xyz'"),
    ("log(x, 2, 3)", WrongArity, 1, "log takes 1 or 2 arguments, got 3"),
    ("sin(x, y)", WrongArity, 1, "sin takes 1 argument, got 2"),
    ("sin()", WrongArity, 1, "sin takes 1 argument, got none"),
    ("max(x)", WrongArity, 1, "at least 2"),
    ("log2(x, 3)", WrongArity, 1, "log2 takes 1 argument"),
    ("1/0", Undefined, 2, "division by zero"),
    ("x/0", Undefined, 2, "division by zero"),
    ("x/(x-x)", Undefined, 2, "division by zero"),
    ("0^-1", Undefined, 2, "division by zero"),
    ("log(0)", Undefined, 1, "log(0) is undefined"),
    ("tan(pi/2)", Undefined, 1, "tan(pi/2) is undefined"),
    ("oo - oo", Undefined, 4, "undefined"),
    ("sin(oo)", Undefined, 1, "undefined"),
    ("(-1)!", Undefined, 5, "undefined"),
    ("log(x, 1)", Undefined, 1, "base"),
    ("sqrt(-1)", Undefined, 1, "sqrt(-1) is not a real number"),
    ("log(-2)", Undefined, 1, "not a real number"),
    ("asin(2)", Undefined, 1, "not a real number"),
    ("acsc(1/2)", Undefined, 1, "not a real number"),
    ("(-4)^(1/2)", Undefined, 5, "not a real number"),
    ("zoo", Undefined, 1, "'zoo'"),
    ("nan + 1", Undefined, 1, "'nan'"),
    ("1" * 101, InputTooLarge, 1, "more than 100 digits"),
    ("1e101", InputTooLarge, 1, "exponent"),
    ("9^9^9^9", InputTooLarge, 4, "digits"),
    ("10^10^10", InputTooLarge, 3, "digits"),
    ("(√2)^(10^6)", InputTooLarge, 5, "digits"),
    ("pi^(10^7)", InputTooLarge, 3, "digits"),
    ("(1/2)^100000", InputTooLarge, 6, "digits"),
    ("1000!^4", InputTooLarge, 6, "digits"),
    ("1001!", InputTooLarge, 5, "above 1000"),
    ("(7!)!", InputTooLarge, 5, "above 1000"),
    ("x^10^9", TooComplex, 2, "exponent"),
    ("x^(-10^9)", TooComplex, 2, "exponent"),
    ("(x^1000)^1001", TooComplex, 9, "exponent"),
    ("sqrt(7^900 + 1)", TooComplex, 1, "root"),
]


@pytest.mark.parametrize(("text", "error", "column", "message"), ERRORS)
def test_errors_have_code_column_and_message(
    text: str, error: type[CalcbotError], column: int, message: str
) -> None:
    with pytest.raises(error) as raised:
        parse(text)
    assert type(raised.value) is error
    assert raised.value.column == column
    assert message in raised.value.message


def test_equals_in_an_expression_points_to_check() -> None:
    with pytest.raises(ParseError) as raised:
        parse("x^2 = 4")
    assert raised.value.column == 5 and "/check" in (raised.value.hint or "")


def test_error_messages_carry_a_hint() -> None:
    with pytest.raises(UnknownFunction) as raised:
        parse("sinn(x)")
    assert raised.value.hint and "sin(" in raised.value.hint


def test_empty_input_is_its_own_error() -> None:
    for text in ("", "   ", "\t\n", "\u3000"):
        with pytest.raises(EmptyInput):
            parse(text)


def test_text_over_the_length_limit_is_refused() -> None:
    with pytest.raises(InputTooLarge):
        parse("x+" * (MAX_LENGTH // 2) + "x")


def test_text_at_the_length_limit_is_read() -> None:
    text = "+".join(["x"] * ((MAX_LENGTH + 1) // 2))
    assert len(text) <= MAX_LENGTH and parse(text) == len(text.split("+")) * x


def test_nesting_at_the_depth_limit_is_read() -> None:
    depth = MAX_DEPTH - 2
    assert parse("(" * depth + "x" + ")" * depth) == x


@pytest.mark.parametrize(
    "text",
    [
        "(" * 200 + "x" + ")" * 200,
        "|" * 300 + "x" + "|" * 300,
        "sin " * 200 + "x",
        "√" * 500 + "x",
        "2^" * 400 + "2",
        "x" + "!" * 500,
        "x" + "²" * 500,
        "-" * 900 + "x",
    ],
    ids=["parens", "bars", "functions", "roots", "powers", "factorials", "superscripts", "minus"],
)
def test_deep_nesting_is_refused_without_recursion_error(text: str) -> None:
    try:
        parse(text)
    except CalcbotError:
        return
    # Only a chain of signs may legitimately read (it collapses to one sign).
    assert text.startswith("-")


HOSTILE = [
    "__import__('os').system('ls')",
    "().__class__.__bases__",
    "().__class__.__bases__[0].__subclasses__()",
    "lambda: 0",
    'exec("1")',
    "eval('1+1')",
    "open('/etc/passwd').read()",
    "f'{x}'",
    "'%s' % x",
    "{0.__class__}",
    "x; import os",
    "x\x00",
    "\x00",
    "x.__class__",
    "sympify('x')",
    "$(rm -rf /)",
    "`ls`",
    "<script>alert(1)</script>",
    "x" * 1_000_000,
    "(" * 10_000 + ")" * 10_000,
    "9" * 999,
    "1e99999",
    "9^9^9^9^9",
    "2^2^2^2^2^2",
    "(1000!)!",
    "sin(" * 300 + "x" + ")" * 300,
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda s: repr(s[:30]))
def test_hostile_text_raises_a_calcbot_error(text: str) -> None:
    with pytest.raises(CalcbotError):
        parse(text)


@pytest.mark.parametrize("text", ["import os", "[x for x in y]"])
def test_code_made_of_words_is_refused_as_words(text: str) -> None:
    with pytest.raises(WordNotVariables):
        parse(text)


def test_errors_survive_pickling_with_their_column() -> None:
    with pytest.raises(ParseError) as raised:
        parse("sin(x))")
    copy = pickle.loads(pickle.dumps(raised.value))
    assert copy.column == 7 and copy.message == raised.value.message


# --- equations, lists, points, variables, assignments ----------------------------------------


def test_equation_returns_both_sides() -> None:
    assert parse_equation("x^2 + y^2 = 1") == (x**2 + y**2, sympy.Integer(1))


def test_equation_without_equals_is_refused() -> None:
    with pytest.raises(ParseError):
        parse_equation("x^2 + y^2")


def test_equation_with_two_equals_points_at_the_second() -> None:
    with pytest.raises(ParseError) as raised:
        parse_equation("x = y = 1")
    assert raised.value.column == 7


def test_equation_with_an_empty_side_is_refused() -> None:
    with pytest.raises(ParseError) as raised:
        parse_equation("= 1")
    assert raised.value.column == 1


LISTS = [
    ("[x^2, sin y, 3]", [x**2, sin(y), sympy.Integer(3)]),
    ("(a, b)", [a, b]),
    ("x^2, y", [x**2, y]),
    ("[x]", [x]),
    ("(x+1)", [x + 1]),
    ("x + 1", [x + 1]),
    ("(x+1)(x-1), 2", [(x + 1) * (x - 1), sympy.Integer(2)]),
    ("[log(x, 2), max(x, y)]", [log(x) / log(2), Max(x, y)]),
    ("x = 1", None),
]


@pytest.mark.parametrize(("text", "expected"), LISTS)
def test_lists_split_at_top_level_commas(text: str, expected: list[sympy.Expr] | None) -> None:
    if expected is None:
        with pytest.raises(ParseError):
            parse_list(text)
    else:
        assert parse_list(text) == expected


def test_bracketed_list_may_end_with_a_comma_as_sympy_prints_it() -> None:
    assert parse_list("[x, y,]") == [x, y] and parse_point("(0.5,)") == (Rational(1, 2),)


def test_bare_list_with_a_trailing_comma_is_refused() -> None:
    with pytest.raises(ParseError):
        parse_list("x, y,")


def test_doubled_comma_is_refused() -> None:
    with pytest.raises(ParseError):
        parse_list("[x,, y]")


def test_empty_list_is_refused() -> None:
    with pytest.raises(ParseError):
        parse_list("[]")


POINTS = [
    ("(1, 2)", (sympy.Integer(1), sympy.Integer(2))),
    ("1, 2", (sympy.Integer(1), sympy.Integer(2))),
    ("[1,2]", (sympy.Integer(1), sympy.Integer(2))),
    ("3", (sympy.Integer(3),)),
    ("pi/2", (pi / 2,)),
    ("(-1, 0.5, e)", (sympy.Integer(-1), Rational(1, 2), E)),
    ("(sqrt(2), 1/3)", (sqrt(2), Rational(1, 3))),
]


@pytest.mark.parametrize(("text", "expected"), POINTS)
def test_points_are_tuples_of_numbers(text: str, expected: tuple[sympy.Expr, ...]) -> None:
    assert parse_point(text) == expected


@pytest.mark.parametrize(("text", "column"), [("(1, y)", 5), ("x", 1), ("(1, oo)", 5)])
def test_point_with_a_symbol_or_infinity_is_a_bad_argument(text: str, column: int) -> None:
    with pytest.raises(BadArgument) as raised:
        parse_point(text)
    assert raised.value.column == column


VARIABLES = [
    ("x", x),
    (" t ", t),
    ("x1", symbol("x1")),
    ("x_1", symbol("x_1")),
    ("theta", theta),
    ("θ", theta),
    ("w₁", symbol("w_1")),
    ("i", i),
]


@pytest.mark.parametrize(("text", "expected"), VARIABLES)
def test_single_variable_names_are_read(text: str, expected: sympy.Symbol) -> None:
    assert parse_variable(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("xy", "reads as x·y"),
        ("e", "constant"),
        ("pi", "constant"),
        ("sin", "function"),
        ("2", "not a variable"),
        ("x+1", "not a variable"),
        ("$", "not a variable"),
        ("sinn(", "not a variable"),
    ],
)
def test_non_variables_are_bad_arguments(text: str, message: str) -> None:
    with pytest.raises(BadArgument) as raised:
        parse_variable(text)
    assert message in raised.value.message


def test_empty_variable_is_empty_input() -> None:
    with pytest.raises(EmptyInput):
        parse_variable("  ")


def test_assignments_read_in_order() -> None:
    found = parse_assignments("x = cos t, y = sin t")
    assert found == {x: cos(t), y: sin(t)} and list(found) == [x, y]


def test_assignments_accept_tight_spacing_and_numbers() -> None:
    assert parse_assignments("A=1, w=2") == {symbol("A"): 1, w: 2}


def test_assignment_values_may_contain_commas_inside_calls() -> None:
    assert parse_assignments("f = log(x, 2), g = 3") == {f: log(x) / log(2), symbol("g"): 3}


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("x = 1, x = 2", BadArgument),
        ("xy = 1", BadArgument),
        ("e = 1", BadArgument),
        ("sin = 1", BadArgument),
        ("x 1", ParseError),
        ("= 1", ParseError),
        ("x = 1 y = 2", ParseError),
        ("x = ", ParseError),
    ],
)
def test_malformed_assignments_are_refused(text: str, error: type[CalcbotError]) -> None:
    with pytest.raises(error):
        parse_assignments(text)


# --- the help text ---------------------------------------------------------------------------

_NO_ANSWER = {"I don't know"}
_NOT_EXPRESSIONS = {"+ - * /", "( ) [ ] { }", "*", "√",  # operators and brackets listed in prose
                    # words and prefixes the help says are read as words or stripped, not as maths
                    "about", "the", "at", "to", "wrt", "d/dx", "dy/dx"}


def test_notation_help_is_short_markdown() -> None:
    lines = NOTATION_HELP.strip().splitlines()
    assert 10 <= len(lines) <= 20 and lines[0].startswith("**")


def test_notation_help_states_the_implicit_multiplication_rule() -> None:
    assert "`1/2x`" in NOTATION_HELP and "½·x" in NOTATION_HELP and "`xy`" in NOTATION_HELP


def test_every_example_in_the_help_reads() -> None:
    spans = re.findall(r"`([^`]+)`", NOTATION_HELP)
    examples = [s for s in spans if s not in _NOT_EXPRESSIONS and not s.endswith("…")]
    assert len(examples) > 40
    for example in examples:
        if example.startswith("/") or example in _NO_ANSWER:
            continue  # a command, read by the command tests; words that point to /hint and /skip
        if example.startswith(("at ", "from ")):
            assert parse_point(example.split(" ", 1)[1]), example  # a point by name
            continue
        if "=" in example:  # a name before an answer: the name is taken off, the value reads
            value = strip_answer_name(example + " 1" if example.endswith("=") else example)
            assert value != example and parse_list(value), example
            continue
        try:
            parse(example)
        except CalcbotError as error:  # names listed without an argument, e.g. `sin cos tan`
            assert isinstance(error, ParseError) and "needs an argument" in error.message, example


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("e^2x", exp(2) * x),
        ("xy2", x * symbol("y2")),
        ("sin x^2", sin(x**2)),
        ("sin^2 x", sin(x) ** 2),
        ("sin^-1 x", asin(x)),
        ("2^3^2", sympy.Integer(2) ** 9),
        ("1e-3", Rational(1, 1000)),
        ("0.1", Rational(1, 10)),
    ],
)
def test_claims_in_the_help_hold(text: str, expected: sympy.Expr) -> None:
    assert text in NOTATION_HELP and parse(text) == expected


# --- invariants of the implementation --------------------------------------------------------


def test_columns_count_characters_of_the_original_text() -> None:
    with pytest.raises(ParseError) as raised:
        parse("θ² · ｘ + $")
    assert raised.value.column == 10


def test_every_function_name_has_a_builder() -> None:
    from bot.solver.functions import FUNCTIONS
    from bot.solver.vocabulary import CALL_ONLY_FUNCTIONS, FUNCTION_ALIASES

    assert {*FUNCTION_ALIASES.values(), *CALL_ONLY_FUNCTIONS.values()} <= set(FUNCTIONS)


def test_parser_source_never_evaluates_text() -> None:
    from pathlib import Path

    import bot.solver.leibniz
    import bot.solver.lexer
    import bot.solver.parser
    import bot.solver.vocabulary

    for module in (bot.solver.parser, bot.solver.lexer, bot.solver.leibniz, bot.solver.vocabulary):
        source = Path(str(module.__file__)).read_text()
        for forbidden in ("eval(", "exec(", "sympify", "parse_expr", "S("):
            assert forbidden not in source.replace(".evalf(", "."), (module.__name__, forbidden)
