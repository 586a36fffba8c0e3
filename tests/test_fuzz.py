"""The mutation fuzzer (tests/fuzzing.py) in CI: every command on every hostile input ends
in exit 0/1/2/3 with no traceback, no planted personal value on screen, no claim refused after
a clean scrub, and every written claim accepted by pyx12 and the semantic 837P checks.

Seeded and deterministic: a few hundred cases by default, thousands with ``--fuzz-long``.
"""

from __future__ import annotations

import pytest
from fuzzing import HOSTILE, OPS, VALUES, Tally, base_cases, mutate, run_case, to_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BASES = base_cases()
STEP = st.tuples(st.integers(0, 10**6), st.integers(0, len(OPS) - 1),
                 st.integers(0, len(VALUES) - 1))


def assert_clean(tally: Tally) -> None:
    assert tally.bad == 0, {k: v for k, v in tally.failures.items()}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(autouse=True)
def _data_dir(payerkit_data_dir):
    return payerkit_data_dir


@pytest.mark.parametrize("path", HOSTILE, ids=[p.name for p in HOSTILE])
def test_hostile_file(path, workdir):
    tally = Tally()
    run_case(path.read_bytes().decode("utf-8", "surrogateescape"), path.suffix, tally,
             workdir, path.name)
    assert_clean(tally)


def test_mutated_cases(request, workdir):
    examples = 3000 if request.config.getoption("--fuzz-long") else 250
    tally = Tally()

    @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(base=st.integers(0, len(BASES) - 1), plan=st.lists(STEP, max_size=4))
    def one(base, plan):
        run_case(to_json(mutate(BASES[base], plan)), ".json", tally, workdir, f"{base} {plan}")

    one()
    assert tally.counts["runs"] >= examples * 5
    assert tally.counts["claims_written"] > 0, "no mutated case made a claim: the fuzzer is blind"
    assert_clean(tally)
