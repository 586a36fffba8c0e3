"""From a case, its program and its priced visits to the one :class:`Claim` every writer renders."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from .model import Case, Claim, ClaimLine, Pricing, Program, Visit
from .model.claim import MissedCharge
from .paths import field_path, visit_index, visit_path
from .rules.codes import normalize_icd
from .rules.money import total

RELATED_CAUSE = {"auto_accident": "auto", "work_injury": "employment", "other_accident": "other"}
#: The line of business whose insured is always the employer (X12 RFI 1925: "the employer
#: (who is always the subscriber in workers' compensation)").
WORKERS_COMP = "workers_comp"
#: ``[claim] frequency`` → X12 CLM05-3 (CMS-1500 box 22's resubmission code).
FREQUENCY = {"original": "1", "replacement": "7", "void": "8"}


def claim_id(case: Case, visit: Visit | Sequence[Visit]) -> str:
    """A stable patient control number for the visits billed: the patient account number
    of every form (837P CLM01, CMS-1500 box 26, the NF-3's bill number, the superbill's
    statement number).

    The case may give its own (``claim.claim_id``); otherwise ``PK``, the first date of
    service as ``YYMMDD`` and 6 letters and digits of a digest (base 32) of the program,
    the member id (the claim number in workers' compensation without one) and the visits'
    dates: 14 characters, letters and digits only, so box 26 (14 characters, no hyphens)
    holds it exactly as CLM01 says it. The same visits
    always get the same number, and no patient data is readable from it.
    """
    if case.claim.claim_id:
        return case.claim.claim_id
    visits = _visits(visit)
    dates = ",".join(v.date.isoformat() for v in visits)
    coverage = case.coverage
    insured = coverage.member_id if coverage.member_id is not None else coverage.claim_number
    # surrogatepass: a lone surrogate (from JSON) must not crash here; the writer refuses it
    digest = hashlib.sha256(
        f"{case.program}|{insured}|{dates}".encode("utf-8", "surrogatepass")
    ).digest()
    # the first 6 characters of the digest in base 32 (RFC 4648): its first 30 bits
    bits = int.from_bytes(digest[:4], "big") >> 2
    letters = "".join(BASE32[bits >> shift & 31] for shift in (25, 20, 15, 10, 5, 0))
    first = visits[0].date
    return f"PK{first.year % 100:02d}{first.month:02d}{first.day:02d}{letters}"


#: RFC 4648's base 32 alphabet: the letters and digits of payerkit's short ids.
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _visits(visit: Visit | Sequence[Visit]) -> tuple[Visit, ...]:
    return (visit,) if isinstance(visit, Visit) else tuple(visit)


def build_claim(case: Case, program: Program, visit: Visit | Sequence[Visit],
                pricing: Pricing | Sequence[Pricing]) -> Claim:
    """The claim for one visit and its pricing, or for several visits (in date order) and the
    pricing of each: one line per billed service (a line with no unit is left out), in date
    order, each with its own date and place of service. The pipeline builds it once per
    evaluation (:class:`payerkit.pipeline.Run`)."""
    visits = _visits(visit)
    return _build(case, program, visits, (pricing,) if isinstance(pricing, Pricing)
                  else tuple(pricing))


def _build(case: Case, program: Program, visits: tuple[Visit, ...],
           pricings: tuple[Pricing, ...]) -> Claim:
    if not visits or len(visits) != len(pricings):
        raise ValueError("build_claim needs one pricing for each visit, and at least one visit")
    episode, coverage, sub = case.episode, case.coverage, case.claim
    cause = RELATED_CAUSE.get(episode.kind)
    if cause is None and episode.employment_related:
        cause = "employment"
    payer_id = coverage.payer_id or program.payer_id or ""
    payer_name = coverage.insurer or program.name
    rendering = case.rendering
    if rendering is not None and rendering.npi == case.provider.npi:
        rendering = None
    priced = [(visit_index(case, v), v, j, line)
              for v, p in sorted(zip(visits, pricings, strict=True), key=lambda vp: vp[0].date)
              for j, line in enumerate(p.lines) if line.units > 0]
    # a missed appointment's services are the patient's charge: kept apart, never a line
    billed = [b for b in priced if b[1].attendance == "attended"]
    missed = [MissedCharge(line.date, v.attendance, line.code, line.charge, index, j)
              for index, v, j, line in priced if v.attendance != "attended"]
    claim_auth, line_auths = _authorizations(case, visits, [v for _, v, _, _ in billed])
    lines = [
        ClaimLine(line.date, line.code, line.units, line.charge, line.diagnoses, line.modifiers,
                  v.place_of_service, str(i), j, index, line.minutes, auth)
        for i, ((index, v, j, line), auth) in enumerate(zip(billed, line_auths, strict=True),
                                                        start=1)
    ]
    # the claim's place (CLM05-1) is its lines' most common; each line keeps its own (SV105)
    places = Counter(line.place_of_service for line in lines).most_common(1)
    place = places[0][0] if places else min(visits, key=lambda v: v.date).place_of_service
    attended = [v for v in visits if v.attendance == "attended"]
    workers_comp = program.line_of_business == WORKERS_COMP
    if workers_comp:  # the employer is the insured; a [subscriber] has no place in the claim
        relation = "employee"
    else:
        relation = "self" if case.subscriber is None else case.subscriber.relationship
    return Claim(
        id=claim_id(case, visits),
        program_id=program.id,
        billing=case.provider,
        insured=case.patient if workers_comp else case.insured,
        patient=case.patient,
        relation=relation,
        member_id=coverage.member_id,
        payer_name=payer_name,
        payer_id=payer_id,
        filing_indicator=program.claim_filing_indicator,
        diagnoses=[_diagnosis(code) for code in episode.diagnoses],
        lines=lines,
        place_of_service=place,
        group_number=coverage.group_number,
        property_casualty_claim_number=(
            coverage.claim_number if program.line_of_business in ("auto", WORKERS_COMP) else None),
        rendering=rendering,
        referring=episode.prescription.prescriber if episode.prescription else None,
        related_cause=cause,
        accident_state=episode.state if cause == "auto" else None,
        # the case's one date is the onset of the condition (DTP*431, box 14) and, for an
        # accident or injury, also the accident's date (DTP*439, box 15)
        accident_date=episode.onset_date if cause is not None else None,
        onset_date=episode.onset_date,
        prior_authorization=claim_auth,
        sender_id=sub.sender_id or case.provider.npi,
        receiver_id=sub.receiver_id or payer_id,
        receiver_name=sub.receiver_name or payer_name,
        usage=sub.usage,
        provider_signature_on_file=sub.provider_signature_on_file,
        accepts_assignment=sub.accepts_assignment,
        # not recorded is not assigned: CLM08 and box 13 attest a signed form (documented)
        benefits_assigned=sub.benefits_assigned is True,
        release_of_information=sub.release_of_information,
        # an unknown frequency goes to the writers as given, which refuse it by its field
        frequency=FREQUENCY.get(sub.frequency, sub.frequency),
        original_claim_number=sub.original_claim_number if sub.frequency != "original" else None,
        payer_address=coverage.insurer_address,
        amount_paid=_paid(attended),
        visit_payments=[(index, v.amount_paid) for index, v in sorted(
            ((visit_index(case, v), v) for v in attended), key=lambda iv: iv[1].date)
            if v.amount_paid is not None],
        missed=missed,
        first_visit_date=case.visits[0].date,
        employer=coverage.employer if workers_comp else None,
        employer_address=coverage.employer_address if workers_comp else None,
    )


def _authorizations(case: Case, visits: tuple[Visit, ...], billed: list[Visit]
                    ) -> tuple[str | None, list[str | None]]:
    """The claim's authorization, and each billed line's (by its visit).

    Each visit's is the one on file covering its date
    (:func:`payerkit.rules.plans.covering_authorization`). One authorization among the
    claim's visits: the claim carries it (837P 2300 ``REF*G1``), the lines none. Several: the
    claim none, each line its visit's (2400 ``REF*G1``: the TR3 wants it where a line's
    differs from the claim's)."""
    if not case.episode.all_authorizations:
        return None, [None] * len(billed)
    from .rules.plans import covering_authorization

    found = {v.date: covering_authorization(case, v.date) for v in visits}
    per_line = [None if found[v.date] is None else found[v.date].number for v in billed]
    on_lines = list(dict.fromkeys(n for n in per_line if n is not None))
    if len(on_lines) > 1:
        return None, per_line
    numbers = list(dict.fromkeys(a.number for a in found.values() if a is not None))
    if len(numbers) > 1:  # the others' visits have no billed line
        numbers = on_lines
    return (numbers[0] if numbers else None), [None] * len(billed)


def _paid(visits) -> Decimal | None:
    """What the patient paid for these visits; ``None`` when no visit records it."""
    paid = [v.amount_paid for v in visits if v.amount_paid is not None]
    return total(paid) if paid else None


def _diagnosis(code: str) -> str:
    """An ICD-10-CM code with its dot in place (``m542`` → ``M54.2``); a code with anything
    but ASCII, or with spaces around it, goes to the writer as given, which refuses it:
    a code is never altered into another one (``ſ13.4XXA`` is not ``S13.4XXA``)."""
    if code.isascii() and code == code.strip():
        return normalize_icd(code)
    return code


#: Where each claim field comes from in the case, for errors a writer reports by claim field.
_CASE_FIELDS = {
    "billing": "provider", "rendering": "rendering", "referring": "episode.prescription.prescriber",
    "patient": "patient", "member_id": "coverage.member_id", "group_number": "coverage.group_number",
    "property_casualty_claim_number": "coverage.claim_number", "payer_id": "coverage.payer_id",
    "payer_name": "coverage.insurer", "prior_authorization": "episode.authorization.number",
    "accident_state": "episode.state", "accident_date": "episode.onset_date",
    "onset_date": "episode.onset_date", "related_cause": "episode.kind",
    "diagnoses": "episode.diagnoses", "id": "claim.claim_id", "sender_id": "claim.sender_id",
    "receiver_id": "claim.receiver_id", "receiver_name": "claim.receiver_name",
    "relation": "subscriber.relationship",
    "usage": "claim.usage", "provider_signature_on_file": "claim.provider_signature_on_file",
    "payer_address": "coverage.insurer_address",
    "accepts_assignment": "claim.accepts_assignment", "benefits_assigned": "claim.benefits_assigned",
    "release_of_information": "claim.release_of_information", "frequency": "claim.frequency",
    "original_claim_number": "claim.original_claim_number",
    "employer": "coverage.employer", "employer_address": "coverage.employer_address",
}
#: A claim line's fields that the case's service calls otherwise.
_LINE_FIELDS = {"pointers": "diagnoses"}
#: Claim fields that fall back on another case field when the case leaves them out.
_FALLBACKS = {
    "sender_id": ("claim", "sender_id", "provider.npi"),
    "receiver_id": ("claim", "receiver_id", "coverage.payer_id"),
    "receiver_name": ("claim", "receiver_name", "coverage.insurer"),
}


def case_path(claim_path: str, case: Case, visit: Visit | Sequence[Visit],
              claim: Claim | None = None) -> str:
    """The case field behind a claim field: ``insured.address.city`` → ``subscriber.address.city``.

    Line fields name their visit's services (``lines[1].code`` →
    ``visits[0].services[1].code``; the pointers are the service's ``diagnoses``),
    except the visit's own fields (the date,
    the place of service); the claim total names the services' charges. A claim
    field the case left out names the field it came from instead
    (``receiver_id`` → ``coverage.payer_id``). ``visit`` is the visit billed, or the
    visits; with several, a line names its own visit (``claim.lines[n].visit``), and the
    number of lines and the total name ``visits``.
    """
    visits = _visits(visit)
    head, dot, rest = claim_path.partition(".")
    head, bracket, index = head.partition("[")
    at = visit_path(case, visits[0])
    if head == "insured":
        base = "patient" if case.subscriber is None else "subscriber"
    elif head == "lines":
        line = int(index.rstrip("]")) if index.rstrip("]").isdigit() else None
        known = claim is not None and line is not None and line < len(claim.lines)
        if known and claim.lines[line].visit is not None:
            at = field_path("visits", claim.lines[line].visit)
        elif line is None and len(visits) > 1:
            return "visits"
        if rest in ("date", "place_of_service"):
            return field_path(at, rest)
        if rest == "prior_authorization":  # the authorization covering the line's visit
            return _authorization_path(case, claim.lines[line].prior_authorization
                                       if known else None)
        base = field_path(at, "services")
        rest = _LINE_FIELDS.get(rest, rest)
        if known and claim.lines[line].service is not None:
            index = f"{claim.lines[line].service}]"
    elif head == "place_of_service":
        if claim is not None:
            same = [v for v in visits if v.place_of_service == claim.place_of_service]
            return visit_path(case, (same or visits)[0], "place_of_service")
        return field_path(at, "place_of_service")
    elif head == "total_charge":
        return field_path(at, "services") if len(visits) == 1 else "visits"
    elif head == "amount_paid":  # the sum of the visits' payments: the one that records it
        paying = [v for v in visits if v.amount_paid is not None] or visits
        return visit_path(case, paying[0], "amount_paid") if len(paying) == 1 else "visits"
    elif head == "prior_authorization" and claim is not None:
        return _authorization_path(case, claim.prior_authorization)
    elif head in _FALLBACKS and not dot:
        table, name, fallback = _FALLBACKS[head]
        return f"{table}.{name}" if getattr(getattr(case, table), name) else fallback
    else:
        base = _CASE_FIELDS.get(head, head)
    return f"{base}{bracket}{index}{dot}{rest}"


def _authorization_path(case: Case, number: str | None) -> str:
    """The case field of the authorization numbered ``number`` (its ``number``)."""
    from .rules.plans import authorization_path

    for auth in case.episode.all_authorizations:
        if auth.number == number:
            return authorization_path(case, auth) + ".number"
    return "episode.authorization.number" if case.episode.authorization is not None or \
        not case.episode.authorizations else "episode.authorizations"
