{#-
    `ref` and `source` render `schema.name` without the catalog on the embedded file: DuckDB names a file's
    catalog after the file ("bdg" for bdg.duckdb), so a view naming it would break when the file is copied
    or renamed (a backup restored under another name). Unqualified, a view reads from the catalog its
    connection works in. A lake keeps the catalog: dbt's connection works in its in-memory catalog and
    attaches the lake as `bdg`, always under that name. dbt's unit tests mock refs themselves.
-#}
{% macro ref() %}
    {%- do return(_relation_in_warehouse(builtins.ref(*varargs, **kwargs))) -%}
{% endmacro %}

{% macro source() %}
    {%- do return(_relation_in_warehouse(builtins.source(*varargs, **kwargs))) -%}
{% endmacro %}

{% macro _relation_in_warehouse(relation) %}
    {%- if target.name != 'lake' and relation is not string and relation.include is defined -%}
        {%- do return(relation.include(database=False)) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{% endmacro %}
