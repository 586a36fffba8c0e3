"""A plain 837P generator: the yardstick for payerkit's writer (``bench_837p.py``).

The same bytes as :func:`payerkit.formats.x12_837p.write_837p` and
:class:`~payerkit.formats.x12_837p.Interchange837P` for claims the writer accepts, written
the plain way: one f-string per segment, no checks. Names and addresses go through the
writer's own text primitive (:func:`payerkit.formats.x12.clean`, cut to the element's
size) and amounts through :func:`payerkit.formats.x12.number`, as any generator has to
transliterate, cut and format them; identifiers are upper-cased. It refuses nothing: give
it a claim the writer refuses and it writes something the writer would not.

The tests use it as an oracle (``tests/formats/test_x12_837p_reference.py``): for varied
claims the writer writes exactly these bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from payerkit.formats.x12 import clean, number
from payerkit.model.case import Address, Person
from payerkit.model.claim import Claim

VERSION = "005010X222A1"
RELATION = {"spouse": "01", "child": "19", "other": "G8", "employee": "20"}
CAUSE = {"auto": "AA", "employment": "EM", "other": "OA"}


def claim_837p(claim: Claim, control: tuple[int, int, int], now: dt.datetime) -> bytes:
    """One claim as one interchange: ``control`` is ISA13, GS06, ST02 (BHT03 is ISA13)."""
    isa13, gs06, st02 = control
    billing, loops = _claim_loops(claim)
    body = [*_submitter_receiver(claim), "HL*1**20*1", *billing, *_numbered(loops, 2, 1)]
    segments = [*_envelope(claim, isa13, str(gs06), now),
                f"ST*837*{st02:04d}*{VERSION}", _bht(f"{isa13:09d}", now), *body,
                f"SE*{len(body) + 3}*{st02:04d}", f"GE*1*{gs06}", f"IEA*1*{isa13:09d}", ""]
    return "~\n".join(segments).encode("ascii")


def interchange_837p(claims: Iterable[Claim], numbers: Iterator[int], now: dt.datetime,
                     per_transaction: int = 5000) -> bytes:
    """Claims of one sender, receiver and usage as one interchange: ISA13 (= GS06) the first
    of ``numbers``, then one for each ST02 (= BHT03); a new ST/SE every ``per_transaction``
    claims or when the submitter or the receiver's name changes, a new 2000A when the billing
    provider's segments change."""
    segments: list[str] = []
    isa13 = st02 = header = last_billing = None
    transactions = st_claims = st_start = hl = billing_hl = 0
    for claim in claims:
        if isa13 is None:
            isa13 = next(numbers)
            segments += _envelope(claim, isa13, str(isa13), now)
        claim_header = _submitter_receiver(claim)
        if st02 is None or claim_header != header or st_claims == per_transaction:
            if st02 is not None:
                segments.append(f"SE*{len(segments) - st_start + 1}*{st02}")
            st02 = f"{next(numbers):04d}"
            st_start = len(segments)
            segments += [f"ST*837*{st02}*{VERSION}", _bht(st02, now), *claim_header]
            header, last_billing, hl, st_claims = claim_header, None, 0, 0
            transactions += 1
        billing, loops = _claim_loops(claim)
        if billing != last_billing:
            hl = billing_hl = hl + 1
            segments += [f"HL*{hl}**20*1", *billing]
            last_billing = billing
        segments += _numbered(loops, hl + 1, billing_hl)
        hl += 1 if loops[1] is None else 2
        st_claims += 1
    segments += [f"SE*{len(segments) - st_start + 1}*{st02}", f"GE*{transactions}*{isa13}",
                 f"IEA*1*{isa13:09d}", ""]
    return "~\n".join(segments).encode("ascii")


def _numbered(loops: tuple, hl: int, billing_hl: int) -> list[str]:
    """2000B (HL ``hl`` under ``billing_hl``), 2000C when there is a patient, 2300 on."""
    subscriber, patient, claim = loops
    out = [f"HL*{hl}*{billing_hl}*22*{0 if patient is None else 1}", *subscriber]
    if patient is not None:
        out += [f"HL*{hl + 1}*{hl}*23*0", *patient]
    return out + claim


def _date(day: dt.date) -> str:
    return day.isoformat().replace("-", "")


def _envelope(claim: Claim, isa13: int, gs06: str, now: dt.datetime) -> list[str]:
    sender, receiver = claim.sender_id.upper(), claim.receiver_id.upper()
    day, hhmm = _date(now.date()), f"{now.hour:02d}{now.minute:02d}"
    return [f"ISA*00*          *00*          *ZZ*{sender:<15}*ZZ*{receiver:<15}*{day[2:]}"
            f"*{hhmm}*^*00501*{isa13:09d}*0*{claim.usage}*:",
            f"GS*HC*{sender}*{receiver}*{day}*{hhmm}*{gs06}*X*{VERSION}"]


def _bht(number_: str, now: dt.datetime) -> str:
    return f"BHT*0019*00*{number_}*{_date(now.date())}*{now.hour:02d}{now.minute:02d}*CH"


def _provider_name(claim: Claim) -> str:
    """NM102 to NM104 of the billing provider."""
    billing = claim.billing
    if billing.is_organization:
        return f"2*{clean(billing.name, 60)}*"
    return f"1*{clean(billing.last_name, 60)}*{clean(billing.first_name or '', 35)}"


def _submitter_receiver(claim: Claim) -> list[str]:
    """1000A submitter and 1000B receiver."""
    billing = claim.billing
    if billing.is_organization:
        contact = billing.name
    else:
        contact = " ".join(p for p in (billing.first_name, billing.last_name) if p)
    phone = "".join(c for c in billing.phone if c.isdigit())[-10:]
    return [f"NM1*41*{_provider_name(claim)}****46*{claim.sender_id.upper()}",
            f"PER*IC*{clean(contact, 60)}*TE*{phone}",
            f"NM1*40*2*{clean(claim.receiver_name, 60)}*****46*{claim.receiver_id.upper()}"]


def _claim_loops(claim: Claim) -> tuple[list[str], tuple]:
    """2000A's segments after its HL, and (2000B, 2000C or ``None``, 2300 on) after theirs."""
    rendering = claim.rendering
    if rendering is not None and rendering.npi == claim.billing.npi:
        rendering = None
    billing = claim.billing
    out = [f"PRV*BI*PXC*{billing.taxonomy.upper()}"] if rendering is None else []
    out.append(f"NM1*85*{_provider_name(claim)}****XX*{billing.npi}")
    _address(out, billing.address)
    qualifier = "EI" if billing.tax_id_type == "ein" else "SY"
    out.append(f"REF*{qualifier}*{billing.tax_id.replace('-', '').replace(' ', '')}")
    patient = None if claim.relation == "self" else _patient(claim)
    return out, (_subscriber(claim), patient, _claim(claim, rendering))


def _address(out: list[str], address: Address) -> None:
    line2 = clean(address.line2, 55) if address.line2 else ""
    out.append(f"N3*{clean(address.line1, 55)}*{line2}" if line2
               else f"N3*{clean(address.line1, 55)}")
    zip_ = address.zip.replace("-", "").replace(" ", "")
    out.append(f"N4*{clean(address.city, 30)}*{address.state.upper()}*{zip_}")


def _dmg(person: Person) -> str:
    return f"DMG*D8*{_date(person.birth_date)}*{person.sex}"


def _subscriber(claim: Claim) -> list[str]:
    self_ = claim.relation == "self"
    group = (claim.group_number or "").upper()
    out = [f"SBR*P*{'18' if self_ else ''}*{group}******{claim.filing_indicator.upper()}"]
    member = claim.member_id.upper()
    if claim.relation == "employee":
        out.append(f"NM1*IL*2*{clean(claim.employer, 60)}*****MI*{member}")
    else:
        insured = claim.insured
        out.append(f"NM1*IL*1*{clean(insured.last_name, 60)}*"
                   f"{clean(insured.first_name or '', 35)}****MI*{member}")
    if self_:
        _address(out, claim.insured.address)
        out.append(_dmg(claim.insured))
        if claim.property_casualty_claim_number:
            out.append(f"REF*Y4*{claim.property_casualty_claim_number.upper()}")
    out.append(f"NM1*PR*2*{clean(claim.payer_name, 60)}*****PI*{claim.payer_id.upper()}")
    return out


def _patient(claim: Claim) -> list[str]:
    patient = claim.patient
    first, last = clean(patient.first_name or "", 35), clean(patient.last_name, 60)
    out = [f"PAT*{RELATION[claim.relation]}",
           f"NM1*QC*1*{last}*{first}" if first else f"NM1*QC*1*{last}"]
    _address(out, patient.address)
    out.append(_dmg(patient))
    if claim.property_casualty_claim_number:
        out.append(f"REF*Y4*{claim.property_casualty_claim_number.upper()}")
    return out


def _claim(claim: Claim, rendering) -> list[str]:
    """2300, 2310A/B, 2400."""
    related = ""
    if claim.related_cause is not None:
        code = CAUSE[claim.related_cause]
        related = f"**AA:::{claim.accident_state.upper()}" if code == "AA" else f"**{code}"
    total = number(sum(line.charge for line in claim.lines))
    out = [f"CLM*{claim.id.upper()}*{total}***{claim.place_of_service.upper()}:B:"
           f"{claim.frequency}*{'Y' if claim.provider_signature_on_file else 'N'}"
           f"*{'A' if claim.accepts_assignment else 'C'}"
           f"*{'Y' if claim.benefits_assigned else 'N'}*{claim.release_of_information}{related}"]
    if claim.onset_date is not None:
        out.append(f"DTP*431*D8*{_date(claim.onset_date)}")
    if claim.related_cause is not None and claim.accident_date is not None:
        out.append(f"DTP*439*D8*{_date(claim.accident_date)}")
    if claim.prior_authorization:
        out.append(f"REF*G1*{claim.prior_authorization.upper()}")
    if claim.frequency != "1":
        out.append(f"REF*F8*{claim.original_claim_number.upper()}")
    codes = [code.replace(".", "").upper() for code in claim.diagnoses]
    out.append("HI*" + "*".join(f"{'ABF' if i else 'ABK'}:{code}"
                                for i, code in enumerate(codes)))
    for who, entity in ((claim.referring, "DN"), (rendering, "82")):
        if who is not None:
            out.append(f"NM1*{entity}*1*{clean(who.last_name, 60)}*"
                       f"{clean(who.first_name or '', 35)}****XX*{who.npi}")
    if rendering is not None:
        out.append(f"PRV*PE*PXC*{(rendering.taxonomy or claim.billing.taxonomy).upper()}")
    for i, line in enumerate(claim.lines, start=1):
        procedure = ":".join((line.code, *line.modifiers)).upper()
        pos = "" if line.place_of_service == claim.place_of_service else \
            line.place_of_service.upper()
        pointers = ":".join(str(p) for p in line.pointers)
        out.append(f"LX*{i}")
        out.append(f"SV1*HC:{procedure}*{number(line.charge)}*UN*{line.units}*{pos}**{pointers}")
        out.append(f"DTP*472*D8*{_date(line.date)}")
        if line.control_number:
            out.append(f"REF*6R*{line.control_number.upper()}")
    return out
