"""Fit the four BKT parameters per skill with pyBKT, from tries exported by ``benchmarks/learners.py``.

Run by hand, in an environment with pyBKT (1.4.3 needs numpy < 2 and scikit-learn < 1.6, so give it
its own venv; nothing of calcbot's is imported here):
    python -m venv /tmp/bkt && /tmp/bkt/bin/pip install "numpy<2" "scikit-learn<1.6" "pandas<2.2" pyBKT
    .venv/bin/python -m benchmarks.learners --export-tries /tmp/tries.csv
    /tmp/bkt/bin/python benchmarks/fit_bkt.py /tmp/tries.csv

Prints the fitted prior, learn, slip and guess per skill beside calcbot's defaults
(``bot.learner.tracing.DEFAULT_PARAMS``), so the defaults can be checked against logged tries.
"""

from __future__ import annotations

import sys

DEFAULTS = {"prior": 0.15, "learns": 0.05, "slips": 0.10, "guesses": 0.20}  # bot.learner.tracing.DEFAULT_PARAMS


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    import pandas
    from pyBKT.models import Model

    model = Model(seed=42, num_fits=2, parallel=False)
    model.fit(data=pandas.read_csv(argv[0]))
    table = model.params().reset_index()
    names = ("prior", "learns", "slips", "guesses")
    print(f"{'skill':24}" + "".join(f"{name:>9}" for name in names))
    print(f"{'(calcbot defaults)':24}" + "".join(f"{DEFAULTS[name]:9.2f}" for name in names))
    for skill in sorted(set(table["skill"])):
        rows = table[(table["skill"] == skill) & (table["class"] == "default")]
        values = {row["param"]: float(row["value"]) for _, row in rows.iterrows()}
        print(f"{skill:24}" + "".join(f"{values.get(name, float('nan')):9.2f}" for name in names))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
