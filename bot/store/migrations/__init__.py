"""Alembic script directory for the progress store (run through ``bot.store.migrate``)."""
