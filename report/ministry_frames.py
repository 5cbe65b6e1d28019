"""Biểu 1, 2, 3 and 5 of the report, and the units to chase, read from the marts and reshaped.

Every figure is a cell of `marts.rpt_ministry_annual` (the whole-warehouse rows), a row of
`marts.rpt_reporting_rates` or `marts.rpt_reporting_status`: this module selects rows, puts them in
print order and labels them; it computes no figure. Beside each figure column `<key>` of a table read from
`rpt_ministry_annual`, `previous_<key>` and `change_<key>` carry the cell's `previous_value` and `change`
(the same period of the previous year, cùng kỳ năm trước; NA when the mart does not compare the period).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingest.form_bdg1 import ACTIVITY_TYPES, CASE_TYPES, PROGRAMMES, Vocabulary
from report.frames import (
    STATUSES,
    TOTAL_LABEL,
    UNIT_GROUPS,
    UNIT_KINDS,
    WAREHOUSE_SCOPE,
    as_date,
    as_int,
    as_local_date,
    assessment,
    cells,
    frame,
    period_records,
    value_of,
)

if TYPE_CHECKING:
    import pandas as pd

ACTIVITY_COLUMNS = (
    "activities",
    "participants_total",
    "participants_female",
    "participants_male",
    "participants_ethnic_minority",
    "budget_vnd",
)
GBV_COLUMNS = (
    "cases_detected",
    "cases_handled",
    "victims_female",
    "victims_male",
    "victims_children",
    "victims_supported",
    "perpetrators_detected",
    "perpetrators_counselled",
)
# Biểu 2's rates, their coverage and targets: on the violence row only (blank on the others).
GBV_RATES = (
    "support_rate",
    "support_target",
    "support_final_target",
    "counselling_rate",
    "counselling_coverage",
    "counselling_target",
    "counselling_final_target",
)
GBV_ASSESSMENTS = {"support_assessment": "support_is_met", "counselling_assessment": "counselling_is_met"}
VIOLENCE_ROW = "violence"
VIOLENCE_LABEL = "Cộng các hành vi bạo lực trên cơ sở giới"
STATUS_COUNT_COLUMNS = ("units_expected", "on_time", "late", "rejected", "missing", "pending")


def _codes(vocabulary: Vocabulary, prefix: str, found: dict) -> list[str]:
    """The vocabulary's codes, then any other code the mart has for `prefix` (sorted)."""
    extra = {row.removeprefix(prefix) for row, _ in found if row.startswith(prefix)} - set(vocabulary.codes)
    return list(vocabulary.codes) + sorted(extra)


def _vocabulary_rows(vocabulary: Vocabulary, prefix: str, found: dict, columns, **extra) -> list[dict]:
    labels = dict(vocabulary.items)
    return [
        {
            "row_kind": "item",
            "stt": str(number),
            "code": code,
            "label": labels.get(code, code),
            **extra,
            # a period the mart does not hold (not started yet) prints zeros, as the mart does for codes
            **{name: as_int(found.get((prefix + code, name), 0)) for name in columns},
        }
        for number, code in enumerate(_codes(vocabulary, prefix, found), start=1)
    ]


def comparisons(con, table_code: str, report_year: int, report_type: str) -> dict[tuple[str, str], tuple]:
    """(row_code, column_code) → (previous_value, change) of one table of `marts.rpt_ministry_annual`,
    whole warehouse: the same cell in the same period of the previous year and the change, as dbt
    computed them (None when the period is not compared)."""
    rows = con.execute(
        """
        select row_code, column_code, previous_value, change from marts.rpt_ministry_annual
        where province_code = ? and table_code = ? and report_year = ? and report_type = ?
        """,
        [WAREHOUSE_SCOPE, table_code, int(report_year), report_type],
    ).fetchall()
    return {(row, column): (previous, change) for row, column, previous, change in rows}


def with_previous_year(result: pd.DataFrame, found: dict, cell_of, keys=None) -> pd.DataFrame:
    """`result` with `previous_<key>` and `change_<key>` after its columns, for each figure column `key`
    (`keys`, by default every count and rate column): the values `found` (from `comparisons`) holds for
    the cell `cell_of(record, key)` → (row_code, column_code) of each row; NA where `cell_of` gives None
    (a section row) or the mart has no such cell. Counts stay `Int64`, rates `Float64`."""
    import pandas as pd

    if keys is None:
        keys = [name for name in result.columns if str(result[name].dtype) in ("Int64", "Float64")]
    records = result.to_dict("records")
    added = {}
    for key in keys:
        dtype = "Int64" if str(result[key].dtype) == "Int64" else "Float64"
        pairs = [found.get(cell_of(record, key), (None, None)) for record in records]
        for position, name in enumerate((f"previous_{key}", f"change_{key}")):
            values = [value_of(pair[position]) for pair in pairs]
            if dtype == "Int64":
                values = [None if value is None else round(value) for value in values]
            added[name] = pd.array(values, dtype=dtype)
    return pd.concat([result, pd.DataFrame(added, index=result.index)], axis=1) if added else result


def _same_column(row_code_of):
    """cell_of for a table whose figure columns are named as the mart's column codes."""

    def cell_of(record: dict, key: str):
        row_code = row_code_of(record)
        return None if row_code is None else (row_code, key)

    return cell_of


def _total_or(prefix: str):
    """row_code_of: 'total' for the total row, `prefix` + code for an item, None otherwise."""

    def row_code_of(record: dict):
        if record.get("row_kind") == "total":
            return "total"
        return f"{prefix}{record['code']}" if record.get("row_kind") == "item" else None

    return row_code_of


ACTIVITY_DIMENSIONS = {"programme_code": "programme.", "activity_type_code": "activity_type."}


def _activity_row_code(record: dict):
    if record.get("row_kind") == "total":
        return "total"
    prefix = ACTIVITY_DIMENSIONS.get(record.get("dimension"))
    return None if prefix is None or record.get("row_kind") != "item" else prefix + str(record["code"])


def activities(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Biểu 1: activities by programme, then by activity type, then the total (rpt_ministry_annual BIEU_1)."""
    found = cells(con, "BIEU_1", report_year, report_type)
    names = list(ACTIVITY_COLUMNS)
    blank = dict.fromkeys(names)
    rows = [
        {"row_kind": "section", "stt": "I", "code": None, "label": "Theo chương trình", "dimension": None, **blank},
        *_vocabulary_rows(PROGRAMMES, "programme.", found, names, dimension="programme_code"),
        {"row_kind": "section", "stt": "II", "code": None, "label": "Theo loại hoạt động", "dimension": None, **blank},
        *_vocabulary_rows(ACTIVITY_TYPES, "activity_type.", found, names, dimension="activity_type_code"),
        {"row_kind": "total", "stt": "", "code": None, "label": TOTAL_LABEL, "dimension": None,
         **{name: as_int(found.get(("total", name), 0)) for name in names}},
    ]  # fmt: skip
    result = frame(rows, ["row_kind", "stt", "code", "dimension", "label", *names], ints=names)
    found = comparisons(con, "BIEU_1", report_year, report_type)
    return with_previous_year(result, found, _same_column(_activity_row_code))


def _row_labels(con, table_code: str, report_year: int, report_type: str) -> dict[str, tuple[int, str]]:
    """row_code → (row_order, row_label_vi) of one table of `marts.rpt_ministry_annual`, whole warehouse."""
    rows = con.execute(
        """
        select row_code, any_value(row_order), any_value(row_label_vi) from marts.rpt_ministry_annual
        where province_code = ? and table_code = ? and report_year = ? and report_type = ?
        group by row_code
        """,
        [WAREHOUSE_SCOPE, table_code, int(report_year), report_type],
    ).fetchall()
    return {code: (order, label) for code, order, label in rows}


def _gbv_row_code(record: dict):
    kind = record.get("row_kind")
    if kind == "total":
        return "total"
    if kind == "group":
        return record["code"]
    return f"case_type.{record['code']}" if kind == "item" else None


def gbv_cases(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Biểu 2: cases by case type, the acts of violence summed on their own row (row_kind `group`, code
    `violence`, placed in the mart's row order: after the violence types, before the violations), then
    the grand total. Only the violence row carries the support and counselling rates, the counselling
    rate's coverage, the report year's target (trajectory), the 2030 target and the assessments; the
    case-type rows and the total carry counts. perpetrators_detected is None where no report carries it."""
    found = cells(con, "BIEU_2", report_year, report_type)
    orders = _row_labels(con, "BIEU_2", report_year, report_type)
    names = list(GBV_COLUMNS)
    items = _vocabulary_rows(
        CASE_TYPES, "case_type.", found, [name for name in names if name != "perpetrators_detected"]
    )
    for row in items:
        row["perpetrators_detected"] = as_int(found.get((f"case_type.{row['code']}", "perpetrators_detected")))
    violence = {
        "row_kind": "group", "stt": "", "code": VIOLENCE_ROW,
        "label": orders.get(VIOLENCE_ROW, (None, VIOLENCE_LABEL))[1],
        **{name: as_int(found.get((VIOLENCE_ROW, name), None if name == "perpetrators_detected" else 0))
           for name in names},
        **{rate: value_of(found.get((VIOLENCE_ROW, rate))) for rate in GBV_RATES},
        **{key: assessment(found.get((VIOLENCE_ROW, cell))) for key, cell in GBV_ASSESSMENTS.items()},
    }  # fmt: skip
    # the violence row goes where the mart orders it (a period the mart does not hold: after the items)
    position = sum(
        1 for row in items if orders.get(f"case_type.{row['code']}", (0,))[0] < orders.get(VIOLENCE_ROW, (10**9,))[0]
    )
    total = {
        "row_kind": "total", "stt": "", "code": None, "label": TOTAL_LABEL,
        **{name: as_int(found.get(("total", name), None if name == "perpetrators_detected" else 0)) for name in names},
    }  # fmt: skip
    rows = [*items[:position], violence, *items[position:], total]
    for row in rows:
        for rate in GBV_RATES:
            row.setdefault(rate, None)
        for key in GBV_ASSESSMENTS:
            row.setdefault(key, None)
    columns = ["row_kind", "stt", "code", "label", *names, *GBV_RATES, *GBV_ASSESSMENTS]
    result = frame(rows, columns, ints=names, floats=GBV_RATES)
    found = comparisons(con, "BIEU_2", report_year, report_type)
    return with_previous_year(result, found, _same_column(_gbv_row_code))


LEADERSHIP_SHARES = ("pool_female_share", "pool_female_target", "pool_female_trained_share",
                     "pool_female_trained_target")  # fmt: skip
LEADER_COUNTS = ("key_leaders_total", "key_leaders_female", "department_leaders_total", "department_leaders_female")
LEADER_SHARES = ("key_leaders_female_share", "department_leaders_female_share")
ETHNIC_MINORITY_ROW = "ethnic_minority_area"


def leadership(con, report_year: int) -> pd.DataFrame:
    """Biểu 3: units with a female key leader per unit group against the report year's value of the
    target (rpt_targets.year_target) and the 2030 target, the share of women among key
    (CHU_CHOT) and department-level (CAP_PHONG) leaders, the total, then the units of ethnic-minority
    areas (row_kind `group`, code `ethnic_minority_area`, «Trong đó»).

    The year's figures: rpt_ministry_annual BIEU_3 of the annual period (each expected unit's annual
    report, else its 6-month one), also in the 6-month report. The total and ethnic-minority rows leave
    the unit-count targets blank (they differ by group); they carry the planning-pool shares and targets.
    """
    found = cells(con, "BIEU_3", report_year, "NAM")
    orders = _row_labels(con, "BIEU_3", report_year, "NAM")
    counts = ("units_expected", "units_reporting", "units_with_female_key_leader")
    extra = {row for row, _ in found} - set(UNIT_GROUPS.codes) - {"total", ETHNIC_MINORITY_ROW}
    labels = dict(UNIT_GROUPS.items)

    def figures(code: str) -> dict:
        return {
            **{name: as_int(found.get((code, name), 0)) for name in (*counts, *LEADER_COUNTS)},
            "share_of_reporting": value_of(found.get((code, "share_of_reporting"))),
            # the planning-pool shares and their targets concern all units: on every row
            **{name: value_of(found.get((code, name))) for name in (*LEADER_SHARES, *LEADERSHIP_SHARES)},
        }

    rows = []
    for number, code in enumerate([*UNIT_GROUPS.codes, *sorted(extra)], start=1):
        rows.append(
            {
                "row_kind": "item",
                "stt": str(number),
                "code": code,
                "label": labels.get(code, code),
                **figures(code),
                "target_share": value_of(found.get((code, "target_share"))),
                "final_target_share": value_of(found.get((code, "final_target_share"))),
                "assessment": assessment(found.get((code, "is_met"))),
            }
        )
    blank = {"target_share": None, "final_target_share": None, "assessment": None}  # they differ by group
    rows.append({"row_kind": "total", "stt": "", "code": None, "label": TOTAL_LABEL, **figures("total"), **blank})
    if ETHNIC_MINORITY_ROW in orders:
        label = orders[ETHNIC_MINORITY_ROW][1]
        rows.append({"row_kind": "group", "stt": "", "code": ETHNIC_MINORITY_ROW, "label": label,
                     **figures(ETHNIC_MINORITY_ROW), **blank})  # fmt: skip
    ints = [*counts, *LEADER_COUNTS]
    rates = ["share_of_reporting", "target_share", "final_target_share", *LEADER_SHARES, *LEADERSHIP_SHARES]
    columns = ["row_kind", "stt", "code", "label", *counts, "share_of_reporting", "target_share", "final_target_share"]
    columns += ["assessment", *LEADER_COUNTS, *LEADER_SHARES, *LEADERSHIP_SHARES]
    result = frame(rows, columns, ints=ints, floats=rates)
    return with_previous_year(result, comparisons(con, "BIEU_3", report_year, "NAM"), _leadership_cell)


def _leadership_cell(record: dict, key: str):
    # the total and ethnic-minority rows print no unit-count target (targets differ by group)
    if record.get("row_kind") in ("total", "group") and key in ("target_share", "final_target_share"):
        return None
    if record.get("row_kind") == "group":
        return record["code"], key
    return _same_column(_total_or(""))(record, key)


def reporting_status(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Biểu 5: units per status by unit kind (rpt_reporting_rates), then the total (rpt_ministry_annual
    BIEU_5). Every unit kind of the vocabulary has its row, zero when it has no expected unit."""
    by_kind = {
        str(record["unit_kind"]): record
        for record in period_records(
            con,
            "rpt_reporting_rates",
            "unit_kind, units_expected, units_on_time as on_time, units_late as late, units_rejected as rejected,"
            " units_missing as missing, units_pending as pending, units_received as received, reporting_rate,"
            " on_time_rate",
            report_year,
            report_type,
        )
    }
    ints = [*STATUS_COUNT_COLUMNS, "received"]
    labels = dict(UNIT_KINDS.items)
    rows = []
    for kind in [*UNIT_KINDS.codes, *sorted(set(by_kind) - set(UNIT_KINDS.codes))]:
        record = by_kind.get(kind, {})
        rows.append(
            {
                "row_kind": "item",
                "stt": str(len(rows) + 1),
                "code": kind,
                "label": labels.get(kind, kind),
                **{name: as_int(record.get(name, 0)) for name in ints},
                "reporting_rate": value_of(record.get("reporting_rate")),
                "on_time_rate": value_of(record.get("on_time_rate")),
            }
        )
    found = cells(con, "BIEU_5", report_year, report_type)
    total = {status: as_int(found.get((f"status.{status}", "units"), 0)) for status in STATUSES.codes}
    rows.append(
        {
            "row_kind": "total",
            "stt": "",
            "code": None,
            "label": TOTAL_LABEL,
            **total,
            "units_expected": as_int(found.get(("total", "units"), 0)),
            "received": as_int(found.get(("reporting_rate", "units"), 0)),
            "reporting_rate": value_of(found.get(("reporting_rate", "share"))),
            "on_time_rate": value_of(found.get(("on_time_rate", "share"))),
        }
    )
    columns = ["row_kind", "stt", "code", "label", *ints, "reporting_rate", "on_time_rate"]
    result = frame(rows, columns, ints=ints, floats=["reporting_rate", "on_time_rate"])
    # the same period of the previous year: Biểu 5's total row (rpt_ministry_annual); by unit kind, none
    found = comparisons(con, "BIEU_5", report_year, report_type)
    return with_previous_year(result, found, _status_total_cell)


# Biểu 5's total row: frame column → the rpt_ministry_annual cell it prints.
STATUS_TOTAL_CELLS = {
    **{status: (f"status.{status}", "units") for status in STATUSES.codes},
    "units_expected": ("total", "units"),
    "received": ("reporting_rate", "units"),
    "reporting_rate": ("reporting_rate", "share"),
    "on_time_rate": ("on_time_rate", "share"),
}


def _status_total_cell(record: dict, key: str):
    return STATUS_TOTAL_CELLS.get(key) if record.get("row_kind") == "total" else None


def units_to_chase(con, report_year: int, report_type: str) -> pd.DataFrame:
    """The units to chase (missing, rejected, late; then by unit code), from rpt_reporting_status."""
    records = (
        con.execute(
            """
        with kinds as (
            select distinct unit_kind, unit_kind_name_vi from marts.dim_units
        )
        select status.unit_code, status.unit_name, status.unit_kind, kinds.unit_kind_name_vi, status.status,
               status.deadline_date, status.first_received_at, status.days_late, status.rejected_file_count
        from marts.rpt_reporting_status as status
        left join kinds on kinds.unit_kind = status.unit_kind
        where status.report_year = ? and status.report_type = ? and status.status in ('missing', 'rejected', 'late')
        order by case status.status when 'missing' then 1 when 'rejected' then 2 else 3 end, status.unit_code
        """,
            [int(report_year), report_type],
        )
        .df()
        .to_dict("records")
    )
    labels = dict(STATUSES.items)
    rows = [
        {
            "row_kind": "item",
            "stt": str(number),
            "unit_code": str(record["unit_code"]),
            "label": value_of(record["unit_name"]) or "",
            "unit_kind": value_of(record["unit_kind_name_vi"]) or value_of(record["unit_kind"]) or "",
            "status": record["status"],
            "status_label": labels[record["status"]],
            "deadline_date": as_date(record["deadline_date"]),
            "first_received_date": as_local_date(value_of(record["first_received_at"])),
            "days_late": as_int(record["days_late"]),
            "rejected_file_count": as_int(record["rejected_file_count"]) or 0,
        }
        for number, record in enumerate(records, start=1)
    ]
    columns = ["row_kind", "stt", "unit_code", "label", "unit_kind", "status", "status_label"]
    columns += ["deadline_date", "first_received_date", "days_late", "rejected_file_count"]
    return frame(rows, columns, ints=["days_late", "rejected_file_count"])


def news_by_quarter(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Biểu 4, second table: news items of the reporting communes per quarter of the period, against
    the target per commune per quarter (`marts.rpt_news_by_quarter`, whole warehouse)."""
    records = period_records(
        con,
        "rpt_news_by_quarter",
        "quarter_code, quarter_label_vi, communes_reporting, news_items, news_per_commune, communes_met,"
        " share_met, target_per_commune",
        report_year,
        report_type,
        order_by="quarter_number, quarter_code",
    )
    rows = [
        {
            "row_kind": "item",
            "stt": str(number),
            "code": record["quarter_code"],
            "label": record["quarter_label_vi"],
            "communes_reporting": as_int(record["communes_reporting"]),
            "news_items": as_int(record["news_items"]),
            "news_per_commune": value_of(record["news_per_commune"]),
            "communes_met": as_int(record["communes_met"]),
            "share_met": value_of(record["share_met"]),
            "target_per_commune": value_of(record["target_per_commune"]),
        }
        for number, record in enumerate(records, start=1)
    ]
    columns = ["row_kind", "stt", "code", "label", "communes_reporting", "news_items", "news_per_commune"]
    columns += ["communes_met", "share_met", "target_per_commune"]
    return frame(
        rows,
        columns,
        ints=["communes_reporting", "news_items", "communes_met"],
        floats=["news_per_commune", "share_met", "target_per_commune"],
    )


# Biểu 4 as printed: label and unit of each row (the mart's labels are the form's wording).
INDICATOR_ROWS = Vocabulary(
    "indicator",
    (
        ("BAN_VSTBPN_KIEN_TOAN", "Đơn vị đã kiện toàn Ban Vì sự tiến bộ của phụ nữ"),
        ("SO_CONG_CHUC_BDG", "Công chức phụ trách công tác bình đẳng giới"),
        ("SO_NOI_TAM_LANH", "Nơi tạm lánh hỗ trợ người bị bạo lực trên cơ sở giới (cấp xã)"),
        ("XA_CO_NOI_TAM_LANH", "Xã, phường, đặc khu có ít nhất 01 nơi tạm lánh"),
        ("SO_VAN_BAN_LONG_GHEP", "Văn bản QPPL được lồng ghép vấn đề bình đẳng giới"),
        ("KINH_PHI_BDG", "Kinh phí bố trí cho công tác bình đẳng giới"),
        ("DAT_NTM_6_5", "Xã đạt tiêu chí 6.5 nông thôn mới (trên số xã áp dụng)"),
    ),
)
INDICATOR_UNITS = {
    "BAN_VSTBPN_KIEN_TOAN": "Đơn vị", "SO_CONG_CHUC_BDG": "Người", "SO_NOI_TAM_LANH": "Nơi",
    "XA_CO_NOI_TAM_LANH": "Xã", "SO_VAN_BAN_LONG_GHEP": "Văn bản", "KINH_PHI_BDG": "Đồng", "DAT_NTM_6_5": "Xã",
}  # fmt: skip
NEWS_ROW = "TIN_BAI_MOI_QUY_MOI_XA"  # printed apart, by quarter (news_by_quarter)


def indicators(con, report_year: int, report_type: str) -> pd.DataFrame:
    """Biểu 4: institutional indicators (rpt_ministry_annual BIEU_4, whole warehouse, in its row order):
    units reporting, value, and for the Ban VSTBPN, the communes with a shelter and NTM 6.5 the share,
    the report year's target (trajectory, else the year's target), the final target and its year, and
    the assessment against the report year's target. A period the mart does not hold prints the
    vocabulary's rows with zeros."""
    records = con.execute(
        """
        select row_code, any_value(row_order) as row_order,
               any_value(value) filter (where column_code = 'value') as value,
               any_value(value) filter (where column_code = 'units_reporting') as units_reporting,
               any_value(value) filter (where column_code = 'share') as share,
               any_value(value) filter (where column_code = 'target') as target,
               any_value(value) filter (where column_code = 'is_met') as is_met,
               any_value(value) filter (where column_code = 'final_target') as final_target,
               any_value(value) filter (where column_code = 'target_year') as target_year
        from marts.rpt_ministry_annual
        where province_code = ? and table_code = 'BIEU_4' and report_year = ? and report_type = ? and row_code != ?
        group by row_code
        order by row_order, row_code
        """,
        [WAREHOUSE_SCOPE, int(report_year), report_type, NEWS_ROW],
    ).fetchall()
    found = {code: tuple(values) for code, _, *values in records}
    codes = [code for code, *_ in records] or list(INDICATOR_ROWS.codes)
    labels = dict(INDICATOR_ROWS.items)
    rows = []
    for number, code in enumerate(codes, start=1):
        value, units, share, target, is_met, final_target, target_year = found.get(code, (0, 0, *[None] * 5))
        rows.append(
            {
                "row_kind": "item",
                "stt": str(number),
                "code": code,
                "label": labels.get(code, code),
                "measure_unit": INDICATOR_UNITS.get(code, ""),
                "units_reporting": as_int(units),
                "value": as_int(value),
                "share": value_of(share),
                "target": value_of(target),
                "final_target": value_of(final_target),
                # a year, printed as text (no thousands separator)
                "target_year": None if value_of(target_year) is None else str(int(target_year)),
                "assessment": assessment(is_met),
            }
        )
    columns = ["row_kind", "stt", "code", "label", "measure_unit", "units_reporting", "value", "share"]
    columns += ["target", "final_target", "target_year", "assessment"]
    floats = ["share", "target", "final_target"]
    result = frame(rows, columns, ints=["units_reporting", "value"], floats=floats)
    found = comparisons(con, "BIEU_4", report_year, report_type)
    return with_previous_year(result, found, _same_column(_total_or("")))
