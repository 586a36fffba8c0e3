"""Codes a massage therapist may not bill, the four units per date, and the unit rule."""

from __future__ import annotations

import pytest
from payerkit import ClaimRefused
from regence_cases import D, make_case, options, visit

DAY = D(2026, 3, 2)


def one_visit(*services, **kw):
    return make_case(kw.pop("program", "regence-wa"), visits=[visit(DAY, *services)],
                     as_of=D(2026, 3, 20), **kw)


def findings(kit, case):
    return {f.code: f for f in kit.scrub(case).findings}


# -- E&M and manipulation codes ---------------------------------------------------------------

@pytest.mark.parametrize(("code", "finding"), [
    ("99202", "REGENCE-EM-NOT-PAYABLE"), ("99213", "REGENCE-EM-NOT-PAYABLE"),
    ("99215", "REGENCE-EM-NOT-PAYABLE"), ("99499", "REGENCE-EM-NOT-PAYABLE"),
    ("98940", "REGENCE-CMT-NOT-PAYABLE"), ("98943", "REGENCE-CMT-NOT-PAYABLE"),
    ("98925", "REGENCE-OMT-NOT-PAYABLE"), ("98929", "REGENCE-OMT-NOT-PAYABLE"),
])
@pytest.mark.parametrize("program", ["regence-wa", "regence-id", "ump"])
def test_codes_not_payable_to_massage_therapists_are_errors_naming_code_and_line(
        kit, program, code, finding):
    case = one_visit({"code": "97124", "minutes": 45}, {"code": code}, program=program)
    found = findings(kit, case)[finding]
    assert found.severity == "error"
    assert found.path == "visits[0].services[1].code"
    assert code in found.message and found.message.startswith("visits[0].services[1].code")
    with pytest.raises(ClaimRefused):
        kit.claim(case, options=options(D(2026, 3, 20)))


@pytest.mark.parametrize("code", ["97124", "97140", "97112", "98924", "98930", "98939", "98944",
                                  "99200", "99500", "G0283"])
def test_other_codes_pass(kit, code):
    case = one_visit({"code": code, "minutes": 30})
    assert not {c for c in findings(kit, case) if c.endswith("-NOT-PAYABLE")}


def test_the_code_rules_are_about_massage_therapists(kit):
    case = one_visit({"code": "98940"}, rendering={"first_name": "Dana", "last_name": "Lee",
                                                   "npi": "1992999999",
                                                   "taxonomy": "111N00000X"})
    assert "REGENCE-CMT-NOT-PAYABLE" not in findings(kit, case)


# -- four units of modalities/procedures per date ---------------------------------------------

@pytest.mark.parametrize(("minutes", "units", "warned"), [(60, 4, False), (68, 5, True)])
def test_4_units_pass_5_units_warn(kit, minutes, units, warned):
    case = one_visit({"code": "97124", "minutes": minutes})
    assert kit.price(case).lines[0].units == units
    found = findings(kit, case)
    assert ("REGENCE-UNITS-PER-DATE" in found) is warned
    [cap] = [lim for lim in kit.limits(case).limits if lim.unit == "units"]
    assert (cap.allowed, cap.used) == (4, units)
    if warned:
        warning = found["REGENCE-UNITS-PER-DATE"]
        assert warning.severity == "warning" and warning.path == "visits[0].services"
        assert "NOT CONFIRMED" in warning.message and "97124 x 5" in warning.message
        assert warning.citation.confidence == "medium"
        kit.claim(case, options=options(D(2026, 3, 20)))  # a warning does not stop the claim


def test_the_cap_counts_modalities_and_procedures_across_codes(kit):
    case = one_visit({"code": "97124", "minutes": 40}, {"code": "97140", "minutes": 30})
    # 70 minutes in all: 5 units by the CMS rule
    assert "REGENCE-UNITS-PER-DATE" in findings(kit, case)
    assert "97124 x 3, 97140 x 2" in findings(kit, case)["REGENCE-UNITS-PER-DATE"].message


def test_codes_outside_modalities_and_procedures_are_not_counted(kit):
    case = one_visit({"code": "97124", "minutes": 60}, {"code": "99213"})
    assert "REGENCE-UNITS-PER-DATE" not in findings(kit, case)


def test_enforcing_the_cap_stops_the_claim(kit):
    case = one_visit({"code": "97124", "minutes": 68}, facts={"enforce_units_cap": True})
    assert findings(kit, case)["REGENCE-UNITS-PER-DATE"].severity == "error"
    with pytest.raises(ClaimRefused):
        kit.claim(case, options=options(D(2026, 3, 20)))


@pytest.mark.parametrize(("minutes", "warned"), [(75, False), (83, True)])
def test_a_configured_cap_replaces_four(kit, minutes, warned):
    case = one_visit({"code": "97124", "minutes": minutes}, facts={"units_per_date_cap": 5})
    found = findings(kit, case)
    assert ("REGENCE-UNITS-PER-DATE" in found) is warned
    if warned:
        assert found["REGENCE-UNITS-PER-DATE"].citation.confidence == "practice"


def test_ump_has_no_four_unit_cap(kit):
    case = one_visit({"code": "97124", "minutes": 83}, program="ump")
    assert "REGENCE-UNITS-PER-DATE" not in findings(kit, case)


# -- the unit rule ----------------------------------------------------------------------------

def test_the_cms_rule_is_the_stated_default(kit):
    case = one_visit({"code": "97124", "minutes": 8}, {"code": "97140", "minutes": 8})
    pricing = kit.price(case)
    assert [ln.units for ln in pricing.lines] == [1, 0]  # 16 minutes in all: 1 unit
    reasons = {r.code: r for r in pricing.reasons}
    assert "NOT CONFIRMED" in reasons["REGENCE-UNITS-NOT-CONFIRMED"].message
    assert reasons["REGENCE-UNITS-NOT-CONFIRMED"].citation.confidence == "sample"


def test_the_case_can_choose_the_midpoint_rule(kit):
    case = one_visit({"code": "97124", "minutes": 8}, {"code": "97140", "minutes": 8},
                     facts={"unit_rule": "cpt-midpoint"})
    pricing = kit.price(case)
    assert [ln.units for ln in pricing.lines] == [1, 1]
    reasons = {r.code: r for r in pricing.reasons}
    assert reasons["REGENCE-UNITS-CONFIGURED"].citation.confidence == "practice"
    assert "REGENCE-UNITS-NOT-CONFIRMED" not in reasons


def test_a_practice_plugin_overrides_the_unit_rule(kit):
    from payerkit import hookimpl
    from payerkit.rules.units import CPT_MIDPOINT

    class Practice:
        @hookimpl
        def payerkit_units(self):
            return CPT_MIDPOINT

    kit.register(Practice(), "practice")
    case = one_visit({"code": "97124", "minutes": 8}, {"code": "97140", "minutes": 8})
    assert [ln.units for ln in kit.price(case).lines] == [1, 1]


def test_fees_come_from_the_practice_or_are_unknown(kit):
    case = one_visit({"code": "97124", "minutes": 45})
    pricing = kit.price(case)
    assert pricing.total_allowed is None
    assert "REGENCE-FEES-NOT-PUBLIC" in {r.code for r in pricing.reasons}
    priced = one_visit({"code": "97124", "minutes": 45},
                       fees={"source": "SAMPLE rates (invented)", "rates": {"97124": "20.00"}})
    assert str(kit.price(priced).total_allowed) == "60.00"
