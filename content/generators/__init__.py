"""Question generators, by name: each is a pure function ``seed -> Draft`` (see ``base``).

Topics in the curriculum files refer to generators by these names; the catalog checks that every
name exists when it loads.
"""

from __future__ import annotations

from content.generators import (
    derivatives,
    multivariate,
    networks,
    optimisation,
    pictures,
    pictures_fields,
    regression,
    series,
)
from content.generators.base import Draft, Generator


def _merge(*tables: dict[str, Generator]) -> dict[str, Generator]:
    merged: dict[str, Generator] = {}
    for table in tables:
        clash = merged.keys() & table.keys()
        if clash:
            raise ValueError(f"generator names defined twice: {sorted(clash)}")
        merged.update(table)
    return merged


GENERATORS: dict[str, Generator] = _merge(
    derivatives.GENERATORS,
    multivariate.GENERATORS,
    networks.GENERATORS,
    series.GENERATORS,
    optimisation.GENERATORS,
    regression.GENERATORS,
    pictures.GENERATORS,
    pictures_fields.GENERATORS,
)

__all__ = ["GENERATORS", "Draft", "Generator"]
