"""Cohorts: named groups of learners in one workspace, spanning channels; a channel is in at most one."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.cohorts.names import clean_name
from bot.cohorts.tables import cohort_channels, cohort_members, cohorts
from bot.core.message import ChannelRef, UserRef
from bot.errors import BadArgument, Duplicate, Forbidden, UsageError

ADMIN_NEEDED = (
    "this needs a workspace admin (Discord: Manage Server or Manage Channels; Slack: a workspace admin "
    "or owner; the console: a name given to --admins)"
)


def user_key(user: UserRef) -> str:
    return f"{user.platform}:{user.id}"


def workspace_key(channel: ChannelRef) -> str:
    return f"{channel.platform}:{channel.workspace}"


def require_admin(user: UserRef, what: str) -> None:
    if not user.admin:
        raise Forbidden(f"only a workspace admin can {what}: {ADMIN_NEEDED}")


@dataclass(frozen=True)
class Cohort:
    id: int
    name: str
    creator: str
    home_channel: str
    members: tuple[tuple[str, str], ...]  # (user key, display name), in joining order
    channels: tuple[str, ...]
    joined: tuple[tuple[str, datetime], ...] = ()  # (user key, when they joined)


class Groups:
    def __init__(self, store: object):
        self.store = store

    async def create(self, name: str, user: UserRef, channel: ChannelRef, now: datetime) -> Cohort:
        clean = clean_name(name)
        if not clean or len(clean) > 60:
            raise BadArgument("a cohort needs a name of 1 to 60 characters", hint="e.g. `/cohort create Calc Crew`")
        async with self.store.transaction() as db:  # type: ignore[attr-defined]
            if await self._cohort_of_channel(db, channel.key) is not None:
                raise UsageError("this channel already belongs to a cohort — see `/cohort info`")
            try:
                result = await db.execute(sa.insert(cohorts).values(
                    workspace=workspace_key(channel), name=clean, name_key=clean.lower(), creator=user_key(user),
                    home_channel=channel.key, created_at=now))
            except IntegrityError:
                raise Duplicate(f"a cohort called '{clean}' already exists here", hint="pick another name") from None
            cohort_id = result.inserted_primary_key[0]
            await db.execute(sa.insert(cohort_channels).values(channel_key=channel.key, cohort_id=cohort_id))
            await db.execute(sa.insert(cohort_members).values(
                cohort_id=cohort_id, user_key=user_key(user), display_name=clean_name(user.name), joined_at=now))
        return await self.get(channel, clean)

    async def get(self, channel: ChannelRef, name: str) -> Cohort:
        async with self.store.snapshot() as db:  # type: ignore[attr-defined]
            row = (await db.execute(sa.select(cohorts).where(
                cohorts.c.workspace == workspace_key(channel), cohorts.c.name_key == clean_name(name).lower()
            ))).first()
            if row is None:
                known = (await db.execute(sa.select(cohorts.c.name, cohorts.c.name_key).where(
                    cohorts.c.workspace == workspace_key(channel)))).all()
                close = difflib.get_close_matches(clean_name(name).lower(), [k for _, k in known], n=1, cutoff=0.5)
                meant = next((shown for shown, key in known if close and key == close[0]), None)
                raise BadArgument(f"no cohort called '{clean_name(name)}' here"
                                  + (f" — did you mean **{meant}**?" if meant else ""),
                                  hint="`/cohort list` shows them")
            return await self._load(db, row)

    async def by_id(self, cohort_id: int) -> Cohort | None:
        async with self.store.snapshot() as db:  # type: ignore[attr-defined]
            row = (await db.execute(sa.select(cohorts).where(cohorts.c.id == cohort_id))).first()
            return None if row is None else await self._load(db, row)

    async def of_channel(self, channel: ChannelRef) -> Cohort | None:
        async with self.store.snapshot() as db:  # type: ignore[attr-defined]
            cohort_id = await self._cohort_of_channel(db, channel.key)
            if cohort_id is None:
                return None
            row = (await db.execute(sa.select(cohorts).where(cohorts.c.id == cohort_id))).first()
            return await self._load(db, row)

    async def of_user(self, channel: ChannelRef, user: UserRef) -> Cohort | None:
        async with self.store.snapshot() as db:  # type: ignore[attr-defined]
            row = (await db.execute(
                sa.select(cohorts).join(cohort_members, cohort_members.c.cohort_id == cohorts.c.id)
                .where(cohorts.c.workspace == workspace_key(channel), cohort_members.c.user_key == user_key(user))
                .order_by(cohort_members.c.joined_at)
            )).first()
            return None if row is None else await self._load(db, row)

    async def all(self, channel: ChannelRef) -> list[Cohort]:
        async with self.store.snapshot() as db:  # type: ignore[attr-defined]
            rows = (await db.execute(sa.select(cohorts).where(cohorts.c.workspace == workspace_key(channel))
                                     .order_by(cohorts.c.name_key))).all()
            return [await self._load(db, row) for row in rows]

    async def join(self, channel: ChannelRef, name: str, user: UserRef, now: datetime) -> Cohort:
        cohort = await self.get(channel, name)
        if any(key == user_key(user) for key, _ in cohort.members):
            raise Duplicate(f"you are already in {cohort.name}")
        async with self.store.transaction() as db:  # type: ignore[attr-defined]
            await db.execute(sa.insert(cohort_members).values(
                cohort_id=cohort.id, user_key=user_key(user), display_name=clean_name(user.name), joined_at=now))
        return await self.get(channel, cohort.name)

    async def leave(self, channel: ChannelRef, user: UserRef) -> Cohort:
        cohort = await self.of_channel(channel) or await self.of_user(channel, user)
        if cohort is None or not any(key == user_key(user) for key, _ in cohort.members):
            raise UsageError("you are not in a cohort here")
        await self._remove(cohort, user_key(user))
        return cohort

    async def remove_member(self, channel: ChannelRef, name: str, member: str, user: UserRef) -> Cohort:
        cohort = await self.get(channel, name)
        self.require_manager(cohort, user, "remove a member")
        found = [key for key, shown in cohort.members if shown.lower() == member.strip().lower() or key == member]
        if not found:
            raise BadArgument(f"{member.strip()} is not a member of {cohort.name}")
        await self._remove(cohort, found[0])
        return await self.get(channel, cohort.name)

    async def rename(self, channel: ChannelRef, name: str, new: str, user: UserRef) -> Cohort:
        cohort = await self.get(channel, name)
        self.require_manager(cohort, user, "rename it")
        clean = clean_name(new)
        if not clean or len(clean) > 60:
            raise BadArgument("a cohort needs a name of 1 to 60 characters", hint="e.g. `/cohort rename A to B`")
        async with self.store.transaction() as db:  # type: ignore[attr-defined]
            try:
                await db.execute(sa.update(cohorts).where(cohorts.c.id == cohort.id)
                                 .values(name=clean, name_key=clean.lower()))
            except IntegrityError:
                raise Duplicate(f"a cohort called '{clean}' already exists here") from None
        return await self.get(channel, clean)

    async def delete(self, channel: ChannelRef, name: str, user: UserRef) -> Cohort:
        cohort = await self.get(channel, name)
        self.require_manager(cohort, user, "delete it")
        async with self.store.transaction() as db:  # type: ignore[attr-defined]
            await db.execute(sa.delete(cohort_channels).where(cohort_channels.c.cohort_id == cohort.id))
            await db.execute(sa.delete(cohort_members).where(cohort_members.c.cohort_id == cohort.id))
            await db.execute(sa.delete(cohorts).where(cohorts.c.id == cohort.id))
        return cohort

    async def link(self, channel: ChannelRef, name: str, user: UserRef) -> Cohort:
        require_admin(user, "link a channel to a cohort")
        cohort = await self.get(channel, name)
        async with self.store.transaction() as db:  # type: ignore[attr-defined]
            owner = await self._cohort_of_channel(db, channel.key)
            if owner is not None:
                raise UsageError("this channel already belongs to a cohort — a channel is in at most one")
            await db.execute(sa.insert(cohort_channels).values(channel_key=channel.key, cohort_id=cohort.id))
        return await self.get(channel, cohort.name)

    def require_manager(self, cohort: Cohort, user: UserRef, what: str) -> None:
        if cohort.creator != user_key(user) and not user.admin:
            raise Forbidden(f"only {cohort.name}'s creator or a workspace admin can {what}: {ADMIN_NEEDED}")

    async def _remove(self, cohort: Cohort, key: str) -> None:
        async with self.store.transaction() as db:  # type: ignore[attr-defined]
            await db.execute(sa.delete(cohort_members).where(
                cohort_members.c.cohort_id == cohort.id, cohort_members.c.user_key == key))

    @staticmethod
    async def _cohort_of_channel(db: object, channel_key: str) -> int | None:
        row = (await db.execute(  # type: ignore[attr-defined]
            sa.select(cohort_channels.c.cohort_id).where(cohort_channels.c.channel_key == channel_key))).first()
        return None if row is None else int(row[0])

    @staticmethod
    async def _load(db: object, row: object) -> Cohort:
        members = (await db.execute(  # type: ignore[attr-defined]
            sa.select(cohort_members.c.user_key, cohort_members.c.display_name, cohort_members.c.joined_at)
            .where(cohort_members.c.cohort_id == row.id).order_by(cohort_members.c.joined_at,  # type: ignore[attr-defined]
                                                                  cohort_members.c.user_key))).all()
        channels = (await db.execute(  # type: ignore[attr-defined]
            sa.select(cohort_channels.c.channel_key).where(cohort_channels.c.cohort_id == row.id))).all()  # type: ignore[attr-defined]
        return Cohort(row.id, row.name, row.creator, row.home_channel,  # type: ignore[attr-defined]
                      tuple((m[0], m[1]) for m in members), tuple(c[0] for c in channels),
                      tuple((m[0], m[2]) for m in members))
