"""The X12 837 Professional writer, 5010 (005010X222A1), built from a Claim.

One interchange per claim: ISA/GS/ST, the header loops (1000A submitter,
1000B receiver), the billing provider (2000A/2010AA), the subscriber
(2000B/2010BA/2010BB), the patient when not the subscriber (2000C/2010CA),
the claim (2300) with referring/rendering providers (2310A/B) and its service
lines (2400), then SE/GE/IEA.

Every text value goes through :func:`payerkit.formats.x12.clean`, so no data
can carry a delimiter. A value X12 cannot carry at all (an empty required
name, a 5-digit billing ZIP, a pointer past the last diagnosis...) raises
:class:`payerkit.errors.FormatError` naming the claim field, never its
content. Every element size comes from :mod:`payerkit.formats.x12_limits`,
and :func:`check_837p` runs the same checks without writing, for the scrub.

Segment order follows the pyx12 map of the TR3 (``837.5010.X222.A1.xml``).
Each loop is written by one small function appending finished segments (no
terminators) to a list; segments are f-strings because this is a hot path.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..errors import FormatError
from ..model.case import Address, Person, Practitioner, Provider
from ..model.claim import Claim
from .control import next_control_numbers
from .options import ControlNumbers, WriteOptions
from .x12 import clean, d8, number
from .x12_limits import (
    MAX_AMOUNT_CHARS,
    MAX_DIAGNOSES,
    MAX_LINES,
    MAX_MODIFIERS,
    MAX_POINTERS,
    id_size,
    text_size,
)

VERSION = "005010X222A1"
MAX_CONTROL = 999_999_999

_PATIENT_RELATION = {"spouse": "01", "child": "19", "other": "G8"}
_RELATED_CAUSE = {"auto": "AA", "employment": "EM", "other": "OA"}
_TAX_ID_QUALIFIER = {"ein": "EI", "ssn": "SY"}
_SEXES = frozenset("FMU")


def write_837p(claim: Claim, options: WriteOptions) -> bytes:
    """The claim as one 837P interchange: ASCII, each segment ending ``~`` + newline."""
    control = options.control
    if control is None:
        control = next_control_numbers(options.data_dir)
    _check_control(control)
    now = options.now if options.now is not None else dt.datetime.now()
    st02 = f"{control.transaction:04d}"

    # Diagnoses, then lines, first: their errors are more precise than the claim total's.
    hi = _hi(claim.diagnoses)
    lines = _service_lines(claim)
    body = [f"ST*837*{st02}*{VERSION}"]
    _header(body, claim, control, now)
    _billing_provider(body, claim)
    _subscriber(body, claim)
    if not claim.patient_is_insured:
        _patient(body, claim)
    _claim(body, claim, hi)
    _claim_providers(body, claim)
    body.extend(lines)
    body.append(f"SE*{len(body) + 1}*{st02}")

    segments = _envelope_open(claim, control, now)
    segments.extend(body)
    segments.append(f"GE*1*{control.group}")
    segments.append(f"IEA*1*{control.interchange:09d}")
    return ("~\n".join(segments) + "~\n").encode("ascii")


# ---------------------------------------------------------------- envelope


def _check_control(control: ControlNumbers) -> None:
    for name in ("interchange", "group", "transaction"):
        value = getattr(control, name)
        if not 1 <= value <= MAX_CONTROL:
            raise FormatError(f"control.{name}", f"must be 1 to {MAX_CONTROL}")


def _envelope_open(claim: Claim, control: ControlNumbers, now: dt.datetime) -> list[str]:
    sender = _party_id(claim.sender_id, "sender_id")
    receiver = _party_id(claim.receiver_id, "receiver_id")
    usage = claim.usage
    if usage not in ("T", "P"):
        raise FormatError("usage", "must be 'T' or 'P'")
    yymmdd = f"{now.year % 100:02d}{now.month:02d}{now.day:02d}"
    hhmm = f"{now.hour:02d}{now.minute:02d}"
    isa = (
        f"ISA*00*          *00*          *ZZ*{sender:<15}*ZZ*{receiver:<15}*{yymmdd}*{hhmm}"
        f"*^*00501*{control.interchange:09d}*0*{usage}*:"
    )
    gs = f"GS*HC*{sender}*{receiver}*{d8(now.date())}*{hhmm}*{control.group}*X*{VERSION}"
    return [isa, gs]


def _party_id(value: str, field: str) -> str:
    text = clean(value)
    if not 2 <= len(text) <= 15:
        raise FormatError(field, "must be 2 to 15 characters")
    return text


# ---------------------------------------------------------------- header: BHT, 1000A, 1000B


def _header(out: list[str], claim: Claim, control: ControlNumbers, now: dt.datetime) -> None:
    out.append(
        f"BHT*0019*00*{control.interchange:09d}*{d8(now.date())}"
        f"*{now.hour:02d}{now.minute:02d}*CH"
    )
    billing = claim.billing
    entity, name, first = _provider_name(billing)
    sender = _ident(claim.sender_id, "sender_id")
    out.append(f"NM1*41*{entity}*{name}*{first}****46*{sender}")
    if not billing.phone:
        raise FormatError("billing.phone", "required: the provider's phone is the submitter "
                          "contact number (1000A PER), which the 837P requires")
    contact = clean(billing.display_name, text_size("contact"))
    out.append(f"PER*IC*{contact}*TE*{_phone(billing.phone)}")
    receiver = _ident(claim.receiver_id, "receiver_id")
    out.append(f"NM1*40*2*{_text(claim.receiver_name, 'receiver_name')}*****46*{receiver}")


# ---------------------------------------------------------------- 2000A / 2010AA billing provider


def _billing_provider(out: list[str], claim: Claim) -> None:
    billing = claim.billing
    out.append("HL*1**20*1")
    if _rendering(claim) is None:
        out.append(f"PRV*BI*PXC*{_ident(billing.taxonomy, 'billing.taxonomy')}")
    entity, name, first = _provider_name(billing)
    out.append(f"NM1*85*{entity}*{name}*{first}****XX*{_npi(billing.npi, 'billing.npi')}")
    _address(out, billing.address, "billing.address", nine_digit_zip=True)
    qualifier = _TAX_ID_QUALIFIER.get(billing.tax_id_type)
    if qualifier is None:
        raise FormatError("billing.tax_id_type", "must be 'ein' or 'ssn'")
    tax_id = billing.tax_id.replace("-", "").replace(" ", "")
    if not (len(tax_id) == 9 and tax_id.isascii() and tax_id.isdigit()):
        raise FormatError("billing.tax_id", "must have 9 digits")
    out.append(f"REF*{qualifier}*{tax_id}")


def _provider_name(billing: Provider) -> tuple[str, str, str]:
    """NM102 entity type, NM103, NM104 for the billing provider."""
    if billing.is_organization:
        return "2", _text(billing.name, "billing.name"), ""
    return (
        "1",
        _text(billing.last_name or "", "billing.last_name"),
        clean(billing.first_name or "", text_size("first_name")),
    )


# -------------------------------------------------------- 2000B / 2010BA / 2010BB subscriber


def _subscriber(out: list[str], claim: Claim) -> None:
    self_ = claim.patient_is_insured
    out.append("HL*2*1*22*0" if self_ else "HL*2*1*22*1")
    group = clean(claim.group_number, text_size("group_number")) if claim.group_number else ""
    filing = _ident(claim.filing_indicator, "filing_indicator")
    out.append(f"SBR*P*{'18' if self_ else ''}*{group}******{filing}")
    insured = claim.insured
    member_id = _ident(claim.member_id, "member_id")
    last, first = _person_name(insured, "insured")
    out.append(f"NM1*IL*1*{last}*{first}****MI*{member_id}")
    if self_:
        _address(out, insured.address, "insured.address")
        out.append(_dmg(insured, "insured"))
        _pc_claim_number(out, claim)
    payer_id = _ident(claim.payer_id, "payer_id")
    out.append(f"NM1*PR*2*{_text(claim.payer_name, 'payer_name')}*****PI*{payer_id}")


# ---------------------------------------------------------------- 2000C / 2010CA patient


def _patient(out: list[str], claim: Claim) -> None:
    code = _PATIENT_RELATION.get(claim.relation)
    if code is None:
        raise FormatError("relation", "must be 'self', 'spouse', 'child' or 'other'")
    out.append("HL*3*2*23*0")
    out.append(f"PAT*{code}")
    patient = claim.patient
    last, first = _person_name(patient, "patient")
    out.append(f"NM1*QC*1*{last}*{first}" if first else f"NM1*QC*1*{last}")
    _address(out, patient.address, "patient.address")
    out.append(_dmg(patient, "patient"))
    _pc_claim_number(out, claim)


def _pc_claim_number(out: list[str], claim: Claim) -> None:
    number_ = claim.property_casualty_claim_number
    if number_:
        out.append(f"REF*Y4*{_ident(number_, 'property_casualty_claim_number')}")


# ---------------------------------------------------------------- 2300 claim


def _claim(out: list[str], claim: Claim, hi: str) -> None:
    claim_id = _ident(claim.id, "id")
    pos = _ident(claim.place_of_service, "place_of_service")
    cause = claim.related_cause
    accident = None
    if cause is None:
        related = ""
    else:
        code = _RELATED_CAUSE.get(cause)
        if code is None:
            raise FormatError("related_cause", "must be 'auto', 'employment' or 'other'")
        if code == "AA":
            if not claim.accident_state:
                raise FormatError("accident_state", "required when related_cause is 'auto'")
            related = f"**AA:::{_ident(claim.accident_state, 'accident_state')}"
        else:
            related = f"**{code}"
        accident = claim.accident_date
        if accident is None and code != "EM":
            raise FormatError("accident_date", f"required when related_cause is {cause!r}")
    total = _amount(claim.total_charge, "total_charge")
    signature = "Y" if claim.provider_signature_on_file else "N"
    assignment = "A" if claim.accepts_assignment else "C"
    benefits = "Y" if claim.benefits_assigned else "N"
    release = claim.release_of_information
    if release not in ("Y", "I"):
        raise FormatError("release_of_information", "must be 'Y' or 'I'")
    out.append(f"CLM*{claim_id}*{total}***{pos}:B:1*{signature}*{assignment}*{benefits}"
               f"*{release}{related}")
    if accident is not None:
        out.append(f"DTP*439*D8*{d8(accident)}")
    elif claim.onset_date is not None:
        out.append(f"DTP*431*D8*{d8(claim.onset_date)}")
    if claim.prior_authorization:
        out.append(f"REF*G1*{_ident(claim.prior_authorization, 'prior_authorization')}")
    out.append(hi)


def _hi(diagnoses: tuple[str, ...]) -> str:
    if not 1 <= len(diagnoses) <= MAX_DIAGNOSES:
        raise FormatError("diagnoses", "a claim carries 1 to 12 diagnosis codes")
    parts = []
    for i, code in enumerate(diagnoses):
        text = clean(code.replace(".", ""))
        if not text or " " in text or len(text) > 30:
            raise FormatError(f"diagnoses[{i}]", "not a diagnosis code")
        parts.append(f"ABF:{text}" if parts else f"ABK:{text}")
    return "HI*" + "*".join(parts)


# ---------------------------------------------------------------- 2310A referring, 2310B rendering


def _rendering(claim: Claim) -> Practitioner | None:
    """The rendering provider when it must be sent: only when it is not the billing NPI."""
    rendering = claim.rendering
    if rendering is None or rendering.npi == claim.billing.npi:
        return None
    return rendering


def _claim_providers(out: list[str], claim: Claim) -> None:
    if claim.referring is not None:
        out.append(_practitioner_nm1("DN", claim.referring, "referring"))
    rendering = _rendering(claim)
    if rendering is not None:
        out.append(_practitioner_nm1("82", rendering, "rendering"))
        taxonomy = rendering.taxonomy or claim.billing.taxonomy
        out.append(f"PRV*PE*PXC*{_ident(taxonomy, 'rendering.taxonomy')}")


def _practitioner_nm1(entity: str, who: Practitioner, field: str) -> str:
    last = _text(who.last_name, f"{field}.last_name")
    first = clean(who.first_name or "", text_size("first_name"))
    return f"NM1*{entity}*1*{last}*{first}****XX*{_npi(who.npi, f'{field}.npi')}"


# ---------------------------------------------------------------- 2400 service lines


def _service_lines(claim: Claim) -> list[str]:
    lines = claim.lines
    if not 1 <= len(lines) <= MAX_LINES:
        raise FormatError("lines", "an 837P claim carries 1 to 50 service lines")
    out: list[str] = []
    claim_pos = claim.place_of_service
    n_diagnoses = len(claim.diagnoses)
    for n, line in enumerate(lines, 1):
        field = f"lines[{n - 1}]"
        procedure = _ident(line.code, f"{field}.code")
        modifiers = line.modifiers
        if modifiers:
            if len(modifiers) > MAX_MODIFIERS:
                raise FormatError(f"{field}.modifiers", "at most 4")
            for m in modifiers:
                text = clean(m)
                if len(text) != 2 or " " in text:
                    raise FormatError(f"{field}.modifiers", "each modifier has 2 characters")
                procedure += ":" + text
        charge = _amount(line.charge, f"{field}.charge")
        units = line.units
        if not units > 0:
            raise FormatError(f"{field}.units", "must be positive")
        pos = ""
        if line.place_of_service != claim_pos:
            pos = _ident(line.place_of_service, f"{field}.place_of_service")
        pointers = line.pointers
        if not 1 <= len(pointers) <= MAX_POINTERS:
            raise FormatError(f"{field}.pointers", "1 to 4 diagnosis pointers")
        for p in pointers:
            if not (isinstance(p, int) and 1 <= p <= n_diagnoses):
                raise FormatError(f"{field}.pointers", f"each must be 1 to {n_diagnoses}")
        pointer_text = ":".join(map(str, pointers))
        out.append(f"LX*{n}")
        out.append(f"SV1*HC:{procedure}*{charge}*UN*{number(units)}*{pos}**{pointer_text}")
        out.append(f"DTP*472*D8*{d8(line.date)}")
        if line.control_number:
            out.append(f"REF*6R*{_ident(line.control_number, f'{field}.control_number')}")
    return out


# ---------------------------------------------------------------- shared pieces


def _text(value: str | None, field: str) -> str:
    """Required free text (a name): cleaned and cut to the element's size."""
    text = clean(value, text_size(field)) if value else ""
    if not text:
        raise FormatError(field, "required, and empty without characters X12 cannot carry")
    return text


def _ident(value: str | None, field: str) -> str:
    """A required identifier or code: cleaned, never cut (a cut ID is a wrong ID)."""
    minimum, limit = id_size(field)
    text = clean(value) if value else ""
    if not minimum <= len(text) <= limit:
        raise FormatError(field, f"must be {minimum} to {limit} characters")
    return text


def _person_name(person: Person, field: str) -> tuple[str, str]:
    first = clean(person.first_name or "", text_size("first_name"))
    return _text(person.last_name, f"{field}.last_name"), first


def _address(out: list[str], address: Address, field: str, nine_digit_zip: bool = False) -> None:
    line1 = _text(address.line1, f"{field}.line1")
    line2 = clean(address.line2, text_size("line2")) if address.line2 else ""
    out.append(f"N3*{line1}*{line2}" if line2 else f"N3*{line1}")
    city = _text(address.city, f"{field}.city")
    if len(city) < 2:
        raise FormatError(f"{field}.city", "must be 2 to 30 characters")
    state = _ident(address.state, f"{field}.state")
    zip_ = address.zip.replace("-", "").replace(" ", "")
    if not (zip_.isascii() and zip_.isdigit() and len(zip_) in (5, 9)):
        raise FormatError(f"{field}.zip", "must be 5 or 9 digits")
    if nine_digit_zip and len(zip_) != 9:
        raise FormatError(f"{field}.zip", "the billing provider needs a 9-digit ZIP+4")
    out.append(f"N4*{city}*{state}*{zip_}")


def _dmg(person: Person, field: str) -> str:
    if person.sex not in _SEXES:
        raise FormatError(f"{field}.sex", "must be 'F', 'M' or 'U'")
    return f"DMG*D8*{d8(person.birth_date)}*{person.sex}"


def _npi(value: str, field: str) -> str:
    if not (len(value) == 10 and value.isascii() and value.isdigit()):
        raise FormatError(field, "an NPI has 10 digits")
    return value


def _phone(value: str) -> str:
    digits = "".join(c for c in value if "0" <= c <= "9")
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    if len(digits) != 10:
        raise FormatError("billing.phone", "must be a 10-digit US phone number")
    return digits


def _amount(value: Decimal | int, field: str) -> str:
    text = number(value)
    if text[0] == "-" or len(text.partition(".")[2]) > 2:
        raise FormatError(field, "must be a non-negative amount in dollars and cents")
    if len(text) > MAX_AMOUNT_CHARS:
        raise FormatError(field, f"an amount of at most {MAX_AMOUNT_CHARS} characters")
    return text


_DRY_RUN = WriteOptions(ControlNumbers(1, 1, 1), dt.datetime(2000, 1, 1))


def check_837p(claim: Claim) -> list[tuple[str, str]]:
    """The problem that would stop :func:`write_837p`, as ``[(claim field, problem)]``.

    Runs the writer itself with fixed control numbers and clock (nothing is
    written, no counter is touched), so the scrub and the writer cannot
    disagree.
    """
    try:
        write_837p(claim, _DRY_RUN)
    except FormatError as exc:
        return [(exc.field, exc.problem)]
    return []


__all__ = ["VERSION", "check_837p", "write_837p"]
