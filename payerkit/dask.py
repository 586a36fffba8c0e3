"""Batch billing on a Dask cluster, for a backlog bigger than one machine.

Needs the optional extra: ``pip install 'payerkit[dask]'`` (``dask[distributed]``),
and payerkit with the same plugins installed on every worker.

From the command line::

    payerkit batch backlog.jsonl -o out/ --dask tcp://scheduler:8786

As a library, on a ``dask.bag`` of :class:`payerkit.batch.Item`::

    import dask.bag as db
    from distributed import Client
    from payerkit.batch import BatchSettings, find_items, run_batch
    from payerkit.dask import evaluate_bag

    client = Client("tcp://scheduler:8786")
    settings = BatchSettings(out="out")
    bag = db.from_sequence(list(find_items(["cases/"])), partition_size=500)
    run_batch(bag, settings, mapper=lambda bag: evaluate_bag(bag, settings, client))

**How the work is split.** Each partition of the bag is evaluated on a worker
(one :class:`payerkit.PayerKit` per worker process, built once): loading,
pricing, scrubbing and building each claim, the costly part. The driver
receives the partitions' results *in the bag's order* and writes
``results.jsonl``, the interchanges and ``summary.json`` exactly as a local run
does (:func:`payerkit.batch.run_batch`), so the results are the same line for
line. One writer is what "one interchange per payer" needs; it writes about
ten times faster than one worker evaluates, so past roughly ten worker cores
the driver's writing (and the network) bounds a run, not the cluster.

**Control numbers** never leave the driver's counter unreserved: interchanges
take theirs in the driver; with one 837P file per case (``per_case``), the
driver counts each partition's cases, reserves a block of exactly that many
numbers (:func:`payerkit.formats.control.reserve_control_numbers`) and hands
it to the partition, so workers on other machines never touch a counter and
never repeat a number. Unused numbers (a refused claim) are gaps, never reused.

**What it does not do.** Workers write one-file-per-case claims into
``out/claims/`` themselves, so that folder must be on storage every worker
shares; interchanges and results are written by the driver only. Items are
listed in the driver to build the bag (their text, for JSON Lines), so the
driver holds the input list, not the results. A worker that dies loses its
partition's task, which Dask runs again; the driver writes nothing of a
partition before it has all of it. There is no resuming a stopped run: it
leaves no output (every file is written whole at the end), and is run again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .batch import BatchSettings, Evaluated, Item, evaluate_item

#: Cases per partition when the CLI builds the bag.
PARTITION_SIZE = 500
#: Each worker process's kit, built on its first partition.
_KIT = None


#: Seconds to wait for the scheduler: a running one answers in milliseconds, so a wrong
#: address is said in seconds, not after Dask's default of 30.
CONNECT_TIMEOUT = 5


def dask_mapper(scheduler, settings: BatchSettings, partition_size: int = PARTITION_SIZE):
    """The mapper :func:`payerkit.batch.run_batch` uses for ``--dask``: evaluates the items
    on ``scheduler`` (a ``distributed.Client``, or an address to :func:`connect` to when the
    run begins, closed when it ends)."""

    def mapper(items: Iterable[Item]) -> Iterator[Evaluated]:
        import dask.bag as db

        client = connect(scheduler)
        try:
            bag = db.from_sequence(list(items), partition_size=partition_size)
            yield from evaluate_bag(bag, settings, client)
        finally:
            if client is not scheduler:
                client.close()

    return mapper


def connect(scheduler):
    """A ``distributed.Client`` on ``scheduler`` (an address such as ``tcp://host:8786``; a
    client is returned as it is). Every failure is a :class:`payerkit.PayerKitError` naming
    the address and what to do, within :data:`CONNECT_TIMEOUT` seconds: dask missing, an
    address that is not one, nothing listening, or something there that is not a scheduler
    (it answers with bytes Dask cannot read)."""
    from .errors import PayerKitError

    try:
        from distributed import Client
    except ImportError:
        raise PayerKitError("--dask needs dask's distributed scheduler: pip install "
                            "'payerkit[dask]'") from None
    if isinstance(scheduler, Client):
        return scheduler
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise PayerKitError(f"cannot reach the Dask scheduler at {scheduler!r} "
                            f"({type(exc).__name__}); start one (dask scheduler) or check the "
                            "address") from None
    except (ValueError, TypeError) as exc:
        raise PayerKitError(f"--dask: cannot use the address {scheduler!r} "
                            f"({type(exc).__name__}); expected one such as tcp://host:8786 "
                            "(tls:// needs Dask's security settings)") from None
    except Exception as exc:  # e.g. MemoryError: another service's bytes read as a frame size
        raise PayerKitError(f"cannot connect to the Dask scheduler at {scheduler!r} "
                            f"({type(exc).__name__}); check that the address is a Dask "
                            "scheduler's (dask scheduler prints it)") from None


def evaluate_bag(bag, settings: BatchSettings, client=None) -> Iterator[Evaluated]:
    """Evaluate a ``dask.bag`` of :class:`payerkit.batch.Item` on the cluster; yield each
    case's :class:`payerkit.batch.Evaluated` in the bag's order, a partition at a time.

    ``client``: a ``distributed.Client`` (default: the current one).
    """
    import dask

    if client is None:
        from distributed import get_client

        client = get_client()
    parts = bag.to_delayed()
    blocks: list[range | None] = [None] * len(parts)
    if settings.numbered_files:  # a number for each case, by partition
        from .formats.control import reserve_control_numbers

        sizes = client.gather(client.compute([dask.delayed(len)(part) for part in parts]))
        blocks = [reserve_control_numbers(n, settings.data_dir) if n else range(0)
                  for n in sizes]
    futures = client.compute([dask.delayed(evaluate_partition)(part, settings, block)
                              for part, block in zip(parts, blocks, strict=True)])
    try:
        for future in futures:
            yield from future.result()
            future.release()
    finally:
        for future in futures:
            future.cancel()


def evaluate_partition(items: list[Item], settings: BatchSettings,
                       block: range | None = None) -> list[Evaluated]:
    """On a worker: evaluate a partition with the worker process's kit; ``block`` holds the
    control numbers reserved for its claim files (one file per case)."""
    global _KIT
    if _KIT is None:
        from .kit import PayerKit

        _KIT = PayerKit()
    numbers = None
    if block is not None:
        from .formats.control import ControlNumberSource

        numbers = ControlNumberSource.from_numbers(block)
    return [evaluate_item(_KIT, item, settings, numbers) for item in items]


__all__ = ["CONNECT_TIMEOUT", "PARTITION_SIZE", "connect", "dask_mapper", "evaluate_bag",
           "evaluate_partition"]
