"""Which skills each topic's generators were seen to exercise, so that practice on one skill builds
only candidates that can exercise it.

Building a question is most of what ``content.generate.generate_for_skill`` costs, and a candidate
that turns out not to exercise the skill is thrown away: a picture question's draft alone costs
20–300 ms (``derivative_graph`` on the special-functions topic, never a quotient-rule question). The
table in ``content.skill_reach_table`` is made by code — every topic's generators over
``SAMPLE_SEEDS`` — with ``python -m content.skill_reach --write``, and a test recomputes it. It only
ever narrows the candidates, each of which is still generated and checked, so a skill the sample
missed costs a different (still right) question, never a wrong one.
"""

from __future__ import annotations

import sys
from pathlib import Path

from content.catalog import curriculum
from content.skill_reach_table import SKILLS_SEEN

SAMPLE_SEEDS = range(16)
TABLE = Path(__file__).with_name("skill_reach_table.py")


def may_exercise(topic_id: str, generator_name: str, skill: str) -> bool:
    """Whether a question from this topic's generator can exercise ``skill`` (True when the table
    does not know the generator: build it and see)."""
    seen = SKILLS_SEEN.get(f"{topic_id}/{generator_name}")
    return seen is None or skill in seen


def sampled_skills(seeds: range = SAMPLE_SEEDS) -> dict[str, tuple[str, ...]]:
    """``TOPIC/GENERATOR`` -> every skill its questions for ``seeds`` exercise (sorted)."""
    from content.generate import generate_from  # content.generate imports this module

    table: dict[str, tuple[str, ...]] = {}
    for topic in curriculum().topics():
        for name in topic.generators:
            skills = {skill for seed in seeds for skill in generate_from(topic.id, name, seed).skills}
            table[f"{topic.id}/{name}"] = tuple(sorted(skills))
    return table


def table_source(table: dict[str, tuple[str, ...]]) -> str:
    """The text of ``content/skill_reach_table.py`` holding ``table``."""
    rows = "".join(f"    {key!r}: {skills!r},\n" for key, skills in sorted(table.items()))
    return (
        '"""Made by ``python -m content.skill_reach --write`` (do not edit): see ``content.skill_reach``."""\n\n'
        f"SKILLS_SEEN: dict[str, tuple[str, ...]] = {{\n{rows}}}\n"
    )


if __name__ == "__main__":
    source = table_source(sampled_skills())
    if sys.argv[1:] == ["--write"]:
        TABLE.write_text(source, encoding="utf-8")
        print(f"wrote {TABLE}")
    else:
        print(source, end="")
