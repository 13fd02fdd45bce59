"""``kcn schema``: print the declared JSON Schema of an output, or the data dictionary."""

from __future__ import annotations

import json

import click

from kcn_tracker.errors import InvalidValue


@click.command("schema")
@click.argument("name", required=False)
@click.option("--dictionary", is_flag=True, help="In từ điển dữ liệu (Markdown) / print the data dictionary.")
def schema_cmd(name: str | None, dictionary: bool) -> None:
    """Lược đồ JSON của đầu ra --format json / the JSON Schema of a command's output.

    \b
    Ví dụ / examples:
      kcn schema                    liệt kê các lược đồ / list the schemas
      kcn schema energy-list        lược đồ của kcn energy list --format json
      kcn schema --dictionary > docs/DATA_DICTIONARY.md
    """
    from kcn_tracker.interface.catalogue import full_schema, schema_names

    if dictionary:
        from kcn_tracker.interface.dictionary import data_dictionary

        click.echo(data_dictionary(), nl=False)
        return
    if name is None:
        for known in schema_names():
            click.echo(known)
        return
    try:
        schema = full_schema(name.replace(" ", "-"))
    except KeyError:
        raise InvalidValue(f"không có lược đồ “{name}” / no such schema; chọn / choose: {', '.join(schema_names())}") from None
    click.echo(json.dumps(schema, ensure_ascii=False, indent=2))
