"""Simulated learners through the learner model: does mastery tell the truth, and are mistakes found?

Run by hand:
    .venv/bin/python -m benchmarks.learners [--learners 1000] [--questions 30] [--export-tries tries.csv]

Each simulated learner has a hidden state per skill (known or not) and may hold one mal-rule (a
wrong rule they apply every time it matters). They answer questions made by the product's own
generators (``generate_for_skill``, ``generate_aimed``, ``generate_question``), graded by the real
``grade_answer`` (with its diagnosis); a held mal-rule's answer is built with the solver's own
mal-rule functions, a slip or a wrong guess is a one-off mistake of the same kind. After a wrong
first try they retry once. Hidden learning: an unknown skill becomes known with probability
``TRUE_LEARN`` at each question on it; a held mal-rule is dropped with probability ``TRUE_FIX`` each
time the feedback names it.

Two policies over the same learners: the learner model's ``choose_focus`` (aims, then the weakest
skill) and today's topic-only policy (the reached topics in syllabus order, round and round). Both
are judged by the same BKT mastery. Printed per policy:
- false mastery: mastery ≥ 0.95 while the hidden skill is unknown or a mal-rule of it is held
  (after the last question; and over every question) — target ≤ 2%;
- questions until the mastered/not call matches the hidden state for good, per (learner, skill) —
  target ≤ 8 (mean);
- a held mal-rule named within 3 wrong tries on its skill — target ≥ 90%.
Grades are memoised per (question, answer) so a run takes minutes: the question pool is small.
With ``--export-tries``, the logged first tries go to a CSV that ``benchmarks/fit_bkt.py`` fits with pyBKT.
"""

from __future__ import annotations

import argparse
import csv
import pickle
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sympy

from bot.learner import MASTERED, Try, choose_focus, mastery, skill_of_malrule, skills_of_topic
from bot.learner.tracing import evidence
from bot.solver.malrules import BY_CODE
from content import aimed
from content.generate import generate_aimed, generate_for_skill, generate_question, grade_answer
from content.questions import Question, choice_labels

REACHED_TOPICS = ("power-sum-rules", "product-rule", "chain-rule", "special-functions", "partial-derivatives")
REACHED_SKILLS = tuple(dict.fromkeys(skill for topic in REACHED_TOPICS for skill in skills_of_topic(topic)))
# Mal-rules a simulated learner may hold: the solver's local rules (and the partial's) on reached skills.
HELD_CODES = tuple(
    code
    for code, rule in BY_CODE.items()
    if (rule.local is not None or code == "wrong_variable")
    and skill_of_malrule(code) in REACHED_SKILLS
    and code not in ("integrated_instead", "constant_not_zero")
)

P_KNOWN = 0.5  # a skill is known at the start
P_HOLDS = 0.4  # a learner holds one mal-rule
TRUE_SLIP = 0.08
TRUE_GUESS = 0.10  # a typed answer right without knowing
RETRY_GUESS = 0.35  # right at the retry without knowing, helped by the feedback
TRUE_LEARN = 0.10
TRUE_FIX = 0.3
POOL = 6  # seeds per skill / topic generator / aimed mistake


class Questions:
    """The product's questions and grades, memoised (both are deterministic)."""

    def __init__(self) -> None:
        self._questions: dict[tuple[str, str, int], Question] = {}
        self._grades: dict[tuple[str, str], tuple[bool, str | None]] = {}
        self._wrong: dict[tuple[str, str], str | None] = {}
        self.gradings = 0

    def get(self, kind: str, key: str, seed: int) -> Question:
        index = (kind, key, seed)
        if index not in self._questions:
            make: Callable[[str, int], Question] = {
                "skill": generate_for_skill, "aimed": generate_aimed, "topic": generate_question
            }[kind]
            self._questions[index] = make(key, seed)
        return self._questions[index]

    def grade(self, question: Question, text: str) -> tuple[bool, str | None]:
        """Right or wrong, and the mistake named (the same for a first try and a retry: only the
        feedback's wording differs)."""
        index = (question.id, text)
        if index not in self._grades:
            self.gradings += 1
            grade = grade_answer(question.to_json(), text, reveal=False)
            self._grades[index] = (grade.correct, grade.diagnosis.code if grade.diagnosis else None)
        return self._grades[index]

    def save(self, path: Path) -> None:
        path.write_bytes(pickle.dumps((self._grades, self._wrong)))

    def load(self, path: Path) -> None:
        self._grades, self._wrong = pickle.loads(path.read_bytes())  # our own file, written by save()

    def wrong_answer(self, question: Question, code: str) -> str | None:
        """The answer mal-rule ``code`` gives, if it visibly changes this question's answer."""
        index = (question.id, code)
        if index not in self._wrong:
            self._wrong[index] = _malrule_answer(question, code)
        return self._wrong[index]


def _malrule_answer(question: Question, code: str) -> str | None:
    if question.kind == "choice":
        if code not in question.choice_malrules:
            return None
        return choice_labels(len(question.choices))[question.choice_malrules.index(code)]
    task = aimed.derivative_task(question)
    if task is None or code not in BY_CODE:
        return None
    correct = sympy.diff(*task)
    for answer in aimed.malrule_answers(code, *task):
        if aimed.distance(answer, correct) >= aimed.VISIBLE:
            return sympy.sstr(answer)
    return None


@dataclass
class Learner:
    rng: random.Random
    known: dict[str, bool]
    held: str | None
    held_at_start: str | None
    tries: list[Try] = field(default_factory=list)
    named: list[bool] = field(default_factory=list)  # per wrong try on the held rule's skill: was it named?
    trail: dict[str, list[tuple[bool, bool]]] = field(default_factory=dict)  # skill -> (call, truth) per question

    def truly_mastered(self, skill: str) -> bool:
        return self.known.get(skill, False) and (self.held is None or skill_of_malrule(self.held) != skill)


def make_learner(seed: int) -> Learner:
    rng = random.Random(seed)
    known = {skill: rng.random() < P_KNOWN for skill in REACHED_SKILLS}
    held = rng.choice(HELD_CODES) if rng.random() < P_HOLDS else None
    if held is not None:
        known[skill_of_malrule(held) or ""] = False
    return Learner(rng, known, held, held)


def _one_off_mistake(learner: Learner, question: Question, bank: Questions, skills: list[str]) -> str:
    """A wrong answer that is not a held rule: a mal-rule of one of ``skills`` once, or a wrong option/number."""
    # The usual wrong answers to this question: the first two mistakes of these skills that show in
    # it (a fixed choice per question, so the grades can be memoised).
    shown = [
        wrong
        for code in HELD_CODES
        if skill_of_malrule(code) in skills and (wrong := bank.wrong_answer(question, code)) is not None
    ][:2]
    if shown:
        return learner.rng.choice(shown)
    if question.kind == "choice":
        labels = choice_labels(len(question.choices))
        return learner.rng.choice([label for label in labels if label != question.answer])
    return f"{question.answer} + 1" if question.kind == "expression" else f"({question.answer}) + 1"


def answer(learner: Learner, question: Question, bank: Questions, retry: bool) -> str:
    if learner.held is not None:
        wrong = bank.wrong_answer(question, learner.held)
        if wrong is not None:
            return wrong
    unknown = [skill for skill in question.skills if not learner.known.get(skill, True)]
    if not unknown:
        if learner.rng.random() < TRUE_SLIP:
            return _one_off_mistake(learner, question, bank, list(question.skills))
        return question.answer
    guess = RETRY_GUESS if retry else (1 / len(question.choices) if question.kind == "choice" else TRUE_GUESS)
    if learner.rng.random() < guess:
        return question.answer
    return _one_off_mistake(learner, question, bank, unknown)


def ask(learner: Learner, question: Question, bank: Questions) -> None:
    """One question: a first try, a retry after a wrong one, and what the learner learns from it."""
    for retry in (False, True):
        text = answer(learner, question, bank, retry)
        correct, code = bank.grade(question, text)
        learner.tries.append(
            Try(question.skills, correct, retry=retry, malrule=code, aimed_at=question.aimed_at, topic=question.topic_id,
                kind=question.kind)
        )
        held_skill = skill_of_malrule(learner.held_at_start) if learner.held_at_start else None
        if not correct and held_skill is not None and held_skill in question.skills:
            learner.named.append(code == learner.held_at_start)
        if learner.held is not None and code == learner.held and learner.rng.random() < TRUE_FIX:
            learner.known[skill_of_malrule(learner.held) or ""] = True
            learner.held = None
        if correct:
            break
    for skill in question.skills:
        if not learner.known.get(skill, True) and learner.rng.random() < TRUE_LEARN:
            learner.known[skill] = True
    calls = mastery(learner.tries)
    touched = set(question.skills) | {skill for attempt in learner.tries[-2:] for skill in evidence(attempt)}
    for skill in touched & set(REACHED_SKILLS):
        learner.trail.setdefault(skill, []).append((calls.get(skill, 0.0) >= MASTERED, learner.truly_mastered(skill)))


def model_policy(learner: Learner, bank: Questions, step: int) -> Question:
    focus = choose_focus(learner.tries, REACHED_SKILLS)
    seed = learner.rng.randrange(POOL)
    if focus.aimed_at is not None:
        return bank.get("aimed", focus.aimed_at, seed)
    return bank.get("skill", focus.skill or REACHED_SKILLS[0], seed)


def topic_policy(learner: Learner, bank: Questions, step: int) -> Question:
    topic = REACHED_TOPICS[step % len(REACHED_TOPICS)]
    return bank.get("topic", topic, learner.rng.randrange(POOL * 2))


@dataclass(frozen=True)
class Figures:
    false_mastery_end: float
    false_mastery_any: float
    mean_questions: float
    mean_questions_from_start: float
    mean_questions_mastered: float
    not_settled: float
    named_within_3: float
    holders_with_wrong_tries: int
    holders: int


def run(policy: Callable[[Learner, Questions, int], Question], learners: int, questions: int, bank: Questions) -> tuple[Figures, list[Learner]]:
    people = [make_learner(seed) for seed in range(learners)]
    for learner in people:
        for step in range(questions):
            ask(learner, policy(learner, bank, step), bank)
    return measure(people), people


def _settle_time(trail: list[tuple[bool, bool]], since_change: bool) -> int | None:
    """Questions until the call matches the truth and keeps matching to the end (None: not by the
    end), counted from the first question on the skill or (``since_change``) from the question
    after which the hidden state last changed — the call cannot match a change before it happens."""
    if not trail or trail[-1][0] != trail[-1][1]:
        return None
    run_start = len(trail)
    while run_start > 0 and trail[run_start - 1][0] == trail[run_start - 1][1]:
        run_start -= 1
    truth_start = 0
    if since_change:
        truth_start = len(trail) - 1
        while truth_start > 0 and trail[truth_start - 1][1] == trail[-1][1]:
            truth_start -= 1
    return max(run_start, truth_start) - truth_start + 1


def measure(people: list[Learner]) -> Figures:
    end_false = end_unknown = any_false = any_unknown = 0
    settle: list[int] = []
    settle_from_start: list[int] = []
    settle_mastered: list[int] = []
    unsettled = pairs = 0
    named = holders_tried = holders = 0
    for learner in people:
        for trail in learner.trail.values():
            pairs += 1
            for call, truth in trail:
                if not truth:
                    any_unknown += 1
                    any_false += call
            call, truth = trail[-1]
            if not truth:
                end_unknown += 1
                end_false += call
            settled = _settle_time(trail, since_change=True)
            if settled is None:
                unsettled += 1
            else:
                settle.append(settled)
                settle_from_start.append(_settle_time(trail, since_change=False) or 0)
                if truth:
                    settle_mastered.append(settled)
        if learner.held_at_start is not None:
            holders += 1
            if learner.named:
                holders_tried += 1
                named += any(learner.named[:3])
    return Figures(
        false_mastery_end=end_false / max(1, end_unknown),
        false_mastery_any=any_false / max(1, any_unknown),
        mean_questions=statistics.fmean(settle) if settle else float("nan"),
        mean_questions_from_start=statistics.fmean(settle_from_start) if settle_from_start else float("nan"),
        mean_questions_mastered=statistics.fmean(settle_mastered) if settle_mastered else float("nan"),
        not_settled=unsettled / max(1, pairs),
        named_within_3=named / max(1, holders_tried),
        holders_with_wrong_tries=holders_tried,
        holders=holders,
    )


def export_tries(people: list[Learner], path: Path) -> None:
    """The first tries as BKT observations (one row per skill a try is evidence for), in pyBKT's
    columns, for ``benchmarks/fit_bkt.py``."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["order_id", "user_id", "skill_name", "correct"])
        order = 0
        for number, learner in enumerate(people):
            for attempt in learner.tries:
                if attempt.retry:
                    continue  # first tries only: the evidence BKT's four parameters describe
                for skill in evidence(attempt):
                    writer.writerow([order, number, skill, int(attempt.correct)])
                    order += 1


def _row(name: str, model: float, topic: float, target: str, percent: bool = True) -> str:
    show = (lambda v: f"{v:8.1%}") if percent else (lambda v: f"{v:8.2f}")
    return f"{name:52} {show(model)} {show(topic)}   {target}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=30, help="questions per learner")
    parser.add_argument("--export-tries", type=Path, help="write the model policy's first tries as CSV for benchmarks/fit_bkt.py")
    parser.add_argument("--cache", type=Path, help="keep the memoised grades in this file between runs")
    args = parser.parse_args(argv)
    bank = Questions()
    if args.cache is not None and args.cache.exists():
        bank.load(args.cache)
    started = time.monotonic()
    model, people = run(model_policy, args.learners, args.questions, bank)
    topic, _ = run(topic_policy, args.learners, args.questions, bank)
    print(f"{args.learners} simulated learners × {args.questions} questions, reached skills: {', '.join(REACHED_SKILLS)}")
    print(f"held mal-rules drawn from: {', '.join(HELD_CODES)}")
    print(f"{'':52} {'model':>8} {'topics':>8}   target")
    print(_row("false mastery, after the last question", model.false_mastery_end, topic.false_mastery_end, "≤ 2%"))
    print(_row("false mastery, over every question", model.false_mastery_any, topic.false_mastery_any, "≤ 2%"))
    print(_row("questions until the call matches the hidden state", model.mean_questions, topic.mean_questions, "≤ 8", percent=False))
    print(_row("  … for skills truly mastered at the end", model.mean_questions_mastered, topic.mean_questions_mastered, "", percent=False))
    print(_row("  … counted from the first question on the skill", model.mean_questions_from_start,
               topic.mean_questions_from_start, "", percent=False))
    print(_row("(learner, skill) pairs not settled by the end", model.not_settled, topic.not_settled, ""))
    print(_row("held mal-rule named within 3 wrong tries on its skill", model.named_within_3, topic.named_within_3, "≥ 90%"))
    print(f"  (learners holding one: {model.holders}; with a wrong try on its skill: model {model.holders_with_wrong_tries}, "
          f"topics {topic.holders_with_wrong_tries})")
    print(f"{bank.gradings} distinct gradings, {time.monotonic() - started:.0f} s")
    if args.cache is not None:
        bank.save(args.cache)
    if args.export_tries is not None:
        export_tries(people, args.export_tries)
        print(f"first tries written to {args.export_tries}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
