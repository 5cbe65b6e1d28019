"""The deployment's reference data: unit registry, reporting calendar and targets (editable CSV files).

A reference directory holds `units.csv` and `reporting_calendar.csv` (the deployment's own) and may
hold `targets.csv`; targets otherwise come from the copy shipped with the project. Readers are pure
(a directory in, typed rows out, `ValueError` naming file and line on malformed input); only
`load_reference` touches the database.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.load import register, to_columns
from ingest.periods import REPORT_TYPES
from ingest.schema import create_raw_schema
from ingest.strategy_values import read_strategy_values, strategy_value_files
from ingest.warehouse import retry_conflicts, writer_lock

if TYPE_CHECKING:
    import duckdb

DEFAULT_REFERENCE_DIR = Path(__file__).resolve().parents[1] / "reference"
REFERENCE_DIR_ENV = "BDG_REFERENCE_DIR"

UNITS_FILE = "units.csv"
CALENDAR_FILE = "reporting_calendar.csv"
TARGETS_FILE = "targets.csv"

UNIT_KINDS = ("SO_NGANH", "DOAN_THE", "TW", "XA", "PHUONG", "DAC_KHU")

UNIT_COLUMNS = (
    "unit_code",
    "unit_name",
    "unit_kind",
    "province_code",
    "is_state_agency",
    "is_ethnic_minority_area",
    "valid_from",
    "valid_to",
    "successor_code",
)
CALENDAR_COLUMNS = (
    "province_code",
    "report_year",
    "report_type",
    "period_start",
    "period_end",
    "due_date",
    "grace_days",
)
TARGET_COLUMNS = (
    "target_code",
    "target_name_vi",
    "unit_group",
    "metric",
    "target_value",
    "interim_value",
    "interim_year",
    "target_year",
    "legal_source",
    "objective_code",
    "strategy_indicator",
    "direction",
    "value_source",
    "unit_vi",
)
# Columns a targets.csv written before the Strategy's objectives may lack (their defaults below).
OPTIONAL_TARGET_COLUMNS = ("objective_code", "strategy_indicator", "direction", "value_source", "unit_vi")
TARGET_DIRECTIONS = ("floor", "ceiling")  # floor: met when value ≥ target; ceiling: met when value ≤ target
# form: measured from the BDG-1 reports; reference_file: from the yearly file Sở Nội vụ fills in
# (ingest.strategy_values)
TARGET_VALUE_SOURCES = ("form", "reference_file")


@dataclass(frozen=True)
class Unit:
    """One reporting unit of the registry; `valid_to` None means still active."""

    unit_code: str
    unit_name: str
    unit_kind: str
    province_code: str
    is_state_agency: bool
    is_ethnic_minority_area: bool
    valid_from: date
    valid_to: date | None = None
    successor_code: str | None = None

    def is_active_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def as_csv_row(self) -> dict[str, str]:
        return {
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "unit_kind": self.unit_kind,
            "province_code": self.province_code,
            "is_state_agency": _format_bool(self.is_state_agency),
            "is_ethnic_minority_area": _format_bool(self.is_ethnic_minority_area),
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else "",
            "successor_code": self.successor_code or "",
        }


@dataclass(frozen=True)
class CalendarEntry:
    """One reporting period of a province: what it covers and when it is due."""

    province_code: str
    report_year: int
    report_type: str  # '6T' | 'NAM'
    period_start: date
    period_end: date
    due_date: date
    grace_days: int = 0

    def as_csv_row(self) -> dict[str, str]:
        return {
            "province_code": self.province_code,
            "report_year": str(self.report_year),
            "report_type": self.report_type,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "due_date": self.due_date.isoformat(),
            "grace_days": str(self.grace_days),
        }


@dataclass(frozen=True)
class Target:
    """One target of the plan (shares are 0..1), with the National Strategy objective it serves
    (objective_code of the strategy_objectives seed, e.g. `MT3`) and the Strategy's chỉ tiêu it restates."""

    target_code: str
    target_name_vi: str
    unit_group: str | None
    metric: str
    target_value: float
    interim_value: float | None
    interim_year: int | None
    target_year: int
    legal_source: str
    objective_code: str | None = None
    strategy_indicator: str | None = None  # e.g. 'Mục tiêu 3, chỉ tiêu 3'
    direction: str = "floor"
    value_source: str = "form"
    unit_vi: str | None = None  # '%' for shares (stored 0..1), else the unit printed after the value
    file_line: int | None = None  # where it stands in targets.csv (the report prints targets in that order)

    def as_csv_row(self) -> dict[str, str]:
        return {
            "target_code": self.target_code,
            "target_name_vi": self.target_name_vi,
            "unit_group": self.unit_group or "",
            "metric": self.metric,
            "target_value": _format_number(self.target_value),
            "interim_value": "" if self.interim_value is None else _format_number(self.interim_value),
            "interim_year": "" if self.interim_year is None else str(self.interim_year),
            "target_year": str(self.target_year),
            "legal_source": self.legal_source,
            "objective_code": self.objective_code or "",
            "strategy_indicator": self.strategy_indicator or "",
            "direction": self.direction,
            "value_source": self.value_source,
            "unit_vi": self.unit_vi or "",
        }


def resolve_reference_dir(cli_value: str | Path | None = None) -> Path:
    """The reference directory to use: the CLI value, else env BDG_REFERENCE_DIR, else the shipped one."""
    if cli_value:
        return Path(cli_value)
    env_value = os.environ.get(REFERENCE_DIR_ENV)
    if env_value:
        return Path(env_value)
    return DEFAULT_REFERENCE_DIR


def targets_path(ref_dir: str | Path) -> Path:
    """`ref_dir/targets.csv` when the deployment supplies one, else the targets shipped with the project."""
    candidate = Path(ref_dir) / TARGETS_FILE
    return candidate if candidate.is_file() else DEFAULT_REFERENCE_DIR / TARGETS_FILE


_READ_CACHE: dict[tuple[str, str], tuple] = {}


def _memoised(file_name: str):
    """Read `ref_dir/file_name` once per content: an ingest reads the registry to load and to validate."""

    def decorate(read):
        @functools.wraps(read)
        def cached(ref_dir: str | Path) -> list:
            path = Path(ref_dir) / file_name
            key = (file_name, hashlib.sha256(path.read_bytes()).hexdigest())
            if key not in _READ_CACHE:
                _READ_CACHE[key] = tuple(read(path))
            return list(_READ_CACHE[key])

        return cached

    return decorate


@_memoised(UNITS_FILE)
def read_units(path: Path) -> list[Unit]:
    """Read `ref_dir/units.csv`. Raises ValueError (file and line) on a malformed row or a duplicate code,
    FileNotFoundError when the file is absent."""
    units: list[Unit] = []
    seen: set[str] = set()
    for line_no, row in _read_rows(path, UNIT_COLUMNS):
        field = _FieldReader(path, line_no, row)
        unit = Unit(
            unit_code=field.text("unit_code"),
            unit_name=field.text("unit_name"),
            unit_kind=field.choice("unit_kind", UNIT_KINDS),
            province_code=field.text("province_code"),
            is_state_agency=field.boolean("is_state_agency"),
            is_ethnic_minority_area=field.boolean("is_ethnic_minority_area"),
            valid_from=field.iso_date("valid_from"),
            valid_to=field.iso_date("valid_to", required=False),
            successor_code=field.text("successor_code", required=False),
        )
        if unit.valid_to is not None and unit.valid_to < unit.valid_from:
            raise ValueError(f"{path}, dòng {line_no}: valid_to trước valid_from")
        if unit.unit_code in seen:
            raise ValueError(f"{path}, dòng {line_no}: mã đơn vị trùng lặp '{unit.unit_code}'")
        seen.add(unit.unit_code)
        units.append(unit)
    for unit in units:
        if unit.successor_code and unit.successor_code not in seen:
            raise ValueError(
                f"{path}: successor_code '{unit.successor_code}' của {unit.unit_code} không có trong danh mục"
            )
    return units


@_memoised(CALENDAR_FILE)
def read_calendar(path: Path) -> list[CalendarEntry]:
    """Read `ref_dir/reporting_calendar.csv`. Raises ValueError (file and line) on a malformed row or a
    duplicate (province_code, report_year, report_type)."""
    entries: list[CalendarEntry] = []
    seen: set[tuple[str, int, str]] = set()
    for line_no, row in _read_rows(path, CALENDAR_COLUMNS):
        field = _FieldReader(path, line_no, row)
        entry = CalendarEntry(
            province_code=field.text("province_code"),
            report_year=field.integer("report_year"),
            report_type=field.choice("report_type", REPORT_TYPES),
            period_start=field.iso_date("period_start"),
            period_end=field.iso_date("period_end"),
            due_date=field.iso_date("due_date"),
            grace_days=field.integer("grace_days", default=0),
        )
        if entry.period_end < entry.period_start:
            raise ValueError(f"{path}, dòng {line_no}: period_end trước period_start")
        key = (entry.province_code, entry.report_year, entry.report_type)
        if key in seen:
            raise ValueError(f"{path}, dòng {line_no}: kỳ báo cáo trùng lặp {key}")
        seen.add(key)
        entries.append(entry)
    return entries


def read_targets(ref_dir: str | Path) -> list[Target]:
    """Read the targets file chosen by `targets_path(ref_dir)`. Raises ValueError (file and line)."""
    path = targets_path(ref_dir)
    targets: list[Target] = []
    for line_no, row in _read_rows(path, TARGET_COLUMNS, optional=OPTIONAL_TARGET_COLUMNS):
        field = _FieldReader(path, line_no, row)
        targets.append(
            Target(
                target_code=field.text("target_code"),
                target_name_vi=field.text("target_name_vi"),
                unit_group=field.text("unit_group", required=False),
                metric=field.text("metric"),
                target_value=field.number("target_value"),
                interim_value=field.number("interim_value", required=False),
                interim_year=field.integer("interim_year", required=False),
                target_year=field.integer("target_year"),
                legal_source=field.text("legal_source"),
                objective_code=field.text("objective_code", required=False),
                strategy_indicator=field.text("strategy_indicator", required=False),
                direction=field.choice("direction", TARGET_DIRECTIONS, default="floor"),
                value_source=field.choice("value_source", TARGET_VALUE_SOURCES, default="form"),
                unit_vi=field.text("unit_vi", required=False),
                file_line=line_no,
            )
        )
    return targets


def load_reference(con: duckdb.DuckDBPyConnection, ref_dir: str | Path) -> bool:
    """Replace raw.ref_units, raw.ref_reporting_calendar, raw.ref_targets and raw.ref_strategy_values
    (the yearly files of Strategy indicators, `chi_tieu_chien_luoc_*.xlsx`: `ingest.strategy_values`)
    with the files of `ref_dir`, in one transaction, unless these very files were the last loaded
    (raw.ref_loads): returns whether it loaded. Every file is read (and validated) before the database
    is touched, so a malformed file raises ValueError and leaves the tables unchanged."""
    create_raw_schema(con)
    fingerprint = reference_fingerprint(ref_dir)
    if _last_loaded(con) == fingerprint:
        return False  # these very files (read and validated when they were loaded): nothing to read
    targets = read_targets(ref_dir)
    tables = {
        "ref_units": [vars(unit) for unit in read_units(ref_dir)],  # flat frozen dataclasses: no copy
        "ref_reporting_calendar": [vars(entry) for entry in read_calendar(ref_dir)],
        "ref_targets": [vars(target) for target in targets],
        "ref_strategy_values": read_strategy_values(ref_dir, targets),
    }
    # on a lake, writers of other provinces may load the reference at once: one at a time (the next then
    # finds these files loaded), a conflicting transaction run again
    with writer_lock(con, ["reference"]):
        return retry_conflicts(lambda: _replace_reference(con, fingerprint, tables), con)


def _last_loaded(con: duckdb.DuckDBPyConnection) -> str | None:
    last = con.execute("select fingerprint from raw.ref_loads order by loaded_at desc limit 1").fetchall()
    return last[0][0] if last else None


def _replace_reference(con: duckdb.DuckDBPyConnection, fingerprint: str, tables: dict[str, list[dict]]) -> bool:
    if _last_loaded(con) == fingerprint:  # another writer loaded them meanwhile
        return False
    con.execute("begin transaction")
    try:
        for table, rows in tables.items():
            con.execute(f"delete from raw.{table}")
            if rows:  # bulk (columns): a national registry has thousands of units
                register(con, "_reference_rows", to_columns(rows))
                try:
                    con.execute(f"insert into raw.{table} by name select * from _reference_rows")
                finally:
                    con.unregister("_reference_rows")
        con.execute("insert into raw.ref_loads values (?, current_timestamp)", [fingerprint])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return True


# Bumped when the raw.ref_* tables gain a column, so warehouses loaded before reload the same files.
REFERENCE_LAYOUT = "3"  # 2: raw.ref_targets.file_line; 3: objectives, direction, value source, unit


def reference_fingerprint(ref_dir: str | Path) -> str:
    """SHA-256 over the reference tables' layout and the reference files' names and bytes."""
    digest = hashlib.sha256(f"layout {REFERENCE_LAYOUT}\n".encode())
    files = (Path(ref_dir) / UNITS_FILE, Path(ref_dir) / CALENDAR_FILE, targets_path(ref_dir))
    for path in (*files, *strategy_value_files(ref_dir)):
        digest.update(f"{path.resolve()}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def write_csv(path: str | Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """Write reference rows as UTF-8 CSV (the inverse of the readers; used by the generators)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- CSV plumbing -----------------------------------------------------------------------------------


def _read_rows(path: Path, columns: tuple[str, ...], optional: tuple[str, ...] = ()):
    """Yield (line_no, row) for the non-blank data rows of a CSV file whose header holds `columns`
    (those also in `optional` may be absent: they read as blank)."""
    # utf-8-sig: files saved from Excel start with a BOM.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [cell.strip() for cell in next(reader)]
        except StopIteration:
            raise ValueError(f"{path}: tệp rỗng, thiếu dòng tiêu đề") from None
        missing = [c for c in columns if c not in header and c not in optional]
        if missing:
            raise ValueError(f"{path}, dòng 1: thiếu cột {', '.join(missing)}")
        index = {name: header.index(name) for name in columns if name in header}
        for row in reader:
            line_no = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raise ValueError(f"{path}, dòng {line_no}: có {len(row)} cột, tiêu đề có {len(header)} cột")
            cells = {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
            yield line_no, {name: cells.get(name, "") for name in columns}


class _FieldReader:
    """Typed access to one CSV row; every failure names the file, line and column."""

    def __init__(self, path: Path, line_no: int, row: dict[str, str]) -> None:
        self.path, self.line_no, self.row = path, line_no, row

    def _fail(self, column: str, problem: str) -> ValueError:
        return ValueError(f"{self.path}, dòng {self.line_no}, cột {column}: {problem}")

    def _raw(self, column: str, required: bool) -> str | None:
        value = self.row[column]
        if value == "":
            if required:
                raise self._fail(column, "thiếu giá trị")
            return None
        return value

    def text(self, column: str, required: bool = True):
        return self._raw(column, required)

    def choice(self, column: str, allowed: tuple[str, ...], default: str | None = None) -> str:
        value = self._raw(column, default is None) or default
        if value not in allowed:
            raise self._fail(column, f"giá trị '{value}' không hợp lệ (chấp nhận: {', '.join(allowed)})")
        return value

    def boolean(self, column: str) -> bool:
        value = (self._raw(column, True) or "").lower()
        if value not in ("true", "false"):
            raise self._fail(column, f"giá trị '{value}' không hợp lệ (chấp nhận: true, false)")
        return value == "true"

    def iso_date(self, column: str, required: bool = True):
        value = self._raw(column, required)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self._fail(column, f"ngày '{value}' không đúng định dạng YYYY-MM-DD") from None

    def integer(self, column: str, required: bool = True, default: int | None = None):
        value = self._raw(column, required and default is None)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            raise self._fail(column, f"'{value}' không phải số nguyên") from None

    def number(self, column: str, required: bool = True):
        value = self._raw(column, required)
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            raise self._fail(column, f"'{value}' không phải số") from None


def _format_bool(value: bool) -> str:
    return "true" if value else "false"


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
