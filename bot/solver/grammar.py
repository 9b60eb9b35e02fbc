"""The grammar: precedence climbing (a Pratt parser) over the lexer's tokens, building checked SymPy
objects as it goes. The reading rules are in ``bot/solver/parser.py``'s docstring and ``/help notation``.
"""

from __future__ import annotations

import sympy
from sympy.core.parameters import global_parameters

from bot.errors import InputTooLarge, ParseError, TooComplex, WrongArity
from bot.solver.construction import (
    MAX_SYMBOLIC_EXPONENT,
    brief,
    checked,
    checked_factorial,
    checked_power,
    checked_product,
    checked_quotient,
    evaluated,
    finished,
    numeric_checked,
)
from bot.solver.functions import FUNCTIONS, INVERSES, FunctionSpec
from bot.solver.lexer import tokenize
from bot.solver.tokens import Kind, Token
from bot.solver.variables import symbol

MAX_DEPTH = 60  # nested brackets, powers, functions; far below Python's recursion limit

_SUM = 10
_BARE_ARGUMENT = 15  # a function's argument without brackets: products, but not sums
_PRODUCT = 20  # *, / and implicit multiplication alike
_UNARY = 25
_POWER = 30
_POSTFIX = 40  # ! and superscripts

_CLOSERS = {"(": ")", "[": "]", "{": "}"}
_OPERAND_STARTS = frozenset(
    {Kind.NUMBER, Kind.VARIABLE, Kind.CONSTANT, Kind.FUNCTION, Kind.OPEN, Kind.BAR, Kind.ROOT, Kind.DERIVATIVE}
)


class Parser:
    """Precedence climbing over a token list; builds SymPy objects as it goes."""

    def __init__(self, tokens: list[Token], depth: int = 0, equation: bool = False):
        self.tokens = tokens
        self.pos = 0
        self.depth = depth
        self.bars_open = 0  # |…| pairs open in the current bracket level
        self.equation = equation

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind is not Kind.END:
            self.pos += 1
        return token

    # --- the Pratt loop --------------------------------------------------------------------

    def expression(self, right_power: int = 0, bare: bool = False) -> sympy.Expr:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise InputTooLarge(
                f"the expression is nested too deeply at column {self.peek().column} "
                f"(over {MAX_DEPTH} levels of brackets, powers or functions)",
                hint="simplify it, or split it into parts",
                column=self.peek().column,
            )
        try:
            left = self.prefix(self.advance())
            postfix_run = 0
            while True:
                token = self.peek()
                power = self.left_power(token, bare)
                if power <= right_power:
                    return left
                postfix_run = postfix_run + 1 if power == _POSTFIX else 0
                if postfix_run > MAX_DEPTH:
                    raise InputTooLarge(
                        f"too many '!' or powers in a row at column {token.column}",
                        hint="simplify the expression",
                        column=token.column,
                    )
                left = self.infix(left, token)
        finally:
            self.depth -= 1

    def left_power(self, token: Token, bare: bool) -> int:
        kind = token.kind
        if kind is Kind.OPERATOR:
            operator = token.name
            if operator in ("+", "-"):
                return _SUM
            if operator in ("*", "/"):
                return 0 if bare else _PRODUCT
            if operator == "^":
                return _POWER
            return _POSTFIX  # ! and the prime '

        if kind is Kind.SUPERSCRIPT:
            return _POSTFIX
        if kind in (Kind.NUMBER, Kind.VARIABLE, Kind.CONSTANT, Kind.OPEN):
            return _PRODUCT
        if kind in (Kind.FUNCTION, Kind.ROOT, Kind.DERIVATIVE):
            return 0 if bare else _PRODUCT
        if kind is Kind.BAR:
            return 0 if bare or self.bars_open else _PRODUCT
        return 0  # CLOSE, COMMA, EQUALS, END

    def prefix(self, token: Token) -> sympy.Expr:
        kind = token.kind
        if kind is Kind.NUMBER or kind is Kind.CONSTANT:
            assert token.value is not None
            return token.value
        if kind is Kind.VARIABLE:
            return symbol(token.name)
        if kind is Kind.OPEN:
            return self.group(token)
        if kind is Kind.BAR:
            return self.absolute_value(token)
        if kind is Kind.FUNCTION:
            return self.function(token)
        if kind is Kind.DERIVATIVE:
            return self.derivative(token)
        if kind is Kind.ROOT:
            assert token.value is not None
            operand = self.expression(_POWER - 1)
            return checked_power(operand, 1 / token.value, token.column)
        if kind is Kind.OPERATOR and token.name in ("+", "-"):
            negative = token.name == "-"
            while self.peek().kind is Kind.OPERATOR and self.peek().name in ("+", "-"):
                negative ^= self.advance().name == "-"
            operand = self.expression(_UNARY)
            return checked(-operand, token.column) if negative else operand
        raise self.unexpected(token, missing_operand=True)

    def infix(self, left: sympy.Expr, token: Token) -> sympy.Expr:
        column = token.column
        if token.kind is Kind.OPERATOR:
            self.advance()
            operator = token.name
            if operator == "+":
                return checked(left + self.expression(_SUM), column)
            if operator == "-":
                return checked(left - self.expression(_SUM), column)
            if operator == "*":
                return checked_product(left, self.expression(_PRODUCT), column)
            if operator == "/":
                return checked_quotient(left, self.expression(_PRODUCT), column)
            if operator == "^":
                return checked_power(left, self.expression(_POWER - 1), column)
            if operator == "'":
                return self.prime(left, token)
            return checked_factorial(left, column, double=operator == "!!")
        if token.kind is Kind.SUPERSCRIPT:
            self.advance()
            return checked_power(left, self.superscript(token), column)
        previous = self.tokens[self.pos - 1]
        if token.kind is Kind.NUMBER and previous.kind is Kind.NUMBER:
            raise ParseError(
                f"two numbers in a row at column {column}: '{previous.text}' then '{token.text}'",
                hint=f"put * between them for a product ({previous.text}*{token.text}), "
                "or remove the space if they are one number",
                column=column,
            )
        return checked_product(left, self.expression(_PRODUCT), column)

    # --- derivatives written in the expression ------------------------------------------------

    def derivative(self, token: Token) -> sympy.Expr:
        """``d/dx(…)``, ``d/dx …``, ``d²/dx² …``, ``∂/∂y (…)``: the derivative of what follows.

        Like a function: a bracket right after it, with any power on it, is its whole operand
        (``d/dx(x^2) e^x`` is (2x)·eˣ, ``d/dx (x^2+1)^5`` the derivative of the power); without one
        it takes the product after it, functions included, up to ``+``/``-``.
        """
        following = self.peek()
        if following.kind is Kind.OPEN:  # the bracket, with any power on it: d/dx (x^2+1)^5
            operand = self.group(self.advance())
            while self.peek().kind is Kind.SUPERSCRIPT or (
                self.peek().kind is Kind.OPERATOR and self.peek().name == "^"
            ):
                operand = self.infix(operand, self.peek())
        elif following.kind in _OPERAND_STARTS or (following.kind is Kind.OPERATOR and following.name == "-"):
            operand = self.expression(_BARE_ARGUMENT)
        else:
            named = f"{token.text.strip()} names the derivative of {token.word}" if token.word else (
                f"{token.text.strip()} at column {token.column} needs something to differentiate")
            raise ParseError(
                named,
                hint="write the expression after it, e.g. d/dx(x^2 sin x)",
                column=token.column,
            )
        return self.differentiated(operand, [symbol(name) for name in token.name.split(",")], token)

    def prime(self, left: sympy.Expr, token: Token) -> sympy.Expr:
        """``(x^2)'``: the derivative of the bracket before it, in x (or its only variable)."""
        before = self.tokens[self.pos - 2] if self.pos >= 2 else None
        if before is None or not (before.kind is Kind.CLOSE or (before.kind is Kind.OPERATOR and before.name == "'")):
            raise ParseError(
                f"a prime at column {token.column} needs a bracket before it: (x^2)'",
                hint="write (x^2)' or d/dx(x^2); for an answer f'(x) = … put the name first",
                column=token.column,
            )
        free = sorted((s for s in left.free_symbols if isinstance(s, sympy.Symbol)), key=lambda s: s.name)
        names = [s.name for s in free]
        if "x" in names or not free:
            variable = symbol("x")
        elif len(free) == 1:
            variable = free[0]
        else:
            raise ParseError(
                f"a prime at column {token.column}: which variable? The bracket has {', '.join(names)}",
                hint=f"write d/d{names[0]}(…) instead",
                column=token.column,
            )
        return self.differentiated(left, [variable], token)

    def differentiated(self, operand: sympy.Expr, variables: list[sympy.Symbol], token: Token) -> sympy.Expr:
        """The derivative, worked out now (SymPy's ``diff`` on the objects read); left unevaluated
        only while the claim is being read back as typed (``sympy.evaluate(False)``)."""
        if not global_parameters.evaluate:
            return sympy.Derivative(operand, *variables)

        def describe() -> str:
            return f"{token.text.strip()}({brief(operand)})"

        return evaluated(lambda: checked(sympy.diff(operand, *variables), token.column), token.column, describe)

    # --- pieces ----------------------------------------------------------------------------

    def group(self, opener: Token) -> sympy.Expr:
        saved, self.bars_open = self.bars_open, 0
        if self.peek().kind is Kind.CLOSE and self.peek().name == _CLOSERS[opener.name]:
            raise ParseError(
                f"empty brackets at column {opener.column}",
                hint="put an expression inside, or remove them",
                column=opener.column,
            )
        inner = self.expression()
        if self.peek().kind is Kind.COMMA:
            raise self.unexpected(self.peek())
        self.expect_close(opener)
        self.bars_open = saved
        return inner

    def expect_close(self, opener: Token) -> None:
        token = self.peek()
        wanted = _CLOSERS[opener.name]
        if token.kind is Kind.CLOSE and token.name == wanted:
            self.advance()
            return
        if token.kind is Kind.CLOSE:
            raise ParseError(
                f"'{token.text}' at column {token.column} does not match the '{opener.text}' "
                f"at column {opener.column}",
                hint=f"close it with '{wanted}'",
                column=token.column,
            )
        if token.kind is Kind.END:
            raise ParseError(
                f"missing '{wanted}' for the '{opener.text}' at column {opener.column}",
                hint=f"add '{wanted}' where the bracket should end",
                column=opener.column,
            )
        raise self.unexpected(token)

    def absolute_value(self, bar: Token) -> sympy.Expr:
        self.bars_open += 1
        inner = self.expression()
        token = self.peek()
        if token.kind is Kind.END:
            raise ParseError(
                f"missing '|' to close the '|' at column {bar.column}",
                hint="absolute values are written |x|",
                column=bar.column,
            )
        if token.kind is not Kind.BAR:
            raise self.unexpected(token)
        self.advance()
        self.bars_open -= 1
        return checked(sympy.Abs(inner), bar.column)

    def superscript(self, token: Token) -> sympy.Expr:
        inner = Parser(tokenize(token.name, token.column - 1), self.depth)
        value = inner.expression()
        inner.expect_end()
        return value

    def function(self, token: Token) -> sympy.Expr:
        if token.name == "frac":
            return self.latex_fraction(token)
        name = token.name
        power = self.function_power(token)
        if power == -1:
            if name not in INVERSES:
                raise ParseError(
                    f"'{token.text}^-1' at column {token.column} is ambiguous",
                    hint=f"write 1/{token.text}(x) for the reciprocal",
                    column=token.column,
                )
            name = INVERSES[name]
        spec = FUNCTIONS[name]
        following = self.peek()
        if following.kind is Kind.OPEN:
            if token.text == "\\sqrt" and following.name == "[":
                return self.latex_root(token)
            args = self.call_arguments(self.advance())
        elif spec.least > 1:
            raise ParseError(
                f"{token.text} at column {token.column} needs its arguments in brackets",
                hint=f"write {spec.example}",
                column=token.column,
            )
        else:
            args = [self.bare_argument(token)]
        if token.value is not None:  # log2, log_b: the base came with the name
            if len(args) != 1:
                raise WrongArity(
                    f"{token.text} takes 1 argument (its base is given), got {len(args)}",
                    hint=f"write {token.text}(x)",
                    column=token.column,
                )
            args.append(token.value)
        self.check_arity(token, spec, len(args))

        def describe() -> str:
            return f"{token.text}({', '.join(brief(arg) for arg in args)})"

        for argument in args:
            numeric_checked(argument, token.column, describe)
        result = evaluated(lambda: spec.build(args, token.column), token.column, describe)
        if power is not None and power != -1:
            result = checked_power(result, power, token.column)
        return result

    def function_power(self, token: Token) -> sympy.Integer | None:
        """``sin^2 x``, ``sin² x``, ``sin^-1 x``, ``sin^{-1}(x)``: a whole-number power or None."""
        following = self.peek()
        if following.kind is Kind.OPERATOR and following.name == "^":
            self.advance()
            power = self.expression(_POWER - 1)
        elif following.kind is Kind.SUPERSCRIPT:
            self.advance()
            power = self.superscript(following)
        else:
            return None
        if not isinstance(power, sympy.Integer) or power == 0 or power < -1:
            raise ParseError(
                f"'{token.text}^{sympy.sstr(power)}' at column {token.column}: after a function "
                "name only a positive whole power (sin^2 x) or -1 (sin^-1 x) can be written",
                hint=f"for other powers write ({token.text} x)^p",
                column=token.column,
            )
        if power > MAX_SYMBOLIC_EXPONENT:
            raise TooComplex(
                f"the power at column {token.column} is beyond {MAX_SYMBOLIC_EXPONENT:,}",
                hint="use a smaller exponent",
                column=token.column,
            )
        return power

    def bare_argument(self, token: Token) -> sympy.Expr:
        following = self.peek()
        if following.kind not in _OPERAND_STARTS and not (
            following.kind is Kind.OPERATOR and following.name == "-"
        ):
            column = following.column if following.kind is not Kind.END else token.column
            raise ParseError(
                f"{token.text} at column {token.column} needs an argument",
                hint=f"for example {token.text}(x) or {token.text} x",
                column=column,
            )
        return self.expression(_BARE_ARGUMENT, bare=True)

    def call_arguments(self, opener: Token) -> list[sympy.Expr]:
        saved, self.bars_open = self.bars_open, 0
        args: list[sympy.Expr] = []
        if not (self.peek().kind is Kind.CLOSE and self.peek().name == _CLOSERS[opener.name]):
            args.append(self.expression())
            while self.peek().kind is Kind.COMMA:
                self.advance()
                args.append(self.expression())
        self.expect_close(opener)
        self.bars_open = saved
        return args

    def check_arity(self, token: Token, spec: FunctionSpec, count: int) -> None:
        if spec.least <= count and (spec.most is None or count <= spec.most):
            return
        if spec.most is None:
            expected = f"at least {spec.least} arguments"
        elif spec.least == spec.most:
            expected = f"{spec.least} argument" + ("s" if spec.least > 1 else "")
        else:
            expected = f"{spec.least} or {spec.most} arguments"
        got = "none" if count == 0 else str(count)
        raise WrongArity(
            f"{token.text} takes {expected}, got {got} (column {token.column})",
            hint=f"write {spec.example}",
            column=token.column,
        )

    def latex_fraction(self, token: Token) -> sympy.Expr:
        parts: list[sympy.Expr] = []
        for _ in range(2):
            opener = self.peek()
            if opener.kind is not Kind.OPEN:
                raise ParseError(
                    f"\\frac at column {token.column} needs two groups",
                    hint="write \\frac{a}{b}",
                    column=opener.column,
                )
            self.advance()
            parts.append(self.group(opener))
        return checked_quotient(parts[0], parts[1], token.column)

    def latex_root(self, token: Token) -> sympy.Expr:
        opener = self.advance()
        degree = self.group(opener)
        if not isinstance(degree, sympy.Integer) or degree < 2:
            raise ParseError(
                f"the root at column {token.column} needs a whole degree of 2 or more",
                hint="write \\sqrt[3]{x}",
                column=opener.column,
            )
        following = self.peek()
        if following.kind is not Kind.OPEN:
            raise ParseError(
                f"\\sqrt at column {token.column} needs its argument in braces",
                hint="write \\sqrt[3]{x}",
                column=following.column,
            )
        radicand = self.group(self.advance())
        return checked_power(radicand, 1 / degree, token.column)

    # --- lists and errors ------------------------------------------------------------------

    def items(self) -> list[tuple[sympy.Expr, int]]:
        """Comma-separated expressions, optionally wrapped in one pair of () or []."""
        first = self.peek()
        if first.kind is Kind.OPEN and first.name in ("(", "["):
            close = self.matching_close(self.pos)
            if close == len(self.tokens) - 2 and (first.name == "[" or self.has_comma(close)):
                self.advance()
                if self.peek().kind is Kind.CLOSE:
                    raise ParseError(
                        f"empty list at column {first.column}",
                        hint="put the items inside, separated by commas",
                        column=first.column,
                    )
                found = self.comma_items(trailing_comma=True)
                self.expect_close(first)
                self.expect_end()
                return found
        found = self.comma_items()
        self.expect_end()
        return found

    def comma_items(self, trailing_comma: bool = False) -> list[tuple[sympy.Expr, int]]:
        """Items up to the end or a closing bracket; inside brackets ``(1,)`` is allowed, as SymPy
        prints a one-element tuple."""
        found: list[tuple[sympy.Expr, int]] = []
        while True:
            column = self.peek().column
            found.append((finished(self.expression()), column))
            if self.peek().kind is not Kind.COMMA:
                return found
            self.advance()
            if trailing_comma and self.peek().kind is Kind.CLOSE:
                return found

    def matching_close(self, index: int) -> int:
        depth = 0
        for position in range(index, len(self.tokens)):
            kind = self.tokens[position].kind
            if kind is Kind.OPEN:
                depth += 1
            elif kind is Kind.CLOSE:
                depth -= 1
                if depth == 0:
                    return position
        return -1

    def has_comma(self, close: int) -> bool:
        depth = 0
        for token in self.tokens[self.pos + 1 : close]:
            if token.kind is Kind.OPEN:
                depth += 1
            elif token.kind is Kind.CLOSE:
                depth -= 1
            elif token.kind is Kind.COMMA and depth == 0:
                return True
        return False

    def expect_end(self) -> None:
        token = self.peek()
        if token.kind is not Kind.END:
            raise self.unexpected(token)

    def unexpected(self, token: Token, missing_operand: bool = False) -> ParseError:
        column = token.column
        if token.kind is Kind.END:
            previous = self.tokens[self.pos - 1] if self.pos > 0 else None
            if previous is not None:
                return ParseError(
                    f"unexpected end of input after '{previous.text}'",
                    hint="finish the expression",
                    column=previous.column + len(previous.text),
                )
            return ParseError("there is no expression to read", hint="type one, e.g. x^2")
        if token.kind is Kind.EQUALS:
            hint = (
                "put one expression on each side of '='"
                if self.equation
                else "an expression has no '='; to check an equation or an answer use /check"
            )
        elif token.kind is Kind.COMMA:
            hint = (
                "commas separate a function's arguments, as in log(x, 2), or the items of a list; "
                "for decimals use a point: 0.5"
            )
        elif token.kind is Kind.CLOSE:
            hint = (
                "something is missing before it"
                if missing_operand
                else "there is no opening bracket for it to close"
            )
        elif token.kind is Kind.SUPERSCRIPT:
            hint = "a raised power needs something before it, as in x²"
        elif token.kind is Kind.OPERATOR:
            hint = f"'{token.text}' needs a value on each side"
        else:
            hint = "check the expression near there"
        return ParseError(f"unexpected '{token.text}' at column {column}", hint=hint, column=column)
