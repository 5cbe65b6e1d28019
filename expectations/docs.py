"""An offline summary page next to Great Expectations' Data Docs: `data_docs/summary.html`.

GE's own pages load Bootstrap, jQuery and fonts from CDNs; offline they are bare. This page is plain HTML
with inline CSS and no scripts or external resources: the run's verdict (publishable or not), findings by
severity, every expectation's outcome, every finding with the unit's name, and the trend of the last runs
from `dq.results`.
"""

from __future__ import annotations

import html
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from expectations.checks import SEVERITIES, Scope
from expectations.results import CheckSummary, publishable

if TYPE_CHECKING:
    import duckdb

SUMMARY_FILE = "summary.html"
TREND_RUNS = 15
_SEVERITY_VI = {"error": "Lỗi (chặn công bố)", "warning": "Cảnh báo"}

_CSS = """
body { font-family: "Times New Roman", Times, serif; margin: 2em auto; max-width: 72em; padding: 0 1em;
       color: #111; line-height: 1.4; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; font-size: .95em; }
th, td { border: 1px solid #aaa; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #e8eef5; } td.num { text-align: right; white-space: nowrap; }
.error { color: #a00; font-weight: bold; } .warning { color: #8a5a00; } .ok { color: #060; font-weight: bold; }
.verdict { font-size: 1.15em; padding: .6em 1em; border: 2px solid; display: inline-block; }
.verdict.ok { border-color: #060; } .verdict.error { border-color: #a00; }
small { color: #555; }
"""


def _e(value: object) -> str:
    return html.escape(unicodedata.normalize("NFC", "" if value is None else str(value)))


def write_summary_page(con: duckdb.DuckDBPyConnection, summary: CheckSummary, scope: Scope, out_dir: Path) -> Path:
    """Write `out_dir/summary.html` for this run (after its rows were written to `dq.results`)."""
    from expectations.run import BATCHES

    out_dir.mkdir(parents=True, exist_ok=True)
    descriptions = {check.name: check.description_vi for batch in BATCHES for check in batch.checks}
    names = dict(con.execute("select unit_code, unit_name from marts.dim_units").fetchall())
    period = (
        f"{'6 tháng' if scope.report_type == '6T' else 'năm' if scope.report_type == 'NAM' else 'mọi kỳ'}"
        f"{f' {scope.report_year}' if scope.report_year else ''}"
    )
    counts = summary.counts
    ok = publishable(summary)
    verdict = (
        '<p class="verdict ok">Có thể công bố báo cáo gửi Bộ Nội vụ: không có lỗi chặn.</p>'
        if ok
        else f'<p class="verdict error">Chưa được công bố báo cáo gửi Bộ Nội vụ: còn {counts["error"]} lỗi '
        "làm sai số liệu tổng hợp (xem danh sách).</p>"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        f"<title>Kiểm tra chất lượng dữ liệu – kỳ {_e(period)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Kiểm tra chất lượng dữ liệu báo cáo bình đẳng giới – kỳ {_e(period)}</h1>",
        f"<p><small>Lần chạy {_e(summary.run_id)} · {summary.run_at:%d/%m/%Y %H:%M} UTC</small></p>",
        verdict,
        "<table><tr><th>Mức độ</th><th>Số phát hiện</th></tr>",
        *(
            f'<tr><td class="{s}">{_e(_SEVERITY_VI[s])}</td><td class="num">{counts.get(s, 0)}</td></tr>'
            for s in SEVERITIES
        ),
        "</table>",
        "<h2>Kết quả từng kiểm tra</h2>",
        "<table><tr><th>Bộ kiểm tra</th><th>Kiểm tra</th><th>Mức độ</th><th>Nội dung</th>"
        "<th>Không đạt / đã kiểm tra</th></tr>",
    ]
    for outcome in summary.outcomes:
        css = "ok" if outcome.success else outcome.severity
        parts.append(
            f"<tr><td>{_e(outcome.suite)}</td><td><code>{_e(outcome.expectation)}</code></td>"
            f'<td class="{outcome.severity}">{_e(outcome.severity)}</td>'
            f"<td>{_e(descriptions.get(outcome.expectation, ''))}</td>"
            f'<td class="num {css}">{_e(outcome.observed)}</td></tr>'
        )
    parts.append("</table>")
    parts.append(f"<h2>Các phát hiện ({len(summary.findings)})</h2>")
    if summary.findings:
        parts.append(
            "<table><tr><th>#</th><th>Mức độ</th><th>Kiểm tra</th><th>Mã đơn vị</th><th>Tên đơn vị</th>"
            "<th>Kỳ</th><th>Giá trị ghi nhận</th></tr>"
        )
        ordered = sorted(
            summary.findings,
            key=lambda f: (SEVERITIES.index(f.severity), f.suite, f.expectation, f.unit_code or "", f.observed or ""),
        )
        for number, finding in enumerate(ordered, start=1):
            parts.append(
                f'<tr><td class="num">{number}</td><td class="{finding.severity}">{_e(finding.severity)}</td>'
                f"<td><code>{_e(finding.expectation)}</code></td><td>{_e(finding.unit_code or '–')}</td>"
                f"<td>{_e(names.get(finding.unit_code, ''))}</td>"
                f"<td>{_e(finding.report_type)} {_e(finding.report_year)}</td><td>{_e(finding.observed)}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append('<p class="ok">Không có phát hiện nào.</p>')
    parts += _trend(con, scope)
    if summary.data_docs_index is not None:
        parts.append(
            '<h2>Chi tiết</h2><p><a href="index.html">Great Expectations Data Docs</a> '
            "<small>(các trang này tải định dạng từ Internet; khi không có mạng vẫn đọc được nhưng không có "
            "định dạng)</small></p>"
        )
    parts.append("</body></html>")
    path = out_dir / SUMMARY_FILE
    path.write_text(unicodedata.normalize("NFC", "\n".join(parts)), encoding="utf-8")
    return path


def _trend(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[str]:
    """Findings per severity over the last runs of the same scope (from dq.results)."""
    # Summary rows (one per expectation and run: unit_code null, observed 'failing/checked') carry the counts.
    rows = con.execute(
        """
        with summaries as (
            select run_id, run_at, severity, cast(split_part(observed, '/', 1) as integer) as failing
            from dq.results
            where
                report_year is not distinct from ?
                and report_type is not distinct from ?
                and unit_code is null
                and regexp_full_match(coalesce(observed, ''), '[0-9]+/[0-9]+')
        )
        select
            run_id,
            min(run_at) as run_at,
            sum(failing) filter (where severity = 'error') as errors,
            sum(failing) filter (where severity = 'warning') as warnings
        from summaries
        group by run_id
        order by run_at desc
        limit ?
        """,
        [scope.report_year, scope.report_type, TREND_RUNS],
    ).fetchall()[::-1]
    if not rows:
        return []
    lines = [
        f"<h2>Diễn biến {len(rows)} lần chạy gần nhất</h2>",
        "<table><tr><th>Lần chạy</th><th>Thời điểm (UTC)</th><th>Lỗi</th><th>Cảnh báo</th></tr>",
    ]
    for run_id, run_at, errors, warnings in rows:
        lines.append(
            f"<tr><td>{_e(run_id)}</td><td>{run_at:%d/%m/%Y %H:%M}</td>"
            f'<td class="num error">{errors or 0}</td><td class="num warning">{warnings or 0}</td></tr>'
        )
    lines.append("</table>")
    return lines
