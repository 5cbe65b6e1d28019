"""Plan tasks end to end: the seed plan imported, units report task status on NhiemVu, dbt judges."""

from __future__ import annotations

import datetime as dt

import duckdb

from bdg.steps import check_step, transform_step
from ingest.form_writer import FormContent, write_form
from ingest.plan_tasks import import_plan
from ingest.reference import DEFAULT_REFERENCE_DIR, read_units
from ingest.run import ingest_inbox
from tests.ingest.test_plan_tasks import EXPECTED, SEED


def test_task_status_and_overdue_tasks(tmp_path):
    warehouse, inbox = tmp_path / "bdg.duckdb", tmp_path / "inbox"
    inbox.mkdir()
    units = read_units(DEFAULT_REFERENCE_DIR)
    import_plan(warehouse, SEED, "24", 2026, units)
    names = {unit.unit_code: unit.unit_name for unit in units}
    so_noi_vu = FormContent(tasks=[
        {"task_code": "III.3", "status_code": "HOAN_THANH", "result_text": "Đã ban hành kế hoạch"},
        {"task_code": "iv.1.2", "status_code": "Đang thực hiện", "result_text": None},
    ])  # fmt: skip
    commune = FormContent(tasks=[{"task_code": "V.3", "status_code": "CHUA_THUC_HIEN", "result_text": None}])
    write_form(inbox / "snv.xlsx", "24-SO02", names["24-SO02"], 2026, "NAM", so_noi_vu)
    write_form(inbox / "xa.xlsx", "24-XA001", names["24-XA001"], 2026, "6T", commune)
    (inbox / "_received.csv").write_text(
        "file,received_at\nsnv.xlsx,2026-11-25T08:00:00+07:00\nxa.xlsx,2026-05-20T08:00:00+07:00\n"
    )
    summary = ingest_inbox(warehouse, inbox, DEFAULT_REFERENCE_DIR)
    assert summary.counts == {"loaded": 2}

    transform_step(warehouse, dt.date(2026, 12, 21))

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = {
            (task, unit): (status, overdue)
            for task, unit, status, overdue in con.execute(
                "select task_code, unit_code, status, is_overdue from marts.rpt_plan_task_status"
            ).fetchall()
        }
        active = dict(
            con.execute(
                "select unit_kind, count(*) from marts.dim_units where valid_to is null group by all"
            ).fetchall()
        )
        tasks = con.execute("select count(*) from marts.dim_plan_tasks").fetchone()[0]
        leads_of_so_tu_phap = con.execute(
            "select count(*) from marts.fct_plan_task_assignments where unit_code = '24-SO03' and agency_role = 'lead'"
        ).fetchone()[0]
    assert tasks == 28
    # Sở Tư pháp leads the tasks that name it and every task led by "Các sở, ban, ngành"
    assert leads_of_so_tu_phap == sum(1 for leads, _ in EXPECTED.values() if {"24-SO03", "SO_NGANH"} & set(leads))
    assert rows[("III.3", "24-SO02")] == ("done", False)
    assert rows[("IV.1.2", "24-SO02")] == ("in_progress", True)  # due 30/4/2026, not done
    assert rows[("V.3", "24-XA001")] == ("not_started", True)  # due 31/5/2026
    assert rows[("IV.2.4", "24-SO02")] == ("no_report", False)  # "Sau khi …": no due date
    assert rows[("V.3", "24-XA002")] == ("no_report", True)
    communes = active.get("XA", 0) + active.get("PHUONG", 0) + active.get("DAC_KHU", 0)
    assert sum(1 for task, _ in rows if task == "I.1") == active["SO_NGANH"] + communes
    assert sum(1 for task, _ in rows if task == "IV.1.6") == active["SO_NGANH"] + communes + active["TW"]

    checks = check_step(warehouse, dt.date(2026, 12, 21))
    overdue = {
        (finding["unit_code"], finding["observed"].split(":")[0])
        for finding in checks["findings"]
        if finding["expectation"] == "no_overdue_plan_task"
    }
    assert {
        finding["severity"] for finding in checks["findings"] if finding["expectation"] == "no_overdue_plan_task"
    } == {"warning"}
    expected = {(unit, task) for (task, unit), (_, is_overdue) in rows.items() if is_overdue}
    assert overdue == expected and ("24-SO02", "IV.1.2") in overdue and ("24-SO02", "III.3") not in overdue
