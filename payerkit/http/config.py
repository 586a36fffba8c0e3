"""The settings of ``payerkit serve`` and the rules a start obeys; no web framework imported.

- **Loopback by default.** ``127.0.0.1:8000``. Any other address (``0.0.0.0``, a LAN
  address, a name other than ``localhost``) needs a token, ``PAYERKIT_API_TOKEN``, of at
  least :data:`MIN_TOKEN` characters: without one the server refuses to start
  (:class:`~payerkit.errors.ServeError`, exit 2). With a token, every request must give it
  (``Authorization: Bearer <token>``), whatever the address.
- **Without a token** the server answers only requests addressed to a loopback name
  (``Host: localhost``, ``127.0.0.1``, ``[::1]``): a web page that rebinds its own name to
  127.0.0.1 (DNS rebinding) cannot reach it through the user's browser.
- **Files.** ``--files-dir`` is the only folder a case may name a file in (``fees.file``);
  without it, a case naming any file is refused (``payerkit.io``'s ``confined`` reading).
- **Limits.** A case body at most :data:`MAX_CASE_BYTES` (the case-file limit, 1 MiB); a
  batch body at most :data:`MAX_BATCH_BYTES`; an 835 posted to the ledger at most
  :data:`MAX_REMITTANCE_BYTES`.

With ``--workers N`` uvicorn starts N processes, each importing the app: the settings travel
to them in the environment (:func:`to_environ`, :func:`from_environ`), the token in its own
variable, never in the settings' text.
"""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path

from attrs import field, frozen

from ..converter import MAX_FILE_BYTES
from ..errors import ServeError

#: The variable holding the API token.
TOKEN_VARIABLE = "PAYERKIT_API_TOKEN"
#: Where ``payerkit serve`` hands its settings to uvicorn's worker processes.
SETTINGS_VARIABLE = "PAYERKIT_SERVE_SETTINGS"
#: The shortest token taken: a short one can be guessed.
MIN_TOKEN = 16
#: A case body: the case-file limit.
MAX_CASE_BYTES = MAX_FILE_BYTES
#: A batch body (JSON Lines): 16 MiB, read whole before the first result line is sent.
MAX_BATCH_BYTES = 16 * 1024 * 1024
#: An 835 posted to ``/v1/ledger/remittances``: 16 MiB, read whole before it is posted (an
#: 835 of 10,000 claim payments is about 3 MiB); ``payerkit ledger post`` reads larger files.
MAX_REMITTANCE_BYTES = 16 * 1024 * 1024
#: Host names (without port) a server with no token answers.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name, as ``--host`` takes it) is this machine's
    loopback: ``localhost``, ``127.0.0.0/8``, ``::1``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@frozen
class ServeConfig:
    """What ``payerkit serve`` was asked: where to listen, the token, the folder of files,
    the limits. ``token`` is never shown (``repr``)."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    files_dir: Path | None = field(default=None, converter=lambda p: None if p is None else Path(p))
    token: str | None = field(default=None, repr=False)
    #: Where the control-number counter lives (default: ``PAYERKIT_DATA_DIR``, else the
    #: user's data folder).
    data_dir: Path | None = field(default=None, converter=lambda p: None if p is None else Path(p))
    max_case_bytes: int = MAX_CASE_BYTES
    max_batch_bytes: int = MAX_BATCH_BYTES
    max_remittance_bytes: int = MAX_REMITTANCE_BYTES
    #: One line per request on the ``payerkit.http.access`` logger.
    access_log: bool = True
    #: An unexpected error's log line carries its traceback (``PAYERKIT_DEBUG=1``): for a
    #: developer, never in production (a traceback may quote patient data).
    debug: bool = False
    #: Record the claims ``/v1/claims`` writes, and answer ``/v1/ledger/...``: the ledger of
    #: ``PAYERKIT_DB``, else the default one (``payerkit serve --ledger``; docs/ledger.md).
    ledger: bool = False

    def check(self) -> ServeConfig:
        """Itself, when a server may start with it; else :class:`ServeError` saying why."""
        if self.token is not None and len(self.token) < MIN_TOKEN:
            raise ServeError(f"{TOKEN_VARIABLE} is {len(self.token)} characters long; a token "
                             f"has at least {MIN_TOKEN} (make one with: python -c 'import "
                             "secrets; print(secrets.token_urlsafe(32))')")
        if self.token is None and not is_loopback(self.host):
            raise ServeError(f"refusing to listen on {self.host!r} without a token: anyone "
                             "who reaches that address could read the answers and claims of "
                             f"the cases sent to it. Set {TOKEN_VARIABLE} (at least "
                             f"{MIN_TOKEN} characters) and give it as 'Authorization: Bearer "
                             "<token>' in every request, or listen on 127.0.0.1")
        if self.files_dir is not None and not self.files_dir.is_dir():
            raise ServeError(f"--files-dir {str(self.files_dir)!r} is not a folder")
        return self

    @property
    def allowed_hosts(self) -> tuple[str, ...] | None:
        """The host names a request may be addressed to; ``None``: any (a token guards it)."""
        return None if self.token else LOOPBACK_NAMES


def token_from_environ() -> str | None:
    """``PAYERKIT_API_TOKEN``, or ``None`` when it is unset or empty."""
    return os.environ.get(TOKEN_VARIABLE) or None


def to_environ(config: ServeConfig) -> str:
    """The settings as the text :func:`from_environ` reads (the token left out)."""
    return json.dumps({"host": config.host, "port": config.port, "workers": config.workers,
                       "files_dir": None if config.files_dir is None else str(config.files_dir),
                       "data_dir": None if config.data_dir is None else str(config.data_dir),
                       "access_log": config.access_log,
                       "ledger": config.ledger})  # debug: from the environment too


def from_environ() -> ServeConfig:
    """The settings ``payerkit serve`` handed over (:data:`SETTINGS_VARIABLE`), with the token
    from :data:`TOKEN_VARIABLE`; the defaults when nothing was handed over."""
    text = os.environ.get(SETTINGS_VARIABLE)
    settings = json.loads(text) if text else {}
    return ServeConfig(**settings, token=token_from_environ(), debug=debug_from_environ()).check()


def debug_from_environ() -> bool:
    """``PAYERKIT_DEBUG`` (a bad value: exit 2, naming it)."""
    from ..env import flag

    return flag("PAYERKIT_DEBUG")
