"""Benchmark ``payerkit serve``: ``POST /v1/evaluate`` over loopback against the same work in
process, and the server's memory.

    python benchmarks/bench_http.py [-n 2000] [--concurrency 1,8,32] [--workers 1]

Starts ``payerkit serve --files-dir examples`` in a subprocess on a free loopback port (control
numbers in a temporary ``PAYERKIT_DATA_DIR``), then from this process with one
``httpx.AsyncClient``:

1. 100 requests to warm up; the server's RSS (``/proc/<pid>/status``) after them;
2. at concurrency 1, ``n`` requests alternating with ``n`` requests from a bare socket
   client and ``n`` in-process runs of the same work (``Service.ask``: read the case from the
   same JSON bytes, ``kit.evaluate``, the answer's JSON shape; and ``kit.evaluate`` alone on
   a case read once), one after the other: the overhead per request is a round trip's median
   less the in-process median (with httpx: the client's cost included; with the bare
   client: the server's own);
3. at each other concurrency, ``n`` requests with that many in flight;
4. requests until the server has answered 10,000 in all; its RSS then.

Prints, for each concurrency: throughput, p50 and p99 latency, errors (any answer but 200, or
a failed connection; must be 0). The bodies are four example cases as JSON (New York
no-fault, Premera, Connecticut workers' compensation, Regence), each request the next one.
Both the client and the server run on this machine: on 2 cores the client's own work is part
of what is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CASES = ("ny-covered", "premera-covered", "ct-wc-covered", "regence-covered")


def bodies() -> list[bytes]:
    from payerkit import load_case, unstructure_case

    return [json.dumps(unstructure_case(load_case(EXAMPLES / f"{name}.toml"))).encode()
            for name in CASES]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn's workers), in MiB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


class RawClient:
    """HTTP/1.1 over one keep-alive socket, by hand: a client whose own cost is next to
    nothing, to tell the server's time from httpx's."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.file = self.sock.makefile("rb")

    def post(self, path: str, body: bytes) -> bool:
        self.sock.sendall(b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                          b"application/json\r\nContent-Length: %d\r\n\r\n"
                          % (path.encode(), len(body)) + body)
        status, length = self.file.readline(), 0
        while (line := self.file.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return status.split()[1] == b"200" and len(self.file.read(length)) == length

    def close(self) -> None:
        self.file.close()
        self.sock.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def drain(one, queue, latencies: list, failed: list) -> None:
    """One of the requests in flight: take the next request number until there is none."""
    for i in queue:
        seconds, ok = await one(i)
        latencies.append(seconds)
        if not ok:
            failed.append(i)


async def run(args) -> None:
    import httpx

    from payerkit.http.service import Service, Visits
    from payerkit.io import case_from_text

    port = free_port()
    data_dir = tempfile.mkdtemp(prefix="bench-http-")
    env = {**os.environ, "PAYERKIT_DATA_DIR": data_dir, "PAYERKIT_API_TOKEN": ""}
    server = subprocess.Popen([sys.executable, "-m", "payerkit.cli", "serve", "--port", str(port),
                               "--files-dir", "examples", "--workers", str(args.workers)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=open(args.log, "wb") if args.log else subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1/evaluate"
    cases = bodies()
    headers = {"content-type": "application/json"}
    served = 0
    try:
        async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(
                max_connections=max(args.concurrency), max_keepalive_connections=max(
                    args.concurrency))) as client:
            for _ in range(300):
                try:
                    await client.get(f"http://127.0.0.1:{port}/v1/programs")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)

            async def one(i: int) -> tuple[float, bool]:
                began = time.perf_counter()
                try:
                    answer = await client.post(url, content=cases[i % len(cases)], headers=headers)
                    ok = answer.status_code == 200 and answer.content.startswith(b'{"program"')
                except httpx.HTTPError:
                    ok = False
                return time.perf_counter() - began, ok

            for i in range(100):
                await one(i)
            served += 100
            rss_100 = rss_mib(server.pid)

            # in process: the same work, the same bytes
            os.environ["PAYERKIT_DATA_DIR"] = data_dir
            service = Service(files_dir=EXAMPLES)
            read = [case_from_text(b.decode(), "case.json", EXAMPLES, confined=True) for b in cases]
            service.ask("evaluate", cases[0], Visits(), None)  # warm
            rows = []
            for concurrency in args.concurrency:
                latencies, errors = [], 0
                inproc, evaluate_only = [], []
                began = time.perf_counter()
                if concurrency == 1:
                    raw, bare = RawClient(port), []
                    for i in range(args.n):
                        seconds, ok = await one(i)
                        latencies.append(seconds)
                        errors += not ok
                        t = time.perf_counter()
                        errors += not raw.post("/v1/evaluate", cases[i % len(cases)])
                        bare.append(time.perf_counter() - t)
                        t = time.perf_counter()
                        service.ask("evaluate", cases[i % len(cases)], Visits(), None)
                        inproc.append(time.perf_counter() - t)
                        t = time.perf_counter()
                        service.kit.evaluate(read[i % len(read)])
                        evaluate_only.append(time.perf_counter() - t)
                    wall = sum(latencies)  # the in-process work between requests not counted
                    raw.close()
                    served += args.n
                else:
                    queue, failed = iter(range(args.n)), []
                    await asyncio.gather(*(drain(one, queue, latencies, failed)
                                           for _ in range(concurrency)))
                    errors = len(failed)
                    wall = time.perf_counter() - began
                served += args.n
                row = {"concurrency": concurrency, "requests": args.n,
                       "throughput": args.n / wall,
                       "p50_ms": percentile(latencies, 0.5) * 1000,
                       "p99_ms": percentile(latencies, 0.99) * 1000, "errors": errors}
                if inproc:
                    row["bare_ms"] = statistics.median(bare) * 1000
                    row["in_process_ms"] = statistics.median(inproc) * 1000
                    row["evaluate_only_ms"] = statistics.median(evaluate_only) * 1000
                    row["overhead_ms"] = row["p50_ms"] - row["in_process_ms"]
                rows.append(row)

            while served < 10_000:
                batch = min(64, 10_000 - served)
                await asyncio.gather(*(one(served + i) for i in range(batch)))
                served += batch
            rss_10k = rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(15)

    print(f"payerkit serve --workers {args.workers}: POST /v1/evaluate, {args.n} requests per "
          f"row, 4 example cases in turn, client and server on this machine "
          f"({os.cpu_count()} CPUs)\n")
    print("| concurrency | requests/s | p50 ms | p99 ms | errors |")
    print("|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['concurrency']} | {row['throughput']:.0f} | {row['p50_ms']:.2f} | "
              f"{row['p99_ms']:.2f} | {row['errors']} |")
    first = rows[0]
    if "in_process_ms" in first:
        print(f"\nin process, alternating with the requests at concurrency 1 (medians): "
              f"Service.ask (read + evaluate + JSON shape) {first['in_process_ms']:.2f} ms, "
              f"kit.evaluate alone {first['evaluate_only_ms']:.2f} ms; HTTP p50 "
              f"{first['p50_ms']:.2f} ms: the server's overhead per request "
              f"{first['overhead_ms']:.2f} ms over Service.ask, "
              f"{first['p50_ms'] - first['evaluate_only_ms']:.2f} ms over kit.evaluate")
        print(f"the same requests from a bare socket client (one keep-alive connection, no "
              f"HTTP library), alternating too: p50 {first['bare_ms']:.2f} ms, the server's "
              f"own overhead {first['bare_ms'] - first['in_process_ms']:.2f} ms over "
              f"Service.ask; the rest of the httpx figure is the client's")
    if args.log:
        times = sorted(float(line.rsplit(" ", 1)[1].removesuffix("ms"))
                       for line in Path(args.log).read_text().splitlines()
                       if "payerkit.http.access" in line and "/v1/evaluate" in line)
        print(f"\nin the server (its access log, every /v1/evaluate): p50 "
              f"{percentile(times, 0.5):.2f} ms, p99 {percentile(times, 0.99):.2f} ms, "
              f"max {times[-1]:.1f} ms")
    print(f"\nserver RSS: {rss_100:.1f} MiB after 100 requests, {rss_10k:.1f} MiB after "
          f"{served} ({rss_10k - rss_100:+.1f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="requests per concurrency")
    parser.add_argument("--concurrency", default="1,8,32",
                        type=lambda t: [int(x) for x in t.split(",")])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--log", help="write the server's log (its access lines) to this file")
    args = parser.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
