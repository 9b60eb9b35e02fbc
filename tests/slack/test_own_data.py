"""A learner's own data on Slack: the CSV of their tries uploaded with files_upload_v2, privately."""

from __future__ import annotations

import csv
import io

from tests.slack.conftest import close_world, open_world


async def test_progress_export_uploads_the_csv_to_the_learners_direct_messages(standin, tmp_path, worker_pool):
    world = await open_world(standin, tmp_path, worker_pool, "socket")
    try:
        await world.command("/quiz power-sum-rules")
        await world.command("/skip")
        exported = await world.command("/progress export")
        [shared] = exported.shares
        assert shared.params["channel_id"].startswith("D")  # private: into the DM, never the channel
        [upload] = [u for u in standin.uploads.values() if u.filename == "calcbot-tries.csv"]
        rows = list(csv.DictReader(io.StringIO(upload.data.decode())))
        assert [(row["topic"], row["skipped"]) for row in rows] == [("power-sum-rules", "yes")]
        assert "calcbot-tries.csv" in exported.seen().text
    finally:
        await close_world(world)


async def test_progress_shares_the_mastery_chart_beside_the_text(standin, tmp_path, worker_pool):
    world = await open_world(standin, tmp_path, worker_pool, "socket")
    try:
        for _ in range(6):
            await world.command("/quiz power-sum-rules")
            answered = await world.command("/answer 12345*x^7")
            if "Not quite" in answered.seen().text:
                break
        progress = await world.command("/progress")
        assert "Mastery per skill" in progress.seen().text and progress.seen().images == 1
        [upload] = [u for u in standin.uploads.values() if u.filename == "mastery.png"]
        assert upload.data.startswith(b"\x89PNG\r\n\x1a\n")
    finally:
        await close_world(world)
