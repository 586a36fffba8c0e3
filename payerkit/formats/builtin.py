"""payerkit's built-in formats plugin: registers the X12 837P writer, the CMS-1500 (drawn, and
data for the red form), the NY NF-3 and the superbill (PDF and HTML)."""

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


def _write_cms1500(claim, options) -> bytes:
    from .cms1500_pdf import write_cms1500  # reportlab is imported when a form is written

    return write_cms1500(claim, options)


def _write_cms1500_red(claim, options) -> bytes:
    from .cms1500_red import write_cms1500_red

    return write_cms1500_red(claim, options)


def _check_cms1500(claim) -> list[tuple[str, str]]:
    from .cms1500 import check_cms1500  # the one mapping both CMS-1500 formats print

    return check_cms1500(claim)


CMS1500 = ClaimFormat(
    id="cms-1500",
    name="CMS-1500 (02/12) claim form, drawn and filled (PDF)",
    suffix=".pdf",
    media_type="application/pdf",
    write=_write_cms1500,
    check=_check_cms1500,
)

CMS1500_RED = ClaimFormat(
    id="cms-1500-red",
    name="CMS-1500 (02/12) data for the pre-printed red form (PDF)",
    suffix=".pdf",
    media_type="application/pdf",
    write=_write_cms1500_red,
    check=_check_cms1500,
)


def _write_nf3(claim, options) -> bytes:
    from .nf3 import write_nf3  # reportlab is imported when a form is written or checked

    return write_nf3(claim, options)


def _check_nf3(claim) -> list[tuple[str, str]]:
    from .nf3 import check_nf3

    return check_nf3(claim)


def _write_superbill(claim, options) -> bytes:
    from .superbill import write_superbill

    return write_superbill(claim, options)


def _check_superbill(claim) -> list[tuple[str, str]]:
    from .superbill import check_superbill

    return check_superbill(claim)


def _write_superbill_html(claim, options) -> bytes:
    from .superbill import write_superbill_html

    return write_superbill_html(claim, options)


def _check_superbill_html(claim) -> list[tuple[str, str]]:
    from .superbill import check_superbill_html

    return check_superbill_html(claim)


NF3 = ClaimFormat(
    id="nf-3",
    name="NYS form NF-3, Verification of Treatment (PDF)",
    suffix=".pdf",
    media_type="application/pdf",
    write=_write_nf3,
    check=_check_nf3,
)

SUPERBILL = ClaimFormat(
    id="superbill",
    name="Superbill, statement for reimbursement (PDF)",
    suffix=".pdf",
    media_type="application/pdf",
    write=_write_superbill,
    check=_check_superbill,
)

SUPERBILL_HTML = ClaimFormat(
    id="superbill-html",
    name="Superbill, statement for reimbursement (HTML)",
    suffix=".html",
    media_type="text/html",
    write=_write_superbill_html,
    check=_check_superbill_html,
)


@hookimpl
def payerkit_claim_formats():
    return [X12_837P, CMS1500, CMS1500_RED, NF3, SUPERBILL, SUPERBILL_HTML]


@hookimpl(trylast=True)
def payerkit_format_claim(claim, claim_format, options):
    return claim_format.write(claim, options)
