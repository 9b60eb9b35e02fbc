"""No SymPy spellings in anything a learner reads (issue 23; a claim is echoed as typed, so the
claims here are typed in the course notation): across every command family and the
quiz's questions, hints and worked solutions, the text says arctan, e^x, ln, |x|, never atan,
exp(…), log(…), Abs(…), sign(…), Heaviside, Matrix([[…]]) or a 15-digit float."""

from __future__ import annotations

import re

import pytest

from content.catalog import curriculum
from content.generate import generate_from

SPELLINGS = {
    "an inverse trig function without arc": re.compile(r"(?<![A-Za-z])a(?:sin|cos|tan|sec|csc|cot)h?\("),
    "exp(…)": re.compile(r"(?<![A-Za-z])exp\("),
    "log(…) for ln": re.compile(r"(?<![A-Za-z_])log\("),
    "Abs(…)": re.compile(r"Abs\("),
    "sign(…)": re.compile(r"(?<![A-Za-z])sign\("),
    "Heaviside": re.compile(r"Heaviside"),
    "DiracDelta": re.compile(r"DiracDelta"),
    "Matrix([[…]])": re.compile(r"Matrix\(\["),
    "** for a power": re.compile(r"\w\*\*\w"),
    "SymPy's I": re.compile(r"\d\*I\b"),
}
_FLOAT = re.compile(r"(?<![\w.])(\d+\.\d+)(?:e[+-]?\d+)?")
MOST_FIGURES = 8  # figures a decimal in a reply may have; 15-digit floats are SymPy's, not a tutor's


def problems(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        for name, pattern in SPELLINGS.items():
            if pattern.search(line):
                found.append(f"{name}: {line.strip()}")
        for number in _FLOAT.findall(line):
            figures = len(number.replace(".", "").lstrip("0"))
            if figures > MOST_FIGURES:
                found.append(f"a {figures}-figure decimal: {line.strip()}")
    return found


COMMANDS = (
    "/derive x atan x", "/derive e^(x^2) sin x", "/derive ln|x|", "/derive |x^2 - 1|", "/derive relu(x)",
    "/derive asin(2x) + acos x", "/derive 2^x log_2(x)", "/derive cbrt x", "/derive 4/x", "/derive 1/x^2",
    "/derive x^x", "/derive sigmoid(x)", "/derive tanh(x) atanh(x)", "/derive e^-x order 3", "/derive ln x at 2",
    "/slope atan x at 1", "/slope e^x at 0", "/partial x^2 y^3 + e^(x y) wrt y", "/grad atan(x y) + |x|",
    "/grad e^(x y) at (1, 2)", "/jacobian [e^x y, ln(x y)]", "/hessian x^2 y^3 + e^(x y)",
    "/hessian e^(x y) at (0, 0)", "/chain e^(x y) with x = t^2, y = ln t wrt t", "/taylor atan x at 1 order 3",
    "/taylor e^x ln(1 + y) at (0, 0) order 2", "/newton x^2 - 2 from 1", "/newton cos x - x from 1",
    "/newton e^x - 3 from 1/2", "/stationary x^3 - 3x", "/stationary x^2 - y^2 + e^x",
    "/lagrange x y subject to x^2 + y^2 = 1", "/check d/dx e^(2x) = e^(2x)",
    "/check d/dx arctan(x) = 1/(1+x^2)", "/check d/dx ln|x| = 1/x", "/check |x| = sqrt(x^2)",
    "/check d/dx (x^2 + sin x) = 2x + sin x", "/descent x^2 + 3y^2 from (1, 1)", "/descent x^2 - y^2 from (0, 0)",
    "/plot atan x, e^x", "/fit a*e^(b x) data 0,1; 1,2.7; 2,7.4", "/backprop 2-2-1 sigmoid x=(0.5, 0.1) y=(1)",
    "/derive ln x at -1", "/slope ln x at -1",
)


async def test_no_command_shows_a_sympy_spelling(bot):
    found = {}
    for command in COMMANDS:
        reply = await bot.say(command)
        text = reply.text if reply.error is None else reply.error.message
        if bad := problems(text):
            found[command] = bad
    assert not found, found


def _generators() -> list[tuple[str, str]]:
    pairs = []
    for module in curriculum().modules:
        for topic in module.topics:
            pairs += [(topic.id, name) for name in topic.generators]
    return pairs


@pytest.mark.parametrize(("topic", "name"), _generators())
def test_no_question_hint_or_worked_solution_shows_a_sympy_spelling(topic, name):
    found = []
    for seed in range(6):
        question = generate_from(topic, name, seed)
        for text in (question.prompt, *question.hints, question.solution, *question.choices):
            found += problems(text)
    assert not found, found


def test_the_scan_finds_what_it_looks_for():
    for text in ("atan(x)", "exp(2*x)", "log(x)", "Abs(x)", "sign(x)/|x|", "Heaviside(x)", "Matrix([[1]])",
                 "x ≈ 1.41421356237310", "3.14159*I"):
        assert problems(text), text
    assert not problems("arctan(x) + e^(2x) + ln(x) + log_2(x) + |x| ≈ 1.4142136")
