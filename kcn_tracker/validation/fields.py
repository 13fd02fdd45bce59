"""One field value from raw input, by its declaration in ``kcn_tracker.fields`` (no database needed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kcn_tracker.errors import InvalidValue, Problem
from kcn_tracker.fields import MAX_TEXT, FieldSpec, field_spec, fields_for
from kcn_tracker.validation.dates import parse_date
from kcn_tracker.validation.numeric import parse_decimal, parse_integer
from kcn_tracker.validation.texts import clean_text, parse_bool, parse_choice, printable

#: Fields nobody changes through an update: the code identifies the record.
READ_ONLY_FIELDS = ("code",)


def _bound(value: float) -> str:
    from kcn_tracker.text import format_number

    return format_number(value, decimals=3)


def check_range(spec: FieldSpec, number: Any) -> None:
    """InvalidValue when ``number`` is outside the field's declared range."""
    unit = f" {spec.unit}" if spec.unit else ""
    if spec.minimum is not None and number < spec.minimum:
        if spec.minimum == 0:
            raise InvalidValue(f"{spec.label}: không được âm / must not be negative ({_bound(number)}{unit})")
        raise InvalidValue(f"{spec.label}: {_bound(number)}{unit} nhỏ hơn mức tối thiểu {_bound(spec.minimum)}{unit} / below the minimum")
    if spec.maximum is not None and number > spec.maximum:
        raise InvalidValue(f"{spec.label}: {_bound(number)}{unit} vượt quá mức hợp lý {_bound(spec.maximum)}{unit} / "
                           f"above the plausible maximum {spec.maximum}{unit}")


def parse_value(record_type: str, name: str, raw: Any, *, machine: bool = False, blank_is_no_change: bool = False) -> Any:
    """The Python value of field ``name`` from ``raw`` (None for empty); InvalidValue naming the field otherwise.

    Table references (technology, zone_code) are only cleaned here; ``records.check_references``
    looks them up. ``machine=True`` reads numbers as plain decimals (CSV with English keys).
    ``blank_is_no_change`` (spreadsheet cells): an empty value means "leave as is", so a
    required field may be blank; elsewhere emptying a required field is refused.
    """
    spec = field_spec(record_type, name)
    label = spec.label
    if spec.kind in ("float", "int"):
        if spec.kind == "int":
            value: Any = parse_integer(raw, label=label, machine=machine)
        else:
            number = parse_decimal(raw, label=label, machine=machine)
            value = None if number is None else float(number)
        if value is not None:
            check_range(spec, value)
    elif spec.kind == "date":
        value = parse_date(raw, label=label)
    elif spec.kind == "bool":
        value = parse_bool(raw, label=label)
    elif spec.kind == "stage":
        from kcn_tracker.stages import parse_stage

        text = clean_text(raw, label=label, max_length=200)  # a key or a (long) Vietnamese label
        value = None if text is None else parse_stage(record_type, text).key  # type: ignore[arg-type]
    elif spec.kind == "geometry":
        from kcn_tracker.validation.shapes import parse_wkt

        value = parse_wkt(raw, label=label)
    elif spec.choices:
        from kcn_tracker.labels import labels_for

        value = parse_choice(raw, spec.choices, label=label, labels=labels_for(name))
    else:
        value = clean_text(raw, label=label, max_length=spec.max_length, multiline=spec.max_length == MAX_TEXT)
    if value is None and spec.required and not blank_is_no_change:
        raise InvalidValue(f"{label}: không được để trống / must not be empty")
    return value


def parse_values(record_type: str, raw: Mapping[str, Any], *, machine: bool = False) -> tuple[dict[str, Any], list[Problem]]:
    """Every field of ``raw`` parsed; (clean values, problems keyed by field name). Never raises for bad input."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    names = {f.name for f in fields_for(record_type)} - set(READ_ONLY_FIELDS)
    for name, text in raw.items():
        if name not in names:
            problems.append(Problem(f"trường “{printable(name)}” không có hoặc không sửa được / unknown or read-only field; "
                                    f"chọn / choose: {', '.join(sorted(names))}", field=printable(name)))
            continue
        try:
            values[name] = parse_value(record_type, name, text, machine=machine)
        except InvalidValue as exc:
            problems.append(Problem(exc.message, field=name))
    return values, problems
