"""Who is asking: users.info says whether a Slack user is a workspace admin or owner, cached."""

from __future__ import annotations

from bot.adapters.slack.app import web_client
from bot.adapters.slack.inbound import People
from tests.slack.standin import BOT_TOKEN, TEAM


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_admins_and_owners_are_admins_and_the_answer_is_cached_for_minutes(standin):
    standin.add_user("U0OWN", "olu", owner=True)
    clock = Clock()
    people = People(web_client(BOT_TOKEN, standin.api_url), clock=clock)
    assert (await people.lookup(TEAM, "U0ANA")).admin is True  # is_admin
    assert (await people.lookup(TEAM, "U0OWN")).admin is True  # is_owner
    ben = await people.lookup(TEAM, "U0BEN")
    assert ben.admin is False and ben.name == "ben"
    for _ in range(5):
        await people.lookup(TEAM, "U0BEN")
    assert len(standin.called("users.info")) == 3  # one lookup each
    standin.users["U0BEN"]["is_admin"] = True  # promoted in Slack
    clock.now += 301
    assert (await people.lookup(TEAM, "U0BEN")).admin is True  # seen after the cache expires
    assert len(standin.called("users.info")) == 4


async def test_a_failed_lookup_is_not_an_admin_and_is_asked_again_soon(standin):
    clock = Clock()
    people = People(web_client(BOT_TOKEN, standin.api_url), clock=clock)
    standin.fail("users.info", "user_not_found")
    assert (await people.lookup(TEAM, "U0ANA")).admin is False
    clock.now += 31
    assert (await people.lookup(TEAM, "U0ANA")).admin is True


async def test_a_non_admin_is_refused_an_admin_command_and_an_admin_is_not(http_world):
    await http_world.command("/cohort create Calc Crew")
    refused = await http_world.command("/cohort delete Calc Crew", user="U0BEN")
    assert refused.seen().error
    deleted = await http_world.command("/cohort delete Calc Crew")
    assert not deleted.seen().error
