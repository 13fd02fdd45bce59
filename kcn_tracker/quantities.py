"""The one rounding rule for MW and ha: sums and differences are exact decimals.

A stored value is a float whose shortest text (``repr``) is the decimal figure that
was typed or cited ("8517.4", "49.9"). Adding those floats directly accumulates
binary error (8517.400000000001 in JSON; 2999.9999999999995 ha against a 3,000 ha
target). Every MW/ha total and difference therefore goes through ``total`` /
``minus``: each value is read as its decimal text, the arithmetic is exact in
``Decimal``, and the result is handed back as the float nearest to that exact
decimal (so it prints, compares and serialises as the decimal figure).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal


_DECIMALS: dict[float, Decimal] = {}  # float -> its decimal text as Decimal; national-scale sums repeat values


def _dec(value: float | int | Decimal | None) -> Decimal:
    if isinstance(value, float):  # the common case first: a stored MW or ha figure
        found = _DECIMALS.get(value)
        if found is None or not value:  # 0.0 and -0.0 are equal keys with different texts: never cached
            found = Decimal(repr(value))
            if value and len(_DECIMALS) < 100_000:
                _DECIMALS[value] = found
        return found
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    return Decimal(value)


def total(values: Iterable[float | int | Decimal | None]) -> float:
    """The exact sum of ``values`` (None counts as 0)."""
    # Zeros and None add nothing: skipped (the sums of a national register are mostly of a few terms).
    terms = [v for v in values if v]
    if len(terms) == 1:
        return float(terms[0])  # the float nearest to its own decimal figure: itself
    try:  # the cached figures, looked up without a Python call each (a national register sums 10,000 terms)
        return float(sum(map(_DECIMALS.get, terms), Decimal(0)))
    except TypeError:  # a figure not cached yet (None from the lookup)
        return float(sum(map(_dec, terms), Decimal(0)))


def plus(*values: float | int | Decimal | None) -> float:
    """``a + b + ...`` exactly."""
    return total(values)


def minus(a: float | int | Decimal | None, b: float | int | Decimal | None) -> float:
    """``a - b`` exactly."""
    if not b:
        return float(a) if a is not None else 0.0
    return 0.0 if a == b else float(_dec(a) - _dec(b))
