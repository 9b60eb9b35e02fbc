"""Jobs for the worker-pool tests: they must be importable by the worker processes."""

from __future__ import annotations

import os
import time


def square(x: int) -> int:
    return x * x


def spin_forever(_: object) -> None:
    while True:
        pass


def allocate_eight_gigabytes(_: object) -> None:
    bytearray(8 * 1024**3)  # far over the cap: refused at once, whatever the machine's load


def die_abruptly(_: object) -> None:
    os._exit(3)


def note_pid_then_die(path: str) -> None:
    """Add this worker's pid to the file (one line per run of the job), then kill the worker."""
    with open(path, "a") as out:
        out.write(f"{os.getpid()}\n")
    os._exit(3)


def sleep_then_return(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def random_token(_: object) -> bytes:
    return os.urandom(16)


def note_pid_then_spin(path: str) -> None:
    """Write this worker's pid where the test can find it, then spin until someone kills it."""
    with open(path, "w") as out:
        out.write(str(os.getpid()))
    while True:
        time.sleep(0.01)


def note_pid_then_sleep(path: str, seconds: float) -> int:
    """Add this worker's pid to the file (one line per run of the job), sleep, then return the pid."""
    with open(path, "a") as out:
        out.write(f"{os.getpid()}\n")
    time.sleep(seconds)
    return os.getpid()
