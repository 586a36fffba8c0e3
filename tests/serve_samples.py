"""Shared by ``payerkit serve``'s tests (tests/http/): example cases as JSON, a free port, a
live server in a subprocess."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from payerkit import load_case, unstructure_case

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
JSON_BODY = {"content-type": "application/json"}
#: A token long enough for the server to take.
TOKEN = "test-token-0123456789abcdef"


def case_json(name: str) -> dict:
    """An example case (``examples/<name>.toml``) as the JSON a billing app would send."""
    return unstructure_case(load_case(EXAMPLES / f"{name}.toml"))


#: The treatment-plan examples (examples/plans).
PLANS = sorted((EXAMPLES / "plans").glob("*.toml"))


def plan_json(path: Path) -> dict:
    """A plan example as a billing app sends it: its fee file named inside ``--files-dir``
    (the examples folder), as the server confines it."""
    data = unstructure_case(load_case(path))
    if data.get("fees", {}).get("file"):
        data["fees"]["file"] = Path(data["fees"]["file"]).name
    return data


def body(data: dict) -> bytes:
    return json.dumps(data).encode()


def free_port() -> int:
    """A TCP port free on the loopback now (the OS's choice)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """``payerkit serve`` in a subprocess on a free loopback port, its log in a file; a
    context manager that waits until it answers and stops it (SIGTERM) afterwards."""

    def __init__(self, *args: str, env: dict | None = None, log: Path, cwd: Path = ROOT,
                 port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = ["--port", str(self.port), *args]
        self.env = {**os.environ, **(env or {})}
        self.log_path = log
        self.cwd = cwd
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> LiveServer:
        self.log_file = open(self.log_path, "wb")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            [sys.executable, "-m", "payerkit.cli", "serve", *self.args], cwd=self.cwd,
            env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"payerkit serve ended ({self.process.returncode}): "
                                   f"{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError(f"payerkit serve did not answer in 30 s: {self.log()}")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()

    def log(self) -> str:
        self.log_file.flush()
        return self.log_path.read_text(errors="replace")


class AppClient:
    """Requests to an ASGI app in this process (httpx's ASGI transport), one call at a time,
    as a billing app would make them: addressed to 127.0.0.1 unless told otherwise."""

    def __init__(self, app, base_url: str = "http://127.0.0.1"):
        self.app = app
        self.base_url = base_url

    def request(self, method: str, url: str, **kwargs):
        import anyio
        import httpx

        async def call():
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url=self.base_url) as client:
                return await client.request(method, url, **kwargs)

        return anyio.run(call)

    def get(self, url: str, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self.request("POST", url, **kwargs)


# -- 835 remittances for the ledger's door (/v1/ledger) ----------------------------------------

#: The 835 docs/http.md posts, for the claims of examples/http/ny-covered.json and
#: regence-covered.json as /v1/claims writes them (PK2603124BXARX, PK260316SNYD2E): New
#: York pays the 97140 line below the fee schedule; Regence allows its 97124 below the
#: contracted rate and leaves the patient her coinsurance.
DOC_835 = EXAMPLES / "http" / "payment.835"


def service_line(control: str, code: str, date, units: int, charge: str, paid: str,
                 *adjustments: tuple[str, str, str]):
    """An SVC loop: ``adjustments`` as ``(group, reason, amount)``."""
    from decimal import Decimal

    from payerkit.remittance.model import Adjustment, ServicePayment

    return ServicePayment("HC", code, Decimal(charge), Decimal(paid), units=Decimal(units),
                          date=date, control_number=control,
                          adjustments=tuple(Adjustment(g, r, Decimal(a))
                                            for g, r, a in adjustments))


def claim_payment(claim_id: str, status: str, lines, number: str, *, filing: str = "12",
                  charge: str | None = None, paid: str | None = None):
    """A CLP loop over ``lines`` (its charge, payment and the patient's share summed from
    them), or, without lines, of ``charge`` and ``paid``. The patient's name is the NY
    example's: a test may check it never leaks."""
    from decimal import Decimal

    from payerkit.remittance.model import ClaimPayment, PatientName

    lines = tuple(lines)
    total = sum((line.charge for line in lines), Decimal(0)) if charge is None else Decimal(charge)
    got = sum((line.paid for line in lines), Decimal(0)) if paid is None else Decimal(paid)
    patient = sum((a.amount for line in lines for a in line.adjustments if a.group == "PR"),
                  Decimal(0))
    return ClaimPayment(claim_id, status, total, got, filing, number,
                        patient_responsibility=patient, lines=lines,
                        patient_name=PatientName("GARCIA", "MARIA"))


def remittance(trace: str, payer: str, payer_id: str, claims, *, st02: str = "0001",
               paid_on=None):
    """One 835 transaction paying ``claims`` (BPR02 their sum), from an invented payer."""
    import datetime as dt
    from decimal import Decimal

    from payerkit.remittance.model import Remittance

    claims = tuple(claims)
    return Remittance(
        interchange_control_number="000000835", group_control_number="1",
        transaction_control_number=st02, handling_code="I",
        total_paid=sum((c.paid for c in claims), Decimal(0)), credit_debit="C",
        payment_method="CHK", paid_on=paid_on or dt.date(2026, 5, 4), trace_number=trace,
        originator_id="1" + payer_id.rjust(9, "0"), payer_name=payer, payer_id=payer_id,
        payee_name="INVENTED MASSAGE CLINIC", payee_npi="1234567893", claims=claims)


def doc_remittances() -> list:
    """The remittances of :data:`DOC_835`, one per payer."""
    import datetime as dt

    ny, regence = dt.date(2026, 3, 12), dt.date(2026, 3, 16)
    return [
        remittance("CHK100200", "EXAMPLE AUTO INSURANCE CO", "98765", [claim_payment(
            "PK2603124BXARX", "1", [
                service_line("1", "97124", ny, 2, "37.58", "37.58"),
                service_line("2", "97140", ny, 1, "30.33", "25.00", ("CO", "45", "5.33"))],
            "NF20251220A", filing="AM")]),
        remittance("EFT7700", "REGENCE BLUESHIELD", "00932", [claim_payment(
            "PK260316SNYD2E", "1", [
                service_line("1", "97124", regence, 3, "90.00", "48.00", ("CO", "45", "30.00"),
                             ("PR", "2", "12.00")),
                service_line("2", "97140", regence, 1, "35.00", "21.60", ("CO", "45", "8.00"),
                             ("PR", "2", "5.40"))],
            "REG0000001")], st02="0002"),
    ]
