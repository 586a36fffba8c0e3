"""X12 text primitives: safe element text, X12 numbers, dates, segments.

payerkit writes 5010 interchanges with these delimiters (declared in ISA):
element ``*``, component ``:``, repetition ``^``, segment ``~``. 5010 has no
escape character, so a delimiter inside a value would silently shift fields;
:func:`clean` makes any Python ``str`` safe to place in an element.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

ELEMENT = "*"
COMPONENT = ":"
REPETITION = "^"
TERMINATOR = "~"

# What clean() keeps, after upper-casing: the X12 basic character set
# (A-Z 0-9 ! " & ' ( ) * + , - . / : ; ? = space) minus the delimiters * and :.
# Everything else (delimiters, CR/LF, control and non-ASCII characters, and
# extended-set symbols such as @ # % that some payers reject) becomes a space.
_UNSAFE = re.compile(r"[^A-Z0-9!\"&'()+,\-./;?= ]")


@lru_cache(maxsize=8192)  # names, addresses and codes repeat across a batch of claims
def clean(text: str, limit: int | None = None) -> str:
    """``text`` as a safe X12 element value.

    Upper-cases, folds accents (``É`` -> ``E``), turns every character outside
    the X12 basic set (including ``* : ^ ~``, CR/LF and control characters)
    into a space, collapses runs of spaces and strips. With ``limit``, cuts to
    at most that many characters (then strips again). May return ``""``.
    """
    s = text.upper()
    if _UNSAFE.search(s) is not None:
        if not s.isascii():
            s = unicodedata.normalize("NFKD", s)
            s = "".join(c for c in s if not unicodedata.combining(c)).upper()
        s = _UNSAFE.sub(" ", s)
    if "  " in s or s[:1] == " " or s[-1:] == " ":
        s = " ".join(s.split())
    if limit is not None and len(s) > limit:
        s = s[:limit].rstrip()
    return s


def number(value: Decimal | int) -> str:
    """An X12 decimal (type R/N0): ``120`` not ``120.00``, ``12.5`` not ``12.50``.

    No exponent, no ``+``, no trailing zeros after the point, no point for
    whole numbers; negatives keep their ``-``; ``-0`` is written ``0``.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, Decimal):
        raise TypeError(f"X12 numbers are Decimal or int, not {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"not a finite number: {value}")
    s = str(value)
    if "E" in s:
        s = format(value, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s == "-0":
        return "0"
    return s


@lru_cache(maxsize=4096)
def d8(date: dt.date) -> str:
    """A D8 date, ``CCYYMMDD``."""
    return f"{date.year:04d}{date.month:02d}{date.day:02d}"


def segment(tag: str, *elements: str | tuple[str | None, ...] | None) -> str:
    """``tag*e1*e2...`` without the terminator, trailing empty elements dropped.

    An element is a string (already :func:`clean`-ed), ``None`` (empty), or a
    tuple of components joined with ``:`` (trailing empty components dropped).
    """
    values = []
    for element in elements:
        if element is None:
            values.append("")
        elif isinstance(element, tuple):
            parts = ["" if c is None else c for c in element]
            while parts and not parts[-1]:
                parts.pop()
            values.append(COMPONENT.join(parts))
        else:
            values.append(element)
    while values and not values[-1]:
        values.pop()
    return ELEMENT.join((tag, *values))


__all__ = ["COMPONENT", "ELEMENT", "REPETITION", "TERMINATOR", "clean", "d8", "number", "segment"]
