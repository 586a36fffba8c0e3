"""Options every claim writer receives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from attrs import frozen


@frozen
class ControlNumbers:
    """X12 control numbers: ISA13/IEA02, GS06/GE02, ST02/SE02."""

    interchange: int
    group: int
    transaction: int


@frozen
class WriteOptions:
    """``control``: the caller's control numbers; when ``None`` the writer takes the
    next ones from the counter in ``data_dir`` (default: the user's data directory,
    or ``$PAYERKIT_DATA_DIR``). ``now``: the clock for envelope dates (default: now).
    ``claims_per_transaction``: for a format that streams claims in transaction sets
    (the 837P's ST/SE), at most this many claims in each (at most 5000, the TR3's limit)."""

    control: ControlNumbers | None = None
    now: dt.datetime | None = None
    data_dir: Path | None = None
    claims_per_transaction: int = 5000
