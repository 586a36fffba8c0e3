"""Fixtures for ``payerkit serve``'s tests: the app over the installed plugins, a client."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from serve_samples import EXAMPLES, AppClient  # noqa: E402

from payerkit import PayerKit  # noqa: E402
from payerkit.http.app import create_app  # noqa: E402
from payerkit.http.config import ServeConfig  # noqa: E402


@pytest.fixture(scope="session")
def installed_kit():
    """The kit over every installed plugin (made once: tests only read it)."""
    return PayerKit()


@pytest.fixture
def make_client(installed_kit, payerkit_data_dir):
    """A client of an app made with the given settings (default: loopback, no token, the
    examples folder as ``--files-dir``), addressed to 127.0.0.1."""
    def make(kit=None, base_url: str = "http://127.0.0.1", **settings):
        settings.setdefault("files_dir", EXAMPLES)
        settings.setdefault("data_dir", payerkit_data_dir)
        return AppClient(create_app(ServeConfig(**settings), kit=kit or installed_kit), base_url)

    return make


@pytest.fixture
def client(make_client):
    return make_client()
