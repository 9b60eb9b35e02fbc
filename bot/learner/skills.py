"""The skills calcbot tracks, the mistake codes that count against each, and the skills of each topic.

A skill is one thing a learner can know or not (a rule, a construction); a question exercises one or
more. Every mistake code — the solver's mal-rules (``bot.solver.malrules``) and the few mistakes only
a multiple-choice distractor can show — belongs to exactly one skill: a diagnosed mistake is evidence
against that skill alone. The tables are data, kept here so the quiz engine, ``/progress`` and the
content agree on one spelling.
"""

from __future__ import annotations

# The 17 skills of issue 24 (spelled exactly), then the ones the course needs besides.
SKILLS: tuple[str, ...] = (
    "power_rule",
    "product_rule",
    "quotient_rule",
    "chain_rule",
    "trig_derivatives",
    "exp_log_derivatives",
    "partial_derivatives",
    "gradient",
    "jacobian",
    "hessian",
    "multivariate_chain_rule",
    "taylor_series",
    "newton_raphson",
    "gradient_descent",
    "lagrange_multipliers",
    "least_squares",
    "backpropagation",
    # Beyond the 17: week 1's foundations, stationary points (week 2) and the single neuron (week 3).
    "functions",
    "derivative_definition",
    "derivative_basics",
    "stationary_points",
    "neural_networks",
)

SKILL_NAMES: dict[str, str] = {
    "power_rule": "the power rule",
    "product_rule": "the product rule",
    "quotient_rule": "the quotient rule",
    "chain_rule": "the chain rule",
    "trig_derivatives": "derivatives of sin, cos and tan",
    "exp_log_derivatives": "derivatives of exponentials and logs",
    "partial_derivatives": "partial derivatives",
    "gradient": "the gradient",
    "jacobian": "the Jacobian",
    "hessian": "the Hessian",
    "multivariate_chain_rule": "the multivariate chain rule",
    "taylor_series": "Taylor series",
    "newton_raphson": "Newton–Raphson",
    "gradient_descent": "gradient descent",
    "lagrange_multipliers": "Lagrange multipliers",
    "least_squares": "least squares",
    "backpropagation": "backpropagation",
    "functions": "working with functions",
    "derivative_definition": "the derivative as a gradient (rise over run, the limit)",
    "derivative_basics": "sums, constants and signs in derivatives",
    "stationary_points": "stationary points",
    "neural_networks": "a neuron's forward pass",
}

# Mistake code -> (skill, the mistake in words after "You've …").
_MISTAKES: dict[str, tuple[str, str]] = {
    # bot.solver.malrules
    "product_rule_as_product": ("product_rule", "differentiated a product factor by factor"),
    "product_rule_term_missing": ("product_rule", "left out one of the product rule's terms"),
    "quotient_rule_sign": ("quotient_rule", "got the sign of the quotient rule's numerator wrong"),
    "quotient_rule_as_ratio": ("quotient_rule", "differentiated a quotient as top over bottom"),
    "quotient_rule_denominator": ("quotient_rule", "divided by v instead of v² in the quotient rule"),
    "chain_rule_inner_missing": ("chain_rule", "left out the inside's derivative"),
    "power_rule_exponent_kept": ("power_rule", "brought the power down without lowering it"),
    "power_rule_coefficient_missing": ("power_rule", "lowered the power but left out the factor n"),
    "power_rule_exponent_miscounted": ("power_rule", "lowered the power by the wrong amount"),
    "exponential_as_power": ("exp_log_derivatives", "differentiated an exponential as if it were a power"),
    "exponential_log_factor_missing": ("exp_log_derivatives", "left out the ln a factor of aˣ's derivative"),
    "trig_sign": ("trig_derivatives", "got the sign of a trig derivative wrong"),
    "log_rule": ("exp_log_derivatives", "misapplied the log rule (ln u)′ = u′/u"),
    "constant_not_zero": ("derivative_basics", "mishandled a constant (kept a constant term or dropped a constant factor)"),
    "term_not_differentiated": ("derivative_basics", "left a term undifferentiated"),
    "integrated_instead": ("derivative_basics", "integrated instead of differentiating"),
    "wrong_variable": ("partial_derivatives", "differentiated with respect to the wrong variable"),
    "partial_other_variable_kept": ("partial_derivatives", "differentiated a variable the partial derivative holds constant"),
    "wrong_order": ("derivative_basics", "differentiated the wrong number of times"),
    "sign_error": ("derivative_basics", "flipped the sign of the whole answer"),
    # Mistakes only a multiple-choice distractor shows (content.generators build them)
    "total_derivative_path_missing": ("multivariate_chain_rule", "left out a path (or the rates dx/dt) of the total derivative"),
    "total_derivative_paths_crossed": ("multivariate_chain_rule", "paired each partial with the other variable's rate"),
    "jacobian_transposed": ("jacobian", "swapped the Jacobian's rows and columns"),
    "jacobian_rows_swapped": ("jacobian", "put the Jacobian's rows in the wrong order"),
    "hessian_mixed_partials": ("hessian", "mishandled the Hessian's mixed partial derivatives"),
    "hessian_diagonal_swapped": ("hessian", "swapped the Hessian's diagonal entries"),
    "hessian_gradient_confused": ("hessian", "put first derivatives where the Hessian needs second ones"),
    "stationary_point_misclassified": ("stationary_points", "misread what the Hessian says about a stationary point"),
    "backprop_factor_missing": ("backpropagation", "left a factor out of the backpropagation chain"),
}

MISTAKE_CODES: tuple[str, ...] = tuple(_MISTAKES)

# Topic id (content/module_N.yaml) -> the skills its questions exercise, main skill first.
_TOPIC_SKILLS: dict[str, tuple[str, ...]] = {
    "functions": ("functions",),
    "rise-over-run": ("derivative_definition", "power_rule"),
    "derivative-definition": ("derivative_definition",),
    "power-sum-rules": ("power_rule", "derivative_basics"),
    "product-rule": ("product_rule", "power_rule", "trig_derivatives", "exp_log_derivatives"),
    "chain-rule": ("chain_rule", "power_rule", "trig_derivatives", "exp_log_derivatives"),
    "special-functions": ("trig_derivatives", "exp_log_derivatives", "quotient_rule", "product_rule", "chain_rule"),
    "partial-derivatives": ("partial_derivatives",),
    "total-derivative": ("multivariate_chain_rule", "partial_derivatives"),
    "jacobian": ("jacobian", "gradient", "partial_derivatives"),
    "jacobian-matrix": ("jacobian", "partial_derivatives"),
    "jacobian-applications": ("gradient", "stationary_points"),
    "hessian": ("hessian", "stationary_points"),
    "multivariate-chain-rule": ("multivariate_chain_rule",),
    "neural-networks": ("neural_networks", "backpropagation"),
    "backpropagation": ("backpropagation", "multivariate_chain_rule"),
    "power-series": ("taylor_series",),
    "taylor-series": ("taylor_series",),
    "linearisation": ("taylor_series", "derivative_definition"),
    "multivariate-taylor": ("taylor_series", "gradient", "hessian"),
    "newton-raphson": ("newton_raphson",),
    "gradient-descent": ("gradient_descent", "gradient"),
    "lagrange-multipliers": ("lagrange_multipliers", "gradient"),
    "linear-regression": ("least_squares",),
    "nonlinear-least-squares": ("least_squares", "partial_derivatives"),
    "fitting-by-descent": ("least_squares", "gradient_descent"),
    "graphs": ("derivative_definition", "gradient", "taylor_series", "gradient_descent"),
}


def skill_of_malrule(code: str) -> str | None:
    """The skill a mistake code counts against (None for a code calcbot does not know)."""
    found = _MISTAKES.get(code)
    return None if found is None else found[0]


def mistake_words(code: str) -> str:
    """The mistake in words, to follow "You've …" ("left out the inside's derivative")."""
    found = _MISTAKES.get(code)
    return found[1] if found is not None else f"made the mistake `{code}`"


def skills_of_topic(topic_id: str) -> tuple[str, ...]:
    """The skills a curriculum topic's questions exercise, its main skill first (() if unknown)."""
    return _TOPIC_SKILLS.get(topic_id, ())


def topics_of_skill(skill: str) -> tuple[str, ...]:
    """The topics whose main skill this is, else those that exercise it (course order)."""
    main = tuple(topic for topic, skills in _TOPIC_SKILLS.items() if skills[0] == skill)
    return main or tuple(topic for topic, skills in _TOPIC_SKILLS.items() if skill in skills)


def lesson_of_malrule(code: str) -> str | None:
    """The topic whose lesson fixes this mistake (for ``/progress``), or None."""
    skill = skill_of_malrule(code)
    if skill is None:
        return None
    topics = topics_of_skill(skill)
    return topics[0] if topics else None


def skill_name(skill: str) -> str:
    return SKILL_NAMES.get(skill, skill.replace("_", " "))
