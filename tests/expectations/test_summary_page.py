"""The offline summary page: rendered from its Jinja2 template, escaped, self-contained, no "None"."""

from __future__ import annotations

import datetime as dt

import duckdb

from expectations.checks import Scope
from expectations.docs import write_summary_page
from expectations.results import DQ_DDL, CheckSummary, Finding, write_results


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute("create table marts.dim_units as select 'XA-01' as unit_code, 'Xã <Hòa> & Bình' as unit_name")
    con.execute(DQ_DDL)
    return con


def test_the_page_escapes_values_and_loads_nothing_from_outside(tmp_path):
    con = _warehouse()
    summary = CheckSummary(run_id="r1", run_at=dt.datetime(2027, 12, 21, 8, 5, tzinfo=dt.UTC))
    summary.outcomes.append(
        Finding("report_validity", "totals_row_equals_sum", "error", False, None, 2027, "NAM", "1/9")
    )
    summary.findings += [
        Finding("report_validity", "totals_row_equals_sum", "error", False, "XA-01", 2027, "NAM", "ghi <b>12</b>"),
        Finding("reporting_completeness", "every_file_attributed_to_a_unit", "warning", False, None, 2027, "NAM"),
    ]
    write_results(con, summary)

    text = write_summary_page(con, summary, Scope(2027, "NAM"), tmp_path).read_text(encoding="utf-8")

    assert "kỳ năm 2027" in text and "21/12/2027 08:05" in text
    assert "Chưa được công bố báo cáo gửi Bộ Nội vụ: còn 1 lỗi" in text
    assert "ghi &lt;b&gt;12&lt;/b&gt;" in text and "Xã &lt;Hòa&gt; &amp; Bình" in text
    assert "None" not in text
    assert "http://" not in text and "https://" not in text and "<script" not in text
    assert "Diễn biến 1 lần chạy gần nhất" in text
    assert 'href="index.html"' not in text  # no Data Docs were built


def test_a_clean_run_says_publishable(tmp_path):
    con = _warehouse()
    summary = CheckSummary(run_id="r2", run_at=dt.datetime(2027, 12, 21, tzinfo=dt.UTC))
    text = write_summary_page(con, summary, Scope(), tmp_path).read_text(encoding="utf-8")
    assert "Có thể công bố" in text and "Không có phát hiện nào." in text and "– mọi kỳ</h1>" in text
