"""What the page's tests share: a filled New York no-fault visit (an invented patient)."""

from __future__ import annotations

NY_VISIT = {
    "program": "ny-no-fault",
    "provider.name": "Harbor Massage Therapy PLLC", "provider.npi": "1234567893",
    "provider.tax_id": "123456789", "provider.phone": "5185550100",
    "provider.license": "NY-LMT-012345", "provider.cash_rates": "97124 = 18.79\n97140 = 30.33",
    "provider.address.line1": "100 Main St", "provider.address.city": "Albany",
    "provider.address.state": "NY", "provider.address.zip": "122070001",
    "patient.first_name": "Maria", "patient.last_name": "Invented",
    "patient.birth_date": "1975-07-22", "patient.sex": "F",
    "patient.address.line1": "9 River Rd", "patient.address.city": "Schenectady",
    "patient.address.state": "NY", "patient.address.zip": "12305",
    "coverage.member_id": "NF20251220A", "coverage.claim_number": "CLM7788990011",
    "coverage.insurer": "Example Auto Insurance Co", "coverage.payer_id": "98765",
    "episode.kind": "auto_accident", "episode.onset_date": "2026-03-02",
    "episode.state": "NY", "episode.notice_date": "2026-03-10",
    "episode.diagnoses": "S13.4XXA, M62.830, V43.52XA",
    "episode.prescription.prescriber.first_name": "Robert",
    "episode.prescription.prescriber.last_name": "Jones",
    "episode.prescription.prescriber.npi": "1245319599",
    "episode.prescription.date": "2026-03-05", "episode.prescription.visits": "12",
    "visits[0].date": "2026-03-06",
    "visits[0].services[0].code": "97124", "visits[0].services[0].minutes": "30",
    "visits[0].services[0].diagnoses": "1, 2",
    "visits[0].services[1].code": "97140", "visits[0].services[1].minutes": "15",
    "visits[0].services[1].diagnoses": "1",
    "fees.rates": "97124 = 18.79\n97140 = 30.33",
    "fees.source": "the practice's prevailing fee (invented)",
    "claim.benefits_assigned": "yes", "as_of": "2026-03-20",
    "facts.ny-no-fault.injured_person": "named_insured", "facts.ny-no-fault.vehicle": "insured",
}
