"""The HTML report's charts, drawn with matplotlib (Agg) as self-contained SVG text.

Text is converted to paths (`svg.fonttype = 'path'`), so a chart looks the same on a machine without
DejaVu Sans and the page needs no font file; numbers on the charts use `report.formatting`.
Each function takes the frames of `report.figures` and returns an `<svg>` string.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ingest.form_bdg1 import PROGRAMMES
from report import formatting as vnformat
from report.figures import STATUSES, value_of

if TYPE_CHECKING:
    import pandas as pd

COLOURS = {
    "result": "#2b6cb0",
    "target": "#c53030",
    "muted": "#a0aec0",
    "on_time": "#2f855a",
    "late": "#dd6b20",
    "rejected": "#9b2c2c",
    "missing": "#e53e3e",
    "pending": "#a0aec0",
}
PROGRAMME_COLOURS = ("#2b6cb0", "#38a169", "#d69e2e", "#805ad5", "#e53e3e", "#319795", "#718096")


def pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "svg.fonttype": "path",
            "svg.hashsalt": "bdg",  # stable ids: the same figures give the same SVG
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def svg_of(fig) -> str:
    plt = pyplot()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and DOCTYPE (inline SVG in HTML)


def percent_axis(axis) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: vnformat.percent(value, 0)))


def _integer_axis(axis) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(lambda value, _: vnformat.integer(value)))


def draw_empty(ax, text: str = "Chưa có số liệu") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#718096")
    ax.set_xticks([])
    ax.set_yticks([])


def leadership_chart(leadership: pd.DataFrame, plan_targets: pd.DataFrame) -> str:
    """Horizontal bars: shares of units with a female key leader (by group) and of women in the planning
    pool, each with its target drawn as a red tick."""
    plt = pyplot()
    bars = []
    for record in leadership[leadership["row_kind"] == "item"].to_dict("records"):
        bars.append(
            (f"Nữ lãnh đạo chủ chốt –\n{_short_group(record['code'])}", record["share_of_reporting"],
             record["target_share"])
        )  # fmt: skip
    plan = plan_targets.set_index("code")
    for code, label in (
        ("POOL_FEMALE_SHARE", "Nữ trong quy hoạch"),
        ("POOL_FEMALE_TRAINED", "Nữ quy hoạch\nđược đào tạo"),
    ):
        if code in plan.index:
            bars.append((label, plan.loc[code, "result"], plan.loc[code, "goal"]))
    fig, ax = plt.subplots(figsize=(6.2, 3.4))
    if not bars:
        draw_empty(ax)
        return svg_of(fig)
    labels = [label for label, _, _ in bars][::-1]
    values = [value_of(value) or 0 for _, value, _ in bars][::-1]
    targets = [value_of(target) for _, _, target in bars][::-1]
    positions = range(len(bars))
    ax.barh(positions, values, color=COLOURS["result"], height=0.55, label="Kết quả")
    for position, value, target in zip(positions, values, targets, strict=True):
        ax.text(value + 0.01, position, vnformat.percent(value), va="center", fontsize=9)
        if target is not None:
            ax.plot([target, target], [position - 0.38, position + 0.38], color=COLOURS["target"], linewidth=2.5)
    ax.plot([], [], color=COLOURS["target"], linewidth=2.5, label="Chỉ tiêu")
    ax.set_yticks(list(positions), labels)
    ax.set_xlim(0, 1.12)
    percent_axis(ax.xaxis)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    return svg_of(fig)


def _short_group(code: str) -> str:
    return {"state_agency": "cơ quan cấp tỉnh", "commune": "chính quyền cấp xã"}.get(code, code)


def cases_chart(gbv_cases: pd.DataFrame) -> str:
    """Horizontal bars: cases detected and handled by case type."""
    plt = pyplot()
    items = gbv_cases[gbv_cases["row_kind"] == "item"]
    fig, ax = plt.subplots(figsize=(6.2, 3.4))
    if items.empty or int(items["cases_detected"].sum()) == 0:
        draw_empty(ax)
        return svg_of(fig)
    labels = [_wrap(label, 28) for label in items["label"]][::-1]
    detected = [int(v) for v in items["cases_detected"]][::-1]
    handled = [int(v) for v in items["cases_handled"]][::-1]
    positions = range(len(labels))
    ax.barh([p + 0.2 for p in positions], detected, height=0.4, color=COLOURS["result"], label="Phát hiện")
    ax.barh([p - 0.2 for p in positions], handled, height=0.4, color=COLOURS["muted"], label="Đã xử lý")
    for position, value in zip(positions, detected, strict=True):
        ax.text(value, position + 0.2, " " + vnformat.integer(value), va="center", fontsize=8)
    ax.set_yticks(list(positions), labels, fontsize=8)
    _integer_axis(ax.xaxis)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    return svg_of(fig)


def activities_chart(by_month: pd.DataFrame) -> str:
    """Stacked columns: activities (sum of Số lượng) per month of the activity date, by programme."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(12.4, 3.4))
    if by_month.empty:
        draw_empty(ax)
        return svg_of(fig)
    import pandas as pd

    table = by_month.pivot_table(index="month", columns="programme_code", values="activities", aggfunc="sum")
    table = table.fillna(0).sort_index()
    codes = [code for code in PROGRAMMES.codes if code in table.columns]
    codes += [code for code in table.columns if code not in codes]
    labels = dict(PROGRAMMES.items)
    months = [f"{pd.Timestamp(month):%m/%Y}" for month in table.index]
    bottom = [0.0] * len(months)
    for index, code in enumerate(codes):
        values = [float(v) for v in table[code]]
        ax.bar(months, values, bottom=bottom, color=PROGRAMME_COLOURS[index % len(PROGRAMME_COLOURS)],
               label=labels.get(code, code), width=0.7)  # fmt: skip
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for position, total in enumerate(bottom):
        ax.text(position, total, vnformat.integer(total), ha="center", va="bottom", fontsize=8)
    _integer_axis(ax.yaxis)
    ax.set_ylabel("Số hoạt động")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    return svg_of(fig)


def reporting_chart(reporting_status: pd.DataFrame) -> str:
    """Stacked horizontal bars: units by reporting status, per unit kind."""
    plt = pyplot()
    items = reporting_status[
        (reporting_status["row_kind"] == "item") & (reporting_status["units_expected"].fillna(0) > 0)
    ]
    fig, ax = plt.subplots(figsize=(12.4, 2.8))
    if items.empty:
        draw_empty(ax)
        return svg_of(fig)
    labels = [_wrap(label, 40) for label in items["label"]][::-1]
    left = [0] * len(labels)
    for status, label in STATUSES.items:
        values = [int(v) for v in items[status]][::-1]
        if not any(values):
            continue
        ax.barh(range(len(labels)), values, left=left, color=COLOURS[status], label=label, height=0.6)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(range(len(labels)), labels, fontsize=9)
    _integer_axis(ax.xaxis)
    ax.set_xlabel("Số đơn vị")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    return svg_of(fig)


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width)) or str(text)
