"""How learners name what they write: ``f(x) =``, ``y =``, ``dy/dx =``, ``f'(x) =``, ``∂f/∂x =``,
``x₁ =``, ``λ =``, ``d/dx``, ``d²/dx²``, and the words of a learner who has no answer.

One place reads these, so ``/derive``, ``/answer``, ``/check`` and the lines of a learner's working
understand the same phrasings. The ``d/dVAR`` prefix of /derive and /check (``DVAR_PATTERN``) also
takes ``dy/dx`` and ``d/dx(…)``; :func:`leading_derivative` reads every other Leibniz form at the
start of a command (``d^2/dx^2``, ``d²y/dx²``, ``d2/dx2``, ``∂/∂y``, ``d/dθ``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.solver.leibniz import read_leibniz
from bot.solver.vocabulary import normalise

# d/dx, dy/dx, df/dt, d / d x — the group is the variable; "=" or "of" may follow.
DVAR_PATTERN = r"d\s*[A-Za-z]?\s*/\s*d\s*([A-Za-z][A-Za-z0-9_]*)(?:\s*(?:=|of\b))?"

# f(x) =, g(t) =, y =, u = … : names of functions, not unknowns like m or c (``m = 2, c = 1``).
_FUNCTION_NAME = re.compile(r"^\s*(?:[fghuvFGH]\s*\(\s*[A-Za-z](?:\s*,\s*[A-Za-z])*\s*\)|[yY])\s*=\s*(?=\S)")

# One name of a value: x, x1, x_1, x₁, x_{12}, λ, lambda, theta, χ², m.
_GREEK = "α-ωΑ-Ωϵϑϕϱς"
_VARIABLE = (
    rf"(?:alpha|beta|gamma|delta|epsilon|theta|lambda|mu|sigma|tau|phi|psi|omega|rho|eta|[A-Za-z{_GREEK}])"
    r"(?:_\{?[A-Za-z0-9]+\}?|[0-9]+|[₀-₉ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥ]+)?[²³]?"
)
# f'(x), y', f′′, y''(t): a derivative named with primes
_PRIME_NAME = rf"{_VARIABLE}\s*(?:'|′|’)+\s*(?:\(\s*[^()=]*\))?"
# f(x), g(x, y), L(w, b): a function named with its arguments
_CALL_NAME = rf"{_VARIABLE}\s*\(\s*{_VARIABLE}(?:\s*,\s*{_VARIABLE})*\s*\)"
# (x, y), [a, b]: the names of a point's coordinates
_TUPLE_NAME = rf"[(\[]\s*{_VARIABLE}(?:\s*,\s*{_VARIABLE})+\s*[)\]]"
_NAMED = re.compile(
    rf"^\s*(?:∇\s*)?(?:{_PRIME_NAME}|{_CALL_NAME}|{_TUPLE_NAME}|{_VARIABLE})\s*=(?!=)\s*(?=\S)"
)
_PRIME_ONLY = re.compile(rf"^\s*(?P<name>{_PRIME_NAME})\s*=(?!=)\s*(?=\S)")
_PRIMES = re.compile(r"'|′|’")


def strip_function_name(text: str) -> str:
    """``f(x) = x^2 sin x`` → ``x^2 sin x``; text without such a name is returned unchanged."""
    return _FUNCTION_NAME.sub("", text, count=1)


@dataclass(frozen=True)
class DerivativeName:
    """A derivative named before ``=``: ``dy/dx`` (variables ("x",)), ``f''(x)`` (order 2, variable
    unknown: None), ``∂²f/∂x∂y`` (("x", "y"))."""

    variables: tuple[str, ...] | None
    order: int
    rest: str  # the text after the ``=``


def derivative_name(text: str) -> DerivativeName | None:
    """``dy/dx = 2x``, ``f'(x) = 2x``, ``y'' = 6x``, ``∂f/∂x = 2xy``, ``d/dx = …``: the name and the rest."""
    source = normalise(text)
    start = len(source) - len(source.lstrip())
    if source[start : start + 1] in ("d", "∂"):
        found = read_leibniz(source, start)
        if found is not None:
            end, variables, _function = found
            after = source[end:].lstrip()
            if after.startswith("=") and not after.startswith("==") and after[1:].strip():
                return DerivativeName(tuple(variables), len(variables), after[1:].strip())
    match = _PRIME_ONLY.match(text)
    if match:
        order = len(_PRIMES.findall(match.group("name")))
        return DerivativeName(None, order, text[match.end():].strip())
    return None


def strip_answer_name(text: str) -> str:
    """An answer as learners write it, without the names: ``f'(x) = 2x``, ``dy/dx = 2x``, ``y = 2x``,
    ``x₁ = -1.45``, ``λ = 0.5`` → the value; ``∂χ²/∂m = 40, ∂χ²/∂c = 8`` and ``x = 1, y = 2`` → the
    values in order, ``40, 8``; ``(x, y) = (1, 2)`` → ``(1, 2)``."""
    parts = _top_level_parts(text)
    stripped = [_strip_one_name(part) for part in parts]
    if len(parts) > 1 and all(new is not None for new in stripped):
        return ", ".join(new for new in stripped if new is not None)
    if len(parts) > 1:
        return text
    alone = _strip_one_name(text)
    return alone if alone is not None else text


def _strip_one_name(part: str) -> str | None:
    """The value after one name (None if ``part`` has no name before a single ``=``)."""
    named = derivative_name(part)
    if named is not None:
        return named.rest
    match = _NAMED.match(part)
    if match is None:
        return None
    return part[match.end():].strip()


def _top_level_parts(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return parts


@dataclass(frozen=True)
class LeadingDerivative:
    """``d²/dx² x^3`` at the start of a command: the variables in order (("x", "x")) and the rest."""

    variables: tuple[str, ...]
    rest: str

    @property
    def order(self) -> int:
        return len(self.variables)


def leading_derivative(text: str) -> LeadingDerivative | None:
    """A Leibniz operator starting ``text`` and followed by what it differentiates, else None."""
    source = normalise(text)
    start = len(source) - len(source.lstrip())
    if source[start : start + 1] not in ("d", "∂"):
        return None
    found = read_leibniz(source, start)
    if found is None:
        return None
    end, variables, _function = found
    rest = text[end:].strip()
    if rest.startswith("of "):
        rest = rest[3:].strip()
    if not rest or rest.startswith("=") or not applies_to_all(rest):
        return None
    return LeadingDerivative(tuple(variables), rest)


# a power on the bracket: ^5, ^-1, ^(n+1), ^{2}, ⁵
_POWER_TAIL = re.compile(r"^\s*(?:\^\s*(?:-?\s*[0-9A-Za-z.]+|\([^()]*\)|\{[^{}]*\})|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)")


def applies_to_all(rest: str) -> bool:
    """Whether an operator before ``rest`` differentiates all of it (up to a top-level ``=``): the
    whole first term, as a textbook reads it. A bracket right after it (with any power on it) is the
    operand alone only when a new term follows — ``d/dx(x^2) + 1 = 2x + 1`` is (d/dx x²) + 1 — while
    ``d/dx (x^2+1)^5`` and ``d/dx (x + 5) e^(5x)`` are whole (the product is one term)."""
    body = rest.lstrip()
    if body[:1] not in ("(", "["):
        return True
    close = closing_bracket(body)
    if close < 0:
        return True
    following = _POWER_TAIL.sub("", body[close + 1 :], count=1).lstrip()
    return not following.startswith(("+", "-", "−"))


_OPEN, _CLOSE = "([{", ")]}"


def closing_bracket(text: str) -> int:
    """The index of the bracket closing the one ``text`` starts with (any of ([{ nesting), or -1."""
    depth = 0
    for index, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth == 0:
                return index
    return -1


# "I don't know", "idk", "no idea": a learner with no answer wants a way on, not a parse error.
_NO_ANSWER = re.compile(
    r"^\s*(?:i\s*(?:do\s*n[o']?t|dont|don’t)\s*know|idk|dunno|no\s*idea|not\s*sure|i'?m\s*stuck|stuck|"
    r"i\s*give\s*up|give\s*up|help|\?+|no\s*clue|i\s*have\s*no\s*idea)\W*$",
    re.IGNORECASE,
)


def is_no_answer(text: str) -> bool:
    """``I don't know``, ``idk``, ``no idea``, ``?``: words of a learner who has no answer yet."""
    return bool(_NO_ANSWER.match(text))


def is_working(text: str) -> bool:
    """More than one ``=`` at the top level, or more than one line: a chain, not a single claim."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) > 1 or len(split_equals(text)) > 2


def split_equals(text: str) -> list[str]:
    """Split at each ``=`` outside brackets (``<=``, ``>=``, ``!=``, ``==`` are not links)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif char == "=" and depth == 0:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if (before and before in "<>!=") or after == "=":
                continue
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts
