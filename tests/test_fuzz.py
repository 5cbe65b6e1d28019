"""The parser's fuzz test (atheris, coverage-guided), bounded in time: no crash, no hang, no unexpected
exception on mutated workbooks and fuzzed sheets. The seed corpus is real workbooks built in code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.ingest.workbooks import with_info, write_workbook

FUZZ_SECONDS = 60
HARNESS = Path(__file__).parent / "fuzz" / "fuzz_parser.py"


def test_the_parser_survives_a_minute_of_fuzzing(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = [
        write_workbook(tmp_path / "valid.xlsx"),
        write_workbook(tmp_path / "other.xlsx", thong_tin=with_info(**{"Mã đơn vị": "24-SO02"})),
        write_workbook(tmp_path / "broken.xlsx", drop_sheets=("LanhDao",)),
    ]
    for number, seed in enumerate(seeds):
        (corpus / f"seed{number}").write_bytes(b"\x00" + seed.read_bytes())  # first byte even: bytes mode
    (corpus / "cells").write_bytes(b"\x01" + bytes(range(256)) * 4)  # odd: fuzzed sheets

    result = subprocess.run(
        [sys.executable, str(HARNESS), f"-max_total_time={FUZZ_SECONDS}", "-timeout=20", "-rss_limit_mb=3072",
         str(corpus)],
        capture_output=True, text=True, timeout=FUZZ_SECONDS * 4, cwd=tmp_path,  # crash files land there
    )  # fmt: skip

    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    runs = re.search(r"Done (\d+) runs in (\d+) second", log)
    assert runs, log[-2000:]
    print(f"atheris: {runs.group(1)} executions in {runs.group(2)} s")  # quoted in the issue note
    assert int(runs.group(1)) > 100
