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


def _doc_examples() -> list[tuple[str, int, bool]]:
    """Each curl line of docs/http.md's bash blocks: (command, expected status, needs the
    token server)."""
    examples = []
    for block in re.findall(r"```bash\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        status = re.search(r"^# status: (\d+)$", block, re.M)
        token = re.search(r"^# server: token$", block, re.M) is not None
        for line in block.splitlines():
            if line.startswith("curl "):
                examples.append((line, int(status.group(1)) if status else 200, token))
    return examples


def test_the_doc_has_an_example_of_every_endpoint():
    commands = " ".join(command for command, _, _ in _doc_examples())
    for path in ("/v1/programs", "/v1/programs/ny-no-fault", "/v1/check", "/v1/price",
                 "/v1/limits", "/v1/terms", "/v1/scrub", "/v1/evaluate", "/v1/claims",
                 "/v1/batch", "/v1/openapi.json"):
        assert f"8000{path}" in commands, path


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_the_curl_examples_of_the_doc_run_against_a_live_server(tmp_path, payerkit_data_dir):
    """Every ``curl`` line of docs/http.md, run by a shell in a folder whose ``examples`` is the
    repository's, against ``payerkit serve --files-dir examples`` (and, for the token's
    example, a second server with a token), gets the status the doc says (200 unless it says
    ``# status: N``), and what it answers is what the doc says it is."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "examples").symlink_to(EXAMPLES)
    env = {"PAYERKIT_DATA_DIR": str(payerkit_data_dir), "PAYERKIT_API_TOKEN": ""}
    token_env = {**env, "PAYERKIT_API_TOKEN": TOKEN}
    with LiveServer("--files-dir", "examples", env=env, log=tmp_path / "plain.log") as plain, \
            LiveServer(env=token_env, log=tmp_path / "token.log") as guarded:
        for command, status, token in _doc_examples():
            server = guarded if token else plain
            line = command.replace("http://127.0.0.1:8000", server.url)
            done = subprocess.run(["bash", "-c", "curl -w '\\n%{http_code}' " + line[5:]],
                                  cwd=work, capture_output=True, timeout=60,
                                  env={"PATH": "/usr/bin:/bin", **(token_env if token else env)})
            assert done.returncode == 0, (command, done.stderr)
            *_, code = done.stdout.rsplit(b"\n", 1)
            assert int(code) == status, (command, done.stdout[-500:])
        log = plain.log()
    # what the claims wrote, under the names the server gave
    assert (work / "ny-no-fault-2026-03-12.837").read_bytes().startswith(b"ISA*00*")
    assert (work / "ny-no-fault-2026-03-12.nf-3.pdf").read_bytes().startswith(b"%PDF-")
    # the access log: one line per request, routes as declared, no patient data or query value
    access = [line for line in log.splitlines() if "payerkit.http.access" in line]
    assert len(access) == len([e for e in _doc_examples() if not e[2]])
    assert any('"GET /v1/programs/{id}" 200' in line for line in access)
    for value in (*PATIENT, "2026-03-06", "as_of", "nf-3", "Traceback"):
        assert value not in log


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
