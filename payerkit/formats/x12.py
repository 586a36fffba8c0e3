"""X12 text primitives: identifiers, names and addresses, X12 numbers, dates, segments.

payerkit writes 5010 interchanges with these delimiters (declared in ISA):
element ``*``, component ``:``, repetition ``^``, segment ``~``. 5010 has no
escape character, so a delimiter inside a value would silently shift fields.
Text is written in the X12 *basic* character set (``A-Z 0-9``, space and
``! " & ' ( ) * + , - . / : ; ? =``), which every receiver must take; the
extended set (lower case, ``@ # % _`` ...) only by agreement, so never.

Two kinds of text, two rules:

* **Identifiers and codes** (member id, claim id, claim number, authorization,
  payer, sender and receiver ids, group number, taxonomy, codes) are written
  exactly as given or refused: :func:`identifier_problem` says why one cannot
  be written — it holds a delimiter (``* : ^ ~``), a character outside the
  basic set (``@``, ``#``, ``_``, any non-ASCII letter or digit, control
  characters), or leading or trailing spaces. Nothing is removed, replaced or
  cut: a changed member id is a claim for someone else.

  The one change made is upper-casing the ASCII letters ``a-z``
  (:func:`identifier`). The basic set has no lower case; payers' member,
  group and authorization numbers, payer ids and codes are matched without
  regard to case (cards print them in capitals), and ``a-z`` ↔ ``A-Z`` is
  one-to-one, so two identifiers that differ in more than case never become
  one. Non-ASCII letters are refused, not upper-cased (``ı`` would become
  ``I``, ``ß`` ``SS``). The claim id comes back upper-cased in the 835.

* **Names and addresses** are transliterated (:func:`clean`): each non-ASCII
  character becomes its ASCII rendering by ``anyascii`` (ISC licence):
  ``Søren`` → ``SOREN``, ``Łukasz`` → ``LUKASZ``, ``王小明`` →
  ``WANGXIAOMING``; emoji, format and private-use characters are dropped;
  then upper case, anything still outside the basic set (delimiters,
  control characters, ``@ #``...) becomes a space, runs of spaces collapse.
  :func:`transliterated` says when this changed more than letter case and
  spacing, so the scrub can warn that a name was written differently; a
  required name with nothing left is refused by the writer.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from anyascii import anyascii

ELEMENT = "*"
COMPONENT = ":"
REPETITION = "^"
TERMINATOR = "~"
DELIMITERS = frozenset(ELEMENT + COMPONENT + REPETITION + TERMINATOR)

#: The X12 basic character set's symbols other than the delimiters ``*`` and ``:``.
BASIC_SYMBOLS = "!\"&'()+,-./;?="
# What clean() keeps, after upper-casing: the basic set minus the delimiters.
_UNSAFE = re.compile(r"[^A-Z0-9!\"&'()+,\-./;?= ]")
# An identifier as given: the basic set minus the delimiters, plus ASCII a-z (upper-cased).
_IDENTIFIER = re.compile(r"[A-Za-z0-9!\"&'()+,\-./;?= ]+")
#: ``fullmatch`` succeeds exactly when :func:`identifier_problem` finds nothing (the same
#: characters, no leading or trailing space): one call for a writer's hot path.
WRITABLE_IDENTIFIER = re.compile(
    r"[A-Za-z0-9!\"&'()+,\-./;?=](?:[A-Za-z0-9!\"&'()+,\-./;?= ]*[A-Za-z0-9!\"&'()+,\-./;?=])?"
)
# anyascii renders an emoji as its short name (":heart:"): not part of a name.
_EMOJI_NAME = re.compile(r":[a-z0-9_+\-]+:(?::[a-z0-9_+\-]+:)*")
ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def identifier_problem(value: str) -> str | None:
    """Why ``value`` cannot be written as an X12 identifier unchanged, or ``None``.

    Never quotes the value (it may be a member id).
    """
    if _IDENTIFIER.fullmatch(value) is None:
        if not value:
            return "required"
        if any(c in DELIMITERS for c in value):
            return ("contains an X12 delimiter (* : ^ ~); an identifier is never altered, "
                    "correct it in the case")
        return ("contains a character outside the X12 basic character set (A-Z, 0-9, space "
                f"and {BASIC_SYMBOLS}); an identifier is never altered, correct it in the case")
    if value[0] == " " or value[-1] == " ":
        return "has leading or trailing spaces; an identifier is never altered, correct it in the case"
    return None


def identifier(value: str) -> str:
    """``value`` as written in an element: ASCII letters upper-cased, nothing else changed.

    Raises ``ValueError`` (with :func:`identifier_problem`'s text) when it cannot be written.
    """
    problem = identifier_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value.translate(ASCII_UPPER)


@lru_cache(maxsize=4096)
def _ascii(char: str) -> str:
    """One non-ASCII character in ASCII: its transliteration, a space, or nothing."""
    category = unicodedata.category(char)
    if category in ("Cf", "Cs", "Co", "Cn") or "\U0001f1e6" <= char <= "\U0001f1ff":
        return ""  # format (ZWJ, bidi marks), lone surrogates, private use, unassigned, flags
    if category[0] in "CZ":
        return " "  # controls, line and paragraph separators, no-break and other spaces
    text = anyascii(char)
    return "" if _EMOJI_NAME.fullmatch(text) else text


def transliterate(text: str) -> str:
    """``text`` in ASCII (anyascii, emoji dropped), case and punctuation as they come."""
    if text.isascii():
        return text
    return "".join(c if c.isascii() else _ascii(c) for c in text)


@lru_cache(maxsize=8192)  # names, addresses and codes repeat across a batch of claims
def clean(text: str, limit: int | None = None) -> str:
    """``text`` (a name or an address) as a safe X12 element value.

    Transliterates to ASCII (:func:`transliterate`: ``Ø`` -> ``O``, ``王`` ->
    ``Wang``), upper-cases, turns every character outside the X12 basic set
    (including ``* : ^ ~``, CR/LF and control characters) into a space,
    collapses runs of spaces and strips. With ``limit``, cuts to at most that
    many characters (then strips again). May return ``""``. Never use it for
    an identifier: see :func:`identifier`.
    """
    s = transliterate(text).upper()
    if _UNSAFE.search(s) is not None:
        s = _UNSAFE.sub(" ", s)
    if "  " in s or s[:1] == " " or s[-1:] == " ":
        s = " ".join(s.split())
    if limit is not None and len(s) > limit:
        s = s[:limit].rstrip()
    return s


def transliterated(text: str, cleaned: str | None = None) -> bool:
    """Whether :func:`clean` changes ``text`` beyond letter case and spacing
    (``cleaned``: ``clean(text)``, when the caller has it).

    True for any non-space non-ASCII character (``ø``, ``王``, an emoji) and
    for characters outside the basic set (``@``, ``#``, a delimiter, a
    control character): the written name is not the one given, so say so.
    """
    spaced = " ".join(text.split())
    if not spaced.isascii():
        return True
    return (clean(text) if cleaned is None else cleaned) != spaced.upper()


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


__all__ = [
    "BASIC_SYMBOLS", "COMPONENT", "DELIMITERS", "ELEMENT", "REPETITION", "TERMINATOR",
    "WRITABLE_IDENTIFIER", "clean", "d8",
    "identifier", "identifier_problem", "number", "segment", "transliterate", "transliterated",
]
