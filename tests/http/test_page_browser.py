"""The practice page in a real browser: Debian's Chromium driven by Playwright against a
live ``payerkit serve``. Skipped where either is missing, unless ``PAYERKIT_BROWSER_TESTS``
is ``required`` (CI sets it: there a missing browser is a failure, not a skip)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from page_support import NY_VISIT

REQUIRED = os.environ.get("PAYERKIT_BROWSER_TESTS") == "required"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: As Debian's Chromium runs here: no sandbox (root in CI) and nothing fetched from the
#: network, which is closed (research pass 5 §E).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def _missing() -> str | None:
    if CHROMIUM is None:
        return "Debian's chromium is not installed (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (the test extra)"
    return None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    missing = _missing()
    if missing:
        if REQUIRED:
            pytest.fail(missing)
        pytest.skip(missing)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = tmp_path_factory.mktemp("data")
    child = subprocess.Popen([sys.executable, "-m", "payerkit.cli", "serve", "--port",
                              str(port)], env={**os.environ, "PAYERKIT_DATA_DIR": str(data)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=1).close()
            break
        except OSError:
            if child.poll() is not None or time.monotonic() > deadline:
                child.kill()
                pytest.fail("payerkit serve did not start: "
                            + child.stderr.read().decode(errors="replace")[-2000:])
            time.sleep(0.1)
    yield base
    child.terminate()
    child.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def field_id(path: str) -> str:
    return "#f-" + "".join(c if c.isalnum() else "-" for c in path)


def fill_ny_visit(page, server: str, **changes) -> None:
    page.goto(server + "/")
    page.select_option("#choose", "ny-no-fault")
    page.get_by_role("button", name="Choose").click()
    for path, value in {**NY_VISIT, **changes}.items():
        if path == "program":
            continue
        control = page.locator(field_id(path))
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    page.get_by_role("button", name="Get the answer").first.click()


def test_a_ny_no_fault_visit_is_covered_and_its_nf3_downloads(browser, server, tmp_path):
    page = browser.new_page()
    fill_ny_visit(page, server)
    status = page.get_by_role("status")
    assert "Covered" in status.inner_text()
    assert page.get_by_text("Source: 11 NYCRR 65-1.1").count() >= 1
    shot = os.environ.get("PAYERKIT_PAGE_SCREENSHOT")
    if shot:  # docs/images: PAYERKIT_PAGE_SCREENSHOT=docs/images/practice-page.png
        page.screenshot(path=shot, full_page=False)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the nf-3").click()
    path = Path(download.value.path())
    pdf = path.read_bytes()
    assert pdf.startswith(b"%PDF")
    import pdfplumber

    with pdfplumber.open(path) as document:
        text = " ".join(p.extract_text() or "" for p in document.pages).upper()
    assert "INVENTED" in text and "MARIA" in text  # the patient's name, on the NF-3


def test_a_bad_field_shows_its_error_next_to_it(browser, server):
    page = browser.new_page()
    fill_ny_visit(page, server, **{"patient.first_name": ""})
    name = page.locator(field_id("patient.first_name"))
    assert name.get_attribute("aria-invalid") == "true"
    error = page.locator(field_id("patient.first_name") + "-error")
    assert error.is_visible() and "missing" in error.inner_text()
    # the error is tied to its field for a screen reader, and the field takes the keyboard
    assert error.get_attribute("id") in name.get_attribute("aria-describedby")
    name.focus()
    page.keyboard.type("Maria")
    assert name.input_value() == "Maria"
