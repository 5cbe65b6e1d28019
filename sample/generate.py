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
from sample.reference import (
    CALENDAR_YEARS,
    SAMPLE_PROVINCE_CODE,
    SAMPLE_PROVINCE_NAME,
    ascii_fold,
    province_calendar,
    province_units,
    write_reference_dir,
)

RECEIVED_FILE = "_received.csv"
MANIFEST_FILE = "_manifest.json"
REFERENCE_SUBDIR = "_reference"
COMMUNE_KINDS = ("XA", "PHUONG", "DAC_KHU")
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
) -> GeneratedInbox:
    """Write a synthetic inbox for `provinces` provinces and one period (year, '6T'|'NAM') into `out_dir`.

    Deterministic for the arguments (file bytes included). Each expected unit (active at period end) is
    missing (missing_rate), else sends a bad file (bad_rate; half of those resubmit a good file later),
    else a good file on time or late (late_rate, 1–20 days after the due date); `resubmit_rate` of the
    good senders send a corrected second file, which supersedes the first. `units_per_province` is the
    number of active units per province, a proportional subset keeping every kind (default: all 128).
    Periods missing from the calendar get the default calendar. Raises ValueError on an unknown report
    type or a too small synthetic province; OSError when out_dir cannot be written.
    """
    if report_type not in REPORT_TYPES:
        raise ValueError(f"report_type phải là '6T' hoặc 'NAM', không phải {report_type!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ref_dir = out_dir / REFERENCE_SUBDIR

    all_units: list[Unit] = []
    all_calendar: list[CalendarEntry] = []
    province_records: list[dict] = []
    unit_records: list[dict] = []
    received_rows: list[tuple[str, datetime]] = []
    names = _FileNames()

    for index in range(1, provinces + 1):
        code, name, units, calendar = _province(index, units_per_province, year, seed)
        all_units += units
        all_calendar += calendar
        period = next(c for c in calendar if c.report_year == year and c.report_type == report_type)
        expected = [u for u in units if u.is_active_on(period.period_end)]
        province_records.append(
            {
                "province_code": code,
                "province_name": name,
                "period_start": period.period_start.isoformat(),
                "period_end": period.period_end.isoformat(),
                "due_date": period.due_date.isoformat(),
                "grace_days": period.grace_days,
                "units_in_registry": len(units),
                "units_expected": len(expected),
            }
        )
        for unit in expected:
            rng = random.Random(f"{seed}:{year}:{report_type}:{unit.unit_code}")
            plan = _plan_unit(rng, period, late_rate, missing_rate, bad_rate, resubmit_rate)
            files = []
            for kind, received_at in plan.files:
                file_name = names.make(rng, unit, year, report_type, resubmission=bool(files))
                entry = {"file": file_name, "received_at": received_at.isoformat(), "kind": kind}
                content = _content(rng, unit, period) if kind != "UNREADABLE" else None
                prepared_on = received_at.date() - timedelta(days=rng.randint(0, 3))
                _write_file(out_dir / file_name, kind, unit, year, report_type, content, received_at, prepared_on, rng)
                if kind == "ok":
                    entry["prepared_on"] = prepared_on.isoformat()
                    entry["content"] = _content_json(content)
                files.append(entry)
                received_rows.append((file_name, received_at))
            unit_records.append(
                {
                    "unit_code": unit.unit_code,
                    "unit_name": unit.unit_name,
                    "unit_kind": unit.unit_kind,
                    "province_code": unit.province_code,
                    "is_state_agency": unit.is_state_agency,
                    "is_ethnic_minority_area": unit.is_ethnic_minority_area,
                    "expected_status": plan.status,
                    "days_late": plan.days_late,
                    "files": files,
                }
            )

    write_reference_dir(ref_dir, all_units, all_calendar, tuple(read_targets(DEFAULT_REFERENCE_DIR)))
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
            "files": len(received_rows),
            "by_status": dict(sorted(Counter(u["expected_status"] for u in unit_records).items())),
            "files_by_kind": dict(sorted(Counter(f["kind"] for u in unit_records for f in u["files"]).items())),
        },
        "units": unit_records,
    }
    manifest_path = out_dir / MANIFEST_FILE
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return GeneratedInbox(out_dir, ref_dir, received_csv, manifest_path, manifest)


# --- provinces and units -----------------------------------------------------------------------------


def _province(index: int, units_per_province: int | None, year: int, seed: int):
    """(code, name, registry units, calendar) of the index-th province (1 = the sample province)."""
    years = tuple(sorted(set(CALENDAR_YEARS) | {year}))
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


# --- realistic content ---------------------------------------------------------------------------------

_ACTIVITY_NAMES = {
    "TRUYEN_THONG": (
        "Hội nghị tuyên truyền Luật Bình đẳng giới",
        "Tuyên truyền pháp luật về phòng, chống bạo lực gia đình tại khu dân cư",
        "Hội nghị phổ biến chính sách về bình đẳng giới cho cán bộ, công chức",
    ),
    "TAP_HUAN": (
        "Tập huấn nâng cao năng lực cho cán bộ làm công tác bình đẳng giới",
        "Bồi dưỡng kiến thức về lồng ghép giới trong xây dựng văn bản",
        "Tập huấn kỹ năng phòng ngừa, ứng phó bạo lực trên cơ sở giới",
    ),
    "HOI_THI": ("Hội thi tìm hiểu pháp luật về bình đẳng giới", "Hội thi tuyên truyền viên giỏi về bình đẳng giới"),
    "TOA_DAM": (
        "Tọa đàm về vai trò của phụ nữ trong lãnh đạo, quản lý",
        "Đối thoại chính sách với hội viên phụ nữ",
        "Hội thảo lồng ghép giới trong chương trình nông thôn mới",
    ),
    "TIN_BAI": (
        "Tin, bài về bình đẳng giới trên hệ thống thông tin cơ sở",
        "Tin, bài trên Cổng thông tin điện tử của đơn vị",
    ),
    "CHUYEN_MUC": ("Chuyên mục bình đẳng giới trên trang thông tin điện tử", "Chuyên mục phát thanh về bình đẳng giới"),
    "SAN_PHAM": ("Pano, áp phích tuyên truyền về bình đẳng giới", "Tờ rơi phòng, chống bạo lực gia đình"),
    "KIEM_TRA": (
        "Kiểm tra việc thực hiện pháp luật về bình đẳng giới",
        "Giám sát thực hiện tiêu chí 6.5 nông thôn mới",
    ),
    "GIAO_LUU": ("Giao lưu, học tập kinh nghiệm mô hình phòng, chống bạo lực gia đình",),
    "KHAC": ("Treo băng rôn hưởng ứng Tháng hành động vì bình đẳng giới", "Hỗ trợ sinh kế cho phụ nữ yếu thế"),
}
_ACTIVITY_WEIGHTS = {
    "TRUYEN_THONG": 20, "TAP_HUAN": 12, "HOI_THI": 4, "TOA_DAM": 6, "TIN_BAI": 18,
    "CHUYEN_MUC": 5, "SAN_PHAM": 8, "KIEM_TRA": 6, "GIAO_LUU": 3, "KHAC": 3,
}  # fmt: skip
_PROGRAMME_WEIGHTS = {
    "CHIEN_LUOC": 20, "TRUYEN_THONG_1790": 25, "BLG_625": 18, "LANH_DAO_2282": 8,
    "THANG_HANH_DONG": 15, "NTM_6_5": 6, "KHAC": 4,
}  # fmt: skip
_MEDIA_TYPES = ("TIN_BAI", "CHUYEN_MUC", "SAN_PHAM")
_CASE_WEIGHTS = {
    "BAO_LUC_GIA_DINH": 40, "XAM_HAI_TINH_DUC": 12, "QUAY_ROI": 8, "MUA_BAN_NGUOI": 5,
    "MOI_GIOI_HON_NHAN": 5, "VI_PHAM_BDG": 6, "KHAC": 4,
}  # fmt: skip
_CASE_NOTES = (
    "Hòa giải tại cộng đồng",
    "Chuyển cơ quan công an xử lý",
    "Đã tư vấn, hỗ trợ pháp lý",
    "Xử phạt hành chính",
)
_TASK_CODES = ("IV.1.6", "IV.1.7", "IV.2.2", "IV.3.1", "V.3", "V.4")


def _weighted(rng: random.Random, weights: dict[str, int], k: int = 1) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def _content(rng: random.Random, unit: Unit, period: CalendarEntry) -> FormContent:
    """A plausible report of `unit` for `period` (numbers consistent: nữ + nam = tổng, handled ≤ detected)."""
    start, end = period.period_start, period.period_end
    is_commune = unit.unit_kind in COMMUNE_KINDS
    return FormContent(
        activities=_activities(rng, unit, start, end, is_commune),
        gbv_cases=_gbv_cases(rng, unit, is_commune),
        leadership=_leadership(rng, unit, is_commune),
        indicators=_indicators(rng, unit, start, end, is_commune),
        tasks=_tasks(rng),
        prepared_by=rng.choice(("Phòng Văn hóa - Xã hội", "Văn phòng HĐND và UBND"))
        if is_commune
        else rng.choice(("Văn phòng", "Phòng Tổ chức - Hành chính", "Ban Vì sự tiến bộ của phụ nữ")),
    )


def _activities(rng, unit: Unit, start: date, end: date, is_commune: bool) -> list[dict]:
    weights = dict(_ACTIVITY_WEIGHTS)
    if is_commune:
        weights["TIN_BAI"] *= 2
    rows = []
    for item_no in range(1, rng.randint(2, 8) + 1):
        activity_type = _weighted(rng, weights)[0]
        programme = _weighted(rng, _PROGRAMME_WEIGHTS)[0]
        if programme == "THANG_HANH_DONG":
            # The action month runs 15/11–15/12: the part inside this period.
            first, last = start, min(date(start.year, 12, 15), end)
        else:
            first, last = start, end
        activity_date = first + timedelta(days=rng.randint(0, (last - first).days))
        row = {
            "item_no": item_no,
            "activity_type_code": activity_type,
            "programme_code": programme,
            "activity_name": rng.choice(_ACTIVITY_NAMES[activity_type]),
            "activity_date": activity_date,
        }
        if activity_type in _MEDIA_TYPES:
            row |= {
                "delivery_mode_code": "TRUC_TUYEN" if activity_type != "SAN_PHAM" else "TRUC_TIEP",
                "quantity": rng.randint(2, 16),
                "participants_total": None,
                "participants_female": None,
                "participants_male": None,
                "participants_ethnic_minority": None,
                "budget_vnd": rng.choice((None, rng.randint(5, 150) * 100_000)),
            }
        else:
            total = rng.randint(20, 300) if not is_commune else rng.randint(20, 180)
            female = round(total * rng.uniform(0.35, 0.75))
            em_share = rng.uniform(0.2, 0.7) if unit.is_ethnic_minority_area else rng.uniform(0, 0.05)
            row |= {
                "delivery_mode_code": _weighted(rng, {"TRUC_TIEP": 8, "TRUC_TUYEN": 1, "KET_HOP": 2})[0],
                "quantity": rng.choice((1, 1, 1, 1, 2, 3)),
                "participants_total": total,
                "participants_female": female,
                "participants_male": total - female,
                "participants_ethnic_minority": round(total * em_share),
                "budget_vnd": rng.randint(5, 2_500) * 100_000,
            }
        rows.append(row)
    return rows


def _gbv_cases(rng, unit: Unit, is_commune: bool) -> list[dict]:
    scale = 8 if unit.unit_code.endswith("TW01") else (3 if is_commune else 1)  # the provincial police sees most
    rows = []
    for case_type in _distinct(rng, _CASE_WEIGHTS, rng.randint(1, 4)):
        detected = rng.randint(0, 3 * scale)
        handled = rng.randint(max(0, detected - 2), detected)
        victims_female = detected + rng.randint(0, 1 if detected else 0)
        victims_male = rng.randint(0, 1) if detected else 0
        victims = victims_female + victims_male
        rows.append(
            {
                "case_type_code": case_type,
                "cases_detected": detected,
                "cases_handled": handled,
                "victims_female": victims_female,
                "victims_male": victims_male,
                "victims_children": rng.randint(0, min(victims, 2)),
                "victims_supported": round(victims * rng.uniform(0.7, 1.0)),
                "perpetrators_detected": detected,  # one perpetrator per case (draws nothing: same data)
                "perpetrators_counselled": round(detected * rng.uniform(0.4, 1.0)),
                "note": rng.choice(_CASE_NOTES) if detected and rng.random() < 0.3 else None,
            }
        )
    return rows


def _distinct(rng, weights: dict[str, int], k: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < k:
        pick = _weighted(rng, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def _leadership(rng, unit: Unit, is_commune: bool) -> list[dict]:
    rows = []
    # Key leaders: head and deputies (commune: Chủ tịch, Phó Chủ tịch HĐND and UBND).
    key_total = rng.randint(4, 6) if is_commune else rng.randint(2, 5)
    key_female = 0 if rng.random() < 0.35 else rng.randint(1, min(2, key_total))
    groups = [("CHU_CHOT", key_total, key_female)]
    dept_total = rng.randint(3, 8) if is_commune else rng.randint(6, 30)
    groups.append(("CAP_PHONG", dept_total, round(dept_total * rng.uniform(0.15, 0.6))))
    for code, total, female in groups:
        female_em = rng.randint(0, female) if unit.is_ethnic_minority_area and female else 0
        pool_total = rng.randint(total, total * 2 + 2)
        pool_female = round(pool_total * rng.uniform(0.3, 0.6))
        rows.append(
            {
                "position_group_code": code,
                "leaders_total": total,
                "leaders_female": female,
                "leaders_female_ethnic_minority": female_em,
                "pool_total": pool_total,
                "pool_female": pool_female,
                "pool_female_trained": round(pool_female * rng.uniform(0.6, 1.0)),
            }
        )
    return rows


def _indicators(rng, unit: Unit, start: date, end: date, is_commune: bool) -> dict[str, object]:
    consolidated = rng.random() < 0.85
    decided = start + timedelta(days=rng.randint(0, max(min((end - start).days, 200), 0)))
    if unit.unit_kind == "XA":
        ntm = rng.choice(("CO", "CO", "KHONG"))
    else:
        ntm = "KHONG_AP_DUNG"
    return {
        "BAN_VSTBPN_KIEN_TOAN": "CO" if consolidated else "KHONG",
        "NGAY_KIEN_TOAN": decided if consolidated else None,
        "SO_CONG_CHUC_BDG": rng.randint(1, 3),
        "SO_NOI_TAM_LANH": (rng.choice((0, 1, 1, 1, 2)) if is_commune else 0),
        "SO_VAN_BAN_LONG_GHEP": rng.randint(0, 5),
        "KINH_PHI_BDG": rng.randint(100, 5_000) * 100_000,
        "DAT_NTM_6_5": ntm,
    }


def _tasks(rng) -> list[dict]:
    if rng.random() >= 0.3:
        return []
    statuses = {"HOAN_THANH": 6, "DANG_THUC_HIEN": 3, "CHUA_THUC_HIEN": 1}
    rows = []
    for code in rng.sample(_TASK_CODES, rng.randint(1, 3)):
        status = _weighted(rng, statuses)[0]
        result = {"HOAN_THANH": "Đã hoàn thành theo kế hoạch", "DANG_THUC_HIEN": "Đang triển khai"}.get(status)
        rows.append({"task_code": code, "status_code": status, "result_text": result})
    return rows


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
