"""Recording claims: once per claim, private files, URLs without passwords, the schema the
migrations make equal to the tables the code uses — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import stat

import pytest
import sqlalchemy as sa
from attrs import evolve

from payerkit.errors import LedgerError
from payerkit.ledger import Ledger, patient_key
from payerkit.ledger import tables as t
from payerkit.ledger.database import choose_url, shown


def count(ledger, table) -> int:
    with ledger.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_a_claim_written_twice_is_recorded_once(db_url, example_entries):
    entry = example_entries["ny-covered"]
    with Ledger.open(db_url) as ledger:
        assert ledger.record([entry]).new == 1
        again = ledger.record([entry.placed(42, 7)])  # another file, the same claim
        assert (again.new, again.unchanged) == (0, 1)
        assert count(ledger, t.claims) == 1
        assert count(ledger, t.claim_lines) == len(entry.lines)


def test_a_claim_rewritten_with_other_content_replaces_its_lines(db_url, example_entries):
    entry = example_entries["ny-covered"]
    shorter = evolve(entry, lines=entry.lines[:1])
    with Ledger.open(db_url) as ledger:
        ledger.record([entry])
        assert ledger.record([shorter]).replaced == 1
        assert count(ledger, t.claim_lines) == 1
        with ledger.connect() as conn:
            charge = conn.execute(sa.select(t.claims.c.charge_cents)).scalar_one()
        assert charge == shorter.charge_cents


def test_every_example_is_recorded_with_its_lines_terms_and_billing_rule(db_url, example_entries):
    with Ledger.open(db_url) as ledger:
        ledger.record(example_entries.values())
        with ledger.connect() as conn:
            rows = {r.claim_id: r for r in conn.execute(
                sa.select(t.claims, t.claim_rules.c.terms, t.claim_rules.c.patient_billing)
                .join(t.claim_rules, t.claim_rules.c.id == t.claims.c.rules_id))}
            assert conn.execute(sa.select(sa.func.count()).select_from(t.claim_rules)
                                ).scalar_one() < len(rows)  # a program's claims share theirs
    ny = rows[example_entries["ny-covered"].claim_id]
    assert ny.due_on == example_entries["ny-covered"].written_on.replace(month=5, day=1)
    assert json.loads(ny.patient_billing)["rule"] == "nothing"
    assert "5108" in json.loads(ny.patient_billing)["citation"]["source"]
    terms = json.loads(ny.terms)
    assert any(term["interest_per_month"] == "0.02" for term in terms)
    premera = rows[example_entries["premera-covered"].claim_id]
    assert json.loads(premera.patient_billing)["rule"] == "responsibility"
    assert "284-170-421" in json.loads(premera.patient_billing)["citation"]["source"]
    ct = rows[example_entries["ct-wc-covered"].claim_id]
    assert ct.due_on is None  # no payment deadline found for CT medical bills
    assert "31-279-9(e)" in json.loads(ct.patient_billing)["citation"]["source"]


def test_expected_allowed_comes_from_the_pricing(example_entries):
    import payerkit

    from .conftest import EXAMPLES

    entry = example_entries["ny-covered"]
    pricing = payerkit.PayerKit().price(payerkit.load_case(EXAMPLES / "ny-covered.toml"))
    assert [line.expected_cents for line in entry.lines] == [
        int(line.allowed * 100) for line in pricing.lines]
    assert entry.expected_cents == int(pricing.total_allowed * 100) == 6791
    assert [line.control_number for line in entry.lines] == ["1", "2"]  # REF*6R


def test_the_sqlite_file_and_its_folder_are_private(tmp_path, example_entries):
    path = tmp_path / "new" / "ledger.sqlite3"
    with Ledger.open(f"sqlite:///{path}") as ledger:
        ledger.record([example_entries["ny-covered"]])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_password_on_the_command_line_is_refused_and_never_shown():
    with pytest.raises(LedgerError) as caught:
        choose_url("postgresql://clerk:s3cret@db.example/ledger", from_command_line=True)
    assert "s3cret" not in str(caught.value)
    assert "PAYERKIT_DB" in str(caught.value)
    assert "s3cret" not in shown("postgresql://clerk:s3cret@db.example/ledger")
    # from the environment (or code) it is taken
    assert choose_url("postgresql://clerk:s3cret@db.example/ledger", from_command_line=False)


def test_the_default_ledger_is_in_payerkits_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PAYERKIT_DB", raising=False)
    monkeypatch.setenv("PAYERKIT_DATA_DIR", str(tmp_path))
    assert choose_url(None) == f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    monkeypatch.setenv("PAYERKIT_DB", "sqlite:///elsewhere.db")
    assert choose_url(None) == "sqlite:///elsewhere.db"


def test_opening_migrates_once_and_says_so(db_url):
    said = []
    Ledger.open(db_url, on_migrate=said.append).close()
    Ledger.open(db_url, on_migrate=said.append).close()
    assert len(said) == 1 and said[0].startswith("ledger: applying migration 0001")


def test_a_ledger_of_a_newer_payerkit_is_refused(db_url):
    Ledger.open(db_url).close()
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(LedgerError, match="newer payerkit"):
        Ledger.open(db_url)


def test_the_migrations_make_the_tables_the_code_uses(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with Ledger.open(db_url) as ledger, ledger.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), t.metadata)
    assert differences == []


@pytest.mark.parametrize("url", ["mysql://x@y/z", "not a url", "sqlite:////nonexistent-dir/x/y/l.db"])
def test_a_database_payerkit_cannot_use_is_one_clear_error(url, tmp_path):
    if url.startswith("sqlite") and os.geteuid() == 0:
        url = f"sqlite:///{tmp_path / 'file'}/l.db"
        (tmp_path / "file").write_text("not a folder")
    with pytest.raises(LedgerError) as caught:
        Ledger.open(url)
    assert "Traceback" not in str(caught.value)


def test_patient_keys_are_stable_and_tell_nothing():
    import datetime as dt

    key = patient_key("Maria", "Garcia", dt.date(1975, 7, 22))
    assert key == patient_key(" maria ", "GARCIA", dt.date(1975, 7, 22))
    assert key != patient_key("Maria", "Garcia", dt.date(1975, 7, 23))
    assert len(key) == 10 and key[0] == "P" and "Garcia" not in key


def test_head_is_the_migrations_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from payerkit.ledger.database import _config
    from payerkit.ledger.migrations import HEAD

    config = Config()
    config.set_main_option("script_location", _config(None).get_main_option("script_location"))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_an_up_to_date_ledger_opens_without_alembic(db_url):
    import subprocess
    import sys

    Ledger.open(db_url).close()
    code = ("import sys; from payerkit.ledger import Ledger; Ledger.open(sys.argv[1]).close(); "
            "print('alembic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, db_url], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
