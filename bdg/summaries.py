"""The command line's summaries of what a step did, printed to the terminal."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

# What became of a received file, as the summary prints it (the ingest's file statuses, and `failed`)
FILE_STATUS_VI = {
    "loaded": "nạp mới",
    "superseded": "đã được thay bằng tệp gửi sau",
    "duplicate": "trùng tệp đã nhận",
    "rejected": "bị từ chối",
    "failed": "lỗi hệ thống, sẽ đọc lại lần sau",
}


REJECTED_ROWS_SHOWN = 30


def print_ingest(console: Console, summary: dict) -> None:
    """What `bdg ingest` (and `bdg run`) found: files by status, then a page of the rejected files' errors."""
    counts = summary["counts"]
    parts = [f"Tệp trong hộp thư: {summary['files_seen']}", f"đã nạp trước đó: {summary['skipped_known']}"]
    parts += [f"{FILE_STATUS_VI.get(status, status)}: {count}" for status, count in sorted(counts.items())]
    console.print(" · ".join(parts))
    rejected = [f for f in summary["files"] if f["status"] == "rejected"]
    if rejected:
        table = Table(title="Tệp bị từ chối", show_lines=False)
        for name in ("Tệp", "Trang", "Ô", "Mã lỗi", "Nội dung"):
            table.add_column(name)
        rows = [(f["file_name"], e["sheet"] or "", e["cell"] or "", e["code"], e["message_vi"])
                for f in rejected for e in f["errors"]]  # fmt: skip
        for row in rows[:REJECTED_ROWS_SHOWN]:  # a terminal page: every error is in the feedback and --json
            table.add_row(*row)
        console.print(table)
        if len(rows) > REJECTED_ROWS_SHOWN:
            shown = len({row[0] for row in rows[:REJECTED_ROWS_SHOWN]})
            console.print(
                f"… và {len(rows) - REJECTED_ROWS_SHOWN} lỗi khác ({len(rejected) - shown} tệp chưa liệt kê)."
            )
        feedback = {f["feedback"] for f in rejected if f.get("feedback")}
        if feedback:
            console.print(f"Phiếu phản hồi cho {len(feedback)} tệp bị từ chối: {Path(next(iter(feedback))).parent}")
