"""Money: ``Decimal`` only, rounded once per priced line, here.

Amounts in case files and fee schedules are read as exact decimals. The only
rounding payerkit does is :func:`line_amount`: a per-unit rate times units,
rounded half-up to the cent. Totals are sums of rounded lines, so a claim's
total always equals the sum of its lines (X12 CLM02 = sum of SV102).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def line_amount(rate: Decimal | int, units: int) -> Decimal:
    """``rate × units`` rounded half-up to the cent: the one rounding step."""
    return (Decimal(rate) * units).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(value: object) -> Decimal:
    """Read an amount given as a string or int ("30.00", "30", 30); never a float.

    Raises ``ValueError`` naming what was expected.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(f"expected an amount as a string such as \"30.00\", got {value!r}")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, (int, str)):
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"expected an amount such as \"30.00\", got {value!r}") from None
    else:
        raise ValueError(f"expected an amount such as \"30.00\", got {type(value).__name__}")
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"expected a non-negative amount, got {value!r}")
    if amount.as_tuple().exponent < -4:
        raise ValueError(f"expected at most 4 decimal places, got {value!r}")
    return amount


def format_money(amount: Decimal | None) -> str | None:
    """Two decimals for output ("30.00"); ``None`` stays ``None``."""
    return None if amount is None else str(amount.quantize(CENT, rounding=ROUND_HALF_UP))
