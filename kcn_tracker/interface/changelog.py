"""What changed in the published keys, by schema version (the data dictionary prints it; a test checks
that every new key is declared by the outputs listed)."""

from __future__ import annotations

#: schema_version -> (old key, new key, the outputs where it changed, note).
RENAMES: dict[int, list[tuple[str, str, tuple[str, ...], str]]] = {
    2: [
        ("expected_cod", "expected_cod_on", ("energy-list", "energy-show", "progress"), "progress: late_or_undated[], overdue[]"),
        ("actual_cod", "actual_cod_on", ("energy-show",), ""),
        ("expected_construction_start", "expected_construction_start_on", ("energy-show",), ""),
        ("expected_first_power", "expected_first_power_on", ("energy-show",), ""),
        ("expected_infrastructure_done", "expected_infrastructure_done_on", ("zones-show",), ""),
        ("last_confirmed.last_confirmed", "last_confirmed.last_confirmed_on", ("energy-show", "zones-show"), ""),
        ("deadline", "deadline_on", ("obstacle-list", "obstacle-show"), ""),
        ("date", "reference_on", ("alerts",), "the date `days` counts from"),
        ("occupancy", "occupancy_pct", ("progress", "indicators", "indicators-zones"),
         "value now in percent (72.5), was a 0-1 ratio (0.725); progress: land.new_zones[], new_zones_uncertain[], "
         "occupancy[], fill_2026[] (the list land.occupancy keeps its name)"),
        ("land.t4_occupancy", "land.t4_occupancy_pct", ("progress",), "value now in percent, was a 0-1 ratio"),
        ("stuck[].size", "stuck[].mw, stuck[].area_ha", ("progress",),
         "one key per unit: mw for projects, area_ha for zones, the other null"),
        ("online_by_year", "online_mw_by_year", ("progress",), "energy[]"),
        ("expected_by_year", "expected_mw_by_year", ("progress",), "energy[]"),
        ("cumulative_by_year", "cumulative_mw_by_year", ("progress",), "energy[]"),
        ("gap_by_year", "gap_mw_by_year", ("progress",), "energy[]"),
        ("fx_rate", "fx_rate_vnd_per_usd", ("tenants-list", "tenants-show"), ""),
        ("realised_capital", "realised_usd, realised_vnd", ("tenants-list", "tenants-show"),
         "one key per currency: realised_usd for FDI projects, realised_vnd for domestic ones, the other null"),
        ("fdi_capital", "fdi_capital_million_usd", ("indicators", "indicators-attracted"), ""),
        ("ddi_capital", "ddi_capital_billion_vnd", ("indicators", "indicators-attracted"), ""),
        ("capital_usd", "capital_million_usd", ("indicators", "indicators-business", "indicators-countries",
                                                "indicators-industries"), "million USD, unlike tenants' capital_usd (USD)"),
        ("capital_vnd", "capital_billion_vnd", ("indicators", "indicators-business", "indicators-countries",
                                                "indicators-industries"), "billion VND, unlike tenants' capital_vnd (VND)"),
        ("realised_usd", "realised_million_usd", ("indicators", "indicators-business"), ""),
        ("realised_vnd", "realised_billion_vnd", ("indicators", "indicators-business"), ""),
    ],
}
