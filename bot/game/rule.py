"""Mode 2's step rule: a tiny language in J (2×1 gradient), H (2×2 Hessian) and f (depth).

A dedicated tokenizer and recursive-descent parser build a tree of tuples (picklable, so it can be
sent to a worker); its shape is checked without any numbers — the rule must give a 2-vector — and it
is then evaluated with numpy at each step. User text is never evaluated as Python.

Grammar::

    sum     := product (('+' | '-') product)*
    product := unary (('*' | '/') unary)*
    unary   := ('-' | '+') unary | power
    power   := postfix ('^' unary)?          # right-associative; X^T is the transpose
    postfix := atom ("'")*                    # J' is the transpose too
    atom    := NUMBER | J | H | f | I | NAME '(' sum ')' | '(' sum ')'
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from bot.errors import BadArgument, ParseError

MAX_RULE_LENGTH = 200
MAX_NODES = 100
FUNCTIONS = ("inv", "transpose", "T", "norm", "sqrt", "abs", "exp", "det")
VARIABLES = {"J": (2, 1), "H": (2, 2), "f": (1, 1), "I": (2, 2)}
EXAMPLES = "`-0.2*J`, `-inv(H)*J`, `-inv(H + 2*I)*J`, `-J/norm(J)`"

Node = tuple[Any, ...]
Shape = tuple[int, int]

_TOKEN = re.compile(r"\s*(?:(?P<number>\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z]+)"
                    r"|(?P<op>\*\*|[-+*/^()']))")


def _tokens(text: str) -> list[tuple[str, str, int]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            column = position + len(text[position:]) - len(text[position:].lstrip()) + 1
            raise ParseError(f"unexpected '{text[column - 1]}' at column {column} of the rule",
                             hint=f"A rule uses J, H, f, I, numbers, + - * / ^, brackets and {', '.join(FUNCTIONS)}: "
                                  f"e.g. {EXAMPLES}.", column=column)
        kind = match.lastgroup or "op"
        value = match.group(kind)
        tokens.append((kind, "^" if value == "**" else value, match.start(kind) + 1))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.at = 0
        self.nodes = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise ParseError("the rule ends too early" + (f": expected '{value}'" if value else ""),
                             hint=f"e.g. {EXAMPLES}")
        if value is not None and token[1] != value:
            raise ParseError(f"expected '{value}' at column {token[2]} of the rule, found '{token[1]}'", column=token[2])
        self.at += 1
        return token

    def node(self, *parts: Any) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise BadArgument(f"the rule is too long (at most {MAX_NODES} parts)")
        return parts

    def parse(self) -> Node:
        tree = self.sum()
        token = self.peek()
        if token is not None:
            raise ParseError(f"unexpected '{token[1]}' at column {token[2]} of the rule", column=token[2],
                             hint="Write products with '*', e.g. `-0.5*inv(H)*J`.")
        return tree

    def sum(self) -> Node:
        tree = self.product()
        while (token := self.peek()) and token[1] in "+-" and token[0] == "op":
            self.take()
            tree = self.node(token[1], tree, self.product())
        return tree

    def product(self) -> Node:
        tree = self.unary()
        while (token := self.peek()) and token[1] in ("*", "/"):
            self.take()
            tree = self.node(token[1], tree, self.unary())
        return tree

    def unary(self) -> Node:
        token = self.peek()
        if token and token[1] in ("-", "+"):
            self.take()
            inner = self.unary()
            return self.node("neg", inner) if token[1] == "-" else inner
        return self.power()

    def power(self) -> Node:
        base = self.postfix()
        if (token := self.peek()) and token[1] == "^":
            self.take()
            after = self.peek()
            if after and after[1] == "T" and (self.at + 1 >= len(self.tokens) or self.tokens[self.at + 1][1] != "("):
                self.take()
                return self.node("transpose", base)
            return self.node("^", base, self.unary())
        return base

    def postfix(self) -> Node:
        tree = self.atom()
        while (token := self.peek()) and token[1] == "'":
            self.take()
            tree = self.node("transpose", tree)
        return tree

    def atom(self) -> Node:
        kind, value, column = self.take()
        if kind == "number":
            return self.node("number", float(value))
        if value == "(":
            inner = self.sum()
            self.take(")")
            return inner
        if kind == "name":
            if value in VARIABLES:
                return self.node("var", value)
            if value in FUNCTIONS:
                self.take("(")
                inner = self.sum()
                self.take(")")
                return self.node("transpose" if value == "T" else value, inner)
            raise ParseError(f"unknown name '{value}' at column {column} of the rule", column=column,
                             hint=f"Use J (gradient), H (Hessian), f (depth), I (identity) and {', '.join(FUNCTIONS)}.")
        raise ParseError(f"unexpected '{value}' at column {column} of the rule", column=column, hint=f"e.g. {EXAMPLES}")


def _shape(tree: Node) -> Shape:
    """The shape the rule gives, found without numbers; 1×1 counts as a scalar."""
    op = tree[0]
    if op == "number":
        return (1, 1)
    if op == "var":
        return VARIABLES[tree[1]]
    if op == "neg":
        return _shape(tree[1])
    if op == "transpose":
        rows, cols = _shape(tree[1])
        return (cols, rows)
    if op in ("inv", "det"):
        inner = _shape(tree[1])
        if inner[0] != inner[1]:
            raise BadArgument(f"{op}() needs a square matrix, but its argument is {_name(inner)}")
        return inner if op == "inv" else (1, 1)
    if op == "norm":
        _shape(tree[1])
        return (1, 1)
    if op in ("sqrt", "abs", "exp"):
        if _shape(tree[1]) != (1, 1):
            raise BadArgument(f"{op}() takes a number, but its argument is {_name(_shape(tree[1]))}")
        return (1, 1)
    left, right = _shape(tree[1]), _shape(tree[2])
    if op in "+-":
        if left != right and (1, 1) not in (left, right):
            raise BadArgument(f"cannot {'add' if op == '+' else 'subtract'} {_name(left)} and {_name(right)}")
        if left != right:
            raise BadArgument(f"cannot {'add' if op == '+' else 'subtract'} a number and {_name(max(left, right))}",
                              hint="Use I for the identity, e.g. `inv(H + 2*I)`.")
        return left
    if op == "*":
        if (1, 1) in (left, right):
            return right if left == (1, 1) else left
        if left[1] != right[0]:
            raise BadArgument(f"cannot multiply {_name(left)} by {_name(right)}: the inner sizes differ",
                              hint="J is a column 2×1, H is 2×2: `H*J` is a 2-vector, `J*H` is not.")
        return (left[0], right[1])
    if op == "/":
        if right != (1, 1):
            raise BadArgument(f"cannot divide by {_name(right)}", hint="Use inv(H) to divide by a matrix.")
        return left
    if op == "^":
        if right != (1, 1):
            raise BadArgument("a power must be a number")
        if left != (1, 1):
            if left[0] != left[1] or tree[2][0] not in ("number", "neg"):
                raise BadArgument(f"cannot raise {_name(left)} to a power", hint="Only a square matrix has powers, e.g. H^-1.")
        return left
    raise AssertionError(op)


def _name(shape: Shape) -> str:
    return {(1, 1): "a number", (2, 1): "a 2-vector (2×1)", (1, 2): "a row vector (1×2)",
            (2, 2): "a 2×2 matrix"}.get(shape, f"a {shape[0]}×{shape[1]} matrix")


def compile_rule(text: str) -> Node:
    """Parse and check a step rule; it must give a 2-vector δ (the step from where the player stands)."""
    text = text.strip()
    if not text:
        raise ParseError("the rule is empty", hint=f"e.g. {EXAMPLES}")
    if len(text) > MAX_RULE_LENGTH:
        raise BadArgument(f"the rule is too long (at most {MAX_RULE_LENGTH} characters)")
    tree = _Parser(text).parse()
    shape = _shape(tree)
    if shape != (2, 1):
        raise BadArgument(f"the rule `{text}` gives {_name(shape)}, but a step must be a 2-vector (2×1)",
                          hint=f"A step moves you in x and y: e.g. {EXAMPLES}.")
    return tree


class RuleBreakdown(ArithmeticError):
    """The rule gave no usable number (a singular matrix, division by zero, an overflow)."""


def evaluate(tree: Node, J: np.ndarray, H: np.ndarray, f: float) -> np.ndarray:
    """The step the rule gives at one point (a 2×1 array); raises RuleBreakdown when it has none."""
    with np.errstate(all="raise", under="ignore"):  # an underflow to 0 is harmless
        try:
            value = _value(tree, {"J": J.reshape(2, 1), "H": H, "f": np.array([[f]]), "I": np.eye(2)})
        except (FloatingPointError, np.linalg.LinAlgError, ZeroDivisionError, OverflowError) as exc:
            raise RuleBreakdown(str(exc)) from None
    if not np.all(np.isfinite(value)):
        raise RuleBreakdown("not finite")
    return value.reshape(2, 1)


def _value(tree: Node, env: dict[str, np.ndarray]) -> np.ndarray:
    op = tree[0]
    if op == "number":
        return np.array([[tree[1]]])
    if op == "var":
        return env[tree[1]]
    if op == "neg":
        return -_value(tree[1], env)
    inner = _value(tree[1], env)
    if op == "transpose":
        return inner.T
    if op == "inv":
        if inner.shape == (1, 1):
            return 1.0 / inner
        if abs(np.linalg.det(inner)) < 1e-12 * max(1.0, float(np.abs(inner).max()) ** 2):
            raise np.linalg.LinAlgError("singular matrix")
        return np.linalg.inv(inner)
    if op == "det":
        return np.array([[np.linalg.det(inner)]])
    if op == "norm":
        return np.array([[np.linalg.norm(inner)]])
    if op == "sqrt":
        if inner[0, 0] < 0:
            raise FloatingPointError("square root of a negative number")
        return np.sqrt(inner)
    if op == "abs":
        return np.abs(inner)
    if op == "exp":
        return np.exp(inner)
    other = _value(tree[2], env)
    if op == "+":
        return inner + other
    if op == "-":
        return inner - other
    if op == "*":
        return inner * other if (1, 1) in (inner.shape, other.shape) else inner @ other
    if op == "/":
        return inner / other
    if op == "^":
        exponent = float(other[0, 0])
        if inner.shape == (1, 1):
            return np.power(inner, exponent)
        if exponent != int(exponent) or abs(exponent) > 8:
            raise FloatingPointError("a matrix power must be a whole number from -8 to 8")
        base = np.linalg.inv(inner) if exponent < 0 else inner
        return np.linalg.matrix_power(base, int(abs(exponent)))
    raise AssertionError(op)

