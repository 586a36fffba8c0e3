"""payerkit's built-in formats plugin: registers the X12 837P writer, the CMS-1500 (drawn, and
data for the red form), the NY NF-3, the superbill (PDF and HTML) and a treatment plan's progress
report (PDF; a format that draws the case's plan, not the claim: ``ClaimFormat.renders``).

Each writer's module (and reportlab or lxml with it) is imported when a claim is first
written or checked in that format, never when payerkit starts.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ..hookspecs import hookimpl
from ..model import ClaimFormat
from . import CMS_1500, CMS_1500_RED, NF_3, PROGRESS_REPORT, SUPERBILL, SUPERBILL_HTML, X12_837P


def _lazy(target: str) -> Callable:
    """``module:function`` of ``payerkit.formats``, imported on its first call."""
    module, _, name = target.partition(":")
    function = None

    def call(*args):
        nonlocal function
        if function is None:
            function = getattr(importlib.import_module(f"{__package__}.{module}"), name)
        return function(*args)

    call.__name__ = call.__qualname__ = name
    return call


def _format(id_: str, name: str, suffix: str, media_type: str, write: str, check: str = "",
            render: str = "", stream: str = "", for_patient: bool = False,
            renders: str = "claim") -> ClaimFormat:
    """A format record whose functions (``module:function``) are imported on first use."""
    return ClaimFormat(id_, name, suffix, media_type, _lazy(write),
                       *(_lazy(target) if target else None for target in (check, render, stream)),
                       for_patient=for_patient, renders=renders)


PDF = "application/pdf"
FORMATS = (
    _format(X12_837P, "ANSI X12 837 Professional 5010 (005010X222A1)", ".837",
            "application/EDI-X12", "x12_837p:write_837p_rendering", "x12_837p:check_837p",
            render="x12_837p:render_837p", stream="x12_837p:stream_837p"),
    # one mapping of boxes (cms1500) renders both CMS-1500 formats
    _format(CMS_1500, "CMS-1500 (02/12) claim form, drawn and filled (PDF)", ".pdf", PDF,
            "cms1500_pdf:write_cms1500_rendering", "cms1500:check_cms1500",
            render="cms1500:render_cms1500"),
    _format(CMS_1500_RED, "CMS-1500 (02/12) data for the pre-printed red form (PDF)", ".pdf",
            PDF, "cms1500_red:write_cms1500_red_rendering", "cms1500:check_cms1500",
            render="cms1500:render_cms1500_red"),
    _format(NF_3, "NYS form NF-3, Verification of Treatment (PDF)", ".pdf", PDF,
            "nf3:write_nf3_rendering", "nf3:check_nf3", render="nf3:render_nf3"),
    _format(SUPERBILL, "Superbill, statement for reimbursement (PDF)", ".pdf", PDF,
            "superbill:write_superbill_rendering", "superbill:check_superbill",
            render="superbill:render_superbill", for_patient=True),
    _format(SUPERBILL_HTML, "Superbill, statement for reimbursement (HTML)", ".html",
            "text/html", "superbill:write_superbill_html_rendering",
            "superbill:check_superbill_html", render="superbill:render_superbill_html",
            for_patient=True),
    # drawn from the case's treatment plan (a PlanReport), not the claim; every program's
    _format(PROGRESS_REPORT, "Treatment plan progress report (PDF)", ".pdf", PDF,
            "progress_report:write_progress_report_rendering",
            "progress_report:check_progress_report",
            render="progress_report:render_progress_report", renders="plan"),
)


#: How a claim file's name ends, by format (``ny-covered.nf-3.pdf``): the demo's and the batch's.
FILE_ENDINGS = {X12_837P: ".837", CMS_1500: ".cms-1500.pdf", CMS_1500_RED: ".cms-1500-red.pdf",
                NF_3: ".nf-3.pdf", SUPERBILL: ".superbill.pdf", SUPERBILL_HTML: ".superbill.html",
                PROGRESS_REPORT: ".progress-report.pdf"}


def file_ending(format_id: str) -> str:
    """The ending of a claim file in ``format_id``: payerkit's own, else ``.<id>``."""
    return FILE_ENDINGS.get(format_id, f".{format_id}")


@hookimpl
def payerkit_claim_formats():
    return list(FORMATS)


@hookimpl(trylast=True)
def payerkit_format_claim(claim_format, rendering, options):
    """The format's own writer, from the rendering the scrub checked."""
    return claim_format.write_rendering(rendering, options)
