"""Domain errors shared by every layer.

This module is a leaf: the solver, plotting, the store and the core may all import it, and it
imports nothing of ours. Each error carries a stable ``code`` (part of the public JSON contract)
and a message written for the learner, saying how to fix the input where we can.
"""

from __future__ import annotations

from typing import ClassVar


class CalcbotError(Exception):
    """An error whose message is safe and useful to show to the user."""

    code: ClassVar[str] = "error"

    def __init__(self, message: str, *, hint: str | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.column = column

    def __reduce__(self):  # keep errors picklable across the worker-process boundary
        return (_rebuild, (type(self), self.message, self.hint, self.column))

    def user_message(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


def _rebuild(cls: type[CalcbotError], message: str, hint: str | None, column: int | None):
    return cls(message, hint=hint, column=column)


class ParseError(CalcbotError):
    """The text is not a well-formed expression; ``column`` (1-based) points at the problem."""

    code = "parse"


class UnknownFunction(ParseError):
    code = "unknown_function"


class EmptyInput(CalcbotError):
    code = "empty_input"


class InputTooLarge(CalcbotError):
    """Refused before computing: too long, too deeply nested, or numbers too big."""

    code = "input_too_large"


class TooComplex(CalcbotError):
    """Refused or abandoned: the work would be too big (huge exponents, orders, memory)."""

    code = "too_complex"


class Timeout(TooComplex):
    code = "timeout"


class Undefined(CalcbotError):
    """Mathematically undefined input, e.g. division by zero."""

    code = "undefined"


class WrongArity(CalcbotError):
    """A function was given the wrong number of arguments."""

    code = "arity"


class BadArgument(CalcbotError):
    """An option is out of range or of the wrong kind (negative order, ``wrt`` a non-variable)."""

    code = "bad_argument"


class AmbiguousVariable(CalcbotError):
    """Several variables and no ``wrt``: we ask rather than guess."""

    code = "ambiguous_variable"


class NoConvergence(CalcbotError):
    """An iteration (Newton, descent, a fit) diverged or did not settle."""

    code = "no_convergence"


class NoSolution(CalcbotError):
    code = "no_solution"


class UsageError(CalcbotError):
    """The command's arguments do not match its usage line."""

    code = "usage"


class UnknownCommand(CalcbotError):
    code = "unknown_command"


class NumberTooLarge(CalcbotError):
    """A number left exact arithmetic for floating point and did not fit (beyond about 1.8e308)."""

    code = "number_too_large"


class CannotEvaluate(CalcbotError):
    """SymPy, numpy or mpmath failed on this input in a way of their own: an honest answer, not a bug report."""

    code = "cannot_evaluate"


class WordNotVariables(ParseError):
    """A run of letters that is a word (``about``, ``at``), not a product of one-letter variables."""

    code = "word"


class Forbidden(CalcbotError):
    """The asker lacks the permission this needs (the platform's own notion of admin)."""

    code = "forbidden"


class Duplicate(CalcbotError):
    """Something that may happen once was tried again (a second answer to the daily question)."""

    code = "duplicate"


class Unavailable(CalcbotError):
    """A service the answer needs (the database, the calculation workers) is away for a moment: nothing
    was lost, try again."""

    code = "unavailable"

    MESSAGE: ClassVar[str] = "progress is unavailable for a moment; nothing was lost, try again shortly."

    def __init__(self, message: str = MESSAGE, *, hint: str | None = None, column: int | None = None):
        super().__init__(message, hint=hint, column=column)
