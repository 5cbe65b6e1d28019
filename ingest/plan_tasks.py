"""The plan's task appendix (STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian
thực hiện), from a workbook or from the tab-separated text of a plan document.

Parsing uses the declared source `ingest.sources.PLAN_TASKS` and the same table parser as the report
forms; this module adds what is particular to plans: section numbering into task codes (`I.1`,
`IV.1.6`), agencies resolved to units or unit groups, timelines into due dates, numeric targets.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ingest.labels import folded_key
from ingest.parse import ParsedWorkbook, parse_grids, parse_workbook
from ingest.reference import Unit
from ingest.sources import PLAN_TASKS

_TAG = re.compile(r"<[^>]+>")
_ROMAN = re.compile(r"^(?=[IVXLC]+$)M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_MONTHS = re.compile(r"tháng\s+(\d{1,2}(?:\s*[,\-–và]+\s*\d{1,2})*)\s*/\s*(\d{4})", re.IGNORECASE)
_QUARTER = re.compile(r"quý\s+(I{1,3}|IV|[1-4])\s*(?:năm\s*|/\s*)?(\d{4})?", re.IGNORECASE)
_AT_LEAST = re.compile(r"ít nhất\s+(\d+)\s+([^\d;.:()]+?)(?=\s+(?:về|trên|hỗ trợ|cho|tại|để|nhằm|phổ)\b|[;.:()]|$)")
_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Phrases naming a group of units rather than one unit (folded: no case, no diacritics).
_GROUPS = (
    ("cac so, ban, nganh", "SO_NGANH"),
    ("ubnd cac xa, phuong", "COMMUNE"),
    ("uy ban nhan dan cac xa, phuong", "COMMUNE"),
    ("cac co quan trung uong dong tren dia ban", "TW"),
)
# Phrases naming no unit at all ("Các cơ quan, đơn vị có liên quan"): kept as text, never warned about.
_UNASSIGNABLE = ("cac co quan, don vi co lien quan", "co so dao tao")
_ROLES_VI = {"lead": "cơ quan chủ trì", "partner": "cơ quan phối hợp"}


@dataclass
class Agency:
    text: str
    unit_group: str | None = None
    unit_code: str | None = None


@dataclass
class PlanTask:
    task_code: str
    section_code: str
    section_title: str | None
    group_title: str | None
    task_text: str
    lead_text: str | None
    partner_text: str | None
    timeline_text: str | None
    due_date: dt.date | None
    source_row: int
    leads: list[Agency] = field(default_factory=list)
    partners: list[Agency] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class UnmatchedAgency:
    """An agency the plan names that matches no active unit (nor unit group) of the province: the task
    then has no unit in that role, so nobody is expected to report on it."""

    task_code: str
    role: str  # "lead" | "partner"
    agency_text: str

    @property
    def message_vi(self) -> str:
        return (
            f"Nhiệm vụ {self.task_code}: không tìm thấy đơn vị «{self.agency_text}» trong danh mục đơn vị của tỉnh "
            f"({_ROLES_VI[self.role]})"
        )


class PlanImport(NamedTuple):
    """What `import_plan` loaded: the tasks, and a warning for every agency it could not match."""

    tasks: list[PlanTask]
    warnings: list[UnmatchedAgency]


def read_plan_file(path: Path) -> ParsedWorkbook:
    """Parse the appendix table from a workbook or from tab-separated text (HTML tags stripped)."""
    path = Path(path)
    if path.suffix.lower() not in (".txt", ".tsv"):
        return parse_workbook(path, PLAN_TASKS)
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    grid = [[_TAG.sub("", cell).strip() for cell in line.split("\t")] for line in text.splitlines()]
    parsed = ParsedWorkbook(path=path, file_sha256=hashlib.sha256(data).hexdigest())
    (spec,) = PLAN_TASKS.sheets
    return parse_grids(parsed, PLAN_TASKS.sheets, {spec.sheet: (path.name, grid)}, check_identity=False)


def plan_tasks(rows: list[dict], plan_year: int, units: list[Unit]) -> list[PlanTask]:
    """Turn appendix rows into tasks: headings become sections/groups, numbered rows become tasks."""
    tasks: list[PlanTask] = []
    section_code, section_title, group_title = "", None, None
    for row in rows:
        number = (row.get("item_no") or "").strip().rstrip(".")
        content = (row.get("task_text") or "").strip()
        is_heading = not any(row.get(key) for key in ("lead_text", "partner_text", "timeline_text"))
        if _ROMAN.match(number):
            section_code, section_title, group_title = number, content, None
            continue
        if is_heading and "." not in number and _is_group_heading(rows, row):
            group_title = content
            continue
        code = f"{section_code}.{number}" if section_code else number
        tasks.append(
            PlanTask(
                task_code=code,
                section_code=section_code,
                section_title=section_title,
                group_title=group_title if "." in number else None,
                task_text=content,
                lead_text=row.get("lead_text"),
                partner_text=row.get("partner_text"),
                timeline_text=row.get("timeline_text"),
                due_date=due_date(row.get("timeline_text"), plan_year),
                source_row=int(row["source_row"]),
                leads=resolve_agencies(row.get("lead_text"), units),
                partners=resolve_agencies(row.get("partner_text"), units),
                targets=numeric_targets(content),
            )
        )
    return tasks


def _is_group_heading(rows: list[dict], row: dict) -> bool:
    """A numbered row without agencies or timeline heads a group when the next rows number under it
    ("1" followed by "1.1", "1.2")."""
    number = (row.get("item_no") or "").strip()
    position = rows.index(row)
    following = rows[position + 1 : position + 2]
    return bool(following) and (following[0].get("item_no") or "").strip().startswith(f"{number}.")


def due_date(timeline: str | None, plan_year: int) -> dt.date | None:
    """The last day the timeline allows, or None when it gives none ("Thường xuyên", "Sau khi …").

    "Tháng 4/2026" → 30/4/2026; "Tháng 4,5/2026" → 31/5/2026; "Quý II năm 2026" → 30/6/2026;
    "Trong năm" → 31/12 of the plan year.
    """
    if not timeline:
        return None
    text = timeline.strip()
    months = _MONTHS.search(text)
    if months:
        month = max(int(m) for m in re.findall(r"\d{1,2}", months.group(1)))
        year = int(months.group(2))
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    quarter = _QUARTER.search(text)
    if quarter:
        year = int(quarter.group(2) or plan_year)
        month = _QUARTERS[quarter.group(1).upper()] * 3
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    if folded_key(text).startswith(("trong nam", "ca nam", "hang nam")):
        return dt.date(plan_year, 12, 31)
    return None


def numeric_targets(task_text: str) -> list[dict]:
    """ "ít nhất 02 cuộc", "ít nhất 04 tin, bài", "ít nhất 01 nơi tạm lánh" → value, what, per period."""
    folded = folded_key(task_text)
    period = "quarter" if "moi quy" in folded or "hang quy" in folded else (
        "month" if "hang thang" in folded or "moi thang" in folded else "year")  # fmt: skip
    return [
        {
            "target_value": float(value),
            "target_unit": what.strip(" ,"),
            "target_period": period,
            "target_text": match.group(0).strip(),
        }  # fmt: skip
        for match in _AT_LEAST.finditer(task_text)
        for value, what in [match.groups()]
    ]


def resolve_agencies(text: str | None, units: list[Unit]) -> list[Agency]:
    """Split an agency cell and resolve each part to a unit group or a named unit of the registry."""
    if not text:
        return []
    by_name = {folded_key(unit.unit_name): unit for unit in units if unit.valid_to is None}
    agencies: list[Agency] = []
    for part in re.split(r";|\n", text):
        remaining = part.strip().strip(",")
        while remaining:
            folded = folded_key(remaining)
            group = next(((phrase, kind) for phrase, kind in _GROUPS if folded.startswith(phrase)), None)
            if group:
                phrase, kind = group
                taken = _prefix_of(remaining, phrase)
                agencies.append(Agency(taken, unit_group=kind))
                remaining = remaining[len(taken) :].lstrip(" ,").removeprefix("tỉnh").strip(" ,")
                continue
            if _is_unassignable(remaining):
                agencies.append(Agency(remaining))
                break
            agencies.append(_named_agency(remaining, by_name))
            break
    return agencies


def _is_unassignable(text: str) -> bool:
    return folded_key(text).startswith(_UNASSIGNABLE)


def unmatched_agencies(tasks: list[PlanTask]) -> list[UnmatchedAgency]:
    """Every agency text of the tasks (lead or partner) resolved to neither a unit nor a unit group,
    once per task and role, in plan order; phrases that name no unit ("Các cơ quan, đơn vị có liên quan")
    are not listed."""
    found = [
        UnmatchedAgency(task.task_code, role, agency.text)
        for task in tasks
        for role, agencies in (("lead", task.leads), ("partner", task.partners))
        for agency in agencies
        if agency.unit_group is None and not _is_unassignable(agency.text)
    ]
    return list(dict.fromkeys(found))


def _prefix_of(text: str, folded_phrase: str) -> str:
    """The prefix of `text` whose folded form is `folded_phrase` (same length once folded)."""
    for end in range(len(folded_phrase), len(text) + 1):
        if folded_key(text[:end]) == folded_phrase:
            return text[:end]
    return text


def _named_agency(text: str, by_name: dict[str, Unit]) -> Agency:
    folded = folded_key(text)
    unit = by_name.get(folded) or by_name.get(folded.removesuffix(" tinh")) or by_name.get(f"{folded} tinh")
    if unit is None and folded.startswith("hoi lien hiep phu nu"):
        unit = next((u for name, u in by_name.items() if name.startswith("hoi lien hiep phu nu")), None)
    return Agency(text, unit_group="UNIT" if unit else None, unit_code=unit.unit_code if unit else None)


class PlanImportError(ValueError):
    """The file holds no readable task appendix; the message (Vietnamese) lists what to fix."""


def import_plan(warehouse: Path, path: Path, province_code: str, plan_year: int, units: list[Unit]) -> PlanImport:
    """Parse `path` and replace the province's tasks for `plan_year` in raw.plan_* (one transaction).

    Returns the tasks and the agencies no active unit of `province_code` matches (`UnmatchedAgency`, each
    with a Vietnamese `message_vi`); those still load (raw.plan_task_agencies keeps their text with no
    unit), so the import succeeds. Raises PlanImportError when the file holds no readable appendix.
    """
    from ingest.load import transaction

    parsed = read_plan_file(path)
    if parsed.errors:
        details = "; ".join(f"{e.sheet or ''} {e.cell or ''}: {e.message_vi}".strip() for e in parsed.errors)
        raise PlanImportError(f"{Path(path).name}: {details}")
    province_units = [unit for unit in units if unit.province_code == province_code]
    tasks = plan_tasks(parsed.tables.get("plan_tasks", []), plan_year, province_units)
    if not tasks:
        raise PlanImportError(f"{Path(path).name}: không tìm thấy nhiệm vụ nào trong bảng phụ lục.")
    now = dt.datetime.now(dt.UTC)
    key = [province_code, plan_year]
    with transaction(warehouse) as con:
        for table in ("plan_tasks", "plan_task_agencies", "plan_task_targets"):
            con.execute(f"delete from raw.{table} where province_code = ? and plan_year = ?", key)
        con.executemany(
            "insert into raw.plan_tasks values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    *key,
                    t.task_code,
                    t.section_code,
                    t.section_title,
                    t.group_title,
                    t.task_text,
                    t.lead_text,
                    t.partner_text,
                    t.timeline_text,
                    t.due_date,
                    Path(path).name,
                    t.source_row,
                    now,
                ]  # fmt: skip
                for t in tasks
            ],
        )
        agencies = [
            [*key, t.task_code, role, a.text, a.unit_group, a.unit_code]
            for t in tasks
            for role, listed in (("lead", t.leads), ("partner", t.partners))
            for a in listed
        ]
        if agencies:
            con.executemany("insert into raw.plan_task_agencies values (?, ?, ?, ?, ?, ?, ?)", agencies)
        targets = [
            [*key, t.task_code, g["target_value"], g["target_unit"], g["target_period"], g["target_text"]]
            for t in tasks
            for g in t.targets
        ]
        if targets:
            con.executemany("insert into raw.plan_task_targets values (?, ?, ?, ?, ?, ?, ?)", targets)
    return PlanImport(tasks, unmatched_agencies(tasks))
