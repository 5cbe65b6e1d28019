"""Timing a command as a user waits for it (`make bench`): wall and CPU seconds of a subprocess and its workers."""

from __future__ import annotations

import resource
import subprocess
import time
from pathlib import Path


def timed(command: list[str], log: Path, env: dict[str, str], cwd: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of it and its workers) of `command` as a subprocess (run in `cwd`), start-up
    included; its output goes to `log`. Raises CalledProcessError when it fails (a failing command means
    nothing)."""
    with log.open("w", encoding="utf-8") as handle:
        cpu_before = children_cpu()
        started = time.perf_counter()
        subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, check=True, env=env, cwd=cwd)
        return time.perf_counter() - started, children_cpu() - cpu_before


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
