"""The README's round trip, as a user runs it: batch-write the example claims into a ledger,
post the example 835 (it pays some, denies one, underpays one, leaves one to the patient's
deductible), then the aging, the underpayment and a patient statement — through the CLI.

``examples/ledger/payment.835`` is made by :func:`payment_file` from the examples' claims;
``PAYERKIT_REGENERATE_EXAMPLES=1`` writes it again when the examples change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pdfplumber
from remits import file_of, payment, remittance

from payerkit.remittance import check_balance, read_835
from payerkit.testing.x12 import validate_with_pyx12

ROOT = Path(__file__).resolve().parents[2]
PAYMENT = ROOT / "examples" / "ledger" / "payment.835"
#: The examples the 835 decides, and how.
DECIDED = {"ny-covered": "paid in full", "regence-covered": "underpaid by 9.00",
           "premera-covered": "paid, 50.00 to the deductible", "ct-wc-covered": "denied (CO-197)"}
MARIA = "PEQ3H55NBM"  # the invented patient of ny-covered and premera-covered


def recorded(every_example_entry) -> dict:
    """What ``payerkit batch examples`` records for each example: of examples that bill the
    same claim (one claim id), the last by name (written again, it replaced the others)."""
    last = {entry.claim_id: entry for entry in every_example_entry.values()}
    return {stem: last[entry.claim_id] for stem, entry in every_example_entry.items()}


def payment_file(entries) -> bytes:
    return file_of(remittance([
        payment(entries["ny-covered"], number="NF0000001"),
        payment(entries["regence-covered"], short=Decimal("9.00"), number="RG0000001"),
        payment(entries["premera-covered"], deductible=Decimal("50.00"), number="PB0000001"),
        payment(entries["ct-wc-covered"], "denied", reason="197", number="WC0000001"),
    ], trace="EFT20260515", payer="EXAMPLE CLEARINGHOUSE PAYER"))


def test_the_example_835_is_made_from_the_examples_valid_and_balanced(every_example_entry):
    made = payment_file(recorded(every_example_entry))
    if os.environ.get("PAYERKIT_REGENERATE_EXAMPLES"):
        PAYMENT.write_bytes(made)
    assert PAYMENT.read_bytes() == made, "PAYERKIT_REGENERATE_EXAMPLES=1 to write it again"
    assert validate_with_pyx12(made.decode("ascii")) == []
    [decoded] = read_835(made)
    assert check_balance(decoded) == ()


def run(*argv: str, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "payerkit", *argv], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=300)
    assert "Traceback" not in done.stderr
    return done


def test_the_round_trip_of_the_readme(db_url, tmp_path):
    env = {**os.environ, "PAYERKIT_DB": db_url, "PAYERKIT_DATA_DIR": str(tmp_path / "data"),
           "TZ": "Pacific/Kiritimati", "LC_ALL": "C"}
    written = run("batch", "examples", "-o", str(tmp_path / "out"), "--ledger", "-q", "-j", "1",
                  "--json", env=env)
    assert written.returncode == 1  # some examples are refused on purpose
    assert json.loads(written.stdout)["ledger"]["new"] >= len(DECIDED)
    posted = run("ledger", "post", str(PAYMENT), "--json", env=env)
    assert posted.returncode == 0, posted.stderr
    result = json.loads(posted.stdout)
    assert (result["claim_payments"], result["matched"], result["unmatched"]) == (4, 4, [])
    again = run("ledger", "post", str(PAYMENT), "--json", env=env)
    assert json.loads(again.stdout)["already_posted"] == ["EFT20260515"]

    aged = json.loads(run("ledger", "aging", "--as-of", "2027-02-01", "--json", env=env).stdout)
    decided = {c["claim_id"] for c in json.loads(
        run("ledger", "claims", "--json", env=env).stdout)["claims"] if c["status"] != "open"}
    assert len(decided) == len(DECIDED)
    assert not decided & {c["claim_id"] for c in aged["claims"]}
    assert all(c["days_late"] for c in aged["claims"] if c["due_on"])

    short = json.loads(run("ledger", "underpayments", "--json", env=env).stdout)
    assert [(x["program"], x["short"]) for x in short["lines"]] == [("regence-wa", "9.00")]
    denied = json.loads(run("ledger", "denials", "--json", env=env).stdout)
    assert [r["code"] for r in denied["reasons"]] == ["CO-197"]

    pdf = tmp_path / "statement.pdf"
    said = run("ledger", "statement", MARIA, "-o", str(pdf), "--on", "2026-06-01", "--json",
               env=env)
    assert said.returncode == 0, said.stderr
    summary = json.loads(said.stdout)
    assert summary["patient_owes"] == "50.00"  # her Premera deductible (WA: PR only)
    assert "284-170-421" in summary["citation"]
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert "50.00" in text and "PR-1" in text and "Garcia" in text

    unknown = run("ledger", "statement", "PNOBODY000", "-o", str(tmp_path / "x.pdf"), env=env)
    assert unknown.returncode == 2 and not (tmp_path / "x.pdf").exists()
