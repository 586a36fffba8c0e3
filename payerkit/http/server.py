"""Starting ``payerkit serve``: the settings checked, the app built, uvicorn run.

The settings are checked before anything listens (a non-loopback address without a token,
a ``--files-dir`` that is not a folder: exit 2) and the app is built once here, so a broken
plugin or a bad control-number counter stops the start with its message, not the first
request. With ``--workers N`` uvicorn starts N processes that each build the app from the
settings handed over in the environment (:func:`payerkit.http.app.app_from_environ`).

uvicorn's own access log is off (it writes the path with its query string); the app's
(:class:`payerkit.http.app.AccessLog`) writes the route's template, never a query value
or a body.
"""

from __future__ import annotations

import os

import uvicorn

from .app import create_app
from .config import SETTINGS_VARIABLE, ServeConfig, to_environ

#: uvicorn's logging, with payerkit's loggers beside its own (one format, stderr).
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                            "stream": "ext://sys.stderr"}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        "payerkit.http": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


def serve(config: ServeConfig) -> int:
    """Listen until stopped (Ctrl-C, SIGTERM); the exit status."""
    config.check()
    app = create_app(config)  # here, once: a broken plugin or counter stops the start
    common = {"host": config.host, "port": config.port, "access_log": False,
              "log_config": LOG_CONFIG, "server_header": False, "proxy_headers": False,
              "timeout_graceful_shutdown": 10}
    if config.workers == 1:
        uvicorn.run(app, **common)
    else:
        os.environ[SETTINGS_VARIABLE] = to_environ(config)
        uvicorn.run("payerkit.http.app:app_from_environ", factory=True,
                    workers=config.workers, **common)
    return 0
