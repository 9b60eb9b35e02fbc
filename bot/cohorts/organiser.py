"""The organiser's view of a cohort as a reply: the heatmap, the text beside it, the CSV export.

Who sees what: the cohort's creator and the workspace's admins see every member's row; a member
sees the group's aggregate (a "group" row, the counts, the common mistakes, the weakest skills) and
their own row. The weekly digest posted in the home channel is the member's view without a member
(aggregate only); the one sent privately to the organiser is the full view.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime

from bot.cohorts.groups import Cohort
from bot.cohorts.names import plural
from bot.cohorts.progress import SPANS, CohortProgress, cohort_progress
from bot.core.reply import Attachment, Image, Reply
from bot.jobs import jobs_in
from bot.learner import skill_name, topics_of_skill

TITLE_CHARS = 30  # skill names on the heatmap's axis are cut to this
PICTURED = 50  # rows on the heatmap: readable at chat size; the struggling come first, the rest in the CSV
GROUP = "group (mean)"


class Organiser:
    def __init__(self, store: object, run: Callable, curriculum: object):
        self.store, self.run, self.curriculum = store, run, curriculum

    async def progress(self, cohort: Cohort, period: str, now: datetime) -> CohortProgress:
        return await cohort_progress(self.store, cohort, period, now)

    async def view(self, cohort: Cohort, period: str, now: datetime, *, viewer: str | None, figures: bool = True,
                   headline: str = "progress") -> Reply:
        """The view for ``viewer`` (a member's user key), or the full view when ``viewer`` is None.
        A viewer outside the cohort (an admin) also gets the full view: callers pass None for them."""
        found = await self.progress(cohort, period, now)
        names = dict(found.members)
        own = names.get(viewer) if viewer is not None else None
        rows = found.struggling_first() if viewer is None else ([own] if own else [])
        levels = found.mastery()
        result = {
            "members": rows,
            "mastery": {name: levels.get(name, {}) for name in rows},
            "daily": {name: found.daily[name] for name in rows},
            "inactive": [name for name in found.inactive if viewer is None or name == own],
            "mistakes": [(code, members, count) for code, members, count, _ in found.mistakes],
            "weakest": found.weakest(),
        }
        text = self._text(found, rows, viewer is None, headline)
        images: tuple[Image, ...] = ()
        if figures and found.topics:
            png = await self.run(jobs_in("plotting.cohort").render_cohort_heatmap, *self._heatmap(found, rows, with_group=viewer is not None))
            images = (Image(f"cohort-{period}.png", png, self._alt(found, rows)),)
        return Reply(text=text, result=repr(result), images=images)

    def _heatmap(self, found: CohortProgress, rows: list[str], *, with_group: bool
                 ) -> tuple[list[str], list[str], list[list[float | None]], str]:
        titles = [self._title(t) for t in found.topics]
        hidden = max(0, len(rows) - PICTURED)
        rows = rows[:PICTURED]
        values = [[found.cells[name][t].mastery if t in found.cells[name] else None for t in found.topics]
                  for name in rows]
        labels = list(rows)
        if with_group or not rows:
            labels.insert(0, GROUP)
            values.insert(0, [found.mean(t) for t in found.topics])
        title = f"{found.cohort} — mastery by skill, {SPANS[found.period]}"
        if not with_group:
            title += " (struggling first)"
        if hidden:
            title += f"; {hidden} more in /cohort export"
        return labels, titles, values, title

    @staticmethod
    def _title(skill: str) -> str:
        """A heatmap column's label: the skill id in words ("chain rule", "exp log derivatives"), short
        enough for a chat-sized picture; the text beside it uses the skill's full name."""
        title = skill.replace("_", " ")
        return title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS - 1] + "…"

    def _alt(self, found: CohortProgress, rows: list[str]) -> str:
        weakest = ", ".join(skill_name(t) for t in found.weakest()) or "none yet"
        return (f"Heatmap of mastery for {plural(len(rows), 'member')} of {found.cohort} across "
                f"{plural(len(found.topics), 'skill')}; weakest skills: {weakest}.")

    def _text(self, found: CohortProgress, rows: list[str], full: bool, headline: str) -> str:
        span = SPANS[found.period]
        total = len(found.members)
        answered = sum(a for a, _ in found.daily.values())
        pushed = sum(p for _, p in found.daily.values())
        lines = [f"**{found.cohort} — {headline}, {span}** ({plural(total, 'member')})"]
        lines.append(f"Practised in the period: {total - len(found.inactive)} of {total}. Daily questions "
                     f"answered: {answered} of {pushed} owed across the group.")
        if full:
            if found.daily and pushed:
                lines.append("Daily answered / pushed: " + ", ".join(
                    f"{name} {a}/{p}" for name, (a, p) in sorted(found.daily.items(), key=lambda kv: kv[0].lower())))
            if found.inactive:
                lines.append("No practice in the period: " + ", ".join(found.inactive) + ".")
        elif rows:
            a, p = found.daily[rows[0]]
            you = "you practised" if rows[0] not in found.inactive else "you have not practised"
            lines.append(f"Your row: {you} in the period; daily questions answered {a} of {p}.")
        lines.append(self._mistakes_text(found, full))
        weakest = found.weakest()
        if weakest:
            lines.append("Weakest skills: " + "; ".join(
                f"{skill_name(t)} ({round(100 * (found.mean(t) or 0))} %){_lesson(t)}" for t in weakest) + ".")
        else:
            lines.append("No skill practised yet.")
        if not full:
            lines.append("_Per-member detail is for the cohort's creator and the workspace's admins._")
        return "\n".join(lines)

    def _mistakes_text(self, found: CohortProgress, full: bool) -> str:
        if not found.mistakes:
            return "Common mistakes: none diagnosed in the period."
        from bot.cohorts.mistakes import describe

        parts = [describe(code, members, count, example if full else None)
                 for code, members, count, example in found.mistakes[:3]]
        return "Most frequent mistakes:\n" + "\n".join(f"{i}. {p}" for i, p in enumerate(parts, 1))

    async def export(self, cohort: Cohort, now: datetime) -> Attachment:
        """One row per member and skill practised: mastery, tries, right, last practised (all time)."""
        found = await self.progress(cohort, "all", now)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["member", "user", "skill", "skill_name", "mastery", "tries", "right", "last_practised"])
        for key, name in found.members:
            for skill in found.topics:
                cell = found.cells[name].get(skill)
                if cell is None:
                    continue
                writer.writerow([_csv_safe(name), key, skill, skill_name(skill),
                                 f"{cell.mastery:.3f}" if cell.mastery is not None else "",
                                 cell.tries, cell.right, cell.last.isoformat() if cell.last else ""])
        slug = "".join(ch if ch.isalnum() else "-" for ch in cohort.name.lower()).strip("-") or "cohort"
        return Attachment(f"{slug}-progress.csv", out.getvalue().encode("utf-8"), "text/csv")


def _lesson(skill: str) -> str:
    topics = topics_of_skill(skill)
    return f" — `/lesson {topics[0]}`" if topics else ""


def _csv_safe(text: str) -> str:
    """A name opened in a spreadsheet must not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
