"""Platform settings read the platforms' own names; per-user limits are for shared platforms only."""

from __future__ import annotations

import pytest

from bot.core.config import Settings
from bot.core.message import ChannelRef, Message, UserRef


def test_platform_tokens_read_the_platforms_own_names_and_the_calcbot_aliases(monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", "d-secret")
    monkeypatch.setenv("CALCBOT_SLACK_BOT_TOKEN", "xoxb-secret")
    settings = Settings()
    assert settings.discord_token is not None and settings.discord_token.get_secret_value() == "d-secret"
    assert settings.slack_bot_token is not None and settings.slack_bot_token.get_secret_value() == "xoxb-secret"
    assert "d-secret" not in repr(settings)


@pytest.mark.parametrize("shared, expected_refusals", [(False, 0), (True, 10)])
async def test_the_console_has_no_per_user_limit_but_shared_platforms_do(tmp_path, worker_pool, shared,
                                                                         expected_refusals):
    from bot.app import build_app

    app = await build_app(Settings(data_dir=tmp_path), db_path=str(tmp_path / "c.db"),
                          workers=worker_pool, shared_platform=shared)  # type: ignore[arg-type]
    try:
        who = Message(UserRef("console", "ana", "Ana"), ChannelRef("console", "", "t"), "/help")
        replies = [await app.handle(who) for _ in range(40)]
    finally:
        await app.close()
    assert sum(1 for r in replies if r.error and r.error.code == "rate_limited") == expected_refusals


@pytest.mark.parametrize("value, mode, size", [("local", "local", None), ("QUEUE", "queue", None), ("3", "3", 3)])
def test_calcbot_workers_names_the_tier_and_a_number_still_means_that_many_local_processes(
        monkeypatch, value, mode, size):
    monkeypatch.setenv("CALCBOT_WORKERS", value)
    monkeypatch.setenv("CALCBOT_BROKER_URL", "redis://127.0.0.1:6379/0")
    settings = Settings()
    assert settings.workers == mode
    if size is not None:
        assert settings.pool_size == size


@pytest.mark.parametrize("env, complaint", [
    ({"CALCBOT_WORKERS": "queue"}, "CALCBOT_BROKER_URL"),
    ({"CALCBOT_WORKERS": "celery"}, "local"),
    ({"CALCBOT_WORKERS": "queue", "CALCBOT_BROKER_URL": "http://127.0.0.1"}, "amqp://"),
])
def test_a_bad_worker_tier_setting_is_refused_with_what_to_set(monkeypatch, env, complaint):
    from pydantic import ValidationError

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert complaint in str(caught.value)
