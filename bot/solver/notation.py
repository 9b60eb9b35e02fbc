"""How to type maths: the text of ``/help notation``, kept beside the parser whose rules it states."""

NOTATION_HELP = """\
**Typing maths**
• `+ - * /`, powers `x^2`, `x**2` or `x²`; brackets `( ) [ ] { }`; `|x|` is the absolute value.
• Multiplication can be left out: `2x`, `3x^2 y`, `(x+1)(x-1)`, `2 sin x`, `(x+1)2`. It binds \
like `*`, left to right: `1/2x` is ½·x (as Wolfram|Alpha reads it); write `1/(2x)` for the other.
• `-x^2` is −(x²); `2^3^2` is 2⁹; an exponent is one factor: `e^2x` is e²·x, so write `e^(2x)`, \
`e^(-x)` (`e^-x` works too); `x^-1/2` is x⁻¹/2 and `x^1/2` is x/2, so write `x^(-1/2)`, `x^(1/2)`.
• When you type one of the readings this help calls out (`e^2x`, `x^-1/2`, `1/2x`, `√2x`, `sin x^2`, \
`sin x/2`, `sin^-1 x`, `2^3^2`), the reply keeps that reading and adds a one-line note saying so \
and how to write the other.
• Names: `x`, `x1`, `x_1`, `w₁`, Greek `theta` or `θ`. Other runs of letters are split: `xy` is \
x·y, `xy2` is x·y2; function names, `pi` and Greek names in a run are read first, longest first: \
`sinx` is sin x, `xsinx` is x·sin x, `2pir` is 2πr. A run that is a word (`about`, `the`) or a \
command's keyword (`at`, `to`, `wrt`) is never split: calcbot asks what you meant (write `a*t` for a product).
• Odd roots of negatives are real: `x^(1/3)`, `cbrt x`, `∛x`, `x^(2/3)` are real for x < 0 \
(∛−8 = −2), in every command — slopes, Newton, plots, gradients, /check and quiz answers.
• Derivatives in Leibniz notation, anywhere in an expression or a line of working: `d/dx(x^2)`, \
`d/dx x^2 sin x` (without brackets it takes the product after it, up to a + or −), `e^(x^2) · d/dx(x^2)`; \
higher orders `d^2/dx^2 x^3`, `d²/dx² x^3`, `d2/dx2 x^3`, `d²y/dx² x^3`; partials `∂/∂y (x^2 y^3)`, \
`∂²/∂x∂y (x^2 y^3)`; a prime after a bracket `(x^2)'`, `(x^3)''` (in x, or the bracket's only variable). \
calcbot works each one out; `/derive` and `/check` also take them at the start: `/derive d^2/dx^2 x^3`.
• Names learners write are understood: `d/dx`, `dy/dx`, `f(x) =`, `y =` before an expression; \
`f'(x) =`, `dy/dx =`, `d²y/dx² =`, `∂f/∂x =` before an answer or a line of working; and named quiz \
answers `x₁ = -1.45`, `x2 = 3.320`, `λ = 0.5`, `x = 1, y = 2`, `(x, y) = (1, 2)`, \
`∂χ²/∂m = 40, ∂χ²/∂c = 8` (the values are taken in the order written). `I don't know` points to \
`/hint` and `/skip`.
• Points by name wherever a point is taken: `at x = 3`, `at x=1, y=2`, `at (x, y) = (1, 2)`, \
`from x = 1` (coordinates go to the variables by name).
• Notes on readings you may not mean: `x2` beside `x` is a new variable x2 (write `2x`); `Γ(x)`, `f(x)` \
are products (calcbot has no gamma function); + C in a derivative is a constant of integration.
• Numbers are exact: `/check 10^400 = 10^400 + 1` is ❌, decided by exact arithmetic; sampling at \
test points is only a fallback, and its verdict says so.
• Constants: `pi`/`π`, `e` (always the number e), `oo`/`∞`. `i` is an ordinary variable.
• Functions: `sin cos tan sec csc cot`, `asin`/`arcsin` …, `sinh` …, `asinh`/`arsinh` …, `exp`, \
`ln`, `log`, `sqrt`/`√`, `cbrt`, `abs`, `sign`, `floor`, `ceil`, `n!`, `n!!`, `max(a, b)`, `min(a, b)`, \
`relu`, `sigmoid(x)` = `σ(x)` = 1/(1+e^-x).
• Without brackets a function takes the product after it: `sin 2x` = sin(2x), `sin x^2` = \
sin(x²), `sin x cos x` = sin x·cos x; it stops at `+ - * /` (`sin x/2` is (sin x)/2) and at the \
next function. `√2x` is √2·x.
• `sin^2 x` and `sin²x` are (sin x)²; `sin^-1 x` is arcsin x.
• Logs: `ln x` = `log x` (natural); `log(x, b)`, `log_2 x`, `log2(x)`, `log10(x)` for other bases.
• Decimals are exact: `0.1` is 1/10. `1e-3` is 1/1000 (a digit must follow the e: `2e` is 2·e).
• `σ` or `sigma` right before a bracket is the sigmoid; elsewhere it is a variable. Before a \
bracket one or two letters multiply (`f(x)` is f·x); a longer unknown name is an error.
"""
