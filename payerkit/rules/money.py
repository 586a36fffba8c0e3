"""Money: ``Decimal`` only, rounded once per priced line, here.

Amounts in case files and fee schedules are read as exact decimals. The only
rounding payerkit does is :func:`line_amount`: a per-unit rate times units,
rounded half-up to the cent. Totals are sums of rounded lines, so a claim's
total always equals the sum of its lines (X12 CLM02 = sum of SV102).

Limits (``docs/case-file.md``, "Limits"): a per-unit rate has at most 4
decimals and is at most :data:`MAX_RATE`; a line's charge has at most 2
decimals (to the cent) and is at most :data:`MAX_CHARGE`. :func:`parse_money` reads
plain digits (``"30.00"``, ``"30"``, ``30``): no exponent, sign, underscore, ``NaN`` or
``Infinity``; what a person writes in a case or fee file goes through
:func:`parse_written_amount`, which also wants the cents (``"30.00"``), so that no whole
number meant as cents is read as dollars.

All arithmetic here runs in one context, :data:`MONEY`, set once in this
module and passed explicitly (never the thread's current context, which any
library may change). Within the limits a line is below 10**8 dollars and a
claim's 50 lines below 10**10, far inside its 28 digits: no operation rounds
before the one ``quantize`` to the cent, and none can overflow or trap. A
value outside the limits (possible only from code, never from a case file)
raises ``ValueError`` naming the limit, not a ``decimal`` signal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

CENT = Decimal("0.01")

#: The one context for money: 28 significant digits, half-up, exponents far beyond any
#: amount; the signals that would mean a bug (not a rounding) trap.
MONEY = Context(prec=28, rounding=ROUND_HALF_UP, Emax=999_999, Emin=-999_999,
                traps=[InvalidOperation, DivisionByZero, Overflow])

#: Largest per-unit rate (cash rate, fee schedule amount): up to 4 decimals.
MAX_RATE = Decimal("99999.9999")
#: Largest charge of one service line: cents only.
MAX_CHARGE = Decimal("99999.99")
#: Largest number of units of one service in a case file.
MAX_UNITS = 999
#: Largest number of units :func:`line_amount` prices (a unit rule of a plugin may count
#: more than a case file states; any 9-digit count is still exact in :data:`MONEY`).
MAX_LINE_UNITS = 999_999_999
#: Decimals allowed for a rate and for a charge.
RATE_PLACES = 4
CHARGE_PLACES = 2

_AMOUNT = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
#: Longer text is refused before it is read as a number.
_MAX_TEXT = 32


def line_amount(rate: Decimal | int, units: int) -> Decimal:
    """``rate × units`` rounded half-up to the cent: the one rounding step.

    ``rate`` is a per-unit amount within :data:`MAX_RATE`, ``units`` an integer from 0 to
    :data:`MAX_LINE_UNITS`; anything else raises ``ValueError`` (never a ``decimal`` trap).
    """
    if isinstance(rate, bool) or not isinstance(rate, Decimal | int):
        raise ValueError(f"a rate must be a Decimal, got {type(rate).__name__}")
    if isinstance(units, bool) or not isinstance(units, int) or not 0 <= units <= MAX_LINE_UNITS:
        raise ValueError(f"units must be an integer from 0 to {MAX_LINE_UNITS}")
    amount = Decimal(rate)
    if not amount.is_finite() or not 0 <= amount <= MAX_RATE:
        raise ValueError(f"a rate must be an amount from 0 to {MAX_RATE}")
    return MONEY.multiply(amount, units).quantize(CENT, context=MONEY)


#: What :func:`total` starts from (made once: a ``Decimal`` never changes).
_NO_AMOUNT = Decimal("0.00")


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The sum of line amounts in the money context (exact within the limits)."""
    result = _NO_AMOUNT
    for amount in amounts:
        result = MONEY.add(result, amount)
    return result


def parse_money(value: object, *, places: int = RATE_PLACES,
                maximum: Decimal = MAX_RATE) -> Decimal:
    """Read an amount given as a string or int ("30.00", "30", 30); never a float.

    At most ``places`` decimals and at most ``maximum`` (default: a per-unit rate, 4
    decimals, :data:`MAX_RATE`; a line's charge uses ``places=2, maximum=MAX_CHARGE``).
    Raises ``ValueError`` starting ``expected`` and naming what was expected.
    """
    example = "30.00"
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(f"expected an amount as a string such as \"{example}\", got {_show(value)}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"expected an amount such as \"{example}\", got {_show(value)}")
        amount = value
    elif isinstance(value, int):
        if not 0 <= value <= maximum:
            raise ValueError(f"expected an amount from 0 to {maximum}, got {_show(value)}")
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > _MAX_TEXT:
            raise ValueError(f"expected an amount from 0 to {maximum}, got {len(text)} characters")
        if text.startswith("-") and _AMOUNT.fullmatch(text[1:]):
            raise ValueError(f"expected a non-negative amount, got {_show(value)}")
        if not _AMOUNT.fullmatch(text):
            raise ValueError(f"expected an amount such as \"{example}\", got {_show(value)}")
        amount = Decimal(text)
    else:
        raise ValueError(f"expected an amount such as \"{example}\", got {type(value).__name__}")
    if amount < 0:
        raise ValueError(f"expected a non-negative amount, got {_show(value)}")
    if amount.as_tuple().exponent < -places:
        what = "to the cent (at most 2 decimals)" if places == 2 else \
            f"with at most {places} decimal places"
        raise ValueError(f"expected an amount {what}, got {_show(value)}")
    if amount > maximum:
        raise ValueError(f"expected an amount from 0 to {maximum}, got {_show(value)}")
    return amount


#: A whole number of dollars as a person may write it: ``2500``, ``"2500"``, ``"2500."``.
_WHOLE = re.compile(r"[0-9]+\.?")


def parse_written_amount(value: object, *, places: int = RATE_PLACES,
                         maximum: Decimal = MAX_RATE) -> Decimal:
    """An amount as a case file or a fee file gives it: a string of dollars and cents
    (``"25.00"``), read as dollars by :func:`parse_money`.

    A whole number — an integer (``2500``) or a string without its cents (``"2500"``) — is
    refused: it could be meant as cents, and read as dollars it would be a 100x error. Code
    that builds amounts itself passes ``Decimal`` values and uses :func:`parse_money`.
    """
    if (isinstance(value, int) and not isinstance(value, bool)) or \
            (isinstance(value, str) and _WHOLE.fullmatch(value.strip())):
        raise ValueError('expected dollars and cents as a string such as "25.00" (a whole '
                         f"number could be meant as cents), got {_show(value)}")
    return parse_money(value, places=places, maximum=maximum)


def cents(amount: Decimal) -> Decimal:
    """``amount`` to the cent, as output shows it (:func:`format_money`)."""
    return amount.quantize(CENT, None, MONEY)  # (exp, rounding, context): no keywords, quicker


def format_money(amount: Decimal | None) -> str | None:
    """Two decimals for output ("30.00"); ``None`` stays ``None``."""
    return None if amount is None else str(cents(amount))


def _show(value: object) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int beyond Python's digit limit
        return "a larger number"
    return text if len(text) <= 40 else text[:37] + "..."
