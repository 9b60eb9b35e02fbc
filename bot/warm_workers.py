"""Imported once by the workers' fork server (``bot/workers.py``), never by anything else: runs a
typical first job — read, differentiate and present an expression, draw a tiny figure — so every
worker forked afterwards starts with SymPy's caches and matplotlib's fonts already loaded, and the
first answer after start costs what any other answer costs."""

from __future__ import annotations

import logging

from bot.workers import warm_up

try:
    warm_up()
except Exception:  # a failed warm-up costs speed, never correctness (and must not stop the fork server)
    logging.getLogger("calcbot.workers").info("worker warm-up failed", exc_info=True)
