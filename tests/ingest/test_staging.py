"""The scheduler's path (plan → parse batches to Parquet → one loader) reaches the in-process state."""

from __future__ import annotations

from ingest.run import ingest_inbox
from ingest.staging import load_staged, parse_batch, plan_batches
from sample.generate import generate_inbox
from tests.ingest.test_inbox_run import _raw_state


def test_staged_batches_load_like_the_in_process_ingest(tmp_path):
    generated = generate_inbox(tmp_path / "inbox", provinces=1, units_per_province=40, seed=3, bad_rate=0.15)
    reference = generated.reference_dir
    ingest_inbox(tmp_path / "direct.duckdb", generated.out_dir, reference)

    staged = tmp_path / "staged.duckdb"
    batches = plan_batches(staged, generated.out_dir, batch_files=7)
    assert len(batches) > 1
    folders = [parse_batch(batch, reference, tmp_path / "parquet", tmp_path / "feedback") for batch in batches]
    counts = load_staged(staged, folders, reference)

    assert sum(counts.values()) == len(generated.files)
    assert _raw_state(staged) == _raw_state(tmp_path / "direct.duckdb")
    rejected = sum(f["kind"] != "ok" for unit in generated.manifest["units"] for f in unit["files"])
    assert len(list((tmp_path / "feedback").iterdir())) == rejected

    load_staged(staged, folders, reference)  # a retried load task changes nothing
    assert _raw_state(staged) == _raw_state(tmp_path / "direct.duckdb")
    assert plan_batches(staged, generated.out_dir) == []
