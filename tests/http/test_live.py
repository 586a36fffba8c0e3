"""``payerkit serve`` itself, in a subprocess on a free loopback port: the start and its
refusals, the curl examples of docs/http.md, the log, control numbers across processes."""

from __future__ import annotations

import concurrent.futures
import json
import re
import shutil
import subprocess
import sys
import urllib.request

import pytest
from serve_samples import EXAMPLES, ROOT, TOKEN, LiveServer

pytest.importorskip("uvicorn")

DOC = ROOT / "docs" / "http.md"
#: Values of the examples' patients that must never reach the server's log.
PATIENT = ("Maria", "Garcia", "1975-07-22", "NF20251220A", "CLM7788990011")


def serve(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "payerkit.cli", "serve", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::"])
def test_a_non_loopback_bind_without_a_token_refuses_to_start(host, monkeypatch):
    monkeypatch.delenv("PAYERKIT_API_TOKEN", raising=False)
    done = serve("--host", host, "--port", "1")
    assert done.returncode == 2
    assert f"refusing to listen on {host!r} without a token" in done.stderr
    assert "PAYERKIT_API_TOKEN" in done.stderr and "Traceback" not in done.stderr


def test_a_short_token_or_a_missing_folder_refuses_to_start(monkeypatch):
    import os

    done = serve("--port", "1", env={**os.environ, "PAYERKIT_API_TOKEN": "abc"})
    assert done.returncode == 2 and "at least 16" in done.stderr
    done = serve("--port", "1", "--files-dir", "no-such-folder")
    assert done.returncode == 2 and "is not a folder" in done.stderr


def _doc_examples() -> list[tuple[str, int, str]]:
    """Each curl line of docs/http.md's bash blocks: (command, expected status, the server
    it needs: ``plain``, ``token`` or ``ledger``, as the block's ``# server:`` line says)."""
    examples = []
    for block in re.findall(r"```bash\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        status = re.search(r"^# status: (\d+)$", block, re.M)
        server = re.search(r"^# server: (token|ledger)$", block, re.M)
        for line in block.splitlines():
            if line.startswith("curl "):
                examples.append((line, int(status.group(1)) if status else 200,
                                 server.group(1) if server else "plain"))
    return examples


def test_the_doc_has_an_example_of_every_endpoint():
    commands = " ".join(command for command, _, _ in _doc_examples())
    for path in ("/v1/programs", "/v1/programs/ny-no-fault", "/v1/check", "/v1/price",
                 "/v1/limits", "/v1/terms", "/v1/scrub", "/v1/evaluate", "/v1/claims",
                 "/v1/plan", "/v1/batch", "/v1/openapi.json", "/v1/ledger/claims", "/v1/ledger/aging",
                 "/v1/ledger/denials", "/v1/ledger/underpayments", "/v1/ledger/remittances",
                 "/v1/ledger/statements/"):
        assert f"8000{path}" in commands, path


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_the_curl_examples_of_the_doc_run_against_a_live_server(tmp_path, payerkit_data_dir):
    """Every ``curl`` line of docs/http.md, run by a shell in a folder whose ``examples`` is the
    repository's, against ``payerkit serve --files-dir examples`` (for the token's example, a
    second server with a token; for the ledger's, a third with ``--ledger`` on a ledger of
    its own), gets the status the doc says (200 unless it says ``# status: N``), and what it
    answers is what the doc says it is."""
    import contextlib
    import importlib.util

    # the ledger's examples need payerkit[ledger] (tox's core environment has it)
    kinds = ("plain", "token", "ledger") if importlib.util.find_spec("sqlalchemy") else \
        ("plain", "token")
    examples = [e for e in _doc_examples() if e[2] in kinds]
    work = tmp_path / "work"
    work.mkdir()
    (work / "examples").symlink_to(EXAMPLES)
    env = {"PAYERKIT_DATA_DIR": str(payerkit_data_dir), "PAYERKIT_API_TOKEN": ""}
    envs = {"plain": env, "token": {**env, "PAYERKIT_API_TOKEN": TOKEN},
            "ledger": {**env, "PAYERKIT_DB": f"sqlite:///{tmp_path / 'ledger.sqlite3'}"}}
    args = {"plain": ("--files-dir", "examples"), "token": (),
            "ledger": ("--ledger", "--files-dir", "examples")}
    with contextlib.ExitStack() as stack:
        servers = {kind: stack.enter_context(LiveServer(*args[kind], env=envs[kind],
                                                        log=tmp_path / f"{kind}.log"))
                   for kind in kinds}
        for command, status, kind in examples:
            line = command.replace("http://127.0.0.1:8000", servers[kind].url)
            done = subprocess.run(["bash", "-c", "curl -w '\\n%{http_code}' " + line[5:]],
                                  cwd=work, capture_output=True, timeout=60,
                                  env={"PATH": "/usr/bin:/bin", **envs[kind]})
            assert done.returncode == 0, (command, done.stderr)
            *_, code = done.stdout.rsplit(b"\n", 1)
            assert int(code) == status, (command, done.stdout[-500:])
    # read once the servers have stopped: an access line is written after its answer is sent
    logs = {kind: server.log_path.read_text(errors="replace") for kind, server in
            servers.items()}
    # what the claims wrote, under the names the server gave
    assert (work / "ny-no-fault-2026-03-12.837").read_bytes().startswith(b"ISA*00*")
    assert (work / "ny-no-fault-2026-03-12.nf-3.pdf").read_bytes().startswith(b"%PDF-")
    assert (work / "premera-wa-2026-03-20.progress-report.pdf").read_bytes().startswith(b"%PDF-")
    # the access log: one line per request, routes as declared, no patient data or query value
    for kind in [k for k in ("plain", "ledger") if k in logs]:
        access = [line for line in logs[kind].splitlines() if "payerkit.http.access" in line]
        assert len(access) == len([e for e in examples if e[2] == kind]), kind
    assert '"GET /v1/programs/{id}" 200' in logs["plain"]
    for value in (*PATIENT, "2026-03-06", "as_of", "nf-3", "Traceback"):
        assert value not in logs["plain"]
    if "ledger" in logs:
        assert (work / "statement.pdf").read_bytes().startswith(b"%PDF-")
        assert '"GET /v1/ledger/statements/{patient}" 200' in logs["ledger"]
        for value in (*PATIENT, "Okafor", "1982-04-14", "PVJZ2V2DW2", "PAAAAAAAAA",
                      "2027-02-01", "status=", "Traceback"):
            assert value not in logs["ledger"]


def test_the_doc_says_what_a_file_outside_files_dir_answers(client):
    documented = re.search(r"answers\n\n```json\n(.*?)\n```", DOC.read_text(encoding="utf-8"),
                           re.S).group(1)
    answer = client.post("/v1/price", content=(EXAMPLES / "http" / "outside-files-dir.json")
                         .read_bytes(), headers={"content-type": "application/json"})
    assert answer.json() == json.loads(documented)


def _isa13(url: str, case: bytes) -> str:
    request = urllib.request.Request(f"{url}/v1/claims", data=case, method="POST",
                                      headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.read().split(b"*", 14)[13].decode()


def test_control_numbers_are_unique_across_worker_processes_and_servers(tmp_path,
                                                                         payerkit_data_dir):
    """Two servers on one counter, one of them with two uvicorn workers: 3 processes, each
    reserving its own blocks; 60 claims written at once carry 60 different ISA13s."""
    case = (EXAMPLES / "http" / "ny-covered.json").read_bytes()
    env = {"PAYERKIT_DATA_DIR": str(payerkit_data_dir), "PAYERKIT_API_TOKEN": ""}
    with LiveServer("--workers", "2", "--files-dir", "examples", env=env,
                    log=tmp_path / "two.log") as two, \
            LiveServer("--files-dir", "examples", env=env, log=tmp_path / "one.log") as one:
        urls = [two.url, one.url] * 30
        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            numbers = list(pool.map(lambda url: _isa13(url, case), urls))
    assert len(set(numbers)) == 60
    assert all(re.fullmatch(r"\d{9}", n) for n in numbers)
    # every number came from the one counter, in blocks reserved under its lock
    assert int((payerkit_data_dir / "x12-control-number").read_text()) >= max(map(int, numbers))
