"""Static checks of the dbt project: the conventions the marts promise (STYLE.md, DESIGN.md).

Every mart is a contract for the expectations, the report writer and Sở Nội vụ's own queries: its
contract is enforced, every column has a data type, and its description states its grain first.
These checks read the YAML only (no dbt, no database), so they run in milliseconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.fast  # the edit-test tier (make test-fast)

PROJECT = Path(__file__).resolve().parents[1] / "dbt_project"
MARTS = PROJECT / "models" / "marts"
MODELS = PROJECT / "models"


def _model_entries(folder: Path) -> dict[str, tuple[Path, dict]]:
    entries = {}
    for path in sorted(folder.rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in document.get("models", []):
            entries[model["name"]] = (path, model)
    return entries


def _unit_tests() -> dict[str, list[str]]:
    """model name → names of its dbt unit tests, over the whole project."""
    tests: dict[str, list[str]] = {}
    for path in sorted(MODELS.rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for test in document.get("unit_tests", []):
            tests.setdefault(test["model"], []).append(test["name"])
    return tests


MART_SQL = sorted(path.stem for path in MARTS.glob("*.sql"))
MART_YAML = _model_entries(MARTS)


def test_the_design_marts_exist():
    design = {
        "dim_units", "dim_periods", "fct_activities", "fct_gbv_cases", "fct_leadership", "fct_submissions",
        "rpt_reporting_status", "rpt_leadership_targets", "rpt_targets", "rpt_reporting_rates",
        "rpt_action_month", "rpt_ministry_annual", "rpt_provenance", "rpt_plan_targets", "rpt_report_summary",
    }  # fmt: skip
    assert design <= set(MART_SQL)


@pytest.mark.parametrize("model", MART_SQL)
def test_every_mart_has_its_own_yaml(model):
    assert model in MART_YAML, f"{model}.sql has no entry in a YAML file under models/marts"
    path, _ = MART_YAML[model]
    assert path.name == f"{model}.yml", f"{model} is described in {path.name}, not in its sibling {model}.yml"


@pytest.mark.parametrize("model", MART_SQL)
def test_every_mart_has_an_enforced_contract(model):
    _, entry = MART_YAML[model]
    assert (entry.get("config") or {}).get("contract", {}).get("enforced") is True


@pytest.mark.parametrize("model", MART_SQL)
def test_every_mart_column_has_a_data_type(model):
    _, entry = MART_YAML[model]
    columns = entry.get("columns") or []
    assert columns, f"{model} lists no columns"
    untyped = [column["name"] for column in columns if not column.get("data_type")]
    assert untyped == [], f"{model}: columns without data_type: {untyped}"


@pytest.mark.parametrize("model", MART_SQL)
def test_every_mart_description_states_its_grain(model):
    _, entry = MART_YAML[model]
    description = " ".join((entry.get("description") or "").split())
    assert description.startswith("One row per"), f"{model}: description must begin with 'One row per'"


@pytest.mark.parametrize(
    "model",
    ["rpt_reporting_status", "rpt_reporting_rates", "rpt_targets", "rpt_leadership_targets", "rpt_strategy_objectives"],
)
def test_status_rate_and_target_logic_has_unit_tests(model):
    assert _unit_tests().get(model), f"{model} has no dbt unit test"


def test_reporting_status_unit_tests_cover_the_edge_cases():
    """Resubmission after the due date, 00:20 local on the day after, a merged unit, only a rejected file."""
    text = (MARTS / "rpt_reporting_status.yml").read_text(encoding="utf-8")
    for marker in ("U_RESUB", "00:20:00+07:00", "U_MERGED", "U_REJECTED"):
        assert marker in text


def test_every_seed_has_a_yaml_with_a_description():
    seeds = PROJECT / "seeds"
    for csv_path in sorted(seeds.glob("*.csv")):
        yml = csv_path.with_suffix(".yml")
        assert yml.is_file(), f"seed {csv_path.name} has no {yml.name}"
        document = yaml.safe_load(yml.read_text(encoding="utf-8"))
        (seed,) = document["seeds"]
        assert seed["name"] == csv_path.stem
        assert seed.get("description", "").startswith("One row per")


def test_sources_declare_freshness_on_submissions():
    document = yaml.safe_load((MODELS / "staging" / "raw" / "__sources.yml").read_text(encoding="utf-8"))
    (raw,) = document["sources"]
    submissions = next(table for table in raw["tables"] if table["name"] == "submissions")
    config = submissions.get("config") or submissions
    assert config.get("loaded_at_field") and config.get("freshness")
