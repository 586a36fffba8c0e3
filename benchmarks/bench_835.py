"""Read and balance-check an 835 of 10,000 claim payments; pyx12 validating the same file.

    python benchmarks/bench_835.py [--claims 10000] [--pairs 3]

Builds one balanced 835 (``payerkit.testing.remit.sample_remittance``: invented patients,
one or two lines a claim, CO/PR adjustments, denials, a PLB) with the test writer, then,
in this one process, alternately (the order flips every pair) times:

* payerkit: ``read_835`` on the bytes, then ``check_balance`` on every remittance;
* pyx12 4.0.0 (the test extra's): ``payerkit.testing.x12.validate_with_pyx12`` on the same
  text (it must accept it, else the run stops).

Both first run once unmeasured (imports, pyx12's map). Prints each run's wall-clock
seconds and claims/s, the median of each side, and the median of the paired ratios
pyx12 / payerkit: a same-run ratio, so the machine's speed cancels out. pyx12 checks
the syntax against its map and does not balance; payerkit reads into records and
balances; neither side does the other's work, so the ratio says what validating with
pyx12 on every post would add, not which is "faster" at the same job.
"""

from __future__ import annotations

import argparse
import statistics
import time

from payerkit.remittance import check_balance, read_835
from payerkit.testing.remit import sample_remittance, write_835
from payerkit.testing.x12 import validate_with_pyx12


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args()

    data = write_835([sample_remittance(claims=args.claims)])
    text = data.decode("ascii")
    print(f"835: {args.claims} claim payments, {len(data) / 1e6:.1f} MB, "
          f"{text.count('~')} segments")

    def payerkit() -> float:
        start = time.perf_counter()
        remittances = read_835(data)
        problems = [p for r in remittances for p in check_balance(r)]
        seconds = time.perf_counter() - start
        assert not problems and sum(len(r.claims) for r in remittances) == args.claims
        return seconds

    def pyx12() -> float:
        start = time.perf_counter()
        errors = validate_with_pyx12(text)
        seconds = time.perf_counter() - start
        if errors:
            raise SystemExit(f"pyx12 refused the file: {errors[:3]}")
        return seconds

    payerkit(), pyx12()  # warm: imports, pyx12's map
    ours, theirs, ratios = [], [], []
    for pair in range(args.pairs):
        order = (payerkit, pyx12) if pair % 2 == 0 else (pyx12, payerkit)
        timed = {f.__name__: f() for f in order}
        ours.append(timed["payerkit"])
        theirs.append(timed["pyx12"])
        ratios.append(timed["pyx12"] / timed["payerkit"])
        print(f"pair {pair + 1}: payerkit read+balance {timed['payerkit']:.3f} s "
              f"({args.claims / timed['payerkit']:,.0f} claims/s); pyx12 validate "
              f"{timed['pyx12']:.3f} s ({args.claims / timed['pyx12']:,.0f} claims/s); "
              f"ratio {ratios[-1]:.1f}")
    print(f"median: payerkit {statistics.median(ours):.3f} s "
          f"({args.claims / statistics.median(ours):,.0f} claims/s), pyx12 "
          f"{statistics.median(theirs):.3f} s; pyx12 / payerkit = {statistics.median(ratios):.1f}")


if __name__ == "__main__":
    main()
