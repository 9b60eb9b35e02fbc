"""Names of worker jobs, for the chat process: ``jobs_in("bot.present.derivative").derive`` stands for
that function without importing its module here.

The job modules pull in SymPy, SciPy and matplotlib (≈2.5 s of CPU); only the workers need them, and
their fork server has already imported them (``bot/workers.py`` PRELOAD). A reference pickles as two
strings and imports its function on the first call, inside the worker — so the chat process starts,
and gives its first answer, without loading the mathematics.
"""

from __future__ import annotations

import importlib
from typing import Any


class JobRef:
    """One job function, named by module and name; called like the function it names."""

    def __init__(self, module: str, name: str):
        self.__module__ = module  # the job cache keys on the function's module and name
        self.__qualname__ = self.__name__ = name

    def __call__(self, *args: Any) -> Any:
        return getattr(importlib.import_module(self.__module__), self.__qualname__)(*args)

    def __reduce__(self) -> tuple[type[JobRef], tuple[str, str]]:
        return JobRef, (self.__module__, self.__qualname__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JobRef) and (self.__module__, self.__qualname__) == (
            other.__module__, other.__qualname__)

    def __hash__(self) -> int:
        return hash((self.__module__, self.__qualname__))

    def __repr__(self) -> str:
        return f"{self.__module__}.{self.__qualname__}"


class JobModule:
    """A job module seen from the chat process: each attribute is a ``JobRef``."""

    def __init__(self, module: str):
        self._module = module

    def __getattr__(self, name: str) -> JobRef:
        if name.startswith("_"):
            raise AttributeError(name)
        return JobRef(self._module, name)


def jobs_in(module: str) -> Any:
    """The jobs of ``module`` by name (typed ``Any``: each attribute stands for a function there)."""
    return JobModule(module)
