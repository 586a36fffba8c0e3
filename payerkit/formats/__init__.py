"""Claim writers. Each is registered as a :class:`payerkit.model.ClaimFormat`
through ``payerkit_claim_formats``, the core's own the same way as a plugin's.

The ids of payerkit's own formats are constants here (``X12_837P`` is ``"x12-837p"``):
the one place they are spelled. :class:`WriteOptions` and :class:`ControlNumbers` are
imported when first used, so reading an id (the command's ``--help``) costs nothing.
"""

#: ANSI X12 837 Professional 5010: every program's electronic claim, and the default.
X12_837P = "x12-837p"
#: The CMS-1500 (02/12), drawn and filled; and its data alone for the pre-printed red form.
CMS_1500 = "cms-1500"
CMS_1500_RED = "cms-1500-red"
#: New York's no-fault form NF-3.
NF_3 = "nf-3"
#: The superbill a patient submits, as PDF and as HTML.
SUPERBILL = "superbill"
SUPERBILL_HTML = "superbill-html"
#: A treatment plan's progress report (PDF), for the payer's reviewer and the client: drawn
#: from the case's plan (``episode.plan``), not from the claim, and taken for every program.
PROGRESS_REPORT = "progress-report"

__all__ = ["CMS_1500", "CMS_1500_RED", "NF_3", "PROGRESS_REPORT", "SUPERBILL", "SUPERBILL_HTML",
           "X12_837P", "ControlNumbers", "WriteOptions"]


def __getattr__(name: str):
    if name in ("ControlNumbers", "WriteOptions"):
        from . import options

        return getattr(options, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
