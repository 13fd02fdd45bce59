"""The machine interface: every --format json output validates against its declared schema,
gains or loses no undeclared key, and every --format csv header is the declared column list."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest
from jsonschema import Draft202012Validator

from cli_helpers import kcn
from kcn_tracker.cli import cli
from kcn_tracker.interface.catalogue import ENVELOPE, csv_columns, data_schema, full_schema, schema_names
from kcn_tracker.interface.changelog import RENAMES
from kcn_tracker.interface.dictionary import data_dictionary
from kcn_tracker.interface.published import DATE_EXCEPTIONS, PUBLISHED, UNITLESS, publish, unit_of
from test_progress import build_tiny_register

REPO = Path(__file__).resolve().parent.parent

#: (arguments, schema) for the bundled register.
BUNDLED = [
    (("summary", "--as-of", "31/03/2026"), "summary"),
    (("progress", "--as-of", "31/03/2026"), "progress"),
    (("stages",), "stages"),
    (("zones", "list"), "zones-list"),
    (("energy", "list", "--as-of", "01/12/2025"), "energy-list"),
    (("zones", "show", "doc da trang"), "zones-show"),
    (("energy", "show", "phuoc thai 2"), "energy-show"),
    (("energy", "show", "cong hai 1 giai doan 1"), "energy-show"),
    (("history", "phuoc thai 2"), "history"),
    (("history", "cong hai 1 giai doan 1"), "history"),
    (("changes", "--from", "01/01/2025", "--to", "31/12/2025"), "changes"),
    (("energy", "summary", "--by", "year"), "energy-summary-year"),
    *[(("energy", "summary", "--by", by), "energy-summary") for by in ("technology", "stage", "zone", "investor")],
    (("alerts", "--as-of", "02/12/2026"), "alerts"),
    (("obstacle", "list", "--as-of", "02/12/2026"), "obstacle-list"),
    (("obstacle", "show", "3"), "obstacle-show"),
    (("obstacle", "agency", "list"), "obstacle-agency-list"),
]
#: the same outputs on a small generated register (late events, obstacles, operating zones).
TINY = [
    (("summary", "--as-of", "30/06/2026"), "summary"),
    (("progress", "--as-of", "30/06/2026"), "progress"),
    (("zones", "list", "--as-of", "30/06/2026"), "zones-list"),
    (("energy", "list", "--as-of", "30/06/2026"), "energy-list"),
    (("zones", "show", "kcn-a", "--as-of", "30/06/2026"), "zones-show"),
    (("energy", "show", "waste", "--as-of", "30/06/2026"), "energy-show"),
    (("history", "solar-1"), "history"),
    (("history", "waste"), "history"),
    (("changes", "--from", "01/01/2024", "--to", "30/06/2026"), "changes"),
    (("energy", "summary", "--by", "year", "--as-of", "30/06/2026"), "energy-summary-year"),
    (("energy", "summary", "--by", "zone", "--as-of", "30/06/2026"), "energy-summary"),
]


def _check_json(url: str, args: tuple[str, ...], schema: str) -> dict:
    result = kcn(url, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    errors = sorted(Draft202012Validator(full_schema(schema), format_checker=Draft202012Validator.FORMAT_CHECKER)
                    .iter_errors(payload), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    assert payload["schema"] == schema
    return payload


def _check_csv(url: str, args: tuple[str, ...], schema: str) -> None:
    result = kcn(url, *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == csv_columns(schema)
    if rows[0] == ["field", "value"]:  # a one-record output: its fields are the declared keys
        assert [r[0] for r in rows[1:]] == list(full_schema(schema)["properties"]["data"]["properties"])


@pytest.mark.parametrize(("args", "schema"), BUNDLED, ids=[" ".join(a) for a, _ in BUNDLED])
def test_bundled_outputs_match_their_schema(bundled_url, args, schema):
    payload = _check_json(bundled_url, args, schema)
    if "--as-of" in args:
        day, month, year = args[args.index("--as-of") + 1].split("/")
        assert payload["as_of"] == f"{year}-{month}-{day}"
    if schema != "progress":  # progress CSV is a long (section, item, field, value) table
        _check_csv(bundled_url, args, schema)


def test_generated_register_outputs_match_their_schema(engine, db_url):
    build_tiny_register(engine)
    for args, schema in TINY:
        _check_json(db_url, args, schema)
        if schema != "progress":
            _check_csv(db_url, args, schema)


def test_an_undeclared_or_missing_key_fails_validation():
    schema = full_schema("stages")
    row = {key: None for key in schema["properties"]["data"]["items"]["properties"]}
    payload = {"schema": "stages", "schema_version": 1, "as_of": None, "generated_at": "2026-12-02T10:00:00+07:00",
               "data": [{**row, "surprise": 1}]}
    validator = Draft202012Validator(schema)
    assert any("surprise" in e.message for e in validator.iter_errors(payload))
    del payload["data"][0]["surprise"], payload["data"][0]["key"]
    assert any("'key' is a required property" in e.message for e in validator.iter_errors(payload))


def test_progress_carries_every_target_and_verdict_inputs_as_numbers(bundled_url):
    data = _check_json(bundled_url, ("progress", "--as-of", "31/03/2026"), "progress")["data"]
    targets = {t["target_id"]: t for t in data["targets"]}
    assert targets["T1"]["value"] == 3000 and targets["T1"]["unit"] == "ha" and targets["T1"]["deadline_on"] == "2030-12-31"
    assert targets["T2"]["value"] == 8200 and targets["T2"]["period_start_on"] == "2025-01-01"
    verdicts = {v["target_id"]: v for v in data["verdicts"]}
    assert verdicts["T2"]["inputs"] == {"counted_mw": 0, "firm_mw": verdicts["T2"]["inputs"]["firm_mw"],
                                        "possible_mw": verdicts["T2"]["inputs"]["possible_mw"],
                                        "overdue_mw": verdicts["T2"]["inputs"]["overdue_mw"], "target_mw": 8200}
    assert verdicts["T1"]["inputs"]["target_ha"] == 3000 and verdicts["T4"]["inputs"]["target_pct"] == 70
    assert verdicts["T6"]["inputs"]["target"] == targets["T6"]["value"]


def _json_commands(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        return [p for name in command.list_commands(ctx)
                for p in _json_commands(command.get_command(ctx, name), (*path, name))]
    formats = [p for p in command.params if p.name == "fmt" and isinstance(p.type, click.Choice)]
    return [path] if formats and "json" in formats[0].type.choices else []


def test_every_command_with_json_output_has_a_schema():
    names = set(schema_names())
    missing = [" ".join(p) for p in _json_commands(cli)
               if "-".join(p) not in names and not any(n.startswith("-".join(p) + "-") for n in names)]
    assert missing == [], (
        "every --format json output needs a schema: add kcn_tracker/interface/schemas/<command-path>.schema.json "
        "(data part; see the others), a case in this file, and regenerate docs/DATA_DICTIONARY.md with "
        "`kcn schema --dictionary`")


def test_schema_command_prints_full_schema_and_refuses_unknown(bundled_url):
    shown = kcn(bundled_url, "schema", "energy-list")
    assert shown.exit_code == 0 and json.loads(shown.stdout) == full_schema("energy-list")
    listing = kcn(bundled_url, "schema")
    assert listing.stdout.split() == schema_names()
    unknown = kcn(bundled_url, "schema", "nope")
    assert unknown.exit_code == 2 and "no such schema" in unknown.stderr


def test_data_dictionary_is_current_and_bilingual():
    text = (REPO / "docs" / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert text == data_dictionary(), "regenerate: kcn schema --dictionary > docs/DATA_DICTIONARY.md"
    for name in schema_names():
        assert f"## `{name}`" in text
    assert "| `[].capacity_mw` | number or null | Installed capacity, MW | Công suất lắp đặt (MW) |" in text


def _keys(spec: dict, path: str = "") -> list[tuple[str, str, dict]]:
    """(key, path, property schema) of every declared property, nested objects and list rows included."""
    if isinstance(spec.get("items"), dict):
        return _keys(spec["items"], path + "[]")
    out = []
    for key, sub in spec.get("properties", {}).items():
        out.append((key, f"{path}.{key}", sub))
        out.extend(_keys(sub, f"{path}.{key}"))
    return out


def _types(spec: dict) -> set[str]:
    kind = spec.get("type", [])
    return set(kind if isinstance(kind, list) else [kind])


def _holds_numbers(spec: dict) -> bool:
    """A number, or a map (object without declared keys) whose values are numbers or such maps."""
    if _types(spec) & {"number", "integer"}:
        return True
    inner = spec.get("additionalProperties")
    return "object" in _types(spec) and isinstance(inner, dict) and _holds_numbers(inner)


def _every_property() -> list[tuple[str, str, str, dict]]:
    return [(name, key, path, sub) for name in [ENVELOPE, *schema_names()] for key, path, sub in _keys(data_schema(name))]


def test_every_date_key_ends_in_on_and_every_number_key_names_its_unit():
    dates, on_not_dates, numbers = [], [], []
    for name, key, path, sub in _every_property():
        is_date = sub.get("format") == "date"
        if is_date and not key.endswith("_on") and key not in DATE_EXCEPTIONS:
            dates.append(f"{name}: {path}")
        if key.endswith("_on") and not is_date:
            on_not_dates.append(f"{name}: {path}")
        if not is_date and _holds_numbers(sub) and unit_of(key) is None and key not in UNITLESS:
            numbers.append(f"{name}: {path}")
    assert dates == [], "a date key ends in _on (or is declared in interface.published.DATE_EXCEPTIONS)"
    assert on_not_dates == [], "a key ending in _on is a date (format: date)"
    assert numbers == [], ("a number key names its unit (interface.published.UNITS: _mw, _ha, _pct, _usd, ...) "
                           "or is declared unit-less (interface.published.UNITLESS: counts, ids)")


def test_the_unit_rule_reads_suffixes_maps_and_durations():
    assert unit_of("capacity_mw") == "_mw" and unit_of("online_mw_by_year") == "_mw" and unit_of("mw") == "_mw"
    assert unit_of("capital_million_usd") == "_million_usd" and unit_of("fx_rate_vnd_per_usd") == "_vnd_per_usd"
    assert unit_of("days_overdue") == "_days" and unit_of("age_days") == "_days" and unit_of("occupancy_pct") == "_pct"
    assert unit_of("occupancy") is None and unit_of("size") is None and unit_of("online_by_year") is None
    assert unit_of("fdi_capital") is None and unit_of("realised_capital") is None and unit_of("fx_rate") is None


def test_declared_exceptions_and_published_keys_are_all_in_use():
    declared = {key for _, key, _, _ in _every_property()}
    assert set(UNITLESS) - declared == set() and set(DATE_EXCEPTIONS) - declared == set()
    assert set(PUBLISHED) - declared == set(), "a published key no schema declares"
    # a renamed key is not published under its old name as well (the list land.occupancy keeps its name)
    leaves = {key for _, key, _, sub in _every_property() if _types(sub) - {"array", "object"}}
    assert {source.key for source in PUBLISHED.values()} & leaves == set()


def test_changelog_names_keys_the_outputs_declare():
    for renames in RENAMES.values():
        for old, new, outputs, _ in renames:
            for name in outputs:
                keys = {key for key, _, _ in _keys(data_schema(name))}
                for key in (k.strip().split(".")[-1].removeprefix("[]") for k in new.split(",")):
                    assert key.split("[].")[-1] in keys, (old, new, name)


def test_publish_renames_converts_and_is_idempotent():
    internal = {"land": {"t4_occupancy": 0.723456, "occupancy": [{"code": "z", "occupancy": 0.5, "leased_ha": 10}]},
                "stuck": [{"record_type": "project", "size": 50.0}, {"record_type": "zone", "size": 12.5}],
                "energy": [{"online_by_year": {2026: 1.5}, "deadline_on": "2030-12-31"}]}
    data = publish("progress", internal)
    assert data["land"]["t4_occupancy_pct"] == 72.35
    assert data["land"]["occupancy"][0]["occupancy_pct"] == 50.0 and "occupancy" not in data["land"]["occupancy"][0]
    assert [(s["mw"], s["area_ha"]) for s in data["stuck"]] == [(50.0, None), (None, 12.5)]
    assert data["energy"][0]["online_mw_by_year"] == {2026: 1.5} and data["energy"][0]["deadline_on"] == "2030-12-31"
    assert list(data) == list(data_schema("progress")["properties"])  # the declared keys, in order
    assert publish("progress", data) == data
    fdi, domestic = publish("tenants-list", [{"fdi": True, "realised_capital": 7, "fx_rate": 25000},
                                              {"fdi": False, "realised_capital": 9}])
    assert (fdi["realised_usd"], fdi["realised_vnd"], fdi["fx_rate_vnd_per_usd"]) == (7, None, 25000)
    assert (domestic["realised_usd"], domestic["realised_vnd"]) == (None, 9)
    # a map keeps its keys: history changes are keyed by stored field keys
    row = publish("history", [{"changes": {"expected_cod": "2027-12-31"}}])[0]
    assert row["changes"] == {"expected_cod": "2027-12-31"}


def test_json_and_csv_publish_the_same_keys_with_units(bundled_url):
    payload = _check_json(bundled_url, ("energy", "show", "phuoc thai 2"), "energy-show")
    assert "expected_cod_on" in payload["data"] and "expected_cod" not in payload["data"]
    assert "last_confirmed_on" in payload["data"]["last_confirmed"]
    rows = list(csv.reader(io.StringIO(kcn(bundled_url, "energy", "list", "--format", "csv").stdout)))
    assert "expected_cod_on" in rows[0] and "expected_cod" not in rows[0]
    progress = kcn(bundled_url, "progress", "--as-of", "31/03/2026", "--format", "csv").stdout
    fields = {row[2] for row in csv.reader(io.StringIO(progress))}
    assert "t4_occupancy_pct" in fields and "online_mw_by_year.2026" in fields and "t4_occupancy" not in fields
