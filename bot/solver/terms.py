"""A sum as the learner wrote it, term by term, and which of their terms are right.

``typed_terms("x^2 + 3x")`` gives each term with the learner's own text, in their order (SymPy
sorts the terms of a sum, so the order must come from the text). ``compare_terms`` matches those
terms with the terms of the right answer, so feedback can say "your x^2 is right; your 3x should
be 6x" instead of only naming a point where the two values differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import sympy

from bot.errors import CalcbotError
from bot.solver.construction import finished
from bot.solver.grammar import Parser
from bot.solver.lexer import tokenize
from bot.solver.tokens import Kind, Token

_OPERAND_ENDS = (Kind.NUMBER, Kind.VARIABLE, Kind.CONSTANT, Kind.CLOSE, Kind.SUPERSCRIPT)
_MAX_TERMS = 12
_MAX_OPS = 60  # terms beyond this size are compared by expansion only, never simplified


@dataclass(frozen=True, slots=True)
class TypedTerm:
    text: str  # as typed, sign included and inner spaces after it dropped: "-3x", "sin x"
    expr: sympy.Expr


@dataclass(frozen=True, slots=True)
class TermComparison:
    right: list[TypedTerm] = field(default_factory=list)
    wrong: list[tuple[TypedTerm, sympy.Expr]] = field(default_factory=list)  # yours, what it should be
    extra: list[TypedTerm] = field(default_factory=list)
    missing: list[sympy.Expr] = field(default_factory=list)

    @property
    def helpful(self) -> bool:
        """Worth saying: some term is right or a wrong one has a clear counterpart — and the terms
        line up (terms both left over and missing mean the two sums are grouped differently)."""
        return bool(self.right or self.wrong) and not (self.extra and self.missing)


def typed_terms(text: str, tokens: list[Token] | None = None) -> list[TypedTerm] | None:
    """The top-level terms of ``text`` in the order typed, or None when it is not a plain sum
    (absolute-value bars, which make the split ambiguous, or a term that does not read alone).
    ``tokens``, when the caller has just read ``text`` into them, saves reading it again: each term is
    then parsed from its own run of them, the tokens its text alone would give."""
    read_again = tokens is None
    if tokens is None:
        try:
            tokens = tokenize(text)
        except CalcbotError:
            return None
    if any(token.kind is Kind.BAR for token in tokens):
        return None
    cuts, depth = [0], 0
    for index, token in enumerate(tokens[:-1]):
        if token.kind is Kind.OPEN:
            depth += 1
        elif token.kind is Kind.CLOSE:
            depth -= 1
        elif (
            depth == 0
            and index > 0
            and token.kind is Kind.OPERATOR
            and token.name in ("+", "-")
            and (tokens[index - 1].kind in _OPERAND_ENDS or tokens[index - 1].name in ("!", "!!"))
        ):
            cuts.append(index)
    if len(cuts) > _MAX_TERMS:
        return None
    ends = [*cuts[1:], len(tokens) - 1]
    terms = []
    for start, end in zip(cuts, ends, strict=True):
        first, last = tokens[start], tokens[end - 1]
        piece = text[first.column - 1 : last.column - 1 + len(last.text)].strip()
        try:
            expr = _read_term(piece) if read_again else _read_term_tokens([*tokens[start:end], tokens[-1]])
        except CalcbotError:
            return None
        shown = piece.lstrip("+").strip()
        if shown.startswith("-"):
            shown = "-" + shown[1:].lstrip()
        terms.append(TypedTerm(shown, expr))
    return terms


def _read_term(text: str) -> sympy.Expr:
    return _read_term_tokens(tokenize(text))


def _read_term_tokens(tokens: list[Token]) -> sympy.Expr:
    parser = Parser(tokens)
    expr = parser.expression()
    parser.expect_end()
    return finished(expr)


# --- the learner's order, kept for printing ----------------------------------------------------

_TYPED: ContextVar[dict[sympy.Expr, list[sympy.Expr]] | None] = ContextVar("calcbot_typed_order", default=None)


@contextmanager
def keeping_typed_order() -> Iterator[None]:
    """While open (``bot/guard.py`` opens it around every worker job), each sum the parser reads is
    remembered with its terms in the order typed, and the learner-notation printer writes it so."""
    token = _TYPED.set({})
    try:
        yield
    finally:
        _TYPED.reset(token)


def record_typed_order(text: str, expr: sympy.Expr, tokens: list[Token] | None = None) -> None:
    """Called by the parser on each text it reads (a no-op outside the scope or for a single term);
    ``tokens``: the text as the parser has just read it, if it is the whole text."""
    orders = _TYPED.get()
    if orders is None or not isinstance(expr, sympy.Add) or expr in orders:
        return
    terms = typed_terms(text, tokens)
    if terms is None or len(terms) < 2:
        return
    typed = [term.expr for term in terms]
    if sympy.Add(*typed) == expr:  # exactly these terms, not merged or cancelled
        orders[expr] = typed


def typed_order(expr: sympy.Expr) -> list[sympy.Expr] | None:
    """The terms of ``expr`` in the order the learner typed them, if it is a sum they typed."""
    orders = _TYPED.get()
    return None if not orders else orders.get(expr)


def compare_terms(text: str, given: sympy.Expr, expected: sympy.Expr) -> TermComparison | None:
    """Match the learner's terms (``text``, read as ``given``) with the answer's; None when either
    side is a single term or the learner's text does not split cleanly."""
    terms = typed_terms(text)
    if terms is None or len(terms) < 2 or not _same(sympy.Add(*(t.expr for t in terms)), given):
        return None
    return compare_typed_terms(terms, expected)


def compare_typed_terms(terms: list[TypedTerm], expected: sympy.Expr) -> TermComparison | None:
    """``compare_terms`` for terms already split. A learner who wrote powers of (x − a) (a Taylor
    polynomial about a) has the answer's terms in powers of (x − a) too, matched power by power."""
    if len(terms) < 2:
        return None
    shifted = _in_powers_of_a_shift(terms, expected)
    if shifted is not None:
        return _compare_by_power(terms, *shifted)
    wanted = list(sympy.Add.make_args(expected))
    if len(wanted) < 2:
        wanted = list(sympy.Add.make_args(sympy.expand(expected)))
    if len(wanted) < 2 or len(wanted) > _MAX_TERMS:
        return None
    result = TermComparison()
    unmatched: list[TypedTerm] = []
    for term in terms:
        match = next((w for w in wanted if _same(term.expr, w)), None)
        if match is None:
            unmatched.append(term)
        else:
            wanted.remove(match)
            result.right.append(term)
    still: list[TypedTerm] = []
    for term in unmatched:  # same shape, another number: 3x for 6x, -sin x for sin x
        shape = _shape(term.expr)
        match = next((w for w in wanted if _shape(w) == shape), None)
        if match is None:
            still.append(term)
        else:
            wanted.remove(match)
            result.wrong.append((term, match))
    if len(still) == 1 and len(wanted) == 1:  # one term each way left over: that one is wrong
        result.wrong.append((still.pop(), wanted.pop()))
    result.extra.extend(still)
    result.missing.extend(wanted)
    result.wrong.sort(key=lambda pair: terms.index(pair[0]))
    return result


def _shift_power(term: sympy.Expr) -> tuple[sympy.Symbol, sympy.Expr, int] | None:
    """(x, a, k) when ``term`` is c·(x − a)^k for one variable x and a number a (k ≥ 1; a = 0 for c·x^k)."""
    free = [s for s in term.free_symbols if isinstance(s, sympy.Symbol)]
    if len(free) != 1:
        return None
    (x,) = free
    try:
        poly = sympy.Poly(term, x)
    except sympy.PolynomialError:
        return None
    k = poly.degree()
    if k < 1 or poly.domain.is_EX or any(c.free_symbols for c in poly.all_coeffs()):
        return None
    lead = poly.LC()
    a = -poly.coeff_monomial(x ** (k - 1)) / (k * lead)
    if sympy.expand(lead * (x - a) ** k - term) != 0:
        return None
    return x, a, k


def _in_powers_of_a_shift(
    terms: list[TypedTerm], expected: sympy.Expr
) -> tuple[sympy.Symbol, sympy.Expr, dict[int, tuple[sympy.Expr, sympy.Expr]]] | None:
    """The answer as {k: its (x − a)^k term}, when every varying term the learner wrote is a power
    of one shift (x − a) (a = 0: powers of x) and the answer is a polynomial: then a term is only
    ever compared with the answer's term of the same power."""
    found = [_shift_power(term.expr) for term in terms if term.expr.free_symbols]
    if not found or any(f is None for f in found):
        return None
    shifts = {(f[0], f[1]) for f in found if f is not None}
    if len(shifts) != 1:
        return None
    ((x, a),) = shifts
    t = sympy.Dummy("t")
    try:
        poly = sympy.Poly(sympy.expand(expected.xreplace({x: t + a})), t)
    except sympy.PolynomialError:
        return None
    if any(c.has(x) for c in poly.all_coeffs()):
        return None
    wanted = {k: (c * (x - a) ** k, _shift_term(c, x - a, k)) for (k,), c in poly.terms() if c != 0}
    return x, a, wanted


def _compare_by_power(
    terms: list[TypedTerm], x: sympy.Symbol, a: sympy.Expr, wanted: dict[int, tuple[sympy.Expr, sympy.Expr]]
) -> TermComparison:
    """Each of the learner's terms against the answer's term of the same power of (x − a) (each
    wanted entry is the term's value and its form for showing)."""
    result = TermComparison()
    for term in terms:
        found = _shift_power(term.expr)
        k = 0 if found is None else found[2]
        if k not in wanted:
            result.extra.append(term)
        elif _same(term.expr, wanted[k][0]):
            result.right.append(term)
            del wanted[k]
        else:
            result.wrong.append((term, wanted.pop(k)[1]))
    result.missing.extend(shown for _, shown in wanted.values())
    return result


def _shift_term(c: sympy.Expr, shift: sympy.Expr, k: int) -> sympy.Expr:
    """c·(x − a)^k kept in that form (SymPy would multiply a number into the sum: 2(x − 1) → 2x − 2)."""
    from bot.solver.learner_notation import learner_text  # it reads typed orders from here

    if k == 0:
        return c
    if shift.is_Symbol:
        return c * shift**k
    return c * sympy.Symbol(f"({learner_text(shift)})") ** k  # for showing only, never computed with


def _shape(term: sympy.Expr) -> sympy.Expr:
    """A term without its numeric factor: 3x and -6x share the shape x."""
    _, rest = term.as_coeff_Mul()
    return rest


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    difference = a - b
    if difference == 0 or sympy.expand(difference) == 0:
        return True
    if sympy.count_ops(difference) > _MAX_OPS:
        return False
    return bool(sympy.simplify(difference) == 0)


def ordered_like(expr: sympy.Expr, references: list[sympy.Expr]) -> list[sympy.Expr]:
    """The terms of ``expr`` in the order of ``references`` (the learner's terms, or what each
    became): a term goes where the first reference containing it stands; others go last."""
    terms = list(sympy.Add.make_args(expr))
    pieces = [set(sympy.Add.make_args(sympy.expand(reference))) | {reference} for reference in references]

    def place(term: sympy.Expr) -> int:
        for index, found in enumerate(pieces):
            if term in found or sympy.expand(term) in found:
                return index
        return len(pieces)

    return sorted(terms, key=place)  # stable: SymPy's order within one place

