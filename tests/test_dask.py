"""The Dask path: a LocalCluster of 2 worker processes gives the local run's results, line for
line, and one-file-per-case claims get control numbers from blocks the driver reserved."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
db = pytest.importorskip("dask.bag")

from payerkit.batch import BatchSettings, find_items, run_batch  # noqa: E402
from payerkit.dask import dask_mapper, evaluate_bag  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


@pytest.fixture
def cases(tmp_path):
    folder = tmp_path / "cases"
    shutil.copytree(EXAMPLES, folder)
    (folder / "zz-broken.toml").write_text("program = \n")
    return folder


def lines(out: Path, drop_numbers=True) -> list[dict]:
    results = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    for r in results:
        if drop_numbers and r["claim"]:
            r["claim"].pop("interchange", None)
            r["claim"].pop("transaction", None)
    return results


def test_dask_results_equal_the_local_run(client, cases, tmp_path, payerkit_data_dir):
    items = list(find_items([str(cases)]))
    local = BatchSettings(tmp_path / "local", claims_per_transaction=4)
    run_batch(items, local, jobs=1)
    settings = BatchSettings(tmp_path / "dask", claims_per_transaction=4)
    summary = run_batch(items, settings, mapper=dask_mapper(client, settings, partition_size=7))
    assert lines(tmp_path / "dask") == lines(tmp_path / "local")
    assert summary.statuses["invalid"] == 1
    local_837 = sorted(p.name for p in (tmp_path / "local").glob("*.837"))
    assert sorted(p.name for p in (tmp_path / "dask").glob("*.837")) == local_837


def test_a_bag_built_by_the_caller(client, cases, tmp_path, payerkit_data_dir):
    settings = BatchSettings(tmp_path / "out")
    bag = db.from_sequence(list(find_items([str(cases)])), npartitions=3)
    summary = run_batch(bag, settings, mapper=lambda bag: evaluate_bag(bag, settings, client))
    assert summary.cases == len(list(find_items([str(cases)])))


def test_claim_files_take_numbers_from_blocks_the_driver_reserved(client, cases, tmp_path,
                                                                  payerkit_data_dir):
    settings = BatchSettings(tmp_path / "out", per_case=True)
    items = list(find_items([str(cases)]))
    run_batch(items, settings, mapper=dask_mapper(client, settings, partition_size=5))
    numbers = []
    for r in lines(tmp_path / "out"):
        if r["status"] == "written":
            first = (tmp_path / "out" / r["claim"]["file"]).read_text().split("~")[0]
            numbers.append(int(first.split("*")[13]))
    assert numbers and len(set(numbers)) == len(numbers)
    counter = int((payerkit_data_dir / "x12-control-number").read_text())
    assert max(numbers) <= counter  # reserved by the driver, from the counter
    assert counter >= len(items)  # a number for every case, written or not
