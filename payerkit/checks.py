"""payerkit's built-in scrub plugin: checks every claim needs, whatever the payer.

Codes (ICD-10-CM, CPT/HCPCS, modifiers, place of service, states), NPIs,
diagnosis pointers, addresses and identifiers the 837P requires, dates, fee
parity, and a corrected claim's original claim number. Payer rules live in the
payer's plugin, never here; what a format cannot carry (an 837P element's size, a
name written in X12's basic characters) is that format's own finding, from its
rendering of the claim (:class:`payerkit.model.ClaimFormat`): no writer is
imported here.
"""

from __future__ import annotations

import re

from .claims import WORKERS_COMP
from .formats import X12_837P
from .hookspecs import hookimpl
from .model import Citation, Finding, Limit
from .model.claim import MAX_DIAGNOSES, MAX_MODIFIERS, MAX_POINTERS
from .model.outcome import PRIOR_AUTHORIZATION_REQUIRED
from .paths import field_path, visit_index
from .rules import codes
from .rules.parity import parity_findings

TR3 = codes.X12_837P_GUIDE
CORRECTED = Citation("ASC X12 837P 005010X222A1 CLM05-3 (7 replacement, 8 void) with REF*F8, "
                     "the payer's claim control number; NUCC 1500 instructions, item 22",
                     confidence="rule")
WORKERS_COMP_SUBSCRIBER = Citation(
    "X12 Request for Interpretation 1925, \"WC Ebills subscriber address\": the employer is "
    "always the subscriber in workers' compensation; the patient's address goes in 2010CA",
    "x12.org, Requests for Interpretation", "high",
    "https://x12.org/resources/requests-for-interpretation/rfi-1925-wc-ebills-subscriber-address")
ASSIGNMENT = Citation("ASC X12 837P 005010X222A1 CLM08 (benefits assignment certification); "
                      "NUCC 1500 instructions, item 13 (\"Signature on File\", blank when "
                      "there is no signature on file)", confidence="rule")
MEMBER_ID = Citation("NUCC 1500 Health Insurance Claim Form Reference Instruction Manual, "
                     "item 1a (the insured's ID number; in workers' compensation, the "
                     "employee's identifier); ASC X12 837P 005010X222A1 2010BA NM109",
                     "NUCC manual version 8.0 (7/20)", confidence="rule")
_PO_BOX = re.compile(r"\bP\.?\s*O\.?\s*BOX\b|\bPOST OFFICE BOX\b|\bLOCKBOX\b", re.I)
_NINE_DIGITS = re.compile(r"\d{9}").fullmatch
_TEN_DIGITS = re.compile(r"\d{10}").fullmatch
_ZIP = re.compile(r"\d{5}(\d{4})?").fullmatch


def _error(code, message, path, citation=TR3):
    return Finding("error", code, message, path, citation)


def _npi(findings, npi, path):
    problem = codes.npi_error(npi)
    if problem:
        findings.append(_error("NPI-INVALID", f"{path}: {problem}", path, codes.NPI_CITATION))


def _state(findings, state, path, allow_canada=False):
    problem = codes.state_error(state, allow_canada)
    if problem:
        findings.append(_error("STATE-INVALID", f"{path}: {problem}", path))


def provider_findings(program, case) -> list[Finding]:
    findings: list[Finding] = []
    p = case.provider
    _npi(findings, p.npi, "provider.npi")
    if case.rendering is not None:
        _npi(findings, case.rendering.npi, "rendering.npi")
    if case.episode.prescription is not None:
        _npi(findings, case.episode.prescription.prescriber.npi, "episode.prescription.prescriber.npi")
    if not _NINE_DIGITS(p.tax_id):
        findings.append(_error("TAX-ID-INVALID", "provider.tax_id: expected 9 digits "
                               "(EIN or SSN, no dashes)", "provider.tax_id"))
    if not _NINE_DIGITS(p.address.zip):
        findings.append(_error("BILLING-ZIP", "provider.address.zip: the billing provider's "
                               "ZIP must have 9 digits (ZIP+4, no dash)", "provider.address.zip"))
    if _PO_BOX.search(p.address.line1):
        findings.append(_error("BILLING-PO-BOX", "provider.address.line1: the billing "
                               "provider's address must be a street address, not a PO box",
                               "provider.address.line1"))
    if not p.phone:
        findings.append(_error("NO-PHONE", "provider.phone: a contact number is required "
                               "for the submitter (1000A PER)", "provider.phone"))
    elif not _TEN_DIGITS(p.phone):
        findings.append(_error("PHONE-INVALID", "provider.phone: expected 10 digits",
                               "provider.phone"))
    if case.coverage.member_id is None and program.line_of_business != WORKERS_COMP:
        findings.append(_error("NO-MEMBER-ID", "coverage.member_id: the id the payer gave the "
                               "insured (on the member's card) is required; only a workers' "
                               "compensation claim, whose insured is the employer, may leave "
                               "it out", "coverage.member_id", MEMBER_ID))
    elif case.coverage.member_id is None:
        findings.append(Finding(
            "warning", "NO-MEMBER-ID", "coverage.member_id: not given; workers' compensation "
            "has no member card, but the claim forms still ask for the identifier the payer "
            "uses for the employee (CMS-1500 box 1a, left blank; the 837P's 2010BA NM109, "
            "required, so no 837P is written without it): verify with the payer what it "
            "expects (the claim number, the employee's id)", "coverage.member_id", MEMBER_ID))
    if X12_837P in program.claim_formats and not (case.coverage.payer_id or program.payer_id):
        findings.append(_error("NO-PAYER-ID", "coverage.payer_id: the payer's X12 id is "
                               "required (2010BB NM109)", "coverage.payer_id"))
    addresses = [("provider.address", p.address), ("patient.address", case.patient.address)]
    if case.subscriber is not None:
        addresses.append(("subscriber.address", case.subscriber.address))
    if case.coverage.employer_address is not None:
        addresses.append(("coverage.employer_address", case.coverage.employer_address))
    for path, address in addresses:
        _state(findings, address.state, f"{path}.state")
        if not _ZIP(address.zip):
            findings.append(_error("ZIP-INVALID", f"{path}.zip: expected 5 or 9 digits",
                                   f"{path}.zip"))
    return findings


def submission_findings(case) -> list[Finding]:
    """A corrected claim (replacement or void) names the payer's claim it corrects; an
    original claim names none (a number given with ``original`` is a correction half-said,
    and an original sent instead is a duplicate). An assignment of benefits not recorded is
    written as not assigned: a warning says so."""
    sub = case.claim
    found = []
    if sub.benefits_assigned is None:
        found.append(Finding(
            "warning", "BENEFITS-ASSIGNMENT-NOT-RECORDED", "claim.benefits_assigned: not "
            "recorded, so the claim says benefits are not assigned (837P CLM08 N, CMS-1500 "
            "box 13 blank) and the payer may pay the patient; record true when the patient "
            "signed an assignment of benefits to the practice, false when not",
            "claim.benefits_assigned", ASSIGNMENT))
    return found + _correction_findings(sub)


def _correction_findings(sub) -> list[Finding]:
    if sub.frequency in ("replacement", "void") and not sub.original_claim_number:
        return [_error("NO-ORIGINAL-CLAIM-NUMBER", f"claim.original_claim_number: a {sub.frequency} "
                       "claim needs the payer's claim control number of the claim it corrects "
                       "(from the payer's remittance or claim status)",
                       "claim.original_claim_number", CORRECTED)]
    if sub.frequency == "original" and sub.original_claim_number:
        return [_error("ORIGINAL-CLAIM-NUMBER-UNUSED", "claim.frequency: original_claim_number "
                       "is given, but frequency is 'original'; say 'replacement' or 'void' to "
                       "correct that claim, or leave the number out", "claim.frequency",
                       CORRECTED)]
    return []


def diagnosis_findings(case) -> list[Finding]:
    findings = []
    dx = case.episode.diagnoses
    for i, code in enumerate(dx):
        problem = codes.icd10_error(code)
        if problem:
            at = field_path("episode", "diagnoses", i)
            findings.append(_error("ICD-INVALID", f"{at}: {problem}", at, codes.ICD_CITATION))
    if dx and codes.is_external_cause(dx[0]):
        findings.append(_error("ICD-EXTERNAL-PRINCIPAL", "episode.diagnoses[0]: an external-"
                               "cause code (V00-Y99) cannot be the principal diagnosis; list "
                               "the injury first", "episode.diagnoses[0]",
                               codes.EXTERNAL_CAUSE_CITATION))
    if len(dx) > MAX_DIAGNOSES:
        findings.append(_error("TOO-MANY-DIAGNOSES", f"episode.diagnoses: at most "
                               f"{MAX_DIAGNOSES} codes fit on one claim", "episode.diagnoses"))
    return findings


def visit_findings(case, visit, pricing) -> list[Finding]:
    findings = []
    index = visit_index(case, visit)
    base = field_path("visits", index)
    pos_problem = codes.place_of_service_error(visit.place_of_service)
    if pos_problem:
        findings.append(_error("POS-INVALID", f"{base}.place_of_service: {pos_problem}",
                               f"{base}.place_of_service", codes.POS_CITATION))
    if visit.date < case.episode.onset_date:
        findings.append(_error("SERVICE-BEFORE-ONSET", f"{base}.date: the service date is "
                               "before the episode's onset/accident date", f"{base}.date"))
    if visit.date > case.today():
        findings.append(_error("SERVICE-IN-FUTURE", f"{base}.date: the service date is after "
                               "the day the bill is prepared (as_of)", f"{base}.date"))
    n_dx = len(case.episode.diagnoses)
    most = min(n_dx, MAX_DIAGNOSES)
    for j, (service, line) in enumerate(zip(visit.services, pricing.lines, strict=True)):
        modifiers, pointers = service.modifiers, service.diagnoses
        problem = codes.procedure_error(service.code)
        if not (problem or line.units <= 0 or line.charge <= 0 or len(pointers) > MAX_POINTERS
                or len(modifiers) > MAX_MODIFIERS
                or not all(1 <= pointer <= most for pointer in pointers)
                or any(codes.modifier_error(modifier) for modifier in modifiers)):
            continue  # nothing to say about the line: its path is not needed
        path = field_path(base, "services", j)
        if problem:
            findings.append(_error("CODE-INVALID", f"{path}.code: {problem}", f"{path}.code",
                                   codes.PROCEDURE_CITATION))
        for k, modifier in enumerate(modifiers):
            if codes.modifier_error(modifier):
                at = field_path(path, "modifiers", k)
                findings.append(_error("MODIFIER-INVALID", f"{at}: {codes.modifier_error(modifier)}",
                                       at))
        if len(modifiers) > MAX_MODIFIERS:
            findings.append(_error("TOO-MANY-MODIFIERS", f"{path}.modifiers: at most {MAX_MODIFIERS}",
                                   f"{path}.modifiers"))
        if len(pointers) > MAX_POINTERS:
            findings.append(_error("TOO-MANY-POINTERS", f"{path}.diagnoses: at most "
                                   f"{MAX_POINTERS} diagnosis pointers per line", f"{path}.diagnoses"))
        for k, pointer in enumerate(pointers):
            if not 1 <= pointer <= most:
                at = field_path(path, "diagnoses", k)
                findings.append(_error("POINTER-INVALID", f"{at}: expected a position in "
                                       f"episode.diagnoses (1 to {n_dx})", at))
        if line.units == 0:
            findings.append(Finding("warning", "ZERO-UNITS", f"{path}: under 8 minutes, no "
                                    "billable unit; the line is left off the claim", path,
                                    Citation("CMS Pub. 100-04 ch. 5 § 20.2 / CPT midpoint rule",
                                             confidence="high")))
        elif line.charge <= 0:
            findings.append(_error("NO-CHARGE", f"{path}: no charge: give the line's charge "
                                   f"or provider.cash_rates.{service.code}", f"{path}.charge"))
    if not any(line.units > 0 for line in pricing.lines):
        findings.append(_error("NOTHING-TO-BILL", f"{base}: no service has a billable unit",
                               f"{base}.services"))
    findings += parity_findings(case, index, pricing)
    return findings


def workers_comp_findings(program, case) -> list[Finding]:
    """In workers' compensation the employer is the insured: a ``[subscriber]`` is not
    written on the claim (the claim itself refuses a missing ``coverage.employer``)."""
    if program.line_of_business != WORKERS_COMP or case.subscriber is None:
        return []
    return [Finding("warning", "SUBSCRIBER-NOT-ON-CLAIM", "subscriber: in workers' "
                    "compensation the employer (coverage.employer) is the insured and the "
                    "patient the injured worker, so the subscriber is left off the claim",
                    "subscriber", WORKERS_COMP_SUBSCRIBER)]


@hookimpl
def payerkit_scrub(program, case, visit, pricing):
    findings = provider_findings(program, case) + diagnosis_findings(case) + \
        submission_findings(case) + workers_comp_findings(program, case)
    if case.episode.kind == "auto_accident":
        if not case.episode.state:
            findings.append(_error("NO-ACCIDENT-STATE", "episode.state: an auto-accident "
                                   "claim needs the accident state (CLM11-4, box 10b)",
                                   "episode.state"))
        else:
            _state(findings, case.episode.state, "episode.state", allow_canada=True)
    return findings + visit_findings(case, visit, pricing) + missed_findings(case, visit)


#: Why a missed appointment is on no claim, whatever the payer (research pass 4 §A7).
MISSED_APPOINTMENT = Citation(
    "payerkit: a missed appointment is not a service and is the patient's charge under the "
    "practice's missed-appointment policy, never the insurer's; Medicare, the model most payers "
    "follow, pays nothing for one (Medicare Claims Processing Manual ch. 1 §30.3.13, CR 5613)",
    "effective 2007-10-01", "rule")


def missed_findings(case, visit) -> list[Finding]:
    """A no-show or late cancellation with services on the claim: an error, every program."""
    from .rules.plans import missed_appointment

    if visit.attendance == "attended":
        return []
    return [o.finding for o in missed_appointment(case, visit, MISSED_APPOINTMENT)
            if o.finding is not None]


# -- Authorizations on file, every program -------------------------------------------------------
# The pipeline adds these to every program's answers (payerkit_visit_limits stops at its first
# answer, so they are not a hook): one limit per authorization on file, and a warning when an
# authorization's visits or dates run out. One voice per authorization: a program's plugin that
# gives the same rows (payerkit.rules.plans.authorization_limits, named "authorization 1"...,
# with its own rule's citation) keeps them and payerkit adds none of its own for them; a program
# whose coverage rules judge the visit's authorization (an outcome on episode.authorization(s),
# or PRIOR-AUTHORIZATION-REQUIRED) is not second-guessed by payerkit's warning.


def authorization_limits(case, visit, limits: list[Limit]) -> list[Limit]:
    """``limits`` (the program's), then a limit for each authorization on file the program did
    not give: visits authorized and used up to ``visit``, what is left, its dates and expiry."""
    every = case.episode.all_authorizations
    if not every:
        return limits
    from .rules.plans import AUTHORIZATIONS_ON_FILE, authorization_limit_name
    from .rules.plans import authorization_limits as rows

    given = {limit.name for limit in limits}
    if all(authorization_limit_name(i) in given for i in range(len(every))):
        return limits  # the program's own rows, every one
    return [*limits, *(row for row in rows(case, visit, AUTHORIZATIONS_ON_FILE)
                       if row.name not in given)]


def _speaks_of_authorization(outcome) -> bool:
    return outcome.code == PRIOR_AUTHORIZATION_REQUIRED or \
        (outcome.path or "").startswith("episode.authorization")


def authorization_findings(case, visit, outcomes) -> list[Finding]:
    """A warning when the authorizations on file run out for ``visit`` (an attended one): its
    visits used (``AUTHORIZATION-VISITS-USED``), its dates ended with none covering the visit
    (``AUTHORIZATION-NOT-IN-FORCE``), or one visit left (``AUTHORIZATION-ENDING``), as
    :func:`payerkit.rules.plans.authorization_outcomes` says them. A warning, never an error:
    whether the program needs an authorization is its own rule. Nothing when the program's
    coverage rules (``outcomes``) already speak of the visit's authorization, nor for a visit
    before every authorization's start (not a running out: the program says whether the visit
    needed one)."""
    auths = case.episode.all_authorizations
    if not auths or visit.attendance != "attended" or \
            any(_speaks_of_authorization(o) for o in outcomes):
        return []
    from .rules import plans

    ended = any(a.end is not None and a.end < visit.date for a in auths)
    return [Finding("warning", o.code, o.message, o.path, o.citation)
            for o in plans.authorization_outcomes(case, visit, plans.AUTHORIZATIONS_ON_FILE)
            if o.finding is not None and (o.code != plans.AUTHORIZATION_NOT_IN_FORCE or ended)]
