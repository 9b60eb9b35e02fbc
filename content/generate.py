"""Make and mark quiz questions. Both entry points run in worker processes: plain arguments in,
picklable dataclasses out.

Answers are read with our own parser (``bot.solver.parser``) — the learner's and our canonical one
alike; nothing is ever passed to ``sympify``/``eval``. Parse errors propagate unchanged so the quiz
engine can show them and not count the attempt.
"""

from __future__ import annotations

import dataclasses
import math
import re
import zlib
from collections.abc import Sequence

import sympy

from bot.errors import BadArgument, CalcbotError, EmptyInput
from bot.learner.skills import (
    SKILLS,
    mistake_words,
    skill_of_malrule,
    skills_of_topic,
    topics_of_skill,
)
from bot.present.answer import Diagnosed
from bot.present.diagnosis import gradient_diagnosis, quiz_diagnosis, terms_line
from bot.present.domains import condition_text
from bot.present.format import fmt_number, plain
from bot.present.taylor import in_powers_of
from bot.solver.ambiguities import noting
from bot.solver.equivalence import Equivalence, equivalent
from bot.solver.malrules import BY_CODE
from bot.solver.parser import parse, parse_list, split_top_level
from bot.solver.prefixes import closing_bracket, is_no_answer, strip_answer_name
from bot.solver.terms import compare_terms
from content import aimed
from content.catalog import curriculum, validate
from content.figures import grade_picture
from content.generators import GENERATORS
from content.questions import Grade, Question, choice_labels
from content.skill_reach import may_exercise

validate(curriculum(), GENERATORS)  # every topic's generators exist (the chat process cannot check them)

_CLOSE_FACTOR = 20  # "very close" band, in tolerances, for a rounding hint


def generate_question(topic_id: str, seed: int) -> Question:
    """The question for (topic, seed): generator ``seed mod n`` of the topic, itself seeded with ``seed``."""
    topic = curriculum().topic(topic_id)
    name = topic.generators[seed % len(topic.generators)]
    return generate_from(topic_id, name, seed)


def generate_from(topic_id: str, generator_name: str, seed: int) -> Question:
    """The question one named generator of a topic makes for ``seed`` (what a question id encodes)."""
    topic = curriculum().topic(topic_id)
    if generator_name not in topic.generators:
        raise BadArgument(f"topic '{topic_id}' has no question generator '{generator_name}'")
    draft = GENERATORS[generator_name](seed)
    return Question(
        id=f"{topic_id}/{generator_name}/{seed}",
        topic_id=topic_id,
        prompt=draft.prompt,
        kind=draft.kind,
        answer=draft.answer,
        choices=draft.choices,
        hints=draft.hints,
        solution=draft.solution,
        solution_command=draft.solution_command,
        tolerance=draft.tolerance,
        significant_figures=draft.significant_figures,
        skills=draft.skills or skills_of_topic(topic_id),
        choice_malrules=draft.choice_malrules,
        choice_notes=draft.choice_notes,
        figure=draft.figure,
    )


# --- practice aimed at a mistake, or at a skill -------------------------------------------------

_AIM_SEARCH = 64  # generator seeds tried per aimed (or per-skill) question


def generate_aimed(malrule_code: str, seed: int) -> Question:
    """A question on the mistake's skill where that mistake gives a visibly different answer from
    the right one (checked with the solver's own mal-rules); its id ``aimed/CODE/SEED`` regenerates it."""
    topic_id, generator_name = aimed.recipe(malrule_code)
    checkable = malrule_code in BY_CODE or GENERATORS[generator_name](0).kind == "choice"
    for attempt in range(_AIM_SEARCH):
        question = generate_from(topic_id, generator_name, seed * _AIM_SEARCH + attempt)
        if not checkable or aimed.shows(question, malrule_code):
            # A code the solver does not know yet cannot be checked: its recipe's first question stands.
            skill = skill_of_malrule(malrule_code)
            skills = tuple(dict.fromkeys([skill, *question.skills])) if skill else question.skills
            return dataclasses.replace(question, id=f"aimed/{malrule_code}/{seed}", aimed_at=malrule_code, skills=skills)
    raise ValueError(f"no question among {_AIM_SEARCH} from {generator_name} shows {malrule_code}")


def generate_for_skill(skill: str, seed: int) -> Question:
    """A question exercising ``skill``, from the topics whose main skill it is (else those that
    exercise it); an ordinary question id, so it regenerates like any other.

    Candidates walk the topics and their generators in turn; one whose generator was never seen to
    exercise the skill (``content.skill_reach``) is passed over without being built, which gives
    the same question the full walk would, without drawing a picture question only to discard it."""
    if skill not in SKILLS:
        raise BadArgument(f"unknown skill '{skill}' (skills: {', '.join(SKILLS)})")
    topics = [curriculum().topic(topic_id) for topic_id in topics_of_skill(skill)]
    narrowed = any(may_exercise(topic.id, name, skill) for topic in topics for name in topic.generators)
    for attempt in range(_AIM_SEARCH):
        topic = topics[(seed + attempt) % len(topics)]
        candidate_seed = seed * _AIM_SEARCH + attempt
        name = topic.generators[candidate_seed % len(topic.generators)]  # as generate_question picks
        if narrowed and not may_exercise(topic.id, name, skill):
            continue
        question = generate_from(topic.id, name, candidate_seed)
        if skill in question.skills:
            return question
    raise ValueError(f"no question among {_AIM_SEARCH} exercises {skill}")


def question_from_id(question_id: str) -> Question:
    """The question an id names: ``TOPIC/GENERATOR/SEED`` or ``aimed/CODE/SEED``."""
    parts = question_id.split("/")
    if len(parts) != 3 or not parts[2].isdigit():
        raise BadArgument(f"'{question_id}' is not a question id (TOPIC/GENERATOR/SEED or aimed/CODE/SEED)")
    if parts[0] == "aimed":
        return generate_aimed(parts[1], int(parts[2]))
    return generate_from(parts[0], parts[1], int(parts[2]))


def grade_answer(question_json: str, answer_text: str, reveal: bool = True) -> Grade:
    """Mark a learner's answer: right or wrong, with feedback that says where a wrong one goes astray.

    With ``reveal`` false (a first try, with a retry to come) the feedback points at the mistake but
    does not give the corrected answer away.
    """
    question = Question.from_json(question_json)
    text = answer_text.strip()
    if not text:
        raise EmptyInput("type your answer after the command, e.g. `2*x*cos(x^2)` or `(1, 2)`")
    if is_no_answer(text):
        raise BadArgument(  # like a parse error: the try is not counted
            "that is not an answer yet, and it does not use up your try",
            hint="`/hint` gives a hint; `/skip` shows the worked solution and moves on",
        )
    text = strip_answer_name(text)  # x₁ = -1.45, λ = 0.5, ∂χ²/∂m = 40, ∂χ²/∂c = 8: the values
    with noting() as notes:  # how an ambiguous answer was read (canonical answers never are)
        grade = _grade(question, text, reveal)
    feedback = grade.feedback
    if notes:
        feedback = "\n".join([feedback, *(note.text for note in notes)])
    return dataclasses.replace(grade, feedback=feedback)


def _grade(question: Question, text: str, reveal: bool) -> Grade:
    if question.kind == "choice":
        return _grade_choice(question, text)
    if question.kind == "picture":
        return grade_picture(question, text)
    if question.kind == "matrix":
        return _grade_matrix(question, text, reveal)
    if question.kind == "vector":
        return _grade_vector(question, text, reveal)
    if question.kind == "number":
        return _grade_number(question, text, reveal)
    return _grade_expression(question, text, reveal)


# --- expressions --------------------------------------------------------------------------------


def _equivalence_seed(question: Question) -> int:
    """A seed for the numeric equivalence check that is stable for a question across processes."""
    return zlib.crc32(question.id.encode("utf-8")) & 0xFFFF


def _grade_expression(question: Question, text: str, reveal: bool = True) -> Grade:
    expected = parse(question.answer)
    given = parse(text)
    verdict = equivalent(given, expected, seed=_equivalence_seed(question))
    readable = _readable_expression(question, expected)
    if verdict.equivalent:
        return Grade(True, "✅ Correct!" + _domain_note(verdict), readable)
    feedback = "❌ Not quite. " + _terms_feedback(text, given, expected, reveal) + _difference(given, expected, verdict)
    explanation, diagnosis = quiz_diagnosis(question.solution_command, given, expected, _equivalence_seed(question), reveal)
    if explanation:
        feedback += "\n" + "\n".join(explanation)
    return Grade(False, feedback, readable, diagnosis)


_TAYLOR_1D = re.compile(r"^/taylor\s+.+?\s+at\s+(?P<point>[^(\s][^\s]*)\s+order\s+\d+$")


def _readable_expression(question: Question, expected: sympy.Expr) -> str:
    """The answer as the course writes it: a Taylor polynomial about a in powers of (x − a),
    lowest first (f(a) + f′(a)(x − a) + …); anything else in the learner's notation."""
    match = _TAYLOR_1D.match(question.solution_command.strip())
    free = [s for s in expected.free_symbols if isinstance(s, sympy.Symbol)]
    if match is not None and len(free) == 1:
        try:
            point = parse(match.group("point"))
        except CalcbotError:
            return plain(expected)
        written = in_powers_of(expected, free[0], point) if not point.free_symbols else None
        if written is not None:
            return written
    return plain(expected)


def _terms_feedback(text: str, given: sympy.Expr, expected: sympy.Expr, reveal: bool) -> str:
    """Where both are sums: which of the learner's terms are right and which are wrong, in their
    words (the same line /check gives); before the retry a wrong term is named, not corrected."""
    line = terms_line(compare_terms(text, given, expected), reveal)
    return f"{line}\n" if line else ""


def _domain_note(verdict: Equivalence) -> str:
    if verdict.condition is None:
        return ""
    return f" (They agree wherever both are defined: {condition_text(verdict.condition)}.)"


def _difference(given: sympy.Expr, expected: sympy.Expr, verdict: Equivalence) -> str:
    extra = sorted(s.name for s in given.free_symbols - expected.free_symbols if isinstance(s, sympy.Symbol))
    notes = []
    if extra:
        notes.append(f"Your answer uses {', '.join(extra)}, which the correct answer does not.")
    if verdict.counterexample:
        point = ", ".join(f"{symbol} = {plain(value)}" for symbol, value in sorted(verdict.counterexample.items(), key=lambda item: str(item[0])))
        notes.append(f"At {point} your answer gives {_value_text(verdict.lhs_value)} but the correct one gives {_value_text(verdict.rhs_value)}.")
    elif not given.free_symbols and not expected.free_symbols:
        notes.append(f"Your answer is {_value_text(given)}.")
    else:
        notes.append("The two expressions are not the same function.")
    return " ".join(notes)


def _value_text(value: sympy.Basic | None) -> str:
    if value is None:
        return "an undefined value"
    if isinstance(value, sympy.Integer | sympy.Rational) and len(str(value)) <= 12:
        return str(value)
    try:
        return fmt_number(float(value), 6)  # type: ignore[arg-type]
    except TypeError:
        return plain(value)


# --- numbers ------------------------------------------------------------------------------------


def _number_value(expr: sympy.Expr) -> float | None:
    """The real value of a constant expression, or None if it has variables or is not real."""
    if expr.free_symbols:
        return None
    value = complex(expr.evalf(20))
    if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        return None
    return value.real


def _close(given: float, expected: float, tolerance: float) -> bool:
    return abs(given - expected) <= tolerance * abs(expected) + 1e-12


def agreeing_figures(given: float, expected: float) -> int:
    """How many significant figures of ``expected`` ``given`` gets right: it is within half a unit
    of the last of them (1.235 and 1.2346 agree with 1.23456 to 4; 1.234 only to 3)."""
    if given == expected:
        return _ALL_FIGURES
    if expected == 0:
        return 0
    leading = math.floor(math.log10(abs(expected)))
    for figures in range(1, _ALL_FIGURES):
        if abs(given - expected) > 0.5 * 10 ** (leading - figures + 1) * (1 + 1e-9):
            return figures - 1
    return _ALL_FIGURES


_ALL_FIGURES = 16  # as many as a float holds


def _relative_slack(question: Question) -> float:
    """The question's leeway as a relative tolerance (half a unit in the last asked-for figure)."""
    return 0.5 * 10 ** (1 - question.significant_figures) if question.significant_figures else question.tolerance


def _accepted(given: float, expected: float, question: Question) -> bool:
    """Right as the prompt asked: to its significant figures, else within the tolerance."""
    if question.significant_figures:
        return agreeing_figures(given, expected) >= question.significant_figures
    return _close(given, expected, question.tolerance)


def _readable_number(expr: sympy.Expr) -> str:
    exact = plain(expr)
    if isinstance(expr, sympy.Integer):
        return exact
    value = _number_value(expr)
    approximate = fmt_number(value, 6) if value is not None else exact
    if isinstance(expr, sympy.Float) or exact == approximate:
        return approximate
    return f"{exact} ≈ {approximate}"


def _miss(given: float, expected: float, reveal: bool) -> str:
    """How far off a number is — or, before the retry, only which way (the gap would give the
    answer away)."""
    gap = abs(given - expected)
    if not reveal:
        return "that is too large" if given > expected else "that is too small"
    relative = f" ({gap / abs(expected):.2%})" if expected else ""
    return f"that is off by {fmt_number(gap, 3)}{relative}"


def _number_feedback(given: float, expected: float, question: Question, reveal: bool) -> str:
    gap = abs(given - expected)
    text = f"You gave {fmt_number(given, 6)}; {_miss(given, expected, reveal)}."
    wanted = question.significant_figures
    agreeing = agreeing_figures(given, expected) if expected else 0
    if wanted and agreeing >= 1:
        text += f" It agrees with the answer to {agreeing} significant figure{'s' if agreeing > 1 else ''}; {wanted} are asked for"
        leading = math.floor(math.log10(abs(expected)))
        unit = 10 ** (leading - wanted + 1)
        truncated = abs(given) < abs(expected) and abs(expected) - abs(given) < unit and given * expected > 0
        text += " — round the last figure rather than cutting the rest off." if truncated else "."
    elif not wanted and gap <= _CLOSE_FACTOR * question.tolerance * abs(expected) and gap > 0:
        text += " Very close — keep more significant figures."
    elif expected and _accepted(-given, expected, question):
        text += " The size is right but the sign is wrong."
    return text


def _grade_number(question: Question, text: str, reveal: bool) -> Grade:
    expected_expr = parse(question.answer)
    expected = _number_value(expected_expr)
    if expected is None:
        raise ValueError(f"question {question.id} has a non-numeric answer {question.answer!r}")
    given_expr = parse(text)
    readable = _readable_number(expected_expr)
    given = _number_value(given_expr)
    if given is None:
        names = ", ".join(sorted(str(s) for s in given_expr.free_symbols)) or "a non-real value"
        return Grade(False, f"❌ The answer should be a single number, but yours contains {names}. Substitute the values given.", readable)
    if _accepted(given, expected, question):
        return Grade(True, "✅ Correct!", readable)
    return Grade(False, "❌ Not quite. " + _number_feedback(given, expected, question, reveal), readable)


# --- vectors and matrices -----------------------------------------------------------------------


def _entry_matches(
    given: sympy.Expr, expected: sympy.Expr, question: Question, index: int, reveal: bool
) -> tuple[bool, str]:
    """Compare one vector/matrix entry: numerically with the tolerance, else as functions."""
    expected_value = _number_value(expected)
    if expected_value is not None:
        given_value = _number_value(given)
        if given_value is None:
            return False, f"you gave {plain(given)}, which is not a number"
        if _accepted(given_value, expected_value, question):
            return True, ""
        return False, f"you gave {fmt_number(given_value, 6)}: {_miss(given_value, expected_value, reveal)}"
    verdict = equivalent(given, expected, seed=_equivalence_seed(question) + index)
    if verdict.equivalent:
        return True, ""
    return False, _difference(given, expected, verdict)


def _grade_entries(
    question: Question,
    given: Sequence[sympy.Expr],
    expected: Sequence[sympy.Expr],
    names: Sequence[str],
    readable: str,
    reveal: bool,
) -> Grade:
    problems = []
    for index, (mine, theirs, name) in enumerate(zip(given, expected, names, strict=True)):
        ok, why = _entry_matches(mine, theirs, question, index, reveal)
        if not ok:
            problems.append(f"{name}: {why.rstrip('.')}")
    if not problems:
        return Grade(True, "✅ Correct!", readable)
    right = len(expected) - len(problems)
    return Grade(False, f"❌ Not quite — {right} of {len(expected)} entries are right. " + "; ".join(problems) + ".", readable)


def _grade_vector(question: Question, text: str, reveal: bool) -> Grade:
    expected = parse_list(question.answer)
    given = parse_list(text)
    readable = "(" + ", ".join(_readable_entry(e) for e in expected) + ")"
    if len(given) != len(expected):
        return Grade(False, f"❌ The answer has {len(expected)} entries; yours has {len(given)}.", readable)
    names = [f"entry {i}" for i in range(1, len(expected) + 1)]
    grade = _grade_entries(question, given, expected, names, readable, reveal)
    if grade.correct:
        return grade
    explanation, diagnosis = gradient_diagnosis(question.solution_command, given, expected, _equivalence_seed(question), reveal)
    if not explanation:
        return grade
    return Grade(False, grade.feedback + "\n" + "\n".join(explanation), readable, diagnosis)


def _grade_matrix(question: Question, text: str, reveal: bool) -> Grade:
    expected = read_matrix(question.answer)
    given = read_matrix(text)
    readable = "[" + ", ".join("[" + ", ".join(_readable_entry(e) for e in row) + "]" for row in expected) + "]"
    expected_shape = (len(expected), len(expected[0]))
    given_shape = (len(given), len(given[0]))
    if given_shape != expected_shape:
        hint = " Rows and columns look swapped." if given_shape == expected_shape[::-1] else ""
        return Grade(
            False,
            f"❌ The answer is a {expected_shape[0]}×{expected_shape[1]} matrix; yours is {given_shape[0]}×{given_shape[1]}.{hint}",
            readable,
        )
    names = [f"row {r + 1}, column {c + 1}" for r in range(expected_shape[0]) for c in range(expected_shape[1])]
    flat_given = [entry for row in given for entry in row]
    flat_expected = [entry for row in expected for entry in row]
    grade = _grade_entries(question, flat_given, flat_expected, names, readable, reveal)
    if not grade.correct and expected_shape[0] == expected_shape[1]:
        transposed = [given[c][r] for r in range(expected_shape[0]) for c in range(expected_shape[1])]
        if all(_probably_equal(mine, theirs, _relative_slack(question)) for mine, theirs in zip(transposed, flat_expected, strict=True)):
            return Grade(False, grade.feedback + " It is the transpose of the answer: rows and columns are swapped.", readable)
    return grade


_PROBES = (sympy.Rational(37, 100), sympy.Rational(171, 100), sympy.Rational(-83, 100))


def _probably_equal(given: sympy.Expr, expected: sympy.Expr, tolerance: float) -> bool:
    """A cheap numeric look for diagnosis only (the verdict itself always uses ``equivalent``)."""
    variables = sorted(given.free_symbols | expected.free_symbols, key=str)
    for offset, probe in enumerate(_PROBES):
        point = {v: probe + sympy.Rational(i + offset, 7) for i, v in enumerate(variables)}
        mine, theirs = _number_value(given.subs(point)), _number_value(expected.subs(point))
        if mine is None or theirs is None or not _close(mine, theirs, max(tolerance, 1e-9)):
            return False
    return True


def _readable_entry(expr: sympy.Expr) -> str:
    if isinstance(expr, sympy.Float):
        return fmt_number(float(expr), 6)
    return plain(expr)


def _strip_brackets(text: str) -> str | None:
    """The inside of ``[...]`` or ``(...)`` if the whole text is one bracketed group, else None."""
    pairs = {"[": "]", "(": ")"}
    if not text or text[0] not in pairs:
        return None
    close = closing_bracket(text)
    return text[1:-1].strip() if close == len(text) - 1 and text[close] == pairs[text[0]] else None


_MATRIX_USAGE = "type a matrix row by row, e.g. `[[1, 2], [3, 4]]` or `1, 2; 3, 4`"


def read_matrix(text: str) -> list[list[sympy.Expr]]:
    """Rows of a matrix as a learner types it: ``[[1, 2], [3, 4]]``, ``[1, 2; 3, 4]``, ``1, 2; 3, 4``.

    ``Matrix([[…]])`` is accepted too. Each entry goes through our parser (via ``parse_list``).
    """
    body = text.strip()
    wrapper = re.match(r"(?i)^matrix\s*\((.*)\)$", body, flags=re.DOTALL)
    if wrapper:
        body = wrapper.group(1).strip()
    if not body:
        raise EmptyInput(_MATRIX_USAGE)
    inner = _strip_brackets(body)
    top = body if inner is None else inner
    if ";" in _strip_nested(top):
        rows_text = split_top_level(top, ";")
    else:
        if inner is None:
            raise BadArgument(f"that is not a matrix: {_MATRIX_USAGE}")
        rows_text = split_top_level(inner, ",")
        if any(_strip_brackets(row) is None for row in rows_text):
            raise BadArgument(f"put each row in brackets: {_MATRIX_USAGE}")
    rows = [parse_list(row) for row in rows_text if row]
    if not rows or any(len(row) != len(rows[0]) for row in rows):
        raise BadArgument(f"every row needs the same number of entries: {_MATRIX_USAGE}")
    return rows


def _strip_nested(text: str) -> str:
    """The text with every bracketed group removed: what is left is the top level."""
    out, depth = [], 0
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


# --- multiple choice ----------------------------------------------------------------------------


def _normalise_choice(text: str) -> str:
    return re.sub(r"\s+", "", text.strip().strip("`").replace("**", "^")).lower()


def _equivalent_choice(question: Question, text: str) -> int | None:
    """The one option that is the same expression as the learner's (``2x cos x`` for
    ``2*x*cos(x)``); None when the text is no expression or matches no single option."""
    try:
        given = parse(text)
    except CalcbotError:
        return None
    found = []
    for index, choice in enumerate(question.choices):
        try:
            option = parse(choice.strip("`$ "))
        except CalcbotError:
            continue  # an option in words
        if equivalent(given, option, seed=_equivalence_seed(question) + index).equivalent:
            found.append(index)
    return found[0] if len(found) == 1 else None


def _grade_choice(question: Question, text: str) -> Grade:
    labels = choice_labels(len(question.choices))
    correct_index = labels.index(question.answer)
    readable = f"{question.answer}: {question.choices[correct_index]}"
    letter = re.fullmatch(r"[\(\[]?\s*([A-Za-z])\s*[\)\]\.:]?", text)
    index: int | None = None
    if letter and letter.group(1).upper() in labels:
        index = labels.index(letter.group(1).upper())
    else:
        wanted = _normalise_choice(text)
        matches = [i for i, choice in enumerate(question.choices) if _normalise_choice(choice) == wanted]
        if matches:
            index = matches[0]
        else:
            index = _equivalent_choice(question, text)
    if index is None:
        raise BadArgument(f"answer with one of the letters {', '.join(labels)} (or the option's text, or an expression equal to it)")
    if index == correct_index:
        return Grade(True, "✅ Correct!", readable)
    feedback = f"❌ Not quite — you chose {labels[index]}: {question.choices[index]}. The answer is {readable}."
    code = question.choice_malrules[index] if index < len(question.choice_malrules) else None
    if code is None:
        return Grade(False, feedback, readable)
    feedback += f"\n🔎 That option is what you get when you've {mistake_words(code)} (`{code}`)."
    return Grade(False, feedback, readable, Diagnosed(code, question.choices[index]))
