{#- The target group of a unit (NQ 28/NQ-CP female-key-leader targets): `state_agency` for state
    agencies and the provincial government, `commune` for communes, wards and special zones, else
    `other`. One definition for dim_units and the intermediate models. -#}
{% macro unit_group(is_state_agency, is_commune) -%}
    case
        when {{ is_state_agency }} then 'state_agency'
        when coalesce({{ is_commune }}, false) then 'commune'
        else 'other'
    end
{%- endmacro %}
