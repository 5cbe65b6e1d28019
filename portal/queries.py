"""What the portal's pages read from the warehouse: the report marts only (`rpt_`, `dim_`), through
`ingest.warehouse.connect`, and the reporting status through `bdg.steps.reporting_status`.

Pages read the marts as they were last built (`bdg.steps.marts_as_of`): a page never rebuilds them
(a dbt build takes minutes and the warehouse's one write lock); the nightly does, and the period-report
button. Every read passes the portal's gate (`portal.uploads.WarehouseGate`) and waits a few seconds at
most: while the nightly holds the file, a page says the warehouse is busy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

from bdg.steps import marts_as_of, reporting_status
from ingest.warehouse import connect, exists, last_changed
from portal.uploads import WarehouseGate
from report.chase_units import province_name

READ_WAIT_SECONDS = 10.0
STATUS_ORDER = ("missing", "rejected", "late", "pending", "on_time")


class Marts:
    """Reads of one warehouse for the pages and the API."""

    def __init__(self, warehouse: Path, gate: WarehouseGate):
        self.warehouse, self.gate = Path(warehouse), gate

    def _rows(self, sql: str, params=()) -> list[dict]:
        with self.gate.hold(READ_WAIT_SECONDS), contextlib.closing(connect(self.warehouse, read_only=True)) as con:
            cursor = con.execute(sql, list(params))
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def built(self) -> bool:
        return self.as_of() is not None

    def as_of(self) -> dt.date | None:
        """The date the marts were last built for (None when never built, or no warehouse yet)."""
        if not exists(self.warehouse):
            return None
        with self.gate.hold(READ_WAIT_SECONDS):
            return marts_as_of(self.warehouse)

    def last_written(self) -> dt.datetime | None:
        """When the warehouse file last changed (a load, a dbt build), in local time."""
        from ingest.periods import LOCAL_TZ

        changed = last_changed(self.warehouse)
        return changed.astimezone(LOCAL_TZ) if changed else None

    def periods(self) -> list[tuple[int, str]]:
        """Reporting periods of the calendar, newest first."""
        rows = self._rows("select distinct report_year, report_type from marts.dim_periods")
        order = {"NAM": 1, "6T": 0}
        return sorted(
            ((row["report_year"], row["report_type"]) for row in rows), key=lambda p: (p[0], order[p[1]]), reverse=True
        )

    def units(self) -> dict[str, dict]:
        rows = self._rows(
            "select unit_code, unit_name, unit_kind, unit_kind_name_vi, province_code from marts.dim_units"
        )
        return {row["unit_code"]: row for row in rows}

    def provinces(self) -> dict[str, str]:
        """Province code → name, for every province of the unit registry."""
        names: dict[str, list[str]] = {}
        for unit in sorted(self.units().values(), key=lambda u: u["unit_code"]):
            names.setdefault(str(unit["province_code"]), []).append(unit["unit_name"])
        return {code: province_name(code, unit_names) for code, unit_names in sorted(names.items())}

    def status(self, report_year: int, report_type: str, province_code: str | None = None) -> list[dict]:
        """Each expected unit's status as the marts stand (province_code, unit_kind_name_vi added);
        only `province_code`'s units when given."""
        as_of = self.as_of()
        if as_of is None:
            return []
        units = self.units()
        with self.gate.hold(READ_WAIT_SECONDS):
            records = reporting_status(self.warehouse, report_year, report_type, as_of)
        rows = []
        for record in records:
            unit = units.get(record["unit_code"], {})
            if province_code is not None and unit.get("province_code") != province_code:
                continue
            kind_label = unit.get("unit_kind_name_vi") or record["unit_kind"]
            rows.append(record | {"province_code": unit.get("province_code"), "unit_kind_name_vi": kind_label})
        return rows

    def rejected_files(self, unit_codes: list[str]) -> list[dict]:
        """Rejected files of these units as the marts hold them (files sent by any channel)."""
        if not unit_codes:
            return []
        marks = ", ".join("?" for _ in unit_codes)
        return self._rows(
            "select file_name, received_at, unit_code, report_year, report_type, error_codes, errors "
            f"from marts.rpt_rejected_files where unit_code in ({marks}) order by received_at desc",
            unit_codes,
        )

    def summary(self, report_year: int, report_type: str) -> list[dict]:
        """The key figures (Tổng hợp items) of every province and the whole warehouse (TOAN_QUOC)."""
        return self._rows(
            "select province_code, item_code, item_order, section_label_vi, item_label_vi, value_format, value, "
            "target_value, is_met from marts.rpt_report_summary where report_year = ? and report_type = ? "
            "order by province_code, item_order",
            [int(report_year), report_type],
        )
