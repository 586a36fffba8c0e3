"""The X12 837 Professional writer, 5010 (005010X222A1), built from a Claim.

One interchange per claim: ISA/GS/ST, the header loops (1000A submitter,
1000B receiver), the billing provider (2000A/2010AA), the subscriber
(2000B/2010BA/2010BB), the patient when not the subscriber (2000C/2010CA),
the claim (2300) with referring/rendering providers (2310A/B) and its service
lines (2400, up to 50; each with its own date, and its place of service when
not the claim's), then SE/GE/IEA. A replacement or void (CLM05-3 ``7``/``8``)
carries the payer's claim control number of the claim it corrects (REF*F8).

Identifiers and codes are written as given (ASCII letters upper-cased) or
refused, never altered (:func:`payerkit.formats.x12.identifier`); names and
addresses are transliterated to the X12 basic set and cut to the element's
size (:func:`payerkit.formats.x12.clean`), so no data can carry a delimiter.
A value X12 cannot carry (an identifier with a delimiter, a name with nothing
left, a 5-digit billing ZIP, a pointer past the last diagnosis, a birth date
after the service...) raises :class:`payerkit.errors.FormatError` naming the
claim field, never its content. Every element size comes from
:mod:`payerkit.formats.x12_limits`. :func:`check_837p` runs the writer itself
without writing and collects every such problem instead of stopping at the
first, for the scrub; :func:`text_changes_837p` lists the names and addresses
written differently from what was given, for the scrub's warnings.

Segment order follows the pyx12 map of the TR3 (``837.5010.X222.A1.xml``).
Each loop is written by one small function appending finished segments (no
terminators) to a list; segments are f-strings because this is a hot path.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache

from ..errors import FormatError
from ..model.case import Address, Person, Practitioner, Provider
from ..model.claim import Claim
from .control import next_control_numbers
from .options import ControlNumbers, WriteOptions
from .x12 import clean, d8, identifier_problem, number, transliterated
from .x12_limits import (
    EARLIEST_DATE,
    LATEST_DATE,
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
#: CLM05-3: 1 original, 7 replacement of a prior claim, 8 void of a prior claim.
_FREQUENCIES = frozenset("178")
_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")

#: Set by :func:`check_837p`: the problems found so far. While set, a refused value is
#: recorded and replaced by a placeholder so the dry run goes on to find the next one.
_PROBLEMS: ContextVar[list[tuple[str, str]] | None] = ContextVar("payerkit_837p_problems",
                                                                 default=None)


def _refuse(field: str, problem: str, placeholder: str = "XX") -> str:
    """Raise :class:`FormatError`, or in a dry run record it and go on with ``placeholder``."""
    problems = _PROBLEMS.get()
    if problems is None:
        raise FormatError(field, problem)
    problems.append((field, problem))
    return placeholder


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
        usage = _refuse("usage", "must be 'T' or 'P'", "P")
    yymmdd = f"{now.year % 100:02d}{now.month:02d}{now.day:02d}"
    hhmm = f"{now.hour:02d}{now.minute:02d}"
    isa = (
        f"ISA*00*          *00*          *ZZ*{sender:<15}*ZZ*{receiver:<15}*{yymmdd}*{hhmm}"
        f"*^*00501*{control.interchange:09d}*0*{usage}*:"
    )
    gs = f"GS*HC*{sender}*{receiver}*{d8(now.date())}*{hhmm}*{control.group}*X*{VERSION}"
    return [isa, gs]


def _party_id(value: str, field: str) -> str:
    """ISA06/ISA08 and GS02/GS03: an identifier of 2 to 15 characters."""
    text = _ident(value, field)
    if not 2 <= len(text) <= 15:
        return _refuse(field, "must be 2 to 15 characters")
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
    phone = _phone(billing.phone)
    contact = clean(_contact_name(billing), text_size("contact"))
    out.append(f"PER*IC*{contact}*TE*{phone}")
    receiver = _ident(claim.receiver_id, "receiver_id")
    out.append(f"NM1*40*2*{_text(claim.receiver_name, 'receiver_name')}*****46*{receiver}")


def _contact_name(billing: Provider) -> str:
    """PER02: the practice's name, or the practitioner's first and last name."""
    if billing.is_organization:
        return billing.name or ""
    return " ".join(part for part in (billing.first_name, billing.last_name) if part)


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
        qualifier = _refuse("billing.tax_id_type", "must be 'ein' or 'ssn'", "EI")
    tax_id = billing.tax_id.replace("-", "").replace(" ", "")
    if not (len(tax_id) == 9 and tax_id.isascii() and tax_id.isdigit()):
        tax_id = _refuse("billing.tax_id", "must have 9 digits", "000000000")
    out.append(f"REF*{qualifier}*{tax_id}")


def _provider_name(billing: Provider) -> tuple[str, str, str]:
    """NM102 entity type, NM103, NM104 for the billing provider."""
    if billing.is_organization:
        return "2", _text(billing.name, "billing.name"), ""
    return (
        "1",
        _text(billing.last_name, "billing.last_name"),
        _optional_text(billing.first_name, "billing.first_name"),
    )


# -------------------------------------------------------- 2000B / 2010BA / 2010BB subscriber


def _subscriber(out: list[str], claim: Claim) -> None:
    self_ = claim.patient_is_insured
    out.append("HL*2*1*22*0" if self_ else "HL*2*1*22*1")
    group = _ident(claim.group_number, "group_number") if claim.group_number else ""
    filing = _ident(claim.filing_indicator, "filing_indicator")
    out.append(f"SBR*P*{'18' if self_ else ''}*{group}******{filing}")
    insured = claim.insured
    member_id = _ident(claim.member_id, "member_id")
    last, first = _person_name(insured, "insured")
    out.append(f"NM1*IL*1*{last}*{first}****MI*{member_id}")
    if self_:
        _address(out, insured.address, "insured.address")
        out.append(_dmg(insured, "insured", claim))
        _pc_claim_number(out, claim)
    payer_id = _ident(claim.payer_id, "payer_id")
    out.append(f"NM1*PR*2*{_text(claim.payer_name, 'payer_name')}*****PI*{payer_id}")


# ---------------------------------------------------------------- 2000C / 2010CA patient


def _patient(out: list[str], claim: Claim) -> None:
    code = _PATIENT_RELATION.get(claim.relation)
    if code is None:
        code = _refuse("relation", "must be 'self', 'spouse', 'child' or 'other'", "G8")
    out.append("HL*3*2*23*0")
    out.append(f"PAT*{code}")
    patient = claim.patient
    last, first = _person_name(patient, "patient")
    out.append(f"NM1*QC*1*{last}*{first}" if first else f"NM1*QC*1*{last}")
    _address(out, patient.address, "patient.address")
    out.append(_dmg(patient, "patient", claim))
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
            code = _refuse("related_cause", "must be 'auto', 'employment' or 'other'", "OA")
        if code == "AA":
            if not claim.accident_state:
                state = _refuse("accident_state", "required when related_cause is 'auto'")
            else:
                state = _ident(claim.accident_state, "accident_state")
            related = f"**AA:::{state}"
        else:
            related = f"**{code}"
        accident = claim.accident_date
        if accident is None and code != "EM":
            _refuse("accident_date", f"required when related_cause is {cause!r}")
    total = _amount(claim.total_charge, "total_charge")
    signature = "Y" if claim.provider_signature_on_file else "N"
    assignment = "A" if claim.accepts_assignment else "C"
    benefits = "N" if claim.benefits_assigned is False else "Y"  # not recorded: Y (documented)
    release = claim.release_of_information
    if release not in ("Y", "I"):
        release = _refuse("release_of_information", "must be 'Y' or 'I'", "Y")
    frequency = claim.frequency
    if frequency not in _FREQUENCIES:
        frequency = _refuse("frequency", "must be 'original', 'replacement' or 'void'", "1")
    out.append(f"CLM*{claim_id}*{total}***{pos}:B:{frequency}*{signature}*{assignment}*{benefits}"
               f"*{release}{related}")
    if accident is not None:
        out.append(f"DTP*439*D8*{_date(accident, 'accident_date')}")
    elif claim.onset_date is not None:
        out.append(f"DTP*431*D8*{_date(claim.onset_date, 'onset_date')}")
    if claim.prior_authorization:
        out.append(f"REF*G1*{_ident(claim.prior_authorization, 'prior_authorization')}")
    if frequency != "1":  # a replacement or void names the payer's claim it corrects
        if not claim.original_claim_number:
            _refuse("original_claim_number", "required for a replacement or void claim: the "
                    "payer's claim control number of the claim it corrects (REF*F8)")
        else:
            out.append(f"REF*F8*{_ident(claim.original_claim_number, 'original_claim_number')}")
    out.append(hi)


def _hi(diagnoses: tuple[str, ...]) -> str:
    if not 1 <= len(diagnoses) <= MAX_DIAGNOSES:
        _refuse("diagnoses", f"a claim carries 1 to {MAX_DIAGNOSES} diagnosis codes")
    parts = []
    for i, code in enumerate(diagnoses):
        text = code.replace(".", "")
        problem = identifier_problem(text)
        if not text or " " in text or len(text) > 30:
            text = _refuse(f"diagnoses[{i}]", "not a diagnosis code")
        elif problem is not None:
            text = _refuse(f"diagnoses[{i}]", problem)
        text = text.translate(_UPPER)
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
        if rendering.taxonomy is not None:
            taxonomy = _ident(rendering.taxonomy, "rendering.taxonomy")
        else:
            taxonomy = _ident(claim.billing.taxonomy, "billing.taxonomy")
        out.append(f"PRV*PE*PXC*{taxonomy}")


def _practitioner_nm1(entity: str, who: Practitioner, field: str) -> str:
    last = _text(who.last_name, f"{field}.last_name")
    first = _optional_text(who.first_name, f"{field}.first_name")
    return f"NM1*{entity}*1*{last}*{first}****XX*{_npi(who.npi, f'{field}.npi')}"


# ---------------------------------------------------------------- 2400 service lines


def _service_lines(claim: Claim) -> list[str]:
    lines = claim.lines
    if not 1 <= len(lines) <= MAX_LINES:
        _refuse("lines", f"an 837P claim carries 1 to {MAX_LINES} service lines")
    out: list[str] = []
    claim_pos = claim.place_of_service
    n_diagnoses = len(claim.diagnoses)
    for n, line in enumerate(lines, 1):
        field = f"lines[{n - 1}]"
        procedure = _ident(line.code, f"{field}.code")
        modifiers = line.modifiers
        if modifiers:
            if len(modifiers) > MAX_MODIFIERS:
                _refuse(f"{field}.modifiers", f"at most {MAX_MODIFIERS}")
            for m in modifiers:
                problem = identifier_problem(m)
                if len(m) != 2 or " " in m:
                    m = _refuse(f"{field}.modifiers", "each modifier has 2 characters")
                elif problem is not None:
                    m = _refuse(f"{field}.modifiers", problem)
                procedure += ":" + m.translate(_UPPER)
        charge = _amount(line.charge, f"{field}.charge")
        units = line.units
        if not (isinstance(units, int) and units > 0):
            units = int(_refuse(f"{field}.units", "must be positive", "1"))
        pos = ""
        if line.place_of_service != claim_pos:
            pos = _ident(line.place_of_service, f"{field}.place_of_service")
        pointers = line.pointers
        if not 1 <= len(pointers) <= MAX_POINTERS:
            _refuse(f"{field}.pointers", f"1 to {MAX_POINTERS} diagnosis pointers")
        for p in pointers:
            if not (isinstance(p, int) and 1 <= p <= n_diagnoses):
                _refuse(f"{field}.pointers", f"each must be 1 to {n_diagnoses}")
                break
        pointer_text = ":".join(map(str, pointers))
        out.append(f"LX*{n}")
        out.append(f"SV1*HC:{procedure}*{charge}*UN*{number(units)}*{pos}**{pointer_text}")
        out.append(f"DTP*472*D8*{_date(line.date, f'{field}.date')}")
        if line.control_number:
            out.append(f"REF*6R*{_ident(line.control_number, f'{field}.control_number')}")
    return out


# ---------------------------------------------------------------- shared pieces


def _text(value: str | None, field: str) -> str:
    """Required free text (a name, an address line): transliterated, cut to the element's size."""
    text = clean(value, text_size(field)) if value else ""
    if not text:
        return _refuse(field, "required, and nothing of it is left in X12's basic characters")
    return text


def _optional_text(value: str | None, field: str) -> str:
    """Optional free text: ``""`` when not given; refused when given but nothing is left."""
    if value is None or not value.strip():
        return ""
    text = clean(value, text_size(field))
    if not text:
        return _refuse(field, "nothing of it is left in X12's basic characters; correct it or "
                       "leave it out")
    return text


def _ident(value: str | None, field: str) -> str:
    """A required identifier or code: written as given (ASCII letters upper-cased) or refused;
    never cleaned, cut or otherwise altered (a changed ID is a wrong ID)."""
    text, problem = _identifier(value, field)
    if problem is not None:
        return _refuse(field, problem)
    return text


@lru_cache(maxsize=4096)  # ids, codes and states repeat across a batch of claims
def _identifier(value: str | None, field: str) -> tuple[str, str | None]:
    """``(text to write, None)`` or ``("", why it cannot be written)``."""
    minimum, limit = id_size(field)
    if not value:
        return "", f"must be {minimum} to {limit} characters"
    problem = identifier_problem(value)
    if problem is not None:
        return "", problem
    if not minimum <= len(value) <= limit:
        return "", f"must be {minimum} to {limit} characters"
    return value.translate(_UPPER), None


def _date(value: dt.date, field: str) -> str:
    if not (isinstance(value, dt.date) and EARLIEST_DATE <= value <= LATEST_DATE):
        return _refuse(field, f"must be a date from {EARLIEST_DATE.isoformat()} to "
                       f"{LATEST_DATE.isoformat()}", "19000101")
    return d8(value)


def _person_name(person: Person, field: str) -> tuple[str, str]:
    last = _text(person.last_name, f"{field}.last_name")
    return last, _optional_text(person.first_name, f"{field}.first_name")


def _address(out: list[str], address: Address, field: str, nine_digit_zip: bool = False) -> None:
    line1 = _text(address.line1, f"{field}.line1")
    line2 = _optional_text(address.line2, f"{field}.line2")
    out.append(f"N3*{line1}*{line2}" if line2 else f"N3*{line1}")
    city = _text(address.city, f"{field}.city")
    if len(city) < 2:
        city = _refuse(f"{field}.city", f"must be 2 to {text_size('city')} characters")
    state = _ident(address.state, f"{field}.state")
    zip_ = address.zip.replace("-", "").replace(" ", "")
    if not (zip_.isascii() and zip_.isdigit() and len(zip_) in (5, 9)):
        zip_ = _refuse(f"{field}.zip", "must be 5 or 9 digits", "000000000")
    elif nine_digit_zip and len(zip_) != 9:
        zip_ = _refuse(f"{field}.zip", "the billing provider needs a 9-digit ZIP+4", "000000000")
    out.append(f"N4*{city}*{state}*{zip_}")


def _dmg(person: Person, field: str, claim: Claim) -> str:
    sex = person.sex
    if sex not in _SEXES:
        sex = _refuse(f"{field}.sex", "must be 'F', 'M' or 'U'", "U")
    birth = _date(person.birth_date, f"{field}.birth_date")
    if claim.lines and isinstance(person.birth_date, dt.date):
        first_service = min(line.date for line in claim.lines)
        if person.birth_date > first_service:
            birth = _refuse(f"{field}.birth_date", "after the date of service", birth)
    return f"DMG*D8*{birth}*{sex}"


def _npi(value: str, field: str) -> str:
    if not (len(value) == 10 and value.isascii() and value.isdigit()):
        return _refuse(field, "an NPI has 10 digits", "0000000000")
    return value


def _phone(value: str | None) -> str:
    if not value:
        return _refuse("billing.phone", "required: the provider's phone is the submitter "
                       "contact number (1000A PER), which the 837P requires", "0000000000")
    digits = "".join(c for c in value if "0" <= c <= "9")
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    if len(digits) != 10:
        return _refuse("billing.phone", "must be a 10-digit US phone number", "0000000000")
    return digits


def _amount(value: Decimal | int, field: str) -> str:
    problem = "must be a non-negative amount in dollars and cents"
    try:
        text = number(value)
    except (TypeError, ValueError):
        return _refuse(field, problem, "0")
    if text[0] == "-" or len(text.partition(".")[2]) > 2:
        return _refuse(field, problem, "0")
    if len(text) > MAX_AMOUNT_CHARS:
        return _refuse(field, f"an amount of at most {MAX_AMOUNT_CHARS} characters", "0")
    return text


# ---------------------------------------------------------------- for the scrub


_DRY_RUN = WriteOptions(ControlNumbers(1, 1, 1), dt.datetime(2000, 1, 1))


def check_837p(claim: Claim) -> list[tuple[str, str]]:
    """Every problem that would stop :func:`write_837p`, as ``[(claim field, problem)]``.

    Runs the writer itself with fixed control numbers and clock (nothing is
    written, no counter is touched), so the scrub and the writer cannot
    disagree; a refused value is recorded and the run goes on, so the scrub
    names all of them at once. ``[]`` when the claim can be written.
    """
    problems: list[tuple[str, str]] = []
    token = _PROBLEMS.set(problems)
    try:
        write_837p(claim, _DRY_RUN)
    except FormatError as exc:
        problems.append((exc.field, exc.problem))
    finally:
        _PROBLEMS.reset(token)
    found = dict.fromkeys(problems)
    # The receiver is the payer unless the case names another: one problem, said once.
    for receiver, payer in _SAME_AS.items():
        if getattr(claim, receiver) == getattr(claim, payer):
            found = {(f, p): None for f, p in found if f != receiver or (payer, p) not in found}
    return list(found)


_SAME_AS = {"receiver_id": "payer_id", "receiver_name": "payer_name"}


def text_fields_837p(claim: Claim) -> list[tuple[str, str | None]]:
    """The names and addresses :func:`write_837p` writes, as ``[(claim field, value)]``.

    The same fields, in the same conditions, as the writer (a test holds them
    to it): the insured's address only when the insured is the patient, the
    patient only when not the insured, the rendering provider only when it is
    not the billing NPI.
    """
    billing = claim.billing
    fields: list[tuple[str, str | None]] = [("receiver_name", claim.receiver_name)]
    if billing.is_organization:
        fields.append(("billing.name", billing.name))
    else:
        fields += [("billing.last_name", billing.last_name),
                   ("billing.first_name", billing.first_name)]
    fields += _address_fields(billing.address, "billing.address")
    fields += [("insured.last_name", claim.insured.last_name),
               ("insured.first_name", claim.insured.first_name)]
    if claim.patient_is_insured:
        fields += _address_fields(claim.insured.address, "insured.address")
    fields.append(("payer_name", claim.payer_name))
    if not claim.patient_is_insured:
        fields += [("patient.last_name", claim.patient.last_name),
                   ("patient.first_name", claim.patient.first_name)]
        fields += _address_fields(claim.patient.address, "patient.address")
    for who, name in ((claim.referring, "referring"), (_rendering(claim), "rendering")):
        if who is not None:
            fields += [(f"{name}.last_name", who.last_name), (f"{name}.first_name", who.first_name)]
    return fields


def _address_fields(address: Address, field: str) -> list[tuple[str, str | None]]:
    return [(f"{field}.line1", address.line1), (f"{field}.line2", address.line2),
            (f"{field}.city", address.city)]


def text_changes_837p(claim: Claim) -> list[tuple[str, str]]:
    """Names and addresses the 837P writes differently from what was given.

    ``[(claim field, "transliterated" | "cut")]``: transliterated when more
    than letter case and spacing changed (``Søren`` → ``SOREN``, ``王`` →
    ``WANG``, ``#`` dropped), cut when longer than the element. A value with
    nothing left is not listed here: the writer refuses it (:func:`check_837p`).
    """
    changes = []
    for field, value in text_fields_837p(claim):
        if not value or not value.strip():
            continue
        size = text_size(field)
        text = clean(value)
        if not text:
            continue
        if transliterated(value):
            changes.append((field, "transliterated"))
        if len(text) > size:
            changes.append((field, "cut"))
    return changes


__all__ = ["VERSION", "check_837p", "text_changes_837p", "text_fields_837p", "write_837p"]
