"""The yearly file of Strategy indicators (source `strategy_values`): the National Strategy's indicators
the BDG-1 form does not collect (sex ratio at birth, women deputies, …), which Sở Nội vụ fills in and
puts in the reference directory as `chi_tieu_chien_luoc_<năm>.xlsx` (any workbook kind).

Pure: files in, typed rows out. Beyond what the parser checks (sheet, header, types, cells), a row must
name a target of targets.csv taken from this file (value_source `reference_file`), a share must lie in
0–100 (%), and a province, indicator and year may be given once. Every problem is collected; then one
`ValueError` lists them in Vietnamese (file, sheet or row, cell), as the other reference files do, so
`ingest.reference.load_reference` leaves the warehouse unchanged.
"""

from __future__ import annotations

from pathlib import Path

from ingest.parse import parse_workbook
from ingest.schema import raw_table_columns
from ingest.sources import STRATEGY_VALUES, WORKBOOK_KINDS

FILE_PREFIX = "chi_tieu_chien_luoc_"
RAW_TABLE = "ref_strategy_values"


def strategy_value_files(ref_dir: str | Path) -> list[Path]:
    """The yearly files of `ref_dir` (`chi_tieu_chien_luoc_*.xlsx` and the other workbook kinds), by name;
    files Excel leaves open (`~$…`) are not files."""
    ref_dir = Path(ref_dir)
    if not ref_dir.is_dir():
        return []
    return sorted(
        path
        for path in ref_dir.iterdir()
        if path.is_file()
        and path.name.lower().startswith(FILE_PREFIX)
        and path.suffix.lower().lstrip(".") in WORKBOOK_KINDS
    )


def read_strategy_values(ref_dir: str | Path, targets: list) -> list[dict[str, object]]:
    """Rows of every yearly file of `ref_dir` for `raw.ref_strategy_values`: file_sha256, source_row,
    file_name, province_code, target_code, indicator_name, report_year, value (as typed: a share in %,
    e.g. 32.5), data_provider, note. `targets`: the `ingest.reference.Target`s of targets.csv (not imported
    here: ingest.reference imports this module). No file: no rows. Raises ValueError listing every error of every
    file (file, sheet, cell or row, Vietnamese message)."""
    by_code = {target.target_code: target for target in targets}
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    seen: dict[tuple[str, str, int], str] = {}
    columns = raw_table_columns()[RAW_TABLE]
    for path in strategy_value_files(ref_dir):
        parsed = parse_workbook(path, STRATEGY_VALUES)
        for error in parsed.errors:
            where = ", ".join(part for part in (f"trang tính {error.sheet}" if error.sheet else "", error.cell) if part)
            problems.append(f"{path.name}{', ' + where if where else ''}: {error.message_vi}")
        if parsed.errors:
            continue
        for row in parsed.tables.get(RAW_TABLE, []):
            place = f"{path.name}, dòng {row['source_row']}"
            target = by_code.get(str(row["target_code"]).strip().upper())
            if target is None or target.value_source != "reference_file":
                known = ", ".join(t.target_code for t in targets if t.value_source == "reference_file")
                problems.append(
                    f"{place}, cột «Mã chỉ tiêu»: '{row['target_code']}' không phải chỉ tiêu lấy từ tệp số liệu "
                    f"năm (các mã hợp lệ: {known})."
                )
                continue
            if target.unit_vi == "%" and not 0 <= row["value"] <= 100:
                problems.append(f"{place}, cột «Giá trị»: tỷ lệ ghi theo phần trăm, từ 0 đến 100 (ví dụ 32,5).")
                continue
            key = (str(row["province_code"]), target.target_code, int(row["report_year"]))
            if key in seen:
                problems.append(
                    f"{place}: chỉ tiêu {key[1]} của tỉnh {key[0]} năm {key[2]} đã có ở {seen[key]}; mỗi chỉ tiêu "
                    "chỉ ghi một lần mỗi năm."
                )
                continue
            seen[key] = place
            record = {
                **row,
                "file_sha256": parsed.file_sha256,
                "file_name": path.name,
                "target_code": target.target_code,
                "report_year": int(row["report_year"]),
            }
            rows.append({column: record.get(column) for column in columns})
    if problems:
        raise ValueError("Tệp số liệu chỉ tiêu Chiến lược có lỗi:\n" + "\n".join(f"- {p}" for p in problems))
    return rows
