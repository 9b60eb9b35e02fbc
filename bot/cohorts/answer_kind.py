"""Is a daily answer of the right kind? A member has one daily answer, so a typo must not spend it.

An answer that cannot be read (a ``ParseError``), or that is not the kind of thing the question asks
for — a letter where a number is wanted, three entries where the vector has two, a 3×2 matrix for a
2×2 one, a name the question never mentions — is refused with the reason and nothing is recorded.
Pure and CPU-bound (it parses with sympy): it runs in the worker pool.
"""

from __future__ import annotations

import re

from bot.solver.parser import parse
from content.generate import parse_list, read_matrix
from content.questions import Question, choice_labels

_WORD = re.compile(r"[A-Za-z_]\w*")


def refusal(question_json: str, text: str) -> str | None:
    """Why ``text`` is not an answer of the right kind to the question (None: it is; grade it).

    A parse error propagates: it is a refusal with the parser's own message.
    """
    question = Question.from_json(question_json)
    answer = text.strip()
    if question.kind == "choice":
        labels = choice_labels(len(question.choices))
        letter = re.fullmatch(r"[\(\[]?\s*([A-Za-z])\s*[\)\]\.:]?", answer)
        if letter and letter.group(1).upper() not in labels:
            return f"there is no option {letter.group(1).upper()}: answer with one of {', '.join(labels)}"
        return None  # an option's text or an equal expression: the grader reads it (or refuses it)
    if question.kind == "number":
        names = sorted(str(s) for s in parse(answer).free_symbols)
        if names:
            return f"this question wants a single number, and your answer contains {', '.join(names)}"
        return None
    if question.kind == "vector":
        given, expected = parse_list(answer), parse_list(question.answer)
        if len(given) != len(expected):
            return f"this question wants {len(expected)} entries, in brackets like (1, 2); yours has {len(given)}"
        return None
    if question.kind == "matrix":
        given_rows, expected_rows = read_matrix(answer), read_matrix(question.answer)
        want, got = (len(expected_rows), len(expected_rows[0])), (len(given_rows), len(given_rows[0]))
        if got != want:
            return f"this question wants a {want[0]}×{want[1]} matrix; yours is {got[0]}×{got[1]}"
        return None
    given = parse(answer)
    known = {str(s) for s in parse(question.answer).free_symbols} | set(_WORD.findall(question.prompt))
    strangers = sorted(str(s) for s in given.free_symbols if str(s) not in known)
    if strangers:
        return (f"your answer uses {', '.join(strangers)}, which the question never mentions — "
                "check for a typo")
    return None
