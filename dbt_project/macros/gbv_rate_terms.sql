{#- The sums the two GBV rates of NQ 28/NQ-CP are made of, over the rows of case types that are acts of
    violence (`is_violence`, case_types seed) — one rule for Biểu 2 (rpt_ministry_annual) and the targets
    (int_target_measures_aggregated_to_province_years). Use inside a grouped select over rows that have
    the gbv_cases columns and `is_violence`:
    - victims (female + male; children are counted within them) and those supported;
    - perpetrators detected, and perpetrators counselled counted only from the rows (file × case type)
      that carry perpetrators_detected (an optional column of the form; older files lack it), so the
      counselling rate never sets counselled people against a count that was not reported;
    - the violence cases detected, and those of the rows that carry perpetrators_detected (the coverage
      of the counselling rate). -#}
{% macro gbv_rate_terms(is_violence='is_violence') -%}
    sum(coalesce(victims_female, 0) + coalesce(victims_male, 0)) filter (
        where {{ is_violence }}
    ) as violence_victims,
    sum(victims_supported) filter (where {{ is_violence }}) as violence_victims_supported,
    sum(cases_detected) filter (where {{ is_violence }}) as violence_cases_detected,
    sum(perpetrators_detected) filter (where {{ is_violence }}) as violence_perpetrators_detected,
    sum(perpetrators_counselled) filter (
        where {{ is_violence }} and perpetrators_detected is not null
    ) as violence_perpetrators_counselled,
    sum(cases_detected) filter (
        where {{ is_violence }} and perpetrators_detected is not null
    ) as violence_cases_with_perpetrators_detected
{%- endmacro %}
