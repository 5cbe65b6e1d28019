-- The plan's assignments as int_plan_task_assignments_expanded resolves them: one unit per task and
-- role. The enforced contract in fct_plan_task_assignments.yml fixes the columns.
select * from {{ ref('int_plan_task_assignments_expanded') }}  -- noqa: AM04
