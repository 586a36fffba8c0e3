"""What the ledger survives: a post killed half-way, two processes posting the same file at
once, and a careless or hostile command line — never a traceback, never a patient value."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from remits import file_of, payment, remittance

from payerkit.cli import main
from payerkit.ledger import Ledger, post
from payerkit.ledger import tables as t
from payerkit.ledger.reports import interest

COUNTED = (t.remittances, t.claim_payments, t.line_payments, t.adjustments)


def counts(url: str) -> list[int]:
    with Ledger.open(url) as ledger, ledger.connect() as conn:
        return [conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in COUNTED]


def many_payments(entries, n: int = 300) -> bytes:
    """An 835 paying ``n`` copies of the examples' claims (recorded too, by the caller)."""
    from attrs import evolve

    base = list(entries.values())
    claims = [evolve(base[i % len(base)], claim_id=f"KILL{i:06d}") for i in range(n)]
    return claims, file_of(remittance([payment(c, number=f"P{i}") for i, c in enumerate(claims)]))


SLOW_POST = textwrap.dedent("""
    import sys, time
    from payerkit.ledger import Ledger, post, posting
    slow = posting._Poster._update_totals
    def stalled(self, *args):
        print("posting", flush=True)   # everything inserted, not yet committed
        time.sleep(60)
        return slow(self, *args)
    posting._Poster._update_totals = stalled
    with Ledger.open(sys.argv[1]) as ledger:
        post(ledger, open(sys.argv[2], "rb").read())
""")


def test_a_post_killed_half_way_leaves_the_ledger_as_it_was(db_url, example_entries, tmp_path):
    claims, data = many_payments(example_entries)
    with Ledger.open(db_url) as ledger:
        ledger.record(claims)
    before = counts(db_url)
    path = tmp_path / "pay.835"
    path.write_bytes(data)
    child = subprocess.Popen([sys.executable, "-c", SLOW_POST, db_url, str(path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "posting"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert counts(db_url) == before
    with Ledger.open(db_url) as ledger:
        done = post(ledger, data)  # and the file can be posted again
        assert done.claims == done.matched == len(claims)


POST = textwrap.dedent("""
    import sys, time
    from payerkit.ledger import Ledger, post
    data = open(sys.argv[2], "rb").read()
    with Ledger.open(sys.argv[1]) as ledger:
        while time.time() < float(sys.argv[3]):  # start together
            time.sleep(0.001)
        done = post(ledger, data)
    print(len(done.posted), len(done.already))
""")


def test_two_processes_posting_one_file_post_it_once(db_url, example_entries, tmp_path):
    claims, data = many_payments(example_entries, 200)
    with Ledger.open(db_url) as ledger:
        ledger.record(claims)
    path = tmp_path / "pay.835"
    path.write_bytes(data)
    start = str(time.time() + 3)
    children = [subprocess.Popen([sys.executable, "-c", POST, db_url, str(path), start],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
    answers = [child.communicate(timeout=120) for child in children]
    assert all(child.returncode == 0 for child in children), [a[1] for a in answers]
    said = sorted(tuple(map(int, out.split())) for out, _ in answers)
    assert said == [(0, 1), (1, 0)]  # one posted it, the other found it posted
    assert counts(db_url)[:2] == [1, len(claims)]
    with Ledger.open(db_url) as ledger, ledger.connect() as conn:
        paid = conn.execute(sa.select(sa.func.sum(t.claims.c.paid_cents)).where(
            t.claims.c.claim_id.like("KILL%"))).scalar_one()
    assert paid == sum(line.charge_cents if line.expected_cents is None else line.expected_cents
                       for c in claims for line in c.lines)


# -- the command line -------------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path, monkeypatch, example_entries):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("PAYERKIT_DB", url)
    with Ledger.open(url) as ledger:
        ledger.record(example_entries.values())
    return url


def answer(argv, capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.mark.parametrize("content, code, said", [
    (b"", 2, "invalid remittance"),
    (b"ISA*00*garbage", 2, "invalid remittance"),
    ("ISA*\u00e9\U0001f600~".encode(), 2, "invalid remittance"),
    (b"\x00\xff" * 1000, 2, "invalid remittance"),
])
def test_an_835_that_cannot_be_read_is_exit_2(content, code, said, cli_db, tmp_path, capsys):
    path = tmp_path / "bad.835"
    path.write_bytes(content)
    got, _, err = answer(["ledger", "post", str(path)], capsys)
    assert got == code and said in err


def test_a_file_that_does_not_balance_is_exit_1_and_posts_nothing(cli_db, example_entries,
                                                                 tmp_path, capsys):
    from attrs import evolve

    good = payment(example_entries["ny-covered"])
    path = tmp_path / "bad.835"
    path.write_bytes(file_of(remittance([evolve(good, paid=good.paid + 1)])))
    got, _, err = answer(["ledger", "post", str(path)], capsys)
    assert got == 1 and "does not balance" in err
    assert counts(cli_db) == [0, 0, 0, 0]


@pytest.mark.parametrize("argv, code, said", [
    (["ledger", "post", "no-such-file.835"], 2, "no such file"),
    (["ledger", "post", "/dev/zero"], 2, "cannot read"),
    (["ledger", "post", "."], 2, "cannot read"),
    (["ledger", "claims", "--db", "postgresql://clerk:s3cret@localhost/x"], 3, "password"),
    (["ledger", "claims", "--db", "mysql://localhost/x"], 3, "SQLite or PostgreSQL"),
    (["ledger", "claims", "--db", "sqlite:////proc/payerkit/l.db"], 3, "ledger"),
    (["ledger", "statement", "PNOBODY"], 2, "no patient"),
    (["ledger", "denials", "--codes", "missing.csv"], 2, "missing.csv"),
])
def test_a_careless_command_is_one_clear_line(argv, code, said, cli_db, capsys, tmp_path,
                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    got, out, err = answer(argv, capsys)
    assert got == code and said in err
    assert "s3cret" not in out + err


def test_every_report_answers_in_json(cli_db, capsys):
    for argv in (["ledger", "claims"], ["ledger", "aging", "--as-of", "2026-09-01"],
                 ["ledger", "denials"], ["ledger", "underpayments"],
                 ["ledger", "claims", "--status", "paid"]):
        got, out, _ = answer([*argv, "--json"], capsys)
        assert got == 0 and isinstance(json.loads(out), dict)


def test_no_patient_value_is_printed_by_a_report(cli_db, capsys):
    for argv in (["ledger", "claims"], ["ledger", "aging"], ["ledger", "denials"]):
        _, out, err = answer(argv, capsys)
        assert "Garcia" not in out + err and "1975" not in out + err


# -- interest -------------------------------------------------------------------------------

NY = [{"name": "interest", "interest_per_month": "0.02", "interest_after_days": 30}]
LNI = [{"name": "interest", "interest_per_month": "0.01", "interest_after_days": 60,
        "interest_minimum_per_month": "1.00"}]
WRITTEN = dt.date(2026, 1, 1)


def test_ny_interest_is_two_percent_a_month_on_a_30_day_month():
    owed = interest(NY, WRITTEN, 10_000, WRITTEN + dt.timedelta(days=30 + 30))
    assert (owed.amount, owed.days, owed.from_day) == (Decimal("2.00"), 30, dt.date(2026, 2, 1))
    assert interest(NY, WRITTEN, 10_000, WRITTEN + dt.timedelta(days=30)) is None


def test_lni_interest_is_at_least_a_dollar_a_month_or_part_of_one():
    owed = interest(LNI, WRITTEN, 1_000, WRITTEN + dt.timedelta(days=61))  # $10, one day late
    assert owed.amount == Decimal("1.00")
    owed = interest(LNI, WRITTEN, 1_000, WRITTEN + dt.timedelta(days=91))  # a month and a day
    assert owed.amount == Decimal("2.00")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**11), st.integers(0, 3000), st.integers(0, 3000),
       st.sampled_from([NY, LNI]))
def test_interest_is_cents_never_negative_and_grows_with_time(principal, days, more, terms):
    on = WRITTEN + dt.timedelta(days=days)
    owed = interest(terms, WRITTEN, principal, on)
    later = interest(terms, WRITTEN, principal, on + dt.timedelta(days=more))
    if owed is not None:
        assert owed.amount == owed.amount.quantize(Decimal("0.01")) and owed.amount >= 0
        assert later is not None and later.amount >= owed.amount
    if principal == 0:
        assert owed is None


def test_without_the_extra_the_ledger_says_how_to_install_it(tmp_path):
    """SQLAlchemy hidden (as on a machine without payerkit[ledger]): one line, exit 3."""
    code = ("import sys; sys.modules['sqlalchemy'] = None; from payerkit.cli import main; "
            "sys.exit(main(sys.argv[1:]))")
    for argv in (["ledger", "claims"], ["claim", "examples/ny-covered.toml", "--ledger"]):
        done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                              text=True, cwd=Path(__file__).resolve().parents[2],
                              env={**os.environ, "PAYERKIT_DATA_DIR": str(tmp_path)})
        assert done.returncode == 3, done.stderr
        assert "pip install 'payerkit[ledger]'" in done.stderr
        assert "Traceback" not in done.stderr and not done.stdout
