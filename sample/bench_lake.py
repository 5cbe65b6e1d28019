"""The national lake measurement of `make bench` (called by sample/bench.py after its timing rounds): the
national year loaded into a DuckLake by 2 concurrent writers, against the embedded file, each followed by
the one dbt build (`bdg transform --as-of 31/12/2026`).

- embedded_build: `bdg transform` on the file the last timing round left (one `bdg ingest` of the whole
  inbox into a fresh file; its ingest time is the rounds' median);
- run_lake: a fresh PostgreSQL database (127.0.0.1:5432, user postgres) as the catalog and a fresh data
  folder; the inbox split by province into two halves (hard links, each with its lines of `_received.csv`),
  the national `_reference` for both; two `bdg ingest` processes started together, one per half, timed
  from the start to both finished; then `bdg transform` on the lake. The database is dropped (and the data
  folder removed) at the end, whatever happened.
`counts` reads what bench.py compares: files per status (the ingest's submission counts) and a checksum of
the ministry tables (rows and the sum of their values in marts.rpt_ministry_annual).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from sample.timing import children_cpu, timed

AS_OF = "31/12/2026"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def postgres_problem() -> str | None:
    """None when the local PostgreSQL answers, else why not (one line)."""
    try:
        import psycopg2
    except ImportError as error:
        return f"psycopg2 is not installed ({error})"
    try:
        psycopg2.connect(dbname="postgres", connect_timeout=5, **PG).close()
    except psycopg2.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def require_postgres() -> None:
    """Exit (status 2, a message on stderr) when PostgreSQL is not reachable: the lake needs its catalog."""
    problem = postgres_problem()
    if problem is not None:
        print(
            f"bench: the lake measurement needs PostgreSQL on {PG['host']}:{PG['port']} (user {PG['user']}), "
            f"which is not reachable: {problem}\nStart it, or run with --skip-lake.",
            file=sys.stderr,
        )
        raise SystemExit(2)


def admin_sql(sql: str) -> None:
    """One statement on the `postgres` database, outside a transaction (create or drop a database)."""
    import psycopg2

    con = psycopg2.connect(dbname="postgres", connect_timeout=10, **PG)
    try:
        con.autocommit = True
        with con.cursor() as cursor:
            cursor.execute(sql)
    finally:
        con.close()


def split_by_province(inbox: Path, root: Path) -> list[dict]:
    """Two inboxes under `root` (made afresh), the first half of the manifest's provinces in one and the
    rest in the other, the workbooks hard-linked (copied where links are refused), each with the lines of
    `_received.csv` for its files. A file the manifest does not list goes to the first half."""
    manifest = json.loads((inbox / "_manifest.json").read_text(encoding="utf-8"))
    codes = [province["province_code"] for province in manifest["provinces"]]
    halves = [codes[: len(codes) // 2], codes[len(codes) // 2 :]]
    owner = {entry["file"]: unit["province_code"] for unit in manifest["units"] for entry in unit["files"]}
    shutil.rmtree(root, ignore_errors=True)
    folders = [root / "a", root / "b"]
    names: list[set[str]] = [set(), set()]
    for path in inbox.iterdir():
        if not path.is_file() or path.name.startswith(("_", ".")):
            continue
        half = 1 if owner.get(path.name) in halves[1] else 0
        target = folders[half] / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        names[half].add(path.name)
    with (inbox / "_received.csv").open(encoding="utf-8-sig", newline="") as handle:
        received = list(csv.DictReader(handle))
    for folder, kept in zip(folders, names, strict=True):
        with (folder / "_received.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=["file", "received_at"], extrasaction="ignore")
            writer.writeheader()
            writer.writerows(row for row in received if row.get("file") in kept)
    return [
        {"inbox": folder, "provinces": len(codes), "files": len(kept)}
        for folder, codes, kept in zip(folders, halves, names, strict=True)
    ]


def counts(warehouse: str | Path) -> dict:
    """Files per status (the ingest's record) and the ministry tables' rows and summed values, read-only."""
    from ingest.load import submission_counts
    from ingest.warehouse import connect

    with connect(warehouse, read_only=True) as con:
        return {
            "submissions": submission_counts(con),
            "ministry_cells": list(
                con.execute("select count(*), sum(value) from marts.rpt_ministry_annual").fetchone()
            ),
        }


def concurrently(commands: list[list[str]], logs: list[Path], env: dict[str, str], cwd: Path) -> dict:
    """Start every command at once; wall seconds from the start to all finished, each one's own seconds,
    and the CPU seconds of all. Raises RuntimeError naming the log of a command that failed."""
    ends: list[float] = [0.0] * len(commands)
    codes: list[int] = [0] * len(commands)
    handles = [log.open("w", encoding="utf-8") for log in logs]
    cpu_before, started = children_cpu(), time.perf_counter()
    processes = [
        subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        for command, handle in zip(commands, handles, strict=True)
    ]

    def wait(index: int) -> None:
        codes[index] = processes[index].wait()
        ends[index] = time.perf_counter()

    waiters = [threading.Thread(target=wait, args=(index,)) for index in range(len(processes))]
    for waiter in waiters:
        waiter.start()
    for waiter in waiters:
        waiter.join()
    for handle in handles:
        handle.close()
    failed = [str(log) for log, code in zip(logs, codes, strict=True) if code != 0]
    if failed:
        raise RuntimeError(f"a concurrent command failed; see {', '.join(failed)}")
    return {
        "wall": max(ends) - started,
        "each": [end - started for end in ends],
        "cpu": children_cpu() - cpu_before,
    }


def embedded_build(file_warehouse: Path, file_ingest_seconds: float, out: Path, env: dict[str, str]) -> dict:
    """`bdg transform` timed on the embedded file the timing rounds left; bench.json's "embedded" entry."""
    bdg = str(Path(sys.executable).parent / "bdg")
    command = [bdg, "transform", "--as-of", AS_OF, "--warehouse", str(file_warehouse)]
    build_s, _ = timed(command, out / "transform_file.log", env)
    print(f"embedded: ingest {file_ingest_seconds:.2f} (median of the rounds) | dbt build {build_s:.2f}", flush=True)
    return {
        "warehouse": str(file_warehouse),
        "ingest_seconds": round(file_ingest_seconds, 2),
        "dbt_build_seconds": round(build_s, 2),
        "counts": counts(file_warehouse),
    }


def run_lake(inbox: Path, out: Path, env: dict[str, str]) -> dict:
    """The lake's two-writer ingest and dbt build; bench.json's "lake" entry. Exits (status 2) when
    PostgreSQL is not reachable; raises CalledProcessError / RuntimeError when a command fails."""
    require_postgres()
    bdg = str(Path(sys.executable).parent / "bdg")
    inbox, out = inbox.resolve(), out.resolve()
    work = out / "lake"
    halves = split_by_province(inbox, out / "halves")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    database = f"bdg_bench_{uuid.uuid4().hex[:10]}"
    lake = f"ducklake:postgres:dbname={database} host={PG['host']} user={PG['user']}"
    data = work / "data"
    lake_env = {**env, "BDG_WAREHOUSE": lake, "BDG_LAKE_DATA_PATH": f"{data}/"}
    admin_sql(f"create database {database}")
    try:
        ingests = [
            [bdg, "ingest", "--inbox", str(half["inbox"]), "--reference", str(inbox / "_reference"),
             "--out", str(work / f"out_{half['inbox'].name}")]
            for half in halves
        ]  # fmt: skip
        logs = [work / f"ingest_{half['inbox'].name}.log" for half in halves]
        writers = concurrently(ingests, logs, lake_env, cwd=work)
        print(
            f"lake: two writers {writers['wall']:.2f} (each {', '.join(f'{s:.2f}' for s in writers['each'])};"
            f" cpu {writers['cpu']:.2f})",
            flush=True,
        )
        # run from the lake's folder: for a lake, dbt's target and logs go to ./warehouse
        build_s, _ = timed([bdg, "transform", "--as-of", AS_OF], work / "transform_lake.log", lake_env, cwd=work)
        print(f"lake: dbt build {build_s:.2f}", flush=True)
        on_lake = counts(lake)
    finally:
        admin_sql(f"drop database if exists {database} with (force)")
        shutil.rmtree(data, ignore_errors=True)
    return {
        "catalog": f"PostgreSQL {PG['host']}:{PG['port']} (a fresh database, dropped after)",
        "writers": len(halves),
        "halves": [{"provinces": half["provinces"], "files": half["files"]} for half in halves],
        "ingest_two_writers_seconds": round(writers["wall"], 2),
        "ingest_each_writer_seconds": [round(value, 2) for value in writers["each"]],
        "ingest_cpu_seconds": round(writers["cpu"], 2),
        "dbt_build_seconds": round(build_s, 2),
        "counts": on_lake,
    }
