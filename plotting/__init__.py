"""Figures for calcbot: SymPy objects and numbers in, PNG bytes out (matplotlib, Agg, no pyplot).

Each kind of figure has a ``render_*`` function and a pure ``*_data`` function giving the
numbers it is drawn from. Nothing here does I/O or keeps state, so it runs in worker processes.
"""

from plotting.curves import (
    functions_data,
    render_functions,
    render_tangent,
    render_taylor,
    tangent_data,
    taylor_data,
    taylor_polynomials,
)
from plotting.fields import (
    descent_path_data,
    gradient_field_data,
    render_descent,
    render_gradient_field,
    render_surface,
    render_taylor_2d,
    surface_data,
    taylor_2d_data,
    taylor_polynomial_2d,
)
from plotting.formula import render_latex
from plotting.newton_curve import newton_data, render_newton
from plotting.optima import lagrange_data, render_lagrange, render_stationary, stationary_data

__all__ = [
    "descent_path_data",
    "functions_data",
    "gradient_field_data",
    "lagrange_data",
    "newton_data",
    "render_descent",
    "render_functions",
    "render_gradient_field",
    "render_lagrange",
    "render_latex",
    "render_newton",
    "render_stationary",
    "render_surface",
    "render_taylor",
    "render_taylor_2d",
    "render_tangent",
    "stationary_data",
    "surface_data",
    "tangent_data",
    "taylor_2d_data",
    "taylor_data",
    "taylor_polynomial_2d",
    "taylor_polynomials",
]
