"""`make bench`: ingest at national scale, measured against the bare parser.

Generates (once, cached) a national year — 34 provinces × ~124 units, ≈4,200 workbooks for one period —
then reports in one run: ingest wall time into a fresh warehouse, a bare single-process python-calamine
read of the same files, a pandas + openpyxl read of a sample, the no-op re-run time, and peak memory
(resident set of the ingest process and its parser workers together, sampled every 100 ms).

Shared virtual machines vary by ±20 % from one second to the next, so the bare read and the ingest are
timed in alternating rounds and the medians are compared (robust to a round that ran unusually slow or
fast); the best-of ratio and every round's figures are reported too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from pathlib import Path

import psutil


class PeakMemory:
    """Samples the RSS of this process plus its children until stopped; `.peak` in bytes."""

    def __init__(self, interval: float = 0.1):  # a sample costs ~2 ms of the CPU being measured
        self.interval, self.peak = interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def bare_calamine_read(paths: list[Path]) -> float:
    """Seconds to open every workbook and read every sheet with python-calamine, one process."""
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    for path in paths:
        try:
            workbook = CalamineWorkbook.from_path(str(path))
            for name in workbook.sheet_names:
                workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:  # the inbox holds deliberately broken files
            continue
    return time.perf_counter() - started


def pandas_openpyxl_read(paths: list[Path]) -> float:
    """Seconds to read every sheet of each workbook with pandas + openpyxl."""
    import pandas as pd

    started = time.perf_counter()
    for path in paths:
        try:
            pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
        except Exception:
            continue
    return time.perf_counter() - started


def run(out: Path, provinces: int, seed: int, sample: int, rounds: int = 5) -> dict:
    from ingest.inbox import discover
    from ingest.run import ingest_inbox
    from sample.generate import generate_inbox

    inbox = out / "inbox"
    if not (inbox / "_manifest.json").exists():
        started = time.perf_counter()
        generate_inbox(inbox, provinces=provinces, year=2026, report_type="NAM", seed=seed)
        print(f"generated {inbox} in {time.perf_counter() - started:.1f} s")
    paths = [item.path for item in discover(inbox)]
    warehouse = out / "bench.duckdb"
    bares, ingests, noops = [], [], []
    with PeakMemory() as memory:
        for _ in range(rounds):
            for stale in (warehouse, Path(f"{warehouse}.wal")):
                stale.unlink(missing_ok=True)
            bares.append(bare_calamine_read(paths))
            started = time.perf_counter()
            summary = ingest_inbox(warehouse, inbox, inbox / "_reference")
            ingests.append(time.perf_counter() - started)
            started = time.perf_counter()
            rerun = ingest_inbox(warehouse, inbox, inbox / "_reference")
            noops.append(time.perf_counter() - started)
    bare, ingest, noop = statistics.median(bares), statistics.median(ingests), statistics.median(noops)
    step = max(1, len(paths) // sample)
    sampled = paths[::step][:sample]
    pandas = pandas_openpyxl_read(sampled)

    per_file_ingest = ingest / len(paths)
    per_file_pandas = pandas / len(sampled)
    result = {
        "files": len(paths),
        "statuses": summary.counts,
        "cpu_count": psutil.cpu_count(),
        "ingest_seconds": round(ingest, 2),
        "bare_calamine_seconds": round(bare, 2),
        "ingest_vs_bare": round(ingest / bare, 2),
        "ingest_vs_bare_best_of": round(min(ingests) / min(bares), 2),
        "pandas_openpyxl_sample_files": len(sampled),
        "pandas_openpyxl_ms_per_file": round(per_file_pandas * 1000, 1),
        "ingest_ms_per_file": round(per_file_ingest * 1000, 2),
        "pandas_vs_ingest_per_file": round(per_file_pandas / per_file_ingest, 1),
        "noop_rerun_seconds": round(noop, 2),
        "noop_vs_ingest": round(noop / ingest, 3),
        "noop_skipped": rerun.skipped_known,
        "peak_memory_mib": round(memory.peak / 2**20, 1),
        "rounds": {
            "bare_calamine_seconds": [round(value, 2) for value in bares],
            "ingest_seconds": [round(value, 2) for value in ingests],
            "noop_rerun_seconds": [round(value, 2) for value in noops],
        },
    }
    result["targets"] = {
        "ingest <= 1.5x bare calamine": result["ingest_vs_bare"] <= 1.5,
        "pandas+openpyxl >= 15x slower per file": result["pandas_vs_ingest_per_file"] >= 15,
        "no-op re-run <= 10% of first run": result["noop_vs_ingest"] <= 0.10,
        "peak memory < 1 GiB": result["peak_memory_mib"] < 1024,
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench"))
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5, help="alternating timing rounds; medians are compared")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    result = run(args.out, args.provinces, args.seed, args.sample, args.rounds)
    (args.out / "bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    for key, value in result.items():
        print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
