"""Synthetic inboxes: one BDG-1 workbook per reporting unit, as a province's Sở Nội vụ receives them.

Province 1 is the sample province (Bắc Ninh, 24) from the shipped reference files; further provinces are
synthetic (P02, P03, …). The generator writes the workbooks, `_received.csv`, the matching reference data
in `_reference/`, and `_manifest.json`: its own record of what each unit sent and what status the
pipeline should find, so end-to-end tests can assert exact figures.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from ingest.form_bdg1 import VU_VIEC
from ingest.form_writer import FormContent, write_form
from ingest.periods import LOCAL_TZ, REPORT_TYPES
from ingest.reference import (
    DEFAULT_REFERENCE_DIR,
    CalendarEntry,
    Unit,
    read_calendar,
    read_targets,
    read_units,
)
from sample.content import report_content
from sample.reference import (
    CALENDAR_YEARS,
    SAMPLE_PROVINCE_CODE,
    SAMPLE_PROVINCE_NAME,
    ascii_fold,
    province_calendar,
    province_units,
    write_reference_dir,
)
from sample.strategy_reference import write_strategy_reference

RECEIVED_FILE = "_received.csv"
MANIFEST_FILE = "_manifest.json"
REFERENCE_SUBDIR = "_reference"
BAD_KINDS = ("UNREADABLE", "MISSING_SHEET", "UNKNOWN_UNIT")
# Bad files the warehouse can tie to their unit (ThongTin readable, code known). An unreadable file or one
# with a wrong unit code belongs to nobody as far as the warehouse can tell: that unit is 'missing'.
ATTRIBUTABLE_BAD_KINDS = ("MISSING_SHEET",)
# Share of units whose bad file is followed by a corrected one (the rest end up 'rejected').
BAD_THEN_FIXED_SHARE = 0.5


@dataclass
class GeneratedInbox:
    """What `generate_inbox` wrote: the inbox, its reference directory and the manifest (also on disk)."""

    out_dir: Path
    reference_dir: Path
    received_csv: Path
    manifest_path: Path
    manifest: dict = field(repr=False)

    @property
    def files(self) -> list[Path]:
        return [self.out_dir / f["file"] for u in self.manifest["units"] for f in u["files"]]


def generate_inbox(
    out_dir: str | Path,
    provinces: int = 1,
    units_per_province: int | None = None,
    year: int = 2026,
    report_type: str = "NAM",
    late_rate: float = 0.1,
    missing_rate: float = 0.05,
    bad_rate: float = 0.03,
    seed: int = 42,
    *,
    resubmit_rate: float = 0.02,
    earlier_periods: Sequence[tuple[int, str]] = (),
) -> GeneratedInbox:
    """Write a synthetic inbox for `provinces` provinces and one period (year, '6T'|'NAM') into `out_dir`.

    Deterministic for the arguments (file bytes included). Each expected unit (active at period end) is
    missing (missing_rate), else sends a bad file (bad_rate; half of those resubmit a good file later),
    else a good file on time or late (late_rate, 1–20 days after the due date); `resubmit_rate` of the
    good senders send a corrected second file, which supersedes the first. `units_per_province` is the
    number of active units per province, a proportional subset keeping every kind (default: all 128).
    `earlier_periods` ((year, type) pairs, e.g. the previous year's annual report) are sent into the same
    inbox the same way, before the period: the manifest's `units` and `provinces` are the period's, its
    `earlier_periods` holds the same records for each earlier one. Periods missing from the calendar get
    the default calendar. Raises ValueError on an unknown report type, a repeated period or a too small
    synthetic province; OSError when out_dir cannot be written.
    """
    periods = [*((int(y), t) for y, t in earlier_periods), (year, report_type)]
    for _, kind in periods:
        if kind not in REPORT_TYPES:
            raise ValueError(f"report_type phải là '6T' hoặc 'NAM', không phải {kind!r}")
    if len(set(periods)) < len(periods):
        raise ValueError(f"kỳ báo cáo bị lặp: {periods}")
    out_dir, ref_dir = Path(out_dir), Path(out_dir) / REFERENCE_SUBDIR
    out_dir.mkdir(parents=True, exist_ok=True)

    years = tuple(sorted(set(CALENDAR_YEARS) | {y for y, _ in periods}))
    registry = [_province(index, units_per_province, years, seed) for index in range(1, provinces + 1)]
    received_rows: list[tuple[str, datetime]] = []
    names = _FileNames()
    rates = (late_rate, missing_rate, bad_rate, resubmit_rate)  # the same for every period
    sent = [_send_period(out_dir, registry, *period, rates, seed, names, received_rows) for period in periods]
    province_records, unit_records = sent[-1]

    all_units = [unit for _, _, units, _ in registry for unit in units]
    all_calendar = [entry for _, _, _, calendar in registry for entry in calendar]
    write_reference_dir(ref_dir, all_units, all_calendar, tuple(read_targets(DEFAULT_REFERENCE_DIR)))
    for code, *_ in registry:  # the Strategy's indicators the form does not collect (Sở Nội vụ's yearly file)
        write_strategy_reference(ref_dir, code, sorted({y for y, _ in periods}), seed=seed)
    received_csv = out_dir / RECEIVED_FILE
    with received_csv.open("w", encoding="utf-8", newline="") as handle:
        handle.write("file,received_at\n")
        for file_name, received_at in sorted(received_rows, key=lambda row: (row[1], row[0])):
            handle.write(f"{_csv_field(file_name)},{received_at.isoformat()}\n")

    manifest = {
        "generator": "sample.generate",
        "parameters": {
            "provinces": provinces,
            "units_per_province": units_per_province,
            "year": year,
            "report_type": report_type,
            "late_rate": late_rate,
            "missing_rate": missing_rate,
            "bad_rate": bad_rate,
            "resubmit_rate": resubmit_rate,
            "seed": seed,
        },
        "provinces": province_records,
        "summary": {
            "units_expected": len(unit_records),
            "files": sum(len(u["files"]) for u in unit_records),
            "by_status": dict(sorted(Counter(u["expected_status"] for u in unit_records).items())),
            "files_by_kind": dict(sorted(Counter(f["kind"] for u in unit_records for f in u["files"]).items())),
        },
        "units": unit_records,
    }
    if earlier_periods:
        manifest["earlier_periods"] = [
            {"report_year": y, "report_type": t, "provinces": provs, "units": units}
            for (y, t), (provs, units) in zip(periods[:-1], sent[:-1], strict=True)
        ]
    manifest_path = out_dir / MANIFEST_FILE
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return GeneratedInbox(out_dir, ref_dir, received_csv, manifest_path, manifest)


def _send_period(out_dir: Path, registry, year: int, report_type: str, rates, seed: int, names, received_rows):
    """Every expected unit's files of one period into `out_dir`: (province records, unit records)."""
    late_rate, missing_rate, bad_rate, resubmit_rate = rates
    province_records: list[dict] = []
    unit_records: list[dict] = []
    for code, name, units, calendar in registry:
        period = next(c for c in calendar if c.report_year == year and c.report_type == report_type)
        expected = [u for u in units if u.is_active_on(period.period_end)]
        province_records.append(
            {"province_code": code, "province_name": name, "period_start": period.period_start.isoformat(),
             "period_end": period.period_end.isoformat(), "due_date": period.due_date.isoformat(),
             "grace_days": period.grace_days, "units_in_registry": len(units), "units_expected": len(expected)}
        )  # fmt: skip
        for unit in expected:
            rng = random.Random(f"{seed}:{year}:{report_type}:{unit.unit_code}")
            plan = _plan_unit(rng, period, late_rate, missing_rate, bad_rate, resubmit_rate)
            files = []
            for kind, received_at in plan.files:
                file_name = names.make(rng, unit, year, report_type, resubmission=bool(files))
                entry = {"file": file_name, "received_at": received_at.isoformat(), "kind": kind}
                content = report_content(rng, unit, period, seed) if kind != "UNREADABLE" else None
                prepared_on = received_at.date() - timedelta(days=rng.randint(0, 3))
                _write_file(out_dir / file_name, kind, unit, year, report_type, content, received_at, prepared_on, rng)
                if kind == "ok":
                    entry["prepared_on"] = prepared_on.isoformat()
                    entry["content"] = _content_json(content)
                files.append(entry)
                received_rows.append((file_name, received_at))
            unit_records.append(
                {"unit_code": unit.unit_code, "unit_name": unit.unit_name, "unit_kind": unit.unit_kind,
                 "province_code": unit.province_code, "is_state_agency": unit.is_state_agency,
                 "is_ethnic_minority_area": unit.is_ethnic_minority_area, "expected_status": plan.status,
                 "days_late": plan.days_late, "files": files}
            )  # fmt: skip
    return province_records, unit_records


# --- provinces and units -----------------------------------------------------------------------------


def _province(index: int, units_per_province: int | None, years: tuple[int, ...], seed: int):
    """(code, name, registry units, calendar) of the index-th province (1 = the sample province); the
    calendar covers `years`."""
    if index == 1:
        code, name = SAMPLE_PROVINCE_CODE, SAMPLE_PROVINCE_NAME
        units = [u for u in read_units(DEFAULT_REFERENCE_DIR) if u.province_code == code]
        if units_per_province is not None:
            units = _subset(units, units_per_province)
        calendar = [c for c in read_calendar(DEFAULT_REFERENCE_DIR) if c.province_code == code]
        shipped = {(c.report_year, c.report_type) for c in calendar}
        calendar += [c for c in province_calendar(code, years) if (c.report_year, c.report_type) not in shipped]
        return code, name, units, calendar
    code, name = f"P{index:02d}", f"Tỉnh mẫu {index:02d}"
    units = province_units(code, name, seed=seed)
    if units_per_province is not None:
        units = _subset(units, units_per_province)
    return code, name, units, province_calendar(code, years)


def _subset(units: list[Unit], n_active: int) -> list[Unit]:
    """A deterministic subset of `n_active` active units keeping every kind (at least one each), in
    proportion to the registry; historical units are kept, with their successors."""
    historical = [u for u in units if u.valid_to is not None]
    active = [u for u in units if u.valid_to is None]
    if n_active >= len(active):
        return units
    by_kind: dict[str, list[Unit]] = {}
    for unit in active:
        by_kind.setdefault(unit.unit_kind, []).append(unit)
    n_active = max(n_active, len(by_kind))
    quota = {kind: 1 for kind in by_kind}
    # Hand out the remaining places by largest remainder of the proportional share.
    remaining = n_active - len(by_kind)
    shares = {kind: remaining * len(members) / len(active) for kind, members in by_kind.items()}
    for kind, share in shares.items():
        quota[kind] += int(share)
    left = n_active - sum(quota.values())
    for kind in sorted(shares, key=lambda k: shares[k] - int(shares[k]), reverse=True)[:left]:
        quota[kind] += 1
    keep = {u.unit_code for kind, members in by_kind.items() for u in members[: quota[kind]]}
    for unit in historical:
        if unit.successor_code and unit.successor_code not in keep:
            # Swap the successor in for the last kept unit of its kind, so the count holds.
            successor_kind = next(a.unit_kind for a in active if a.unit_code == unit.successor_code)
            kept = [u for u in by_kind[successor_kind] if u.unit_code in keep]
            keep.discard(kept[-1].unit_code)
            keep.add(unit.successor_code)
    return [u for u in units if u.unit_code in keep or u.valid_to is not None]


# --- what each unit sends, and when ------------------------------------------------------------------


@dataclass
class _UnitPlan:
    status: str
    days_late: int | None
    files: list[tuple[str, datetime]]  # (kind, received_at), in arrival order


def _plan_unit(rng: random.Random, period: CalendarEntry, late_rate, missing_rate, bad_rate, resubmit_rate):
    due = period.due_date + timedelta(days=period.grace_days)
    if rng.random() < missing_rate:
        return _UnitPlan("missing", None, [])
    files: list[tuple[str, datetime]] = []
    is_late = rng.random() < late_rate
    if rng.random() < bad_rate:
        bad_kind = rng.choice(BAD_KINDS)
        if rng.random() >= BAD_THEN_FIXED_SHARE:
            when = _moment(rng, period.period_end, due + timedelta(days=rng.randint(0, 10) if is_late else 0))
            status = "rejected" if bad_kind in ATTRIBUTABLE_BAD_KINDS else "missing"
            return _UnitPlan(status, None, [(bad_kind, when)])
        # A bad file early in the window, the corrected one after it.
        files.append((bad_kind, _moment(rng, period.period_end, period.period_end + timedelta(days=3))))
    if is_late:
        days_late = rng.randint(1, 20)
        first_ok = _moment(rng, due + timedelta(days=days_late), due + timedelta(days=days_late))
    else:
        days_late = 0
        earliest = files[-1][1].date() if files else period.period_end
        first_ok = _moment(rng, earliest, due)
    if files and first_ok <= files[-1][1]:
        first_ok = files[-1][1] + timedelta(hours=2)
        # Keep the intended status: an on-time fix must not slip past the due date.
        if not is_late and first_ok.date() > due:
            first_ok = datetime.combine(due, time(23, 30), LOCAL_TZ)
    files.append(("ok", first_ok))
    if rng.random() < resubmit_rate:
        files.append(("ok", first_ok + timedelta(days=rng.randint(1, 5), minutes=rng.randint(0, 300))))
    return _UnitPlan("late" if is_late else "on_time", days_late, files)


def _moment(rng: random.Random, first_day: date, last_day: date) -> datetime:
    """A working-hours moment on a day in [first_day, last_day], in Asia/Ho_Chi_Minh."""
    day = first_day + timedelta(days=rng.randint(0, max((last_day - first_day).days, 0)))
    minute = rng.randint(7 * 60 + 30, 17 * 60 + 30)
    return datetime.combine(day, time(minute // 60, minute % 60, rng.randint(0, 59)), LOCAL_TZ)


# --- file names ----------------------------------------------------------------------------------------


class _FileNames:
    """Messy but unique file names, as units name their files."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, rng: random.Random, unit: Unit, year: int, report_type: str, *, resubmission: bool) -> str:
        period_ascii = "nam" if report_type == "NAM" else "6 thang"
        period_vi = "năm" if report_type == "NAM" else "6 tháng"
        short = unit.unit_name.removeprefix("UBND ")
        stem = rng.choice(
            (
                f"BC BDG {period_ascii} {year} - {ascii_fold(unit.unit_name)}",
                f"Bao cao binh dang gioi {period_ascii} {year} {ascii_fold(short)}",
                f"{unit.unit_name} - Báo cáo BĐG {period_vi} {year}",
                f"BDG-1_{unit.unit_code}_{year}",
                f"bieu mau BDG1 ({ascii_fold(short).lower()})",
                f"{year} BC BĐG {period_vi} - {short}",
                f"Báo cáo công tác bình đẳng giới {period_vi} {year}_{ascii_fold(short).replace(' ', '')}",
            )
        )
        if resubmission:
            stem += rng.choice((" (sua lai)", " - ban cuoi", "_v2", " (bổ sung)"))
        name, n = f"{stem}.xlsx", 1
        while name in self.used:
            n += 1
            name = f"{stem} ({n}).xlsx"
        self.used.add(name)
        return name


def _csv_field(value: str) -> str:
    return f'"{value.replace(chr(34), chr(34) * 2)}"' if any(ch in value for ch in ',"\n') else value


# --- writing a file ------------------------------------------------------------------------------------


def _write_file(
    path: Path, kind: str, unit: Unit, year: int, report_type: str, content, received_at, prepared_on, rng
) -> None:
    if kind == "UNREADABLE":
        path.write_bytes(rng.randbytes(rng.randint(2_000, 8_000)))
    elif kind == "UNKNOWN_UNIT":
        # A typo'd code ('24XA001' for '24-XA001') that no registry holds.
        code = unit.unit_code.replace("-", "")
        write_form(path, code, unit.unit_name, year, report_type, content, prepared_on=prepared_on)
    else:
        omit = (VU_VIEC.sheet,) if kind == "MISSING_SHEET" else ()
        write_form(
            path, unit.unit_code, unit.unit_name, year, report_type, content, prepared_on=prepared_on, omit_sheets=omit
        )
    stamp = received_at.timestamp()
    os.utime(path, (stamp, stamp))  # the inbox falls back to mtime for files not in _received.csv


def _content_json(content: FormContent) -> dict:
    """The manifest's copy of what was written: codes (not labels), dates as ISO strings."""

    def plain(value):
        return value.isoformat() if isinstance(value, date) else value

    def rows(items):
        return [{key: plain(value) for key, value in row.items()} for row in items]

    return {
        "prepared_by": content.prepared_by,
        "activities": rows(content.activities),
        "gbv_cases": rows(content.gbv_cases),
        "leadership": rows(content.leadership),
        "indicators": {key: plain(value) for key, value in content.indicators.items()},
        "tasks": rows(content.tasks),
    }
