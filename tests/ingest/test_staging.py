"""The scheduler's path (plan → parse batches to Parquet → one loader) reaches the in-process state,
follows the same hash cache, and refuses to load when a planned batch is missing."""

from __future__ import annotations

import json

import pytest

from ingest import triage
from ingest.run import ingest_inbox
from ingest.staging import MissingBatchError, load_planned, parse_batch, plan_batches
from sample.generate import generate_inbox
from tests.ingest.test_inbox_run import _raw_state

pytestmark = pytest.mark.fast  # the edit-test tier (make test-fast)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate_inbox(tmp_path_factory.mktemp("inbox"), provinces=1, units_per_province=40, seed=3, bad_rate=0.15)


def _count_hashes(monkeypatch) -> list:
    hashed = []
    real = triage.hash_file

    def counting(path):
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(triage, "hash_file", counting)
    return hashed


def test_staged_batches_load_like_the_in_process_ingest(tmp_path, generated, monkeypatch):
    reference = generated.reference_dir
    ingest_inbox(tmp_path / "direct.duckdb", generated.out_dir, reference)

    staged, staging = tmp_path / "staged.duckdb", tmp_path / "parquet"
    hashed = _count_hashes(monkeypatch)
    batches = plan_batches(staged, generated.out_dir, batch_files=7)
    assert len(batches) > 1 and len(hashed) == len(generated.files)
    assert json.loads(json.dumps(batches)) == batches  # travels through XCom as JSON
    assert plan_batches(staged, generated.out_dir, batch_files=7) == batches  # stable ids
    for batch in batches:
        parse_batch(batch, reference, staging, tmp_path / "feedback")
    counts = load_planned(staged, staging, batches, reference)

    assert sum(counts.values()) == len(generated.files)
    assert _raw_state(staged) == _raw_state(tmp_path / "direct.duckdb")
    assert not staging.exists()
    rejected = sum(f["kind"] != "ok" for unit in generated.manifest["units"] for f in unit["files"])
    assert len(list((tmp_path / "feedback").iterdir())) == rejected

    # Like `bdg ingest`, the planner recorded the hashes: the next plan plans nothing and reads no file.
    hashed.clear()
    assert plan_batches(staged, generated.out_dir) == []
    assert hashed == []
    assert load_planned(staged, staging, [], reference) == {}  # a night with no new file


def test_a_missing_batch_fails_the_load_before_anything_is_loaded(tmp_path, generated):
    reference, warehouse, staging = generated.reference_dir, tmp_path / "bdg.duckdb", tmp_path / "parquet"
    batches = plan_batches(warehouse, generated.out_dir, batch_files=10)
    for batch in batches[1:]:
        parse_batch(batch, reference, staging)
    elsewhere = parse_batch(batches[0], reference, tmp_path / "somewhere_else")
    assert elsewhere.startswith(str(tmp_path / "somewhere_else"))

    with pytest.raises(MissingBatchError) as failure:
        load_planned(warehouse, staging, batches, reference)

    assert batches[0]["id"] in str(failure.value) and str(staging) in str(failure.value)
    assert all(batch["id"] not in str(failure.value) for batch in batches[1:])
    submissions, _ = _raw_state(warehouse)
    assert submissions == []  # nothing loaded
    assert staging.is_dir()  # the parsed batches are kept for the retry


def test_a_retried_parse_and_load_change_nothing(tmp_path, generated):
    reference, warehouse, staging = generated.reference_dir, tmp_path / "bdg.duckdb", tmp_path / "parquet"
    batches = plan_batches(warehouse, generated.out_dir, batch_files=25)
    for batch in batches:
        parse_batch(batch, reference, staging)
    parse_batch(batches[0], reference, staging)  # a retried parse task replaces its own folder
    assert sorted(path.name for path in staging.iterdir() if not path.name.startswith(".")) == sorted(
        batch["id"] for batch in batches
    )
    load_planned(warehouse, staging, batches, reference)
    first = _raw_state(warehouse)
    for batch in batches:  # the load task retried after it committed
        parse_batch(batch, reference, staging)
    load_planned(warehouse, staging, batches, reference)
    assert _raw_state(warehouse) == first
