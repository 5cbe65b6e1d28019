"""The robust statistic every outlier check scores with, as SQL run by DuckDB.

Score: the modified z-score of Iglewicz and Hoaglin, M = 0.6745 (y − median) / MAD, on y = log(1 + x):
counts and money are skewed, and on the log scale a tenfold jump scores the same for a small and a large
value. When the MAD is 0 (most references hold the same value, e.g. 0 cases) the mean absolute deviation
stands in (M = (y − median) / (1.2533 · MeanAD)), as in common practice. A value can be an outlier only
when there are at least a minimum number of references (the value itself included), it is above zero, at
least `MIN_RATIO` times the reference median **and** above it by the measure's absolute floor; it is one
when, besides, M > `Z_LIMIT` (3.5). Low values are never flagged: a quiet period is plausible, data-entry
errors inflate (extra digits, money typed in đồng twice, a totals row typed as data).

Used by `expectations.outliers` (a report's totals against its peers and its own history) and
`expectations.activity_costs` (an activity's cost against the same activities of the province).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

Z_LIMIT = 3.5
MIN_RATIO = 3.0
MIN_PEERS = 8
Z_CAP = 999.0  # an infinite score (all references equal) is stored as this


def log_value(expression: str) -> str:
    """SQL of y = ln(1 + max(x, 0)) for the SQL expression x."""
    return f"ln(1 + greatest({expression}, 0))"


def scored_sql(keys: Sequence[str], min_counts: Mapping[str, int], floors: Mapping[str, float]) -> str:
    """SQL of three CTEs (`references_centred`, `reference_stats`, `scored`, comma-separated, to follow
    other CTEs of a `with`) that score each target against each of its references.

    Expects two CTEs before them:
    - `targets`: one row per value scored, identified by the `keys` columns (which include `measure`),
      with `value` and `log_value` (see `log_value`);
    - `references_joined`: one row per target × reference × reference value: the `keys`, `reference`
      (a name such as 'peer' or 'history'), `value`, `log_value`.
    `scored` has one row per target × reference: the `keys`, `reference`, `reference_count`,
    `reference_median`, the log statistics, `value`, `z` (clamped to ±`Z_CAP`) and `can_be_outlier`
    (`min_counts[reference]` references at least, value > 0, ≥ `MIN_RATIO` × the median and ≥
    `floors[measure]` above it). Keys, references and measures are trusted names, not user input.
    """
    key_list = ", ".join(keys)
    join = " and ".join(f"stats.{key} = targets.{key}" for key in keys)
    counts = " ".join(f"when '{reference}' then {count}" for reference, count in min_counts.items())
    floor_cases = " ".join(f"when '{measure}' then {floor}" for measure, floor in floors.items())
    return f"""
references_centred as (
    select
        *,
        median(log_value) over (partition by {key_list}, reference) as log_median
    from references_joined
),

reference_stats as (
    select
        {key_list}, reference,
        count(*) as reference_count,
        median(value) as reference_median,
        any_value(log_median) as log_median,
        mad(log_value) as log_mad,
        avg(abs(log_value - log_median)) as log_mean_ad
    from references_centred
    group by all
),

scored as (
    select
        stats.*,
        targets.value,
        -- modified z-score; the mean absolute deviation stands in for a zero MAD; all references equal:
        -- 0 for an equal value, else an infinite score stored as ±Z_CAP
        greatest(-{Z_CAP}, least({Z_CAP}, case
            when stats.log_mad > 0 then 0.6745 * (targets.log_value - stats.log_median) / stats.log_mad
            when stats.log_mean_ad > 0
                then (targets.log_value - stats.log_median) / (1.253314 * stats.log_mean_ad)
            else sign(targets.log_value - stats.log_median) * {Z_CAP}
        end)) as z,
        -- only a value far above the reference median can be an outlier (never a zero, never a low value)
        stats.reference_count >= case stats.reference {counts} end
        and targets.value > 0
        and targets.value >= {MIN_RATIO} * stats.reference_median
        and targets.value - stats.reference_median >= case targets.measure {floor_cases} end as can_be_outlier
    from reference_stats as stats
    inner join targets
        on {join}
)
"""
