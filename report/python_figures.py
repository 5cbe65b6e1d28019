"""The figures of the report that are still computed in Python, over the facts and staging.

Biểu 4 (institutional indicators), Biểu 6 (plan targets and attainment) and the Tổng hợp summary with
the previous period have no mart yet: until they move into dbt (`rpt_ministry_annual` BIEU_4 aligned
with the printed definitions, a plan-targets mart and a summary mart), they are computed here, apart
from `report.figures` so that module reads only the report marts. Every other table reads its mart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from report.frames import as_date as _as_date
from report.frames import assessment as _assessment
from report.frames import frame as _frame
from report.frames import is_na as _is_na
from report.frames import value_of as _value

if TYPE_CHECKING:
    import pandas as pd

QUARTER_NAMES = ("I", "II", "III", "IV")
# Activities that count as "communication sessions on gender-equality law" (target ≥ 2 per unit a year).
SESSION_ACTIVITY_TYPES = ("TRUYEN_THONG",)
NEWS_ACTIVITY_TYPE = "TIN_BAI"


@dataclass(frozen=True)
class Target:
    """A plan target as it applies to one year (the interim value up to its interim year)."""

    code: str
    name: str
    unit_group: str
    metric: str
    value: float
    legal_source: str


# --------------------------------------------------------------------------------------------------
# Sources: one function per relation read, so a dedicated mart can replace it in one place.


def read_targets(con, report_year: int) -> dict[str, Target]:
    """Targets applying to `report_year` (`marts.rpt_targets`: the interim value up to its interim year,
    the final value after it), by target code."""
    rows = con.execute(
        """
        select target_code, target_name_vi, unit_group, metric, target_value, legal_source
        from marts.rpt_targets where report_year = ? order by rowid
        """,
        [int(report_year)],
    ).fetchall()
    return {r[0]: Target(r[0], r[1] or r[0], r[2] or "all", r[3] or "", float(r[4]), r[5] or "") for r in rows}


def _target_value(targets: dict[str, Target], code: str) -> float | None:
    target = targets.get(code)
    return None if target is None else target.value


def _current_files_sql() -> str:
    # The files whose content is current (status 'loaded'), one row per file, for one period.
    return """
        select file_sha256, any_value(file_name) as file_name, any_value(unit_code) as unit_code,
               min(received_at) as received_at
        from marts.fct_submissions
        where status = 'loaded' and report_year = ? and report_type = ?
        group by file_sha256
    """


def _indicator_values(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Institutional indicators (ChiTieu) of the current files, one row per unit × indicator."""
    return con.execute(
        f"""
        with current_files as ({_current_files_sql()})
        select current_files.unit_code, units.unit_kind, coalesce(units.is_commune, false) as is_commune,
               indicators.indicator_code, indicators.value_text, indicators.value_number,
               indicators.file_sha256, indicators.source_row
        from staging.stg_raw__indicators as indicators
        inner join current_files on indicators.file_sha256 = current_files.file_sha256
        left join marts.dim_units as units on units.unit_code = current_files.unit_code
        """,
        [int(report_year), report_type],
    ).df()


def _reporting_units(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Units with a current (accepted) report for the period, with their kind and flags."""
    return con.execute(
        f"""
        with current_files as ({_current_files_sql()})
        select distinct current_files.unit_code, units.unit_kind,
               coalesce(units.is_commune, false) as is_commune,
               coalesce(units.is_ethnic_minority_area, false) as is_ethnic_minority_area
        from current_files
        left join marts.dim_units as units on units.unit_code = current_files.unit_code
        """,
        [int(report_year), report_type],
    ).df()


def period_bounds(con, report_year: int, report_type: str) -> tuple[dt.date, dt.date] | None:
    """(period_start, period_end) of the period (the earliest start and latest end across provinces)."""
    row = con.execute(
        "select min(period_start), max(period_end) from marts.dim_periods where report_year = ? and report_type = ?",
        [int(report_year), report_type],
    ).fetchone()
    if not row or row[0] is None:
        return None
    return _as_date(row[0]), _as_date(row[1])


def quarters(con, report_year: int, report_type: str) -> list[tuple[str, dt.date, dt.date]]:
    """The quarters of the period, counted from its start: [(name, first day, last day)].

    The reporting year runs 15/11 to 14/11, so quarter I is 15/11–14/02 and the 6-month report covers
    quarters I and II exactly; labels print the dates so nobody mistakes them for calendar quarters.
    """
    bounds = period_bounds(con, report_year, report_type)
    if bounds is None:
        return []
    start, end = bounds
    result = []
    for index, name in enumerate(QUARTER_NAMES):
        first = _add_months(start, 3 * index)
        if first > end:
            break
        last = min(_add_months(start, 3 * (index + 1)) - dt.timedelta(days=1), end)
        result.append((name, first, last))
    return result


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


ACTIVITY_MEASURES = (
    ("activities", "sum(quantity)"),
    ("participants_total", "sum(participants_total)"),
    ("participants_female", "sum(participants_female)"),
    ("participants_male", "sum(participants_male)"),
    ("participants_ethnic_minority", "sum(participants_ethnic_minority)"),
    ("budget_vnd", "sum(budget_vnd)"),
)
GBV_MEASURES = tuple(
    (name, f"sum({name})")
    for name in (
        "cases_detected",
        "cases_handled",
        "victims_female",
        "victims_male",
        "victims_children",
        "victims_supported",
        "perpetrators_counselled",
    )
)


def _ratio(numerator, denominator) -> float | None:
    if numerator is None or denominator is None or _is_na(numerator) or _is_na(denominator) or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def _assess(value, target) -> str | None:
    if value is None or target is None or _is_na(value) or _is_na(target):
        return None
    return _assessment(float(value) >= float(target) - 1e-9)


# --------------------------------------------------------------------------------------------------
# Biểu 4: institutional indicators and news items per quarter


def _indicators(con, report_year: int, report_type: str, targets: dict[str, Target]) -> pd.DataFrame:
    values = _indicator_values(con, report_year, report_type)

    def of(code: str, communes_only: bool = False):
        rows = values[values["indicator_code"] == code]
        return rows[rows["is_commune"]] if communes_only else rows

    def count_units(rows) -> int:
        return int(rows["unit_code"].nunique())

    def total(rows) -> int:
        return int(rows["value_number"].fillna(0).sum())

    ban = of("BAN_VSTBPN_KIEN_TOAN")
    ban_yes = int((ban["value_text"] == "CO").sum())
    shelters = of("SO_NOI_TAM_LANH", communes_only=True)
    shelter_units = int((shelters["value_number"].fillna(0) >= 1).sum())
    ntm = of("DAT_NTM_6_5")
    ntm_applicable = ntm[ntm["value_text"].isin(["CO", "KHONG"])]
    ntm_yes = int((ntm_applicable["value_text"] == "CO").sum())
    ban_target = _target_value(targets, "BAN_VSTBPN_CONSOLIDATED")
    shelter_target = 1.0 if "SHELTER_PER_COMMUNE" in targets else None

    def item(code, label, unit, reporting, value, share=None, target=None):
        return {
            "row_kind": "item",
            "code": code,
            "label": label,
            "measure_unit": unit,
            "units_reporting": reporting,
            "value": value,
            "share": share,
            "target": target,
            "assessment": _assess(share, target),
        }

    rows = [
        item(
            "BAN_VSTBPN_KIEN_TOAN",
            "Đơn vị đã kiện toàn Ban Vì sự tiến bộ của phụ nữ",
            "Đơn vị",
            count_units(ban),
            ban_yes,
            _ratio(ban_yes, count_units(ban)),
            ban_target,
        ),
        item(
            "SO_CONG_CHUC_BDG",
            "Công chức phụ trách công tác bình đẳng giới",
            "Người",
            count_units(of("SO_CONG_CHUC_BDG")),
            total(of("SO_CONG_CHUC_BDG")),
        ),
        item(
            "SO_NOI_TAM_LANH",
            "Nơi tạm lánh hỗ trợ người bị bạo lực trên cơ sở giới (cấp xã)",
            "Nơi",
            count_units(shelters),
            total(shelters),
        ),
        item(
            "XA_CO_NOI_TAM_LANH",
            "Xã, phường, đặc khu có ít nhất 01 nơi tạm lánh",
            "Xã",
            count_units(shelters),
            shelter_units,
            _ratio(shelter_units, count_units(shelters)),
            shelter_target,
        ),
        item(
            "SO_VAN_BAN_LONG_GHEP",
            "Văn bản QPPL được lồng ghép vấn đề bình đẳng giới",
            "Văn bản",
            count_units(of("SO_VAN_BAN_LONG_GHEP")),
            total(of("SO_VAN_BAN_LONG_GHEP")),
        ),
        item(
            "KINH_PHI_BDG",
            "Kinh phí bố trí cho công tác bình đẳng giới",
            "Đồng",
            count_units(of("KINH_PHI_BDG")),
            total(of("KINH_PHI_BDG")),
        ),
        item(
            "DAT_NTM_6_5",
            "Xã đạt tiêu chí 6.5 nông thôn mới (trên số xã áp dụng)",
            "Xã",
            count_units(ntm_applicable),
            ntm_yes,
            _ratio(ntm_yes, count_units(ntm_applicable)),
        ),
    ]
    for number, row in enumerate(rows, start=1):
        row["stt"] = str(number)
    columns = ["row_kind", "stt", "code", "label", "measure_unit", "units_reporting", "value", "share"]
    columns += ["target", "assessment"]
    return _frame(rows, columns, ints=["units_reporting", "value"], floats=["share", "target"])


def _news_by_commune_and_quarter(con, report_year: int, report_type: str, quarter_list) -> pd.DataFrame:
    """News items (Tin, bài) per reporting commune and quarter of the period, zero-filled."""
    import pandas as pd

    communes = _reporting_units(con, report_year, report_type)
    communes = sorted(communes[communes["is_commune"]]["unit_code"].astype(str))
    news = con.execute(
        """
        select activities.unit_code, activities.activity_date, coalesce(activities.quantity, 0) as quantity
        from marts.fct_activities as activities
        inner join marts.dim_units as units on units.unit_code = activities.unit_code
        where activities.report_year = ? and activities.report_type = ? and units.is_commune
          and activities.activity_type_code = ? and activities.activity_date is not null
        """,
        [int(report_year), report_type, NEWS_ACTIVITY_TYPE],
    ).df()
    days = pd.to_datetime(news["activity_date"]).dt.date if not news.empty else None
    records = []
    for name, first, last in quarter_list:
        in_quarter = news[(days >= first) & (days <= last)] if days is not None else news
        per_unit = in_quarter.groupby("unit_code")["quantity"].sum().to_dict() if len(in_quarter) else {}
        for unit in communes:
            records.append({"quarter": name, "unit_code": unit, "news_items": int(per_unit.get(unit, 0))})
    return pd.DataFrame(records, columns=["quarter", "unit_code", "news_items"])


# --------------------------------------------------------------------------------------------------
# Biểu 6: plan targets and attainment


def _leadership_pool(con, report_year: int, report_type: str) -> dict[str, int]:
    row = con.execute(
        """
        select coalesce(sum(pool_total), 0)::bigint, coalesce(sum(pool_female), 0)::bigint,
               coalesce(sum(pool_female_trained), 0)::bigint
        from marts.fct_leadership where report_year = ? and report_type = ?
        """,
        [int(report_year), report_type],
    ).fetchone()
    return {"pool_total": row[0], "pool_female": row[1], "pool_female_trained": row[2]}


def _em_female_leaders(con, report_year: int, report_type: str) -> tuple[int, int]:
    """(units in ethnic-minority areas with a leadership report, of which with an EM female leader)."""
    row = con.execute(
        """
        with per_unit as (
            select leadership.unit_code, sum(leadership.leaders_female_ethnic_minority) as em_female
            from marts.fct_leadership as leadership
            inner join marts.dim_units as units on units.unit_code = leadership.unit_code
            where leadership.report_year = ? and leadership.report_type = ? and units.is_ethnic_minority_area
            group by 1
        )
        select count(*), count(*) filter (where em_female >= 1) from per_unit
        """,
        [int(report_year), report_type],
    ).fetchone()
    return int(row[0]), int(row[1])


def _sessions_per_unit(con, report_year: int, report_type: str, minimum: float) -> tuple[int, int]:
    """(reporting units, of which with at least `minimum` communication sessions in the period)."""
    units = _reporting_units(con, report_year, report_type)
    placeholders = ", ".join("?" for _ in SESSION_ACTIVITY_TYPES)
    sessions = dict(
        con.execute(
            f"""
            select unit_code, coalesce(sum(quantity), 0) from marts.fct_activities
            where report_year = ? and report_type = ? and activity_type_code in ({placeholders})
            group by 1
            """,
            [int(report_year), report_type, *SESSION_ACTIVITY_TYPES],
        ).fetchall()
    )
    codes = list(units["unit_code"].astype(str))
    return len(codes), sum(1 for code in codes if sessions.get(code, 0) >= minimum)


def _plan_targets(con, report_year, report_type, targets: dict[str, Target], tables) -> pd.DataFrame:
    leadership = tables["leadership"].set_index("code", drop=False)
    gbv_total = tables["gbv_cases"][tables["gbv_cases"]["row_kind"] == "total"].iloc[0]
    indicators = tables["indicators"].set_index("code", drop=False)
    rows = []

    def add(code, *, result, goal, met=None, assessed=None, level=None):
        target = targets[code]
        rows.append(
            {
                "row_kind": "item",
                "stt": str(len(rows) + 1),
                "code": code,
                "label": target.name,
                "legal_source": target.legal_source,
                "target_level": level or _share_level(target.value),
                "units_met": met,
                "units_assessed": assessed,
                "result": result,
                "goal": goal,
                "attainment": _ratio(result, goal),
                "assessment": _assess(result, goal),
            }
        )

    for code in targets:
        target = targets[code]
        if code in ("FEMALE_KEY_LEADER_STATE", "FEMALE_KEY_LEADER_COMMUNE"):
            group = "state_agency" if code.endswith("STATE") else "commune"
            if group not in leadership.index:
                continue
            row = leadership.loc[group]
            add(
                code,
                result=_value(row["share_of_reporting"]),
                goal=_value(row["target_share"]),
                met=int(row["units_with_female_key_leader"]),
                assessed=int(row["units_reporting"]),
                level=_share_level(_value(row["target_share"])),
            )
        elif code in ("POOL_FEMALE_SHARE", "POOL_FEMALE_TRAINED"):
            pool = _leadership_pool(con, report_year, report_type)
            if code == "POOL_FEMALE_SHARE":
                share = _ratio(pool["pool_female"], pool["pool_total"])
            else:
                share = _ratio(pool["pool_female_trained"], pool["pool_female"])
            add(code, result=share, goal=target.value)
        elif code == "EM_FEMALE_LEADER":
            assessed, met = _em_female_leaders(con, report_year, report_type)
            add(code, result=_ratio(met, assessed), goal=target.value, met=met, assessed=assessed)
        elif code == "COMM_SESSIONS_PER_UNIT":
            assessed, met = _sessions_per_unit(con, report_year, report_type, target.value)
            add(
                code,
                result=_ratio(met, assessed),
                goal=1.0,
                met=met,
                assessed=assessed,
                level=f"≥ {_num_text(target.value)} cuộc/đơn vị/năm",
            )
        elif code == "NEWS_ITEMS_PER_QUARTER_COMMUNE":
            per_commune = _news_by_commune_and_quarter(
                con, report_year, report_type, quarters(con, report_year, report_type)
            )
            if per_commune.empty:
                assessed, met = 0, 0
            else:
                worst = per_commune.groupby("unit_code")["news_items"].min()
                assessed, met = len(worst), int((worst >= target.value).sum())
            add(
                code,
                result=_ratio(met, assessed),
                goal=1.0,
                met=met,
                assessed=assessed,
                level=f"≥ {_num_text(target.value)} tin, bài/xã/quý",
            )
        elif code == "SHELTER_PER_COMMUNE":
            row = indicators.loc["XA_CO_NOI_TAM_LANH"]
            add(
                code,
                result=_value(row["share"]),
                goal=1.0,
                met=_value(row["value"]),
                assessed=_value(row["units_reporting"]),
                level=f"≥ {_num_text(target.value)} nơi/xã",
            )
        elif code == "BAN_VSTBPN_CONSOLIDATED":
            row = indicators.loc["BAN_VSTBPN_KIEN_TOAN"]
            add(
                code,
                result=_value(row["share"]),
                goal=target.value,
                met=_value(row["value"]),
                assessed=_value(row["units_reporting"]),
            )
        elif code == "GBV_VICTIMS_SUPPORTED":
            add(code, result=_value(gbv_total["support_rate"]), goal=target.value)
        elif code == "PERPETRATORS_COUNSELLED":
            add(code, result=_value(gbv_total["counselling_rate"]), goal=target.value)
    columns = ["row_kind", "stt", "code", "label", "legal_source", "target_level", "units_met", "units_assessed"]
    columns += ["result", "goal", "attainment", "assessment"]
    return _frame(rows, columns, ints=["units_met", "units_assessed"], floats=["result", "goal", "attainment"])


def _share_level(value) -> str:
    """'≥ 75%'; a 100% target reads '100%'."""
    from report.formatting import percent_target

    if value is None:
        return ""
    return percent_target(value) if value >= 1 else f"≥ {percent_target(value)}"


def _num_text(value) -> str:
    from report.formatting import number

    return number(value, 1, strip_zeros=True)


# --------------------------------------------------------------------------------------------------
# Summary sheet


SUMMARY_COLUMNS_ORDER = ["row_kind", "stt", "code", "label", "value", "format", "previous", "change"]
SUMMARY_COLUMNS_ORDER += ["target", "assessment"]


def _summary(tables: dict[str, pd.DataFrame], previous: pd.DataFrame | None) -> pd.DataFrame:
    def figure(table: str, code: str | None, column: str, *, kind: str = "total"):
        frame = tables[table]
        match = frame[frame["row_kind"] == kind] if code is None else frame[frame["code"] == code]
        return _value(match.iloc[0][column]) if len(match) else None

    rows: list[dict] = []
    previous_values = {}
    if previous is not None:
        previous_values = {
            row["code"]: _value(row["value"]) for row in previous.to_dict("records") if row["row_kind"] == "item"
        }

    def section(stt: str, label: str) -> None:
        rows.append({"row_kind": "section", "stt": stt, "code": None, "label": label, "value": None, "format": None})

    def item(code: str, label: str, value, fmt: str = "int", target=None) -> None:
        number = sum(1 for row in rows if row["row_kind"] == "item") + 1
        before = previous_values.get(code)
        change = None if value is None or before is None else value - before
        rows.append(
            {
                "row_kind": "item",
                "stt": str(number),
                "code": code,
                "label": label,
                "value": value,
                "format": fmt,
                "previous": before,
                "change": change,
                "target": target,
                "assessment": _assess(value, target),
            }
        )

    section("I", "Tình hình nộp báo cáo")
    item("units_expected", "Số đơn vị phải báo cáo", figure("reporting_status", None, "units_expected"))
    item("units_received", "Số đơn vị đã nộp báo cáo (đúng hạn và muộn)", figure("reporting_status", None, "received"))
    item("reporting_rate", "Tỷ lệ đơn vị đã nộp báo cáo", figure("reporting_status", None, "reporting_rate"), "pct")
    item("on_time_rate", "Tỷ lệ đơn vị nộp báo cáo đúng hạn", figure("reporting_status", None, "on_time_rate"), "pct")
    item("units_late", "Số đơn vị nộp báo cáo muộn", figure("reporting_status", None, "late"))
    item("units_missing", "Số đơn vị chưa nộp báo cáo (đã quá hạn)", figure("reporting_status", None, "missing"))
    item("units_rejected", "Số đơn vị có báo cáo bị từ chối", figure("reporting_status", None, "rejected"))
    section("II", "Hoạt động bình đẳng giới")
    item("activities", "Số hoạt động", figure("activities", None, "activities"))
    item("participants_total", "Số lượt người tham gia", figure("activities", None, "participants_total"))
    item("participants_female", "Trong đó: nữ", figure("activities", None, "participants_female"))
    item(
        "participants_ethnic_minority",
        "Trong đó: người dân tộc thiểu số",
        figure("activities", None, "participants_ethnic_minority"),
    )
    item("budget_vnd", "Kinh phí thực hiện (đồng)", figure("activities", None, "budget_vnd"))
    section("III", "Phòng ngừa, ứng phó bạo lực trên cơ sở giới")
    item("cases_detected", "Số vụ việc phát hiện", figure("gbv_cases", None, "cases_detected"))
    item("cases_handled", "Số vụ việc đã xử lý", figure("gbv_cases", None, "cases_handled"))
    victims = None
    female, male = figure("gbv_cases", None, "victims_female"), figure("gbv_cases", None, "victims_male")
    if female is not None and male is not None:
        victims = female + male
    item("victims", "Số nạn nhân", victims)
    item("victims_children", "Trong đó: trẻ em", figure("gbv_cases", None, "victims_children"))
    item(
        "support_rate",
        "Tỷ lệ nạn nhân được hỗ trợ",
        figure("gbv_cases", None, "support_rate"),
        "pct",
        figure("gbv_cases", None, "support_target"),
    )
    item(
        "counselling_rate",
        "Tỷ lệ người gây bạo lực được tư vấn",
        figure("gbv_cases", None, "counselling_rate"),
        "pct",
        figure("gbv_cases", None, "counselling_target"),
    )
    section("IV", "Phụ nữ tham gia lãnh đạo, quản lý")
    leadership = tables["leadership"]
    for record in leadership[leadership["row_kind"] == "item"].to_dict("records"):
        label = record["label"]
        item(
            f"female_key_leader_{record['code']}",
            f"Tỷ lệ có nữ lãnh đạo chủ chốt: {label[0].lower()}{label[1:]}",
            _value(record["share_of_reporting"]),
            "pct",
            _value(record["target_share"]),
        )
    section("V", "Tổ chức bộ máy, nguồn lực")
    item(
        "ban_consolidated_share",
        "Tỷ lệ đơn vị đã kiện toàn Ban Vì sự tiến bộ của phụ nữ",
        figure("indicators", "BAN_VSTBPN_KIEN_TOAN", "share"),
        "pct",
        figure("indicators", "BAN_VSTBPN_KIEN_TOAN", "target"),
    )
    item("gender_officers", "Số công chức phụ trách bình đẳng giới", figure("indicators", "SO_CONG_CHUC_BDG", "value"))
    item("shelters", "Số nơi tạm lánh (cấp xã)", figure("indicators", "SO_NOI_TAM_LANH", "value"))
    item(
        "communes_with_shelter_share",
        "Tỷ lệ xã, phường, đặc khu có nơi tạm lánh",
        figure("indicators", "XA_CO_NOI_TAM_LANH", "share"),
        "pct",
        figure("indicators", "XA_CO_NOI_TAM_LANH", "target"),
    )
    # `value`, `previous` and `change` mix counts and fractions (see `format`): kept as Python objects.
    return _frame(rows, SUMMARY_COLUMNS_ORDER, floats=["target"])
