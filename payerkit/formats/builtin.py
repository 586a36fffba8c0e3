"""payerkit's built-in formats plugin: registers the X12 837P writer."""

from __future__ import annotations

from ..hookspecs import hookimpl
from ..model import ClaimFormat


def _write_837p(claim, options) -> bytes:
    from .x12_837p import write_837p  # imported when a claim is written, not at start-up

    return write_837p(claim, options)


def _check_837p(claim) -> list[tuple[str, str]]:
    from .x12_837p import check_837p

    return check_837p(claim)


X12_837P = ClaimFormat(
    id="x12-837p",
    name="ANSI X12 837 Professional 5010 (005010X222A1)",
    suffix=".837",
    media_type="application/EDI-X12",
    write=_write_837p,
    check=_check_837p,
)


@hookimpl
def payerkit_claim_formats():
    return [X12_837P]


@hookimpl(trylast=True)
def payerkit_format_claim(claim, claim_format, options):
    return claim_format.write(claim, options)
