"""One way to hold a committed image in ``docs/images`` to what a writer draws today.

The forms embed their own fonts, so poppler draws the same pixels on any machine whatever
fonts it has (``tests/formats/test_fonts.py``); a different poppler may still shade the
edges of glyphs a little differently. So a pixel counts as changed only when its grey level
moves by more than :data:`LEVEL`, and an image is out of date when more than
:data:`TOLERANCE` of its pixels changed: tight enough that one changed box (a 14-character
patient account number in box 26 is about 0.07 % of a page at 80 dpi) fails the test.

After an intended change, rewrite the images with ``PAYERKIT_REGEN_IMAGES=1`` and look at
each one before committing it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

REGEN = os.environ.get("PAYERKIT_REGEN_IMAGES") == "1"
LEVEL = 64
TOLERANCE = 0.0002
#: US Letter at 80 dots per inch.
PAGE = (680, 880)


def render_pages(pdf: bytes, folder: Path) -> list[Path]:
    """Each page of ``pdf`` as a PNG at 80 dpi, drawn by pdftoppm (the test is skipped where
    poppler-utils is not installed)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: apt-get install poppler-utils")
    source = folder / "form.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(source), str(folder / "page")],
                   check=True, capture_output=True, timeout=60)
    return sorted(folder.glob("page*.png"))


def changed_share(new: Image.Image, old: Image.Image) -> float:
    """The share of pixels whose grey level differs by more than :data:`LEVEL`."""
    new, old = new.convert("L"), old.convert("L")
    assert new.size == old.size, (new.size, old.size)
    moved = ImageChops.difference(new, old).point(lambda v: 255 if v > LEVEL else 0)
    return moved.histogram()[255] / (new.size[0] * new.size[1])


def assert_image_is_current(rendered: Image.Image, committed: Path) -> None:
    """``rendered`` (what the writer draws now) matches ``committed``; with
    ``PAYERKIT_REGEN_IMAGES=1`` it is written there first (64 colours, optimised)."""
    assert rendered.size == PAGE, rendered.size
    assert rendered.convert("L").getextrema()[0] < 64, "the page rendered blank"
    if REGEN:
        committed.parent.mkdir(parents=True, exist_ok=True)
        rendered.convert("RGB").quantize(64).save(committed, optimize=True)
    assert committed.exists(), f"{committed.name} is missing: run with PAYERKIT_REGEN_IMAGES=1"
    share = changed_share(rendered, Image.open(committed))
    assert share <= TOLERANCE, (f"{committed.name} differs from what the writer draws now "
                                f"({share:.3%} of its pixels): rewrite it with "
                                "PAYERKIT_REGEN_IMAGES=1 and look at it")
