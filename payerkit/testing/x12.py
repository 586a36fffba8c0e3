"""Checks for X12 837P files: pyx12 validation and the semantic rules no validator checks.

For payerkit's own tests, plugins and the conformance suite::

    from payerkit.testing.x12 import validate_with_pyx12, semantic_errors_837p

    assert validate_with_pyx12(text) == []
    assert semantic_errors_837p(text) == []

pyx12 (``pip install pyx12==4.0.0``) is imported only when
:func:`validate_with_pyx12` is called; it costs about 0.1-0.3 s per file
because it reloads its 837 map every time.
"""

from __future__ import annotations

import io
import json
import logging
from decimal import Decimal, InvalidOperation

from ..formats.x12_limits import MAX_CLAIMS_PER_TRANSACTION


def validate_with_pyx12(text: str) -> list[str]:
    """Validate an X12 interchange with pyx12; return its errors (``[]`` when valid).

    Fails (returns errors) when pyx12's verdict is False *or* its JSON report
    lists any error at any level (interchange, group, transaction, segment,
    element).
    """
    import pyx12.errors
    import pyx12.params
    import pyx12.x12n_document

    logged: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record.getMessage())

    logger = logging.getLogger("pyx12")
    handler = _Collect(level=logging.ERROR)
    logger.addHandler(handler)
    report = io.StringIO()
    try:
        ok = pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(),
            src_file=io.StringIO(text),
            fd_997=io.StringIO(),
            fd_html=None,
            fd_json=report,
        )
    except (pyx12.errors.X12Error, pyx12.errors.EngineError) as exc:
        return [f"pyx12 refused the file: {exc}"]
    finally:
        logger.removeHandler(handler)

    errors: list[str] = []
    if report.getvalue():
        _collect_errors(json.loads(report.getvalue()), "", errors)
    if not ok and not errors:
        errors = [f"pyx12: {message}" for message in logged] or ["pyx12: file rejected"]
    return errors


def _collect_errors(node, where: str, out: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _collect_errors(item, where, out)
        return
    if not isinstance(node, dict):
        return
    if "seg_id" in node:
        where = f"line {node.get('cur_line')} {node['seg_id']} ({node.get('name')})"
    elif "ele_ref_num" in node:
        where = f"{where} element {node.get('ele_pos')}"
    elif "trn_set_control_num" in node:
        where = f"ST {node['trn_set_control_num']}"
    elif "gs_control_num" in node:
        where = f"GS {node['gs_control_num']}"
    elif "isa_trn_set_id" in node:
        where = f"ISA {node['isa_trn_set_id']}"
    for error in node.get("errors", ()):
        out.append(f"{where}: [{error.get('err_cde')}] {error.get('err_str')}")
    for key in ("interchanges", "groups", "transactions", "segments", "elements"):
        _collect_errors(node.get(key, ()), where, out)


def parse_segments(text: str) -> list[list[str]]:
    """Split an interchange into segments, each a list of elements (``[tag, e1, e2...]``).

    Delimiters are read from the ISA; whitespace around segments (newlines) is
    ignored. Composite elements stay joined by the component separator.
    """
    if not text.startswith("ISA") or len(text) < 106:
        raise ValueError("not an X12 interchange: does not start with a 106-character ISA")
    element, terminator = text[3], text[105]
    segments = []
    for raw in text.split(terminator):
        raw = raw.strip("\r\n")
        if raw:
            segments.append(raw.split(element))
    return segments


def semantic_errors_837p(text: str) -> list[str]:
    """The 837P rules pyx12 and linuxforhealth-x12 do not check (claim-formats §1.8).

    Envelopes: ISA is 106 characters; ISA13 = IEA02 and IEA01 counts the groups;
    GS06 = GE02 and GE01 counts the transaction sets; in each transaction set
    ST02 = SE02 (and no ST02 repeats in its group), SE01 is the real segment count,
    and at most 5000 claims (the TR3's limit). Hierarchy, in each transaction set:
    HL01 runs 1, 2, 3...; HL02 names the last HL of the level above (a 2000B the
    2000A it follows, a 2000C its 2000B; none for a 2000A); HL04 says whether a
    child follows. Claims: CLM02 = sum of SV102; every SV107 pointer is 1..number of HI
    codes; SBR02 = 18 exactly when there is no patient (2000C) loop; subscriber
    N3/N4/DMG only when the subscriber is the patient; in workers' compensation (SBR09
    WC) the subscriber is the employer (2010BA NM102 = 2) and the worker the patient
    (2000C, PAT01 = 20: X12 RFI 1925); AA carries a state and a
    DTP*439; amounts have no trailing zeros, exponent or ``+``; the billing provider
    ZIP has 9 digits; a claim has 1 to 50 lines, SV105 only when it differs from
    CLM05-1, and REF*F8 (the payer's original claim number) exactly when CLM05-3 is
    7 (replacement) or 8 (void).
    """
    errors: list[str] = []
    if _isa_length(text) != 106:
        errors.append("ISA is not exactly 106 characters")
        return errors
    segments = parse_segments(text)
    component = text[104]

    def get(seg: list[str], i: int) -> str:
        return seg[i] if i < len(seg) else ""

    transactions: list[tuple[int, int]] = []
    isa: list[str] | None = None
    gs: list[str] | None = None
    groups = sets = 0
    st_index: int | None = None
    st_numbers: set[str] = set()
    for i, seg in enumerate(segments):
        tag = seg[0]
        if tag == "ISA":
            isa, groups = seg, 0
        elif tag == "GS":
            gs, sets, st_numbers = seg, 0, set()
            groups += 1
        elif tag == "ST":
            if st_index is not None:
                errors.append(f"ST {get(segments[st_index], 2)} has no SE")
            st_index = i
            sets += 1
            if get(seg, 2) in st_numbers:
                errors.append(f"ST02 {get(seg, 2)} repeats in its functional group")
            st_numbers.add(get(seg, 2))
        elif tag == "SE":
            if st_index is None:
                errors.append("SE without ST")
                continue
            if get(segments[st_index], 2) != get(seg, 2):
                errors.append("ST02 differs from SE02")
            count = i - st_index + 1
            if get(seg, 1) != str(count):
                errors.append(f"SE01 is {get(seg, 1)}, the transaction has {count} segments")
            transactions.append((st_index, i))
            st_index = None
        elif tag == "GE":
            if gs is None or get(gs, 6) != get(seg, 2):
                errors.append("GS06 differs from GE02")
            if get(seg, 1) != str(sets):
                errors.append(f"GE01 is {get(seg, 1)}, the group has {sets} transaction sets")
            gs = None
        elif tag == "IEA":
            if isa is None or get(isa, 13) != get(seg, 2):
                errors.append("ISA13 differs from IEA02")
            if get(seg, 1) != str(groups):
                errors.append(f"IEA01 is {get(seg, 1)}, the interchange has {groups} groups")
            isa = None
    if st_index is not None:
        errors.append(f"ST {get(segments[st_index], 2)} has no SE")
    if gs is not None:
        errors.append("GS without GE")
    if isa is not None:
        errors.append("ISA without IEA")
    if not transactions:
        errors.append("no ST/SE transaction set")
        return errors

    claims: list[dict] = []
    for start, end in transactions:
        _transaction_errors(segments[start:end], component, claims, errors)
    for claim in claims:
        _claim_errors(claim, component, errors)
    return errors


#: HL03 of each 837P level, and the level its HL02 must name.
_HL_PARENT = {"20": None, "22": "20", "23": "22"}


def _transaction_errors(segments: list[list[str]], component: str, claims: list[dict],
                        errors: list[str]) -> None:
    """The hierarchy of one ST..SE, and its claims appended to ``claims``."""

    def get(seg: list[str], i: int) -> str:
        return seg[i] if i < len(seg) else ""

    last = {None: ""}  # the last HL01 of each level (a 2000A has no parent: "")
    count = 0
    hl_children: dict[str, list[str]] = {}
    for seg in segments:
        if seg[0] != "HL":
            continue
        hl, parent, level = get(seg, 1), get(seg, 2), get(seg, 3)
        count += 1
        if hl != str(count):
            errors.append(f"HL01 {hl} is not {count}: HL numbers run 1, 2, 3... in a "
                          "transaction set")
        if level not in _HL_PARENT:
            errors.append(f"HL03 {level} is not 20, 22 or 23")
        elif parent != last.get(_HL_PARENT[level]):
            errors.append(f"HL02 of HL {hl} (level {level}) is not the HL it belongs to: the "
                          "last one of the level above (none for a 2000A)")
        last[level] = hl
        hl_children.setdefault(parent, []).append(level)
    for seg in segments:
        if seg[0] == "HL" and get(seg, 3) == "20":
            if get(seg, 4) != ("1" if hl_children.get(get(seg, 1)) else "0"):
                errors.append("2000A HL04 does not match whether a 2000B loop follows")
    n_claims = sum(1 for seg in segments if seg[0] == "CLM")
    if n_claims > MAX_CLAIMS_PER_TRANSACTION:
        errors.append(f"a transaction set has {n_claims} claims: the TR3 limit is "
                      f"{MAX_CLAIMS_PER_TRANSACTION}")

    current_hl: list[str] = []
    subscriber_is_patient = True
    workers_comp = False
    after = ""  # the last NM1 entity code seen, to know which loop an N4/DMG belongs to
    for seg in segments:
        tag = seg[0]
        if tag == "HL":
            current_hl = seg
            after = ""
        elif tag == "SBR":
            has_patient = "23" in hl_children.get(get(current_hl, 1), [])
            if (get(seg, 2) == "18") == has_patient:
                errors.append("SBR02 must be 18 exactly when there is no 2000C patient loop")
            if get(current_hl, 4) != ("1" if has_patient else "0"):
                errors.append("2000B HL04 does not match whether a 2000C loop follows")
            subscriber_is_patient = not has_patient
            workers_comp = get(seg, 9) == "WC"
            if workers_comp and not has_patient:
                errors.append("SBR09 WC without a 2000C loop: in workers' compensation the "
                              "employer is the subscriber and the injured worker the patient")
        elif tag == "NM1":
            after = get(seg, 1)
            if after == "IL" and workers_comp and get(seg, 2) != "2":
                errors.append("SBR09 WC with a person as subscriber (2010BA NM102 is not 2): "
                              "the employer is the subscriber in workers' compensation")
        elif tag == "PAT" and workers_comp and get(seg, 1) != "20":
            errors.append("SBR09 WC with PAT01 other than 20: the injured worker is the "
                          "employer's employee")
        elif tag in ("N3", "N4", "DMG") and after == "IL" and not subscriber_is_patient:
            errors.append(f"2010BA {tag} sent although the patient is not the subscriber")
        elif tag == "N4" and after == "85":
            if not (get(seg, 3).isdigit() and len(get(seg, 3)) == 9):
                errors.append("billing provider ZIP (2010AA N403) must have 9 digits")
        elif tag == "CLM":
            claims.append({"clm": seg, "lines": [], "hi": 0, "dtp": set(), "ref": set()})
        elif tag == "DTP" and claims and not claims[-1]["lines"]:
            claims[-1]["dtp"].add(get(seg, 1))
        elif tag == "REF" and claims and not claims[-1]["lines"]:
            claims[-1]["ref"].add(get(seg, 1))
        elif tag == "HI" and claims:
            claims[-1]["hi"] += sum(
                1 for e in seg[1:] if e.split(component)[0] in ("ABK", "ABF", "BK", "BF")
            )
        elif tag == "SV1" and claims:
            claims[-1]["lines"].append(seg)


def _claim_errors(claim: dict, component: str, errors: list[str]) -> None:
    def get(seg: list[str], i: int) -> str:
        return seg[i] if i < len(seg) else ""

    clm = claim["clm"]
    place = get(clm, 5).split(component)
    frequency = place[2] if len(place) > 2 else ""
    if frequency not in ("1", "7", "8"):
        errors.append(f"CLM05-3 {frequency!r} is not 1 (original), 7 (replacement) or 8 (void)")
    if (frequency in ("7", "8")) != ("F8" in claim["ref"]):
        errors.append("REF*F8 (payer claim control number) must be sent exactly when "
                      "CLM05-3 is 7 or 8")
    if not 1 <= len(claim["lines"]) <= 50:
        errors.append(f"a claim has 1 to 50 service lines, not {len(claim['lines'])}")
    for line in claim["lines"]:
        if get(line, 5) and get(line, 5) == place[0]:
            errors.append("SV105 repeats CLM05-1: send it only when the line's place differs")
    total = _amount(get(clm, 2), "CLM02", errors)
    line_sum = Decimal(0)
    for line in claim["lines"]:
        line_sum += _amount(get(line, 2), "SV102", errors) or 0
        _amount(get(line, 4), "SV104", errors)
        pointers = [p for p in get(line, 7).split(component) if p]
        if not pointers:
            errors.append("SV107 has no diagnosis pointer")
        for p in pointers:
            if not (p.isdigit() and 1 <= int(p) <= claim["hi"]):
                errors.append(f"SV107 pointer {p} is outside 1..{claim['hi']} (HI codes)")
    if total is not None and total != line_sum:
        errors.append(f"CLM02 {get(clm, 2)} differs from the sum of SV102 ({line_sum})")
    causes = get(clm, 11).split(component)
    if "AA" in causes[:2]:
        if len(causes) < 4 or not causes[3]:
            errors.append("CLM11 AA (auto accident) without the state in CLM11-4")
        if "439" not in claim["dtp"]:
            errors.append("CLM11 AA (auto accident) without DTP*439 accident date")
    if "OA" in causes[:2] and "439" not in claim["dtp"]:
        errors.append("CLM11 OA (other accident) without DTP*439 accident date")


def _isa_length(text: str) -> int:
    """Length of the ISA including its terminator, found by counting its 16 separators."""
    if not text.startswith("ISA") or len(text) < 4:
        return -1
    separator, pos = text[3], 3
    for _ in range(15):
        pos = text.find(separator, pos + 1)
        if pos < 0:
            return -1
    return pos + 3  # ISA16 (1 character) and the terminator follow the 16th separator


def _amount(text: str, name: str, errors: list[str]) -> Decimal | None:
    """Parse an X12 decimal, recording format errors (trailing zeros, exponent, ``+``)."""
    if not text:
        errors.append(f"{name} is empty")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.append(f"{name} {text!r} is not a number")
        return None
    if any(c in text for c in "eE+") or ("." in text and (text.endswith("0") or text[-1] == ".")):
        errors.append(f"{name} {text!r} is not in X12 form (no exponent, +, or trailing zeros)")
    return value


__all__ = ["parse_segments", "semantic_errors_837p", "validate_with_pyx12"]
