"""Secondary (tenant) investment projects inside the zones, and the indicators the board reports.

Modules: ``models`` (tables), ``catalogue`` (VSIC 2018 industries, countries), ``stages``
(stages and allowed moves), ``fields`` (declared fields, parsing, timeline rules),
``register`` (add/update/list/show/history/obstacles), ``records`` (plain timelines read
without the ORM), ``derived`` (zone figures computed from tenants), ``indicators`` (period
indicators, T9/T11/T12), ``report_tables`` (tables in the shape of the national forms),
``spreadsheet`` (template and import). Nothing heavy is imported here.
"""
