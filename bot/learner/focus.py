"""What to practise next: a mistake the learner keeps making, else their weakest reached skill.

An **aim** begins when one mistake code is diagnosed in ``AIM_AFTER`` of the learner's last
``AIM_WINDOW`` answered tries (a retry is a try: repeating a mistake right after being told about it
counts). It ends when ``AIM_CLEARED`` questions aimed at it are answered right at the first try; the
diagnoses before its end no longer count towards a new aim at the same mistake.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.learner.skills import mistake_words, skill_name, skill_of_malrule
from bot.learner.tracing import DEFAULT_PARAMS, BKTParams, Try, mastery, params_for

AIM_WINDOW = 5
AIM_AFTER = 2
AIM_CLEARED = 2


@dataclass(frozen=True, slots=True)
class Focus:
    skill: str | None  # skill to practise (None: nothing reached yet / follow the syllabus)
    aimed_at: str | None  # mal-rule code when practice is aimed at a repeated mistake
    why: str | None  # one line for the learner


def mistakes(tries: Sequence[Try]) -> list[tuple[str, int]]:
    """(code, count) of every diagnosed mistake, most frequent first (ties: the most recent first)."""
    counts: Counter[str] = Counter()
    last_seen: dict[str, int] = {}
    for index, attempt in enumerate(tries):
        if attempt.malrule is not None and not attempt.skipped:
            counts[attempt.malrule] += 1
            last_seen[attempt.malrule] = index
    return sorted(counts.items(), key=lambda item: (-item[1], -last_seen[item[0]]))


@dataclass(frozen=True, slots=True)
class _Aim:
    code: str
    cleared: int  # aimed questions answered right at the first try since the aim began
    seen: int  # times the mistake was diagnosed: in the window that began the aim, and since


def _follow_aims(tries: Sequence[Try]) -> _Aim | None:
    """Replay the tries: the aim in force after the last one, if any."""
    answered = [attempt for attempt in tries if not attempt.skipped]
    aim: _Aim | None = None
    ended_at: dict[str, int] = {}  # code -> index of the try that ended the last aim at it
    for index, attempt in enumerate(answered):
        if aim is not None and attempt.malrule == aim.code:  # made again while practising it: say so
            aim = _Aim(aim.code, aim.cleared, aim.seen + 1)
        if aim is not None and attempt.aimed_at == aim.code and attempt.correct and not attempt.retry:
            aim = _Aim(aim.code, aim.cleared + 1, aim.seen)
            if aim.cleared >= AIM_CLEARED:
                ended_at[aim.code] = index
                aim = None
                continue
        if aim is None:
            window = answered[max(0, index + 1 - AIM_WINDOW) : index + 1]
            start = index + 1 - len(window)
            counts: Counter[str] = Counter(
                attempt.malrule
                for offset, attempt in enumerate(window)
                if attempt.malrule is not None
                and skill_of_malrule(attempt.malrule) is not None
                and start + offset > ended_at.get(attempt.malrule, -1)
            )
            repeated = [code for code, count in counts.items() if count >= AIM_AFTER]
            if repeated and attempt.malrule in repeated:
                aim = _Aim(attempt.malrule, 0, counts[attempt.malrule])
            elif repeated:
                aim = _Aim(repeated[0], 0, counts[repeated[0]])
    return aim


def current_aim(tries: Sequence[Try]) -> str | None:
    """The mistake practice is aimed at now: diagnosed in 2 of the last 5 answered tries, until 2
    questions aimed at it are answered right at the first try after the aim began."""
    aim = _follow_aims(tries)
    return None if aim is None else aim.code


_TIMES = {2: "twice", 3: "three times", 4: "four times", 5: "five times"}


def _aim_line(aim: _Aim) -> str:
    times = _TIMES.get(aim.seen, f"{aim.seen} times")
    if aim.cleared:
        return f"You've {mistake_words(aim.code)} {times} lately — one more right and we'll move on."
    return f"You've {mistake_words(aim.code)} {times} — here is one to practise it."


def choose_focus(
    tries: Sequence[Try],
    reached_skills: Iterable[str],
    params: Mapping[str, BKTParams] | BKTParams = DEFAULT_PARAMS,
) -> Focus:
    """An aimed question when a mistake repeats; else the lowest-mastery skill among those reached
    (skills not yet tried count at their prior; ties go to the first in ``reached_skills``)."""
    aim = _follow_aims(tries)
    if aim is not None:
        return Focus(skill_of_malrule(aim.code), aim.code, _aim_line(aim))
    reached = list(dict.fromkeys(reached_skills))
    if not reached:
        return Focus(None, None, None)
    known = mastery(tries, params)
    weakest = min(reached, key=lambda skill: known.get(skill, params_for(skill, params).p_init))
    level = known.get(weakest)
    if level is None:
        why = f"Next: {skill_name(weakest)}, which you haven't practised yet."
    else:
        why = f"Next: {skill_name(weakest)}, your weakest skill so far ({level:.0%} mastery)."
    return Focus(weakest, None, why)
