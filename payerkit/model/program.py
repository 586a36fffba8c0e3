"""Registration records: the typed things plugins give the host.

Plugins return these from ``payerkit_programs`` and ``payerkit_claim_formats``
(conda's way: typed registration records, not loose dicts). The manager checks
their ids and refuses two plugins claiming one id.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from attrs import field, frozen, validators

from .results import Citation

if TYPE_CHECKING:
    pass

LineOfBusiness = Literal["commercial", "auto", "workers_comp"]
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

#: X12 claim filing indicator (SBR09) by line of business.
FILING_INDICATORS = {"commercial": "CI", "auto": "AM", "workers_comp": "WC"}


def _tuple(value):
    return tuple(value)


@frozen
class Program:
    """A payer program a plugin answers for, e.g. ``ny-no-fault``.

    ``claim_formats`` lists the ids of the formats the payer takes
    (``x12-837p``, ``cms-1500``, ``nf-3``). ``filing_indicator`` overrides the
    SBR09 code implied by ``line_of_business``.
    """

    id: str = field(validator=validators.matches_re(ID_PATTERN))
    name: str
    line_of_business: LineOfBusiness
    states: tuple[str, ...] = field(converter=_tuple)
    claim_formats: tuple[str, ...] = field(default=("x12-837p",), converter=_tuple)
    sources: tuple[Citation, ...] = field(default=(), converter=_tuple)
    payer_id: str | None = None
    filing_indicator: str | None = None

    @property
    def claim_filing_indicator(self) -> str:
        return self.filing_indicator or FILING_INDICATORS[self.line_of_business]


@frozen
class ClaimFormat:
    """A claim writer: ``write(claim, options)`` returns the file's bytes.

    ``options`` is a :class:`payerkit.formats.WriteOptions` (control numbers,
    clock). ``suffix`` is the file-name ending the CLI uses.
    """

    id: str = field(validator=validators.matches_re(ID_PATTERN))
    name: str
    suffix: str
    media_type: str
    write: Callable[..., bytes]


@frozen
class PluginInfo:
    """What ``payerkit programs`` and ``payerkit plugins`` show about a plugin."""

    name: str
    distribution: str | None
    version: str | None
