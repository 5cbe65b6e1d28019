"""The National Strategy on Gender Equality in the report: every indicator of the year under the objective
it serves (Mục tiêu 1–6 of Nghị quyết 28/NQ-CP, then state management), read from
`marts.rpt_strategy_objectives`. Values, paths and attainment are the mart's; this module only selects,
groups and formats them for the HTML report and the narrative.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from report import formatting as vnformat
from report.frames import value_of

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

SECTION_ID = "muc-tieu-chien-luoc"  # the HTML section's id (a screenshot of the report targets it)
SECTION_TITLE = "Kết quả thực hiện các mục tiêu của Chiến lược quốc gia về bình đẳng giới"
NO_DATA = "chưa có số liệu"
STATE_AGENCY_OBJECTIVE = "QLNN"  # state management: not one of the Strategy's six objectives


def strategy_objectives(con: duckdb.DuckDBPyConnection, report_year: int) -> pd.DataFrame:
    """The year's Strategy indicators of every province, in report order (objective, indicator,
    province). Columns as `marts.rpt_strategy_objectives`. Failure mode: `duckdb.Error` when the mart
    is missing (reports run after `dbt build`)."""
    return con.execute(
        """
        select
            province_code, objective_code, objective_title_vi, objective_area_vi, objective_order,
            target_code, target_order, indicator_name_vi, strategy_indicator, unit_vi, direction,
            value_source, value, data_source_vi, data_provider, target_value, final_target_value,
            target_year, year_target, attainment_code, attainment_vi, legal_source
        from marts.rpt_strategy_objectives
        where report_year = ?
        order by objective_order nulls last, target_order, province_code
        """,
        [int(report_year)],
    ).df()


def format_value(value, unit_vi) -> str:
    """A value in its unit: a share 0.358 → '35,8%', 110.4 bé trai/100 bé gái → '110,4 bé trai/100 bé gái';
    none → «chưa có số liệu»."""
    value = value_of(value)
    if value is None:
        return NO_DATA
    unit_vi = value_of(unit_vi)
    if unit_vi == "%":
        return vnformat.percent(value)
    text = vnformat.number(value, 2, strip_zeros=True)
    return f"{text} {unit_vi}" if unit_vi else text


def format_target(value, unit_vi, direction) -> str:
    """A target with its direction: '≥ 75%' (to reach), '≤ 109 bé trai/100 bé gái' (not to exceed)."""
    value = value_of(value)
    if value is None:
        return ""
    text = (
        vnformat.percent_target(value)
        if value_of(unit_vi) == "%"
        else format_value(value, unit_vi).replace(NO_DATA, "")
    )
    return f"{'≤' if value_of(direction) == 'ceiling' else '≥'} {text}"


def objective_blocks(frame: pd.DataFrame, province_names: dict[str, str] | None = None) -> list[dict]:
    """The indicators grouped by objective, in order: [{"code", "area", "title", "is_strategy_objective",
    "indicators": [{"code", "name", "province", "strategy_indicator", "value", "has_value", "source",
    "trajectory", "target", "target_year", "attainment", "attainment_code", "legal_source"}]}].
    `province` is the province's name when the frame holds several provinces, else ''."""
    province_names = province_names or {}
    several = frame["province_code"].nunique() > 1 if len(frame) else False
    blocks: list[dict] = []
    for record in frame.to_dict("records"):
        record = {key: value_of(value) for key, value in record.items()}
        code = record["objective_code"] or ""
        if not blocks or blocks[-1]["code"] != code:
            blocks.append(
                {
                    "code": code,
                    "area": record["objective_area_vi"] or "Chưa gắn với mục tiêu của Chiến lược",
                    "title": record["objective_title_vi"] or "",
                    "is_strategy_objective": bool(code) and code != STATE_AGENCY_OBJECTIVE,
                    "indicators": [],
                }
            )
        unit, direction, path = record["unit_vi"], record["direction"], record["year_target"]
        source = record["data_source_vi"] or ""
        if source and record["data_provider"]:
            source += f" ({record['data_provider']})"
        blocks[-1]["indicators"].append(
            {
                "code": record["target_code"],
                "name": record["indicator_name_vi"],
                "province": province_names.get(record["province_code"], record["province_code"]) if several else "",
                "strategy_indicator": record["strategy_indicator"] or "",
                "value": format_value(record["value"], unit),
                "has_value": record["value"] is not None,
                "source": source,
                "trajectory": "–" if path is None else format_value(path, unit),
                "target": format_target(record["final_target_value"], unit, direction),
                "target_year": record["target_year"],
                "attainment": record["attainment_vi"],
                "attainment_code": record["attainment_code"],
                "legal_source": record["legal_source"],
            }
        )
    return blocks


def heading(block: dict) -> str:
    """'Mục tiêu 1 (Chính trị): Tăng cường …' for the six objectives; the area alone for the others."""
    if block["is_strategy_objective"]:
        return f"Mục tiêu {block['code'].removeprefix('MT')} ({block['area']}): {block['title']}"
    return block["area"] if not block["title"] else block["title"]
