"""The declared outputs: which schema describes which command, the schemas and CSV columns."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
ENVELOPE = "envelope"


def schema_names() -> list[str]:
    """Every declared output schema (not the envelope), sorted."""
    return sorted(p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.schema.json")
                  if p.name != f"{ENVELOPE}.schema.json")


@cache
def data_schema(name: str) -> dict[str, Any]:
    """The schema of the ``data`` part of output ``name`` (KeyError if none is declared)."""
    path = SCHEMA_DIR / f"{name}.schema.json"
    if not path.is_file():
        raise KeyError(name)
    return json.loads(path.read_text(encoding="utf-8"))


def full_schema(name: str) -> dict[str, Any]:
    """The whole JSON output of ``name``: the envelope with ``data`` described by its schema."""
    envelope = json.loads((SCHEMA_DIR / f"{ENVELOPE}.schema.json").read_text(encoding="utf-8"))
    data = data_schema(name)
    envelope["$id"] = f"https://kcn-tracker.invalid/schemas/{name}.schema.json"
    envelope["title"] = data.get("title", name)
    envelope["description"] = data.get("description", "")
    envelope["properties"]["schema"] = {**envelope["properties"]["schema"], "const": name}
    envelope["properties"]["data"] = {k: v for k, v in data.items() if k not in ("$schema", "$id")}
    return envelope


def row_schema(name: str) -> dict[str, Any]:
    """The schema of one row of a list output (its ``items``), or of the mapping itself."""
    data = data_schema(name)
    return data["items"] if data.get("type") == "array" else data


def csv_columns(name: str) -> list[str]:
    """The CSV header of output ``name``: a row's declared properties, in order.

    A mapping output (one record, a summary) is written as ``field,value`` pairs.
    """
    data = data_schema(name)
    if data.get("type") != "array":
        return ["field", "value"]
    return list(data["items"]["properties"])
