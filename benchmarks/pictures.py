"""Picture questions: the time to generate one (choose the panels, check they differ) and to draw its
image (sample the spec, render the PNG, write the alt text), per kind, over a spread of seeds.

Run by hand:
    .venv/bin/python -m benchmarks.pictures [--seeds 20]

Both run in the worker pool; the figures say how long a /quiz graphs waits on a free worker.
"""

from __future__ import annotations

import argparse
import statistics
import time

from content.figures import question_image
from content.generate import generate_from
from content.generators.pictures import GENERATORS as CURVES
from content.generators.pictures_fields import GENERATORS as FIELDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=20)
    seeds = range(0, 97 * parser.parse_args().seeds, 97)
    print(f"{'kind':<22}{'generate p50':>14}{'max':>9}{'draw p50':>11}{'max':>9}{'PNG kB':>9}")
    for name in (*CURVES, *FIELDS):
        made, drawn, sizes = [], [], []
        for seed in seeds:
            start = time.perf_counter()
            question = generate_from("graphs", name, seed)
            made.append(time.perf_counter() - start)
            start = time.perf_counter()
            png, _ = question_image(question.to_json())
            drawn.append(time.perf_counter() - start)
            sizes.append(len(png) / 1024)
        print(f"{name:<22}{statistics.median(made) * 1000:>11.0f} ms{max(made) * 1000:>6.0f} ms"
              f"{statistics.median(drawn) * 1000:>8.0f} ms{max(drawn) * 1000:>6.0f} ms{statistics.median(sizes):>9.0f}")


if __name__ == "__main__":
    main()
