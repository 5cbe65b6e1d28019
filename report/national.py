"""The national roll-up for Bộ Nội vụ: one row per province plus the nation (Toàn quốc), as a workbook and
an HTML page with a chart of the provinces against each target.

Every figure is a row of `marts.rpt_national_annual` (province names from `marts.dim_units` through
`report.provinces`): this module selects, orders and labels; it computes no figure. The nation's shares
were computed in dbt from the summed counts, never here and never as an average of province shares.

Layout: one sheet (and one HTML table) per figure group of the mart, in its order; a column per figure,
and for each target three (result, target, assessment) under the target's wording. The workbook uses the
provincial workbook's writer (`report.workbook`): same fonts, number formats (`#,##0`, `0.0%`, drawn with
the reader's locale separators), title block and frozen headers. Both files are written atomically
(`ingest.atomic`), and the HTML page is rendered in memory before either file is written.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.atomic import atomic_output
from report import charts as report_charts
from report import formatting as vnformat
from report.figures import WAREHOUSE_SCOPE, period_label, value_of
from report.frames import as_date, as_int, assessment
from report.layout import FIRST_DATA_ROW, HEADER_ROW, STT, Col, header_rows
from report.provinces import province_name, read_provinces

# The provincial workbook's table-sheet writer: the house's one way to lay out a table sheet.
from report.workbook import report_workbook, setup_sheet, title_block, write_footnotes, write_table

if TYPE_CHECKING:
    import pandas as pd

TEMPLATE_DIR = Path(__file__).parent / "templates"
NATION_CODE = WAREHOUSE_SCOPE
NATION_LABEL = "Toàn quốc"
TARGET_GROUP = "CHI_TIEU"
TITLE = "Báo cáo tổng hợp toàn quốc kết quả thực hiện công tác bình đẳng giới và vì sự tiến bộ của phụ nữ"
PROVINCE_HEADER = "Tỉnh, thành phố"
# Sheet of each figure group (Excel allows 31 characters); a group the mart gains later is named by its label.
SHEETS = {"BAO_CAO": "Nộp báo cáo", "HOAT_DONG": "Hoạt động", "BAO_LUC": "Bạo lực giới", "CHI_TIEU": "Chỉ tiêu"}
KINDS = {"count": "int", "amount": "int", "share": "pct"}  # the mart's value_kind → the workbook's format
TARGET_PARTS = (("value", "Kết quả", "pct"), ("target", "Chỉ tiêu", "pct"), ("assessment", "Đánh giá", "text"))
NOTES = {
    "BAO_CAO": [
        "Ghi chú: Đơn vị phải báo cáo là đơn vị còn hoạt động vào ngày cuối kỳ; tỷ lệ tính trên số đơn vị phải "
        "báo cáo. Dòng Toàn quốc: tổng số đơn vị của các tỉnh, thành phố; tỷ lệ toàn quốc tính trên các tổng số "
        "đó, không phải bình quân tỷ lệ của các tỉnh."
    ],
    "HOAT_DONG": ["Ghi chú: Số liệu dòng Tổng cộng Biểu 1 trong báo cáo của từng tỉnh, thành phố."],
    "BAO_LUC": [
        "Ghi chú: Số liệu dòng Tổng cộng Biểu 2 trong báo cáo của từng tỉnh, thành phố; các cột “Hành vi bạo lực "
        "trên cơ sở giới” lấy dòng Cộng các hành vi bạo lực (không gồm các vi phạm), là cơ sở của tỷ lệ nạn nhân "
        "được hỗ trợ và tỷ lệ người gây bạo lực được tư vấn; nạn nhân trẻ em đã tính trong số nạn nhân nữ và nam."
    ],
    "CHI_TIEU": [
        "Ghi chú: Kết quả như Biểu 6 trong báo cáo của từng tỉnh, thành phố. Với chỉ tiêu tính theo từng đơn vị "
        "(số cuộc truyền thông, tin bài mỗi quý, nơi tạm lánh), kết quả là tỷ lệ đơn vị đạt và chỉ tiêu là 100% "
        "đơn vị. Tỷ lệ toàn quốc tính trên tổng số của các tỉnh, thành phố.",
        "Số chỉ tiêu chưa đạt: trong số chỉ tiêu được đánh giá; chỉ tiêu tính theo năm được đánh giá đầy đủ ở kỳ "
        "báo cáo năm.",
    ],
}
MART_COLUMNS = (
    "province_code, is_nation, figure_group_code, figure_group_label_vi, figure_code, figure_order, "
    "figure_label_vi, value_kind, is_additive, value, numerator, denominator, target_value, target_level_vi, "
    "is_met, as_of_date"
)


def workbook_path(out_dir: Path, report_year: int, report_type: str) -> Path:
    return Path(out_dir) / f"bao_cao_bdg_toan_quoc_{report_year}_{report_type}.xlsx"


def html_path(out_dir: Path, report_year: int, report_type: str) -> Path:
    return Path(out_dir) / f"bao_cao_bdg_toan_quoc_{report_year}_{report_type}.html"


# --------------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class Figure:
    """One figure of the roll-up, as the mart names it."""

    code: str
    group_code: str
    group_label: str
    label: str
    kind: str  # value_kind: count, amount, share
    target_level: str  # the nation's target level as printed ('≥ 75%'), '' when there is no target

    @property
    def is_target(self) -> bool:
        return self.group_code == TARGET_GROUP and self.kind == "share"


@dataclass
class NationalData:
    """The period's roll-up, read once: the mart's rows and the provinces' names."""

    report_year: int
    report_type: str
    figures: pd.DataFrame  # the mart's rows of the period (MART_COLUMNS), in print order
    names: dict[str, str]  # province_code → name; the nation → 'Toàn quốc'
    as_of: dt.date | None

    @property
    def period_label(self) -> str:
        return period_label(self.report_year, self.report_type)


def load_national_data(con, report_year: int, report_type: str) -> NationalData:
    """The rows of `marts.rpt_national_annual` for one period, with the provinces' names.

    Failure modes: duckdb.Error when the mart has not been built (run `bdg transform`)."""
    figures = con.execute(
        f"select {MART_COLUMNS} from marts.rpt_national_annual where report_year = ? and report_type = ? "
        "order by is_nation, province_code, figure_order",
        [int(report_year), report_type],
    ).df()
    provinces = read_provinces(con)
    codes = [code for code in dict.fromkeys(figures["province_code"]) if code != NATION_CODE]
    names = {code: provinces[code].name if code in provinces else province_name(code) for code in codes}
    names[NATION_CODE] = NATION_LABEL
    as_of = as_date(figures["as_of_date"].max()) if len(figures) else None
    return NationalData(int(report_year), report_type, figures, names, as_of)


def figure_list(data: NationalData) -> list[Figure]:
    """The period's figures in print order (the mart's figure_order)."""
    rows = data.figures.sort_values(["figure_order", "figure_code"]).drop_duplicates("figure_code")
    nation = _nation_rows(data)
    return [
        Figure(
            code=record["figure_code"],
            group_code=record["figure_group_code"],
            group_label=record["figure_group_label_vi"],
            label=record["figure_label_vi"],
            kind=record["value_kind"],
            target_level=value_of(nation.get(record["figure_code"], {}).get("target_level_vi")) or "",
        )
        for record in rows.to_dict("records")
    ]


def groups(data: NationalData) -> list[tuple[str, str, list[Figure]]]:
    """(group code, group label, its figures), in print order."""
    found: dict[str, tuple[str, list[Figure]]] = {}
    for figure in figure_list(data):
        found.setdefault(figure.group_code, (figure.group_label, []))[1].append(figure)
    return [(code, label, figures) for code, (label, figures) in found.items()]


def province_codes(data: NationalData) -> list[str]:
    """The provinces by code, then the nation: the order of every table's rows."""
    if data.figures.empty:
        return []
    return [*sorted(code for code in data.names if code != NATION_CODE), NATION_CODE]


def _by_province(data: NationalData) -> dict[str, dict[str, dict]]:
    """province_code → figure_code → the mart's row."""
    found: dict[str, dict[str, dict]] = {}
    for record in data.figures.to_dict("records"):
        found.setdefault(record["province_code"], {})[record["figure_code"]] = record
    return found


def _nation_rows(data: NationalData) -> dict[str, dict]:
    return _by_province(data).get(NATION_CODE, {})


def _header(figure: Figure) -> str:
    return f"{figure.label} ({figure.target_level})" if figure.target_level else figure.label


def group_columns(figures: list[Figure]) -> tuple[Col, ...]:
    """STT, the province, then a column per figure; a target's result, target and assessment under its wording."""
    columns = [STT, Col("label", PROVINCE_HEADER, "text", 22)]
    for figure in figures:
        if figure.is_target:
            columns += [
                Col(f"{figure.code}.{part}", header, kind, 10, _header(figure)) for part, header, kind in TARGET_PARTS
            ]
        else:
            width = 16 if figure.kind == "amount" else 12
            columns.append(Col(figure.code, figure.label, KINDS.get(figure.kind, "dec"), width))
    return tuple(columns)


def group_frame(data: NationalData, figures: list[Figure]) -> pd.DataFrame:
    """One row per province and the nation's (row_kind 'total'), a column per key of `group_columns`."""
    import pandas as pd

    by_province = _by_province(data)
    rows = []
    for number, code in enumerate(province_codes(data), start=1):
        found = by_province.get(code, {})
        is_nation = code == NATION_CODE
        row = {"row_kind": "total" if is_nation else "item", "stt": "" if is_nation else str(number)}
        row.update({"province_code": code, "label": data.names[code]})
        for figure in figures:
            record = found.get(figure.code, {})
            value = value_of(record.get("value"))
            if figure.is_target:
                row[f"{figure.code}.value"] = value
                row[f"{figure.code}.target"] = value_of(record.get("target_value"))
                row[f"{figure.code}.assessment"] = assessment(record.get("is_met"))
            else:
                row[figure.code] = as_int(value) if figure.kind in ("count", "amount") else value
        rows.append(row)
    columns = ["row_kind", "province_code", *(col.key for col in group_columns(figures))]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def behind(data: NationalData) -> list[dict]:
    """Per target, the provinces that did not meet it (the mart's is_met false), in province order:
    [{"code", "label", "level", "provinces": [name, …]}]."""
    by_province = _by_province(data)
    result = []
    for figure in figure_list(data):
        if not figure.is_target:
            continue
        names = [
            data.names[code]
            for code in province_codes(data)
            if code != NATION_CODE and value_of(by_province.get(code, {}).get(figure.code, {}).get("is_met")) is False
        ]
        result.append({"code": figure.code, "label": figure.label, "level": figure.target_level, "provinces": names})
    return result


# --------------------------------------------------------------------------------------------------
# The workbook


def render_national_workbook(data: NationalData, path: Path) -> Path:
    """Write the national workbook at `path` (atomically); returns `path`."""
    with atomic_output(Path(path)) as tmp:
        _render_workbook(tmp, data)
    return Path(path)


def _note(data: NationalData) -> str:
    as_of = f"; số liệu tính đến ngày {vnformat.date(data.as_of)}" if data.as_of else ""
    return f"(Tổng hợp từ báo cáo của các tỉnh, thành phố{as_of}; mỗi dòng một tỉnh, thành phố và dòng Toàn quốc)"


def _render_workbook(path: Path, data: NationalData) -> None:
    title = f"{TITLE} – {data.period_label}"
    opened = report_workbook(path, data.as_of, data.report_year, title, "Bộ Nội vụ", "bdg report --national")
    with opened as (workbook, formats):
        for group_code, group_label, figures in groups(data) or [("", "", [])]:
            name = SHEETS.get(group_code) or (group_label[:31] or "Tổng hợp")
            sheet = workbook.add_worksheet(name)
            columns = group_columns(figures)
            setup_sheet(sheet, columns)
            title = f"TỔNG HỢP TOÀN QUỐC: {vnformat.nfc(group_label).upper()}" if group_label else TITLE.upper()
            title_block(sheet, formats, len(columns), title, data.period_label, _note(data))
            frame = group_frame(data, figures)
            row = write_table(sheet, formats, HEADER_ROW, columns, frame, name, group_code, {})
            if frame.empty:
                row += 1
                sheet.write_string(row, 0, "Kho dữ liệu chưa có số liệu của kỳ này.", formats.footnote)
            write_footnotes(sheet, formats, row, NOTES.get(group_code, []))
            sheet.freeze_panes(FIRST_DATA_ROW, 2)


# --------------------------------------------------------------------------------------------------
# The HTML page


def target_chart(data: NationalData, figure: Figure) -> str:
    """Horizontal bars: each province's result for the target and the nation's (last, darker), with the
    target drawn as a red line; a bar is green when the target is met, orange when not. SVG text."""
    plt = report_charts.pyplot()
    by_province = _by_province(data)
    codes = province_codes(data)
    records = [by_province.get(code, {}).get(figure.code, {}) for code in codes]
    values = [value_of(record.get("value")) for record in records]
    targets = [value_of(record.get("target_value")) for record in records]
    fig, ax = plt.subplots(figsize=(6.2, 0.9 + 0.32 * max(len(codes), 1)))
    if not codes or all(value is None for value in values):
        report_charts.draw_empty(ax)
        return report_charts.svg_of(fig)
    positions = list(range(len(codes)))[::-1]  # first province on top, the nation at the bottom
    colours = []
    for code, record in zip(codes, records, strict=True):
        met = value_of(record.get("is_met"))
        colour = report_charts.COLOURS["on_time"] if met else report_charts.COLOURS["late"]
        colours.append("#1a365d" if code == NATION_CODE else colour if met is not None else "#a0aec0")
    ax.barh(positions, [value or 0 for value in values], color=colours, height=0.6)
    for position, value in zip(positions, values, strict=True):
        ax.text((value or 0) + 0.01, position, vnformat.percent(value), va="center", fontsize=8)
    target = next((value for value in reversed(targets) if value is not None), None)
    if target is not None:
        ax.axvline(target, color=report_charts.COLOURS["target"], linewidth=2)
        ax.text(target, len(codes) - 0.4, f" Chỉ tiêu {vnformat.percent_target(target)}", fontsize=8,
                color=report_charts.COLOURS["target"], va="bottom")  # fmt: skip
    ax.set_yticks(positions, [data.names[code] for code in codes], fontsize=8)
    ax.set_xlim(0, max(1.12, max((value or 0) for value in values) + 0.12))
    report_charts.percent_axis(ax.xaxis)
    return report_charts.svg_of(fig)


def _cell_text(kind: str, value) -> str:
    value = value_of(value)
    if kind == "text":
        return vnformat.nfc(value) if value is not None else ""
    if value is None:
        return vnformat.NA_TEXT
    return vnformat.percent(value) if kind == "pct" else vnformat.integer(value)


def _html_table(data: NationalData, group_code: str, group_label: str, figures: list[Figure]) -> dict:
    columns = group_columns(figures)
    head_top, head_bottom = header_rows(columns)
    rows = []
    for record in group_frame(data, figures).to_dict("records"):
        cells = []
        for col in columns:
            value = value_of(record.get(col.key))
            css = "num" if col.kind != "text" else ("center" if col.key == "stt" or "." in col.key else "")
            if col.key.endswith(".assessment") and value:
                css += " met" if value == "Đạt" else " unmet"
            if col.key.endswith(".target") and value is None:
                text = ""  # no target that year, as opposed to a share that cannot be computed ("–")
            else:
                text = _cell_text(col.kind, value)
            figure = f"{record['province_code']}/{col.key}" if col.key not in ("stt", "label") else ""
            cells.append({"text": text, "css": css.strip(), "figure": figure})
        rows.append({"kind": record["row_kind"], "cells": cells})
    return {
        "key": group_code,
        "title": group_label,
        "head_top": head_top,
        "head_bottom": head_bottom,
        "rows": rows,
        "width": len(columns),
        "notes": NOTES.get(group_code, []),
    }


def _kpis(data: NationalData) -> list[dict]:
    """The nation's headline figures: reporting and on-time rates, targets not met, activities, cases."""
    nation = _nation_rows(data)
    kpis = []
    for code, label in (
        ("REPORTING_RATE", "Tỷ lệ đơn vị đã nộp báo cáo"),
        ("ON_TIME_RATE", "Tỷ lệ đơn vị nộp đúng hạn"),
        ("TARGETS_NOT_MET", "Số chỉ tiêu toàn quốc chưa đạt"),
        ("ACTIVITIES", "Số hoạt động bình đẳng giới"),
        ("CASES_DETECTED", "Vụ việc bạo lực trên cơ sở giới phát hiện"),
    ):
        record = nation.get(code)
        if record is None:
            continue
        value, numerator, denominator = (value_of(record.get(key)) for key in ("value", "numerator", "denominator"))
        if record["value_kind"] == "share":
            text = vnformat.percent(value)
            note = f"{vnformat.integer(numerator)}/{vnformat.integer(denominator)} đơn vị" if denominator else ""
        else:
            text = vnformat.integer(value)
            note = f"trong {vnformat.integer(denominator)} chỉ tiêu được đánh giá" if denominator is not None else ""
        kpis.append({"key": code, "label": label, "value": text, "note": note})
    return kpis


def national_html_text(data: NationalData, workbook_name: str = "") -> str:
    """The national page as one self-contained HTML document (charts as SVG in data: URIs, inline style,
    nothing fetched), NFC text."""
    from jinja2 import Environment, FileSystemLoader

    # autoescape always on: a province or unit name holding markup prints as text, never as a tag.
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True, keep_trailing_newline=True)
    charts = [
        {
            "key": figure.code,
            "caption": _header(figure),
            "data": base64.b64encode(target_chart(data, figure).encode("utf-8")).decode("ascii"),
        }
        for figure in figure_list(data)
        if figure.is_target
    ]
    context = {
        "title": TITLE,
        "period": data.period_label,
        "as_of_text": f"Số liệu tính đến ngày {vnformat.date(data.as_of)}" if data.as_of else "",
        "provinces": vnformat.integer(len([code for code in province_codes(data) if code != NATION_CODE])),
        "kpis": _kpis(data),
        "behind": behind(data),
        "charts": charts,
        "tables": [_html_table(data, *group) for group in groups(data)],
        "workbook_name": workbook_name,
    }
    return vnformat.nfc(env.get_template("national.html.j2").render(**context))


# --------------------------------------------------------------------------------------------------
# Both files


def render_national(data: NationalData, out_dir: Path) -> dict[str, Path]:
    """Write the national workbook and HTML page into `out_dir`; returns {'workbook', 'html'} → path.

    The page is rendered in memory first, then each file is written whole or not at all: a failure
    leaves no partial file (an earlier complete file of the same name stays). Failure modes: OSError."""
    book = workbook_path(out_dir, data.report_year, data.report_type)
    page = html_path(out_dir, data.report_year, data.report_type)
    text = national_html_text(data, workbook_name=book.name)
    render_national_workbook(data, book)
    with atomic_output(page) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return {"workbook": book, "html": page}
